/* Batch-affine bucket additions of the MSM on eight lanes (AVX-512 IFMA, ifma.h), for G1
 * (coordinates in Fq, D = 1 component) and G2 (Fq2 = Fq[u]/(u^2 + 1), D = 2).
 *
 * Representation: while a window's buckets are accumulated in batch-affine form, the
 * MSM's points and affine buckets hold coordinates in Montgomery form for R = 2^260
 * ("260-form", x 2^260 mod p, four 64-bit limbs, fully reduced), the form of ifma.h;
 * msm_to260 converts the selected points once per MSM and msm_from260 turns a window's
 * buckets back into the usual R = 2^256 form before its bucket sums.
 *
 * msm_flush_ifma is batch_flush of msm_impl.h on eight lanes: item i = 8j + l is lane l
 * of round j.  Forward: den_i = x(P_i) - x(B_i), prefix products per lane; one inversion
 * per lane (the eight lanes' chains together, Fermat); backward: lambda, x3, y3.  Bounds
 * (ifma.h): gathered coordinates are below p; differences get +p or +2p to stay
 * positive (below 2p); Fq products of operands below 2.2p stay below 1.1p, the Fq2
 * schoolbook product (a0 b0 + a1 (2p - b1), a0 b1 + a1 b0: two sums, one reduction
 * each) too; x3 and y3 (below 3.1p) are brought below p by subtracting 2p and then p
 * where they are at least that.  Lanes past the last item get x(B) = 0, x(P) = one,
 * so their denominators are one, and write nothing.
 */
#ifndef ZKM_MSM_IFMA_H
#define ZKM_MSM_IFMA_H
#include <stdlib.h>

#include "ifma.h"

#ifdef ZKM_HAVE_IFMA

/* Fq in radix 2^52 and the factors between the two Montgomery forms */
typedef struct {
    v52_field f;
    uint64_t to260[5];       /* 2^264 mod p: redc260(x 2^256 * 2^264) = x 2^260 */
    uint64_t from260[5];     /* 2^256 mod p: redc260(x 2^260 * 2^256) = x 2^256 */
    uint64_t one260[4];      /* 2^260 mod p, 4 x 64 bits */
} msm_fq52_consts;

const msm_fq52_consts *msm_fq52(void);

/* 2^252 mod p = 2^252 (p > 2^253): the scalar Montgomery product by it divides by 16 */
static const uint64_t MSM_FQ_DIV16[4] = {0, 0, 0, (uint64_t)1 << 60};

typedef struct {
    v52 c[2];
} fe52;

V52_FN void fe52_sub_off(fe52 *r, const fe52 *a, const fe52 *b, const uint64_t off[5], int D) {
    for (int d = 0; d < D; d++) v52_sub_off(&r->c[d], &a->c[d], &b->c[d], off);
}

/* a below p from a below 4p (normalised limbs) */
V52_FN void fe52_canon(fe52 *r, const fe52 *a, const v52_field *f, int D) {
    for (int d = 0; d < D; d++) {
        v52_csub(&r->c[d], &a->c[d], f->two_p);
        v52_csub(&r->c[d], &r->c[d], f->p);
    }
}

V52_FN void fe52_mul(fe52 *r, const fe52 *a, const fe52 *b, const v52_field *f, int D) {
    if (D == 1) {
        v52_mul(&r->c[0], &a->c[0], &b->c[0], f);
        return;
    }
    __m512i t[10];
    v52 nb1, zero, r0;
    for (int k = 0; k < 5; k++) zero.l[k] = _mm512_setzero_si512();
    v52_sub_off(&nb1, &zero, &b->c[1], f->two_p);          /* 2p - b1 > 0 */
    v52_zero_acc(t);
    v52_mac(t, &a->c[0], &b->c[0]);
    v52_mac(t, &a->c[1], &nb1);
    v52_redc(&r0, t, f);                                   /* a0 b0 - a1 b1 */
    v52_zero_acc(t);
    v52_mac(t, &a->c[0], &b->c[1]);
    v52_mac(t, &a->c[1], &b->c[0]);
    v52_redc(&r->c[1], t, f);                              /* a0 b1 + a1 b0 */
    r->c[0] = r0;
}

