"""Property tests of the margin (Hypothesis) against an exact-rational reading of the spec."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import engine.packed
from engine.account import Account
from engine.decimal import SCALE
from engine.errors import EngineError
from engine.margin import compute_margin, isolated_margin, net_positions, portfolio_greeks
from engine.packed import MAX_TERMS, packed_terms, position_sums, scenario_sums
from engine.riskbook import CollateralRisk, InstrumentRisk, RiskBook

from tests.engine.books import SLOW_OK

BIG = 2**62
KINDS = ("perpetual", "future", "call", "put")


@st.composite
def books(draw) -> RiskBook:
    S = draw(st.integers(1, 4))
    H = draw(st.integers(0, 3))
    k = draw(st.integers(1, H)) if H else 0
    n = S + H
    arrays = st.lists(st.integers(-BIG, BIG), min_size=n, max_size=n).map(tuple)
    insts = tuple(
        InstrumentRisk(f"I{i}", draw(st.sampled_from(KINDS)), draw(st.sampled_from("UV")),
                       draw(st.integers(-BIG, BIG)), draw(st.integers(0, BIG)),
                       draw(st.integers(0, BIG)), draw(arrays),
                       {g: draw(st.integers(-BIG, BIG)) for g in ("delta", "gamma", "vega", "theta")})
        for i in range(draw(st.integers(1, 4))))
    colls = tuple(CollateralRisk(f"C{a}", draw(st.integers(1, BIG)),
                                 draw(st.integers(0, 2 * SCALE)), draw(arrays))
                  for a in range(draw(st.integers(0, 3))))
    return RiskBook(S=S, H=H, k=k, im_factor=draw(st.integers(SCALE, 3 * SCALE)),
                    instruments=insts, collateral=colls)


@st.composite
def book_and_account(draw, whole: bool = False, headroom_bits: int = 0
                     ) -> tuple[RiskBook, Account]:
    """A book and an account; ``whole``: whole contracts/units; ``headroom_bits``: room
    left under the bounds so that the account can be scaled by up to 2^headroom_bits."""
    book = draw(books())
    h = headroom_bits
    if whole:
        qty = st.integers(-(2**26), 2**26).map(lambda q: q * SCALE)
        amount = st.integers(0, 2**26).map(lambda a: a * SCALE)
    else:
        qty = st.integers(-(BIG >> h), BIG >> h)
        amount = st.integers(0, (2**63 - 1) >> h)
    positions = draw(st.lists(st.tuples(st.sampled_from([i.symbol for i in book.instruments]), qty),
                              max_size=6))
    collateral = []
    if book.collateral:
        collateral = draw(st.lists(st.tuples(st.sampled_from([c.symbol for c in book.collateral]),
                                             amount), max_size=4))
    cash = draw(st.integers(-(2**94 >> h), 2**94 >> h))
    return book, Account(cash, tuple(positions), tuple(collateral))


def exact_parts(book: RiskBook, acct: Account) -> dict[str, Fraction]:
    """The spec's quantities as exact rationals, before any rounding (VU)."""
    inst = {i.symbol: i for i in book.instruments}
    coll = {c.symbol: c for c in book.collateral}
    net: dict[str, int] = {}
    for s, q in acct.positions:
        net[s] = net.get(s, 0) + q
    amt: dict[str, int] = {}
    for s, a in acct.collateral:
        amt[s] = amt.get(s, 0) + a
    profits = [Fraction(sum(q * inst[s].risk[j] for s, q in net.items())
                        + sum(a * coll[s].risk[j] for s, a in amt.items()), SCALE)
               for j in range(book.S + book.H)]
    losses = [-p for p in profits]
    scan = max([Fraction(0)] + losses[:book.S])
    es = max(Fraction(0), sum(sorted(losses[book.S:], reverse=True)[:book.k]) / book.k) \
        if book.H else Fraction(0)
    som = sum((Fraction(-q * inst[s].som, SCALE) for s, q in net.items()
               if q < 0 and inst[s].is_option), Fraction(0))
    cont = sum((Fraction(abs(q) * inst[s].cont, SCALE) for s, q in net.items()), Fraction(0))
    mm = max(scan, es, som) + cont
    cv = sum((Fraction(a * coll[s].price * max(0, SCALE - coll[s].haircut), SCALE**2)
              for s, a in amt.items()), Fraction(0))
    pv = sum((Fraction(q * inst[s].mark, SCALE) for s, q in net.items()), Fraction(0))
    return {"losses": losses, "mm": mm, "equity": acct.cash + cv + pv, "cv": cv, "pv": pv,
            "scan": scan, "es": es, "som": som, "cont": cont}


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account())
def test_matches_the_spec_read_with_rationals(case) -> None:
    book, acct = case
    r = compute_margin(acct, book)
    x = exact_parts(book, acct)
    # every profit rounds down, so every loss is the ceiling of the exact loss
    assert list(r.losses) == [math.ceil(v) for v in x["losses"]]
    assert r.scan_loss == max([0] + list(r.losses[:book.S]))
    assert r.som == math.ceil(x["som"]) and r.cont == math.ceil(x["cont"])
    assert r.collateral_value == math.floor(x["cv"]) and r.position_value == math.floor(x["pv"])
    assert r.mm == max(r.scan_loss, r.es, r.som) + r.cont
    assert r.im == math.ceil(Fraction(r.mm * book.im_factor, SCALE))
    if r.worst_scenario >= 0:
        assert r.losses[r.worst_scenario] == r.scan_loss > 0
        assert all(v < r.scan_loss for v in r.losses[:r.worst_scenario])
    else:
        assert r.scan_loss == 0


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account())
def test_conservative_rounding(case) -> None:
    book, acct = case
    r = compute_margin(acct, book)
    x = exact_parts(book, acct)
    assert r.equity <= x["equity"] < r.equity + 2          # equity never above the exact value
    assert r.mm >= x["mm"]                                  # requirement never below it
    assert r.im >= x["mm"] * Fraction(book.im_factor, SCALE)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account())
