"""Risk book <-> JSON (``"version": "zkm-1"``, every integer a decimal string).

Reading rejects an unknown version, missing fields, non-integers, wrong array
lengths and out-of-bound values, naming the field.  The commitment fields
(``instrument_root``, ``collateral_root``, ``params_hash``, ``market_commitment``), when
present, must all be there; they are kept as the book's *claimed* commitment, which
``RiskBook.from_json`` compares with the commitments recomputed from the data.
"""
from __future__ import annotations

from typing import Any, Mapping

from engine.errors import EngineError
from engine.jsonio import require, require_list, require_str
from engine.decimal import parse_int
from engine.bookdata import (BOOK_VERSION, COMMITMENT_FIELDS, GREEK_NAMES, BookData,
                             CollateralRisk, InstrumentRisk)


def book_to_json(book: BookData, *, commitments: bool = True) -> dict[str, Any]:
    """The JSON object of a risk book; ``commitments`` adds roots and market_commitment."""
    out: dict[str, Any] = {
        "version": BOOK_VERSION, "time": book.time,
        "S": str(book.S), "H": str(book.H), "k": str(book.k),
        "im_factor": str(book.im_factor), "scale": "100000000",
        "underlyings": [dict(u) for u in book.underlyings],
        "scenarios": [dict(s) for s in book.scenarios],
        "instruments": [
            {"symbol": i.symbol, "type": i.kind, "underlying": i.underlying,
             "mark": str(i.mark), "som": str(i.som), "cont": str(i.cont),
             "risk": [str(v) for v in i.risk],
             "greeks": {g: str(i.greeks.get(g, 0)) for g in GREEK_NAMES}}
            for i in book.instruments],
        "collateral": [
            {"symbol": c.symbol, "underlying": c.underlying, "price": str(c.price),
             "haircut": str(c.haircut), "risk": [str(v) for v in c.risk]}
            for c in book.collateral],
        "depth_instruments": str(book.depth_instruments),
        "depth_collateral": str(book.depth_collateral),
    }
    if commitments:
        for name in COMMITMENT_FIELDS:
            out[name] = str(book.commitment[name])
    return out


def _ints(values: Any, where: str) -> tuple[int, ...]:
    if not isinstance(values, list):
        raise EngineError(f"{where}: expected a list")
    return tuple(parse_int(v, f"{where}[{s}]") for s, v in enumerate(values))


def _instrument(obj: Any, where: str) -> InstrumentRisk:
    greeks_obj = obj.get("greeks", {}) if isinstance(obj, Mapping) else {}
    if not isinstance(greeks_obj, Mapping):
        raise EngineError(f"{where}.greeks: expected an object")
    greeks = {g: parse_int(greeks_obj.get(g, "0"), f"{where}.greeks.{g}") for g in GREEK_NAMES}
    return InstrumentRisk(
        symbol=require_str(obj, "symbol", where),
        kind=str(obj.get("type", "")), underlying=str(obj.get("underlying", "")),
        mark=parse_int(require(obj, "mark", where), f"{where}.mark"),
        som=parse_int(require(obj, "som", where), f"{where}.som"),
        cont=parse_int(require(obj, "cont", where), f"{where}.cont"),
        risk=_ints(require(obj, "risk", where), f"{where}.risk"), greeks=greeks)


def _collateral(obj: Any, where: str) -> CollateralRisk:
    link = obj.get("underlying") if isinstance(obj, Mapping) else None
    return CollateralRisk(
        symbol=require_str(obj, "symbol", where),
        price=parse_int(require(obj, "price", where), f"{where}.price"),
        haircut=parse_int(require(obj, "haircut", where), f"{where}.haircut"),
        risk=_ints(require(obj, "risk", where), f"{where}.risk"),
        underlying=None if link is None else str(link))


def _time(obj: Mapping) -> str:
    value = obj.get("time", "")
    if not isinstance(value, str):
        raise EngineError(f"time: expected a string, got {type(value).__name__}")
    return value


def book_fields_from_json(obj: Mapping) -> dict[str, Any]:
    """The fields of a ``zkm-1`` risk book object (``RiskBook(**fields)`` builds and
    checks it); EngineError names the field."""
    if obj.get("version") != BOOK_VERSION:
        raise EngineError(f"version: unsupported risk book version {obj.get('version')!r} "
                          f"(expected {BOOK_VERSION!r})")
    instruments = tuple(_instrument(x, f"instruments[{j}]")
                        for j, x in enumerate(require_list(obj, "instruments", "book")))
    collateral = tuple(_collateral(x, f"collateral[{j}]")
                       for j, x in enumerate(require_list(obj, "collateral", "book")))
    scenarios = obj.get("scenarios", [])
    underlyings = obj.get("underlyings", [])
    if not isinstance(scenarios, list) or not all(isinstance(s, Mapping) for s in scenarios):
        raise EngineError("scenarios: expected a list of objects")
    if not isinstance(underlyings, list) or not all(isinstance(u, Mapping) for u in underlyings):
        raise EngineError("underlyings: expected a list of objects")
    claimed = None
    if any(name in obj for name in COMMITMENT_FIELDS):
        claimed = {name: parse_int(require(obj, name, "book"), name) for name in COMMITMENT_FIELDS}
    return dict(
        S=parse_int(require(obj, "S", "book"), "S"), H=parse_int(require(obj, "H", "book"), "H"),
        k=parse_int(require(obj, "k", "book"), "k"),
        im_factor=parse_int(require(obj, "im_factor", "book"), "im_factor"),
        instruments=instruments, collateral=collateral,
        scenarios=tuple(scenarios), underlyings=tuple(underlyings), time=_time(obj),
        depth_instruments=parse_int(obj.get("depth_instruments", 0), "depth_instruments"),
        depth_collateral=parse_int(obj.get("depth_collateral", 0), "depth_collateral"),
        claimed_commitment=claimed)
