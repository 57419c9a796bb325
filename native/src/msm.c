/* Pippenger MSM for G1 and G2 (template msm_impl.h) and the window-size rule. */
#include "msm.h"

#include <pthread.h>

#include "curve_inst.h"
#include "glv.h"
#include "msm_common.h"
#include "msm_ifma.h"
#include "threads.h"

#ifdef ZKM_HAVE_IFMA
static msm_fq52_consts msm_fq52_c;
static pthread_once_t msm_fq52_once = PTHREAD_ONCE_INIT;

static void msm_fq52_init(void) {
    msm_fq52_consts *C = &msm_fq52_c;
    uint64_t r[4] = {1, 0, 0, 0};
    v52_field_init(&C->f, BN254_FQ_P);
    for (int i = 1; i <= 264; i++) {                     /* 2^i mod p by doubling */
        uint64_t d[4];
        add_nored_4(d, r, r);
        reduce_4(r, d, BN254_FQ_P);
        if (i == 256) v52_split(C->from260, r);
        if (i == 260) memcpy(C->one260, r, 32);
    }
    v52_split(C->to260, r);
}

const msm_fq52_consts *msm_fq52(void) {
    pthread_once(&msm_fq52_once, msm_fq52_init);
    return &msm_fq52_c;
}
#endif

/* The defaults depend on the kernel: with the eight-lane IFMA batch additions (about
 * 0.6 of a scalar mixed addition, measured) batch-affine buckets pay from 512 buckets
 * and GLV at every size; on the scalar kernels from 1024 buckets, GLV up to 2^14. */
void msm_config_default(msm_config *cfg) {
    cfg->glv = 1;
    cfg->glv_max_n = zkm_use_ifma ? (size_t)-1 : (size_t)1 << 14;
    cfg->batch_min_buckets = zkm_use_ifma ? 512 : 1024;
    cfg->window_bits = 0;
}

/* cfg or the defaults; 0 when cfg is invalid */
int msm_config_resolve(msm_config *out, const msm_config *cfg) {
    if (!cfg) {
        msm_config_default(out);
        return 1;
    }
    *out = *cfg;
    if (out->window_bits && (out->window_bits < 2 || out->window_bits > 20)) return 0;
    if (!out->batch_min_buckets) out->batch_min_buckets = 1;
    return 1;
}

/* GLV pays while the buckets are Jacobian (small n); with batch-affine buckets the
 * extra entries and smaller windows measured slower on the development machine. */
int msm_use_glv(size_t n, const msm_config *cfg) { return cfg->glv && n <= cfg->glv_max_n; }

/* c minimising the estimated cost nwin(c) * (a m madds + 2^(c-1) buckets x 2 adds ~ 3
 * madds), a = 0.6 where the window's buckets are batch-affine on the IFMA kernel, else 1.
 * Monotone non-decreasing in m: the slope nwin(c) a(c) does not increase with c. */
unsigned msm_window_bits_for(size_t m, unsigned bits, const msm_config *cfg) {
    if (cfg->window_bits) return cfg->window_bits;
    unsigned best = 2;
    double best_cost = 1e300;
    for (unsigned c = 2; c <= 20; c++) {
        const size_t nb = (size_t)1 << (c - 1);
        const double a = zkm_use_ifma && nb >= cfg->batch_min_buckets ? 0.6 : 1.0;
        double cost = (double)msm_nwin(bits, c) * (a * (double)m + 3.0 * (double)nb);
        if (cost < best_cost) { best_cost = cost; best = c; }
    }
    return best;
}

/* window size the MSM of group g (1 or 2) uses for m non-trivial scalars */
unsigned msm_window_for(size_t m, int g, const msm_config *cfg) {
    msm_config c;
    if (!msm_config_resolve(&c, cfg)) return 0;
    return g == 1 && msm_use_glv(m, &c) ? msm_window_bits_for(2 * m, GLV_SCALAR_BITS, &c)
                                        : msm_window_bits_for(m, MSM_SCALAR_BITS, &c);
}

int g1_glv_decompose(uint64_t *out, const uint64_t *k) {
    uint64_t kr[4];
    reduce_4(kr, k, BN254_FR_P);
    return glv_split(out, out + 4, kr);
}

#define EC_PREFIX g1
#define FE_PREFIX fq
#define NL 4
#define EC_GLV 1
#include "msm_impl.h"
#undef EC_GLV
#undef EC_PREFIX
#undef FE_PREFIX
#undef NL

#define EC_PREFIX g2
#define FE_PREFIX fq2
#define NL 8
#include "msm_impl.h"
#undef EC_PREFIX
#undef FE_PREFIX
#undef NL

int g1_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, const msm_config *cfg, uint64_t *scratch, size_t scratch_words) {
    return g1_msm_run(r, points, scalars, n, threads, cfg, scratch, scratch_words);
}

int g2_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, const msm_config *cfg, uint64_t *scratch, size_t scratch_words) {
    return g2_msm_run(r, points, scalars, n, threads, cfg, scratch, scratch_words);
}
