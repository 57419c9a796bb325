/* Fq6 and Fq12 arithmetic for the BN254 pairing (see tower.h for the representation).
 *
 * Karatsuba/Toom-style formulas follow Devegili, O hEigeartaigh, Scott, Dahab,
 * "Multiplication and Squaring on Pairing-Friendly Fields" (2006); the cyclotomic
 * squaring is Granger-Scott (PKC 2010), as in arkworks' Fp12 `cyclotomic_square`.
 */
#include "tower.h"
#include "field.h"

#define C0(a) (a)
#define C1(a) ((a) + 8)
#define C2(a) ((a) + 16)
#define HI(a) ((a) + 24) /* Fq12: c1 */

/* ---------------- Fq6 = Fq2[v]/(v^3 - xi) ---------------- */

void fq6_add(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    fq2_add(C0(r), C0(a), C0(b));
    fq2_add(C1(r), C1(a), C1(b));
    fq2_add(C2(r), C2(a), C2(b));
}

void fq6_sub(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    fq2_sub(C0(r), C0(a), C0(b));
    fq2_sub(C1(r), C1(a), C1(b));
    fq2_sub(C2(r), C2(a), C2(b));
}

void fq6_neg(uint64_t *r, const uint64_t *a) {
    fq2_neg(C0(r), C0(a));
    fq2_neg(C1(r), C1(a));
    fq2_neg(C2(r), C2(a));
}

/* (a0 + a1 v + a2 v^2)(b0 + b1 v + b2 v^2), Karatsuba with 6 Fq2 products:
 * c0 = t0 + xi((a1+a2)(b1+b2) - t1 - t2), c1 = (a0+a1)(b0+b1) - t0 - t1 + xi t2,
 * c2 = (a0+a2)(b0+b2) - t0 - t2 + t1, with t_i = a_i b_i. */
void fq6_mul(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    uint64_t t0[8], t1[8], t2[8], s[8], u[8], c0[8], c1[8], c2[8];
    fq2_mul(t0, C0(a), C0(b));
    fq2_mul(t1, C1(a), C1(b));
    fq2_mul(t2, C2(a), C2(b));
    fq2_add(s, C1(a), C2(a));
    fq2_add(u, C1(b), C2(b));
    fq2_mul(c0, s, u);
    fq2_sub(c0, c0, t1);
    fq2_sub(c0, c0, t2);
    fq2_mul_by_xi(c0, c0);
    fq2_add(c0, c0, t0);
    fq2_add(s, C0(a), C1(a));
    fq2_add(u, C0(b), C1(b));
    fq2_mul(c1, s, u);
    fq2_sub(c1, c1, t0);
    fq2_sub(c1, c1, t1);
    fq2_mul_by_xi(s, t2);
    fq2_add(c1, c1, s);
    fq2_add(s, C0(a), C2(a));
    fq2_add(u, C0(b), C2(b));
    fq2_mul(c2, s, u);
    fq2_sub(c2, c2, t0);
    fq2_sub(c2, c2, t2);
    fq2_add(c2, c2, t1);
    fq2_copy(C0(r), c0);
    fq2_copy(C1(r), c1);
    fq2_copy(C2(r), c2);
}

/* CH-SQR2 (Chung-Hasan): s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2,
 * s3 = 2 a1 a2, s4 = a2^2; c0 = s0 + xi s3, c1 = s1 + xi s4, c2 = s1 + s2 + s3 - s0 - s4. */
