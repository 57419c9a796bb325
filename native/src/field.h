/* BN254 field arithmetic: Fq, Fr (4 x 64-bit Montgomery, R = 2^256) and Fq2 = Fq[u]/(u^2+1).
 *
 * Generic kernels take the modulus (mont_mul_4(r, a, b, p, n0), add_mod_4, ...); fq_* and
 * fr_* are thin wrappers binding BN254_FQ_P / BN254_FR_P from the generated parameter
 * table.  Everything here is `static inline` so that every translation unit gets the
 * kernels inlined with the modulus constant-folded.  The functions Python may call
 * are declared once: the per-field wrappers in the list ZKM_FIELD_API, the Fq2 ones
 * marked ZKM_API; native/build_native.py derives their cffi prototypes from these
 * very lines (nothing is written twice).
 * All elements are fully reduced (< p) little-endian limb arrays; outputs may alias
 * inputs.  BN254 moduli are < 2^254, so the CIOS loop needs no extra carry word
 * (the "no-carry" optimisation of gnark-crypto).
 */
#ifndef ZKM_FIELD_H
#define ZKM_FIELD_H
#include <stdint.h>
#include <string.h>
#include "bn254_params.h"
#include "cpu.h"


typedef unsigned __int128 zkm_u128;

/* forced inlining (see mont_mul_4_inl for where it pays) */
#define ZKM_INLINE static inline __attribute__((always_inline))

/* ---- generic 4-limb kernels (modulus p < 2^254, n0 = -p^{-1} mod 2^64) ---- */

/* r = t - p if t >= p else t (one conditional subtraction). */
#if defined(__x86_64__) && defined(__GNUC__)
#include <x86intrin.h>
static inline void csub_4(uint64_t r[4], uint64_t t0, uint64_t t1, uint64_t t2,
                          uint64_t t3, const uint64_t p[4]) {
    unsigned long long s0, s1, s2, s3;
    unsigned char b = _subborrow_u64(0, t0, p[0], &s0);
    b = _subborrow_u64(b, t1, p[1], &s1);
    b = _subborrow_u64(b, t2, p[2], &s2);
    b = _subborrow_u64(b, t3, p[3], &s3);
    r[0] = b ? t0 : s0;
    r[1] = b ? t1 : s1;
    r[2] = b ? t2 : s2;
    r[3] = b ? t3 : s3;
}
#else
static inline void csub_4(uint64_t r[4], uint64_t t0, uint64_t t1, uint64_t t2,
                          uint64_t t3, const uint64_t p[4]) {
    zkm_u128 d;
    uint64_t s0, s1, s2, s3, borrow;
    d = (zkm_u128)t0 - p[0];          s0 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    d = (zkm_u128)t1 - p[1] - borrow; s1 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    d = (zkm_u128)t2 - p[2] - borrow; s2 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    d = (zkm_u128)t3 - p[3] - borrow; s3 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    uint64_t keep = (uint64_t)0 - borrow; /* all ones when t < p */
    r[0] = (t0 & keep) | (s0 & ~keep);
    r[1] = (t1 & keep) | (s1 & ~keep);
    r[2] = (t2 & keep) | (s2 & ~keep);
    r[3] = (t3 & keep) | (s3 & ~keep);
}
#endif

/* Montgomery product r = a b 2^-256 mod p (CIOS, no-carry variant), portable C. */
static inline void mont_mul_4_c_raw(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                    const uint64_t p[4], uint64_t n0) {
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    const uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    for (int i = 0; i < 4; i++) {
        const uint64_t bi = b[i];
        zkm_u128 s;
        uint64_t A, C, m;
        s = (zkm_u128)a0 * bi + t0;          A = (uint64_t)(s >> 64); t0 = (uint64_t)s;
        m = t0 * n0;
        s = (zkm_u128)m * p[0] + t0;         C = (uint64_t)(s >> 64);
        s = (zkm_u128)a1 * bi + t1 + A;      A = (uint64_t)(s >> 64); t1 = (uint64_t)s;
        s = (zkm_u128)m * p[1] + t1 + C;     C = (uint64_t)(s >> 64); t0 = (uint64_t)s;
        s = (zkm_u128)a2 * bi + t2 + A;      A = (uint64_t)(s >> 64); t2 = (uint64_t)s;
        s = (zkm_u128)m * p[2] + t2 + C;     C = (uint64_t)(s >> 64); t1 = (uint64_t)s;
        s = (zkm_u128)a3 * bi + t3 + A;      A = (uint64_t)(s >> 64); t3 = (uint64_t)s;
        s = (zkm_u128)m * p[3] + t3 + C;     C = (uint64_t)(s >> 64); t2 = (uint64_t)s;
        t3 = C + A;
    }
    r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3;
}

