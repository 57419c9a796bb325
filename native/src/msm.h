/* Multi-scalar multiplication sum_i [k_i] P_i on G1 and G2 (Pippenger).
 *
 * points: n affine Montgomery points (G1 8 limbs, G2 16; infinity = zeros);
 * scalars: n x 4 limbs, plain integers < 2^256 taken mod r; result: one affine point.
 * Signed c-bit windows (digits in [-2^(c-1), 2^(c-1)], 2^(c-1) buckets), c from
 * msm_window_for(m, g, cfg) where m counts the scalars that are neither 0 nor 1 (0 is
 * skipped, 1 is a single mixed addition).  G1 uses the GLV endomorphism: each term
 * becomes two with ~128-bit scalars (g1_glv_decompose).  Buckets are accumulated in
 * batch-affine form (one inversion per batch) once a window has >= 1024 buckets (512
 * where the CPU has AVX-512 IFMA: those additions then run on eight lanes, msm_ifma.h).
 * Windows are spread over `threads` threads
 * (<= 0: all online CPUs).  scratch: *_msm_scratch_size(n, threads, cfg) uint64 words
 * (the same cfg).  The tuning (GLV, batch-affine threshold, window size) is the cfg
 * argument of each call: no process-wide state.  Returns 0, or -1 when the scratch is
 * too small or cfg is invalid.
 *
 * Fixed base: out_i = [k_i mod r] base for i < n (affine), with a table of
 * [d 2^(w j)] base, d < 2^w, computed into the scratch; *_fixed_base_scratch_size(n).
 */
#ifndef ZKM_MSM_H
#define ZKM_MSM_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
/* Tuning of one MSM call (NULL: the defaults of msm_config_default). */
typedef struct {
    int glv;                  /* G1: split with the GLV endomorphism when n <= glv_max_n */
    size_t glv_max_n;         /* default: every n with IFMA, else 2^14 (measured) */
    size_t batch_min_buckets; /* batch-affine buckets from this many per window (512 / 1024) */
    unsigned window_bits;     /* 0: chosen from the size; else this window size, 2..20 */
} msm_config;
void msm_config_default(msm_config *cfg);
unsigned msm_window_for(size_t m, int g, const msm_config *cfg);
int g1_glv_decompose(uint64_t *out, const uint64_t *k);
size_t g1_msm_scratch_size(size_t n, int threads, const msm_config *cfg);
size_t g2_msm_scratch_size(size_t n, int threads, const msm_config *cfg);
int g1_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, const msm_config *cfg, uint64_t *scratch, size_t scratch_words);
int g2_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, const msm_config *cfg, uint64_t *scratch, size_t scratch_words);
size_t g1_fixed_base_scratch_size(size_t n);
size_t g2_fixed_base_scratch_size(size_t n);
int g1_fixed_base_mul(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words);
int g2_fixed_base_mul(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words);
/* CDEF END */

#endif