void fq6_sqr(uint64_t *r, const uint64_t *a) {
    uint64_t s0[8], s1[8], s2[8], s3[8], s4[8], t[8];
    fq2_sqr(s0, C0(a));
    fq2_mul(s1, C0(a), C1(a));
    fq2_add(s1, s1, s1);
    fq2_sub(t, C0(a), C1(a));
    fq2_add(t, t, C2(a));
    fq2_sqr(s2, t);
    fq2_mul(s3, C1(a), C2(a));
    fq2_add(s3, s3, s3);
    fq2_sqr(s4, C2(a));
    /* c2 first: it needs s0..s4 before the outputs overwrite a */
    fq2_add(t, s1, s2);
    fq2_add(t, t, s3);
    fq2_sub(t, t, s0);
    fq2_sub(C2(r), t, s4);
    fq2_mul_by_xi(s3, s3);
    fq2_add(C0(r), s0, s3);
    fq2_mul_by_xi(s4, s4);
    fq2_add(C1(r), s1, s4);
}

/* a v = xi a2 + a0 v + a1 v^2 */
void fq6_mul_by_v(uint64_t *r, const uint64_t *a) {
    uint64_t t[8];
    fq2_mul_by_xi(t, C2(a));
    fq2_copy(C2(r), C1(a));
    fq2_copy(C1(r), C0(a));
    fq2_copy(C0(r), t);
}

void fq6_mul_by_fq2(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    fq2_mul(C0(r), C0(a), b);
    fq2_mul(C1(r), C1(a), b);
    fq2_mul(C2(r), C2(a), b);
}

/* a (b0 + b1 v) with 5 Fq2 products:
 * c0 = a0 b0 + xi a2 b1, c1 = a0 b1 + a1 b0, c2 = a1 b1 + a2 b0. */
void fq6_mul_by_01(uint64_t *r, const uint64_t *a, const uint64_t *b0, const uint64_t *b1) {
    uint64_t t0[8], t1[8], s[8], u[8], c0[8], c1[8], c2[8];
    fq2_mul(t0, C0(a), b0);
    fq2_mul(t1, C1(a), b1);
    fq2_add(s, C1(a), C2(a));
    fq2_mul(c0, s, b1);
    fq2_sub(c0, c0, t1);
    fq2_mul_by_xi(c0, c0);
    fq2_add(c0, c0, t0);
    fq2_add(s, C0(a), C1(a));
    fq2_add(u, b0, b1);
    fq2_mul(c1, s, u);
    fq2_sub(c1, c1, t0);
    fq2_sub(c1, c1, t1);
    fq2_add(s, C0(a), C2(a));
    fq2_mul(c2, s, b0);
    fq2_sub(c2, c2, t0);
    fq2_add(c2, c2, t1);
    fq2_copy(C0(r), c0);
    fq2_copy(C1(r), c1);
    fq2_copy(C2(r), c2);
}

/* 1/a = (t0 + t1 v + t2 v^2)/N with t0 = a0^2 - xi a1 a2, t1 = xi a2^2 - a0 a1,
 * t2 = a1^2 - a0 a2 and N = a0 t0 + xi (a2 t1 + a1 t2) in Fq2.  Inverse of 0 is 0. */
void fq6_inv(uint64_t *r, const uint64_t *a) {
    uint64_t t0[8], t1[8], t2[8], s[8], n[8];
    fq2_sqr(t0, C0(a));
    fq2_mul(s, C1(a), C2(a));
    fq2_mul_by_xi(s, s);
    fq2_sub(t0, t0, s);
    fq2_sqr(t1, C2(a));
    fq2_mul_by_xi(t1, t1);
    fq2_mul(s, C0(a), C1(a));
    fq2_sub(t1, t1, s);
    fq2_sqr(t2, C1(a));
    fq2_mul(s, C0(a), C2(a));
    fq2_sub(t2, t2, s);
    fq2_mul(n, C2(a), t1);
    fq2_mul(s, C1(a), t2);
    fq2_add(n, n, s);
    fq2_mul_by_xi(n, n);
    fq2_mul(s, C0(a), t0);
    fq2_add(n, n, s);
    fq2_inv(n, n);
    fq2_mul(C0(r), t0, n);
    fq2_mul(C1(r), t1, n);
    fq2_mul(C2(r), t2, n);
}

