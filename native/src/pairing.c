/* BN254 optimal ate pairing: shared multi-Miller loop and final exponentiation.
 *
 * Miller loop (Vercauteren's optimal ate, D-type twist E': y^2 = x^3 + b', b' = 3/xi):
 * T walks the NAF of 6x + 2 in homogeneous projective coordinates (X : Y : Z) on E'
 * (x = X/Z, y = Y/Z), with the line formulas of Costello-Lange-Naehrig / Aranha, Karabina,
 * Longa, Gebotys, Lopez, "Faster explicit formulas for computing pairings over ordinary
 * curves" (Eurocrypt 2011).  Untwisting psi(x', y') = (x' w^2, y' w^3) puts every line
 * value at P = (xP, yP) in the sparse form l0 + l3 w + l4 v w (fq12_mul_by_034):
 *   doubling  (tangent at T, times 2YZ^3):  l = -2YZ yP + 3X^2 xP w + (3b'Z^2 - Y^2) v w
 *   addition  (chord T, Q=(x2,y2), times lambda = X - x2 Z, theta = Y - y2 Z):
 *             l = lambda yP - theta xP w + (theta x2 - lambda y2) v w
 * Dropped factors (in Fq2) and vertical lines (in Fq6) die in the final exponentiation.
 * After the loop T = [6x+2]Q and two more additions with Q1 = pi(Q) and -Q2 = -pi^2(Q):
 *   pi(x, y)   = (conj(x) gamma_{1,2}, conj(y) gamma_{1,3}),
 *   pi^2(x, y) = (x gamma_{2,2}, y gamma_{2,3}).
 *
 * Final exponentiation: (p^12-1)/r = (p^6-1)(p^2+1) * (p^4-p^2+1)/r.  Easy part by one
 * inversion and Frobenius maps; hard part by the vectorial addition chain of Scott,
 * Benger, Charlemagne, Dominguez Perez, Kachisa, "On the final exponentiation for
 * calculating pairings on ordinary elliptic curves" (Pairing 2009): three f^x
 * (cyclotomic squarings along the NAF of x) and Frobenius maps; it raises to exactly
 * (p^4-p^2+1)/r, so the result matches py_ecc bit for bit.
 */
#include "pairing.h"
#include "field.h"
#include "pairing_consts.h"
#include "tower.h"

#define PAIRING_CHUNK 16 /* pairs sharing one Miller loop (stack state, no malloc) */

typedef struct {
    uint64_t x[8], y[8], z[8];   /* T on E' (projective)           */
    const uint64_t *q;           /* Q affine: x[8], y[8]           */
    uint64_t neg_qy[8];          /* -y(Q) for the NAF -1 digits    */
    uint64_t neg_yp[4];          /* -yP                            */
    uint64_t xp3[4];             /* 3 xP                           */
    uint64_t neg_xp[4];          /* -xP                            */
    uint64_t yp[4];              /* yP                             */
} miller_state;

/* r = a / 2 in Fq (a < p): add p when odd, then shift; the sum is < 2^255. */
static inline void fq_half(uint64_t r[4], const uint64_t a[4]) {
    uint64_t mask = (uint64_t)0 - (a[0] & 1);
    zkm_u128 s;
    uint64_t t[4], top;
    s = (zkm_u128)a[0] + (BN254_FQ_P[0] & mask);             t[0] = (uint64_t)s;
    s = (zkm_u128)a[1] + (BN254_FQ_P[1] & mask) + (s >> 64); t[1] = (uint64_t)s;
    s = (zkm_u128)a[2] + (BN254_FQ_P[2] & mask) + (s >> 64); t[2] = (uint64_t)s;
    s = (zkm_u128)a[3] + (BN254_FQ_P[3] & mask) + (s >> 64); t[3] = (uint64_t)s;
    top = (uint64_t)(s >> 64);
    r[0] = (t[0] >> 1) | (t[1] << 63);
    r[1] = (t[1] >> 1) | (t[2] << 63);
    r[2] = (t[2] >> 1) | (t[3] << 63);
    r[3] = (t[3] >> 1) | (top << 63);
}

