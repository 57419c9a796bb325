/* Radix-2 decimation-in-time NTT: bit reversal, then cache-blocked butterflies.
 * Stages whose blocks fit in NTT_BLOCK elements run block by block (each block stays
 * in L2); the last stages run one at a time with the butterflies split over threads. */
#include "ntt.h"

#include "field.h"
#include "threads.h"

#define NTT_BLOCK ((size_t)1 << 16) /* 65536 elements = 2 MiB (measured best of 2^13..2^18) */
#define NTT_PAR_MIN ((size_t)1 << 12)

static unsigned log2_exact(size_t n) {
    unsigned k = 0;
    while (((size_t)1 << k) < n) k++;
    return k;
}

static int is_pow2(size_t n) { return n && !(n & (n - 1)); }

/* omega_{2^k} (or its inverse), Montgomery */
static void root_of_unity(uint64_t w[4], unsigned k, int inverse) {
    fr_copy(w, BN254_FR_ROOT_OF_UNITY_MONT);
    for (unsigned i = k; i < BN254_FR_TWO_ADICITY; i++) fr_sqr(w, w);
    if (inverse) fr_inv(w, w);
}

int fr_ntt_twiddles(uint64_t *tw, size_t n, int inverse) {
    if (!is_pow2(n) || log2_exact(n) > BN254_FR_TWO_ADICITY) return -1;
    fr_set_one(tw);
    for (size_t m = 1; m < n; m <<= 1) {
        uint64_t w[4];
        root_of_unity(w, log2_exact(2 * m), inverse);
        fr_set_one(tw + 4 * m);
        for (size_t j = 1; j < m; j++) fr_mul(tw + 4 * (m + j), tw + 4 * (m + j - 1), w);
    }
    return 0;
}

typedef struct {
    uint64_t *a;
    const uint64_t *src;    /* input of the out-of-place bit reversal (may equal a) */
    const uint64_t *tw;
    size_t n, m, block;
    unsigned logn;
    uint64_t scale[4];
} ntt_ctx;

static inline size_t bitrev(size_t x, unsigned bits) {
    uint64_t v = x; /* reverse 64 bits by swapping halves, then shift down */
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    v = __builtin_bswap64(v);
    return bits ? (size_t)(v >> (64 - bits)) : 0;
}

static void bitrev_range(void *vc, size_t begin, size_t end, int tid) {
    (void)tid;
    ntt_ctx *c = (ntt_ctx *)vc;
    if (c->src != c->a) { /* out of place: a[rev(i)] = src[i] (replaces a copy pass) */
        for (size_t i = begin; i < end; i++)
            memcpy(c->a + 4 * bitrev(i, c->logn), c->src + 4 * i, 32);
        return;
    }
    for (size_t i = begin; i < end; i++) {
        size_t j = bitrev(i, c->logn);
        if (i < j) {
            uint64_t t[4];
            memcpy(t, c->a + 4 * i, 32);
            memcpy(c->a + 4 * i, c->a + 4 * j, 32);
            memcpy(c->a + 4 * j, t, 32);
        }
    }
}

/* Lazy butterflies (Harvey): between stages the values are kept in [0, 4p) rather than
 * [0, p) (4p < 2^256 for BN254's r), which drops the conditional corrections of the
 * addition and subtraction and the final subtraction of the Montgomery product
 * (mont_mul_4_lazy: y < 4p, w < p -> [0, 2p)).  A final pass (forward) or the 1/n
 * scaling (inverse, a full product) brings every value back to [0, p). */

#if defined(__x86_64__) && defined(__GNUC__)
/* r = a + b (no carry out: both < 2^255) */
static inline void add_nored(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    unsigned long long t0, t1, t2, t3;
    unsigned char c = _addcarry_u64(0, a[0], b[0], &t0);
    c = _addcarry_u64(c, a[1], b[1], &t1);
    c = _addcarry_u64(c, a[2], b[2], &t2);
    (void)_addcarry_u64(c, a[3], b[3], &t3);
    r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3;
}
/* r = a + 2p - b (b <= a + 2p) */
static inline void sub_plus_2p(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    unsigned long long t0, t1, t2, t3;
    unsigned char c = _addcarry_u64(0, a[0], BN254_FR_2P[0], &t0);
    c = _addcarry_u64(c, a[1], BN254_FR_2P[1], &t1);
    c = _addcarry_u64(c, a[2], BN254_FR_2P[2], &t2);
    (void)_addcarry_u64(c, a[3], BN254_FR_2P[3], &t3);
    c = _subborrow_u64(0, t0, b[0], &t0);
    c = _subborrow_u64(c, t1, b[1], &t1);
    c = _subborrow_u64(c, t2, b[2], &t2);
    (void)_subborrow_u64(c, t3, b[3], &t3);
    r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3;
}
#else
static inline void add_nored(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    zkm_u128 s = 0;
    for (int i = 0; i < 4; i++) {
        s += (zkm_u128)a[i] + b[i];
        r[i] = (uint64_t)s;
        s >>= 64;
    }
}
static inline void sub_plus_2p(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t[4], borrow = 0;
    add_nored(t, a, BN254_FR_2P);
    for (int i = 0; i < 4; i++) {
        zkm_u128 d = (zkm_u128)t[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 127);
    }
}
#endif

