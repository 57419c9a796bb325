/* Pippenger MSM for G1 and G2 (template msm_impl.h) and the window-size rule. */
#include "msm.h"

#include "curve_inst.h"
#include "glv.h"
#include "msm_common.h"
#include "threads.h"

/* Buckets per window from which the batch-affine accumulation is used (tests lower it
 * to exercise that path on small inputs). */
static size_t msm_batch_min_buckets = 1024;

/* GLV on G1 (on by default; off for comparisons) */
static int msm_glv_enabled = 1;

/* GLV pays while the buckets are Jacobian (small n); with batch-affine buckets the
 * extra entries and smaller windows measured slower on the development machine. */
#define MSM_GLV_MAX_N ((size_t)1 << 14)
static int msm_use_glv(size_t n) { return msm_glv_enabled && n <= MSM_GLV_MAX_N; }

int msm_set_glv(int on) {
    int old = msm_glv_enabled;
    msm_glv_enabled = on != 0;
    return old;
}

size_t msm_set_batch_min_buckets(size_t nb) {
    size_t old = msm_batch_min_buckets;
    msm_batch_min_buckets = nb ? nb : 1;
    return old;
}

/* c minimising the estimated cost nwin(c) * (m madds + 2^(c-1) buckets x 2 adds ~ 3 madds);
 * monotone non-decreasing in m. */
static unsigned msm_window_override = 0;
unsigned msm_set_window_override(unsigned c) { unsigned o = msm_window_override; msm_window_override = c; return o; }

unsigned msm_window_bits_for(size_t m, unsigned bits) {
    if (msm_window_override) return msm_window_override;
    unsigned best = 2;
    double best_cost = 1e300;
    for (unsigned c = 2; c <= 20; c++) {
        double cost = (double)msm_nwin(bits, c) * ((double)m + 3.0 * (double)((size_t)1 << (c - 1)));
        if (cost < best_cost) { best_cost = cost; best = c; }
    }
    return best;
}

unsigned msm_window_bits(size_t m) { return msm_window_bits_for(m, MSM_SCALAR_BITS); }

/* window size the MSM of group g (1 or 2) uses for m non-trivial scalars */
unsigned msm_window_for(size_t m, int g) {
    return g == 1 && msm_use_glv(m) ? msm_window_bits_for(2 * m, GLV_SCALAR_BITS)
                                     : msm_window_bits(m);
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
           int threads, uint64_t *scratch, size_t scratch_words) {
    return g1_msm_run(r, points, scalars, n, threads, scratch, scratch_words);
}

int g2_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, uint64_t *scratch, size_t scratch_words) {
    return g2_msm_run(r, points, scalars, n, threads, scratch, scratch_words);
}
