/* Pippenger MSM template, instantiated for G1 and G2 in msm.c (define EC_PREFIX, NL
 * before including; curve_inst.h provides the group law).  See msm.h for the contract.
 *
 * The scratch layout is described once, by EC(msm_layout) and EC(msm_layout_of) below;
 * the tuning comes from the msm_config argument of each call. */
#ifndef MSM_BATCH
#define MSM_BATCH 2048                /* max pending affine additions per inversion */
#endif
#ifndef MSM_PREFETCH
#define MSM_PREFETCH 8                /* entries ahead whose bucket is prefetched */
#define MSM_ALIGN4(x) (((x) + 3) & ~(size_t)3)
#endif
#ifdef EC_GLV
#define MSM_EXPAND 2
#else
#define MSM_EXPAND 1
#endif
#define ZKM_CAT2(a, b) a##_##b
#define ZKM_CAT(a, b) ZKM_CAT2(a, b)
#define EC(name) ZKM_CAT(EC_PREFIX, name)
#define JW (3 * NL) /* words per Jacobian point */
#define AW (2 * NL) /* words per affine point */

/* The scratch layout of one MSM call: word offsets into the uint64 scratch.
 *
 *   ks       N reduced scalars (4 words each; N = MSM_EXPAND n entries)
 *   idx      N point indices
 *   ext      N affine entries: G1 (P and phi(P) with GLV, signs applied; P without),
 *            G2 with the IFMA buckets (copies in 260-form, msm_ifma.h); else unused
 *   carries  threads x N signed-digit carries (bytes, padded to a multiple of 4), then
 *            threads x N int32 digits of the current window (batch-affine path)
 *   buckets  threads blocks of thread_words:
 *              jbk  nb Jacobian buckets
 *              and, with batch-affine buckets (nb >= cfg->batch_min_buckets):
 *              abk  nb affine buckets,  busy  nb flag bytes,
 *              bpts MSM_BATCH affine points,  bidx MSM_BATCH bucket indices,
 *              den, pref  MSM_BATCH field elements each (denominators, prefix products),
 *              dpts MSM_BATCH deferred points,  didx MSM_BATCH their buckets
 *   sums     one Jacobian sum per window (room for the most windows, c = 2)
 * (offsets inside a thread block are relative to the block). */
typedef struct {
    size_t ks, idx, ext, carries, buckets, sums, words;
    size_t thread_words, abk, busy, bpts, bidx, den, pref, dpts, didx;
    size_t nb;
    int batch;
} EC(msm_layout);

static EC(msm_layout) EC(msm_layout_of)(size_t n, unsigned c, int threads,
                                        const msm_config *cfg) {
    EC(msm_layout) L;
    const size_t N = MSM_EXPAND * n, T = (size_t)threads;
    L.nb = (size_t)1 << (c - 1);
    L.batch = L.nb >= cfg->batch_min_buckets;
    L.abk = L.nb * JW;
    L.busy = L.abk + L.nb * AW;
    L.bpts = L.busy + (L.nb + 7) / 8;
    L.bidx = L.bpts + MSM_BATCH * AW;
    L.den = L.bidx + MSM_BATCH;
    L.pref = L.den + MSM_BATCH * NL;
    L.dpts = L.pref + MSM_BATCH * NL;
    L.didx = L.dpts + MSM_BATCH * AW;
    L.thread_words = L.batch ? L.didx + MSM_BATCH : L.abk;
    L.ks = 0;
    L.idx = L.ks + 4 * N;
    L.ext = L.idx + N;
    L.carries = L.ext + AW * N;
    L.buckets = L.carries + (MSM_ALIGN4(T * N) + 4 * T * N + 7) / 8;
    L.sums = L.buckets + T * L.thread_words;
    L.words = L.sums + msm_num_windows(2) * JW + 8;
    return L;
}

typedef struct {
    const uint64_t *points;
    const uint64_t *ks;     /* m reduced scalars */
    const uint64_t *idx;    /* m point indices */
    uint8_t *carries;       /* threads x N signed-digit carries */
    int32_t *digits;        /* threads x N digits of the current window (batch path) */
    uint64_t *buckets;      /* threads blocks of L->thread_words */
    uint64_t *sums;         /* nwin x JW */
    const EC(msm_layout) *L;
    size_t m, N, nb, batch; /* batch: pending affine additions per inversion */
    unsigned c, bits;       /* window bits; scalar bits (254, or 130 after GLV) */
    int ifma;               /* batch-affine buckets on eight lanes, points in 260-form */
    void *ifma_buf;         /* threads x (den, pref) of ifma_bytes each (64-byte aligned) */
    size_t ifma_bytes;
} EC(msm_ctx);

