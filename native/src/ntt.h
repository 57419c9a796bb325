/* Radix-2 NTT over Fr (Montgomery), in place, natural order in and out.
 *
 * A_i = sum_j a_j w^(ij), w = omega_n = 5^((r-1)/n) (inverse: w^-1 and a final 1/n).
 * Twiddles: tw has n elements, tw[m + j] = omega_{2m}^j for m = 1, 2, 4, ..., n/2 and
 * j < m (tw[0] = 1); build them once per size with fr_ntt_twiddles and reuse.
 * fr_ntt works in place; fr_ntt_from(out, in, ...) reads `in` (not modified, must not
 * overlap `out` unless equal) and writes the transform to `out`.
 */
#ifndef ZKM_NTT_H
#define ZKM_NTT_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
int fr_ntt_twiddles(uint64_t *tw, size_t n, int inverse);
int fr_ntt(uint64_t *a, size_t n, const uint64_t *tw, int inverse, int threads);
int fr_ntt_from(uint64_t *out, const uint64_t *in, size_t n, const uint64_t *tw, int inverse,
                int threads);
/* CDEF END */

#endif
