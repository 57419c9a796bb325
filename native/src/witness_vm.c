/* Witness program replay over Fr (see witness_vm.h for the program encoding). */
#include "witness_vm.h"

#include "field.h"

#define WVM_MUL4(r, a, b) mont_mul_4_inl((r), (a), (b), BN254_FR_P, BN254_FR_N0)

/* slot index -> element pointer; the caller has checked the index */
#define WVM_AT(w, i) ((w) + 4 * (size_t)(uint32_t)(i))

/* 1 when the int32 index i names one of n slots */
static inline int wvm_ok(int32_t i, size_t n) { return i >= 0 && (size_t)i < n; }

int wvm_run(uint64_t *w, size_t n, const int32_t *code, size_t code_len, size_t *pc,
            const uint64_t *coefs, size_t n_coefs, int32_t *hint) {
    size_t at = *pc;
    while (at < code_len) {
        const int32_t *s = code + at;
        const size_t left = code_len - at;
        uint64_t acc[4], t[4];
        switch (s[0]) {
        case WVM_LIN: {
            if (left < 3) goto truncated;
            if (s[2] < 0) { *pc = at; return WVM_ERR_COUNT; }
            const size_t k = (size_t)s[2];
            if ((left - 3) / 2 < k) goto truncated;
            if (!wvm_ok(s[1], n)) goto bad_index;
            const int32_t *term = s + 3;
            for (size_t i = 0; i < k; i++) {
                if (!wvm_ok(term[2 * i], n)) goto bad_index;
                if (!wvm_ok(term[2 * i + 1], n_coefs)) { *pc = at; return WVM_ERR_COEF; }
            }
            memset(acc, 0, sizeof acc);
            for (size_t i = 0; i < k; i++) {
                WVM_MUL4(t, WVM_AT(w, term[2 * i]), WVM_AT(coefs, term[2 * i + 1]));
                fr_add(acc, acc, t);
            }
            memcpy(WVM_AT(w, s[1]), acc, sizeof acc);
            at += 3 + 2 * k;
            break;
        }
        case WVM_MUL:
            if (left < 4) goto truncated;
            if (!wvm_ok(s[1], n) || !wvm_ok(s[2], n) || !wvm_ok(s[3], n)) goto bad_index;
            WVM_MUL4(WVM_AT(w, s[1]), WVM_AT(w, s[2]), WVM_AT(w, s[3]));
            at += 4;
            break;
        case WVM_SOLVE:
            if (left < 6) goto truncated;
            if (!wvm_ok(s[1], n) || !wvm_ok(s[2], n) || !wvm_ok(s[3], n) || !wvm_ok(s[4], n))
                goto bad_index;
            if (!wvm_ok(s[5], n_coefs)) { *pc = at; return WVM_ERR_COEF; }
            WVM_MUL4(t, WVM_AT(w, s[2]), WVM_AT(w, s[3]));
            fr_sub(t, t, WVM_AT(w, s[4]));
            WVM_MUL4(WVM_AT(w, s[1]), t, WVM_AT(coefs, s[5]));
            at += 6;
            break;
        case WVM_BITS: {
            if (left < 4) goto truncated;
            if (s[2] < 0) { *pc = at; return WVM_ERR_COUNT; }
            const size_t nbits = (size_t)s[2];
            if (!wvm_ok(s[1], n) || s[3] < 0 || (size_t)s[3] > n || n - (size_t)s[3] < nbits)
                goto bad_index;
            uint64_t v[4];
            fr_from_mont(v, WVM_AT(w, s[1]));
            uint64_t *out = WVM_AT(w, s[3]);
            for (size_t j = 0; j < nbits; j++, out += 4) {
                if (j < 256 && ((v[j >> 6] >> (j & 63)) & 1))
                    memcpy(out, BN254_FR_ONE_MONT, 32);
                else
                    memset(out, 0, 32);
            }
            at += 4;
            break;
        }
        case WVM_HINT:
            if (left < 2) goto truncated;
            *hint = s[1];
            *pc = at + 2;
            return WVM_AT_HINT;
        default:
            *pc = at;
            return WVM_ERR_OPCODE;
        }
    }
    *pc = at;
    return WVM_DONE;
truncated:
    *pc = at;
    return WVM_ERR_TRUNCATED;
bad_index:
    *pc = at;
    return WVM_ERR_INDEX;
}

int wvm_set(uint64_t *w, size_t n, const int32_t *idx, const uint64_t *values, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (!wvm_ok(idx[i], n)) return -1;
    for (size_t i = 0; i < count; i++) {
        uint64_t v[4];
        reduce_4(v, values + 4 * i, BN254_FR_P);
        fr_to_mont(WVM_AT(w, idx[i]), v);
    }
    return 0;
}

int wvm_get(uint64_t *out, const uint64_t *w, size_t n, const int32_t *idx, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (!wvm_ok(idx[i], n)) return -1;
    for (size_t i = 0; i < count; i++) fr_from_mont(out + 4 * i, WVM_AT(w, idx[i]));
    return 0;
}
