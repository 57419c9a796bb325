"""Margin circuit soundness: every cheating hint or input is caught by a named constraint.

A cheating prover changes one hint (or input) and computes every later hint from the
changed values (:class:`CheatingBuilder`); the test names the first constraint that
fails.  Public outputs tampered in the witness fail their ``*.output`` constraint.
"""
from __future__ import annotations

import pytest

from circuits.field import R
from circuits.margin import build_margin_circuit
from engine import compute_margin
from tests.circuits.helpers import tamper
from tests.circuits.margin_books import (cheat, small_account, small_book,
                                                small_shape, wire_value)

BOOK = small_book()
ACCOUNT = small_account()  # slots: CALL -3, PERP 2, CALL 0.5 (same instrument), PUT -7
SHAPE = small_shape()


@pytest.fixture(scope="module")
def honest():
    circuit = build_margin_circuit(SHAPE, "health", BOOK, ACCOUNT)
    assert circuit.builder.which_is_unsatisfied() is None
    return circuit


def test_honest_witness_has_the_expected_structure(honest) -> None:
    b = honest.builder
    assert wire_value(b, "netting.eq[0][2].out") == 1  # CALL twice
    assert wire_value(b, "netting.first[2].out") == 0
    assert wire_value(b, "netting.first[3].out") == 1
    # net CALL -2.5 < 0: the top bit of net + 2^n is 0
    assert wire_value(b, f"charges[0].sign[{SHAPE.bounds.net_bits}]") == 0
    assert wire_value(b, "collateral[1].haircut_lt_one[63]") == 1  # JUNK: haircut > 1.0
    assert compute_margin(ACCOUNT, BOOK).status == "healthy"


def _plus(d: int):
    return lambda v: v + d


DIVISIONS = ["scenario[1].profit", "charges.som_div", "charges.cont_div", "es.mean", "im.div",
             "collateral.div", "position.div"]
FLOOR = {"scenario[1].profit", "collateral.div", "position.div"}


@pytest.mark.parametrize("div", DIVISIONS)
def test_division_quotient_is_pinned_by_its_remainder(div: str) -> None:
    """q off by one: the remainder leaves [0, d) (floor: q+1 makes it negative;
    ceil: q-1 does)."""
    wrong = _plus(1) if div in FLOOR else _plus(-1)
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {f"{div}.q": wrong}) == f"{div}.rem_ge0.sum"
    other = _plus(-1) if div in FLOOR else _plus(1)
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {f"{div}.q": other}) in (
        f"{div}.rem_ge0.sum", f"{div}.rem_lt_d.sum", f"{div}.rem_zero")


def test_remainder_bits_are_pinned(honest) -> None:
    assert tamper(honest.builder, "scenario[0].profit.rem_ge0[3]", 2) == \
        "scenario[0].profit.rem_ge0[3].bool"
    flipped = 1 - wire_value(honest.builder, "position.div.rem_lt_d[0]")
    assert tamper(honest.builder, "position.div.rem_lt_d[0]", flipped) == \
        "position.div.rem_lt_d.sum"


def _max_inputs(b) -> list[int]:
    """Elements of the requirement max: stress losses, ceil(top-k/k), som."""
    from circuits.field import decode_signed

    S = SHAPE.S
    pv = [decode_signed(wire_value(b, f"scenario[{s}].profit.q")) for s in range(S)]
    return [-p for p in pv] + [decode_signed(wire_value(b, "es.mean.q")),
                               wire_value(b, "charges.som_div.q")]


def test_max_must_select_the_largest(honest) -> None:
    """Selecting a smaller element: its max is below another element (``ge`` fails)."""
    xs = _max_inputs(honest.builder)
    best, low = xs.index(max(xs)), xs.index(min(xs))
    first_above = next(i for i, x in enumerate(xs) if x > xs[low])
    got = cheat(SHAPE, "health", BOOK, ACCOUNT, {f"requirement.max.sel[{best}]": lambda v: 0,
                                                 f"requirement.max.sel[{low}]": lambda v: 1})
    assert got == f"requirement.max.ge[{first_above}].sum"


def test_max_selectors_are_one_hot_booleans() -> None:
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"requirement.max.sel[0]": lambda v: 2}) == \
        "requirement.max.sel[0].bool"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"requirement.max.sel[1]": lambda v: 1 - v}) \
        == "requirement.max.one_hot"


@pytest.mark.slow
def test_es_selection_is_exactly_k_of_the_largest(honest) -> None:
    b = honest.builder
    H = SHAPE.H
    sel = [wire_value(b, f"es.top.sel[{i}]") for i in range(H)]
    chosen, unchosen = sel.index(1), sel.index(0)
    # a selected loss swapped for an unselected smaller one: below the threshold
    got = cheat(SHAPE, "health", BOOK, ACCOUNT, {f"es.top.sel[{chosen}]": lambda v: 0,
                                                 f"es.top.sel[{unchosen}]": lambda v: 1})
    assert got == f"es.top.order[{unchosen}].sum"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {f"es.top.sel[{unchosen}]": lambda v: 1}) == \
        "es.top.count"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"es.top.sel[0]": lambda v: 3}) == \
        "es.top.sel[0].bool"
    # a threshold above the k-th largest loss: that selected loss is below it
    losses = list(compute_margin(ACCOUNT, BOOK).losses[SHAPE.S:])
    kth = sorted(range(H), key=lambda i: (-losses[i], i))[SHAPE.k - 1]
    first = min(i for i in range(H) if sel[i] and losses[i] == losses[kth])
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"es.top.tau": _plus(1)}) == \
        f"es.top.order[{first}].sum"


