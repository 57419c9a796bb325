"""The builder: folding, hints, names, wire order, satisfaction checks."""
from __future__ import annotations

import pytest

from circuits.builder import Builder
from circuits.field import R, CircuitError, decode_signed, encode_signed
from tests.circuits.helpers import tamper


def test_linear_operations_fold() -> None:
    b = Builder(with_values=True)
    x = b.private_input("x", 3)
    y = b.private_input("y", 4)
    z = 2 * x + y - 5 + (-y) * 3
    assert b.n_constraints == 0
    assert z.val == (6 + 4 - 5 - 12) % R
    assert z.lc == {x_w: 2 for x_w in x.lc} | {next(iter(y.lc)): R - 2, 0: R - 5}
    assert (x - x).lc == {}
    assert b.mul(x, 7).lc == {next(iter(x.lc)): 7} and b.n_constraints == 0


def test_mul_select_bool_equal() -> None:
    b = Builder(with_values=True)
    x, y, c = (b.private_input(n, v) for n, v in (("x", 6), ("y", 9), ("c", 1)))
    p = x * y
    assert p.val == 54 and b.n_constraints == 1
    assert b.select(c, x, y).val == 6
    b.assert_bool(c, "c.bool")
    b.assert_equal(p, 54, "p.eq")
    b.check()
    assert tamper(b, "c", 2) == "select"  # c*(x-y) = select wire fails first
    assert tamper(b, "mul") == "mul"


def test_is_zero_and_is_equal() -> None:
    for v in (0, 1, R - 1):
        b = Builder(with_values=True)
        x = b.private_input("x", v)
        out = b.is_zero(x)
        assert out.val == int(v == 0)
        b.check()
        assert tamper(b, "is_zero.out") == "is_zero.out"
        assert tamper(b, "is_zero.inv") == ("is_zero.inv" if v == 0 else "is_zero.out")
    b = Builder(with_values=True)
    assert b.is_equal(b.private_input("a", 5), 5).val == 1


def test_to_bits_boundaries_and_rejections() -> None:
    for v, ok in ((0, True), (255, True), (256, False), (R - 1, False)):
        b = Builder(with_values=True)
        bits = b.to_bits(b.private_input("x", v), 8, "x")
        assert b.n_constraints == 9
        assert (b.which_is_unsatisfied() is None) == ok
        if not ok:
            assert b.which_is_unsatisfied() == "x.sum"
        else:
            assert b.from_bits(bits).val == v
            assert tamper(b, "x[3]", 2) == "x[3].bool"
            assert tamper(b, "x[3]", 1 - (v >> 3 & 1)) == "x.sum"
    with pytest.raises(CircuitError):
        Builder().to_bits(0, 254)


def test_wire_order_is_circoms() -> None:
    b = Builder(with_values=True)
    priv = b.private_input("p", 2)
    tmp = priv * priv
    inp = b.public_input("in", 3)
    out = b.public_output("out", tmp + inp)
    b.check()
    r1cs = b.to_r1cs()
    w = b.witness()
    assert (r1cs.n_pub_out, r1cs.n_pub_in, r1cs.n_prv_in, r1cs.n_wires) == (1, 1, 1, 5)
    assert w == [1, 7, 3, 2, 4]
    assert b.public_values() == [7, 3]
    assert b.wire_index("out") == 1 and b.wire_index("p") == 3
    assert r1cs.is_satisfied(w)
    assert out.val == 7


def test_scopes_name_wires_and_constraints() -> None:
    b = Builder(with_values=True)
    with b.scope("outer"), b.scope("inner"):
        b.mul(b.private_input("x", 2), b.private_input("y", 3), "prod")
    assert b.names == ["outer.inner.prod"]
    assert "outer.inner.prod" in b.wire_names
    assert tamper(b, "outer.inner.prod") == "outer.inner.prod"


def test_constraint_only_mode_has_no_values() -> None:
    b = Builder()
    x = b.private_input("x")
    assert (x * x).val is None
    with pytest.raises(CircuitError, match="without values"):
        b.witness()
    with pytest.raises(CircuitError, match="needs a value"):
        Builder(with_values=True).private_input("x")


def test_check_names_first_failure() -> None:
    b = Builder(with_values=True)
    x = b.private_input("x", 3)
    b.assert_equal(x, 3, "fine")
    b.assert_equal(x, 4, "wrong")
    b.assert_equal(x, 5, "also_wrong")
    with pytest.raises(CircuitError, match="'wrong'"):
        b.check()


def test_signed_encoding() -> None:
    for x in (0, 1, -1, 2**126, -(2**126)):
        assert decode_signed(encode_signed(x)) == x
    assert encode_signed(-1) == R - 1


def test_reserved_outputs_keep_wire_order() -> None:
    b = Builder(with_values=True)
    out = b.public_output("out")
    x = b.public_input("x", 4)
    sq = x * x
    b.assign_output(out, sq + 1)
    assert b.export_permutation() is None
    assert b.witness() == [1, 17, 4, 16]
    assert b.to_r1cs().n_prv_in == 0
    b.check()
    assert tamper(b, "out") == "out.output"
    with pytest.raises(CircuitError, match="not a reserved output"):
        b.assign_output(out, 1)


def test_unassigned_output_is_an_error() -> None:
    b = Builder()
    b.public_output("late")
    with pytest.raises(CircuitError, match="never assigned: late"):
        b.to_r1cs()
