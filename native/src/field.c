/* Vector operations over Fr / Fq arrays (see fieldvec.h). */
#include "field.h"
#include "fieldvec.h"
#include "threads.h"

#define VEC2(NAME, OP)                                                                  \
    void NAME(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n) {            \
        for (size_t i = 0; i < n; i++) OP(r + 4 * i, a + 4 * i, b + 4 * i);             \
    }
#define VEC1(NAME, OP)                                                                  \
    void NAME(uint64_t *r, const uint64_t *a, size_t n) {                               \
        for (size_t i = 0; i < n; i++) OP(r + 4 * i, a + 4 * i);                        \
    }

VEC2(fr_vec_add, fr_add)
VEC2(fr_vec_sub, fr_sub)
VEC2(fr_vec_mul, fr_mul)
VEC1(fr_vec_neg, fr_neg)
VEC1(fr_vec_from_mont, fr_from_mont)
VEC1(fq_vec_from_mont, fq_from_mont)

/* Standard -> Montgomery for any input < 2^256 (reduced first). */
static inline void fr_to_mont_any(uint64_t *r, const uint64_t *a) {
    reduce_4(r, a, BN254_FR_P);
    fr_to_mont(r, r);
}
static inline void fq_to_mont_any(uint64_t *r, const uint64_t *a) {
    reduce_4(r, a, BN254_FQ_P);
    fq_to_mont(r, r);
}
VEC1(fr_vec_to_mont, fr_to_mont_any)
VEC1(fq_vec_to_mont, fq_to_mont_any)
VEC2(fq_vec_add, fq_add)
VEC2(fq_vec_sub, fq_sub)
VEC2(fq_vec_mul, fq_mul)
VEC1(fq_vec_inv, fq_inv)

void fr_vec_scale(uint64_t *r, const uint64_t *a, const uint64_t *s, size_t n) {
    uint64_t sc[4];
    fr_copy(sc, s);
    for (size_t i = 0; i < n; i++) fr_mul(r + 4 * i, a + 4 * i, sc);
}

/* r_i = a_i^e, e a standard 4-limb exponent. */
void fr_vec_pow(uint64_t *r, const uint64_t *a, const uint64_t *e, size_t n) {
    for (size_t i = 0; i < n; i++)
        mont_pow_4(r + 4 * i, a + 4 * i, e, BN254_FR_P, BN254_FR_N0, BN254_FR_ONE_MONT);
}

/* r_i = start * base^i */
void fr_vec_powers(uint64_t *r, const uint64_t *base, const uint64_t *start, size_t n) {
    uint64_t acc[4], b[4];
    fr_copy(acc, start);
    fr_copy(b, base);
    for (size_t i = 0; i < n; i++) {
        fr_copy(r + 4 * i, acc);
        fr_mul(acc, acc, b);
    }
}

typedef struct {
    uint64_t *r;
    const uint64_t *a, *base;
} mul_powers_ctx;

static void mul_powers_range(void *vctx, size_t begin, size_t end, int tid) {
    (void)tid;
    mul_powers_ctx *c = (mul_powers_ctx *)vctx;
    uint64_t acc[4], e[4] = {begin, 0, 0, 0};
    mont_pow_4(acc, c->base, e, BN254_FR_P, BN254_FR_N0, BN254_FR_ONE_MONT);
    for (size_t i = begin; i < end; i++) {
        fr_mul(c->r + 4 * i, c->a + 4 * i, acc);
        fr_mul(acc, acc, c->base);
    }
}

/* r_i = a_i * base^i (coset scaling), split over threads. */
void fr_vec_mul_powers(uint64_t *r, const uint64_t *a, const uint64_t *base, size_t n, int threads) {
    uint64_t b[4];
    fr_copy(b, base);
    mul_powers_ctx c = {r, a, b};
    if (n < 4096) threads = 1;
    zkm_parallel_for(threads, n, mul_powers_range, &c);
}

void fr_vec_inner_product(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n) {
    uint64_t acc[4] = {0, 0, 0, 0}, t[4];
    for (size_t i = 0; i < n; i++) {
        fr_mul(t, a + 4 * i, b + 4 * i);
        fr_add(acc, acc, t);
    }
    fr_copy(r, acc);
}

typedef struct {
    uint64_t *r;
    const int64_t *row_start;
    const int32_t *coef, *col;
    const uint64_t *values, *w;
} sparse_ctx;

static void sparse_range(void *arg, size_t begin, size_t end, int tid) {
    (void)tid;
    const sparse_ctx *c = (const sparse_ctx *)arg;
    for (size_t row = begin; row < end; row++) {
        uint64_t acc[4] = {0, 0, 0, 0}, t[4];
        for (int64_t k = c->row_start[row]; k < c->row_start[row + 1]; k++) {
            fr_mul(t, c->values + 4 * (size_t)c->coef[k], c->w + 4 * (size_t)c->col[k]);
            fr_add(acc, acc, t);
        }
        fr_copy(c->r + 4 * row, acc);
    }
}

int fr_sparse_rows(uint64_t *r, const int64_t *row_start, size_t n_rows, const int32_t *coef,
                   const int32_t *col, size_t nnz, const uint64_t *values, size_t n_values,
                   const uint64_t *w, size_t n_w, int threads) {
    if (row_start[0] != 0) return -1;
    for (size_t i = 0; i < n_rows; i++)
        if (row_start[i + 1] < row_start[i] || (uint64_t)row_start[i + 1] > nnz) return -1;
    for (size_t k = 0; k < (size_t)row_start[n_rows]; k++)
        if (coef[k] < 0 || (size_t)coef[k] >= n_values || col[k] < 0 || (size_t)col[k] >= n_w)
            return -1;
    sparse_ctx c = {r, row_start, coef, col, values, w};
    if (n_rows < 4096) threads = 1;
    zkm_parallel_for(threads, n_rows, sparse_range, &c);
    return 0;
}

/* Montgomery's trick: one inversion for the whole vector; zeros map to zero.
 * scratch: 4 n limbs (prefix products). r may alias a. */
void fr_vec_batch_inverse(uint64_t *r, const uint64_t *a, size_t n, uint64_t *scratch) {
    uint64_t acc[4], inv[4], t[4];
    fr_set_one(acc);
    for (size_t i = 0; i < n; i++) {
        fr_copy(scratch + 4 * i, acc);
        if (!fr_is_zero(a + 4 * i)) fr_mul(acc, acc, a + 4 * i);
    }
    fr_inv(inv, acc);
    for (size_t i = n; i-- > 0;) {
        if (fr_is_zero(a + 4 * i)) {
            fr_set_zero(r + 4 * i);
            continue;
        }
        fr_mul(t, inv, scratch + 4 * i);
        fr_mul(inv, inv, a + 4 * i);
        fr_copy(r + 4 * i, t);
    }
}
