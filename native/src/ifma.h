/* Eight-lane Montgomery arithmetic over a 254-bit prime with AVX-512 IFMA.
 *
 * An element is five 52-bit limbs (radix 2^52, 260 bits); a `v52` holds the same limb of
 * eight independent elements in one 512-bit register each, so every operation works on
 * eight values at once.  Products use VPMADD52LUQ/VPMADD52HUQ (the low and high 52 bits
 * of a 52 x 52-bit product added to a 64-bit lane).
 *
 * Montgomery form with R = 2^260: x is held as x R mod p.  For p < 2^254 (both BN254
 * fields) R > 64 p, which gives room for lazy reduction:
 *
 *   v52_redc(T) = (T + m p) / R with m = -T p^-1 mod R, exact, and below T/R + p;
 *   v52_mul(a, b) = a b / R mod p, below ab/R + p < 2p whenever a, b < 8p
 *     (ab/R < 64 p^2/R < 0.76 p);
 *   sums of up to 17 products of operands below 2p are reduced by one v52_redc and stay
 *   below 17 * 4 p^2/R + p < 1.81 p.
 *
 * Limbs are "normalised" (each < 2^52) at every multiplication input, because IFMA reads
 * only the low 52 bits of each lane; an unreduced product accumulator (ten columns of
 * 64-bit lanes, each gaining at most 10 terms below 2^52 per product) holds up to 64
 * products before a lane could overflow.
 *
 * Everything here is static inline with the IFMA target attribute; callers check
 * zkm_use_ifma (cpu.h) before calling into code built on it.
 */
#ifndef ZKM_IFMA_H
#define ZKM_IFMA_H
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define ZKM_HAVE_IFMA 1
#include <immintrin.h>

#define V52_FN static inline __attribute__((target("avx512f,avx512ifma"), always_inline))
#define V52_TARGET __attribute__((target("avx512f,avx512ifma")))
#define V52_MASK ((1ULL << 52) - 1)

/* The constants of one prime in radix 2^52: p, 2p, R mod p (one in Montgomery form),
 * R^2 mod p (R = 2^260), each limb < 2^52; n0 = -p^-1 mod 2^52; p - 2 (4 x 64 bits, the
 * inversion exponent). */
typedef struct {
    uint64_t p[5], two_p[5], one[5], r2[5];
    uint64_t n0;
    uint64_t p_minus_2[4];
} v52_field;

typedef struct {
    __m512i l[5];
} v52;

/* 52-bit limbs of a 4 x 64-bit integer below 2^260 */
static inline void v52_split(uint64_t out[5], const uint64_t x[4]) {
    out[0] = x[0] & V52_MASK;
    out[1] = ((x[0] >> 52) | (x[1] << 12)) & V52_MASK;
    out[2] = ((x[1] >> 40) | (x[2] << 24)) & V52_MASK;
    out[3] = ((x[2] >> 28) | (x[3] << 36)) & V52_MASK;
    out[4] = x[3] >> 16;
}

/* 4 x 64-bit integer of five limbs (each < 2^52, value < 2^256) */
static inline void v52_join(uint64_t out[4], const uint64_t l[5]) {
    out[0] = l[0] | (l[1] << 52);
    out[1] = (l[1] >> 12) | (l[2] << 40);
    out[2] = (l[2] >> 24) | (l[3] << 28);
    out[3] = (l[3] >> 36) | (l[4] << 16);
}

/* the constants of p (4 x 64-bit limbs, p odd, p < 2^254), computed once per prime */
static inline void v52_field_init(v52_field *f, const uint64_t p4[4]) {
    uint64_t inv = 1, r[4] = {1, 0, 0, 0}, two_p[4];
    for (int i = 0; i < 6; i++) inv *= 2 - p4[0] * inv;   /* p^-1 mod 2^64 (Newton) */
    f->n0 = (0 - inv) & V52_MASK;
    v52_split(f->p, p4);
    add_nored_4(two_p, p4, p4);
    v52_split(f->two_p, two_p);
    for (int i = 1; i <= 520; i++) {                     /* 2^260 and 2^520 mod p by doubling */
        uint64_t d[4];
        add_nored_4(d, r, r);
        reduce_4(r, d, p4);
        if (i == 260) v52_split(f->one, r);
    }
    v52_split(f->r2, r);
    uint64_t two[4] = {2, 0, 0, 0};
    sub_mod_4(f->p_minus_2, p4, two, p4);   /* p - 2 (p > 2, so no wrap) */
}

