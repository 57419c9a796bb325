"""Risk book building (docs/spec/MARGIN-MODEL.md section 5) and its JSON form (section 6)."""
from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest

from engine import blackscholes as bs
from engine.decimal import SCALE
from engine.errors import EngineError
from engine.riskbook import RiskBook
from engine.scenarios import price_scan_range, stress_scenarios, vol_factor
from engine.snapshot import snapshot_from_json

from tests.engine.books import SMALL_SNAPSHOT, small_snapshot


@pytest.fixture(scope="module")
def snap():
    return snapshot_from_json(SMALL_SNAPSHOT)


@pytest.fixture(scope="module")
def book(snap):
    return RiskBook.from_snapshot(snap)


def test_shape(book) -> None:
    assert (book.S, book.H, book.k) == (16 + 2 * 2, 3, 2)
    assert book.im_factor == 150_000_000
    assert [i.symbol for i in book.instruments] == [i["symbol"] for i in SMALL_SNAPSHOT["instruments"]]
    assert all(len(i.risk) == book.S + book.H for i in book.instruments)
    assert (book.depth_instruments, book.depth_collateral) == (3, 1)
    assert len(book.scenarios) == book.S + book.H


def test_price_scan_range(snap) -> None:
    aaa, bbb = snap.underlyings
    # AAA: 3 * 0.5 * sqrt(2/365) = 0.1110 > 0.08 ; floor 0.08 binds for a calm asset
    assert float(price_scan_range(aaa, snap.params)) == pytest.approx(1.5 * math.sqrt(2 / 365))
    calm = type(aaa)("Z", aaa.spot, Fraction(1, 10), Fraction(8, 100))
    assert price_scan_range(calm, snap.params) == Fraction(8, 100)


def test_stress_scenarios_order(snap) -> None:
    sc = stress_scenarios(snap)
    psr = {u.symbol: price_scan_range(u, snap.params) for u in snap.underlyings}
    mult = [0, 0, Fraction(1, 3), Fraction(1, 3), Fraction(-1, 3), Fraction(-1, 3), Fraction(2, 3),
            Fraction(2, 3), Fraction(-2, 3), Fraction(-2, 3), 1, 1, -1, -1]
    for s, m in enumerate(mult):
        assert sc[s].moves == {u: m * r for u, r in psr.items()}
        assert sc[s].vol == ("up" if s % 2 == 0 else "down") and sc[s].cover == 1
    assert sc[14].moves["AAA"] == 3 * psr["AAA"] and sc[15].moves["BBB"] == -3 * psr["BBB"]
    assert sc[14].cover == sc[15].cover == Fraction(35, 100) and sc[14].vol == "unchanged"
    # decorrelation: AAA up, BBB down half; mirror; then BBB up, AAA down half
    assert sc[16].moves == {"AAA": psr["AAA"], "BBB": -psr["BBB"] / 2}
    assert sc[17].moves == {"AAA": -psr["AAA"], "BBB": psr["BBB"] / 2}
    assert sc[18].moves == {"AAA": -psr["AAA"] / 2, "BBB": psr["BBB"]}
    assert sc[19].moves == {"AAA": psr["AAA"] / 2, "BBB": -psr["BBB"]}
    assert sc[12].description().startswith("AAA \u221211.1%, BBB \u221220.0%, vol up")


def test_vol_shocks(snap) -> None:
    p = snap.params
    assert vol_factor("up", 30, p) == pytest.approx(1.5)
    assert vol_factor("down", 30, p) == pytest.approx(0.7)
    assert vol_factor("up", 3, p) == pytest.approx(1 + 0.5 * 10**0.3)
    assert vol_factor("up", 0.2, p) == pytest.approx(1 + 0.5 * 30**0.3)   # max(t, 1)
    assert vol_factor("up", 120, p) == pytest.approx(1 + 0.5 * 0.25**0.13)
    assert vol_factor("down", 0.5, p) == pytest.approx(1 - 0.3 * 30**0.3)
    strong = snapshot_from_json(small_snapshot(params={"vol_down": "0.5"})).params
    assert vol_factor("down", 0.5, strong) == pytest.approx(0.1)            # floored at 0.1x
    assert vol_factor("unchanged", 3, p) == 1.0