/* ---------------- Fq12 = Fq6[w]/(w^2 - v) ---------------- */

void fq12_set_one(uint64_t *r) {
    memset(r, 0, 48 * sizeof(uint64_t));
    fq_set_one(r);
}

int fq12_eq(const uint64_t *a, const uint64_t *b) {
    uint64_t d = 0;
    for (int i = 0; i < 48; i++) d |= a[i] ^ b[i];
    return d == 0;
}

int fq12_is_one(const uint64_t *a) {
    uint64_t one[48];
    fq12_set_one(one);
    return fq12_eq(a, one);
}

/* (a0 + a1 w)(b0 + b1 w) = (a0 b0 + v a1 b1) + ((a0+a1)(b0+b1) - a0 b0 - a1 b1) w */
void fq12_mul(uint64_t *r, const uint64_t *a, const uint64_t *b) {
    uint64_t t0[24], t1[24], s[24], u[24];
    fq6_mul(t0, a, b);
    fq6_mul(t1, HI(a), HI(b));
    fq6_add(s, a, HI(a));
    fq6_add(u, b, HI(b));
    fq6_mul(s, s, u);
    fq6_sub(s, s, t0);
    fq6_sub(HI(r), s, t1);
    fq6_mul_by_v(t1, t1);
    fq6_add(r, t0, t1);
}

/* complex squaring: (a0 + a1 w)^2 = ((a0 + a1)(a0 + v a1) - m - v m) + 2 m w, m = a0 a1 */
void fq12_sqr(uint64_t *r, const uint64_t *a) {
    uint64_t m[24], s[24], t[24];
    fq6_mul(m, a, HI(a));
    fq6_add(s, a, HI(a));
    fq6_mul_by_v(t, HI(a));
    fq6_add(t, t, a);
    fq6_mul(s, s, t);
    fq6_sub(s, s, m);
    fq6_mul_by_v(t, m);
    fq6_sub(r, s, t);
    fq6_add(HI(r), m, m);
}

/* a^(p^6) = a0 - a1 w (the inverse on the cyclotomic subgroup) */
void fq12_conj(uint64_t *r, const uint64_t *a) {
    if (r != a) memmove(r, a, 24 * sizeof(uint64_t));
    fq6_neg(HI(r), HI(a));
}

/* 1/(a0 + a1 w) = (a0 - a1 w)/(a0^2 - v a1^2) */
void fq12_inv(uint64_t *r, const uint64_t *a) {
    uint64_t t0[24], t1[24];
    fq6_sqr(t0, a);
    fq6_sqr(t1, HI(a));
    fq6_mul_by_v(t1, t1);
    fq6_sub(t0, t0, t1);
    fq6_inv(t0, t0);
    fq6_mul(r, a, t0);
    fq6_mul(t1, HI(a), t0);
    fq6_neg(HI(r), t1);
}

/* a^(p^k), k in 1..3 (other k reduced mod 12 by repeated application) */
void fq12_frobenius(uint64_t *r, const uint64_t *a, int k) {
    k %= 12;
    if (k < 0) k += 12;
    if (k == 0) {
        if (r != a) memmove(r, a, 48 * sizeof(uint64_t));
        return;
    }
    if (k > 3) {
        fq12_frobenius(r, a, 3);
        fq12_frobenius(r, r, k - 3);
        return;
    }
    /* g_i at flat offset: i even -> c0.c_{i/2}, i odd -> c1.c_{(i-1)/2} */
    for (int i = 0; i < 6; i++) {
        uint64_t *ri = r + ((i & 1) ? 24 : 0) + 8 * (i >> 1);
        const uint64_t *ai = a + ((i & 1) ? 24 : 0) + 8 * (i >> 1);
        if (k & 1) fq2_conj(ri, ai);
        else fq2_copy(ri, ai);
        if (i == 0) continue;
        const uint64_t *g = BN254_FROBENIUS_GAMMA[k - 1][i - 1];
        if (k == 2) fq2_mul_fq(ri, ri, g); /* gamma_{2,i} lies in Fq */
        else fq2_mul(ri, ri, g);
    }
}

