/* BN254 optimal ate pairing e: G1 x G2 -> GT (subgroup of Fq12*, see tower.h for layout).
 *
 * e(P, Q) = (f_{6x+2,Q}(P) * l_{[6x+2]Q, pi(Q)}(P) * l_{[6x+2]Q + pi(Q), -pi^2(Q)}(P))^((p^12-1)/r)
 * with x = 4965661367192848881; the value equals py_ecc's `pairing(Q, P)` exactly.
 *
 * Inputs: G1 points as 8 limbs (x, y), G2 points as 16 limbs (x.c0, x.c1, y.c0, y.c1), affine,
 * Montgomery form, the point at infinity all zero limbs (it contributes 1 to any product).
 * Inputs are assumed valid (on the curve, in the subgroup); callers check with the curve API.
 */
#ifndef ZKM_PAIRING_H
#define ZKM_PAIRING_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
void bn254_miller_loop(uint64_t *f, const uint64_t *g1, const uint64_t *g2, size_t k);
void bn254_final_exponentiation(uint64_t *r, const uint64_t *f);
void bn254_pairing(uint64_t *out, const uint64_t *g1, const uint64_t *g2);
int bn254_pairing_check(const uint64_t *g1, const uint64_t *g2, size_t k);
/* CDEF END */

/* bn254_miller_loop:   f[48] = prod_{j<k} f_j, the Miller-loop values (lines multiplied up to
 *                      factors in proper subfields, which the final exponentiation kills) of
 *                      the pairs (g1[8j..], g2[16j..]); pairs with an infinite point skipped.
 * bn254_final_exponentiation: r[48] = f^((p^12-1)/r) (easy part, then the Scott et al.
 *                      hard part with exactly (p^4 - p^2 + 1)/r, no extra multiple).
 * bn254_pairing:       out[48] = e(g1, g2).
 * bn254_pairing_check: 1 iff prod_{j<k} e(g1_j, g2_j) == 1 (k = 0 gives 1), else 0;
 *                      one shared Miller loop and ONE final exponentiation. */

#endif