static inline void fq2_half(uint64_t r[8], const uint64_t a[8]) {
    fq_half(r, a);
    fq_half(r + 4, a + 4);
}

/* T <- 2T and the tangent line at T evaluated at P (formulas in the file comment):
 * A = XY/2, B = Y^2, C = Z^2, E = 3b'C, F = 3E, G = (B+F)/2, H = (Y+Z)^2 - B - C,
 * X3 = A(B-F), Y3 = G^2 - 3E^2, Z3 = BH; l0 = -H yP, l3 = 3X^2 xP, l4 = E - B. */
static void doubling_step(miller_state *s, uint64_t l0[8], uint64_t l3[8], uint64_t l4[8]) {
    uint64_t a[8], b[8], c[8], e[8], f[8], g[8], h[8], t[8];
    fq2_mul(a, s->x, s->y);
    fq2_half(a, a);
    fq2_sqr(b, s->y);
    fq2_sqr(c, s->z);
    fq2_mul(e, c, BN254_TWIST_3B_MONT);
    fq2_add(f, e, e);
    fq2_add(f, f, e);
    fq2_add(g, b, f);
    fq2_half(g, g);
    fq2_add(h, s->y, s->z);
    fq2_sqr(h, h);
    fq2_sub(h, h, b);
    fq2_sub(h, h, c);
    fq2_sub(l4, e, b);
    fq2_sqr(t, s->x);
    fq2_mul_fq(l3, t, s->xp3);
    fq2_mul_fq(l0, h, s->neg_yp);
    fq2_sub(t, b, f);
    fq2_mul(s->x, a, t);
    fq2_sqr(e, e);
    fq2_add(t, e, e);
    fq2_add(t, t, e);
    fq2_sqr(g, g);
    fq2_sub(s->y, g, t);
    fq2_mul(s->z, b, h);
}

/* T <- T + Q2 (Q2 = (x2, y2) affine, T != +-Q2) and the chord evaluated at P:
 * theta = Y - y2 Z, lambda = X - x2 Z, C = theta^2, D = lambda^2, E = lambda D, F = Z C,
 * G = X D, H = E + F - 2G; X3 = lambda H, Y3 = theta (G - H) - Y E, Z3 = Z E;
 * l0 = lambda yP, l3 = -theta xP, l4 = theta x2 - lambda y2. */
static void addition_step(miller_state *s, const uint64_t x2[8], const uint64_t y2[8],
                          uint64_t l0[8], uint64_t l3[8], uint64_t l4[8]) {
    uint64_t th[8], la[8], c[8], d[8], e[8], f[8], g[8], h[8], t[8];
    fq2_mul(t, y2, s->z);
    fq2_sub(th, s->y, t);
    fq2_mul(t, x2, s->z);
    fq2_sub(la, s->x, t);
    fq2_sqr(c, th);
    fq2_sqr(d, la);
    fq2_mul(e, la, d);
    fq2_mul(f, s->z, c);
    fq2_mul(g, s->x, d);
    fq2_add(h, e, f);
    fq2_sub(h, h, g);
    fq2_sub(h, h, g);
    fq2_mul(l4, th, x2);
    fq2_mul(t, la, y2);
    fq2_sub(l4, l4, t);
    fq2_mul_fq(l0, la, s->yp);
    fq2_mul_fq(l3, th, s->neg_xp);
    fq2_mul(s->x, la, h);
    fq2_sub(t, g, h);
    fq2_mul(t, th, t);
    fq2_mul(f, s->y, e);
    fq2_sub(s->y, t, f);
    fq2_mul(s->z, s->z, e);
}

