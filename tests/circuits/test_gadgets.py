"""Gadgets: boundaries satisfy, every tampered hint is caught by a named constraint."""
from __future__ import annotations

import pytest

from circuits.builder import Builder
from circuits.field import R, CircuitError, decode_signed
from circuits.gadgets import (div_ceil, div_floor, less_equal, less_than, max_argmax,
                              range_check, signed_range_check, top_k_sum)
from tests.circuits.helpers import build, every_wire_pinned, tamper

N = 8


def _inputs(b: Builder, values: dict | None, names: list[str]) -> list:
    return [b.private_input(n, None if values is None else values[n]) for n in names]


@pytest.mark.parametrize("v,ok", [(0, True), (2**N - 1, True), (2**N, False),
                                  (R - 1, False), (2**N + 5, False)])
def test_range_check(v: int, ok: bool) -> None:
    b = build(lambda b, vals: range_check(b, *_inputs(b, vals, ["x"]), N), {"x": v})
    assert b.n_constraints == N + 1
    assert b.which_is_unsatisfied() == (None if ok else "range.sum")
    if ok:
        assert tamper(b, "range[0]", 2) == "range[0].bool"
        assert tamper(b, "range[7]", 1 - (v >> 7)) == "range.sum"
        every_wire_pinned(b)


