/* Reduced native test set for the ASan/UBSan build (driven by test_sanitizers.py).
 *
 * Usage: sanitize_driver <vectors.bin>.  The file (little-endian uint64 words, written by
 * the Python test from py_ecc / Python-int known answers) holds, in order:
 *   header: nf, logn, n1, n2, nfb
 *   nf x Fq records: a, b, a*b, a+b, a-b, 1/a            (Montgomery, 4 words each)
 *   NTT: a[2^logn], A = NTT(a)[2^logn]                   (Fr Montgomery)
 *   G1 MSM: points[n1] (8), scalars[n1] (4), expected (8)
 *   G2 MSM: points[n2] (16), scalars[n2] (4), expected (16)
 *   G1 fixed base: base (8), scalars[nfb] (4), expected[nfb] (8)
 *   G2 points: generator (16), point on the twist outside G2 (16)
 *   Poseidon: count, then per record t, r_p, n, plan_elements, plan, inputs[n][t-1], out[n]
 *   witness VM: n, code_len, n_coefs, memory[n] (Montgomery), code[code_len] (int32 values,
 *     one per word), coefs[n_coefs], memory after the program with its hints skipped
 *   pricing: count, then per record num, den, x, b (double bits), ok, floor (int64 bits);
 *     then a batch: n, m, kind[n], spot, strike, t, vol, mult [n] and shock, factor [m]
 *     (double bits), cnum, cden [m], pnum, pden [n], status[n], base[n] (double bits, 0
 *     where refused), risk[n][m] (0 where refused)
 * Exit status 0 iff every result matches. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "curve.h"
#include "field.h"
#include "fieldvec.h"
#include "msm.h"
#include "ntt.h"
#include "poseidon.h"
#include "pricing.h"
#include "witness_vm.h"

static const uint64_t *cur;
static int failures;

static const uint64_t *take(size_t words) { const uint64_t *p = cur; cur += words; return p; }

static void expect(const char *what, const uint64_t *got, const uint64_t *want, size_t words) {
    if (memcmp(got, want, words * 8) != 0) { fprintf(stderr, "FAIL %s\n", what); failures++; }
}

static void check_fields(size_t nf) {
    for (size_t i = 0; i < nf; i++) {
        const uint64_t *a = take(4), *b = take(4), *m = take(4), *s = take(4), *d = take(4), *v = take(4);
        uint64_t r[4];
        fq_mul(r, a, b); expect("fq_mul", r, m, 4);
        fq_add(r, a, b); expect("fq_add", r, s, 4);
        fq_sub(r, a, b); expect("fq_sub", r, d, 4);
        fq_inv(r, a);    expect("fq_inv", r, v, 4);
    }
}

static void check_ntt(unsigned logn) {
    size_t n = (size_t)1 << logn;
    const uint64_t *a = take(4 * n), *want = take(4 * n);
    uint64_t *tw = malloc(32 * n), *x = malloc(32 * n), *tmp = malloc(32 * n);
    fr_ntt_twiddles(tw, n, 0);
    for (int threads = 1; threads <= 2; threads++) {
        memcpy(x, a, 32 * n);
        fr_ntt(x, n, tw, 0, threads);
        expect("ntt", x, want, 4 * n);
    }
    fr_ntt_from(tmp, a, n, tw, 0, 2); /* out of place */
    expect("ntt_from", tmp, want, 4 * n);
    fr_ntt_twiddles(tw, n, 1);
    fr_ntt(x, n, tw, 1, 2);
    expect("intt", x, a, 4 * n);
    fr_vec_batch_inverse(x, a, n, tmp);
    fr_vec_mul(x, x, a, n);
    for (size_t i = 0; i < n; i++)
        if (!fr_is_zero(a + 4 * i)) expect("batch_inverse", x + 4 * i, BN254_FR_ONE_MONT, 4);
    free(tw); free(x); free(tmp);
}