/* [0, 4p) -> [0, 2p) */
static inline void reduce_2p(uint64_t r[4], const uint64_t a[4]) {
    csub_4(r, a[0], a[1], a[2], a[3], BN254_FR_2P);
}

/* (x, y) -> (x + y w, x - y w), x, y in [0, 4p) -> [0, 4p) */
static inline void butterfly(uint64_t *restrict x, uint64_t *restrict y,
                             const uint64_t *restrict w) {
    uint64_t v[4], xv[4];
    reduce_2p(xv, x); /* x, y, w never alias: keep x in registers */
    mont_mul_4_lazy(v, y, w, BN254_FR_P, BN254_FR_N0);
    sub_plus_2p(y, xv, v);
    add_nored(x, xv, v);
}

/* butterfly with twiddle 1: (x, y) -> (x + y, x - y) */
static inline void butterfly1(uint64_t *x, uint64_t *y) {
    uint64_t v[4], xv[4];
    reduce_2p(xv, x);
    reduce_2p(v, y);
    sub_plus_2p(y, xv, v);
    add_nored(x, xv, v);
}

/* all stages with 2m <= block, for blocks [begin, end) */
static void small_stages(void *vc, size_t begin, size_t end, int tid) {
    (void)tid;
    ntt_ctx *c = (ntt_ctx *)vc;
    for (size_t b = begin; b < end; b++) {
        uint64_t *blk = c->a + 4 * b * c->block;
        for (size_t m = 1; m < c->block; m <<= 1)
            for (size_t k = 0; k < c->block; k += 2 * m) {
                butterfly1(blk + 4 * k, blk + 4 * (k + m)); /* twiddle omega^0 = 1 */
                for (size_t j = 1; j < m; j++)
                    butterfly(blk + 4 * (k + j), blk + 4 * (k + j + m), c->tw + 4 * (m + j));
            }
    }
}

/* one stage of half-size m, butterflies t in [begin, end) */
static void big_stage(void *vc, size_t begin, size_t end, int tid) {
    (void)tid;
    ntt_ctx *c = (ntt_ctx *)vc;
    const size_t m = c->m;
    for (size_t t = begin; t < end; t++) {
        size_t j = t & (m - 1), k = (t - j) * 2 + j;
        butterfly(c->a + 4 * k, c->a + 4 * (k + m), c->tw + 4 * (m + j));
    }
}

/* [0, 4p) -> [0, p) after a forward transform */
static void normalize_range(void *vc, size_t begin, size_t end, int tid) {
    (void)tid;
    ntt_ctx *c = (ntt_ctx *)vc;
    for (size_t i = begin; i < end; i++) {
        uint64_t *x = c->a + 4 * i;
        reduce_2p(x, x);
        csub_4(x, x[0], x[1], x[2], x[3], BN254_FR_P);
    }
}

static void scale_range(void *vc, size_t begin, size_t end, int tid) {
    (void)tid;
    ntt_ctx *c = (ntt_ctx *)vc;
    for (size_t i = begin; i < end; i++) fr_mul(c->a + 4 * i, c->a + 4 * i, c->scale);
}

int fr_ntt(uint64_t *a, size_t n, const uint64_t *tw, int inverse, int threads) {
    return fr_ntt_from(a, a, n, tw, inverse, threads);
}

int fr_ntt_from(uint64_t *a, const uint64_t *src, size_t n, const uint64_t *tw, int inverse,
                int threads) {
    if (!is_pow2(n) || log2_exact(n) > BN254_FR_TWO_ADICITY) return -1;
    if (threads <= 0) threads = zkm_default_threads();
    if (n < NTT_PAR_MIN) threads = 1;
    size_t block = n < NTT_BLOCK ? n : NTT_BLOCK;
    while (threads > 1 && block > NTT_PAR_MIN / 4 && n / block < (size_t)threads) block >>= 1;
    ntt_ctx c = {a, src, tw, n, 0, block, log2_exact(n), {0}}; /* >= one block per thread */
    zkm_parallel_for(threads, n, bitrev_range, &c);
    zkm_parallel_for(threads, n / c.block, small_stages, &c);
    for (c.m = c.block; c.m < n; c.m <<= 1) zkm_parallel_for(threads, n / 2, big_stage, &c);
    if (inverse) {
        uint64_t nn[4] = {n, 0, 0, 0};
        fr_to_mont(nn, nn);
        fr_inv(c.scale, nn);
        zkm_parallel_for(threads, n, scale_range, &c); /* [0, 4p) x 1/n -> [0, p) */
    } else {
        zkm_parallel_for(threads, n, normalize_range, &c);
    }
    return 0;
}
