/* Replay of a compiled witness program over Fr (see circuits/program.py for how a circuit
 * is compiled into steps).
 *
 * Memory: `w` holds `n` Fr elements (4 limbs each) in Montgomery form; every index in a
 * program or an index array must be < n.  Coefficients come as a separate table of
 * Montgomery elements (`coefs`, `n_coefs` of them).
 *
 * Program: a flat int32 array of steps, each an opcode then its operands:
 *   WVM_LIN   dst k  (src_1 coef_1) ... (src_k coef_k)   w[dst] = sum_i coefs[coef_i] w[src_i]
 *   WVM_MUL   dst a b                                    w[dst] = w[a] w[b]
 *   WVM_SOLVE dst a b rest cinv                          w[dst] = (w[a] w[b] - w[rest]) coefs[cinv]
 *   WVM_BITS  src nbits start                            w[start + j] = bit j of w[src] (standard
 *                                                        form; 0 for j >= 256), j < nbits
 *   WVM_HINT  id                                         stop: the caller computes hint `id`
 * Terms and operands are read in order; a step may read the slot it writes (the value
 * read is the old one; w[dst] is written once, after the step's arithmetic).
 * Every index is checked: a malformed program stops with an error code, never an
 * out-of-bounds access.
 */
#ifndef ZKM_WITNESS_VM_H
#define ZKM_WITNESS_VM_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
#define WVM_LIN 0
#define WVM_MUL 1
#define WVM_SOLVE 2
#define WVM_HINT 3
#define WVM_BITS 4

/* wvm_run results */
#define WVM_DONE 0          /* the program ran to its end */
#define WVM_AT_HINT 1       /* stopped after a WVM_HINT step: *hint is its id */
#define WVM_ERR_OPCODE -1   /* unknown opcode at *pc */
#define WVM_ERR_TRUNCATED -2 /* the step at *pc runs past the end of the program */
#define WVM_ERR_INDEX -3    /* the step at *pc names a slot >= n (or a negative one) */
#define WVM_ERR_COEF -4     /* the step at *pc names a coefficient >= n_coefs */
#define WVM_ERR_COUNT -5    /* the step at *pc has a negative term or bit count */

/* Run `code[*pc ..]` on `w` until the end of the program or a WVM_HINT step.  Returns
 * WVM_DONE (*pc = code_len), WVM_AT_HINT (*pc = offset of the step after the hint,
 * *hint = its id) or a WVM_ERR_* code (*pc = offset of the malformed step; the steps
 * before it have run). */
int wvm_run(uint64_t *w, size_t n, const int32_t *code, size_t code_len, size_t *pc,
            const uint64_t *coefs, size_t n_coefs, int32_t *hint);
/* w[idx[i]] = Montgomery form of (values[i] mod r), i < count; values are standard-form
 * limbs < 2^256.  Returns 0, or -1 (and writes nothing) when some idx[i] is outside
 * [0, n). */
int wvm_set(uint64_t *w, size_t n, const int32_t *idx, const uint64_t *values, size_t count);
/* out[i] = standard form of w[idx[i]], i < count.  Returns 0, or -1 (out untouched) when
 * some idx[i] is outside [0, n). */
int wvm_get(uint64_t *out, const uint64_t *w, size_t n, const int32_t *idx, size_t count);
/* CDEF END */

#endif