def test_status_agrees_with_equity_mm_im(case) -> None:
    book, acct = case
    r = compute_margin(acct, book)
    assert r.im >= r.mm >= 0 and r.excess == r.equity - r.mm
    expected = "liquidatable" if r.equity < r.mm else ("restricted" if r.equity < r.im else "healthy")
    assert r.status == expected
    assert r.status_code == ("liquidatable", "restricted", "healthy").index(expected)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account(), st.data())
def test_splitting_a_position_changes_nothing(case, data) -> None:
    book, acct = case
    if not acct.positions:
        return
    j = data.draw(st.integers(0, len(acct.positions) - 1))
    symbol, qty = acct.positions[j]
    part = data.draw(st.integers(max(-BIG, qty - BIG), min(BIG, qty + BIG)))
    split = acct.positions[:j] + ((symbol, part), (symbol, qty - part)) + acct.positions[j + 1:]
    assert compute_margin(Account(acct.cash, split, acct.collateral), book) == \
        compute_margin(acct, book)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account(), st.randoms(use_true_random=False))
def test_reordering_changes_nothing(case, rnd) -> None:
    book, acct = case
    positions, collateral = list(acct.positions), list(acct.collateral)
    rnd.shuffle(positions)
    rnd.shuffle(collateral)
    assert compute_margin(Account(acct.cash, tuple(positions), tuple(collateral)), book) == \
        compute_margin(acct, book)


def _scaled(acct: Account, c: int) -> Account:
    return Account(acct.cash * c, tuple((s, q * c) for s, q in acct.positions),
                   tuple((s, a * c) for s, a in acct.collateral))


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account(whole=True, headroom_bits=10), st.integers(1, 1000))
def test_scaling_whole_contracts_scales_losses_exactly(case, c) -> None:
    book, acct = case
    r1 = compute_margin(acct, book)
    rc = compute_margin(_scaled(acct, c), book)
    assert rc.losses == tuple(c * v for v in r1.losses)
    assert rc.scan_loss == c * r1.scan_loss and rc.worst_scenario == r1.worst_scenario
    assert rc.position_value == c * r1.position_value


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account(headroom_bits=6), st.integers(1, 50))
def test_scaling_any_quantity_scales_losses_up_to_rounding(case, c) -> None:
    book, acct = case
    r1 = compute_margin(acct, book)
    rc = compute_margin(_scaled(acct, c), book)
    # L = ceil(x): c*ceil(x) - (c-1) <= ceil(c*x) <= c*ceil(x)
    for l1, lc in zip(r1.losses, rc.losses):
        assert c * l1 - (c - 1) <= lc <= c * l1