V52_FN __m512i v52_bc(uint64_t x) { return _mm512_set1_epi64((long long)x); }

/* T (ten columns) += a b, unreduced */
V52_FN void v52_mac(__m512i t[10], const v52 *a, const v52 *b) {
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++) {
#pragma GCC unroll 5
        for (int j = 0; j < 5; j++) {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], a->l[i], b->l[j]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], a->l[i], b->l[j]);
        }
    }
}

/* T += c b for a constant c (the same five limbs in every lane) */
V52_FN void v52_mac_const(__m512i t[10], const uint64_t c[5], const v52 *b) {
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++) {
        const __m512i ci = v52_bc(c[i]);
#pragma GCC unroll 5
        for (int j = 0; j < 5; j++) {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], ci, b->l[j]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], ci, b->l[j]);
        }
    }
}

/* T += a^2, the ten cross products once and doubled */
V52_FN void v52_sqr_acc(__m512i t[10], const v52 *a) {
    __m512i x[10];
    const __m512i z = _mm512_setzero_si512();
#pragma GCC unroll 10
    for (int k = 0; k < 10; k++) x[k] = z;
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++) {
#pragma GCC unroll 4
        for (int j = i + 1; j < 5; j++) {
            x[i + j] = _mm512_madd52lo_epu64(x[i + j], a->l[i], a->l[j]);
            x[i + j + 1] = _mm512_madd52hi_epu64(x[i + j + 1], a->l[i], a->l[j]);
        }
    }
#pragma GCC unroll 10
    for (int k = 0; k < 10; k++) t[k] = _mm512_add_epi64(t[k], _mm512_add_epi64(x[k], x[k]));
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++) {
        t[2 * i] = _mm512_madd52lo_epu64(t[2 * i], a->l[i], a->l[i]);
        t[2 * i + 1] = _mm512_madd52hi_epu64(t[2 * i + 1], a->l[i], a->l[i]);
    }
}

/* r = T / R mod p (Montgomery reduction of the ten columns), normalised limbs */
V52_FN void v52_redc(v52 *r, __m512i t[10], const v52_field *f) {
    const __m512i z = _mm512_setzero_si512(), n0 = v52_bc(f->n0), mask = v52_bc(V52_MASK);
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++) {
        const __m512i m = _mm512_madd52lo_epu64(z, t[i], n0);
#pragma GCC unroll 5
        for (int j = 0; j < 5; j++) {
            const __m512i pj = v52_bc(f->p[j]);
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], m, pj);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], m, pj);
        }
        t[i + 1] = _mm512_add_epi64(t[i + 1], _mm512_srli_epi64(t[i], 52));
    }
#pragma GCC unroll 4
    for (int k = 5; k < 9; k++) {
        t[k + 1] = _mm512_add_epi64(t[k + 1], _mm512_srli_epi64(t[k], 52));
        r->l[k - 5] = _mm512_and_si512(t[k], mask);
    }
    r->l[4] = t[9];
}

V52_FN void v52_zero_acc(__m512i t[10]) {
    const __m512i z = _mm512_setzero_si512();
#pragma GCC unroll 10
    for (int k = 0; k < 10; k++) t[k] = z;
}

/* r = a b / R mod p (a, b < 8p: r < 2p) */
V52_FN void v52_mul(v52 *r, const v52 *a, const v52 *b, const v52_field *f) {
    __m512i t[10];
    v52_zero_acc(t);
    v52_mac(t, a, b);
    v52_redc(r, t, f);
}

