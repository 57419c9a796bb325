/* Generic short-Weierstrass (a = 0) group law, instantiated for G1 (over Fq) and G2
 * (over Fq2) by curve.c.  Before including, define:
 *   EC_PREFIX  (g1 | g2)   FE_PREFIX (fq | fq2)   NL (limbs per coordinate: 4 | 8)
 *   EC_B       (the curve constant b, Montgomery, NL limbs)
 * Affine points: x, y (2 NL limbs), infinity = all zero.  Jacobian: X, Y, Z (3 NL),
 * x = X/Z^2, y = Y/Z^3, infinity iff Z = 0.  Formulas: EFD dbl-2009-l, madd-2007-bl,
 * add-2007-bl (a = 0).  Outputs may alias inputs. */
#define ZKM_CAT2(a, b) a##_##b
#define ZKM_CAT(a, b) ZKM_CAT2(a, b)
#define EC(name) ZKM_CAT(EC_PREFIX, name)
#define F(name) ZKM_CAT(FE_PREFIX, name)

static inline void EC(jac_set_inf)(uint64_t *r) { memset(r, 0, 3 * NL * 8); }
static inline int EC(jac_is_inf)(const uint64_t *p) { return F(is_zero)(p + 2 * NL); }
static inline int EC(aff_is_inf)(const uint64_t *a) { return F(is_zero)(a) && F(is_zero)(a + NL); }

static inline void EC(jac_from_aff)(uint64_t *r, const uint64_t *a) {
    if (EC(aff_is_inf)(a)) { EC(jac_set_inf)(r); return; }
    F(copy)(r, a);
    F(copy)(r + NL, a + NL);
    F(set_one)(r + 2 * NL);
}

static inline void EC(aff_neg)(uint64_t *r, const uint64_t *a) {
    F(copy)(r, a);
    F(neg)(r + NL, a + NL);
}

/* dbl-2009-l: A=X^2 B=Y^2 C=B^2 D=2((X+B)^2-A-C) E=3A X3=E^2-2D Y3=E(D-X3)-8C Z3=2YZ */
static inline void EC(jac_dbl)(uint64_t *r, const uint64_t *p) {
    uint64_t A[NL], B[NL], C[NL], D[NL], E[NL], t[NL], Z3[NL];
    if (EC(jac_is_inf)(p)) { EC(jac_set_inf)(r); return; }
    F(sqr)(A, p);
    F(sqr)(B, p + NL);
    F(sqr)(C, B);
    F(add)(t, p, B);
    F(sqr)(t, t);
    F(sub)(t, t, A);
    F(sub)(t, t, C);
    F(add)(D, t, t);
    F(add)(E, A, A);
    F(add)(E, E, A);
    F(mul)(Z3, p + NL, p + 2 * NL);
    F(add)(r + 2 * NL, Z3, Z3);
    F(sqr)(t, E);
    F(sub)(t, t, D);
    F(sub)(r, t, D);
    F(sub)(t, D, r);
    F(mul)(t, E, t);
    F(add)(C, C, C); F(add)(C, C, C); F(add)(C, C, C);
    F(sub)(r + NL, t, C);
}

/* The common end of madd-2007-bl and add-2007-bl: with rr = 2(S2 - S1), J = H I,
 * V = U1 I, X3 = rr^2 - J - 2V, Y3 = rr (V - X3) - 2 S1 J; r = (X3, Y3, Z3).  Reads
 * S1 and Z3 before writing r, so r may alias the input they point into. */
static inline void EC(add_finish)(uint64_t *r, const uint64_t *rr, const uint64_t *J,
                                  const uint64_t *V, const uint64_t *S1, const uint64_t *Z3) {
    uint64_t X3[NL], Y3[NL], t[NL];
    F(sqr)(X3, rr);
    F(sub)(X3, X3, J);
    F(sub)(X3, X3, V);
    F(sub)(X3, X3, V);
    F(sub)(t, V, X3);
    F(mul)(Y3, rr, t);
    F(mul)(t, S1, J);
    F(add)(t, t, t);
    F(sub)(Y3, Y3, t);
    F(copy)(r + 2 * NL, Z3);
    F(copy)(r, X3);
    F(copy)(r + NL, Y3);
}

/* madd-2007-bl: r = p + q, p Jacobian, q affine. */
static inline void EC(jac_add_aff)(uint64_t *r, const uint64_t *p, const uint64_t *q) {
    uint64_t Z1Z1[NL], U2[NL], S2[NL], H[NL], HH[NL], I[NL], J[NL], rr[NL], V[NL], Z3[NL];
    if (EC(aff_is_inf)(q)) { if (r != p) memcpy(r, p, 3 * NL * 8); return; }
    if (EC(jac_is_inf)(p)) { EC(jac_from_aff)(r, q); return; }
    F(sqr)(Z1Z1, p + 2 * NL);
    F(mul)(U2, q, Z1Z1);
    F(mul)(S2, q + NL, p + 2 * NL);
    F(mul)(S2, S2, Z1Z1);
    F(sub)(H, U2, p);
    F(sub)(rr, S2, p + NL);
    if (F(is_zero)(H)) {
        if (F(is_zero)(rr)) EC(jac_dbl)(r, p);
        else EC(jac_set_inf)(r);
        return;
    }
    F(add)(rr, rr, rr);
    F(sqr)(HH, H);
    F(add)(I, HH, HH);
    F(add)(I, I, I);
    F(mul)(J, H, I);
    F(mul)(V, p, I);
    F(add)(Z3, p + 2 * NL, H);
    F(sqr)(Z3, Z3);
    F(sub)(Z3, Z3, Z1Z1);
    F(sub)(Z3, Z3, HH);
    EC(add_finish)(r, rr, J, V, p + NL, Z3);
}