static inline void mont_mul_4_c(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                              const uint64_t p[4], uint64_t n0) {
    uint64_t t[4];
    mont_mul_4_c_raw(t, a, b, p, n0);
    csub_4(r, t[0], t[1], t[2], t[3], p);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define ZKM_HAVE_ADX_ASM 1
/* One CIOS round for b[i], i >= 1: t += a b[i] (ADOX chain for low words, ADCX for high). */
#define ZKM_MUL_ROUND(off)                                                               \
    "xorl %k[ax], %k[ax]\n\t"                                                            \
    "movq " off "(%[b]), %%rdx\n\t"                                                       \
    "mulxq 0(%[a]), %[ax], %[A]\n\t"  "adoxq %[ax], %[t0]\n\t" "adcxq %[A], %[t1]\n\t"   \
    "mulxq 8(%[a]), %[ax], %[A]\n\t"  "adoxq %[ax], %[t1]\n\t" "adcxq %[A], %[t2]\n\t"   \
    "mulxq 16(%[a]), %[ax], %[A]\n\t" "adoxq %[ax], %[t2]\n\t" "adcxq %[A], %[t3]\n\t"   \
    "mulxq 24(%[a]), %[ax], %[A]\n\t" "adoxq %[ax], %[t3]\n\t"                           \
    "movq $0, %[ax]\n\t" "adcxq %[ax], %[A]\n\t" "adoxq %[ax], %[A]\n\t"
/* Montgomery reduction step: m = t0 n0, t = (t + m p) / 2^64, A carried in. */
#define ZKM_RED_ROUND                                                                    \
    "movq %[n0], %%rdx\n\t" "imulq %[t0], %%rdx\n\t" "xorl %k[ax], %k[ax]\n\t"            \
    "mulxq 0(%[p]), %[ax], %[C]\n\t" "adcxq %[t0], %[ax]\n\t" "movq %[C], %[t0]\n\t"     \
    "adcxq %[t1], %[t0]\n\t" "mulxq 8(%[p]), %[ax], %[t1]\n\t" "adoxq %[ax], %[t0]\n\t"  \
    "adcxq %[t2], %[t1]\n\t" "mulxq 16(%[p]), %[ax], %[t2]\n\t" "adoxq %[ax], %[t1]\n\t" \
    "adcxq %[t3], %[t2]\n\t" "mulxq 24(%[p]), %[ax], %[t3]\n\t" "adoxq %[ax], %[t2]\n\t" \
    "movq $0, %[ax]\n\t" "adcxq %[ax], %[t3]\n\t" "adoxq %[A], %[t3]\n\t"

/* The same product with MULX/ADCX/ADOX (needs BMI2 + ADX; chosen at run time). */
static inline void mont_mul_4_adx_raw(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                      const uint64_t p[4], uint64_t n0) {
    uint64_t t0, t1, t2, t3, A, C, ax;
    __asm__(
        "xorl %k[ax], %k[ax]\n\t"
        "movq 0(%[b]), %%rdx\n\t"
        "mulxq 0(%[a]), %[t0], %[t1]\n\t"
        "mulxq 8(%[a]), %[ax], %[t2]\n\t"  "adoxq %[ax], %[t1]\n\t"
        "mulxq 16(%[a]), %[ax], %[t3]\n\t" "adoxq %[ax], %[t2]\n\t"
        "mulxq 24(%[a]), %[ax], %[A]\n\t"  "adoxq %[ax], %[t3]\n\t"
        "movq $0, %[ax]\n\t" "adoxq %[ax], %[A]\n\t"
        ZKM_RED_ROUND
        ZKM_MUL_ROUND("8") ZKM_RED_ROUND
        ZKM_MUL_ROUND("16") ZKM_RED_ROUND
        ZKM_MUL_ROUND("24") ZKM_RED_ROUND
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [A] "=&r"(A),
          [C] "=&r"(C), [ax] "=&r"(ax)
        : [a] "r"(a), [b] "r"(b), [p] "r"(p), [n0] "rm"(n0),
          "m"(*(const uint64_t(*)[4])a), "m"(*(const uint64_t(*)[4])b),
          "m"(*(const uint64_t(*)[4])p)
        : "rdx", "cc");
    r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3;
}

static inline void mont_mul_4_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                  const uint64_t p[4], uint64_t n0) {
    uint64_t t[4];
    mont_mul_4_adx_raw(t, a, b, p, n0);
    csub_4(r, t[0], t[1], t[2], t[3], p);
}
#undef ZKM_MUL_ROUND
#undef ZKM_RED_ROUND
#endif

