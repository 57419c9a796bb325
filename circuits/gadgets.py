"""Arithmetic gadgets: range checks, comparisons, max/argmax, division, top-k.

One gadget = one function ``gadget(b, *vars, **params)``.  Each docstring states the
constraint count and the preconditions under which the gadget is sound.  "Integer"
means the signed integer a field element encodes (docs/spec/STATEMENT.md): values are assumed
far from r/2, which the preconditions (range checks done earlier) guarantee.
"""
from __future__ import annotations

from typing import Sequence

from circuits.builder import Builder, Operand, Var
from circuits.field import CircuitError, decode_signed

MAX_BITS = 250  # leaves room for the offsets and products below r/2


def _check_bits(n: int, what: str) -> None:
    if not 1 <= n <= MAX_BITS:
        raise CircuitError(f"{what}: bit size n={n} outside 1..{MAX_BITS}")


def range_check(b: Builder, x: Operand, n: int, name: str = "range") -> list[Var]:
    """Prove ``0 <= x < 2^n``; returns the bits (LSB first).  n + 1 constraints.

    Rejects every field element outside [0, 2^n), including r - 1 (= -1).
    """
    _check_bits(n, "range_check")
    return b.to_bits(x, n, name)


def signed_range_check(b: Builder, x: Operand, n: int, name: str = "srange") -> None:
    """Prove ``-2^n <= x < 2^n`` (as a signed integer).  n + 2 constraints.

    Decomposes ``x + 2^n`` into n + 1 bits.
    """
    _check_bits(n + 1, "signed_range_check")
    b.to_bits(b.add(x, 1 << n), n + 1, name)


def less_than(b: Builder, x: Operand, y: Operand, n: int, name: str = "lt") -> Var:
    """1 if ``x < y`` else 0.  n + 2 constraints.

    Precondition: ``-2^n <= x - y < 2^n`` (e.g. both range-checked to n - 1 bits, or
    both unsigned n-bit).  ``x - y + 2^n`` is decomposed into n + 1 bits; its top bit
    is 1 exactly when ``x >= y``.
    """
    _check_bits(n + 1, "less_than")
    bits = b.to_bits(b.add(b.sub(x, y), 1 << n), n + 1, name)
    return b.sub(1, bits[n])


def less_equal(b: Builder, x: Operand, y: Operand, n: int, name: str = "le") -> Var:
    """1 if ``x <= y`` else 0 (= ``x < y + 1``).  n + 2 constraints.

    Precondition: ``-2^n <= x - y - 1 < 2^n``.
    """
    return less_than(b, x, b.add(y, 1), n, name)


def assert_leq(b: Builder, x: Operand, y: Operand, n: int, name: str = "leq") -> None:
    """Prove ``x <= y``.  n + 1 constraints.  Precondition: ``|y - x| < r/2 - 2^n``."""
    _check_bits(n, "assert_leq")
    b.assert_leq(x, y, n, name)


def max_argmax(b: Builder, xs: Sequence[Operand], n: int,
               name: str = "max") -> tuple[Var, Var, list[Var]]:
    """``(m, index, selectors)`` with ``m = max(xs)`` and ``index`` a position of it.

    ``m`` is pinned; with ties, ``index``/``selectors`` may name any maximal element
    (the hint picks the first).

    Hints: one-hot selectors ``sel[i]``.  Constraints for L = len(xs):
    L booleans + 1 (sum = 1) + L products ``sel[i]*x_i`` + L range checks of
    ``m - x_i`` (n + 1 each): ``L*(n + 3) + 1``.
    Precondition: all ``x_i - x_j`` in (-2^n, 2^n) (range-check the inputs first).
    """
    _check_bits(n, "max_argmax")
    xs = [b.lift(x) for x in xs]
    if not xs:
        raise CircuitError("max_argmax: empty list")

    def pick(*vals: int) -> list[int]:
        ints = [decode_signed(v) for v in vals]
        best = ints.index(max(ints))
        return [int(i == best) for i in range(len(ints))]

    sel = b.named_hints([f"{name}.sel[{i}]" for i in range(len(xs))], pick, *xs)
    for i, s in enumerate(sel):
        b.assert_bool(s, f"{name}.sel[{i}].bool")
    b.assert_equal(b.sum(sel), 1, f"{name}.one_hot")
    m = b.sum([b.mul(s, x, f"{name}.pick[{i}]") for i, (s, x) in enumerate(zip(sel, xs))])
    for i, x in enumerate(xs):
        b.to_bits(b.sub(m, x), n, f"{name}.ge[{i}]")
    index = b.sum([b.scale(s, i) for i, s in enumerate(sel)])
    return m, index, sel