#if NL == 4
#define MSM_IFMA_SFX g1
#else
#define MSM_IFMA_SFX g2
#endif

/* Affine additions B_i += P_i for a batch of k pending (bucket, point) pairs with
 * distinct buckets and x(B_i) != x(P_i): one inversion for all denominators. */
static void EC(batch_flush)(uint64_t *abk, uint8_t *busy, size_t k, const uint64_t *bidx,
                            const uint64_t *bpts, uint64_t *den, uint64_t *pref) {
    uint64_t acc[NL], inv[NL], dinv[NL], lam[NL], x3[NL], t[NL];
    if (!k) return;
    ZKM_CAT(FE_PREFIX, set_one)(acc);
    for (size_t i = 0; i < k; i++) {
        const uint64_t *B = abk + bidx[i] * AW;
        ZKM_CAT(FE_PREFIX, sub)(den + i * NL, bpts + i * AW, B);
        ZKM_CAT(FE_PREFIX, copy)(pref + i * NL, acc);
        ZKM_CAT(FE_PREFIX, mul)(acc, acc, den + i * NL);
    }
    ZKM_CAT(FE_PREFIX, inv)(inv, acc);
    for (size_t i = k; i-- > 0;) {
        uint64_t *B = abk + bidx[i] * AW;
        const uint64_t *Pt = bpts + i * AW;
        ZKM_CAT(FE_PREFIX, mul)(dinv, inv, pref + i * NL);
        ZKM_CAT(FE_PREFIX, mul)(inv, inv, den + i * NL);
        ZKM_CAT(FE_PREFIX, sub)(lam, Pt + NL, B + NL);
        ZKM_CAT(FE_PREFIX, mul)(lam, lam, dinv);          /* lambda = (y2 - y1)/(x2 - x1) */
        ZKM_CAT(FE_PREFIX, sqr)(x3, lam);
        ZKM_CAT(FE_PREFIX, sub)(x3, x3, B);
        ZKM_CAT(FE_PREFIX, sub)(x3, x3, Pt);               /* x3 = lambda^2 - x1 - x2 */
        ZKM_CAT(FE_PREFIX, sub)(t, B, x3);
        ZKM_CAT(FE_PREFIX, mul)(t, t, lam);
        ZKM_CAT(FE_PREFIX, sub)(B + NL, t, B + NL);        /* y3 = lambda (x1 - x3) - y1 */
        ZKM_CAT(FE_PREFIX, copy)(B, x3);
        busy[bidx[i]] = 0;
    }
}

/* batch_flush on the kernel the MSM uses (den52, pref52: the eight-lane scratch) */
static inline void EC(flush)(const EC(msm_ctx) *x, uint64_t *abk, uint8_t *busy, size_t k,
                             const uint64_t *bidx, const uint64_t *bpts, uint64_t *den,
                             uint64_t *pref, void *den52, void *pref52) {
#ifdef ZKM_HAVE_IFMA
    if (x->ifma) {
        ZKM_CAT(msm_flush_ifma, MSM_IFMA_SFX)(abk, busy, k, bidx, bpts, (fe52 *)den52,
                                              (fe52 *)pref52);
        return;
    }
#endif
    (void)x; (void)den52; (void)pref52;
    EC(batch_flush)(abk, busy, k, bidx, bpts, den, pref);
}

/* Bucket sums of window w into x->sums[w] (Jacobian buckets jbk, plus affine abk if any). */
static void EC(window_reduce)(EC(msm_ctx) *x, size_t w, uint64_t *jbk, const uint64_t *abk) {
    uint64_t running[JW], total[JW], b[JW];
    EC(jac_set_inf)(running);
    EC(jac_set_inf)(total);
    for (size_t i = x->nb; i-- > 0;) {
        if (abk && EC(jac_is_inf)(jbk + i * JW)) {
            EC(jac_add_aff)(running, running, abk + i * AW);
        } else if (abk) {
            EC(jac_add_aff)(b, jbk + i * JW, abk + i * AW);
            EC(jac_add)(running, running, b);
        } else {
            EC(jac_add)(running, running, jbk + i * JW);
        }
        EC(jac_add)(total, total, running);
    }
    memcpy(x->sums + w * JW, total, JW * 8);
}

/* One window with batch-affine buckets: a pending affine addition per bucket at most;
 * a point whose bucket is busy (or has the same x) goes to the Jacobian bucket. */
