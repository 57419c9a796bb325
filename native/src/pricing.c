/* Batched Black–Scholes scenario pricing with exact integer floors: see pricing.h.
 *
 * Equality with the Python floats rests on three things: the same IEEE operations in the
 * same order (no reassociation: no -ffast-math, checked below), no contraction of a * b + c
 * into one FMA (-ffp-contract=off in native/build_native.py; tests check the disassembly), and the
 * same libm functions (Python's math.log/exp/erf/erfc/sqrt call glibc's).  Wherever Python
 * would raise (a float division by zero, math.log of x <= 0, math.exp overflowing,
 * as_integer_ratio or round of a non-finite value) the option is refused instead, and the
 * caller runs the Python reading, which raises.
 */
#include "pricing.h"

#include <math.h>
#include <string.h>

#if defined(__FAST_MATH__)
#error "pricing.c must be compiled without -ffast-math: its doubles must equal Python's"
#endif

typedef __int128 i128;

#define I64_LIMIT ((i128)1 << 63)

/* N(x) of engine.blackscholes.norm_cdf */
static double norm_cdf(double x, double sqrt2)
{
    if (x < 0)
        return 0.5 * erfc(-x / sqrt2);
    return 0.5 * (1.0 + erf(x / sqrt2));
}

/* The price of engine.blackscholes.price / prices; 0 when Python would raise (with
 * *ok cleared), the price otherwise.  sqrt_t = sqrt(t), disc = strike * exp(-rate * t). */
static double bs_price(int put, double spot, double strike, double t, double sqrt_t,
                       double vol, double rate, double disc, double sqrt2, int *ok)
{
    if (!(spot > 0) || !(vol > 0)) {   /* Python raises on <= 0; NaN refused too */
        *ok = 0;
        return 0.0;
    }
    double sd = vol * sqrt_t;
    double ratio = spot / strike;
    if (sd == 0.0 || !(ratio > 0)) {   /* ZeroDivisionError, math.log domain error */
        *ok = 0;
        return 0.0;
    }
    double d1 = (log(ratio) + (rate + 0.5 * vol * vol) * t) / sd;
    double d2 = d1 - sd;
    double x;
    if (!put)
        x = spot * norm_cdf(d1, sqrt2) - disc * norm_cdf(d2, sqrt2);
    else
        x = disc * norm_cdf(-d2, sqrt2) - spot * norm_cdf(-d1, sqrt2);
    double p = x > 0.0 ? x : 0.0;      /* Python's max(0.0, x), NaN included */
    if (!isfinite(p))
        *ok = 0;
    return p;
}

/* A finite double: x = m * 2^e with |m| < 2^53 (m = 0, e = 0 for 0). */
static void dyadic(double x, int64_t *m, int *e)
{
    if (x == 0.0) {
        *m = 0;
        *e = 0;
        return;
    }
    int ex;
    double f = frexp(x, &ex);          /* |f| in [0.5, 1): f * 2^53 is an integer */
    *m = (int64_t)ldexp(f, 53);
    *e = ex - 53;
}

/* floor(num * d * 2^e / den), num >= 0, den > 0; 1 and *out, or 0 when out of range.
 * e > 0: the product is scaled before the division; e < 0: floor(floor(x / den) / 2^-e). */
static int floor_scaled(i128 num, i128 den, i128 d, int e, int64_t *out)
{
    i128 x;
    if (__builtin_mul_overflow(num, d, &x))
        return 0;
    if (e > 0) {
        if (e >= 126 ? x != 0 : (x >= ((i128)1 << (126 - e)) || x < -((i128)1 << (126 - e))))
            return 0;
        if (x != 0)
            x = x * ((i128)1 << e);
    }
    i128 q = x / den;                  /* truncates toward 0 */
    if (x % den != 0 && x < 0)
        q -= 1;                        /* floor */
    if (e < 0) {                       /* floor(q / 2^k) = arithmetic shift (GCC) */
        int k = -e;
        q = k >= 127 ? (q < 0 ? -1 : 0) : (q >> k);
    }
    if (q >= I64_LIMIT || q < -I64_LIMIT)
        return 0;
    *out = (int64_t)q;
    return 1;
}

int floor_dyadic_product(int64_t a, int64_t b, int64_t m, int e, int64_t *out)
{
    if (a < 0 || b <= 0 || m >= ((int64_t)1 << 54) || m <= -((int64_t)1 << 54))
        return 0;
    return floor_scaled(a, b, m, e, out);
}

/* round-half-even of a double (Python's round(x) for finite x) into int64; 0 if it
 * is not finite or out of int64. */