def _division(b: Builder, x: Var, d: int, n: int, name: str, ceil: bool) -> tuple[Var, Var]:
    _check_bits(n + 1, "division")
    if not 1 <= d < (1 << MAX_BITS - n):
        raise CircuitError(f"division: divisor {d} out of range")

    def quotient(v: int) -> int:
        num = decode_signed(v)
        return -((-num) // d) if ceil else num // d

    q = b.hint(f"{name}.q", quotient, x)
    signed_range_check(b, q, n, f"{name}.q_range")
    qd = b.scale(q, d)
    rem = b.sub(qd, x) if ceil else b.sub(x, qd)
    if d == 1:
        b.assert_equal(rem, 0, f"{name}.rem_zero")
    else:
        k = (d - 1).bit_length()
        b.to_bits(rem, k, f"{name}.rem_ge0")
        b.to_bits(b.sub(d - 1, rem), k, f"{name}.rem_lt_d")
    return q, rem


def div_floor(b: Builder, x: Operand, d: int, n: int, name: str = "floordiv") -> tuple[Var, Var]:
    """``(q, rem)`` with ``x = q*d + rem``, ``0 <= rem < d`` (q = floor(x / d)).

    d: a constant >= 1.  Hint ``q``; constraints: q in [-2^n, 2^n) (n + 2) and
    ``rem = x - q*d`` in [0, d) via two (k + 1)-constraint range checks,
    k = bitlen(d - 1) (or 1 constraint ``rem = 0`` when d = 1).
    Precondition: x in [-2^n, 2^n) (so the true quotient passes its range check).
    """
    return _division(b, b.lift(x), d, n, name, ceil=False)


def div_ceil(b: Builder, x: Operand, d: int, n: int, name: str = "ceildiv") -> tuple[Var, Var]:
    """``(q, rem)`` with ``q*d = x + rem``, ``0 <= rem < d`` (q = ceil(x / d)).

    Same constraints and preconditions as :func:`div_floor`.
    """
    return _division(b, b.lift(x), d, n, name, ceil=True)


def top_k_sum(b: Builder, xs: Sequence[Operand], k: int, n: int,
              name: str = "topk") -> tuple[Var, list[Var]]:
    """``(sum of the k largest xs, selectors)``: exactly k selected, each >= every other.

    Hints: selectors ``sel[i]`` and a threshold ``tau`` (the k-th largest value).
    Constraints for L = len(xs): L booleans, 1 (sum of selectors = k), L products
    ``d_i = (x_i - tau)(2 sel_i - 1)``, L range checks ``d_i in [0, 2^n)`` (n + 1
    each) and L products ``sel_i * x_i``: ``L*(n + 4) + 1``.  Selected values are
    ``>= tau >=`` unselected ones, so every selected value is >= every unselected one.
    Precondition: all ``x_i - x_j`` in (-2^n, 2^n); 1 <= k <= L.  The sum is pinned;
    with ties at the threshold the selectors may pick any of the tied elements.
    """
    _check_bits(n, "top_k_sum")
    xs = [b.lift(x) for x in xs]
    if not 1 <= k <= len(xs):
        raise CircuitError(f"top_k_sum: k={k} outside 1..{len(xs)}")

    def choose(*vals: int) -> list[int]:
        ints = [decode_signed(v) for v in vals]
        order = sorted(range(len(ints)), key=lambda i: (-ints[i], i))[:k]
        return [int(i in order) for i in range(len(ints))] + [ints[order[-1]]]

    names = [f"{name}.sel[{i}]" for i in range(len(xs))] + [f"{name}.tau"]
    *sel, tau = b.named_hints(names, choose, *xs)
    for i, s in enumerate(sel):
        b.assert_bool(s, f"{name}.sel[{i}].bool")
    b.assert_equal(b.sum(sel), k, f"{name}.count")
    for i, (s, x) in enumerate(zip(sel, xs)):
        d = b.mul(b.sub(x, tau), b.sub(b.scale(s, 2), 1), f"{name}.d[{i}]")
        b.to_bits(d, n, f"{name}.order[{i}]")
    total = b.sum([b.mul(s, x, f"{name}.pick[{i}]") for i, (s, x) in enumerate(zip(sel, xs))])
    return total, sel
