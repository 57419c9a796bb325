/* BN254 extension tower for the pairing (all coefficients Montgomery form, fully reduced).
 *
 *   Fq2  = Fq[u]/(u^2 + 1)          8 limbs: c0, c1                       (field.h)
 *   Fq6  = Fq2[v]/(v^3 - xi)        24 limbs: c0, c1, c2 (Fq2 each), xi = 9 + u
 *   Fq12 = Fq6[w]/(w^2 - v)         48 limbs: c0, c1 (Fq6 each)
 *
 * So w^6 = xi and an Fq12 element is sum_{i<6} g_i w^i with g_{2j} = c0.c_j and
 * g_{2j+1} = c1.c_j (g_i in Fq2).  The p^k-power Frobenius is
 *   (sum g_i w^i)^(p^k) = sum conj^k(g_i) gamma_{k,i} w^i,  gamma_{k,i} = xi^(i (p^k - 1)/6)
 * with the gamma table from bn254_params.h.  Outputs may alias inputs everywhere.
 */
#ifndef ZKM_TOWER_H
#define ZKM_TOWER_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
void fq6_add(uint64_t *r, const uint64_t *a, const uint64_t *b);
void fq6_sub(uint64_t *r, const uint64_t *a, const uint64_t *b);
void fq6_neg(uint64_t *r, const uint64_t *a);
void fq6_mul(uint64_t *r, const uint64_t *a, const uint64_t *b);
void fq6_sqr(uint64_t *r, const uint64_t *a);
void fq6_inv(uint64_t *r, const uint64_t *a);
void fq6_mul_by_v(uint64_t *r, const uint64_t *a);
void fq6_mul_by_fq2(uint64_t *r, const uint64_t *a, const uint64_t *b);
void fq6_mul_by_01(uint64_t *r, const uint64_t *a, const uint64_t *b0, const uint64_t *b1);
void fq12_set_one(uint64_t *r);
int fq12_is_one(const uint64_t *a);
int fq12_eq(const uint64_t *a, const uint64_t *b);
void fq12_mul(uint64_t *r, const uint64_t *a, const uint64_t *b);
void fq12_sqr(uint64_t *r, const uint64_t *a);
void fq12_conj(uint64_t *r, const uint64_t *a);
void fq12_inv(uint64_t *r, const uint64_t *a);
void fq12_frobenius(uint64_t *r, const uint64_t *a, int k);
void fq12_cyclotomic_sqr(uint64_t *r, const uint64_t *a);
void fq12_mul_by_034(uint64_t *r, const uint64_t *a, const uint64_t *l0, const uint64_t *l3,
                     const uint64_t *l4);
/* CDEF END */

#endif