/* Montgomery product r = a b 2^-256 mod p; the kernel is chosen once at load (cpu.c).
 * Kept out of line (one clone per modulus): gcc's own choice varied with the size of
 * the translation unit, and inlining it into the G1 MSM measured ~10% slower. */
static __attribute__((noinline)) void mont_mul_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                              const uint64_t p[4], uint64_t n0) {
#ifdef ZKM_HAVE_ADX_ASM
    if (zkm_use_adx) {
        mont_mul_4_adx(r, a, b, p, n0);
        return;
    }
#endif
    mont_mul_4_c(r, a, b, p, n0);
}

/* The same, always inlined: the Fq2 products (fq2_mul, fq2_sqr) made the G2 MSM ~20%
 * faster with it. */
ZKM_INLINE void mont_mul_4_inl(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                               const uint64_t p[4], uint64_t n0) {
#ifdef ZKM_HAVE_ADX_ASM
    if (zkm_use_adx) {
        mont_mul_4_adx(r, a, b, p, n0);
        return;
    }
#endif
    mont_mul_4_c(r, a, b, p, n0);
}

/* r = a + b without reduction (a, b < 2^255).  A Montgomery product of two such sums of
 * reduced values (each < 2p) is exact and reduced: every CIOS intermediate stays below
 * a + p < 3p and the result below 4p^2/2^256 + p < 2p before the final subtraction. */
static inline void add_nored_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    zkm_u128 s = 0;
    for (int i = 0; i < 4; i++) {
        s += (zkm_u128)a[i] + b[i];
        r[i] = (uint64_t)s;
        s >>= 64;
    }
}

/* Lazy Montgomery product without the final subtraction: r = a b 2^-256 mod p in
 * [0, 2p), for a < 4p and b < p (then every CIOS intermediate is below a + p < 5p <
 * 2^256, so the no-carry loop stays exact, and the result is below ab/2^256 + p <
 * 2p).  For the NTT butterflies (values kept in [0, 4p) between stages). */
ZKM_INLINE void mont_mul_4_lazy(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                const uint64_t p[4], uint64_t n0) {
#ifdef ZKM_HAVE_ADX_ASM
    if (zkm_use_adx) {
        mont_mul_4_adx_raw(r, a, b, p, n0);
        return;
    }
#endif
    mont_mul_4_c_raw(r, a, b, p, n0);
}

#if defined(__x86_64__) && defined(__GNUC__)
static inline void add_mod_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                             const uint64_t p[4]) {
    unsigned long long t0, t1, t2, t3;
    unsigned char c = _addcarry_u64(0, a[0], b[0], &t0);
    c = _addcarry_u64(c, a[1], b[1], &t1);
    c = _addcarry_u64(c, a[2], b[2], &t2);
    (void)_addcarry_u64(c, a[3], b[3], &t3); /* < 2^255: no carry out */
    csub_4(r, t0, t1, t2, t3, p);
}

static inline void sub_mod_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                             const uint64_t p[4]) {
    unsigned long long t0, t1, t2, t3, s0, s1, s2, s3;
    unsigned char c = _subborrow_u64(0, a[0], b[0], &t0);
    c = _subborrow_u64(c, a[1], b[1], &t1);
    c = _subborrow_u64(c, a[2], b[2], &t2);
    c = _subborrow_u64(c, a[3], b[3], &t3);
    unsigned char d = _addcarry_u64(0, t0, p[0], &s0); /* add p back when a < b */
    d = _addcarry_u64(d, t1, p[1], &s1);
    d = _addcarry_u64(d, t2, p[2], &s2);
    (void)_addcarry_u64(d, t3, p[3], &s3);
    r[0] = c ? s0 : t0;
    r[1] = c ? s1 : t1;
    r[2] = c ? s2 : t2;
    r[3] = c ? s3 : t3;
}
#else
static inline void add_mod_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                             const uint64_t p[4]) {
    zkm_u128 s;
    uint64_t t0, t1, t2, t3;
    s = (zkm_u128)a[0] + b[0];             t0 = (uint64_t)s;
    s = (zkm_u128)a[1] + b[1] + (s >> 64); t1 = (uint64_t)s;
    s = (zkm_u128)a[2] + b[2] + (s >> 64); t2 = (uint64_t)s;
    s = (zkm_u128)a[3] + b[3] + (s >> 64); t3 = (uint64_t)s; /* < 2^255: no carry out */
    csub_4(r, t0, t1, t2, t3, p);
}

