/* Fixed-base multiplication template (define EC_PREFIX, NL; see msm.h).
 * Table T[j][d-1] = [d 2^(w j)] base for d in [1, 2^w), j < ceil(254 / w), affine;
 * then out_i = sum_j T[j][digit_j(k_i)] with one mixed addition per non-zero digit,
 * and a batched conversion to affine per thread. */
#define ZKM_CAT2(a, b) a##_##b
#define ZKM_CAT(a, b) ZKM_CAT2(a, b)
#define EC(name) ZKM_CAT(EC_PREFIX, name)
#define JW (3 * NL)
#define AW (2 * NL)

static unsigned EC(fb_width)(size_t n) { return n < 64 ? 4 : 8; }

static size_t EC(fb_entries)(unsigned w) {
    return (size_t)((MSM_SCALAR_BITS + w - 1) / w) * (((size_t)1 << w) - 1);
}

static size_t EC(fb_words)(size_t n) {
    size_t t = EC(fb_entries)(EC(fb_width)(n));
    return t * (JW + AW + NL) + n * (JW + NL) + 8;
}

typedef struct {
    uint64_t *out, *jac, *inv_scratch;
    const uint64_t *table, *scalars;
    unsigned w;
} EC(fb_ctx);

static void EC(fb_range)(void *vctx, size_t begin, size_t end, int tid) {
    (void)tid;
    EC(fb_ctx) *x = (EC(fb_ctx) *)vctx;
    const unsigned w = x->w, nwin = (MSM_SCALAR_BITS + w - 1) / w;
    const size_t per = ((size_t)1 << w) - 1;
    for (size_t i = begin; i < end; i++) {
        uint64_t k[4], acc[JW];
        reduce_4(k, x->scalars + 4 * i, BN254_FR_P);
        EC(jac_set_inf)(acc);
        for (unsigned j = 0; j < nwin; j++) {
            uint32_t d = scalar_bits(k, j * w, w);
            if (d) EC(jac_add_aff)(acc, acc, x->table + (j * per + d - 1) * AW);
        }
        memcpy(x->jac + i * JW, acc, JW * 8);
    }
    EC(batch_jac_to_aff)(x->out + begin * AW, x->jac + begin * JW, end - begin,
                         x->inv_scratch + begin * NL);
}

static int EC(fb_run)(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words) {
    if (EC(fb_words)(n) > scratch_words) return -1;
    if (n == 0) return 0;
    const unsigned w = EC(fb_width)(n), nwin = (MSM_SCALAR_BITS + w - 1) / w;
    const size_t per = ((size_t)1 << w) - 1, entries = EC(fb_entries)(w);
    uint64_t *tjac = scratch, *taff = tjac + entries * JW, *tinv = taff + entries * AW;
    uint64_t q[JW];
    EC(jac_from_aff)(q, base);
    for (unsigned j = 0; j < nwin; j++) {            /* q = 2^(w j) base */
        uint64_t *row = tjac + j * per * JW;
        memcpy(row, q, JW * 8);
        for (size_t d = 1; d < per; d++) EC(jac_add)(row + d * JW, row + (d - 1) * JW, q);
        for (unsigned b = 0; b < w; b++) EC(jac_dbl)(q, q);
    }
    EC(batch_jac_to_aff)(taff, tjac, entries, tinv);
    EC(fb_ctx) x = {out, tinv + entries * NL, tinv + entries * NL + n * JW, taff, scalars, w};
    if (threads <= 0) threads = zkm_default_threads();
    if (n < 64) threads = 1;
    zkm_parallel_for(threads, n, EC(fb_range), &x);
    return 0;
}

size_t ZKM_CAT(EC_PREFIX, fixed_base_scratch_size)(size_t n) { return EC(fb_words)(n); }

#undef EC
#undef JW
#undef AW
