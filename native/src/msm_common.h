/* Internal helpers shared by the MSM and fixed-base code: scalar digits, window size. */
#ifndef ZKM_MSM_COMMON_H
#define ZKM_MSM_COMMON_H
#include <stddef.h>
#include <stdint.h>

#include "field.h"

#define MSM_SCALAR_BITS 254 /* scalars are reduced mod r < 2^254 */
#define MSM_MAX_THREADS 64

/* bits [off, off + c) of a 4-limb integer (zero beyond bit 255), c <= 32 */
static inline uint32_t scalar_bits(const uint64_t k[4], unsigned off, unsigned c) {
    unsigned limb = off >> 6, sh = off & 63;
    if (limb >= 4) return 0;
    uint64_t v = k[limb] >> sh;
    if (sh + c > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - sh);
    return (uint32_t)(v & (((uint64_t)1 << c) - 1));
}

/* number of signed c-bit windows covering MSM_SCALAR_BITS + 1 bits (room for the carry) */
static inline unsigned msm_num_windows(unsigned c) { return (MSM_SCALAR_BITS + 1 + c - 1) / c; }

/* windows for `bits`-bit scalars (one extra bit for the signed-digit carry) */
static inline unsigned msm_nwin(unsigned bits, unsigned c) { return (bits + 1 + c - 1) / c; }

#include "msm.h"

/* window size for m entries of `bits`-bit scalars (msm.c; monotone in m) */
unsigned msm_window_bits_for(size_t m, unsigned bits, const msm_config *cfg);
/* cfg (checked) or the defaults into *out; 0 when cfg is invalid */
int msm_config_resolve(msm_config *out, const msm_config *cfg);
/* whether a G1 MSM of n terms uses the GLV split */
int msm_use_glv(size_t n, const msm_config *cfg);

/* signed digits of k (< 2^254): k = sum_w d_w 2^(c w), d_w in [-2^(c-1), 2^(c-1)] */
static inline void scalar_signed_digits(int32_t *d, size_t stride, const uint64_t k[4], unsigned c) {
    unsigned nw = msm_num_windows(c);
    uint32_t carry = 0, half = (uint32_t)1 << (c - 1);
    for (unsigned w = 0; w < nw; w++) {
        uint32_t v = scalar_bits(k, w * c, c) + carry;
        carry = v > half;
        d[w * stride] = carry ? (int32_t)v - (int32_t)(1u << c) : (int32_t)v;
    }
}

#endif