static inline void sub_mod_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                             const uint64_t p[4]) {
    zkm_u128 d;
    uint64_t t0, t1, t2, t3, borrow;
    d = (zkm_u128)a[0] - b[0];          t0 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    d = (zkm_u128)a[1] - b[1] - borrow; t1 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    d = (zkm_u128)a[2] - b[2] - borrow; t2 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    d = (zkm_u128)a[3] - b[3] - borrow; t3 = (uint64_t)d; borrow = (uint64_t)(d >> 127);
    uint64_t mask = (uint64_t)0 - borrow; /* add p back when a < b */
    zkm_u128 s;
    s = (zkm_u128)t0 + (p[0] & mask);             r[0] = (uint64_t)s;
    s = (zkm_u128)t1 + (p[1] & mask) + (s >> 64); r[1] = (uint64_t)s;
    s = (zkm_u128)t2 + (p[2] & mask) + (s >> 64); r[2] = (uint64_t)s;
    s = (zkm_u128)t3 + (p[3] & mask) + (s >> 64); r[3] = (uint64_t)s;
}

#endif

/* r = a mod p for any a < 2^256 (at most 5 subtractions for the BN254 moduli). */
static inline void reduce_4(uint64_t r[4], const uint64_t a[4], const uint64_t p[4]) {
    uint64_t t[4] = {a[0], a[1], a[2], a[3]};
    for (int i = 0; i < 6; i++) csub_4(t, t[0], t[1], t[2], t[3], p);
    memcpy(r, t, 32);
}

