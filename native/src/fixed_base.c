/* Fixed-base multiplication for G1 and G2 (template fixed_base_impl.h). */
#include "curve_inst.h"
#include "msm.h"
#include "msm_common.h"
#include "threads.h"

#define EC_PREFIX g1
#define NL 4
#include "fixed_base_impl.h"
#undef EC_PREFIX
#undef NL

#define EC_PREFIX g2
#define NL 8
#include "fixed_base_impl.h"
#undef EC_PREFIX
#undef NL

int g1_fixed_base_mul(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words) {
    return g1_fb_run(out, base, scalars, n, threads, scratch, scratch_words);
}

int g2_fixed_base_mul(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words) {
    return g2_fb_run(out, base, scalars, n, threads, scratch, scratch_words);
}
