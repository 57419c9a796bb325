/* Exported affine G1/G2 operations (see curve.h) over the generic group law. */
#include "curve.h"
#include "curve_inst.h"

#define EXPORT_CURVE(G, NL)                                                              \
    void G##_add(uint64_t *r, const uint64_t *p, const uint64_t *q) {                    \
        uint64_t j[3 * NL];                                                              \
        G##_jac_from_aff(j, p);                                                          \
        G##_jac_add_aff(j, j, q);                                                        \
        G##_jac_to_aff(r, j);                                                            \
    }                                                                                    \
    void G##_double(uint64_t *r, const uint64_t *p) {                                    \
        uint64_t j[3 * NL];                                                              \
        G##_jac_from_aff(j, p);                                                          \
        G##_jac_dbl(j, j);                                                               \
        G##_jac_to_aff(r, j);                                                            \
    }                                                                                    \
    void G##_neg(uint64_t *r, const uint64_t *p) { G##_aff_neg(r, p); }                  \
    void G##_scalar_mul(uint64_t *r, const uint64_t *p, const uint64_t *k) {             \
        uint64_t j[3 * NL];                                                              \
        G##_jac_mul(j, p, k);                                                            \
        G##_jac_to_aff(r, j);                                                            \
    }                                                                                    \
    int G##_is_on_curve(const uint64_t *p) { return G##_aff_on_curve(p); }               \
    size_t G##_count_not_on_curve(const uint64_t *pts, size_t n, uint8_t *flags) {       \
        size_t bad = 0;                                                                  \
        for (size_t i = 0; i < n; i++) {                                                 \
            int ok = G##_aff_on_curve(pts + 2 * NL * i);                                 \
            if (flags) flags[i] = (uint8_t)ok;                                           \
            bad += !ok;                                                                  \
        }                                                                                \
        return bad;                                                                      \
    }                                                                                    \
    void G##_batch_to_affine(uint64_t *out, const uint64_t *jac, size_t n, uint64_t *scratch) { \
        G##_batch_jac_to_aff(out, jac, n, scratch);                                      \
    }

EXPORT_CURVE(g1, 4)
EXPORT_CURVE(g2, 8)

/* On the twist and [r] p = infinity. */
int g2_in_subgroup(const uint64_t *p) {
    uint64_t j[24];
    if (!g2_aff_on_curve(p)) return 0;
    g2_jac_mul(j, p, BN254_FR_P);
    return g2_jac_is_inf(j);
}