static void check_msm(int g2, size_t n) {
    size_t w = g2 ? 16 : 8;
    const uint64_t *pts = take(w * n), *ks = take(4 * n), *want = take(w);
    for (int mode = 0; mode < 16; mode++) {
        int threads = 1 + (mode & 1);
        msm_config cfg;
        zkm_set_ifma(!(mode & 8));                   /* IFMA bucket kernel where there is one */
        msm_config_default(&cfg);
        cfg.batch_min_buckets = mode & 2 ? 2 : 1024; /* batch-affine path too */
        cfg.glv = !(mode & 4);                       /* G1 with and without GLV */
        size_t words = g2 ? g2_msm_scratch_size(n, threads, &cfg)
                          : g1_msm_scratch_size(n, threads, &cfg);
        uint64_t *scratch = malloc(8 * words + 8), r[16];
        int st = g2 ? g2_msm(r, pts, ks, n, threads, &cfg, scratch, words)
                    : g1_msm(r, pts, ks, n, threads, &cfg, scratch, words);
        if (st) { fprintf(stderr, "FAIL msm status\n"); failures++; }
        expect(g2 ? "g2_msm" : "g1_msm", r, want, w);
        free(scratch);
    }
    zkm_set_ifma(1);
}

static void check_fixed_base(size_t n) {
    const uint64_t *base = take(8), *ks = take(4 * n), *want = take(8 * n);
    size_t words = g1_fixed_base_scratch_size(n);
    uint64_t *scratch = malloc(8 * words), *out = malloc(64 * n + 8);
    if (g1_fixed_base_mul(out, base, ks, n, 2, scratch, words)) failures++;
    expect("g1_fixed_base_mul", out, want, 8 * n);
    free(scratch); free(out);
}

static void check_g2(void) {
    const uint64_t *gen = take(16), *outside = take(16);
    if (!g2_in_subgroup(gen)) { fprintf(stderr, "FAIL g2 gen subgroup\n"); failures++; }
    if (!g2_is_on_curve(outside) || g2_in_subgroup(outside)) {
        fprintf(stderr, "FAIL g2 outside point\n"); failures++;
    }
    uint64_t d[16], s[16], k[4] = {2, 0, 0, 0};
    g2_double(d, gen);
    g2_scalar_mul(s, gen, k);
    expect("g2 double vs mul", d, s, 16);
}

static void check_poseidon(void) {
    size_t count = take(1)[0];
    for (size_t i = 0; i < count; i++) {
        const uint64_t *h = take(4);
        int t = (int)h[0], r_p = (int)h[1];
        size_t n = h[2], pe = h[3];
        const uint64_t *plan = take(4 * pe), *plan52 = take(5 * pe);
        const uint64_t *in = take(4 * n * (size_t)(t - 1));
        const uint64_t *want = take(4 * n);
        uint64_t *out = malloc(32 * n + 8);
        for (int ifma = 1; ifma >= 0; ifma--) {          /* the IFMA kernel where there is one */
            zkm_set_ifma(ifma);
            memset(out, 0, 32 * n);
            if (poseidon_batch(out, in, n, t, r_p, plan, plan52, pe, 2)) failures++;
            expect(ifma && zkm_ifma_enabled() ? "poseidon_batch (ifma)" : "poseidon_batch", out,
                   want, 4 * n);
        }
        zkm_set_ifma(1);
        free(out);
    }
}

/* The known answer, then every prefix of the program (each copied to an allocation of
 * exactly its size, so that reading past the end is an ASan error) and every word
 * replaced by an out-of-range value: each must end in a result code, never a crash. */
static int wvm_run_all(uint64_t *w, size_t n, const int32_t *code, size_t len,
                       const uint64_t *coefs, size_t n_coefs) {
    size_t pc = 0;
    int32_t hint;
    int rc;
    while ((rc = wvm_run(w, n, code, len, &pc, coefs, n_coefs, &hint)) == WVM_AT_HINT) {}
    return rc;
}

static void check_witness_vm(void) {
    const uint64_t *h = take(3);
    size_t n = h[0], len = h[1], n_coefs = h[2];
    const uint64_t *mem = take(4 * n), *words = take(len), *coefs_in = take(4 * n_coefs);
    const uint64_t *want = take(4 * n);
    uint64_t *w = malloc(32 * n), *coefs = malloc(32 * n_coefs);
    int32_t *code = malloc(4 * len);
    memcpy(coefs, coefs_in, 32 * n_coefs);
    for (size_t i = 0; i < len; i++) code[i] = (int32_t)(int64_t)words[i];
    memcpy(w, mem, 32 * n);
    if (wvm_run_all(w, n, code, len, coefs, n_coefs) != WVM_DONE) failures++;
    expect("wvm_run", w, want, 4 * n);
    for (size_t cut = 0; cut < len; cut++) {
        int32_t *prefix = malloc(4 * cut + 1);
        memcpy(prefix, code, 4 * cut);
        memcpy(w, mem, 32 * n);
        int rc = wvm_run_all(w, n, prefix, cut, coefs, n_coefs);
        if (rc != WVM_DONE && rc != WVM_ERR_TRUNCATED) { fprintf(stderr, "FAIL wvm prefix\n"); failures++; }
        free(prefix);
    }
    const int32_t bad[] = {-1, (int32_t)n, (int32_t)n_coefs, INT32_MAX, INT32_MIN, 5};
    for (size_t i = 0; i < len; i++) {
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            int32_t keep = code[i];
            code[i] = bad[b];
            memcpy(w, mem, 32 * n);
            (void)wvm_run_all(w, n, code, len, coefs, n_coefs);
            code[i] = keep;
        }
    }
    int32_t idx[2] = {0, (int32_t)n};
    uint64_t out[8];
    if (wvm_get(out, w, n, idx, 2) != -1 || wvm_set(w, n, idx, want, 2) != -1) {
        fprintf(stderr, "FAIL wvm_get/wvm_set bounds\n"); failures++;
    }
    free(w); free(coefs); free(code);
}

