/* Batched circomlib Poseidon (see poseidon.h for the plan layout). */
#include "poseidon.h"

#include <pthread.h>

#include "field.h"
#include "ifma.h"
#include "threads.h"

#define PSD_RF 8
#define PSD_TMAX 17

size_t poseidon_plan_elements(int t, int r_p) {
    return (size_t)PSD_RF * t + 2 * (size_t)t * t + (size_t)r_p * 2 * t;
}

#define PSD_MUL(r, a, b) mont_mul_4_inl((r), (a), (b), BN254_FR_P, BN254_FR_N0)

/* x <- x^5 */
static inline void psd_sbox(uint64_t *x) {
    uint64_t x2[4], x4[4];
    PSD_MUL(x2, x, x);
    PSD_MUL(x4, x2, x2);
    PSD_MUL(x, x4, x);
}

/* acc (512 bits) += a b, for a, b < p: the 8-limb product, then one add-with-carry
 * chain.  Callers add at most 17 products of reduced operands: 17 p^2 < 2^512, so no
 * carry leaves the top limb. */
#if defined(__x86_64__) && defined(__GNUC__)
/* p = a b (8 limbs) with MULX and the two carry chains ADCX/ADOX (BMI2 + ADX) */
#define PSD_ROW(bo, r0, r1, r2, r3, r4)                                                   \
    "movq " bo "(%[b]), %%rdx\n\t" "xorl %k[x], %k[x]\n\t"                                  \
    "mulxq 0(%[a]), %[x], %[y]\n\t"  "adoxq %[x], %[" r0 "]\n\t" "adcxq %[y], %[" r1 "]\n\t" \
    "mulxq 8(%[a]), %[x], %[y]\n\t"  "adoxq %[x], %[" r1 "]\n\t" "adcxq %[y], %[" r2 "]\n\t" \
    "mulxq 16(%[a]), %[x], %[y]\n\t" "adoxq %[x], %[" r2 "]\n\t" "adcxq %[y], %[" r3 "]\n\t" \
    "mulxq 24(%[a]), %[x], %[" r4 "]\n\t" "adoxq %[x], %[" r3 "]\n\t"                       \
    "movl $0, %k[x]\n\t" "adcxq %[x], %[" r4 "]\n\t" "adoxq %[x], %[" r4 "]\n\t"
static inline void psd_mul_wide_adx(uint64_t p[8], const uint64_t *a, const uint64_t *b) {
    uint64_t p0, p1, p2, p3, p4, p5, p6, p7, x, y;
    __asm__(
        "movq 0(%[b]), %%rdx\n\t"
        "mulxq 0(%[a]), %[p0], %[p1]\n\t"
        "mulxq 8(%[a]), %[x], %[p2]\n\t"  "addq %[x], %[p1]\n\t"
        "mulxq 16(%[a]), %[x], %[p3]\n\t" "adcq %[x], %[p2]\n\t"
        "mulxq 24(%[a]), %[x], %[p4]\n\t" "adcq %[x], %[p3]\n\t" "adcq $0, %[p4]\n\t"
        PSD_ROW("8", "p1", "p2", "p3", "p4", "p5")
        PSD_ROW("16", "p2", "p3", "p4", "p5", "p6")
        PSD_ROW("24", "p3", "p4", "p5", "p6", "p7")
        : [p0] "=&r"(p0), [p1] "=&r"(p1), [p2] "=&r"(p2), [p3] "=&r"(p3), [p4] "=&r"(p4),
          [p5] "=&r"(p5), [p6] "=&r"(p6), [p7] "=&r"(p7), [x] "=&r"(x), [y] "=&r"(y)
        : [a] "r"(a), [b] "r"(b), "m"(*(const uint64_t(*)[4])a), "m"(*(const uint64_t(*)[4])b)
        : "rdx", "cc");
    p[0] = p0; p[1] = p1; p[2] = p2; p[3] = p3; p[4] = p4; p[5] = p5; p[6] = p6; p[7] = p7;
}
#undef PSD_ROW
#endif