/* Granger-Scott squaring for a in the cyclotomic subgroup (a^(p^4 - p^2 + 1) = 1).
 * Fq12 viewed as Fq4^3 with Fq4 = Fq2[s]/(s^2 - xi), s = w^3:
 * pairs (z0, z1) = (g0, g3), (z2, z3) = (g1, g4), (z4, z5) = (g2, g5). */
static void fq4_sqr(uint64_t *t0, uint64_t *t1, const uint64_t *x, const uint64_t *y) {
    uint64_t m[8], s[8], u[8];
    fq2_mul(m, x, y);
    fq2_add(s, x, y);
    fq2_mul_by_xi(u, y);
    fq2_add(u, u, x);
    fq2_mul(s, s, u);
    fq2_sub(s, s, m);
    fq2_mul_by_xi(u, m);
    fq2_sub(t0, s, u);
    fq2_add(t1, m, m);
}

/* r = 3 t - 2 z  (sign = -1)  or  3 t + 2 z  (sign = +1) */
static void three_t_two_z(uint64_t *r, const uint64_t *t, const uint64_t *z, int sign) {
    uint64_t d[8];
    if (sign < 0) fq2_sub(d, t, z);
    else fq2_add(d, t, z);
    fq2_add(d, d, d);
    fq2_add(r, d, t);
}

void fq12_cyclotomic_sqr(uint64_t *r, const uint64_t *a) {
    uint64_t z0[8], z1[8], z2[8], z3[8], z4[8], z5[8];
    uint64_t t0[8], t1[8], t2[8], t3[8], t4[8], t5[8], x[8];
    fq2_copy(z0, a);       /* c0.c0 */
    fq2_copy(z4, a + 8);   /* c0.c1 */
    fq2_copy(z3, a + 16);  /* c0.c2 */
    fq2_copy(z2, a + 24);  /* c1.c0 */
    fq2_copy(z1, a + 32);  /* c1.c1 */
    fq2_copy(z5, a + 40);  /* c1.c2 */
    fq4_sqr(t0, t1, z0, z1);
    fq4_sqr(t2, t3, z2, z3);
    fq4_sqr(t4, t5, z4, z5);
    three_t_two_z(r, t0, z0, -1);       /* c0.c0 */
    three_t_two_z(r + 32, t1, z1, +1);  /* c1.c1 */
    fq2_mul_by_xi(x, t5);
    three_t_two_z(r + 24, x, z2, +1);   /* c1.c0 */
    three_t_two_z(r + 16, t4, z3, -1);  /* c0.c2 */
    three_t_two_z(r + 8, t2, z4, -1);   /* c0.c1 */
    three_t_two_z(r + 40, t3, z5, +1);  /* c1.c2 */
}

/* a * l with l = l0 + l3 w + l4 v w (flat Fq2 slots 0, 3, 4 of c0.c0..c1.c2), 13 Fq2 products:
 * l = L0 + L1 w with L0 = l0 (in Fq2), L1 = l3 + l4 v. */
void fq12_mul_by_034(uint64_t *r, const uint64_t *a, const uint64_t *l0, const uint64_t *l3,
                     const uint64_t *l4) {
    uint64_t t0[24], t1[24], s[24], b0[8];
    fq6_mul_by_fq2(t0, a, l0);
    fq6_mul_by_01(t1, HI(a), l3, l4);
    fq6_add(s, a, HI(a));
    fq2_add(b0, l0, l3);
    fq6_mul_by_01(s, s, b0, l4);
    fq6_sub(s, s, t0);
    fq6_sub(HI(r), s, t1);
    fq6_mul_by_v(t1, t1);
    fq6_add(r, t0, t1);
}