/* Queue P for B_b += P (batch-affine) or, when that cannot be done now, store it in an
 * empty bucket / add it to the Jacobian bucket.  Returns 1 when the batch is full. */
static inline int EC(batch_push)(EC(msm_ctx) *x, size_t b, const uint64_t *pt, size_t *k,
                                 uint64_t *jbk, uint64_t *abk, uint8_t *busy, uint64_t *bpts,
                                 uint64_t *bidx) {
    uint64_t *B = abk + b * AW;
    if (!busy[b] && EC(aff_is_inf)(B)) {                  /* empty bucket: just store */
        memcpy(B, pt, AW * 8);
        return 0;
    }
    if (busy[b] || ZKM_CAT(FE_PREFIX, eq)(B, pt)) {       /* same x: doubling/cancel */
#ifdef ZKM_HAVE_IFMA
        if (x->ifma) {                                    /* 260-form -> 256-form */
            uint64_t q[AW];
            for (int w = 0; w < AW; w += 4) fq_mul(q + w, pt + w, MSM_FQ_DIV16);
            EC(jac_add_aff)(jbk + b * JW, jbk + b * JW, q);
            return 0;
        }
#endif
        EC(jac_add_aff)(jbk + b * JW, jbk + b * JW, pt);
        return 0;
    }
    memcpy(bpts + *k * AW, pt, AW * 8);
    busy[b] = 1;
    bidx[(*k)++] = b;
    return *k == x->batch;
}

/* One window with batch-affine buckets: at most one pending affine addition per bucket
 * per batch; a point whose bucket is busy waits (deferred) for the next batch, or goes
 * to the Jacobian bucket when the deferred list is full or it has the bucket's x. */
static void EC(msm_window_batch)(EC(msm_ctx) *x, size_t w, uint8_t *carry, int32_t *dig,
                                 uint64_t *block, void *den52, void *pref52) {
    const unsigned c = x->c;
    const uint32_t half = (uint32_t)1 << (c - 1);
    const EC(msm_layout) *L = x->L;
    uint64_t *jbk = block, *abk = block + L->abk, *bpts = block + L->bpts;
    uint64_t *bidx = block + L->bidx, *den = block + L->den, *pref = block + L->pref;
    uint64_t *dpts = block + L->dpts, *didx = block + L->didx;
    uint8_t *busy = (uint8_t *)(block + L->busy);
    size_t k = 0, nd = 0;
    uint64_t pt[AW];
    memset(abk, 0, x->nb * AW * 8);
    memset(busy, 0, x->nb);
    for (size_t j = 0; j < x->m; j++) {               /* this window's signed digits */
        uint32_t v = scalar_bits(x->ks + 4 * j, (unsigned)w * c, c) + carry[j];
        carry[j] = v > half;
        dig[j] = carry[j] ? (int32_t)v - (int32_t)(1u << c) : (int32_t)v;
    }
    for (size_t j = 0; j < x->m; j++) {
        if (j + MSM_PREFETCH < x->m && dig[j + MSM_PREFETCH]) {   /* hide bucket misses */
            int32_t dn = dig[j + MSM_PREFETCH];
            __builtin_prefetch(abk + (size_t)((dn < 0 ? -dn : dn) - 1) * AW);
        }
        int32_t d = dig[j];
        if (d == 0) continue;
        size_t b = (size_t)(d < 0 ? -d : d) - 1;
        memcpy(pt, x->points + AW * x->idx[j], AW * 8);
        if (d < 0) ZKM_CAT(FE_PREFIX, neg)(pt + NL, pt + NL);
        if (busy[b] && nd < x->batch) {                    /* defer to the next batch */
            memcpy(dpts + nd * AW, pt, AW * 8);
            didx[nd++] = b;
            continue;
        }
        if (!EC(batch_push)(x, b, pt, &k, jbk, abk, busy, bpts, bidx)) continue;
        EC(flush)(x, abk, busy, k, bidx, bpts, den, pref, den52, pref52);
        k = 0;
        for (size_t e = 0; e < nd; e++)                    /* retry the deferred points */
            if (EC(batch_push)(x, didx[e], dpts + e * AW, &k, jbk, abk, busy, bpts, bidx)) {
                EC(flush)(x, abk, busy, k, bidx, bpts, den, pref, den52, pref52);
                k = 0;
            }
        nd = 0;
    }
    EC(flush)(x, abk, busy, k, bidx, bpts, den, pref, den52, pref52);
    k = 0;
    for (size_t e = 0; e < nd; e++)
        if (EC(batch_push)(x, didx[e], dpts + e * AW, &k, jbk, abk, busy, bpts, bidx)) {
            EC(flush)(x, abk, busy, k, bidx, bpts, den, pref, den52, pref52);
            k = 0;
        }
    EC(flush)(x, abk, busy, k, bidx, bpts, den, pref, den52, pref52);
#ifdef ZKM_HAVE_IFMA
    if (x->ifma) ZKM_CAT(msm_convert, MSM_IFMA_SFX)(abk, x->nb, msm_fq52()->from260);
#endif
    EC(window_reduce)(x, w, jbk, abk);
}