V52_FN void fe52_sqr(fe52 *r, const fe52 *a, const v52_field *f, int D) {
    if (D == 1) {
        v52_sqr(&r->c[0], &a->c[0], f);
        return;
    }
    v52 s, d, a1x2, r0;
    v52_add(&s, &a->c[0], &a->c[1]);
    v52_sub_off(&d, &a->c[0], &a->c[1], f->two_p);
    v52_add(&a1x2, &a->c[1], &a->c[1]);
    v52_mul(&r0, &s, &d, f);                               /* (a0 + a1)(a0 - a1) */
    v52_mul(&r->c[1], &a->c[0], &a1x2, f);                 /* 2 a0 a1 */
    r->c[0] = r0;
}

/* 1/a per lane (a != 0): Fq by Fermat; Fq2 as conj(a) / (a0^2 + a1^2) */
V52_FN void fe52_inv(fe52 *r, const fe52 *a, const v52_field *f, int D) {
    if (D == 1) {
        v52_inv(&r->c[0], &a->c[0], f);
        return;
    }
    __m512i t[10];
    v52 norm, ninv, na1, zero;
    for (int k = 0; k < 5; k++) zero.l[k] = _mm512_setzero_si512();
    v52_zero_acc(t);
    v52_sqr_acc(t, &a->c[0]);
    v52_sqr_acc(t, &a->c[1]);
    v52_redc(&norm, t, f);
    v52_inv(&ninv, &norm, f);
    v52_sub_off(&na1, &zero, &a->c[1], f->two_p);
    v52_mul(&r->c[0], &a->c[0], &ninv, f);
    v52_mul(&r->c[1], &na1, &ninv, f);
}

/* lanes of coordinate `off` (word offset inside a point) of eight points */
V52_FN void fe52_gather(fe52 *r, const uint64_t *const pt[8], size_t off, int D) {
    for (int d = 0; d < D; d++) {
        const uint64_t *x[8];
        for (int l = 0; l < 8; l++) x[l] = pt[l] + off + 4 * (size_t)d;
        v52_gather(&r->c[d], x);
    }
}

V52_FN void fe52_scatter(uint64_t *const pt[8], size_t off, const fe52 *a, int D) {
    for (int d = 0; d < D; d++) {
        uint64_t *x[8];
        for (int l = 0; l < 8; l++) x[l] = pt[l] ? pt[l] + off + 4 * (size_t)d : NULL;
        v52_scatter(x, &a->c[d]);
    }
}

/* B_i += P_i for the k pending items (distinct buckets, x(B_i) != x(P_i)), points and
 * buckets in 260-form; den, pref: room for ceil(k/8) fe52 each.  NL = 4 D words per
 * coordinate, a point is x then y. */
