"""The bundled snapshot and example accounts show what they are meant to show."""
from __future__ import annotations

import runpy

import pytest

from engine.account import load_account
from engine.jsonio import DATA_DIR, bundled_accounts
from engine.margin import compute_margin
from engine.report import EXPLANATION, format_examples, format_report, run_examples
from engine.riskbook import RiskBook
from engine.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot("default")


@pytest.fixture(scope="module")
def book(snap):
    return RiskBook.from_snapshot(snap)


@pytest.fixture(scope="module")
def reports(book):
    return {name: compute_margin(load_account(name), book) for name in bundled_accounts()}


def test_generator_reproduces_the_shipped_snapshot() -> None:
    module = runpy.run_path(str(DATA_DIR / "generate_default.py"))
    assert module["render"]() == (DATA_DIR / "default.json").read_text()


def test_snapshot_is_realistic(snap, book) -> None:
    spots = {u.symbol: u.spot / 10**8 for u in snap.underlyings}
    assert spots == {"BTC": 95000, "ETH": 3400, "SOL": 240}
    options = [i for i in snap.instruments if i.is_option]
    assert len(options) >= 150
    days = sorted({round(snap.days_to(i.expiry)) for i in options})
    assert days[0] <= 7 and days[-1] >= 90 and len(days) >= 4
    for u, spot in spots.items():
        strikes = [i.strike / 10**8 for i in options if i.underlying == u]
        assert min(strikes) < spot < max(strikes)
    kinds = {i.kind for i in snap.instruments}
    assert {"perpetual", "future", "call", "put"} <= kinds
    assert {c.symbol: c.underlying for c in snap.collateral} == {"USDC": None, "BTC": "BTC",
                                                                 "ETH": "ETH"}
    assert book.S == 22 and book.H == 8 and book.k == 2
    assert all(i.mark >= 0 for i in book.instruments)


def test_at_least_six_accounts(reports) -> None:
    assert {"straddle_hedged", "covered_call", "pair_trade", "short_puts", "eth_collateral_long",
            "liquidatable"} <= set(reports)


def test_hedged_straddle_and_covered_call_save_margin(reports) -> None:
    for name in ("straddle_hedged", "covered_call"):
        r = reports[name]
        assert r.status == "healthy"
        assert r.netting_benefit * 100 > 30 * r.isolated_mm, name   # cross saves > 30%
    assert abs(reports["straddle_hedged"].greeks["BTC"]["delta"]) < 10**7   # |delta| < 0.1 BTC


def test_pair_trade_is_set_by_a_decorrelation_scenario(book, reports) -> None:
    r = reports["pair_trade"]
    assert book.scenarios[r.worst_scenario]["kind"] == "decorrelation"
    assert r.mm == max(r.scan_loss, r.es, r.som) + r.cont and r.scan_loss > r.es
    assert max(r.losses[:16]) < r.scan_loss            # co-movement alone would understate it


def test_short_puts_are_driven_by_som(reports) -> None:
    r = reports["short_puts"]
    assert r.som > r.scan_loss and r.som > r.es and r.mm == r.som + r.cont


def test_eth_collateral_long_shows_wrong_way_risk(reports) -> None:
    r = reports["eth_collateral_long"]
    assert r.mm > r.isolated_mm and r.netting_benefit < 0
    assert r.status == "healthy"


def test_liquidatable_account(reports) -> None:
    r = reports["liquidatable"]
    assert r.status == "liquidatable" and r.equity < r.mm and r.excess < 0


def test_demo_table_and_report_text(book) -> None:
    _, examples = run_examples(book=book)
    table = format_examples(examples)
    assert len(table.splitlines()) == 2 + len(examples)
    assert "liquidatable" in table and "%" in table and "wrong-way" in EXPLANATION
    text = format_report(examples[0].report, book, examples[0].name)
    for label in ("equity", "maintenance (MM)", "initial (IM)", "excess", "status", "isolated MM",
                  "worst: scenario", "delta"):
        assert label in text
