"""Margin circuit: witness satisfies the R1CS and public outputs equal the engine's report."""
from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circuits.field import R, CircuitError
from circuits.margin import (PUBLIC_NAMES, MarginShape, build_margin_circuit, predict_public,
                             synthesize)
from circuits.builder import Builder
from circuits.stats import matrix_hash
from engine import Account, EngineError, compute_margin, load_account
from engine.commitment import account_commitment
from tests.circuits.margin_books import (SCALE, default_book, reduced_book, small_account,
                                                small_book, small_shape)

#: the six small example accounts (the larger bundled ones are proven by tests/zkmargin)
ACCOUNTS = ["covered_call", "eth_collateral_long", "liquidatable", "pair_trade", "short_puts",
            "straddle_hedged"]


def _expect(circuit, book, account) -> None:
    """Outputs equal the engine's report and commitments, field-encoded."""
    report = compute_margin(account, book, details=False)
    shape = circuit.shape
    head = [book.commitment["market_commitment"],
            account_commitment(account, book, shape.N, shape.K)]
    if circuit.statement == "full":
        want = head + [report.equity % R, report.mm % R, report.im % R]
    else:
        want = head + [report.status_code]
    assert circuit.public == want
    assert circuit.public == predict_public(shape, circuit.statement, book, account)
    assert circuit.r1cs.is_satisfied(circuit.witness)
    assert circuit.witness[1:1 + len(want)] == want


@pytest.mark.slow
def test_bundled_accounts_on_the_bundled_scenarios() -> None:
    """Every example account, against the bundled book reduced to the symbols used."""
    accounts = [load_account(name) for name in ACCOUNTS]
    assert len(accounts) == 6
    symbols = sorted({s for a in accounts for s, _ in a.positions})
    book = reduced_book(symbols)
    shape = MarginShape.from_book(book, 3, 1)
    statuses = set()
    for i, account in enumerate(accounts):
        statement = ("full", "health")[i % 2]
        circuit = build_margin_circuit(shape, statement, book, account)
        _expect(circuit, book, account)
        statuses.add(compute_margin(account, book).status)
    assert statuses == {"healthy", "liquidatable"}


@pytest.mark.parametrize("name,statement",
                         [("liquidatable", "health"), ("straddle_hedged", "full")])
@pytest.mark.slow
def test_bundled_account_on_the_full_bundled_book(name: str, statement: str) -> None:
    book = default_book()
    shape = MarginShape.from_book(book, 4, 2)
    assert (shape.S, shape.H, shape.k, shape.depth_instruments) == (22, 8, 2, 8)
    _expect(build_margin_circuit(shape, statement, book, load_account(name)), book,
            load_account(name))


@pytest.mark.parametrize("statement", ["full", "health"])
def test_small_account_both_statements(statement: str) -> None:
    book, account = small_book(), small_account()
    report = compute_margin(account, book)
    assert report.som > report.scan_loss and report.es > 0  # SOM on the net short call binds
    _expect(build_margin_circuit(small_shape(), statement, book, account), book, account)


@pytest.mark.parametrize("statement", ["full", "health"])
def test_constraint_only_mode_gives_the_same_r1cs(statement: str) -> None:
    shape = small_shape()
    blank = build_margin_circuit(shape, statement)
    full = build_margin_circuit(shape, statement, small_book(), small_account())
    assert blank.witness is None and blank.public is None
    assert matrix_hash(blank.r1cs) == matrix_hash(full.r1cs)
    assert blank.r1cs == full.r1cs and blank.builder.names == full.builder.names
    assert blank.r1cs.n_pub_out == len(PUBLIC_NAMES[statement])
    assert blank.r1cs.n_pub_in == 0
    # every private input comes before any other private wire (circom's layout)
    n_inputs = 3 + shape.N * (5 + shape.n_scenarios + shape.depth_instruments) \
        + shape.K * (4 + shape.n_scenarios + shape.depth_collateral)
    assert blank.r1cs.n_prv_in == n_inputs


@pytest.mark.slow
def test_health_statuses_and_mode_independence() -> None:
    """Cash moves the status across liquidatable / restricted / healthy; mm is unchanged."""
    book, shape = small_book(), small_shape()
    base = compute_margin(small_account(cash=0), book)
    nonequity = base.equity  # equity with zero cash
    cases = {0: base.mm - 1 - nonequity, 1: base.mm - nonequity, 2: base.im - nonequity}
    cases[1.5] = base.im - 1 - nonequity  # still restricted
    for want, cash in cases.items():
        account = small_account(cash=cash)
        circuit = build_margin_circuit(shape, "health", book, account)
        _expect(circuit, book, account)
        assert circuit.public[2] == int(want)


def test_empty_account_and_no_collateral_slots() -> None:
    book = small_book()
    shape = MarginShape.from_book(book, 2, 0)
    account = Account(cash=5 * SCALE, salt=9)
    circuit = build_margin_circuit(shape, "full", book, account)
    _expect(circuit, book, account)
    assert circuit.public[2:] == [5 * SCALE, 0, 0]


def test_salt_is_any_field_element() -> None:
    """The account commitment hashes the salt as a field element, up to r - 1."""
    from native.poseidon import poseidon_sequence
    from engine.commitment import account_slots

    book, shape = small_book(), small_shape()
    account = small_account(salt=R - 1)
    circuit = build_margin_circuit(shape, "health", book, account)
    positions, collateral = account_slots(account, book, shape.N, shape.K)
    seq = [R - 1, account.cash % R] + [x % R for slot in positions + collateral for x in slot]
    assert circuit.public[1] == poseidon_sequence(seq)
    assert circuit.public[0] == book.commitment["market_commitment"]


