"""Aggregation of market snapshots from independent oracles into one snapshot.

Each source is a complete ``zkm-snapshot-1`` file, checked on its own first.  The
market observations are aggregated value by value:

    underlyings[SYM].spot, underlyings[SYM].vol,
    instruments[SYM].vol (options that carry their own vol), collateral[SYM].price

For one value with observations v_1..v_n (one per source that lists it), with m the
*lower median* (the ⌈n/2⌉-th smallest: always one of the observed decimals, so no
rounding ever happens, and deterministic for an even n):

    source i agrees  ⇔  |v_i − m| ≤ max_deviation · m
    agreeing values A = {v_i : source i agrees};  |A| ≥ quorum, else an error
    aggregate value   = lower median of A

A source that does not agree is left out of that value (only that value) and named in
the report.  Everything that is not an observation (the time, instrument terms,
haircuts, links, ``psr_floor``, ``params``, ``historical``) is venue configuration: it
must be identical in every source that lists it, else the aggregation is refused
naming the field.  An underlying, instrument or collateral asset listed by fewer than
``quorum`` sources is refused too; items keep the order in which the sources, taken
in the order given, first list them.  A lying oracle thus moves no value as long as
``quorum`` honest sources agree within the bound; ``quorum`` defaults to a strict
majority of the sources.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Sequence

from engine.decimal import parse_fraction
from engine.errors import EngineError
from engine.snapshot import snapshot_from_json

#: (list key in the snapshot, observed value fields of one item)
OBSERVED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("underlyings", ("spot", "vol")),
    ("instruments", ("vol",)),
    ("collateral", ("price",)),
)
#: snapshot keys that are venue configuration, equal in every source
CONFIG_KEYS = ("version", "time", "params", "historical")
DEFAULT_MAX_DEVIATION = Fraction(2, 100)


@dataclass(frozen=True)
class LeftOut:
    """One observation left out of one value: it deviates from the median too much."""

    field: str          # e.g. "underlyings[BTC].spot"
    source: str         # the source's name (its file)
    value: str          # the source's decimal string
    median: str         # the lower median of all observations of that value
    deviation: Fraction  # |value − median| / median

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "source": self.source, "value": self.value,
                "median": self.median, "deviation": f"{float(self.deviation):.6f}"}


@dataclass
class Aggregation:
    """The aggregated snapshot (a JSON object) and what was left out of it."""

    snapshot: dict[str, Any]
    sources: list[str]
    quorum: int
    max_deviation: Fraction
    values: int = 0
    left_out: list[LeftOut] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """The aggregation report as JSON data."""
        return {"sources": self.sources, "quorum": self.quorum,
                "max_deviation": str(self.max_deviation), "values": self.values,
                "left_out": [x.to_json() for x in self.left_out]}


def default_quorum(n_sources: int) -> int:
    """A strict majority of ``n_sources``."""
    return n_sources // 2 + 1


def lower_median(values: Sequence[Fraction]) -> Fraction:
    """The ⌈n/2⌉-th smallest of ``values`` (n ≥ 1)."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def aggregate_snapshots(sources: Sequence[tuple[str, Any]], *, quorum: int | None = None,
                        max_deviation: Fraction = DEFAULT_MAX_DEVIATION) -> Aggregation:
    """Aggregate ``sources`` (``(name, snapshot JSON object)`` pairs) as described above.

    Raises :class:`EngineError` naming the source or the field when a source is not a
    valid snapshot, configuration differs, an item lacks a quorum of sources, or a
    value lacks a quorum of agreeing sources.  The result is itself checked as a
    snapshot before it is returned.
    """
    if not sources:
        raise EngineError("sources: at least one snapshot is needed")
    names = [name for name, _ in sources]
    if len(set(names)) != len(names):
        raise EngineError("sources: the same source is given twice")
    for name, obj in sources:
        snapshot_from_json(obj, name)
    q = default_quorum(len(sources)) if quorum is None else quorum
    if not 1 <= q <= len(sources):
        raise EngineError(f"quorum: {q} must be between 1 and the {len(sources)} sources")
    if not 0 <= max_deviation <= 1:
        raise EngineError("max_deviation: must be between 0 and 1")
    first = sources[0][1]
    for key in CONFIG_KEYS:
        _require_equal(key, [(name, obj.get(key)) for name, obj in sources])
    out: dict[str, Any] = {k: copy.deepcopy(first[k]) for k in first
                           if k not in ("underlyings", "instruments", "collateral")}
    agg = Aggregation(out, names, q, max_deviation)
    for list_key, observed in OBSERVED:
        out[list_key] = _aggregate_items(agg, list_key, observed, sources)
    snapshot_from_json(out, "aggregate")
    return agg


def _require_equal(where: str, values: Sequence[tuple[str, Any]]) -> None:
    """All values equal, or an error naming the field and two differing sources."""
    ref_name, ref = values[0]
    for name, value in values[1:]:
        if value != ref:
            raise EngineError(f"{where}: differs between {ref_name} and {name} "
                              "(only observed prices and volatilities are aggregated)")


def _aggregate_items(agg: Aggregation, list_key: str, observed: tuple[str, ...],
                     sources: Sequence[tuple[str, Any]]) -> list[dict[str, Any]]:
    listings: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for name, obj in sources:
        for item in obj[list_key]:
            listings.setdefault(item["symbol"], []).append((name, item))
    items = []
    for symbol, listed in listings.items():
        where = f"{list_key}[{symbol}]"
        if len(listed) < agg.quorum:
            raise EngineError(f"{where}: listed by {len(listed)} of {len(sources)} sources, "
                              f"fewer than the quorum {agg.quorum}")
        terms = sorted(set().union(*(item.keys() for _, item in listed)) - set(observed))
        for term in terms:
            _require_equal(f"{where}.{term}", [(n, item.get(term)) for n, item in listed])
        merged = copy.deepcopy(dict(listed[0][1]))
        for key in observed:
            present = [(n, item[key]) for n, item in listed if key in item]
            if not present:
                continue
            if len(present) != len(listed):
                missing = next(n for n, item in listed if key not in item)
                raise EngineError(f"{where}.{key}: given by some sources but not by {missing}")
            merged[key] = _aggregate_value(agg, f"{where}.{key}", present)
        items.append(merged)
    return items


def _aggregate_value(agg: Aggregation, where: str, present: Sequence[tuple[str, str]]) -> str:
    """The aggregate of one observed value (its decimal string from an agreeing source)."""
    parsed = [(name, text, parse_fraction(text, f"{name}: {where}")) for name, text in present]
    median = lower_median([v for _, _, v in parsed])
    median_text = next(text for _, text, v in parsed if v == median)
    agreeing = []
    for name, text, value in parsed:
        deviation = abs(value - median) / median if median else Fraction(0 if value == 0 else 1)
        if deviation <= agg.max_deviation:
            agreeing.append((text, value))
        else:
            agg.left_out.append(LeftOut(where, name, text, median_text, deviation))
    if len(agreeing) < agg.quorum:
        raise EngineError(f"{where}: {len(agreeing)} of {len(present)} sources agree within "
                          f"{float(agg.max_deviation):.2%} of the median {median_text}, "
                          f"fewer than the quorum {agg.quorum}")
    agg.values += 1
    chosen = lower_median([v for _, v in agreeing])
    return next(text for text, v in agreeing if v == chosen)