static int round_even(double x, int64_t *out)
{
    if (!isfinite(x))
        return 0;
    double r = nearbyint(x);           /* the default rounding mode: to nearest, ties even */
    if (!(r < 9223372036854775808.0 && r >= -9223372036854775808.0))
        return 0;
    *out = (int64_t)r;
    return 1;
}

/* ---- exact floor of num * (x - b) / den beyond 128 bits --------------------------------
 * x = xm 2^xe, b = bm 2^be are doubles >= 0 (xm, bm >= 0), num >= 0 and den > 0 below 2^64.
 */
typedef struct { uint64_t w[4]; } u256;   /* little-endian limbs */

/* m << sh into *r (m >= 0); 0 if it does not fit 256 bits */
static int u256_shl(uint64_t m, int sh, u256 *r)
{
    memset(r, 0, sizeof *r);
    if (m == 0)
        return 1;
    if (sh + 64 - __builtin_clzll(m) > 256)
        return 0;
    int limb = sh / 64, bit = sh % 64;
    r->w[limb] = m << bit;
    if (bit && limb + 1 < 4)
        r->w[limb + 1] = m >> (64 - bit);
    return 1;
}

static int u256_cmp(const u256 *a, const u256 *b)
{
    for (int i = 3; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static void u256_sub(u256 *r, const u256 *a, const u256 *b)   /* a >= b */
{
    unsigned __int128 borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)a->w[i] - b->w[i] - borrow;
        r->w[i] = (uint64_t)d;
        borrow = (d >> 64) ? 1 : 0;
    }
}

static int u256_mul64(u256 *a, uint64_t m)    /* 0 on overflow */
{
    unsigned __int128 carry = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 p = (unsigned __int128)a->w[i] * m + carry;
        a->w[i] = (uint64_t)p;
        carry = p >> 64;
    }
    return carry == 0;
}

static uint64_t u256_divmod64(u256 *a, uint64_t d)   /* a = floor(a / d), returns a mod d */
{
    unsigned __int128 rem = 0;
    for (int i = 3; i >= 0; i--) {
        unsigned __int128 cur = (rem << 64) | a->w[i];
        a->w[i] = (uint64_t)(cur / d);
        rem = cur % d;
    }
    return (uint64_t)rem;
}

static int u256_inc(u256 *a)    /* a += 1; 0 on overflow */
{
    for (int i = 0; i < 4; i++)
        if (++a->w[i] != 0)
            return 1;
    return 0;
}

/* a >> k; *lost = whether a bit shifted out was 1 */
static void u256_shr(u256 *a, int k, int *lost)
{
    *lost = 0;
    if (k >= 256) {
        *lost = a->w[0] | a->w[1] | a->w[2] | a->w[3] ? 1 : 0;
        memset(a, 0, sizeof *a);
        return;
    }
    int limb = k / 64, bit = k % 64;
    for (int i = 0; i < limb; i++)
        if (a->w[i])
            *lost = 1;
    if (bit && (a->w[limb] & ((UINT64_C(1) << bit) - 1)))
        *lost = 1;
    u256 r = {{0, 0, 0, 0}};
    for (int i = 0; i + limb < 4; i++) {
        r.w[i] = a->w[i + limb] >> bit;
        if (bit && i + limb + 1 < 4)
            r.w[i] |= a->w[i + limb + 1] << (64 - bit);
    }
    *a = r;
}

/* The signed int64 value -> *out of sign * magnitude (magnitude below 2^63); 0 if not. */
static int u256_to_i64(const u256 *a, int negative, int64_t *out)
{
    if (a->w[1] | a->w[2] | a->w[3] || a->w[0] >> 63)
        return 0;
    *out = negative ? -(int64_t)a->w[0] : (int64_t)a->w[0];
    return 1;
}

/* floor(num (xm 2^xe - bm 2^be) / den) with 256-bit limbs: D = (x - b) 2^-e exactly
 * (e the smaller exponent, e < 0), then floor(floor(num D / den) / 2^-e). */