/* p = a b (8 limbs), portable */
static inline void psd_mul_wide_c(uint64_t p[8], const uint64_t *a, const uint64_t *b) {
    zkm_u128 c;
    const uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    for (int i = 0; i < 4; i++) {
        const uint64_t ai = a[i];
        uint64_t hi;
        if (i == 0) {
            c = (zkm_u128)ai * b0; p[0] = (uint64_t)c; hi = (uint64_t)(c >> 64);
            c = (zkm_u128)ai * b1 + hi; p[1] = (uint64_t)c; hi = (uint64_t)(c >> 64);
            c = (zkm_u128)ai * b2 + hi; p[2] = (uint64_t)c; hi = (uint64_t)(c >> 64);
            c = (zkm_u128)ai * b3 + hi; p[3] = (uint64_t)c; p[4] = (uint64_t)(c >> 64);
        } else {
            c = (zkm_u128)ai * b0 + p[i]; p[i] = (uint64_t)c; hi = (uint64_t)(c >> 64);
            c = (zkm_u128)ai * b1 + p[i + 1] + hi; p[i + 1] = (uint64_t)c; hi = (uint64_t)(c >> 64);
            c = (zkm_u128)ai * b2 + p[i + 2] + hi; p[i + 2] = (uint64_t)c; hi = (uint64_t)(c >> 64);
            c = (zkm_u128)ai * b3 + p[i + 3] + hi; p[i + 3] = (uint64_t)c; p[i + 4] = (uint64_t)(c >> 64);
        }
    }
}

/* acc (512 bits) += a b, for a, b < p: the 8-limb product, then one add-with-carry
 * chain.  Callers add at most 17 products of reduced operands: 17 p^2 < 2^512, so no
 * carry leaves the top limb. */
static inline void psd_mac_wide(uint64_t acc[8], const uint64_t *a, const uint64_t *b) {
    uint64_t p[8];
#if defined(__x86_64__) && defined(__GNUC__)
    if (zkm_use_adx) psd_mul_wide_adx(p, a, b);
    else psd_mul_wide_c(p, a, b);
    unsigned char cf = 0;
    unsigned long long x;
    for (int k = 0; k < 8; k++) {
        cf = _addcarry_u64(cf, acc[k], p[k], &x);
        acc[k] = x;
    }
#else
    psd_mul_wide_c(p, a, b);
    zkm_u128 sum = 0;
    for (int k = 0; k < 8; k++) {
        sum += (zkm_u128)acc[k] + p[k];
        acc[k] = (uint64_t)sum;
        sum >>= 64;
    }
#endif
}

/* r = acc 2^-256 mod p (Montgomery reduction of a 512-bit value < 2^512, fully reduced).
 * acc + m p < 2^512 + 2^510 fits the 8 limbs plus the carry kept in `top`; the quotient
 * is below 2^256 + p < 5p, so four conditional subtractions finish it. */
static inline void psd_redc_wide(uint64_t r[4], uint64_t acc[8]) {
    uint64_t top = 0;
    for (int i = 0; i < 4; i++) {
        const uint64_t m = acc[i] * BN254_FR_N0;
        zkm_u128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (zkm_u128)m * BN254_FR_P[j] + acc[i + j];
            acc[i + j] = (uint64_t)c;
            c >>= 64;
        }
        for (int k = i + 4; k < 8 && c; k++) {
            c += acc[k];
            acc[k] = (uint64_t)c;
            c >>= 64;
        }
        top += (uint64_t)c;
    }
    /* value = top 2^256 + acc[4..7] < 5p < 2^257: subtract p while >= p */
    uint64_t v[5] = {acc[4], acc[5], acc[6], acc[7], top};
    for (int round = 0; round < 4; round++) {
        uint64_t d[5];
        zkm_u128 b = 0;
        for (int j = 0; j < 5; j++) {
            zkm_u128 x = (zkm_u128)v[j] - (j < 4 ? BN254_FR_P[j] : 0) - b;
            d[j] = (uint64_t)x;
            b = (x >> 64) & 1;
        }
        if (!b) memcpy(v, d, sizeof v);
    }
    memcpy(r, v, 32);
}