def test_linear_instruments_exact(snap, book) -> None:
    sc = stress_scenarios(snap)
    fut = book.instruments[book.instrument_index["BBB-FUT"]]
    spot = book.instruments[book.instrument_index["AAA-SPOT"]]
    assert fut.mark == 10 * 20 * SCALE and spot.mark == 100 * SCALE
    for s, scen in enumerate(sc):
        exact = scen.cover * 10 * 20 * SCALE * scen.moves["BBB"]
        assert fut.risk[s] == math.floor(exact)
    assert fut.cont == math.ceil(Fraction(5, 1000) * 200 * SCALE) and fut.som == 0
    assert spot.cont == 0 and spot.som == 0
    assert fut.greeks["delta"] == 10 * SCALE and spot.greeks["delta"] == SCALE // 10
    # historical scenario d2: BBB -20% -> the future loses 40 USD per contract
    assert fut.risk[book.S + 1] == -40 * SCALE


def test_option_values(snap, book) -> None:
    sc = stress_scenarios(snap)
    call = book.instruments[book.instrument_index["AAA-C"]]
    t = 30.0 / 365
    base = bs.price("call", 1000.0, 1100.0, t, 0.55)
    assert call.mark == math.floor(Fraction(base) * SCALE)
    assert call.som == SCALE * 10                       # 1% of 1000
    for s in (0, 5, 12, 15):
        f = vol_factor(sc[s].vol, 30.0, snap.params)
        shocked = bs.price("call", float(1 + sc[s].moves["AAA"]) * 1000.0, 1100.0, t, 0.55 * f)
        assert call.risk[s] == math.floor(sc[s].cover * SCALE * (Fraction(shocked) - Fraction(base)))
    put = book.instruments[book.instrument_index["AAA-P"]]
    assert put.greeks["delta"] < 0 < put.greeks["gamma"] and put.greeks["theta"] < 0


def test_collateral_risk(snap, book) -> None:
    sc = stress_scenarios(snap)
    usd, aaa = book.collateral
    assert usd.risk == (0,) * (book.S + book.H)
    for s, scen in enumerate(sc):
        assert aaa.risk[s] == math.floor(scen.cover * 1000 * SCALE * scen.moves["AAA"])
    assert aaa.risk[book.S] == -100 * SCALE            # d1: AAA -10%
    assert aaa.haircut == 20_000_000


def test_json_round_trip(book) -> None:
    obj = book.to_json(commitments=False)
    text = json.dumps(obj)
    again = RiskBook.from_json(json.loads(text))
    assert again.to_json(commitments=False) == obj
    assert again.instruments == book.instruments and again.collateral == book.collateral
    assert obj["version"] == "zkm-1" and obj["S"] == "20"
    assert all(isinstance(v, str) for v in obj["instruments"][0]["risk"])


@pytest.mark.parametrize("mutate,match", [
    (lambda o: o.update(version="zkm-2"), "unsupported risk book version"),
    (lambda o: o.pop("version"), "unsupported risk book version"),
    (lambda o: o["instruments"][0]["risk"].pop(), r"instruments\[AAA-PERP\].risk: expected 23"),
    (lambda o: o["instruments"][1].__setitem__("mark", "1.5"), r"instruments\[1\].mark"),
    (lambda o: o["instruments"][0]["risk"].__setitem__(3, str(2**63)), r"risk\[3\]"),
    (lambda o: o["collateral"][0].__setitem__("price", "0"), "price: must be positive"),
    (lambda o: o["collateral"][1].__setitem__("haircut", "-1"), "haircut"),
    (lambda o: o.update(k="4"), "k: must be in 1..H=3"),
    (lambda o: o.update(im_factor="99999999"), "im_factor"),
    (lambda o: o.update(depth_instruments="2"), "depth_instruments: 2 cannot hold 5"),
    (lambda o: o.pop("instruments"), "instruments: missing"),
    (lambda o: o["instruments"].append(dict(o["instruments"][0])), "duplicate symbol"),
])
def test_bad_books_rejected(book, mutate, match) -> None:
    obj = json.loads(json.dumps(book.to_json(commitments=False)))
    mutate(obj)
    with pytest.raises(EngineError, match=match):
        RiskBook.from_json(obj)


