/* Black–Scholes scenario pricing of a book's options with the exact integer risk floors
 * (docs/spec/MARGIN-MODEL.md section 5), batched over every option and scenario.
 *
 * The floats are those of engine/blackscholes.py, operation for operation and in the same
 * order, through the same libm functions (log, exp, erf, erfc, sqrt); pricing.c is compiled
 * without FMA contraction or fast-math, so every double equals the Python one.  With
 * N(x) = x < 0 ? 0.5 erfc(-x / sqrt2) : 0.5 (1 + erf(x / sqrt2)), for spot S, strike K,
 * time T, vol v, rate r:
 *
 *   sd = v sqrt(T),  d1 = (log(S / K) + (r + 0.5 v v) T) / sd,  d2 = d1 - sd,
 *   disc = K exp(-r T),
 *   call = max(0, S N(d1) - disc N(d2)),   put = max(0, disc N(-d2) - S N(-d1)).
 *
 * Per option i and scenario s (shock_s = float(1 + move), f_s = the vol factor):
 *
 *   base_i       = price(S_i, v_i),   value_{i,s} = price(shock_s S_i, v_i f_s)
 *   risk[i][s]   = floor(cnum_s pnum_i (value_{i,s} - base_i) / (cden_s pden_i))
 *   mark_i       = floor(pnum_i base_i / pden_i)
 *   greeks[i][]  = round-half-even of (delta m) 1e8, (((gamma S) 0.01) m) 1e8,
 *                  ((vega 0.01) m) 1e8, ((theta / 365) m) 1e8   (m: the float multiplier)
 *
 * with the doubles taken exactly (each is a dyadic rational m 2^e), the floors computed
 * in 128-bit integers: floor(a D 2^e / b) = floor(floor(a D / b) / 2^e) for e < 0.
 */
#ifndef ZKM_PRICING_H
#define ZKM_PRICING_H
#include <stddef.h>
#include <stdint.h>

/* CDEF BEGIN */
/* status[i] of option_risk_batch */
#define PRICING_OK 0          /* every output of option i is written and exact */
#define PRICING_REFUSED 1     /* the floats leave the range where they provably equal Python's
                                 (a division by 0, log of x <= 0, a non-finite value, a Greek
                                 beyond int64) or the mark does not fit: nothing of i is valid */
/* For n options with n_scen scenarios each:
 *   kind[i] 0 call, 1 put; spot, strike, t, vol, mult: per option; rate, sqrt2 (= sqrt(2)),
 *   inv_sqrt_2pi (= 1 / sqrt(2 pi)): the constants of engine/blackscholes.py;
 *   shock[shock_row[i] * n_scen + s], factor[factor_row[i] * n_scen + s]: the spot and vol
 *   multipliers; cnum/cden[s] (cden > 0, cnum >= 0) the scenario cover, pnum/pden[i]
 *   (> 0) the contract size in VU per unit of price.
 * Writes base[i], value[i * n_scen + s], mark[i], greeks[i * 4 + g], risk[i * n_scen + s],
 * status[i] and exact[i * n_scen + s] (1: risk written, 0: the floor does not fit 128-bit
 * arithmetic; the caller computes it from value and base).  Returns the number of
 * options with status PRICING_REFUSED. */
size_t option_risk_batch(size_t n, size_t n_scen, const int32_t *kind,
                         const double *spot, const double *strike, const double *t,
                         const double *vol, const double *mult, double rate, double sqrt2,
                         double inv_sqrt_2pi, const double *shock, const int32_t *shock_row,
                         const double *factor, const int32_t *factor_row,
                         const int64_t *cnum, const int64_t *cden,
                         const int64_t *pnum, const int64_t *pden,
                         double *base, double *value, int64_t *mark, int64_t *greeks,
                         int64_t *risk, uint8_t *status, uint8_t *exact);
/* floor(a * m * 2^e / b) for a >= 0, b > 0 and a double's mantissa m (|m| < 2^54) into *out;
 * returns 1, or 0 when it does not fit the 128-bit steps or int64. */
int floor_dyadic_product(int64_t a, int64_t b, int64_t m, int e, int64_t *out);
/* floor(num * (x - b) / den) for finite doubles x, b >= 0, num >= 0, den > 0 (the risk
 * entry of option_risk_batch) into *out: 1, or 0 when no exact route holds it (128-bit
 * steps, 256-bit steps, or the far-apart-exponents rule; see pricing.c). */
int risk_floor_of(int64_t num, int64_t den, double x, double b, int64_t *out);
/* CDEF END */

#endif