/* Per-pair precomputation; returns 0 when the pair contributes 1 (a point at infinity). */
static int miller_init(miller_state *s, const uint64_t *p, const uint64_t *q) {
    int p_inf = 1, q_inf = 1;
    for (int i = 0; i < 8; i++) p_inf &= p[i] == 0;
    for (int i = 0; i < 16; i++) q_inf &= q[i] == 0;
    if (p_inf || q_inf) return 0;
    s->q = q;
    fq2_copy(s->x, q);
    fq2_copy(s->y, q + 8);
    fq2_set_one(s->z);
    fq2_neg(s->neg_qy, q + 8);
    fq_copy(s->yp, p + 4);
    fq_neg(s->neg_yp, p + 4);
    fq_neg(s->neg_xp, p);
    fq_add(s->xp3, p, p);
    fq_add(s->xp3, s->xp3, p);
    return 1;
}

/* The two closing additions with Q1 = pi(Q) and -Q2 = -pi^2(Q). */
static void miller_tail(miller_state *s, uint64_t f[48]) {
    uint64_t x1[8], y1[8], x2[8], y2[8], l0[8], l3[8], l4[8];
    fq2_conj(x1, s->q);
    fq2_mul(x1, x1, BN254_FROBENIUS_GAMMA[0][1]);
    fq2_conj(y1, s->q + 8);
    fq2_mul(y1, y1, BN254_FROBENIUS_GAMMA[0][2]);
    fq2_mul_fq(x2, s->q, BN254_FROBENIUS_GAMMA[1][1]);
    fq2_mul_fq(y2, s->q + 8, BN254_FROBENIUS_GAMMA[1][2]);
    fq2_neg(y2, y2);
    addition_step(s, x1, y1, l0, l3, l4);
    fq12_mul_by_034(f, f, l0, l3, l4);
    addition_step(s, x2, y2, l0, l3, l4);
    fq12_mul_by_034(f, f, l0, l3, l4);
}

/* f = prod over the n (<= PAIRING_CHUNK) live states of their Miller values. */
static void miller_chunk(uint64_t f[48], miller_state *st, size_t n) {
    uint64_t l0[8], l3[8], l4[8];
    fq12_set_one(f);
    for (int i = BN254_ATE_NAF_LEN - 2; i >= 0; i--) {
        if (i != BN254_ATE_NAF_LEN - 2) fq12_sqr(f, f);
        for (size_t j = 0; j < n; j++) {
            doubling_step(&st[j], l0, l3, l4);
            fq12_mul_by_034(f, f, l0, l3, l4);
        }
        int d = BN254_ATE_NAF[i];
        if (d == 0) continue;
        for (size_t j = 0; j < n; j++) {
            const uint64_t *qy = d > 0 ? st[j].q + 8 : st[j].neg_qy;
            addition_step(&st[j], st[j].q, qy, l0, l3, l4);
            fq12_mul_by_034(f, f, l0, l3, l4);
        }
    }
    for (size_t j = 0; j < n; j++) miller_tail(&st[j], f);
}

void bn254_miller_loop(uint64_t *f, const uint64_t *g1, const uint64_t *g2, size_t k) {
    miller_state st[PAIRING_CHUNK];
    uint64_t part[48];
    size_t n = 0;
    int first = 1;
    fq12_set_one(f);
    for (size_t j = 0; j <= k; j++) {
        if (j < k && miller_init(&st[n], g1 + 8 * j, g2 + 16 * j)) n++;
        if (n == PAIRING_CHUNK || (j == k && n > 0)) {
            if (first) {
                miller_chunk(f, st, n);
                first = 0;
            } else {
                miller_chunk(part, st, n);
                fq12_mul(f, f, part);
            }
            n = 0;
        }
    }
}