@pytest.mark.slow
def test_status_bits_are_pinned() -> None:
    top = SHAPE.bounds.status_bits
    for cmp in ("below_mm", "below_im"):
        assert cheat(SHAPE, "health", BOOK, ACCOUNT, {f"status.{cmp}[{top}]": lambda v: 1 - v}) \
            == f"status.{cmp}.sum"
        assert cheat(SHAPE, "health", BOOK, ACCOUNT, {f"status.{cmp}[0]": lambda v: 2}) == \
            f"status.{cmp}[0].bool"


@pytest.mark.slow
def test_netting_flags_are_pinned() -> None:
    for name in ("netting.eq[0][2].out", "netting.eq[0][1].out", "netting.first[2].out",
                 "netting.first[3].out"):
        assert cheat(SHAPE, "health", BOOK, ACCOUNT, {name: lambda v: 1 - v}) == name
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"netting.first[3].inv": _plus(5)}) == \
        "netting.first[3].inv"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"netting.eq[0][2].inv": _plus(1)}) == \
        "netting.eq[0][2].inv"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"netting.eq[0][1].inv": _plus(1)}) == \
        "netting.eq[0][1].out"


def test_charge_sign_and_clamp_bits_are_pinned() -> None:
    nb = SHAPE.bounds.net_bits
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {f"charges[0].sign[{nb}]": lambda v: 1 - v}) \
        == "charges[0].sign.sum"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT,
                 {"collateral[1].haircut_lt_one[63]": lambda v: 1 - v}) == \
        "collateral[1].haircut_lt_one.sum"


@pytest.mark.slow
def test_merkle_index_bits_and_leaf_data_are_authenticated() -> None:
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"pos[1].merkle.index[0]": lambda v: 1 - v}) \
        == "pos[1].merkle.index.sum"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"pos[1].merkle.index[1]": lambda v: 2}) == \
        "pos[1].merkle.index[1].bool"
    # another instrument's data (or a changed risk value) under slot 1's index
    for field in ("pos[1].mark", "pos[1].som", "pos[1].cont", "pos[1].risk[4]", "pos[1].path[0]"):
        assert cheat(SHAPE, "health", BOOK, ACCOUNT, inputs={field: 7}) == "pos[1].merkle.root"
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, inputs={"coll[1].haircut": 0}) == \
        "coll[1].merkle.root"
    # slot 0 fixes the root the other slots must reach
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, inputs={"pos[0].risk[0]": 1}) == \
        "pos[1].merkle.root"
    # an index past the tree
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, inputs={"pos[2].index": 4}) == \
        "pos[2].merkle.index.sum"


@pytest.mark.parametrize("field,value,name", [
    ("pos[0].qty", 2**63, "pos[0].qty.range.sum"),
    ("pos[0].qty", -(2**63) - 1, "pos[0].qty.range.sum"),
    ("pos[3].qty", -(2**63), "pos[3].qty.not_min"),
    ("coll[0].amount", 2**64, "coll[0].amount.range.sum"),
    ("coll[1].amount", -1, "coll[1].amount.range.sum"),
    ("cash", 2**95, "cash.range.sum"),
    ("cash", -(2**95), "cash.not_min"),
])
def test_account_integers_are_range_checked(field: str, value: int, name: str) -> None:
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, inputs={field: value % R}) == name


def test_nonzero_inverse_is_pinned() -> None:
    assert cheat(SHAPE, "health", BOOK, ACCOUNT, {"cash.not_min.inv": _plus(1)}) == \
        "cash.not_min"


@pytest.mark.slow
def test_wrong_public_outputs_are_rejected(honest) -> None:
    b = honest.builder
    status = wire_value(b, "status")
    for other in {0, 1, 2} - {status}:
        assert tamper(b, "status", other) == "status.output"
    for name in ("market_commitment", "account_commitment"):
        assert tamper(b, name) == f"{name}.output"
    full = build_margin_circuit(SHAPE, "full", BOOK, ACCOUNT).builder
    for name in ("equity", "mm", "im"):
        assert tamper(full, name, delta=1) == f"{name}.output"
        assert tamper(full, name, delta=-1) == f"{name}.output"


@pytest.mark.slow
def test_a_cheaper_requirement_needs_a_broken_constraint() -> None:
    """Every way to lower mm by one unit (cont, som, the max) hits a named check."""
    assert cheat(SHAPE, "full", BOOK, ACCOUNT, {"charges.cont_div.q": _plus(-1)}) == \
        "charges.cont_div.rem_ge0.sum"
    assert cheat(SHAPE, "full", BOOK, ACCOUNT, {"charges.som_div.q": _plus(-1)}) == \
        "charges.som_div.rem_ge0.sum"
    # claim a net long call (no SOM): the sign bits no longer add up
    nb = SHAPE.bounds.net_bits
    assert cheat(SHAPE, "full", BOOK, ACCOUNT, {f"charges[0].sign[{nb}]": lambda v: 1}) == \
        "charges[0].sign.sum"
    # claim slot 2 is a different instrument from slot 0 (net the CALL differently)
    assert cheat(SHAPE, "full", BOOK, ACCOUNT, {"netting.eq[0][2].out": lambda v: 0}) == \
        "netting.eq[0][2].out"
