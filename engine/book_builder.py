"""Building a risk book from a market snapshot (docs/spec/MARGIN-MODEL.md section 5).

Per contract with multiplier ``mult`` (units of the underlying), in VU:

* spot, perpetual, future: ``mark = floor(mult * spot)``,
  ``R[s] = floor(w_s * mult * spot * move_{s,u})``  (exact rationals);
* call/put: ``mark = floor(mult * BS(spot, vol))``,
  ``R[s] = floor(w_s * mult * (BS(spot * (1 + move), vol * f_s) - BS(spot, vol)))``
  with f_s the vol shock of the scenario for the option's days to expiry; the floats
  of Black–Scholes are taken exactly, then scaled and floored;
* ``som = ceil(som_rate * spot * mult)`` for options, ``cont = ceil(perp_contingency *
  spot * mult)`` for perpetuals and futures, 0 otherwise;
* collateral linked to underlying u: ``C[s] = floor(w_s * price * move_{s,u})``;
  unlinked: all zeros.

The options of a book are priced in one call of the C kernel (native/src/pricing.h: the
same doubles as :mod:`engine.blackscholes`, the exact floors in 128/256-bit integers);
:func:`option_risk_reference` is the per-option Python reading it equals, and runs the
options the kernel refuses (and all of them on the pure-Python backend).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from engine import blackscholes as bs
from engine.decimal import SCALE, ceil_fraction, floor_fraction, format_decimal
from engine.errors import EngineError
from engine.bookdata import CollateralRisk, InstrumentRisk
from engine.scenarios import (Scenario, historical_scenarios, price_scan_range,
                              stress_scenarios, vol_factor)
from engine.snapshot import CollateralAsset, Instrument, Snapshot, format_time


class _ScenarioTable:
    """Per-scenario numbers every instrument reuses, computed once per build: the exact
    ``(numerator, denominator)`` of ``cover * move_u`` and the float ``1 + move_u`` per
    underlying, and the covers."""

    def __init__(self, scenarios: list[Scenario], snap: Snapshot) -> None:
        self.scenarios = scenarios
        self.params = snap.params
        self.cover = [sc.cover for sc in scenarios]
        self._factors: dict[float, list[float]] = {}
        self._scaled: dict[Fraction, list[tuple[int, int]]] = {}
        self.cover_move: dict[str, list[tuple[int, int]]] = {}
        self.shock: dict[str, list[float]] = {}
        moved = set.intersection(*(set(sc.moves) for sc in scenarios)) if scenarios else set()
        for u in moved:  # an underlying some scenario does not move: KeyError on use
            cm = [sc.cover * sc.moves[u] for sc in scenarios]
            self.cover_move[u] = [(x.numerator, x.denominator) for x in cm]
            self.shock[u] = [float(1 + sc.moves[u]) for sc in scenarios]

    def vol_factors(self, days: float) -> list[float]:
        """vol_factor(direction_s, days) of every scenario (cached per days to expiry)."""
        out = self._factors.get(days)
        if out is None:
            cache: dict[str, float] = {}
            out = []
            for sc in self.scenarios:
                if sc.vol not in cache:
                    cache[sc.vol] = vol_factor(sc.vol, days, self.params)
                out.append(cache[sc.vol])
            self._factors[days] = out
        return out

    def cover_scaled(self, factor: Fraction) -> list[tuple[int, int]]:
        """(numerator, denominator) of cover_s * factor per scenario (cached per factor)."""
        out = self._scaled.get(factor)
        if out is None:
            fn, fd = factor.numerator, factor.denominator
            out = self._scaled[factor] = [(c.numerator * fn, c.denominator * fd)
                                          for c in self.cover]
        return out


def _floor_scaled(pairs: list[tuple[int, int]], factor: Fraction) -> tuple[int, ...]:
    """floor(x_s * factor) for exact rationals x_s = num/den (den > 0), as ints."""
    fn, fd = factor.numerator, factor.denominator
    return tuple((n * fn) // (d * fd) for n, d in pairs)


def _linear(inst: Instrument, spot: int, table: _ScenarioTable, snap: Snapshot
            ) -> InstrumentRisk:
    notional = inst.multiplier * spot            # VU per contract, exact
    risk = _floor_scaled(table.cover_move[inst.underlying], notional)
    cont = 0
    if inst.kind in ("perpetual", "future"):
        cont = ceil_fraction(snap.params.perp_contingency * notional)
    greeks = {"delta": floor_fraction(inst.multiplier * SCALE), "gamma": 0, "vega": 0, "theta": 0}
    return InstrumentRisk(inst.symbol, inst.kind, inst.underlying, floor_fraction(notional),
                          0, cont, risk, greeks)


def option_risk_reference(inst: Instrument, spot: int, table: _ScenarioTable, snap: Snapshot
                          ) -> InstrumentRisk:
    """One option's leaf by a direct reading of section 5, in Python: the reference of the
    batched kernel (:func:`_options`), and the path of the options it refuses and of the
    pure-Python backend.

    R[s] = floor(cover_s * mult * SCALE * (value_s - base)) with the floats value_s and
    base taken exactly (``float.as_integer_ratio``), in integer arithmetic."""
    assert inst.expiry is not None and inst.strike is not None and inst.vol is not None
    days = snap.days_to(inst.expiry)
    t = days / 365.0
    s0, strike, vol = spot / SCALE, inst.strike / SCALE, float(inst.vol)
    rate = float(snap.params.rate)
    base = bs.price(inst.kind, s0, strike, t, vol, rate)
    per_contract = inst.multiplier * SCALE       # VU per USD of per-unit price, exact
    bn, bd = base.as_integer_ratio()
    shocks = table.shock[inst.underlying]
    factors = table.vol_factors(days)
    values = bs.prices(inst.kind, [shock * s0 for shock in shocks], strike, t,
                       [vol * factor for factor in factors], rate)
    risk = []
    for (num, den), value in zip(table.cover_scaled(per_contract), values):
        vn, vd = value.as_integer_ratio()
        risk.append((num * (vn * bd - bn * vd)) // (den * vd * bd))
    g = bs.greeks(inst.kind, s0, strike, t, vol, rate)
    mult = float(inst.multiplier)
    greeks = {"delta": round(g.delta * mult * SCALE),
              "gamma": round(g.gamma * s0 * 0.01 * mult * SCALE),
              "vega": round(g.vega * 0.01 * mult * SCALE),
              "theta": round(g.theta / 365.0 * mult * SCALE)}
    som = ceil_fraction(snap.params.som_rate * spot * inst.multiplier)
    return InstrumentRisk(inst.symbol, inst.kind, inst.underlying,
                          floor_fraction(per_contract * Fraction(base)), som, 0, tuple(risk), greeks)


_INT64 = 1 << 63


def _pricing_kernel() -> Callable[..., Any] | None:
    """The C batch kernel (native.c_pricing.option_risk_batch) when the C backend is
    active, else None."""
    import native

    if native.backend() != "c":
        return None
    from native.c_pricing import option_risk_batch

    return option_risk_batch


def _options(options: list[Instrument], spots: dict[str, int], table: _ScenarioTable,
             snap: Snapshot) -> list[InstrumentRisk | None]:
    """The leaves of many options at once, equal field for field to
    :func:`option_risk_reference` of each: Black–Scholes and the exact floors in C
    (native/src/pricing.h); a risk entry none of the kernel's exact integer routes holds
    (its value beyond int64) by the same integer formula in Python.  None marks an option
    left to the reference (the kernel refused it, or its inputs do not fit the kernel's
    int64 and float arguments): the caller runs the reference, which then also raises
    its errors in instrument order."""
    kernel = _pricing_kernel()
    out: list[InstrumentRisk | None] = [None] * len(options)
    covers = [(c.numerator, c.denominator) for c in table.cover]
    if kernel is None or not options or any(not (0 <= n < _INT64 and 0 < d < _INT64)
                                            for n, d in covers):
        return out
    shock_rows = {u: r for r, u in enumerate(table.shock)}
    factor_rows: dict[float, int] = {}
    factor_table: list[list[float]] = []

    def group(inst: Instrument) -> tuple[Any, ...] | None:
        """What options of one underlying, expiry and multiplier share: (unit spot, t,
        shock row, factor row, per-contract numerator and denominator, float multiplier,
        som); None when the kernel cannot take them."""
        assert inst.expiry is not None
        if inst.underlying not in shock_rows:
            return None
        days = snap.days_to(inst.expiry)
        try:
            factors = table.vol_factors(days)
        except ArithmeticError:           # the reference raises it in instrument order
            return None
        row = factor_rows.get(days)
        if row is None:
            row = factor_rows[days] = len(factor_table)
            factor_table.append(factors)
        pc = inst.multiplier * SCALE
        if pc.numerator >= _INT64 or pc.denominator >= _INT64:
            return None
        spot = spots[inst.underlying]
        som = ceil_fraction(snap.params.som_rate * spot * inst.multiplier)
        return (spot / SCALE, days / 365.0, shock_rows[inst.underlying], row, pc.numerator,
                pc.denominator, float(inst.multiplier), som)

    groups: dict[tuple[Any, ...], tuple[Any, ...] | None] = {}
    picked: list[tuple[int, tuple[Any, ...]]] = []
    kind: list[int] = []
    strikes: list[float] = []
    vols: list[float] = []
    for j, inst in enumerate(options):
        assert inst.strike is not None and inst.vol is not None
        mult = inst.multiplier
        key = (inst.underlying, inst.expiry, mult.numerator, mult.denominator)
        grp = groups.get(key, False)
        if grp is False:
            grp = groups[key] = group(inst)
        if grp is None:
            continue
        picked.append((j, grp))
        kind.append(0 if inst.kind == "call" else 1)
        strikes.append(inst.strike / SCALE)
        vols.append(float(inst.vol))
    if not picked:
        return out
    grps = [g for _, g in picked]
    res = kernel(kind, [g[0] for g in grps], strikes, [g[1] for g in grps], vols,
                 [g[6] for g in grps], float(snap.params.rate), bs.SQRT2, bs.INV_SQRT_2PI,
                 list(table.shock.values()), [g[2] for g in grps], factor_table,
                 [g[3] for g in grps], [n for n, _ in covers], [d for _, d in covers],
                 [g[4] for g in grps], [g[5] for g in grps])
    status = res.status.tolist()
    marks = res.mark.tolist()
    greeks = res.greeks.tolist()
    risks = res.risk.tolist()
    row_exact = res.exact.all(axis=1).tolist()
    for r, (j, grp) in enumerate(picked):
        if status[r]:
            continue
        inst = options[j]
        risk = risks[r]
        if not row_exact[r]:
            bn, bd = float(res.base[r]).as_integer_ratio()
            scaled = table.cover_scaled(inst.multiplier * SCALE)
            for s, done in enumerate(res.exact[r].tolist()):
                if not done:
                    num, den = scaled[s]
                    vn, vd = float(res.value[r, s]).as_integer_ratio()
                    risk[s] = (num * (vn * bd - bn * vd)) // (den * vd * bd)
        g = greeks[r]
        out[j] = InstrumentRisk(inst.symbol, inst.kind, inst.underlying, marks[r], grp[7], 0,
                                tuple(risk), {"delta": g[0], "gamma": g[1], "vega": g[2],
                                              "theta": g[3]})
    return out


def _collateral(asset: CollateralAsset, scenarios: list[Scenario]) -> CollateralRisk:
    if asset.underlying is None:
        risk = (0,) * len(scenarios)
    else:
        risk = tuple(floor_fraction(sc.cover * asset.price * sc.moves[asset.underlying])
                     for sc in scenarios)
    return CollateralRisk(asset.symbol, asset.price, asset.haircut, risk, asset.underlying)


def _scenario_json(sc: Scenario) -> dict[str, Any]:
    return {"kind": sc.kind, "label": sc.label,
            "moves": {u: format_decimal(round(float(m) * 10**8)) for u, m in sc.moves.items()},
            "vol": sc.vol, "cover": format_decimal(floor_fraction(sc.cover * SCALE)),
            "description": sc.description()}


def book_fields(snapshot: Snapshot, *, depth_instruments: int | None = None,
                depth_collateral: int | None = None) -> dict[str, Any]:
    """The fields of the ZKM-1 risk book of a snapshot (``RiskBook(**fields)`` builds and
    checks it; EngineError names the field)."""
    stress = stress_scenarios(snapshot)
    hist = historical_scenarios(snapshot)
    scenarios = stress + hist
    spots = {u.symbol: u.spot for u in snapshot.underlyings}
    table = _ScenarioTable(scenarios, snapshot)
    options = [inst for inst in snapshot.instruments if inst.is_option]
    batched = iter(_options(options, spots, table, snapshot))
    instruments = []
    for inst in snapshot.instruments:
        try:
            if not inst.is_option:
                instruments.append(_linear(inst, spots[inst.underlying], table, snapshot))
            else:
                leaf = next(batched)
                instruments.append(leaf if leaf is not None else option_risk_reference(
                    inst, spots[inst.underlying], table, snapshot))
        except EngineError as exc:
            raise EngineError(f"instruments[{inst.symbol}]: {exc}") from None
    collateral = [_collateral(a, scenarios) for a in snapshot.collateral]
    underlyings = [{"symbol": u.symbol, "spot": format_decimal(u.spot),
                    "vol": format_decimal(floor_fraction(u.vol * SCALE)),
                    "psr": format_decimal(round(float(price_scan_range(u, snapshot.params)) * SCALE))}
                   for u in snapshot.underlyings]
    return dict(
        S=len(stress), H=len(hist), k=snapshot.params.es_k if hist else 0,
        im_factor=snapshot.params.im_factor, instruments=tuple(instruments),
        collateral=tuple(collateral), scenarios=tuple(_scenario_json(s) for s in scenarios),
        underlyings=tuple(underlyings), time=format_time(snapshot.time),
        depth_instruments=depth_instruments or 0, depth_collateral=depth_collateral or 0)