/* r = c b / R mod p for a constant c */
V52_FN void v52_mul_const(v52 *r, const uint64_t c[5], const v52 *b, const v52_field *f) {
    __m512i t[10];
    v52_zero_acc(t);
    v52_mac_const(t, c, b);
    v52_redc(r, t, f);
}

/* r = a^2 / R mod p */
V52_FN void v52_sqr(v52 *r, const v52 *a, const v52_field *f) {
    __m512i t[10];
    v52_zero_acc(t);
    v52_sqr_acc(t, a);
    v52_redc(r, t, f);
}

/* r = a + b, normalised (no reduction: a + b must stay below 2^260) */
V52_FN void v52_add(v52 *r, const v52 *a, const v52 *b) {
    const __m512i mask = v52_bc(V52_MASK);
    __m512i c = _mm512_setzero_si512();
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) {
        const __m512i s = _mm512_add_epi64(_mm512_add_epi64(a->l[k], b->l[k]), c);
        c = _mm512_srli_epi64(s, 52);
        r->l[k] = k < 4 ? _mm512_and_si512(s, mask) : s;
    }
}

/* r = a + c for a constant c, normalised */
V52_FN void v52_add_const(v52 *r, const v52 *a, const uint64_t c[5]) {
    const __m512i mask = v52_bc(V52_MASK);
    __m512i cy = _mm512_setzero_si512();
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) {
        const __m512i s = _mm512_add_epi64(_mm512_add_epi64(a->l[k], v52_bc(c[k])), cy);
        cy = _mm512_srli_epi64(s, 52);
        r->l[k] = k < 4 ? _mm512_and_si512(s, mask) : s;
    }
}

/* r = a + b - 2p when that is >= 0, else a + b (a, b < 2p: r < 2p) */
V52_FN void v52_add_red(v52 *r, const v52 *a, const v52 *b, const v52_field *f) {
    const __m512i mask = v52_bc(V52_MASK);
    __m512i c = _mm512_setzero_si512(), bw = _mm512_setzero_si512();
    v52 s, d;
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) {
        const __m512i x = _mm512_add_epi64(_mm512_add_epi64(a->l[k], b->l[k]), c);
        c = _mm512_srli_epi64(x, 52);
        s.l[k] = k < 4 ? _mm512_and_si512(x, mask) : x;
        const __m512i y = _mm512_add_epi64(_mm512_sub_epi64(s.l[k], v52_bc(f->two_p[k])), bw);
        bw = _mm512_srai_epi64(y, 52);                   /* 0 or -1 */
        d.l[k] = k < 4 ? _mm512_and_si512(y, mask) : y;
    }
    const __mmask8 neg = _mm512_cmplt_epi64_mask(d.l[4], _mm512_setzero_si512());
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) r->l[k] = _mm512_mask_blend_epi64(neg, d.l[k], s.l[k]);
}

/* r = a + off - b, normalised; needs a + off >= b and a + off < 2^260 (off a constant
 * multiple of p keeps the value's class) */
V52_FN void v52_sub_off(v52 *r, const v52 *a, const v52 *b, const uint64_t off[5]) {
    const __m512i mask = v52_bc(V52_MASK);
    __m512i c = _mm512_setzero_si512();
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) {
        const __m512i x = _mm512_add_epi64(
            _mm512_sub_epi64(_mm512_add_epi64(a->l[k], v52_bc(off[k])), b->l[k]), c);
        c = _mm512_srai_epi64(x, 52);                    /* -1, 0 or 1 */
        r->l[k] = k < 4 ? _mm512_and_si512(x, mask) : x;
    }
}

