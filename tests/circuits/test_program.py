"""Witness programs: the compiled replay gives the builder's witness, wire for wire."""
from __future__ import annotations

import numpy as np
import pytest

import native
from circuits import gadgets
from circuits.builder import Builder
from circuits.field import R, CircuitError
from circuits.gadgets_hash import merkle_root_gadget, poseidon_hash
from circuits.margin import MarginShape, build_margin_circuit, margin_witness
from circuits.margin.program import MarginProgram
from circuits.program import BITS, HINT, LIN, MUL, SOLVE, TracingBuilder, WitnessProgram, \
    compile_program
from native.convert import NativeError, ints_to_limbs
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


def _limbs(witness: list[int]) -> np.ndarray:
    return ints_to_limbs(witness)


@pytest.mark.parametrize("values", [dict(x=5, y=9, z=3), dict(x=2**39, y=-17, z=0),
                                    dict(x=0, y=0, z=7)])
def test_toy_circuit_replay_equals_builder(values: dict[str, int]) -> None:
    program, tracer = compile_program(_toy)
    want = _builder_witness(_toy, values)
    assert program.run(values) == want
    assert np.array_equal(program.run_limbs(values), _limbs(want))
    ref = Builder()
    _toy(ref)
    assert tracer.to_r1cs() == ref.to_r1cs()  # tracing changes no constraint


def _every_step(b: Builder) -> None:
    """Every step kind: a hint first and last (one with no argument, one on the constant
    0), bits at a limb boundary, a SOLVE whose unknown has coefficient 3, and a public
    input declared after a private wire (the export order then differs)."""
    x, y = b.private_input("x"), b.private_input("y")
    sq, = b.named_hints(["sq"], lambda v, c: [v * v + c + 5], x, 0)  # the first step
    b.enforce(x, x, b.add(sq, -5), "sq")
    bits = b.to_bits(x, 64, "bits64")
    hi = b.to_bits(y, 200, "bits200")
    p = b.mul(b.from_bits(bits[:8]), b.add(y, 3), "p")
    val = None
    if b.with_values:
        val = (p.val * (y.val + 7) - 11 * x.val) * pow(3, R - 2, R) % R
    s = b._wire("s", val)  # solved from C = 3 s + 11 x
    b.enforce(p, b.add(y, 7), b.add(b.scale(s, 3), b.scale(x, 11)), "solve")
    w = b.public_input("w")
    b.public_output("out", b.sum([s, hi[199], w, b.is_zero(b.sub(x, w), "eq")]))
    b.named_hints(["last"], lambda: [-1])  # the last step: no argument, value r - 1


def test_every_step_kind_replays_natively() -> None:
    program, _ = compile_program(_every_step)
    kinds = [st[0] for st in program.steps]
    assert kinds[0] == HINT and kinds[-1] == HINT
    assert {LIN, MUL, SOLVE, HINT, BITS} <= set(kinds)
    assert any(st[0] == SOLVE and st[5] != 1 for st in program.steps)
    assert program.order is not None
    for x, y, w in ((2**64 - 1, 2**200 - 1, 0), (2**64 - 2, 2**199, 5), (0, 0, -3),
                    (2**63, 1, 2**63)):
        values = dict(x=x, y=y, w=w)
        want = _builder_witness(_every_step, values)
        assert program.run(values) == want
        assert np.array_equal(program.run_limbs(values), _limbs(want))


def test_bits_of_values_that_do_not_fit_match_the_reference() -> None:
    """BITS keeps the low n bits of the standard form (the constraints then fail, but
    both replays give the same wires)."""
    program, _ = compile_program(_every_step)
    for x, y in ((2**64, 2**200), (2**64 + 1, 2**200 + 1), (-2, R - 1), (R - 1, -1)):
        values = dict(x=x, y=y, w=1)
        assert np.array_equal(program.run_limbs(values), _limbs(program.run(values)))


def test_run_limbs_without_native_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    program, _ = compile_program(_toy)
    values = dict(x=3, y=-4, z=5)
    monkeypatch.setattr(native, "backend", lambda: "python")
    assert np.array_equal(program.run_limbs(values), _limbs(program.run(values)))


def test_native_replay_errors_are_clear() -> None:
    program, _ = compile_program(_every_step)
    values = dict(x=1, y=2, w=3)
    with pytest.raises(CircuitError, match="no value for input 'w'"):
        program.run_limbs(dict(x=1, y=2))
    bad = compile_program(lambda b: b.named_hints(["h"], lambda v: [v, v], b.private_input("x")))
    with pytest.raises(CircuitError, match="hint gave 2 values, not 1"):
        bad[0].run_limbs(dict(x=1))
    offsets, at = [], 0
    for st in program.steps:  # the encoded size of each step (witness_vm.h)
        offsets.append(at)
        at += {LIN: 3 + 2 * len(st[2]) if st[0] == LIN else 0, MUL: 4, SOLVE: 6, BITS: 4,
               HINT: 2}[st[0]]
    assert at == program._code.size
    mul_at = offsets[[st[0] for st in program.steps].index(MUL)]
    solve_at = offsets[[st[0] for st in program.steps].index(SOLVE)]
    code = program._code.copy()
    try:
        for at, word, value, message in (
                (mul_at, 2, program.n_slots + 1, "slot index out of range"),
                (mul_at, 1, -1, "slot index out of range"),
                (solve_at, 5, program._coefs.shape[0], "coefficient index out of range"),
                (solve_at, 0, 77, "unknown opcode")):
            program._code[:] = code
            program._code[at + word] = value
            with pytest.raises(NativeError, match=f"{message} in the step at offset {at}$"):
                program.run_limbs(values)
        program._code = code[:solve_at + 3]
        with pytest.raises(NativeError, match="past the end of the program"):
            program.run_limbs(values)
    finally:
        program._code = code
    assert np.array_equal(program.run_limbs(values), _limbs(program.run(values)))


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
        want = margin_witness(shape, statement, book, account)
        assert program.witness(book, account) == want
        assert np.array_equal(program.witness_limbs(book, account), _limbs(want[0]))


@pytest.mark.parametrize("statement", ["full", "health"])
def test_margin_native_replay_equals_python_replay(statement: str) -> None:
    """n4k2 on the small book: the native replay gives the reference replay's witness."""
    book = small_book()
    shape = MarginShape.from_book(book, 4, 2)
    program = MarginProgram(shape, statement)
    for account in (small_account(), Account(cash=-(2**94), salt=R - 1),
                    small_account(positions=(), collateral=(("XCOIN", SCALE),))):
        w, _ = program.witness(book, account)
        assert np.array_equal(program.witness_limbs(book, account), _limbs(w))


@pytest.mark.slow
def test_margin_program_equals_builder_bundled_book() -> None:
    book = default_book()
    shape = MarginShape.from_book(book, 4, 2)
    program = MarginProgram(shape, "full")
    for name in ("covered_call", "liquidatable", "eth_collateral_long"):
        account = Account.load(name)
        want = margin_witness(shape, "full", book, account)
        assert program.witness(book, account) == want
        assert np.array_equal(program.witness_limbs(book, account), _limbs(want[0]))


@pytest.mark.slow
@pytest.mark.parametrize("n, k", [(8, 2), (16, 4)])
def test_margin_native_replay_equals_builder_larger_shapes(n: int, k: int) -> None:
    book = default_book()
    shape = MarginShape.from_book(book, n, k)
    program = MarginProgram(shape, "full")
    account = Account.load("covered_call")
    want = margin_witness(shape, "full", book, account)
    assert program.witness(book, account) == want
    assert np.array_equal(program.witness_limbs(book, account), _limbs(want[0]))
