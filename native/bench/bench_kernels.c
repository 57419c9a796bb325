/* Stand-alone C timing of the native kernels (no Python), for machines without the
 * Python stack: cc -O3 -pthread -Inative/src native/src/*.c native/bench/bench_kernels.c
 * Usage: bench_kernels [threads] [max_log] [glv 0|1] [window bits]  (one line per size) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu.h"
#include "field.h"
#include "fieldvec.h"
#include "msm.h"
#include "ntt.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd64(void) {
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return rng_state;
}

static void rand_scalars(uint64_t *k, size_t n) {
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++) k[4 * i + j] = rnd64();
        k[4 * i + 3] &= 0x0fffffffffffffffULL; /* < 2^252 < r */
    }
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    int max_log = argc > 2 ? atoi(argv[2]) : 20;
    msm_config cfg;
    msm_config_default(&cfg);
    if (argc > 3) cfg.glv = atoi(argv[3]);                      /* 0: G1 MSM without GLV */
    if (argc > 4) cfg.window_bits = (unsigned)atoi(argv[4]);
    size_t nmax = (size_t)1 << max_log, ndist = nmax < (1u << 16) ? nmax : (1u << 16);
    printf("asm kernel: %d, threads: %d\n", zkm_asm_enabled(), threads);
    uint64_t *ks = malloc(32 * nmax), *pts = malloc(64 * nmax), *a = malloc(32 * nmax);
    uint64_t *tw = malloc(32 * nmax), r[16];
    rand_scalars(ks, nmax);
    size_t fw = g1_fixed_base_scratch_size(ndist);
    uint64_t *fs = malloc(8 * fw);
    double t = now_ms();
    g1_fixed_base_mul(pts, BN254_G1_GEN_MONT, ks, ndist, threads, fs, fw);
    printf("g1_fixed_base 2^%d: %.1f ms\n", max_log < 16 ? max_log : 16, now_ms() - t);
    for (size_t i = ndist; i < nmax; i++) memcpy(pts + 8 * i, pts + 8 * (i % ndist), 64);
    rand_scalars(ks, nmax);
    for (size_t i = 0; i < nmax; i++) fr_to_mont(a + 4 * i, ks + 4 * i);
    t = now_ms();
    fr_vec_mul(a, a, a, nmax);
    printf("fr_mul 2^%d: %.2f ns/elem\n", max_log, (now_ms() - t) * 1e6 / nmax);
    for (int lg = 10; lg <= max_log; lg += 2) {
        size_t n = (size_t)1 << lg;
        fr_ntt_twiddles(tw, n, 0);
        t = now_ms();
        fr_ntt(a, n, tw, 0, threads);
        double tn = now_ms() - t;
        size_t words = g1_msm_scratch_size(n, threads, &cfg);
        uint64_t *s = malloc(8 * words);
        t = now_ms();
        if (g1_msm(r, pts, ks, n, threads, &cfg, s, words)) { printf("g1_msm failed\n"); return 1; }
        double tm = now_ms() - t;
        printf("2^%d: ntt %.2f ms, g1_msm %.2f ms", lg, tn, tm);
        if (lg <= 18) {
            size_t w2 = g2_msm_scratch_size(n, threads, &cfg);
            uint64_t *s2 = malloc(8 * w2), *p2 = malloc(128 * n);
            size_t d2 = n < 4096 ? n : 4096, f2 = g2_fixed_base_scratch_size(d2);
            uint64_t *fs2 = malloc(8 * f2);
            g2_fixed_base_mul(p2, BN254_G2_GEN_MONT, ks + 4 * (nmax - d2), d2, threads, fs2, f2);
            for (size_t i = d2; i < n; i++) memcpy(p2 + 16 * i, p2 + 16 * (i % d2), 128);
            free(fs2);
            t = now_ms();
            if (g2_msm(r, p2, ks, n, threads, &cfg, s2, w2)) { printf("g2_msm failed\n"); return 1; }
            printf(", g2_msm %.2f ms", now_ms() - t);
            free(s2); free(p2);
        }
        printf("\n");
        fflush(stdout);
        free(s);
    }
    return 0;
}
