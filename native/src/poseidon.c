/* Batched circomlib Poseidon (see poseidon.h for the plan layout). */
#include "poseidon.h"

#include "field.h"
#include "threads.h"

#define PSD_RF 8
#define PSD_TMAX 17

size_t poseidon_plan_elements(int t, int r_p) {
    return (size_t)PSD_RF * t + 2 * (size_t)t * t + (size_t)r_p * 2 * t;
}

/* x <- x^5 */
static inline void psd_sbox(uint64_t *x) {
    uint64_t x2[4], x4[4];
    fr_sqr(x2, x);
    fr_sqr(x4, x2);
    fr_mul(x, x4, x);
}

/* out_i = sum_j m[i][j] s_j for i < rows */
static inline void psd_mix(uint64_t *out, const uint64_t *m, const uint64_t *s, int t, int rows) {
    uint64_t acc[4], p[4];
    for (int i = 0; i < rows; i++) {
        const uint64_t *row = m + 4 * (size_t)i * t;
        fr_mul(acc, row, s);
        for (int j = 1; j < t; j++) {
            fr_mul(p, row + 4 * j, s + 4 * j);
            fr_add(acc, acc, p);
        }
        fr_copy(out + 4 * i, acc);
    }
}

/* one full round: s += c; s = s^5; s = m s (only the first `rows` outputs) */
static inline void psd_full(uint64_t *s, const uint64_t *c, const uint64_t *m, int t, int rows) {
    uint64_t tmp[4 * PSD_TMAX];
    for (int i = 0; i < t; i++) {
        fr_add(s + 4 * i, s + 4 * i, c + 4 * i);
        psd_sbox(s + 4 * i);
    }
    psd_mix(tmp, m, s, t, rows);
    memcpy(s, tmp, 32 * (size_t)rows);
}

static void psd_one(uint64_t *out, const uint64_t *in, int t, int r_p, const uint64_t *plan) {
    const uint64_t *full = plan, *mds = full + 4 * PSD_RF * (size_t)t;
    const uint64_t *pre = mds + 4 * (size_t)t * t, *part = pre + 4 * (size_t)t * t;
    uint64_t s[4 * PSD_TMAX], p[4], s0[4];
    fr_set_zero(s);
    for (int i = 1; i < t; i++) {
        reduce_4(s + 4 * i, in + 4 * (i - 1), BN254_FR_P);
        fr_to_mont(s + 4 * i, s + 4 * i);
    }
    for (int r = 0; r < PSD_RF / 2; r++)
        psd_full(s, full + 4 * (size_t)r * t, r == PSD_RF / 2 - 1 ? pre : mds, t, t);
    for (int j = 0; j < r_p; j++) {
        const uint64_t *row = part + 4 * (size_t)j * 2 * t;  /* k, n00, w[t-1], v[t-1] */
        fr_add(s0, s, row);
        psd_sbox(s0);
        fr_mul(s, row + 4, s0);
        for (int i = 1; i < t; i++) {
            fr_mul(p, row + 4 * (1 + i), s + 4 * i);
            fr_add(s, s, p);
            fr_mul(p, row + 4 * (t + i), s0);
            fr_add(s + 4 * i, s + 4 * i, p);
        }
    }
    for (int r = PSD_RF / 2; r < PSD_RF; r++)
        psd_full(s, full + 4 * (size_t)r * t, mds, t, r == PSD_RF - 1 ? 1 : t);
    fr_from_mont(out, s);
}

typedef struct {
    uint64_t *out;
    const uint64_t *in, *plan;
    int t, r_p;
} psd_ctx;

static void psd_range(void *arg, size_t begin, size_t end, int tid) {
    (void)tid;
    const psd_ctx *c = (const psd_ctx *)arg;
    size_t w = (size_t)(c->t - 1);
    for (size_t i = begin; i < end; i++)
        psd_one(c->out + 4 * i, c->in + 4 * w * i, c->t, c->r_p, c->plan);
}

int poseidon_batch(uint64_t *out, const uint64_t *in, size_t n, int t, int r_p,
                   const uint64_t *plan, size_t plan_elements, int threads) {
    if (t < 2 || t > PSD_TMAX || r_p < 1 || plan_elements != poseidon_plan_elements(t, r_p))
        return -1;
    psd_ctx c = {out, in, plan, t, r_p};
    if (n < 4) threads = 1;
    zkm_parallel_for(threads, n, psd_range, &c);
    return 0;
}
