"""Witness programs: the compiled replay gives the builder's witness, wire for wire."""
from __future__ import annotations

import pytest

from circuits import gadgets
from circuits.builder import Builder
from circuits.field import R, CircuitError
from circuits.gadgets_hash import merkle_root_gadget, poseidon_hash
from circuits.margin import MarginShape, build_margin_circuit, margin_witness
from circuits.margin.program import MarginProgram
from circuits.program import TracingBuilder, WitnessProgram, compile_program
from engine import Account
from tests.circuits.margin_books import SCALE, default_book, small_account, small_book


def _toy(b: Builder) -> None:
    x, y, z = (b.private_input(n) for n in ("x", "y", "z"))
    h = poseidon_hash(b, [x, 7, y], "h")  # a constant input: a constant first-round cell
    q, _ = gadgets.div_ceil(b, b.sub(x, y), 1000, 60, "div")
    m, _, _ = gadgets.max_argmax(b, [b.sub(x, y), b.sub(y, x), z], 50, "max")
    top, _ = gadgets.top_k_sum(b, [x, y, z], 2, 50, "top")
    root = merkle_root_gadget(b, h, z, [x, y, q], "merkle")
    b.public_output("out", b.sum([m, top, root, b.is_zero(b.sub(x, y), "eq")]))


def _builder_witness(fn, values):
    b = Builder(with_values=True)
    orig = b._input

    def _input(name, value, kind):  # inputs take their values from ``values``
        return orig(name, values[name] if value is None else value, kind)

    b._input = _input  # type: ignore[method-assign]
    fn(b)
    b.check()
    return b.witness()


@pytest.mark.parametrize("values", [dict(x=5, y=9, z=3), dict(x=2**39, y=-17, z=0),
                                    dict(x=0, y=0, z=7)])
def test_toy_circuit_replay_equals_builder(values: dict[str, int]) -> None:
    program, tracer = compile_program(_toy)
    assert program.run(values) == _builder_witness(_toy, values)
    ref = Builder()
    _toy(ref)
    assert tracer.to_r1cs() == ref.to_r1cs()  # tracing changes no constraint


def test_missing_input_is_named() -> None:
    program, _ = compile_program(_toy)
    with pytest.raises(CircuitError, match="no value for input 'z'"):
        program.run(dict(x=1, y=2))


def test_unsolvable_wire_is_refused() -> None:
    b = TracingBuilder()
    x = b.private_input("x")
    free = b._wire("free", None)  # neither an input, a hint nor solved by a constraint
    b.enforce(free, free, x, "square")
    with pytest.raises(CircuitError, match="cannot be solved for 'free'"):
        WitnessProgram(b)


@pytest.mark.slow
@pytest.mark.parametrize("statement", ["full", "health"])
def test_margin_program_equals_builder_small_book(statement: str) -> None:
    book = small_book()
    shape = MarginShape.from_book(book, 4, 2)
    program = MarginProgram(shape, statement)
    assert program.r1cs == build_margin_circuit(shape, statement).r1cs
    accounts = [small_account(),
                small_account(cash=10**6 * SCALE, positions=(("PUT", 3 * SCALE),),
                              collateral=()),
                small_account(positions=(), collateral=(("XCOIN", SCALE),)),
                Account(cash=-(2**94), salt=R - 1)]
    for account in accounts:
        assert program.witness(book, account) == margin_witness(shape, statement, book,
                                                                account)


@pytest.mark.slow
def test_margin_program_equals_builder_bundled_book() -> None:
    book = default_book()
    shape = MarginShape.from_book(book, 4, 2)
    program = MarginProgram(shape, "full")
    for name in ("covered_call", "liquidatable", "eth_collateral_long"):
        account = Account.load(name)
        assert program.witness(book, account) == margin_witness(shape, "full", book, account)
