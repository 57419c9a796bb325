"""The market snapshot: what the risk oracle observes at one time (format ``zkm-snapshot-1``).

JSON layout (all numbers are decimal strings)::

    {"version": "zkm-snapshot-1", "time": "2026-11-24T08:00:00Z",
     "underlyings": [{"symbol": "BTC", "spot": "95000", "vol": "0.55",
                      "psr_floor": "0.08"}],                       # psr_floor optional
     "instruments": [{"symbol": "BTC-PERP", "type": "perpetual", "underlying": "BTC",
                      "multiplier": "1"},
                     {"symbol": "BTC-29NOV26-95000-C", "type": "call", "underlying": "BTC",
                      "multiplier": "1", "strike": "95000",
                      "expiry": "2026-11-29T08:00:00Z", "vol": "0.56"}],
     "collateral": [{"symbol": "USDC", "price": "1", "haircut": "0.02"},
                    {"symbol": "ETH", "price": "3400", "haircut": "0.15",
                     "underlying": "ETH"}],
     "params": {...},                                              # optional, defaults below
     "historical": [{"label": "2024-08-05", "returns": {"BTC": "-0.072", ...}}]}

``type`` is one of ``spot``, ``perpetual``, ``future`` (``expiry`` optional) and
``call``/``put`` (``strike``, ``expiry`` required; ``vol`` defaults to the
underlying's).  Prices and strikes are checked against the price bound of
docs/spec/MARGIN-MODEL.md section 1 and must be positive.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from engine.decimal import (PRICE_BOUND, RATE_BOUND, SCALE, parse_fraction, parse_int,
                            parse_scaled)
from engine.errors import EngineError
from engine.jsonio import (DATA_DIR, parse_object, read_json, require, require_list,
                           require_str, resolve)

SNAPSHOT_VERSION = "zkm-snapshot-1"
KINDS = ("spot", "perpetual", "future", "call", "put")
OPTION_KINDS = ("call", "put")

#: the defaults of docs/spec/MARGIN-MODEL.md section 5 (im_factor and es_k are this engine's choice)
DEFAULT_PARAMS: dict[str, str] = {
    "horizon_days": "2", "k_sigma": "3", "psr_floor": "0.08",
    "extreme_multiple": "3", "extreme_cover": "0.35", "decorrelation": "0.5",
    "vol_up": "0.5", "vol_down": "0.3", "vol_power_short": "0.3", "vol_power_long": "0.13",
    "vol_power_cutoff_days": "30", "vol_floor": "0.1", "rate": "0",
    "som_rate": "0.01", "perp_contingency": "0.005", "im_factor": "1.25", "es_k": "2",
}


@dataclass(frozen=True)
class Underlying:
    symbol: str
    spot: int              # VU per unit of the underlying
    vol: Fraction          # annualised volatility
    psr_floor: Fraction    # minimum price scan range (fraction of spot)


@dataclass(frozen=True)
class Instrument:
    symbol: str
    kind: str              # spot | perpetual | future | call | put
    underlying: str
    multiplier: Fraction   # units of the underlying per contract
    strike: int | None = None          # VU, options only
    expiry: dt.datetime | None = None  # options (required) and futures (optional)
    vol: Fraction | None = None        # options: own vol

    @property
    def is_option(self) -> bool:
        return self.kind in OPTION_KINDS


@dataclass(frozen=True)
class CollateralAsset:
    symbol: str
    price: int             # VU per unit
    haircut: int           # rate, SCALE = 1.0
    underlying: str | None = None


@dataclass(frozen=True)
class HistoricalDay:
    label: str
    returns: Mapping[str, Fraction]    # one daily return per underlying


@dataclass(frozen=True)
class RiskParams:
    """The risk parameters of section 5 (exact rationals) plus im_factor and es_k."""

    horizon_days: Fraction
    k_sigma: Fraction
    psr_floor: Fraction
    extreme_multiple: Fraction
    extreme_cover: Fraction
    decorrelation: Fraction
    vol_up: Fraction
    vol_down: Fraction
    vol_power_short: Fraction
    vol_power_long: Fraction
    vol_power_cutoff_days: Fraction
    vol_floor: Fraction
    rate: Fraction
    som_rate: Fraction
    perp_contingency: Fraction
    im_factor: int         # rate, >= SCALE
    es_k: int


@dataclass(frozen=True)
class Snapshot:
    time: dt.datetime
    underlyings: tuple[Underlying, ...]
    instruments: tuple[Instrument, ...]
    collateral: tuple[CollateralAsset, ...]
    params: RiskParams
    historical: tuple[HistoricalDay, ...] = field(default=())
    source: str = ""

    def underlying(self, symbol: str) -> Underlying:
        for u in self.underlyings:
            if u.symbol == symbol:
                return u
        raise EngineError(f"unknown underlying {symbol!r}")

    def days_to(self, when: dt.datetime) -> float:
        """Calendar days from the snapshot time to ``when``."""
        return (when - self.time).total_seconds() / 86400.0


@functools.lru_cache(maxsize=4096)
def _iso_time(text: str) -> dt.datetime | str:
    """The aware datetime of an ISO-8601 string, or the reason it is refused: "format",
    "zone" (none given) or "range" (outside years 1..9999 in UTC).  Cached: a snapshot
    repeats a few expiries over many instruments, and datetimes are immutable."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return "format"
    if value.tzinfo is None:
        return "zone"
    try:
        value.astimezone(dt.timezone.utc)  # years 1..9999 must hold in UTC too
    except OverflowError:
        return "range"
    return value