static const double *take_doubles(size_t n) { return (const double *)take(n); }

static void check_pricing(void) {
    size_t count = take(1)[0];
    for (size_t i = 0; i < count; i++) {
        const uint64_t *r = take(6);
        double x, b;
        memcpy(&x, &r[2], 8);
        memcpy(&b, &r[3], 8);
        int64_t out = 0;
        int ok = risk_floor_of((int64_t)r[0], (int64_t)r[1], x, b, &out);
        if (ok != (int)r[4] || (ok && (uint64_t)out != r[5])) {
            fprintf(stderr, "FAIL risk_floor_of record %zu\n", i); failures++;
        }
    }
    const uint64_t *h = take(2);
    size_t n = h[0], m = h[1];
    const uint64_t *kind_w = take(n);
    const double *spot = take_doubles(n), *strike = take_doubles(n), *t = take_doubles(n),
                 *vol = take_doubles(n), *mult = take_doubles(n), *shock = take_doubles(m),
                 *factor = take_doubles(m);
    const int64_t *cnum = (const int64_t *)take(m), *cden = (const int64_t *)take(m),
                  *pnum = (const int64_t *)take(n), *pden = (const int64_t *)take(n);
    const uint64_t *status_want = take(n), *base_want = take(n), *risk_want = take(n * m);
    int32_t *kind = malloc(4 * n), *rows = calloc(n, 4);
    double *base = malloc(8 * n), *value = malloc(8 * n * m);
    int64_t *mark = malloc(8 * n), *greeks = malloc(32 * n), *risk = malloc(8 * n * m);
    uint8_t *status = malloc(n), *exact = malloc(n * m);
    for (size_t i = 0; i < n; i++) kind[i] = (int32_t)kind_w[i];
    option_risk_batch(n, m, kind, spot, strike, t, vol, mult, 0.05, sqrt(2.0),
                      1.0 / sqrt(2.0 * 3.14159265358979323846), shock, rows, factor, rows,
                      cnum, cden, pnum, pden, base, value, mark, greeks, risk, status, exact);
    for (size_t i = 0; i < n; i++) {
        if (status[i] != status_want[i]) { fprintf(stderr, "FAIL pricing status %zu\n", i); failures++; continue; }
        if (status[i]) continue;
        if (memcmp(&base[i], &base_want[i], 8) != 0) { fprintf(stderr, "FAIL pricing base %zu\n", i); failures++; }
        for (size_t s = 0; s < m; s++)
            if ((uint64_t)risk[i * m + s] != risk_want[i * m + s] || !exact[i * m + s]) {
                fprintf(stderr, "FAIL pricing risk %zu %zu\n", i, s); failures++;
            }
    }
    free(kind); free(rows); free(base); free(value); free(mark); free(greeks); free(risk);
    free(status); free(exact);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 2;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint64_t *buf = malloc((size_t)size);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) return 2;
    fclose(f);
    cur = buf;
    const uint64_t *h = take(5);
    check_fields(h[0]);
    check_ntt((unsigned)h[1]);
    check_msm(0, h[2]);
    check_msm(1, h[3]);
    check_fixed_base(h[4]);
    check_g2();
    check_poseidon();
    check_witness_vm();
    check_pricing();
    if ((size_t)(cur - buf) * 8 != (size_t)size) { fprintf(stderr, "FAIL vector file size\n"); failures++; }
    free(buf);
    printf("%s (%d failures)\n", failures ? "FAILED" : "OK", failures);
    return failures ? 1 : 0;
}
