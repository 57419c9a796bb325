/* Pippenger MSM template, instantiated for G1 and G2 in msm.c (define EC_PREFIX, NL
 * before including; curve_inst.h provides the group law).  See msm.h for the contract.
 *
 * Scratch layout (uint64 words): live reduced scalars (4 m), live point indices (m),
 * per-thread signed-digit carries (m bytes each), per-thread buckets (2^(c-1) Jacobian
 * points each) and one Jacobian sum per window. */
#define ZKM_CAT2(a, b) a##_##b
#define ZKM_CAT(a, b) ZKM_CAT2(a, b)
#define EC(name) ZKM_CAT(EC_PREFIX, name)
#define JW (3 * NL) /* words per Jacobian point */
#define AW (2 * NL) /* words per affine point */

typedef struct {
    const uint64_t *points;
    const uint64_t *ks;     /* m reduced scalars */
    const uint64_t *idx;    /* m point indices */
    uint8_t *carries;       /* threads x m */
    uint64_t *buckets;      /* threads x nb x JW */
    uint64_t *sums;         /* nwin x JW */
    size_t m, nb;
    unsigned c;
} EC(msm_ctx);

static size_t EC(msm_words)(size_t n, unsigned c, int threads) {
    size_t nb = (size_t)1 << (c - 1);
    size_t carry_words = ((size_t)threads * n + 7) / 8;
    return 5 * n + carry_words + (size_t)threads * nb * JW + msm_num_windows(2) * JW + 8;
}

/* windows [w0, w1) on one thread */
static void EC(msm_windows)(void *vctx, size_t w0, size_t w1, int tid) {
    EC(msm_ctx) *x = (EC(msm_ctx) *)vctx;
    const unsigned c = x->c;
    const uint32_t half = (uint32_t)1 << (c - 1);
    uint8_t *carry = x->carries + (size_t)tid * x->m;
    uint64_t *bk = x->buckets + (size_t)tid * x->nb * JW;
    uint64_t neg[AW];
    memset(carry, 0, x->m);
    for (size_t w = 0; w < w0; w++)      /* carries into window w0 */
        for (size_t j = 0; j < x->m; j++)
            carry[j] = scalar_bits(x->ks + 4 * j, (unsigned)w * c, c) + carry[j] > half;
    for (size_t w = w0; w < w1; w++) {
        memset(bk, 0, x->nb * JW * 8);
        for (size_t j = 0; j < x->m; j++) {
            uint32_t v = scalar_bits(x->ks + 4 * j, (unsigned)w * c, c) + carry[j];
            carry[j] = v > half;
            if (v == 0 || v == (1u << c)) continue;
            const uint64_t *pt = x->points + AW * x->idx[j];
            if (!carry[j]) {
                EC(jac_add_aff)(bk + (v - 1) * JW, bk + (v - 1) * JW, pt);
            } else {
                uint32_t d = (1u << c) - v;
                EC(aff_neg)(neg, pt);
                EC(jac_add_aff)(bk + (d - 1) * JW, bk + (d - 1) * JW, neg);
            }
        }
        /* sum_b (b + 1) bucket_b = sum of running suffix sums */
        uint64_t running[JW], total[JW];
        EC(jac_set_inf)(running);
        EC(jac_set_inf)(total);
        for (size_t b = x->nb; b-- > 0;) {
            EC(jac_add)(running, running, bk + b * JW);
            EC(jac_add)(total, total, running);
        }
        memcpy(x->sums + w * JW, total, JW * 8);
    }
}

static int EC(msm_run)(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
                       int threads, uint64_t *scratch, size_t scratch_words) {
    if (threads <= 0) threads = zkm_default_threads();
    if (threads > MSM_MAX_THREADS) threads = MSM_MAX_THREADS;
    uint64_t *ks = scratch, *idx = scratch + 4 * n;
    uint64_t ones[JW];
    EC(jac_set_inf)(ones);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k[4];
        reduce_4(k, scalars + 4 * i, BN254_FR_P);
        if (is_zero_4(k) || EC(aff_is_inf)(points + AW * i)) continue;
        if (k[0] == 1 && (k[1] | k[2] | k[3]) == 0) {
            EC(jac_add_aff)(ones, ones, points + AW * i);
            continue;
        }
        memcpy(ks + 4 * m, k, 32);
        idx[m++] = i;
    }
    uint64_t acc[JW];
    EC(jac_set_inf)(acc);
    if (m) {
        unsigned c = msm_window_bits(m);
        unsigned nw = msm_num_windows(c);
        if (m < 256) threads = 1;
        if ((size_t)threads > nw) threads = (int)nw;
        if (EC(msm_words)(n, c, threads) > scratch_words) return -1;
        EC(msm_ctx) x;
        x.points = points; x.ks = ks; x.idx = idx; x.m = m; x.c = c;
        x.nb = (size_t)1 << (c - 1);
        x.carries = (uint8_t *)(scratch + 5 * n);
        x.buckets = scratch + 5 * n + ((size_t)threads * n + 7) / 8;
        x.sums = x.buckets + (size_t)threads * x.nb * JW;
        zkm_parallel_for(threads, nw, EC(msm_windows), &x);
        for (size_t w = nw; w-- > 0;) {
            for (unsigned i = 0; i < c && !EC(jac_is_inf)(acc); i++) EC(jac_dbl)(acc, acc);
            EC(jac_add)(acc, acc, x.sums + w * JW);
        }
    }
    EC(jac_add)(acc, acc, ones);
    EC(jac_to_aff)(r, acc);
    return 0;
}

size_t ZKM_CAT(EC_PREFIX, msm_scratch_size)(size_t n, int threads) {
    if (threads <= 0) threads = zkm_default_threads();
    if (threads > MSM_MAX_THREADS) threads = MSM_MAX_THREADS;
    /* c(m) <= c(n) for m <= n (msm_window_bits is monotone) */
    return EC(msm_words)(n, msm_window_bits(n ? n : 1), threads) + 4 * JW;
}

#undef EC
#undef JW
#undef AW