static int floor_wide(uint64_t num, uint64_t den, int64_t xm, int xe, int64_t bm, int be,
                      int64_t *out)
{
    int e = xm == 0 ? be : bm == 0 ? xe : (xe < be ? xe : be);
    if (e >= 0)
        return 0;
    u256 p, q, mag;
    if (!u256_shl((uint64_t)xm, xm ? xe - e : 0, &p) || !u256_shl((uint64_t)bm, bm ? be - e : 0, &q))
        return 0;
    int negative = u256_cmp(&p, &q) < 0;
    if (negative)
        u256_sub(&mag, &q, &p);
    else
        u256_sub(&mag, &p, &q);
    if (!u256_mul64(&mag, num))
        return 0;
    uint64_t r = u256_divmod64(&mag, den);
    int lost;
    if (negative && r && !u256_inc(&mag))  /* floor(-M / den) = -(floor(M / den) + [r != 0]) */
        return 0;
    u256_shr(&mag, -e, &lost);   /* floor(-y / 2^k) = -(floor(y / 2^k) + [y mod 2^k != 0]) */
    if (negative && lost && !u256_inc(&mag))
        return 0;
    return u256_to_i64(&mag, negative, out);
}

/* floor(num (x - b) / den) when one term is far below the other's last bit.  Write
 * x - b = B + s with B the term of the larger exponent e_B < 0 and s the other; A =
 * num B / den has a denominator dividing den 2^-e_B, so A is an integer or at least
 * 1 / (den 2^-e_B) from every integer, while |num s / den| < 2^e_B / den = 1 / (den
 * 2^-e_B) when num |m_s| < 2^(e_B - e_s).  Then floor(A + num s / den) = floor(A) - [A is
 * an integer and s < 0]. */
static int floor_gap(uint64_t num, uint64_t den, int64_t xm, int xe, int64_t bm, int be,
                     int64_t *out)
{
    if (xm == 0 || bm == 0)
        return 0;
    int big_is_x = xe > be;
    int64_t mb = big_is_x ? xm : -bm, ms = big_is_x ? -bm : xm;
    int eb = big_is_x ? xe : be, es = big_is_x ? be : xe;
    if (eb >= 0)
        return 0;
    unsigned __int128 small = (unsigned __int128)num * (uint64_t)(ms < 0 ? -ms : ms);
    int diff = eb - es;
    if (diff < 128 && small >= ((unsigned __int128)1 << diff))
        return 0;
    unsigned __int128 x = (unsigned __int128)num * (uint64_t)(mb < 0 ? -mb : mb);  /* < 2^118 */
    unsigned __int128 q = x / den, r = x % den;
    int k = -eb;
    unsigned __int128 fl;
    int integral;
    if (k >= 128) {
        integral = r == 0 && q == 0;
        fl = 0;
    } else {
        integral = r == 0 && (q & (((unsigned __int128)1 << k) - 1)) == 0;
        fl = q >> k;
    }
    /* floor(A): A = +x / (den 2^k) or -x / (den 2^k) */
    i128 floor_a;
    if (fl >> 63)
        return 0;
    floor_a = mb > 0 ? (i128)fl : -(i128)fl - (integral ? 0 : 1);
    i128 res = floor_a - (integral && ms < 0 ? 1 : 0);
    if (res >= I64_LIMIT || res < -I64_LIMIT)
        return 0;
    *out = (int64_t)res;
    return 1;
}

/* risk = floor(num (x - b) / den), x = xm 2^xe and b = bm 2^be (xm, bm >= 0): 1, or 0
 * when none of the exact routes holds it. */
static int risk_floor(i128 num, i128 den, int64_t xm, int xe, int64_t bm, int be,
                      int64_t *out)
{
    if (num == 0) {
        *out = 0;
        return 1;
    }
    int e = xm == 0 ? be : bm == 0 ? xe : (xe < be ? xe : be);
    int sx = xe - e, sb = be - e;
    if ((xm == 0 || sx <= 72) && (bm == 0 || sb <= 72)) {
        i128 d = (xm == 0 ? 0 : (i128)xm * ((i128)1 << sx))
                 - (bm == 0 ? 0 : (i128)bm * ((i128)1 << sb));
        if (floor_scaled(num, den, d, e, out))
            return 1;
    }
    if (num >> 64 || den >> 64 || xm < 0 || bm < 0)
        return 0;
    return floor_wide((uint64_t)num, (uint64_t)den, xm, xe, bm, be, out)
           || floor_gap((uint64_t)num, (uint64_t)den, xm, xe, bm, be, out);
}

int risk_floor_of(int64_t num, int64_t den, double x, double b, int64_t *out)
{
    if (num < 0 || den <= 0 || !isfinite(x) || !isfinite(b) || x < 0 || b < 0)
        return 0;
    int64_t xm, bm;
    int xe, be;
    dyadic(x, &xm, &xe);
    dyadic(b, &bm, &be);
    return risk_floor(num, den, xm, xe, bm, be, out);
}

