/* Internal: GLV decomposition for G1.  phi(x, y) = (beta x, y) = [lambda](x, y), and
 * k = k1 + k2 lambda (mod r) with |k1|, |k2| < 2^128 from the short lattice basis
 * (a1, b1), (a2, b2) of bn254_params.h:
 *   c1 = floor(k G1 / 2^256) ~ k (2x+1) / r,  c2 = floor(k G2 / 2^256) ~ k b1 / r,
 *   k1 = k - c1 a1 - c2 a2,  k2 = c2 (2x+1) - c1 b1     (computed mod 2^256, signed). */
#ifndef ZKM_GLV_H
#define ZKM_GLV_H
#include <stdint.h>
#include <string.h>

#include "field.h"

#define GLV_SCALAR_BITS 130 /* |k1|, |k2| < 2^128, with margin */

/* r[na + nb] = a[na] * b[nb] (schoolbook) */
static inline void glv_mul_limbs(uint64_t *r, const uint64_t *a, int na, const uint64_t *b, int nb) {
    memset(r, 0, 8 * (size_t)(na + nb));
    for (int i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nb; j++) {
            zkm_u128 t = (zkm_u128)a[i] * b[j] + r[i + j] + carry;
            r[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        r[i + nb] = carry;
    }
}

/* r = a - b mod 2^256 */
static inline void glv_sub_wrap(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        zkm_u128 d = (zkm_u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 127);
    }
}

/* |v| of a two's-complement 256-bit v; returns 1 if v was negative */
static inline int glv_abs(uint64_t v[4]) {
    if (!(v[3] >> 63)) return 0;
    static const uint64_t zero[4] = {0, 0, 0, 0};
    glv_sub_wrap(v, zero, v);
    return 1;
}

/* k (< r) -> |k1|, |k2| (4 limbs each); returns bit 0 = k1 < 0, bit 1 = k2 < 0 */
static inline int glv_split(uint64_t k1[4], uint64_t k2[4], const uint64_t k[4]) {
    uint64_t t[7], c1[2], c2[3], u[5], v[5];
    glv_mul_limbs(t, k, 4, BN254_GLV_G1, 2);
    c1[0] = t[4]; c1[1] = t[5];
    glv_mul_limbs(t, k, 4, BN254_GLV_G2, 3);
    c2[0] = t[4]; c2[1] = t[5]; c2[2] = t[6];
    glv_mul_limbs(u, c1, 2, BN254_GLV_A1, 2);            /* c1 a1 */
    glv_sub_wrap(k1, k, u);
    glv_mul_limbs(v, c2, 3, BN254_GLV_A2, 2);            /* c2 a2 (low 4 limbs) */
    glv_sub_wrap(k1, k1, v);
    glv_mul_limbs(u, c2, 3, BN254_GLV_B2_NEG, 2);        /* c2 (2x+1) */
    glv_mul_limbs(v, c1, 2, BN254_GLV_B1, 2);            /* c1 b1 */
    glv_sub_wrap(k2, u, v);
    return glv_abs(k1) | (glv_abs(k2) << 1);
}

#endif
