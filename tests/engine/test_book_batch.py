"""The batched option pricing of the book builder equals the per-option reading of the
model (engine.book_builder.option_risk_reference) in every field, bit for bit: on the
bundled book, on a dense generated option chain, and on Hypothesis snapshots with
extreme inputs (errors included)."""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Callable
from unittest import mock

from hypothesis import given, settings, strategies as st

from engine import book_builder
from engine.bookdata import GREEK_NAMES, InstrumentRisk
from engine.errors import EngineError
from engine.jsonio import DATA_DIR
from engine.riskbook import RiskBook
from engine.scenarios import historical_scenarios, stress_scenarios
from engine.snapshot import Snapshot, load_snapshot, snapshot_from_json
from tests.engine.books import SLOW_OK


def _reference_and_batch(snap: Snapshot) -> tuple[list[InstrumentRisk], list[Any]]:
    table = book_builder._ScenarioTable(stress_scenarios(snap) + historical_scenarios(snap),
                                        snap)
    spots = {u.symbol: u.spot for u in snap.underlyings}
    options = [i for i in snap.instruments if i.is_option]
    ref = [book_builder.option_risk_reference(i, spots[i.underlying], table, snap)
           for i in options]
    return ref, book_builder._options(options, spots, table, snap)


def _assert_python_ints(leaf: InstrumentRisk) -> None:
    for v in (leaf.mark, leaf.som, leaf.cont, *leaf.risk, *leaf.greeks.values()):
        assert type(v) is int
    assert type(leaf.risk) is tuple and tuple(leaf.greeks) == GREEK_NAMES


def _assert_batch_is_reference(snap: Snapshot) -> None:
    ref, batch = _reference_and_batch(snap)
    assert None not in batch, "the kernel refused an option of an ordinary book"
    for want, got in zip(ref, batch):
        assert got == want
        _assert_python_ints(got)


def test_bundled_book_options() -> None:
    _assert_batch_is_reference(load_snapshot("default"))


def test_bundled_book_fields_and_json() -> None:
    snap = load_snapshot("default")
    book = RiskBook.from_snapshot(snap)
    with mock.patch.object(book_builder, "_pricing_kernel", lambda: None):
        reference = RiskBook.from_snapshot(snap)
    assert book.instruments == reference.instruments
    assert book.collateral == reference.collateral
    assert book.dumps() == reference.dumps()
    assert book.commitment == reference.commitment


def chain_snapshot(per_expiry: int) -> dict[str, Any]:
    """The bundled snapshot with a dense call/put chain on every bundled expiry: strikes
    from 0.3x to 3x spot (deep in and out of the money), a smile."""
    base = json.loads((DATA_DIR / "default.json").read_text())
    expiries: dict[str, set[str]] = {}
    for inst in base["instruments"]:
        if inst["type"] in ("call", "put"):
            expiries.setdefault(inst["underlying"], set()).add(inst["expiry"])
    spots = {u["symbol"]: float(u["spot"]) for u in base["underlyings"]}
    vols = {u["symbol"]: float(u["vol"]) for u in base["underlyings"]}
    options = []
    for u in sorted(expiries):
        for expiry in sorted(expiries[u]):
            for j in range(per_expiry):
                strike = round(spots[u] * (0.3 + 2.7 * j / (per_expiry - 1)), 4)
                x = math.log(strike / spots[u])
                for kind in ("call", "put"):
                    options.append({"symbol": f"{u}-{expiry[:10]}-{strike}-{kind}",
                                    "type": kind, "underlying": u, "strike": f"{strike}",
                                    "expiry": expiry, "vol": f"{vols[u] - 0.1 * x + 0.5 * x * x:.4f}",
                                    "multiplier": "0.1" if j % 3 == 0 else "1"})
    base["instruments"] += options
    return base


def test_dense_chain_options() -> None:
    snap = snapshot_from_json(chain_snapshot(250))
    assert sum(i.is_option for i in snap.instruments) > 5000
    _assert_batch_is_reference(snap)


# ---- Hypothesis: extreme snapshots, the whole book or the same error ---------------------

def _outcome(fn: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        return ("ok", fn())
    except (EngineError, ArithmeticError, ValueError, KeyError) as exc:
        return ("error", type(exc), str(exc))


def _decimal(value: float, digits: int = 8) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "0", "-0") else "0.00000001"