static int option_one(size_t i, size_t n_scen, const int32_t *kind, const double *spot,
                      const double *strike, const double *t, const double *vol,
                      const double *mult, double rate, double sqrt2, double inv_sqrt_2pi,
                      const double *shock, const double *factor, const int64_t *cnum,
                      const int64_t *cden, const int64_t *pnum, const int64_t *pden,
                      double *base, double *value, int64_t *mark, int64_t *greeks,
                      int64_t *risk, uint8_t *exact)
{
    int put = kind[i] != 0, ok = 1;
    double s0 = spot[i], k = strike[i], ti = t[i], v = vol[i];
    if (!(k > 0) || !(ti > 0))
        return 0;
    double sqrt_t = sqrt(ti);
    double growth = exp(-rate * ti);
    if (!isfinite(growth))             /* math.exp raises OverflowError */
        return 0;
    double disc = k * growth;
    double b = bs_price(put, s0, k, ti, sqrt_t, v, rate, disc, sqrt2, &ok);
    if (!ok)
        return 0;
    base[i] = b;

    /* Greeks: engine.blackscholes.greeks, then the book's scaling and round() */
    double sd = v * sqrt_t;
    double d1 = (log(s0 / k) + (rate + 0.5 * v * v) * ti) / sd;
    double d2 = d1 - sd;
    double pdf = inv_sqrt_2pi * exp(-0.5 * d1 * d1);
    double gdiv = s0 * v * sqrt_t;
    if (gdiv == 0.0)
        return 0;
    double gamma = pdf / gdiv;
    double vega = s0 * pdf * sqrt_t;
    double decay = -s0 * pdf * v / (2.0 * sqrt_t);
    double delta, theta;
    if (!put) {
        delta = norm_cdf(d1, sqrt2);
        theta = decay - rate * disc * norm_cdf(d2, sqrt2);
    } else {
        delta = norm_cdf(d1, sqrt2) - 1.0;
        theta = decay + rate * disc * norm_cdf(-d2, sqrt2);
    }
    double m = mult[i];
    int64_t *g = greeks + 4 * i;
    if (!round_even(delta * m * 100000000.0, &g[0])
        || !round_even(gamma * s0 * 0.01 * m * 100000000.0, &g[1])
        || !round_even(vega * 0.01 * m * 100000000.0, &g[2])
        || !round_even(theta / 365.0 * m * 100000000.0, &g[3]))
        return 0;

    int64_t bm;
    int be;
    dyadic(b, &bm, &be);
    if (!floor_dyadic_product(pnum[i], pden[i], bm, be, &mark[i]))
        return 0;

    const double *sh = shock, *fa = factor;
    for (size_t s = 0; s < n_scen; s++) {
        double x = bs_price(put, sh[s] * s0, k, ti, sqrt_t, v * fa[s], rate, disc, sqrt2, &ok);
        if (!ok)
            return 0;
        value[i * n_scen + s] = x;
        int64_t xm;
        int xe;
        dyadic(x, &xm, &xe);
        i128 num = (i128)cnum[s] * pnum[i], den = (i128)cden[s] * pden[i];
        uint8_t done = (uint8_t)risk_floor(num, den, xm, xe, bm, be, &risk[i * n_scen + s]);
        exact[i * n_scen + s] = done;
    }
    return 1;
}

size_t option_risk_batch(size_t n, size_t n_scen, const int32_t *kind,
                         const double *spot, const double *strike, const double *t,
                         const double *vol, const double *mult, double rate, double sqrt2,
                         double inv_sqrt_2pi, const double *shock, const int32_t *shock_row,
                         const double *factor, const int32_t *factor_row,
                         const int64_t *cnum, const int64_t *cden,
                         const int64_t *pnum, const int64_t *pden,
                         double *base, double *value, int64_t *mark, int64_t *greeks,
                         int64_t *risk, uint8_t *status, uint8_t *exact)
{
    size_t refused = 0;
    for (size_t s = 0; s < n_scen; s++)
        if (cnum[s] < 0 || cden[s] <= 0)
            return (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        int ok = pnum[i] > 0 && pden[i] > 0
                 && option_one(i, n_scen, kind, spot, strike, t, vol, mult, rate, sqrt2,
                               inv_sqrt_2pi, shock + (size_t)shock_row[i] * n_scen,
                               factor + (size_t)factor_row[i] * n_scen, cnum, cden, pnum,
                               pden, base, value, mark, greeks, risk, exact);
        status[i] = ok ? PRICING_OK : PRICING_REFUSED;
        if (!ok) {
            memset(exact + i * n_scen, 0, n_scen);
            refused++;
        }
    }
    return refused;
}