/* windows [w0, w1) on one thread */
static void EC(msm_windows)(void *vctx, size_t w0, size_t w1, int tid) {
    EC(msm_ctx) *x = (EC(msm_ctx) *)vctx;
    const unsigned c = x->c;
    const uint32_t half = (uint32_t)1 << (c - 1);
    uint8_t *carry = x->carries + (size_t)tid * x->N;
    uint64_t *bk = x->buckets + (size_t)tid * x->L->thread_words;
    uint64_t neg[AW];
    void *den52 = NULL, *pref52 = NULL;
    if (x->ifma) {
        den52 = (char *)x->ifma_buf + 2 * (size_t)tid * x->ifma_bytes;
        pref52 = (char *)den52 + x->ifma_bytes;
    }
    memset(carry, 0, x->m);
    for (size_t w = 0; w < w0; w++) /* carries into window w0 */
        for (size_t j = 0; j < x->m; j++)
            carry[j] = scalar_bits(x->ks + 4 * j, (unsigned)w * c, c) + carry[j] > half;
    for (size_t w = w0; w < w1; w++) {
        memset(bk, 0, x->nb * JW * 8);
        if (x->L->batch) {
            EC(msm_window_batch)(x, w, carry, x->digits + (size_t)tid * x->N, bk, den52, pref52);
            continue;
        }
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
        EC(window_reduce)(x, w, bk, NULL);
    }
}

/* Select the non-trivial terms: drop k = 0 and infinity, add k = 1 directly into `ones`,
 * keep the rest as (reduced scalar, point) entries; with GLV each becomes two entries
 * (|k1|, +-P) and (|k2|, +-phi(P)) in `ext`.  Returns the number of entries. */
static size_t EC(msm_select)(uint64_t *ks, uint64_t *idx, uint64_t *ext, uint64_t *ones,
                             const uint64_t *points, const uint64_t *scalars, size_t n, int glv) {
    size_t m = 0;
    (void)ext;
    for (size_t i = 0; i < n; i++) {
        uint64_t k[4];
        const uint64_t *pt = points + AW * i;
        reduce_4(k, scalars + 4 * i, BN254_FR_P);
        if (is_zero_4(k) || EC(aff_is_inf)(pt)) continue;
        if (k[0] == 1 && (k[1] | k[2] | k[3]) == 0) {
            EC(jac_add_aff)(ones, ones, pt);
            continue;
        }
#if MSM_EXPAND > 1
        if (!glv) {
            memcpy(ks + 4 * m, k, 32);
            memcpy(ext + AW * m, pt, AW * 8);
            idx[m] = m;
            m++;
            continue;
        }
        int s = glv_split(ks + 4 * m, ks + 4 * (m + 1), k);
        uint64_t *e = ext + AW * m;
        memcpy(e, pt, AW * 8);
        if (s & 1) ZKM_CAT(FE_PREFIX, neg)(e + NL, e + NL);
        ZKM_CAT(FE_PREFIX, mul)(e + AW, pt, BN254_GLV_BETA_MONT);    /* phi(P) = (beta x, y) */
        memcpy(e + AW + NL, pt + NL, NL * 8);
        if (s & 2) ZKM_CAT(FE_PREFIX, neg)(e + AW + NL, e + AW + NL);
        idx[m] = m;
        idx[m + 1] = m + 1;
        m += 2;
#else
        memcpy(ks + 4 * m, k, 32);
        idx[m++] = i;
#endif
    }
    return m;
}

