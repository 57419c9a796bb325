"""Aggregation of oracle snapshots: median, deviation bound, quorum, configuration."""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

from engine.aggregate import aggregate_snapshots, default_quorum, lower_median
from engine.errors import EngineError
from engine.jsonio import DATA_DIR


@pytest.fixture(scope="module")
def base() -> dict:
    return json.loads((DATA_DIR / "default.json").read_text())


def _with(base: dict, **spots: str) -> dict:
    snap = copy.deepcopy(base)
    for u in snap["underlyings"]:
        if u["symbol"] in spots:
            u["spot"] = spots[u["symbol"]]
    return snap


def _spot(snap: dict, symbol: str) -> str:
    return next(u["spot"] for u in snap["underlyings"] if u["symbol"] == symbol)


def test_lower_median_is_an_observed_value():
    assert lower_median([Fraction(3), Fraction(1), Fraction(2)]) == 2
    assert lower_median([Fraction(4), Fraction(1), Fraction(3), Fraction(2)]) == 2
    assert default_quorum(3) == 2 and default_quorum(4) == 3 and default_quorum(1) == 1


def test_one_outlier_is_left_out_and_reported(base):
    sources = [("a.json", _with(base, BTC="95000")), ("b.json", _with(base, BTC="95100")),
               ("c.json", _with(base, BTC="150000"))]
    agg = aggregate_snapshots(sources)
    assert _spot(agg.snapshot, "BTC") == "95000"        # lower median of {95000, 95100}
    assert [(x.field, x.source, x.value) for x in agg.left_out] == [
        ("underlyings[BTC].spot", "c.json", "150000")]
    assert agg.left_out[0].median == "95100"
    assert agg.report()["left_out"][0]["source"] == "c.json"


def test_identical_sources_give_the_source_back(base):
    agg = aggregate_snapshots([("a", base), ("b", copy.deepcopy(base))])
    assert agg.snapshot == base and not agg.left_out
    assert agg.values > 3


def test_tie_takes_the_lower_median(base):
    sources = [("a", _with(base, ETH="3400")), ("b", _with(base, ETH="3410")),
               ("c", _with(base, ETH="3410")), ("d", _with(base, ETH="3400"))]
    agg = aggregate_snapshots(sources, quorum=2)
    assert _spot(agg.snapshot, "ETH") == "3400"
    # the result does not depend on the order of the sources
    again = aggregate_snapshots(sources[::-1], quorum=2)
    assert _spot(again.snapshot, "ETH") == "3400"


def test_too_few_agreeing_sources_is_an_error_naming_the_field(base):
    sources = [("a", _with(base, SOL="240")), ("b", _with(base, SOL="300")),
               ("c", _with(base, SOL="180"))]
    with pytest.raises(EngineError, match=r"underlyings\[SOL\]\.spot: 1 of 3 sources agree"):
        aggregate_snapshots(sources)
    agg = aggregate_snapshots(sources, quorum=1)
    assert _spot(agg.snapshot, "SOL") == "240"
    assert {x.source for x in agg.left_out} == {"b", "c"}


def test_wider_bound_keeps_every_source(base):
    sources = [("a", _with(base, BTC="95000")), ("b", _with(base, BTC="96000")),
               ("c", _with(base, BTC="97000"))]
    assert len(aggregate_snapshots(sources, max_deviation=Fraction(2, 100)).left_out) == 0
    narrow = aggregate_snapshots(sources, quorum=1, max_deviation=Fraction(1, 200))
    assert [x.source for x in narrow.left_out] == ["a", "c"]


def test_missing_instruments(base):
    short = copy.deepcopy(base)
    dropped = short["instruments"].pop(5)
    agg = aggregate_snapshots([("a", base), ("b", copy.deepcopy(base)), ("c", short)])
    assert any(i["symbol"] == dropped["symbol"] for i in agg.snapshot["instruments"])
    with pytest.raises(EngineError, match=rf"instruments\[{dropped['symbol']}\]: listed by 1 of 2"):
        aggregate_snapshots([("a", base), ("c", short)], quorum=2)
    # an instrument only one source lists is refused under a majority quorum
    extra = copy.deepcopy(base)
    extra["instruments"].append({**base["instruments"][0], "symbol": "BTC-PERP-2"})
    with pytest.raises(EngineError, match=r"instruments\[BTC-PERP-2\]: listed by 1 of 3"):
        aggregate_snapshots([("a", base), ("b", copy.deepcopy(base)), ("c", extra)])


def test_option_vol_is_aggregated(base):
    option = next(i for i in base["instruments"] if i["type"] in ("call", "put") and "vol" in i)
    srcs = []
    for name, vol in (("a", "0.50"), ("b", "0.51"), ("c", "0.90")):
        snap = copy.deepcopy(base)
        next(i for i in snap["instruments"] if i["symbol"] == option["symbol"])["vol"] = vol
        srcs.append((name, snap))
    agg = aggregate_snapshots(srcs)
    out = next(i for i in agg.snapshot["instruments"] if i["symbol"] == option["symbol"])
    assert out["vol"] == "0.50"
    assert [x.field for x in agg.left_out] == [f"instruments[{option['symbol']}].vol"]


@pytest.mark.parametrize("mutate, field", [
    (lambda s: s.update(time="2026-11-24T08:00:05Z"), "time"),
    (lambda s: s["params"].update(im_factor="1.5"), "params"),
    (lambda s: s["collateral"][0].update(haircut="0.5"), r"collateral\[USDC\]\.haircut"),
    (lambda s: s["instruments"][3].update(expiry="2027-01-29T08:00:00Z"),
     r"instruments\[BTC-25DEC26\]\.expiry"),
])
def test_configuration_must_agree(base, mutate, field):
    other = copy.deepcopy(base)
    mutate(other)
    with pytest.raises(EngineError, match=rf"^{field}: differs between a and b"):
        aggregate_snapshots([("a", base), ("b", other), ("c", copy.deepcopy(base))])


def test_bad_source_and_arguments(base):
    with pytest.raises(EngineError, match="^bad.json: "):
        aggregate_snapshots([("a", base), ("bad.json", {"version": "nope"})])
    with pytest.raises(EngineError, match="quorum"):
        aggregate_snapshots([("a", base)], quorum=2)
    with pytest.raises(EngineError, match="twice"):
        aggregate_snapshots([("a", base), ("a", base)])
    with pytest.raises(EngineError, match="at least one"):
        aggregate_snapshots([])