static inline int is_zero_4(const uint64_t a[4]) {
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

static inline int eq_4(const uint64_t a[4], const uint64_t b[4]) {
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
}

static inline void neg_mod_4(uint64_t r[4], const uint64_t a[4], const uint64_t p[4]) {
    static const uint64_t zero[4] = {0, 0, 0, 0};
    sub_mod_4(r, zero, a, p);
}

/* r = a^e (Montgomery), e a 4-limb standard exponent, square-and-multiply from the top. */
static inline void mont_pow_4(uint64_t r[4], const uint64_t a[4], const uint64_t e[4],
                              const uint64_t p[4], uint64_t n0, const uint64_t one[4]) {
    uint64_t acc[4], base[4];
    memcpy(acc, one, 32);
    memcpy(base, a, 32);
    for (int i = 255; i >= 0; i--) {
        mont_mul_4(acc, acc, acc, p, n0);
        if ((e[i >> 6] >> (i & 63)) & 1) mont_mul_4(acc, acc, base, p, n0);
    }
    memcpy(r, acc, 32);
}

/* ---- thin per-field wrappers ---- */
/* The per-field wrappers, listed once: X(return type, F, name, (parameters), body...).
 * ZKM_FIELD_DEFINE turns an entry into `static inline RET F_name(params) { body }`;
 * build_native.py reads the same entries (one per line) for the cffi prototypes. */
#define ZKM_FIELD_API(X, F, P, N0, ONE, R2, PM2)                                          \
    X(void, F, add, (uint64_t *r, const uint64_t *a, const uint64_t *b), add_mod_4(r, a, b, P);) \
    X(void, F, sub, (uint64_t *r, const uint64_t *a, const uint64_t *b), sub_mod_4(r, a, b, P);) \
    X(void, F, neg, (uint64_t *r, const uint64_t *a), neg_mod_4(r, a, P);)                 \
    X(void, F, mul, (uint64_t *r, const uint64_t *a, const uint64_t *b), mont_mul_4(r, a, b, P, N0);) \
    X(void, F, sqr, (uint64_t *r, const uint64_t *a), mont_mul_4(r, a, a, P, N0);)         \
    X(void, F, inv, (uint64_t *r, const uint64_t *a), mont_pow_4(r, a, PM2, P, N0, ONE);)  \
    X(int, F, is_zero, (const uint64_t *a), return is_zero_4(a);)                          \
    X(int, F, eq, (const uint64_t *a, const uint64_t *b), return eq_4(a, b);)              \
    X(void, F, copy, (uint64_t *r, const uint64_t *a), memmove(r, a, 32);)                 \
    X(void, F, set_zero, (uint64_t *r), memset(r, 0, 32);)                                 \
    X(void, F, set_one, (uint64_t *r), memcpy(r, ONE, 32);)                                \
    X(void, F, to_mont, (uint64_t *r, const uint64_t *a), mont_mul_4(r, a, R2, P, N0);)    \
    X(void, F, from_mont, (uint64_t *r, const uint64_t *a), mont_mul_4(r, a, ZKM_ONE_STD, P, N0);)

static const uint64_t ZKM_ONE_STD[4] = {1, 0, 0, 0};
#define ZKM_FIELD_DEFINE(RET, F, NAME, PARAMS, ...) static inline RET F##_##NAME PARAMS { __VA_ARGS__ }

/* instances (build_native.py reads the prefixes from these two lines) */
ZKM_FIELD_API(ZKM_FIELD_DEFINE, fq, BN254_FQ_P, BN254_FQ_N0, BN254_FQ_ONE_MONT, BN254_FQ_R2, BN254_FQ_P_MINUS_2)
ZKM_FIELD_API(ZKM_FIELD_DEFINE, fr, BN254_FR_P, BN254_FR_N0, BN254_FR_ONE_MONT, BN254_FR_R2, BN254_FR_P_MINUS_2)

/* marks the functions below that Python may call (build_native.py takes their
 * prototypes from the definitions) */
#define ZKM_API static inline

/* ---- Fq2 = Fq[u]/(u^2 + 1), 8 limbs: c0 (real) then c1 ---- */
ZKM_API void fq2_add(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    fq_add(r, a, b); fq_add(r + 4, a + 4, b + 4); }
ZKM_API void fq2_sub(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    fq_sub(r, a, b); fq_sub(r + 4, a + 4, b + 4); }
ZKM_API void fq2_neg(uint64_t *r, const uint64_t *a) { fq_neg(r, a); fq_neg(r + 4, a + 4); }
ZKM_API void fq2_conj(uint64_t *r, const uint64_t *a) { fq_copy(r, a); fq_neg(r + 4, a + 4); }
ZKM_API int fq2_is_zero(const uint64_t *a) { return is_zero_4(a) && is_zero_4(a + 4); }
ZKM_API int fq2_eq(const uint64_t *a, const uint64_t *b) { return eq_4(a, b) && eq_4(a + 4, b + 4); }
ZKM_API void fq2_copy(uint64_t *r, const uint64_t *a) { memmove(r, a, 64); }
ZKM_API void fq2_set_zero(uint64_t *r) { memset(r, 0, 64); }
ZKM_API void fq2_set_one(uint64_t *r) { fq_set_one(r); fq_set_zero(r + 4); }

/* (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u */
#define fq_mul_inl(r, a, b) mont_mul_4_inl((r), (a), (b), BN254_FQ_P, BN254_FQ_N0)
ZKM_API void fq2_mul(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    uint64_t v0[4], v1[4], sa[4], sb[4];
    fq_mul_inl(v0, a, b);
    fq_mul_inl(v1, a + 4, b + 4);
    add_nored_4(sa, a, a + 4); /* < 2p each: the product is still exact and < p */
    add_nored_4(sb, b, b + 4);
    fq_mul_inl(sa, sa, sb);
    fq_sub(sa, sa, v0);
    fq_sub(r + 4, sa, v1);
    fq_sub(r, v0, v1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
ZKM_API void fq2_sqr(uint64_t *r, const uint64_t *a) {
    uint64_t s[4], d[4], m[4];
    add_nored_4(s, a, a + 4); /* < 2p: see add_nored_4 */
    fq_sub(d, a, a + 4);
    fq_mul_inl(m, a, a + 4);
    fq_mul_inl(r, s, d);
    fq_add(r + 4, m, m);
}

/* 1/(a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2); inverse of 0 is 0. */
ZKM_API void fq2_inv(uint64_t *r, const uint64_t *a) {
    uint64_t t0[4], t1[4];
    fq_sqr(t0, a);
    fq_sqr(t1, a + 4);
    fq_add(t0, t0, t1);
    fq_inv(t0, t0);
    fq_mul(r, a, t0);
    fq_mul(t1, a + 4, t0);
    fq_neg(r + 4, t1);
}

/* (a0 + a1 u)(9 + u) = (9 a0 - a1) + (9 a1 + a0) u */
ZKM_API void fq2_mul_by_xi(uint64_t *r, const uint64_t *a) {
    uint64_t t0[4], t1[4];
    fq_add(t0, a, a); fq_add(t0, t0, t0); fq_add(t0, t0, t0); fq_add(t0, t0, a);
    fq_add(t1, a + 4, a + 4); fq_add(t1, t1, t1); fq_add(t1, t1, t1); fq_add(t1, t1, a + 4);
    fq_sub(t0, t0, a + 4);
    fq_add(r + 4, t1, a);
    fq_copy(r, t0);
}

/* (a0 + a1 u) b for b in Fq */
ZKM_API void fq2_mul_fq(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    fq_mul(r, a, b); fq_mul(r + 4, a + 4, b); }

#endif
