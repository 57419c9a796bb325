/* Multi-scalar multiplication sum_i [k_i] P_i on G1 and G2 (Pippenger).
 *
 * points: n affine Montgomery points (G1 8 limbs, G2 16; infinity = zeros);
 * scalars: n x 4 limbs, plain integers < 2^256 taken mod r; result: one affine point.
 * Signed c-bit windows (digits in [-2^(c-1), 2^(c-1)], 2^(c-1) buckets), c from
 * msm_window_for(m, g) where m counts the scalars that are neither 0 nor 1 (0 is
 * skipped, 1 is a single mixed addition).  G1 uses the GLV endomorphism: each term
 * becomes two with ~128-bit scalars (g1_glv_decompose).  Buckets are accumulated in
 * batch-affine form (one inversion per batch) once a window has >= 1024 buckets.
 * Windows are spread over `threads` threads
 * (<= 0: all online CPUs).  scratch: *_msm_scratch_size(n, threads) uint64 words.
 * Returns 0, or -1 when the scratch is too small.
 *
 * Fixed base: out_i = [k_i mod r] base for i < n (affine), with a table of
 * [d 2^(w j)] base, d < 2^w, computed into the scratch; *_fixed_base_scratch_size(n).
 */
#ifndef ZKM_MSM_H
#define ZKM_MSM_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
unsigned msm_window_bits(size_t m);
size_t msm_set_batch_min_buckets(size_t nb);
unsigned msm_set_window_override(unsigned c);
unsigned msm_window_for(size_t m, int g);
int msm_set_glv(int on);
int g1_glv_decompose(uint64_t *out, const uint64_t *k);
size_t g1_msm_scratch_size(size_t n, int threads);
size_t g2_msm_scratch_size(size_t n, int threads);
int g1_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, uint64_t *scratch, size_t scratch_words);
int g2_msm(uint64_t *r, const uint64_t *points, const uint64_t *scalars, size_t n,
           int threads, uint64_t *scratch, size_t scratch_words);
size_t g1_fixed_base_scratch_size(size_t n);
size_t g2_fixed_base_scratch_size(size_t n);
int g1_fixed_base_mul(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words);
int g2_fixed_base_mul(uint64_t *out, const uint64_t *base, const uint64_t *scalars, size_t n,
                      int threads, uint64_t *scratch, size_t scratch_words);
/* CDEF END */

#endif
