/* G1 (over Fq) and G2 (over Fq2) point arithmetic on flat limb arrays.
 * Affine points in Montgomery form: G1 = x[4] y[4], G2 = x[8] y[8] (Fq2 c0 then c1);
 * infinity = all zero limbs.  Jacobian: X, Y, Z (G1 12 limbs, G2 24), infinity Z = 0.
 * Scalars are plain 4-limb integers (standard form). */
#ifndef ZKM_CURVE_H
#define ZKM_CURVE_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
void g1_add(uint64_t *r, const uint64_t *p, const uint64_t *q);
void g1_double(uint64_t *r, const uint64_t *p);
void g1_neg(uint64_t *r, const uint64_t *p);
void g1_scalar_mul(uint64_t *r, const uint64_t *p, const uint64_t *k);
int g1_is_on_curve(const uint64_t *p);
size_t g1_count_not_on_curve(const uint64_t *pts, size_t n, uint8_t *flags);
void g1_batch_to_affine(uint64_t *out, const uint64_t *jac, size_t n, uint64_t *scratch);
void g2_add(uint64_t *r, const uint64_t *p, const uint64_t *q);
void g2_double(uint64_t *r, const uint64_t *p);
void g2_neg(uint64_t *r, const uint64_t *p);
void g2_scalar_mul(uint64_t *r, const uint64_t *p, const uint64_t *k);
int g2_is_on_curve(const uint64_t *p);
int g2_in_subgroup(const uint64_t *p);
size_t g2_count_not_on_curve(const uint64_t *pts, size_t n, uint8_t *flags);
void g2_batch_to_affine(uint64_t *out, const uint64_t *jac, size_t n, uint64_t *scratch);
/* CDEF END */

#endif