def parse_time(text: Any, where: str) -> dt.datetime:
    """An ISO-8601 time with a zone (``Z`` allowed), as an aware datetime."""
    if not isinstance(text, str):
        raise EngineError(f"{where}: expected an ISO-8601 time string")
    value = _iso_time(text)
    if value == "format":
        raise EngineError(f"{where}: not an ISO-8601 time: {text[:40]!r}")
    if value == "zone":
        raise EngineError(f"{where}: time needs a zone (e.g. 'Z'): {text[:40]!r}")
    if value == "range":
        raise EngineError(f"{where}: out of range in UTC: {text[:40]!r}")
    assert isinstance(value, dt.datetime)
    return value


def format_time(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


MAX_PARAM = 10**6          # parameters, vols, multipliers and returns stay far below this


def _positive(x: Fraction, where: str) -> Fraction:
    """``x`` when 0 < x <= MAX_PARAM (compared on its integers: Fraction comparisons are slow)."""
    if not 0 < x.numerator <= MAX_PARAM * x.denominator:
        raise EngineError(f"{where}: must be positive and at most {MAX_PARAM}")
    return x


def parse_params(obj: Any, where: str = "params") -> RiskParams:
    """Risk parameters: the given values over :data:`DEFAULT_PARAMS`."""
    given = {} if obj is None else obj
    if not isinstance(given, Mapping):
        raise EngineError(f"{where}: expected an object")
    unknown = sorted(set(given) - set(DEFAULT_PARAMS))
    if unknown:
        raise EngineError(f"{where}.{unknown[0]}: unknown parameter")
    merged = {**DEFAULT_PARAMS, **given}
    values = {k: parse_fraction(v, f"{where}.{k}") for k, v in merged.items()
              if k not in ("im_factor", "es_k")}
    for key, value in values.items():
        if not 0 <= value <= MAX_PARAM:
            raise EngineError(f"{where}.{key}: must be between 0 and {MAX_PARAM}")
    for key in ("horizon_days", "k_sigma", "extreme_multiple", "vol_floor"):
        _positive(values[key], f"{where}.{key}")
    if values["vol_down"] >= 1 or values["extreme_cover"] > 1:
        raise EngineError(f"{where}: vol_down must be < 1 and extreme_cover <= 1")
    im_factor = parse_scaled(merged["im_factor"], f"{where}.im_factor", RATE_BOUND, signed=False)
    if im_factor < SCALE:
        raise EngineError(f"{where}.im_factor: must be >= 1.0")
    es_k = parse_int(merged["es_k"], f"{where}.es_k")
    if es_k < 1:
        raise EngineError(f"{where}.es_k: must be >= 1")
    return RiskParams(**values, im_factor=im_factor, es_k=es_k)


def _parse_underlying(obj: Any, where: str, params: RiskParams) -> Underlying:
    symbol = require_str(obj, "symbol", where)
    spot = parse_scaled(require(obj, "spot", where), f"{where}.spot", PRICE_BOUND)
    if spot <= 0:
        raise EngineError(f"{where}.spot: must be positive")
    vol = _positive(parse_fraction(require(obj, "vol", where), f"{where}.vol"), f"{where}.vol")
    floor = obj.get("psr_floor")
    psr_floor = params.psr_floor if floor is None else parse_fraction(floor, f"{where}.psr_floor")
    if not 0 <= psr_floor <= MAX_PARAM:
        raise EngineError(f"{where}.psr_floor: must be between 0 and {MAX_PARAM}")
    return Underlying(symbol, spot, vol, psr_floor)


def _parse_instrument(obj: Any, where: str, snap_time: dt.datetime,
                      underlyings: Mapping[str, Underlying]) -> Instrument:
    symbol = require_str(obj, "symbol", where)
    kind = require_str(obj, "type", where)
    if kind not in KINDS:
        raise EngineError(f"{where}.type: {kind!r} is not one of {', '.join(KINDS)}")
    underlying = require_str(obj, "underlying", where)
    if underlying not in underlyings:
        raise EngineError(f"{where}.underlying: unknown underlying {underlying!r}")
    mult = obj.get("multiplier", "1")
    multiplier = _positive(parse_fraction(mult, f"{where}.multiplier"), f"{where}.multiplier")
    strike = expiry = vol = None
    if kind in OPTION_KINDS or obj.get("expiry") is not None:
        expiry = parse_time(require(obj, "expiry", where), f"{where}.expiry")
        if expiry <= snap_time:
            raise EngineError(f"{where}.expiry: {symbol} has expired at the snapshot time")
    if kind in OPTION_KINDS:
        strike = parse_scaled(require(obj, "strike", where), f"{where}.strike", PRICE_BOUND)
        if strike <= 0:
            raise EngineError(f"{where}.strike: must be positive")
        own = obj.get("vol")
        vol = underlyings[underlying].vol if own is None else _positive(
            parse_fraction(own, f"{where}.vol"), f"{where}.vol")
    return Instrument(symbol, kind, underlying, multiplier, strike, expiry, vol)


def _parse_collateral(obj: Any, where: str, underlyings: Mapping[str, Underlying]
                      ) -> CollateralAsset:
    symbol = require_str(obj, "symbol", where)
    link = obj.get("underlying")
    if link is not None and (not isinstance(link, str) or link not in underlyings):
        raise EngineError(f"{where}.underlying: unknown underlying {link!r}")
    if "price" in obj or link is None:
        price = parse_scaled(require(obj, "price", where), f"{where}.price", PRICE_BOUND)
    else:
        price = underlyings[link].spot
    if price <= 0:
        raise EngineError(f"{where}.price: must be positive")
    haircut = parse_scaled(require(obj, "haircut", where), f"{where}.haircut", RATE_BOUND,
                           signed=False)
    return CollateralAsset(symbol, price, haircut, link)


def _parse_historical(items: list, underlyings: Mapping[str, Underlying]
                      ) -> tuple[HistoricalDay, ...]:
    days = []
    for j, obj in enumerate(items):
        where = f"historical[{j}]"
        label = str(obj.get("label", j)) if isinstance(obj, Mapping) else ""
        returns = require(obj, "returns", where)
        if not isinstance(returns, Mapping) or set(returns) != set(underlyings):
            raise EngineError(f"{where}.returns: needs one return per underlying "
                              f"({', '.join(underlyings)})")
        parsed = {u: parse_fraction(returns[u], f"{where}.returns.{u}") for u in underlyings}
        for u, r in parsed.items():
            if not -1 < r <= MAX_PARAM:
                raise EngineError(f"{where}.returns.{u}: a return must be > -1 (and finite)")
        days.append(HistoricalDay(label, parsed))
    return tuple(days)


def _unique(symbols: list[str], where: str) -> None:
    seen: set[str] = set()
    for s in symbols:
        if s in seen:
            raise EngineError(f"{where}: duplicate symbol {s!r}")
        seen.add(s)


def snapshot_from_json(obj: Any, source: str = "snapshot") -> Snapshot:
    """Parse and check a ``zkm-snapshot-1`` object (errors name ``source`` and the field)."""
    return parse_object(_snapshot_from_json, obj, source)


def _snapshot_from_json(obj: Mapping) -> Snapshot:
    version = obj.get("version")
    if version != SNAPSHOT_VERSION:
        raise EngineError(f"version: unsupported snapshot version {version!r} "
                          f"(expected {SNAPSHOT_VERSION!r})")
    time = parse_time(require(obj, "time", "snapshot"), "time")
    params = parse_params(obj.get("params"))
    unds = {}
    for j, u in enumerate(require_list(obj, "underlyings", "snapshot")):
        und = _parse_underlying(u, f"underlyings[{j}]", params)
        if und.symbol in unds:
            raise EngineError(f"underlyings[{j}]: duplicate symbol {und.symbol!r}")
        unds[und.symbol] = und
    if not unds:
        raise EngineError("underlyings: at least one underlying is needed")
    insts = tuple(_parse_instrument(x, f"instruments[{j}]", time, unds)
                  for j, x in enumerate(require_list(obj, "instruments", "snapshot")))
    coll = tuple(_parse_collateral(x, f"collateral[{j}]", unds)
                 for j, x in enumerate(require_list(obj, "collateral", "snapshot")))
    if not insts:
        raise EngineError("instruments: at least one instrument is needed")
    _unique([i.symbol for i in insts], "instruments")
    _unique([c.symbol for c in coll], "collateral")
    hist_items = obj.get("historical") or []
    if not isinstance(hist_items, list):
        raise EngineError("historical: expected a list")
    historical = _parse_historical(hist_items, unds)
    if historical and params.es_k > len(historical):
        raise EngineError(f"params.es_k: {params.es_k} exceeds the {len(historical)} "
                          "historical scenarios")
    return Snapshot(time, tuple(unds.values()), insts, coll, params, historical)


def load_snapshot(source: str | Path) -> Snapshot:
    """Read a snapshot file, or the bundled snapshot of that name (e.g. ``default``)."""
    path = resolve(source, DATA_DIR)
    snap = snapshot_from_json(read_json(path), str(source))
    return Snapshot(snap.time, snap.underlyings, snap.instruments, snap.collateral,
                    snap.params, snap.historical, source=str(path))
