"""The bundled snapshot and example accounts show what they are meant to show."""
from __future__ import annotations

import dataclasses
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


def test_options_market_maker_nets_across_expiries_and_strikes(book, reports) -> None:
    account = load_account("options_market_maker")
    assert len(account.positions) >= 40 and len(account.collateral) == 3
    expiries = {sym.split("-")[1] for sym, _ in account.positions if sym.endswith(("-C", "-P"))}
    strikes = {sym.split("-")[2] for sym, _ in account.positions if sym.endswith(("-C", "-P"))}
    assert len(expiries) >= 5 and len(strikes) >= 9
    r = reports["options_market_maker"]
    assert r.status == "healthy"
    assert r.netting_benefit * 100 > 50 * r.isolated_mm      # cross saves more than half
    for underlying in ("BTC", "ETH", "SOL"):                   # delta-hedged: |delta| < 1 unit
        assert abs(r.greeks[underlying]["delta"]) < 10**8, underlying
        assert r.greeks[underlying]["vega"] < 0                 # short volatility


def test_basis_trader_is_hedged_by_its_spot_collateral(book, reports) -> None:
    account = load_account("basis_trader")
    kinds = {book.instruments[book.instrument_index[sym]].kind for sym, _ in account.positions}
    assert len(account.positions) >= 10 and {"future", "perpetual"} <= kinds
    assert {asset for asset, _ in account.collateral} >= {"BTC", "ETH"}
    r = reports["basis_trader"]
    assert r.status == "healthy" and r.netting_benefit * 100 > 80 * r.isolated_mm
    unhedged = compute_margin(dataclasses.replace(
        account, collateral=tuple((a, q) for a, q in account.collateral if a == "USDC")), book)
    assert unhedged.mm > 5 * r.mm                             # the spot collateral is the hedge


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