def test_no_historical_scenarios() -> None:
    """H = 0: es is 0 and the max runs over the stress losses and SOM only."""
    from dataclasses import replace

    full = small_book()
    book = replace(full, S=7, H=0, k=0, claimed_commitment=None)
    shape = MarginShape.from_book(book, 3, 1)
    account = small_account(positions=(("PERP", -SCALE), ("FUT", 3 * SCALE)),
                            collateral=(("USDC", 10 * SCALE),))
    _expect(build_margin_circuit(shape, "full", book, account), book, account)


def test_bad_arguments() -> None:
    book = small_book()
    with pytest.raises(CircuitError, match="statement"):
        build_margin_circuit(small_shape(), "fullish")
    with pytest.raises(CircuitError, match="both"):
        build_margin_circuit(small_shape(), "full", book)
    with pytest.raises(CircuitError, match="circuit expects"):
        build_margin_circuit(MarginShape(4, 2, 3, 4, 1, 2, 2), "full", book, small_account())
    with pytest.raises(CircuitError, match="salt"):
        build_margin_circuit(small_shape(), "full", book, small_account(salt=None))
    with pytest.raises(ValueError, match="exceed"):
        build_margin_circuit(MarginShape.from_book(book, 1, 2), "full", book, small_account())
    with pytest.raises(CircuitError, match="no value for 'pos\\[0\\].index'"):
        synthesize(Builder(with_values=True), small_shape(), "full", {"salt": 1, "cash": 0,
                                                                     "im_factor": SCALE})
    for bad in [(0, 1, 3, 4, 2, 2, 2), (1, 1, 3, 0, 1, 2, 2), (1, 1, 3, 4, 5, 2, 2),
                (1, 1, 0, 4, 2, 2, 2), (1, 1, 3, 4, 2, 0, 2)]:
        with pytest.raises(CircuitError, match="margin shape"):
            MarginShape(*bad)


QTY = st.one_of(st.integers(-(2**63) + 1, 2**63 - 1), st.sampled_from([0, 2**63 - 1, -(2**63) + 1]),
                st.integers(-10**4 * SCALE, 10**4 * SCALE))
AMOUNT = st.one_of(st.integers(0, 2**64 - 1), st.sampled_from([0, 2**64 - 1]))
CASH = st.one_of(st.integers(-(2**95) + 1, 2**95 - 1), st.sampled_from([2**95 - 1, -(2**95) + 1]))
RISK = st.one_of(st.integers(-(2**63) + 1, 2**63 - 1), st.integers(-10**12, 10**12))
SYMBOLS = ["PERP", "CALL", "PUT", "FUT"]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(positions=st.lists(st.tuples(st.sampled_from(SYMBOLS), QTY), max_size=4),
       collateral=st.lists(st.tuples(st.sampled_from(["USDC", "XCOIN", "JUNK"]), AMOUNT),
                           max_size=2),
       cash=CASH, salt=st.integers(0, 2**127 - 1), big=st.booleans(),
       risk=st.lists(RISK, min_size=4 * 7, max_size=4 * 7))
@pytest.mark.slow
def test_random_accounts_match_the_engine(positions, collateral, cash, salt, big, risk) -> None:
    """Random accounts (duplicates, extreme bounds) on random books (values up to 2^63)."""
    book = small_book(lambda i, s: risk[7 * i + s], big=big)
    account = Account(cash=cash, positions=tuple(positions), collateral=tuple(collateral),
                      salt=salt)
    try:
        compute_margin(account, book, details=False)
    except EngineError as exc:  # a VU result past 2^127: the circuit refuses it too
        assert "2^127" in str(exc)
        with pytest.raises(CircuitError, match="im.bound"):
            build_margin_circuit(small_shape(), "health", book, account)
        return
    for statement in ("full", "health"):
        _expect(build_margin_circuit(small_shape(), statement, book, account), book, account)


def test_im_past_the_value_bound_is_rejected() -> None:
    """The engine rejects im >= 2^127; no witness satisfies the circuit then."""
    book = small_book(lambda i, s: 0, big=True)
    account = Account(cash=0, positions=(("PERP", 2**63 - 1),), salt=0)
    with pytest.raises(EngineError, match="2\\^127"):
        compute_margin(account, book)
    with pytest.raises(CircuitError, match="im.bound"):
        build_margin_circuit(small_shape(), "full", book, account)


def test_synthesize_returns_the_report_components() -> None:
    book, account = small_book(), small_account()
    from circuits.margin.inputs import margin_private_inputs

    b = Builder(with_values=True)
    values = margin_private_inputs(small_shape(), book, account)
    out = synthesize(b, small_shape(), "health", values)
    report = compute_margin(account, book)
    for name in ("som", "cont", "collateral_value", "position_value", "mm", "im", "equity"):
        assert out[name].val == getattr(report, name) % R, name
    assert [x.val for x in out["losses"]] == [v % R for v in report.losses]


@pytest.mark.slow
def test_margin_witness_equals_the_checked_build() -> None:
    """The proving path (no R1CS export, no check) gives the same witness and public."""
    from circuits.margin import margin_witness
    from engine.account import Account
    from engine.riskbook import RiskBook

    book = RiskBook.from_snapshot("default")
    shape = MarginShape.from_book(book, 4, 2)
    account = Account.load("straddle_hedged")
    for statement in ("full", "health"):
        built = build_margin_circuit(shape, statement, book, account)
        assert margin_witness(shape, statement, book, account) == (built.witness, built.public)