/* add-2007-bl: r = p + q, both Jacobian. */
static inline void EC(jac_add)(uint64_t *r, const uint64_t *p, const uint64_t *q) {
    uint64_t Z1Z1[NL], Z2Z2[NL], U1[NL], U2[NL], S1[NL], S2[NL], H[NL], I[NL], J[NL];
    uint64_t rr[NL], V[NL], Z3[NL];
    if (EC(jac_is_inf)(q)) { if (r != p) memcpy(r, p, 3 * NL * 8); return; }
    if (EC(jac_is_inf)(p)) { if (r != q) memcpy(r, q, 3 * NL * 8); return; }
    F(sqr)(Z1Z1, p + 2 * NL);
    F(sqr)(Z2Z2, q + 2 * NL);
    F(mul)(U1, p, Z2Z2);
    F(mul)(U2, q, Z1Z1);
    F(mul)(S1, p + NL, q + 2 * NL);
    F(mul)(S1, S1, Z2Z2);
    F(mul)(S2, q + NL, p + 2 * NL);
    F(mul)(S2, S2, Z1Z1);
    F(sub)(H, U2, U1);
    F(sub)(rr, S2, S1);
    if (F(is_zero)(H)) {
        if (F(is_zero)(rr)) EC(jac_dbl)(r, p);
        else EC(jac_set_inf)(r);
        return;
    }
    F(add)(rr, rr, rr);
    F(add)(I, H, H);
    F(sqr)(I, I);
    F(mul)(J, H, I);
    F(mul)(V, U1, I);
    F(add)(Z3, p + 2 * NL, q + 2 * NL);
    F(sqr)(Z3, Z3);
    F(sub)(Z3, Z3, Z1Z1);
    F(sub)(Z3, Z3, Z2Z2);
    F(mul)(Z3, Z3, H);
    EC(add_finish)(r, rr, J, V, S1, Z3);
}

static inline void EC(jac_to_aff)(uint64_t *a, const uint64_t *p) {
    uint64_t zi[NL], zi2[NL];
    if (EC(jac_is_inf)(p)) { memset(a, 0, 2 * NL * 8); return; }
    F(inv)(zi, p + 2 * NL);
    F(sqr)(zi2, zi);
    F(mul)(a, p, zi2);
    F(mul)(zi2, zi2, zi);
    F(mul)(a + NL, p + NL, zi2);
}

/* Montgomery's trick over the Z coordinates: one inversion for n points.
 * scratch: n * NL limbs.  out (n, 2 NL) must not overlap jac. */
static void EC(batch_jac_to_aff)(uint64_t *out, const uint64_t *jac, size_t n, uint64_t *scratch) {
    uint64_t acc[NL], inv[NL], zi[NL], zi2[NL];
    F(set_one)(acc);
    for (size_t i = 0; i < n; i++) {
        F(copy)(scratch + i * NL, acc);
        if (!EC(jac_is_inf)(jac + 3 * NL * i)) F(mul)(acc, acc, jac + 3 * NL * i + 2 * NL);
    }
    F(inv)(inv, acc);
    for (size_t i = n; i-- > 0;) {
        const uint64_t *p = jac + 3 * NL * i;
        uint64_t *a = out + 2 * NL * i;
        if (EC(jac_is_inf)(p)) { memset(a, 0, 2 * NL * 8); continue; }
        F(mul)(zi, inv, scratch + i * NL);
        F(mul)(inv, inv, p + 2 * NL);
        F(sqr)(zi2, zi);
        F(mul)(a, p, zi2);
        F(mul)(zi2, zi2, zi);
        F(mul)(a + NL, p + NL, zi2);
    }
}

/* y^2 == x^3 + b (infinity counts as on the curve). */
static inline int EC(aff_on_curve)(const uint64_t *a) {
    uint64_t l[NL], rhs[NL];
    if (EC(aff_is_inf)(a)) return 1;
    F(sqr)(l, a + NL);
    F(sqr)(rhs, a);
    F(mul)(rhs, rhs, a);
    F(add)(rhs, rhs, EC_B);
    return F(eq)(l, rhs);
}

/* r = [k] p for the exact 256-bit integer k (no reduction mod r), p affine. */
static void EC(jac_mul)(uint64_t *r, const uint64_t *p, const uint64_t *k) {
    uint64_t acc[3 * NL];
    EC(jac_set_inf)(acc);
    for (int i = 255; i >= 0; i--) {
        EC(jac_dbl)(acc, acc);
        if ((k[i >> 6] >> (i & 63)) & 1) EC(jac_add_aff)(acc, acc, p);
    }
    memcpy(r, acc, 3 * NL * 8);
}

#undef EC
#undef F