def test_depth_can_be_requested(snap) -> None:
    big = RiskBook.from_snapshot(snap, depth_instruments=6, depth_collateral=3)
    assert (big.depth_instruments, big.depth_collateral) == (6, 3)
    with pytest.raises(EngineError, match="depth_instruments"):
        RiskBook.from_snapshot(snap, depth_instruments=2)


@pytest.mark.parametrize("change,match", [
    ({"version": "zkm-snapshot-9"}, "unsupported snapshot version"),
    ({"time": "yesterday"}, "time: not an ISO-8601 time"),
    ({"time": "2026-01-01T00:00:00"}, "needs a zone"),
    ({"underlyings": [{"symbol": "AAA", "spot": "-1", "vol": "0.5"},
                      {"symbol": "BBB", "spot": "20", "vol": "0.9"}]}, r"underlyings\[0\].spot"),
    ({"underlyings": [{"symbol": "AAA", "spot": "1000.000000001", "vol": "0.5"},
                      {"symbol": "BBB", "spot": "20", "vol": "0.9"}]}, "fractional digits"),
    ({"underlyings": [{"symbol": "AAA", "spot": "1000", "vol": "3"},
                      {"symbol": "BBB", "spot": "20", "vol": "0.9"}]}, "scan range too wide"),
    ({"params": {"es_k": "4"}}, "es_k: 4 exceeds the 3 historical"),
    ({"params": {"im_factor": "0.9"}}, "im_factor: must be >= 1.0"),
    ({"params": {"gamma_rate": "1"}}, "params.gamma_rate: unknown parameter"),
    ({"collateral": [{"symbol": "USD", "price": "1", "haircut": "-0.1"}]}, "haircut"),
    ({"collateral": [{"symbol": "Q", "underlying": "ZZZ", "haircut": "0"}]}, "unknown underlying"),
    ({"historical": [{"returns": {"AAA": "-0.1"}}]}, "one return per underlying"),
])
def test_bad_snapshots_rejected(change, match) -> None:
    with pytest.raises(EngineError, match=match):
        RiskBook.from_snapshot(snapshot_from_json(small_snapshot(**change)))


def test_bad_instruments_rejected() -> None:
    base = small_snapshot()
    cases = [
        ({"type": "swap"}, "not one of"),
        ({"underlying": "ZZZ"}, "unknown underlying"),
        ({"expiry": "2025-12-31T00:00:00Z"}, "has expired"),
        ({"strike": "0"}, "strike: must be positive"),
        ({"multiplier": "0"}, "multiplier: must be positive"),
    ]
    for change, match in cases:
        snap = small_snapshot()
        snap["instruments"] = [dict(base["instruments"][3], **change)]
        with pytest.raises(EngineError, match=match):
            snapshot_from_json(snap)
    snap = small_snapshot()
    snap["instruments"] = [base["instruments"][0], base["instruments"][0]]
    with pytest.raises(EngineError, match="duplicate symbol"):
        snapshot_from_json(snap)


def test_from_snapshot_accepts_objects_paths_and_names(tmp_path, book) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(SMALL_SNAPSHOT))
    for source in (SMALL_SNAPSHOT, str(path), path):
        assert RiskBook.from_snapshot(source).to_json(commitments=False) == \
            book.to_json(commitments=False)
    assert RiskBook.from_snapshot("default").S == 22
    with pytest.raises(EngineError, match="expected a Snapshot"):
        RiskBook.from_snapshot(42)