def _plain(book: RiskBook, acct: Account) -> object:
    saved = engine.packed.MAX_TERMS
    engine.packed.MAX_TERMS = 0                        # force the per-scenario path
    try:
        return compute_margin(acct, book)
    finally:
        engine.packed.MAX_TERMS = saved


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK)
@given(book_and_account())
def test_packed_and_plain_paths_agree(case) -> None:
    book, acct = case
    r = compute_margin(acct, book)
    assert _plain(book, acct) == r
    net: dict[str, int] = {}
    for s, q in acct.positions:
        net[s] = net.get(s, 0) + q
    for u, greeks in r.greeks.items():
        for g, v in greeks.items():
            assert v == sum(q * i.greeks[g] for i in book.instruments for s, q in net.items()
                            if i.symbol == s and i.underlying == u) // SCALE
    pos = net_positions(acct, book)
    assert r.greeks == portfolio_greeks(book, pos)
    assert r.isolated_mm == isolated_margin(book, pos)
    assert r.netting_benefit == r.isolated_mm - r.mm


def test_packed_path_at_the_bounds() -> None:
    top = 2**63 - 1
    insts = tuple(InstrumentRisk(f"I{i}", "put", "U", top, top, top,
                                 (-top, top),
                                 {"delta": top, "gamma": -top, "vega": top, "theta": -top})
                  for i in range(200))
    colls = tuple(CollateralRisk(f"C{a}", top, 0, (-top, top)) for a in range(100))
    book = RiskBook(S=1, H=1, k=1, im_factor=top, instruments=insts, collateral=colls)
    for sign in (1, -1):
        pos = {i: sign * top for i in range(200)}
        coll = {a: 2**64 - 1 for a in range(100)}
        assert packed_terms(pos, coll) < MAX_TERMS                   # the packed path is used
        sums = scenario_sums(book, pos, coll)
        expected = [sum(sign * top * inst.risk[s] for inst in insts)
                    + sum((2**64 - 1) * c.risk[s] for c in colls) for s in range(2)]
        assert sums == expected
        if sign == 1:                                               # every term the same sign:
            assert abs(expected[0]) > 2**134                        # the slots are nearly full
        _, _, _, iso, greeks = position_sums(book, pos, True, packed_terms(pos))
        assert greeks == portfolio_greeks(book, pos) and iso == isolated_margin(book, pos)
        acct = Account(0, tuple((f"I{i}", q) for i, q in pos.items()),
                       tuple((f"C{a}", v) for a, v in coll.items()))
        with pytest.raises(EngineError, match="exceeds 2\\^127"):
            compute_margin(acct, book)                               # beyond the VU bound


@pytest.mark.parametrize("slots,with_coll,packed", [
    (1, True, True), (170, True, True), (250, True, False), (511, False, True), (700, False, False)])
def test_many_slots_of_one_instrument(slots, with_coll, packed) -> None:
    """Slots that net beyond one slot's bound still give exact sums (packed or plain)."""
    top = 2**63 - 1
    book = RiskBook(S=1, H=0, k=0, im_factor=SCALE,
                    instruments=(InstrumentRisk("I", "call", "U", 1, 1, 1, (-top,),
                                                {"delta": top, "gamma": 0, "vega": 0, "theta": 0}),),
                    collateral=(CollateralRisk("C", 1, 0, (-top,)),))
    pos, coll = {0: slots * top}, ({0: slots * (2**64 - 1)} if with_coll else {})
    assert (packed_terms(pos, coll) < MAX_TERMS) == packed
    expected = -slots * top * top - (slots * (2**64 - 1) * top if with_coll else 0)
    assert scenario_sums(book, pos, coll) == [expected]
    greeks = position_sums(book, pos, True, packed_terms(pos))[4]
    assert greeks == portfolio_greeks(book, pos) == {
        "U": {"delta": slots * top * top // SCALE, "gamma": 0, "vega": 0, "theta": 0}}
