/* Fr / Fq vector operations over flat (n, 4) limb arrays (Montgomery unless stated). */
#ifndef ZKM_FIELDVEC_H
#define ZKM_FIELDVEC_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
void fr_vec_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void fr_vec_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void fr_vec_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void fr_vec_neg(uint64_t *r, const uint64_t *a, size_t n);
void fr_vec_scale(uint64_t *r, const uint64_t *a, const uint64_t *s, size_t n);
void fr_vec_pow(uint64_t *r, const uint64_t *a, const uint64_t *e, size_t n);
void fr_vec_powers(uint64_t *r, const uint64_t *base, const uint64_t *start, size_t n);
void fr_vec_mul_powers(uint64_t *r, const uint64_t *a, const uint64_t *base, size_t n, int threads);
void fr_vec_inner_product(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
/* Sparse rows (CSR): r_c = sum_{row_start[c] <= k < row_start[c+1]} values[coef[k]] w[col[k]]
 * (Montgomery products) for c < n_rows, rows split over `threads`.  Returns 0, or -1
 * (r untouched) when row_start is not non-decreasing from 0 to at most nnz, or a coef
 * index is >= n_values or a col index >= n_w. */
int fr_sparse_rows(uint64_t *r, const int64_t *row_start, size_t n_rows, const int32_t *coef,
                   const int32_t *col, size_t nnz, const uint64_t *values, size_t n_values,
                   const uint64_t *w, size_t n_w, int threads);
void fr_vec_batch_inverse(uint64_t *r, const uint64_t *a, size_t n, uint64_t *scratch);
void fr_vec_to_mont(uint64_t *r, const uint64_t *a, size_t n);
void fr_vec_from_mont(uint64_t *r, const uint64_t *a, size_t n);
void fq_vec_to_mont(uint64_t *r, const uint64_t *a, size_t n);
void fq_vec_from_mont(uint64_t *r, const uint64_t *a, size_t n);
void fq_vec_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void fq_vec_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void fq_vec_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void fq_vec_inv(uint64_t *r, const uint64_t *a, size_t n);
/* CDEF END */

#endif
