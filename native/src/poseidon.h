/* circomlib Poseidon over Fr (x^5 S-box, R_F = 8 full rounds), widths t = 2..17, batched.
 *
 * The round constants and matrices come from Python as one flat "plan" of Montgomery
 * elements (native.poseidon.plan_limbs(t), layout below), and for the IFMA kernel the
 * same plan in radix 2^52 (native.poseidon.plan52_limbs(t)); the kernel holds no tables.
 *
 * plan (elements of 4 limbs):  full[8][t]  |  mds[t][t]  |  pre[t][t]  |  partial[r_p][2t]
 *   full rounds 0..3: s += full[r]; s_i = s_i^5 (all i); s = M s (round 3: s = pre s)
 *   partial round j:  s_0 = (s_0 + k)^5; s'_0 = n00 s_0 + sum_i w_i s_i; s'_i = s_i + v_i s_0
 *                     with partial[j] = (k, n00, w_1..w_{t-1}, v_1..v_{t-1})
 *   full rounds 4..7: as 0..3 with M; the output is s_0 of the last round.
 */
#ifndef ZKM_POSEIDON_H
#define ZKM_POSEIDON_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
/* Number of 4-limb elements in the plan of width t with r_p partial rounds. */
size_t poseidon_plan_elements(int t, int r_p);
/* out[i] = H(in[i][0..t-2]) for i < n: `in` is (n, t-1, 4) standard-form limbs (any value
 * < 2^256, meaning x mod r), `out` (n, 4) standard form.  plan52: the same plan in the
 * IFMA kernel's form (plan_elements x 5 limbs: c 2^260 mod r in radix 2^52), used where
 * the IFMA kernel is on; NULL for the scalar kernel.  Returns 0, or -1 when t is outside
 * 2..17, r_p < 1 or plan_elements differs from poseidon_plan_elements(t, r_p). */
int poseidon_batch(uint64_t *out, const uint64_t *in, size_t n, int t, int r_p,
                   const uint64_t *plan, const uint64_t *plan52, size_t plan_elements,
                   int threads);
/* CDEF END */

#endif