T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
SPOTS = st.sampled_from([0.0001, 0.37, 1.0, 95_000.0, 2_500_000.0, 8.0e10])
MONEYNESS = st.sampled_from([1e-4, 0.01, 0.2, 0.8, 0.97, 1.0, 1.03, 1.25, 5.0, 100.0, 1e4])
VOLS = st.sampled_from(["0.00001", "0.001", "0.05", "0.55", "1.5", "4", "25"])
UNDERLYING_VOLS = st.sampled_from(["0.00001", "0.05", "0.55", "1.4"])   # scan ranges < 1/3
EXPIRY_S = st.sampled_from([1, 60, 3600, 86_400, 3 * 86_400, 29 * 86_400, 31 * 86_400,
                            365 * 86_400, 7 * 365 * 86_400, 30 * 365 * 86_400])
MULTS = st.sampled_from(["1", "0.1", "0.001", "10", "0.37", "1000000"])


@st.composite
def snapshots(draw: st.DrawFn) -> dict[str, Any]:
    n_und = draw(st.integers(1, 2))
    unds = [{"symbol": f"U{j}", "spot": _decimal(min(draw(SPOTS) * draw(st.floats(0.5, 2.0)), 9.0e10)),
             "vol": draw(UNDERLYING_VOLS)} for j in range(n_und)]
    instruments = [{"symbol": "U0-PERP", "type": "perpetual", "underlying": "U0"}]
    for j in range(draw(st.integers(1, 12))):
        u = draw(st.sampled_from(unds))
        strike = float(u["spot"]) * draw(MONEYNESS)
        expiry = T0 + dt.timedelta(seconds=draw(EXPIRY_S))
        inst = {"symbol": f"O{j}", "type": draw(st.sampled_from(["call", "put"])),
                "underlying": u["symbol"], "strike": _decimal(min(strike, 9.0e10)),
                "expiry": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"), "multiplier": draw(MULTS)}
        if draw(st.booleans()):
            inst["vol"] = draw(VOLS)
        instruments.append(inst)
    params = {"rate": draw(st.sampled_from(["0", "0.05", "0.9"])),
              "extreme_cover": draw(st.sampled_from(["0.35", "1", "0",
                                                     "0.1234567890123456789012345"])),
              "vol_up": draw(st.sampled_from(["0.5", "3", "400"])),
              "vol_power_short": draw(st.sampled_from(["0.3", "2", "300"])),
              "psr_floor": draw(st.sampled_from(["0.08", "0.2", "0.3"]))}
    historical = [{"label": f"d{k}", "returns": {u["symbol"]: draw(st.sampled_from(
        ["-0.999", "-0.3", "0", "0.07", "4"])) for u in unds}}
        for k in range(draw(st.integers(0, 3)))]
    if historical:
        params["es_k"] = "1"
    return {"version": "zkm-snapshot-1", "time": T0.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "underlyings": unds, "instruments": instruments,
            "collateral": [{"symbol": "USD", "price": "1", "haircut": "0"}],
            "params": params, "historical": historical}


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(obj=snapshots())
def test_extreme_snapshots_build_the_same_book_or_error(obj: dict[str, Any]) -> None:
    parsed = _outcome(lambda: snapshot_from_json(obj))
    if parsed[0] != "ok":
        return
    snap = parsed[1]
    got = _outcome(lambda: book_builder.book_fields(snap))
    with mock.patch.object(book_builder, "_pricing_kernel", lambda: None):
        want = _outcome(lambda: book_builder.book_fields(snap))
    assert got == want
    if got[0] == "ok":
        for leaf in got[1]["instruments"]:
            _assert_python_ints(leaf)


def test_extreme_snapshots_reach_the_kernel() -> None:
    """The generator above is not vacuous: ordinary options of its kind go through the
    kernel (not refused) and build."""
    snap = snapshot_from_json({
        "version": "zkm-snapshot-1", "time": "2026-01-01T00:00:00Z",
        "underlyings": [{"symbol": "U0", "spot": "0.0001", "vol": "1.4"}],
        "instruments": [{"symbol": "C", "type": "call", "underlying": "U0", "strike": "1",
                         "expiry": "2026-01-01T00:00:01Z", "multiplier": "0.37", "vol": "25"},
                        {"symbol": "P", "type": "put", "underlying": "U0",
                         "strike": "0.00000001", "expiry": "2056-01-01T00:00:00Z",
                         "vol": "0.00001", "multiplier": "1000000"}],
        "collateral": [], "params": {"rate": "0.05"}})
    _assert_batch_is_reference(snap)