/* out_i = sum_j m[i][j] s_j for i < rows (one reduction per output) */
static inline void psd_mix(uint64_t *out, const uint64_t *m, const uint64_t *s, int t, int rows) {
    for (int i = 0; i < rows; i++) {
        const uint64_t *row = m + 4 * (size_t)i * t;
        uint64_t acc[8] = {0};
        for (int j = 0; j < t; j++) psd_mac_wide(acc, row + 4 * j, s + 4 * j);
        psd_redc_wide(out + 4 * i, acc);
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
        uint64_t acc[8] = {0};
        fr_add(s0, s, row);
        psd_sbox(s0);
        psd_mac_wide(acc, row + 4, s0);
        for (int i = 1; i < t; i++) {
            psd_mac_wide(acc, row + 4 * (1 + i), s + 4 * i);
            PSD_MUL(p, row + 4 * (t + i), s0);
            fr_add(s + 4 * i, s + 4 * i, p);
        }
        psd_redc_wide(s, acc);
    }
    for (int r = PSD_RF / 2; r < PSD_RF; r++)
        psd_full(s, full + 4 * (size_t)r * t, mds, t, r == PSD_RF - 1 ? 1 : t);
    fr_from_mont(out, s);
}

typedef struct {
    uint64_t *out;
    const uint64_t *in, *plan;
    size_t n;
    int t, r_p;
} psd_ctx;

static void psd_range(void *arg, size_t begin, size_t end, int tid) {
    (void)tid;
    const psd_ctx *c = (const psd_ctx *)arg;
    size_t w = (size_t)(c->t - 1);
    for (size_t i = begin; i < end; i++)
        psd_one(c->out + 4 * i, c->in + 4 * w * i, c->t, c->r_p, c->plan);
}

#ifdef ZKM_HAVE_IFMA
/* ---- eight hashes at once (AVX-512 IFMA, ifma.h) ------------------------------------
 * The plan comes in radix 2^52 and Montgomery form R = 2^260 (native.poseidon.plan52_from:
 * every element c 2^256 mod p of the scalar plan as c 2^260 mod p), five limbs each.
 * Bounds (ifma.h): states stay below 2p: a full round's S-box input s + c < 3p, its
 * matrix sums < 17 * 2p^2/R + p < 1.4p; a partial round's s_i + v_i s_0 is brought back
 * below 2p by one conditional subtraction of 2p. */

static v52_field psd_fr;
static pthread_once_t psd_fr_once = PTHREAD_ONCE_INIT;
static void psd_fr_init(void) { v52_field_init(&psd_fr, BN254_FR_P); }

V52_FN void psd8_sbox(v52 *x, const v52_field *f) {
    v52 x2, x4;
    v52_sqr(&x2, x, f);
    v52_sqr(&x4, &x2, f);
    v52_mul(x, &x4, x, f);
}

/* one full round on eight states: s += c; s = s^5; s = m s (the first `rows` outputs) */
V52_FN void psd8_full(v52 *s, const uint64_t *c, const uint64_t *m, int t, int rows,
                      const v52_field *f) {
    v52 x[PSD_TMAX];
    for (int i = 0; i < t; i++) {
        v52_add_const(&x[i], &s[i], c + 5 * i);
        psd8_sbox(&x[i], f);
    }
    for (int i = 0; i < rows; i++) {
        const uint64_t *row = m + 5 * (size_t)i * t;
        __m512i acc[10];
        v52_zero_acc(acc);
        for (int j = 0; j < t; j++) v52_mac_const(acc, row + 5 * j, &x[j]);
        v52_redc(&s[i], acc, f);
    }
}