V52_FN void msm_flush_ifma(uint64_t *abk, uint8_t *busy, size_t k, const uint64_t *bidx,
                           const uint64_t *bpts, fe52 *den, fe52 *pref, int D) {
    const msm_fq52_consts *C = msm_fq52();
    const v52_field *f = &C->f;
    const size_t NLw = 4 * (size_t)D, AWw = 2 * NLw, rounds = (k + 7) / 8;
    uint64_t dummy[16] = {0};                              /* x = one (260-form), y = 0 */
    uint64_t zero_pt[16] = {0};
    static const uint64_t ZERO5[5] = {0, 0, 0, 0, 0};
    memcpy(dummy, C->one260, 32);
    fe52 acc;
    for (int d = 0; d < 2; d++)
        for (int l = 0; l < 5; l++) acc.c[d].l[l] = v52_bc(d == 0 ? f->one[l] : 0);
    for (size_t j = 0; j < rounds; j++) {
        const uint64_t *B[8], *P[8];
        for (size_t l = 0; l < 8; l++) {
            const size_t i = 8 * j + l;
            B[l] = i < k ? abk + bidx[i] * AWw : zero_pt;
            P[l] = i < k ? bpts + i * AWw : dummy;
        }
        fe52 bx, px;
        fe52_gather(&bx, B, 0, D);
        fe52_gather(&px, P, 0, D);
        fe52_sub_off(&den[j], &px, &bx, f->p, D);
        pref[j] = acc;
        fe52_mul(&acc, &acc, &den[j], f, D);
    }
    fe52 inv;
    fe52_inv(&inv, &acc, f, D);
    for (size_t j = rounds; j-- > 0;) {
        const uint64_t *B[8], *P[8];
        uint64_t *out[8];
        for (size_t l = 0; l < 8; l++) {
            const size_t i = 8 * j + l;
            B[l] = i < k ? abk + bidx[i] * AWw : zero_pt;
            P[l] = i < k ? bpts + i * AWw : dummy;
            out[l] = i < k ? abk + bidx[i] * AWw : NULL;
        }
        fe52 dinv, bx, by, px, py, lam, t, x3, y3;
        fe52_mul(&dinv, &inv, &pref[j], f, D);
        fe52_mul(&inv, &inv, &den[j], f, D);
        fe52_gather(&bx, B, 0, D);
        fe52_gather(&by, B, NLw, D);
        fe52_gather(&px, P, 0, D);
        fe52_gather(&py, P, NLw, D);
        fe52_sub_off(&t, &py, &by, f->p, D);
        fe52_mul(&lam, &t, &dinv, f, D);                   /* (y2 - y1) / (x2 - x1) */
        fe52_sqr(&t, &lam, f, D);
        fe52_sub_off(&t, &t, &bx, f->two_p, D);
        fe52_sub_off(&x3, &t, &px, ZERO5, D);              /* lambda^2 - x1 - x2 */
        fe52_canon(&x3, &x3, f, D);
        fe52_sub_off(&t, &bx, &x3, f->p, D);
        fe52_mul(&t, &t, &lam, f, D);
        fe52_sub_off(&y3, &t, &by, f->p, D);               /* lambda (x1 - x3) - y1 */
        fe52_canon(&y3, &y3, f, D);
        fe52_scatter(out, 0, &x3, D);
        fe52_scatter(out, NLw, &y3, D);
    }
    for (size_t i = 0; i < k; i++) busy[bidx[i]] = 0;
}

/* n points (AW = 8 D words each) between the Montgomery forms, in place: factor `c`
 * (C->to260 or C->from260) on every coordinate; infinity (all zero) stays zero */
V52_FN void msm_convert_points(uint64_t *pts, size_t n, const uint64_t c[5], int D) {
    const msm_fq52_consts *C = msm_fq52();
    const size_t words = 8 * (size_t)D;
    uint64_t spare[8][16] = {{0}};
    for (size_t g = 0; g < n; g += 8) {
        uint64_t *pt[8];
        for (size_t l = 0; l < 8; l++) pt[l] = g + l < n ? pts + (g + l) * words : spare[l];
        for (size_t w = 0; w < words; w += 4) {
            const uint64_t *src[8];
            uint64_t *dst[8];
            v52 a;
            for (int l = 0; l < 8; l++) {
                src[l] = pt[l] + w;
                dst[l] = g + (size_t)l < n ? pt[l] + w : NULL;
            }
            v52_gather(&a, src);
            v52_mul_const(&a, c, &a, &C->f);
            v52_csub(&a, &a, C->f.p);
            v52_scatter(dst, &a);
        }
    }
}

/* the entry points of msm_impl.h (one per group; not inlined into untargeted code) */
V52_TARGET static void msm_flush_ifma_g1(uint64_t *abk, uint8_t *busy, size_t k,
                                         const uint64_t *bidx, const uint64_t *bpts, fe52 *den,
                                         fe52 *pref) {
    msm_flush_ifma(abk, busy, k, bidx, bpts, den, pref, 1);
}
V52_TARGET static void msm_flush_ifma_g2(uint64_t *abk, uint8_t *busy, size_t k,
                                         const uint64_t *bidx, const uint64_t *bpts, fe52 *den,
                                         fe52 *pref) {
    msm_flush_ifma(abk, busy, k, bidx, bpts, den, pref, 2);
}
V52_TARGET static void msm_convert_g1(uint64_t *pts, size_t n, const uint64_t c[5]) {
    msm_convert_points(pts, n, c, 1);
}
V52_TARGET static void msm_convert_g2(uint64_t *pts, size_t n, const uint64_t c[5]) {
    msm_convert_points(pts, n, c, 2);
}

#endif /* ZKM_HAVE_IFMA */
#endif