/* r = a^x for a in the cyclotomic subgroup (NAF of x; a^-1 = conj(a) there). */
static void cyclotomic_exp_x(uint64_t r[48], const uint64_t a[48]) {
    uint64_t acc[48], inv[48];
    fq12_conj(inv, a);
    memcpy(acc, a, sizeof acc); /* top NAF digit is 1 */
    for (int i = BN254_X_NAF_LEN - 2; i >= 0; i--) {
        fq12_cyclotomic_sqr(acc, acc);
        if (BN254_X_NAF[i] > 0) fq12_mul(acc, acc, a);
        else if (BN254_X_NAF[i] < 0) fq12_mul(acc, acc, inv);
    }
    memcpy(r, acc, sizeof acc);
}

/* Hard part f^((p^4-p^2+1)/r) = f^(l0 + l1 p + l2 p^2 + l3 p^3) (Scott et al. 2009):
 * y0 = f^p f^p^2 f^p^3, y1 = 1/f, y2 = (f^x^2)^p^2, y3 = 1/(f^x)^p, y4 = 1/(f^x (f^x^2)^p),
 * y5 = 1/f^x^2, y6 = 1/(f^x^3 (f^x^3)^p); then
 * t0 = y6^2 y4 y5, t1 = y3 y5 t0, t0 = t0 y2, t1 = (t1^2 t0)^2, t0 = t1 y1, t1 = t1 y0,
 * result = t0^2 t1 = y0 y1^2 y2^6 y3^12 y4^10 y5^18 y6^36. */
static void final_exp_hard(uint64_t r[48], const uint64_t f[48]) {
    uint64_t fx[48], fx2[48], fx3[48], y0[48], y1[48], y2[48], y3[48], y4[48], y5[48],
        y6[48], t0[48], t1[48];
    cyclotomic_exp_x(fx, f);
    cyclotomic_exp_x(fx2, fx);
    cyclotomic_exp_x(fx3, fx2);
    fq12_frobenius(y0, f, 1);
    fq12_frobenius(t0, f, 2);
    fq12_mul(y0, y0, t0);
    fq12_frobenius(t0, f, 3);
    fq12_mul(y0, y0, t0);
    fq12_conj(y1, f);
    fq12_frobenius(y2, fx2, 2);
    fq12_frobenius(y3, fx, 1);
    fq12_conj(y3, y3);
    fq12_frobenius(y4, fx2, 1);
    fq12_mul(y4, y4, fx);
    fq12_conj(y4, y4);
    fq12_conj(y5, fx2);
    fq12_frobenius(y6, fx3, 1);
    fq12_mul(y6, y6, fx3);
    fq12_conj(y6, y6);
    fq12_cyclotomic_sqr(t0, y6);
    fq12_mul(t0, t0, y4);
    fq12_mul(t0, t0, y5);
    fq12_mul(t1, y3, y5);
    fq12_mul(t1, t1, t0);
    fq12_mul(t0, t0, y2);
    fq12_cyclotomic_sqr(t1, t1);
    fq12_mul(t1, t1, t0);
    fq12_cyclotomic_sqr(t1, t1);
    fq12_mul(t0, t1, y1);
    fq12_mul(t1, t1, y0);
    fq12_cyclotomic_sqr(t0, t0);
    fq12_mul(r, t0, t1);
}

void bn254_final_exponentiation(uint64_t *r, const uint64_t *f) {
    uint64_t t[48], inv[48];
    /* easy part: f^(p^6 - 1) = conj(f)/f, then ^(p^2 + 1) */
    fq12_inv(inv, f);
    fq12_conj(t, f);
    fq12_mul(t, t, inv);
    fq12_frobenius(inv, t, 2);
    fq12_mul(t, inv, t);
    final_exp_hard(r, t);
}

void bn254_pairing(uint64_t *out, const uint64_t *g1, const uint64_t *g2) {
    uint64_t f[48];
    bn254_miller_loop(f, g1, g2, 1);
    bn254_final_exponentiation(out, f);
}

int bn254_pairing_check(const uint64_t *g1, const uint64_t *g2, size_t k) {
    uint64_t f[48];
    bn254_miller_loop(f, g1, g2, k);
    bn254_final_exponentiation(f, f);
    return fq12_is_one(f);
}