static int EC(msm_run)(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
                       int threads, const msm_config *cfg_in, uint64_t *scratch,
                       size_t scratch_words) {
    msm_config cfg;
    if (!msm_config_resolve(&cfg, cfg_in)) return -1;
    if (threads <= 0) threads = zkm_default_threads();
    if (threads > MSM_MAX_THREADS) threads = MSM_MAX_THREADS;
    /* the selection fills ks, idx and ext before c is known: their offsets depend on
     * neither c nor the thread count */
    const EC(msm_layout) L0 = EC(msm_layout_of)(n, 2, 1, &cfg);
    if (L0.carries > scratch_words) return -1;
    uint64_t ones[JW], acc[JW];
    EC(jac_set_inf)(ones);
    EC(jac_set_inf)(acc);
    const int glv = MSM_EXPAND > 1 && msm_use_glv(n, &cfg);
    uint64_t *ks = scratch + L0.ks, *idx = scratch + L0.idx;
    uint64_t *ext = MSM_EXPAND > 1 ? scratch + L0.ext : NULL;
    size_t m = EC(msm_select)(ks, idx, ext, ones, points, scalars, n, glv);
    if (m) {
        const unsigned bits = glv ? GLV_SCALAR_BITS : MSM_SCALAR_BITS;
        unsigned c = msm_window_bits_for(m, bits, &cfg);
        unsigned nw = msm_nwin(bits, c);
        if (m < 256) threads = 1;
        if ((size_t)threads > nw) threads = (int)nw;
        const EC(msm_layout) L = EC(msm_layout_of)(n, c, threads, &cfg);
        if (L.words > scratch_words) return -1;
        EC(msm_ctx) x;
        x.points = MSM_EXPAND > 1 ? ext : points;
        x.ks = ks; x.idx = idx; x.m = m; x.N = MSM_EXPAND * n; x.c = c; x.bits = bits;
        x.L = &L;
        x.nb = L.nb;
        x.batch = x.nb / 4 < 256 ? 256 : (x.nb / 4 > MSM_BATCH ? MSM_BATCH : x.nb / 4);
        x.ifma = 0;
        x.ifma_buf = NULL;
        x.ifma_bytes = 0;
#ifdef ZKM_HAVE_IFMA
        if (L.batch && zkm_use_ifma) {
            x.ifma_bytes = ((x.batch + 7) / 8) * sizeof(fe52);  /* a multiple of 64 */
            x.ifma_buf = aligned_alloc(64, 2 * (size_t)threads * x.ifma_bytes);
        }
        if (x.ifma_buf) {                                /* else (no memory) the scalar kernel */
            uint64_t *e = scratch + L.ext;
            if (x.points != e) {                         /* G2: copy the selected points */
                for (size_t j = 0; j < m; j++) memcpy(e + AW * j, points + AW * idx[j], AW * 8);
                for (size_t j = 0; j < m; j++) idx[j] = j;
                x.points = e;
            }
            ZKM_CAT(msm_convert, MSM_IFMA_SFX)(e, m, msm_fq52()->to260);
            x.ifma = 1;
        }
#endif
        x.carries = (uint8_t *)(scratch + L.carries);
        x.digits = (int32_t *)(x.carries + MSM_ALIGN4((size_t)threads * x.N));
        x.buckets = scratch + L.buckets;
        x.sums = scratch + L.sums;
        zkm_parallel_for(threads, nw, EC(msm_windows), &x);
        free(x.ifma_buf);
        for (size_t w = nw; w-- > 0;) {
            for (unsigned i = 0; i < c && !EC(jac_is_inf)(acc); i++) EC(jac_dbl)(acc, acc);
            EC(jac_add)(acc, acc, x.sums + w * JW);
        }
    }
    EC(jac_add)(acc, acc, ones);
    EC(jac_to_aff)(r, acc);
    return 0;
}

/* Words for any m <= n entries: the layout grows with c and c(m) <= c(n) (monotone);
 * the larger of the GLV (2n entries of 130 bits) and plain (n of 254 bits) forms. */
size_t ZKM_CAT(EC_PREFIX, msm_scratch_size)(size_t n, int threads, const msm_config *cfg_in) {
    msm_config cfg;
    if (!msm_config_resolve(&cfg, cfg_in)) return 0;
    if (threads <= 0) threads = zkm_default_threads();
    if (threads > MSM_MAX_THREADS) threads = MSM_MAX_THREADS;
    unsigned c1 = msm_window_bits_for(n ? MSM_EXPAND * n : 1, GLV_SCALAR_BITS, &cfg);
    unsigned c2 = msm_window_bits_for(n ? n : 1, MSM_SCALAR_BITS, &cfg);
    size_t w1 = EC(msm_layout_of)(n, c1, threads, &cfg).words;
    size_t w2 = EC(msm_layout_of)(n, c2, threads, &cfg).words;
    return w1 > w2 ? w1 : w2;
}

#undef EC
#undef JW
#undef AW
#undef MSM_EXPAND
#undef MSM_IFMA_SFX