/* r = a - q when a >= q, else a (a normalised) */
V52_FN void v52_csub(v52 *r, const v52 *a, const uint64_t q[5]) {
    const __m512i mask = v52_bc(V52_MASK);
    __m512i bw = _mm512_setzero_si512();
    v52 d;
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) {
        const __m512i y = _mm512_add_epi64(_mm512_sub_epi64(a->l[k], v52_bc(q[k])), bw);
        bw = _mm512_srai_epi64(y, 52);
        d.l[k] = k < 4 ? _mm512_and_si512(y, mask) : y;
    }
    const __mmask8 neg = _mm512_cmplt_epi64_mask(d.l[4], _mm512_setzero_si512());
#pragma GCC unroll 5
    for (int k = 0; k < 5; k++) r->l[k] = _mm512_mask_blend_epi64(neg, d.l[k], a->l[k]);
}

/* r = a^(p-2) = 1/a (Montgomery form in and out; a < 8p, a != 0 mod p; r < 2p), one
 * square-and-multiply chain for all eight lanes */
V52_TARGET static void v52_inv(v52 *r, const v52 *a, const v52_field *f) {
    v52 acc = *a;
    int top = 255;
    while (!((f->p_minus_2[top >> 6] >> (top & 63)) & 1)) top--;
    for (int b = top - 1; b >= 0; b--) {
        v52_sqr(&acc, &acc, f);
        if ((f->p_minus_2[b >> 6] >> (b & 63)) & 1) v52_mul(&acc, &acc, a, f);
    }
    *r = acc;
}

/* lane i of r = x_i as five limbs (x_i: 4 x 64-bit limbs, < 2^256; no change of form) */
V52_FN void v52_gather(v52 *r, const uint64_t *const x[8]) {
    uint64_t limbs[5][8];
    for (int i = 0; i < 8; i++) {
        uint64_t l[5];
        v52_split(l, x[i]);
        for (int k = 0; k < 5; k++) limbs[k][i] = l[k];
    }
    for (int k = 0; k < 5; k++) r->l[k] = _mm512_loadu_si512((const void *)limbs[k]);
}

/* x_i = lane i of a as 4 x 64-bit limbs (a normalised, < 2^256), for the lanes whose
 * pointer is not NULL */
V52_FN void v52_scatter(uint64_t *const x[8], const v52 *a) {
    uint64_t limbs[5][8];
    for (int k = 0; k < 5; k++) _mm512_storeu_si512((void *)limbs[k], a->l[k]);
    for (int i = 0; i < 8; i++) {
        if (!x[i]) continue;
        uint64_t l[5];
        for (int k = 0; k < 5; k++) l[k] = limbs[k][i];
        v52_join(x[i], l);
    }
}

/* lane i of r (Montgomery form, < 2p) from x_i (standard 4 x 64-bit limbs, any value
 * < 2^256), for the eight pointers x[0..7] */
V52_FN void v52_load_std(v52 *r, const uint64_t *const x[8], const v52_field *f) {
    uint64_t limbs[5][8];
    for (int i = 0; i < 8; i++) {
        uint64_t l[5];
        v52_split(l, x[i]);
        for (int k = 0; k < 5; k++) limbs[k][i] = l[k];
    }
    v52 a;
    for (int k = 0; k < 5; k++) a.l[k] = _mm512_loadu_si512((const void *)limbs[k]);
    v52_mul_const(r, f->r2, &a, f);                      /* x R^2 / R = x R */
}

/* x_i (standard form, fully reduced below p) of lane i of a (Montgomery form, < 8p) */
V52_FN void v52_store_std(uint64_t *const x[8], const v52 *a, const v52_field *f,
                          const uint64_t p4[4]) {
    static const uint64_t one[5] = {1, 0, 0, 0, 0};
    v52 r;
    uint64_t limbs[5][8];
    v52_mul_const(&r, one, a, f);                        /* a / R: below p + 1 */
    for (int k = 0; k < 5; k++) _mm512_storeu_si512((void *)limbs[k], r.l[k]);
    for (int i = 0; i < 8; i++) {
        uint64_t l[5], v[4];
        for (int k = 0; k < 5; k++) l[k] = limbs[k][i];
        v52_join(v, l);
        reduce_4(x[i], v, p4);
    }
}

#endif /* x86-64 */
#endif