@pytest.mark.parametrize("v,ok", [(0, True), (2**N - 1, True), (-(2**N), True), (R - 1, True),
                                  (2**N, False), (-(2**N) - 1, False), ((R - 1) // 2, False)])
def test_signed_range_check(v: int, ok: bool) -> None:
    b = build(lambda b, vals: signed_range_check(b, *_inputs(b, vals, ["x"]), N), {"x": v % R})
    assert b.n_constraints == N + 2
    assert b.which_is_unsatisfied() == (None if ok else "srange.sum")


@pytest.mark.parametrize("x,y", [(0, 0), (0, 255), (255, 0), (7, 7), (-128, 127), (127, -128),
                                 (-5, -4)])
def test_comparisons(x: int, y: int) -> None:
    b = Builder(with_values=True)
    a, c = b.private_input("x", x % R), b.private_input("y", y % R)
    lt = less_than(b, a, c, N)
    le = less_equal(b, a, c, N)
    assert (lt.val, le.val) == (int(x < y), int(x <= y))
    assert b.n_constraints == 2 * (N + 2)
    b.check()
    assert tamper(b, f"lt[{N}]", 1 - b.values[b.wire_names.index(f"lt[{N}]")]) == "lt.sum"
    assert tamper(b, "le[0]", 3) == "le[0].bool"
    every_wire_pinned(b)


def test_less_than_rejects_wrapped_difference() -> None:
    b = Builder(with_values=True)
    less_than(b, b.private_input("x", 2**N), b.private_input("y", 0) - 2**N, N)
    assert b.which_is_unsatisfied() == "lt.sum"


@pytest.mark.parametrize("xs", [[3, -7, 3, 0], [0], [-255, -255], [255, -255, 0, 254]])
def test_max_argmax(xs: list[int]) -> None:
    names = [f"x{i}" for i in range(len(xs))]

    def circuit(b: Builder, vals: dict | None) -> None:
        m, idx, _ = max_argmax(b, _inputs(b, vals, names), N + 1)
        if vals:
            assert decode_signed(m.val) == max(xs) and idx.val == xs.index(max(xs))

    b = build(circuit, {n: x % R for n, x in zip(names, xs)})
    L = len(xs)
    assert b.n_constraints == L * (N + 1 + 3) + 1
    b.check()
    best = xs.index(max(xs))
    assert tamper(b, f"max.sel[{best}]", 0) == "max.one_hot"
    assert tamper(b, f"max.sel[{best}]", 2) == f"max.sel[{best}].bool"
    assert tamper(b, "max.pick[0]") == "max.pick[0]"
    every_wire_pinned(b)


def test_max_rejects_non_maximal_selection() -> None:
    """Selecting a smaller element: m - x_best < 0 fails its range check."""
    b = Builder(with_values=True)
    xs = [b.private_input(f"x{i}", v) for i, v in enumerate((1, 9))]
    max_argmax(b, xs, N)
    w = b.witness()
    for name, v in (("max.sel[0]", 1), ("max.sel[1]", 0), ("max.pick[0]", 1), ("max.pick[1]", 0)):
        w[b.wire_index(name)] = v
    for i, diff in enumerate((0, (1 - 9) % R)):
        for j in range(N):
            w[b.wire_index(f"max.ge[{i}][{j}]")] = (diff >> j) & 1
    assert b.which_is_unsatisfied(w) == "max.ge[1].sum"


@pytest.mark.parametrize("x,d", [(-7, 3), (7, 3), (0, 5), (2**N - 1, 7), (-(2**N), 7),
                                 (-(2**N), 1), (12, 4), (-12, 4), (2**N - 1, 2**N - 1)])
def test_division(x: int, d: int) -> None:
    def circuit(b: Builder, vals: dict | None) -> None:
        (xv,) = _inputs(b, vals, ["x"])
        qf, rf = div_floor(b, xv, d, N)
        qc, rc = div_ceil(b, xv, d, N)
        if vals:
            assert decode_signed(qf.val) == x // d and rf.val == x % d
            assert decode_signed(qc.val) == -((-x) // d) and rc.val == (-x) % d

    b = build(circuit, {"x": x % R})
    k = (d - 1).bit_length()
    assert b.n_constraints == 2 * ((N + 2) + (2 * (k + 1) if d > 1 else 1))
    b.check()
    assert tamper(b, "floordiv.q") == "floordiv.q_range.sum"
    assert tamper(b, "ceildiv.q", delta=-1) == "ceildiv.q_range.sum"
    every_wire_pinned(b)


def test_division_rejects_remainder_out_of_range() -> None:
    """A prover claiming q one too small needs rem = true rem + d >= d."""
    b = Builder(with_values=True)
    div_floor(b, b.private_input("x", 12), 5, N)
    w = b.witness()
    q = 12 // 5 - 1
    rem = 12 - 5 * q  # 7: fits 3 bits, but 4 - 7 < 0
    w[b.wire_index("floordiv.q")] = q
    for j in range(N + 1):
        w[b.wire_index(f"floordiv.q_range[{j}]")] = ((q + 2**N) >> j) & 1
    for j in range(3):
        w[b.wire_index(f"floordiv.rem_ge0[{j}]")] = (rem >> j) & 1
        w[b.wire_index(f"floordiv.rem_lt_d[{j}]")] = (((4 - rem) % R) >> j) & 1
    assert b.which_is_unsatisfied(w) == "floordiv.rem_lt_d.sum"


@pytest.mark.parametrize("xs,k", [([5, -2, 5, 9, 0], 2), ([5, -2, 5, 9, 0], 1),
                                  ([5, -2, 5, 9, 0], 5), ([0, 0, 0], 2),
                                  ([-128, 127, -128, 127], 3)])
def test_top_k(xs: list[int], k: int) -> None:
    names = [f"x{i}" for i in range(len(xs))]

    def circuit(b: Builder, vals: dict | None) -> None:
        total, _ = top_k_sum(b, _inputs(b, vals, names), k, N + 1)
        if vals:
            assert decode_signed(total.val) == sum(sorted(xs, reverse=True)[:k])

    b = build(circuit, {n: x % R for n, x in zip(names, xs)})
    L = len(xs)
    assert b.n_constraints == L * (N + 1 + 4) + 1
    b.check()
    assert tamper(b, "topk.sel[0]", 2) == "topk.sel[0].bool"
    sel0 = b.values[b.wire_names.index("topk.sel[0]")]
    assert tamper(b, "topk.sel[0]", 1 - sel0) == "topk.count"
    assert tamper(b, "topk.tau") == "topk.d[0]"
    assert tamper(b, "topk.pick[1]") == "topk.pick[1]"
    every_wire_pinned(b)


def test_top_k_rejects_swapped_selection() -> None:
    """Selecting a smaller value instead of a larger one breaks an order check."""
    b = Builder(with_values=True)
    xs = [b.private_input(f"x{i}", v) for i, v in enumerate((1, 9, 4))]
    top_k_sum(b, xs, 1, N)
    w = b.witness()
    sel, tau = (1, 0, 0), 1  # claims 1 is the largest
    w[b.wire_index("topk.tau")] = tau
    for i, x in enumerate((1, 9, 4)):
        w[b.wire_index(f"topk.sel[{i}]")] = sel[i]
        d = (x - tau) * (2 * sel[i] - 1) % R
        w[b.wire_index(f"topk.d[{i}]")] = d
        for j in range(N):
            w[b.wire_index(f"topk.order[{i}][{j}]")] = (d >> j) & 1
        w[b.wire_index(f"topk.pick[{i}]")] = sel[i] * x
    assert b.which_is_unsatisfied(w) == "topk.order[1].sum"


def test_gadget_argument_errors() -> None:
    b = Builder()
    with pytest.raises(CircuitError):
        range_check(b, 0, 251)
    with pytest.raises(CircuitError):
        top_k_sum(b, [1, 2], 3, 8)
    with pytest.raises(CircuitError):
        max_argmax(b, [], 8)
    with pytest.raises(CircuitError):
        div_floor(b, 5, 0, 8)