V52_TARGET static void psd8_one(uint64_t *const out[8], const uint64_t *const in[8], int t,
                                int r_p, const uint64_t *plan) {
    const v52_field *f = &psd_fr;
    const uint64_t *full = plan, *mds = full + 5 * PSD_RF * (size_t)t;
    const uint64_t *pre = mds + 5 * (size_t)t * t, *part = pre + 5 * (size_t)t * t;
    v52 s[PSD_TMAX];
    for (int k = 0; k < 5; k++) s[0].l[k] = _mm512_setzero_si512();
    for (int i = 1; i < t; i++) {
        const uint64_t *x[8];
        for (int l = 0; l < 8; l++) x[l] = in[l] + 4 * (i - 1);
        v52_load_std(&s[i], x, f);
    }
    for (int r = 0; r < PSD_RF / 2; r++)
        psd8_full(s, full + 5 * (size_t)r * t, r == PSD_RF / 2 - 1 ? pre : mds, t, t, f);
    for (int j = 0; j < r_p; j++) {
        const uint64_t *row = part + 5 * (size_t)j * 2 * t;  /* k, n00, w[t-1], v[t-1] */
        v52 x;
        __m512i acc[10];
        v52_add_const(&x, &s[0], row);
        psd8_sbox(&x, f);
        v52_zero_acc(acc);
        v52_mac_const(acc, row + 5, &x);
        for (int i = 1; i < t; i++) {
            v52 u;
            v52_mac_const(acc, row + 5 * (1 + i), &s[i]);
            v52_mul_const(&u, row + 5 * (t + i), &x, f);
            v52_add_red(&s[i], &s[i], &u, f);
        }
        v52_redc(&s[0], acc, f);
    }
    for (int r = PSD_RF / 2; r < PSD_RF; r++)
        psd8_full(s, full + 5 * (size_t)r * t, mds, t, r == PSD_RF - 1 ? 1 : t, f);
    v52_store_std(out, &s[0], f, BN254_FR_P);
}

static void psd_range8(void *arg, size_t g0, size_t g1, int tid) {
    (void)tid;
    static const uint64_t zeros[4 * (PSD_TMAX - 1)] = {0};
    const psd_ctx *c = (const psd_ctx *)arg;
    const size_t w = (size_t)(c->t - 1);
    uint64_t spare[8][4];
    for (size_t g = g0; g < g1; g++) {
        const uint64_t *in[8];
        uint64_t *out[8];
        for (size_t l = 0; l < 8; l++) {
            const size_t i = 8 * g + l;
            in[l] = i < c->n ? c->in + 4 * w * i : zeros;   /* lanes past n: dummy input */
            out[l] = i < c->n ? c->out + 4 * i : spare[l];
        }
        psd8_one(out, in, c->t, c->r_p, c->plan);
    }
}
#endif

int poseidon_batch(uint64_t *out, const uint64_t *in, size_t n, int t, int r_p,
                   const uint64_t *plan, const uint64_t *plan52, size_t plan_elements,
                   int threads) {
    if (t < 2 || t > PSD_TMAX || r_p < 1 || plan_elements != poseidon_plan_elements(t, r_p))
        return -1;
    psd_ctx c = {out, in, plan, n, t, r_p};
#ifdef ZKM_HAVE_IFMA
    if (zkm_use_ifma && plan52 && n > 0) {
        const size_t groups = (n + 7) / 8;
        pthread_once(&psd_fr_once, psd_fr_init);
        c.plan = plan52;
        zkm_parallel_for(groups < 2 ? 1 : threads, groups, psd_range8, &c);
        return 0;
    }
#else
    (void)plan52;
#endif
    if (n < 4) threads = 1;
    zkm_parallel_for(threads, n, psd_range, &c);
    return 0;
}
