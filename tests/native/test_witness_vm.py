"""The C witness-program interpreter (native/src/witness_vm.c) against a Python
interpreter of the same encoding over ints: random programs with every step kind,
segment boundaries at hints, the value conversions, and every malformed input."""
from __future__ import annotations

import random

import numpy as np
import pytest

from native import c_witness as vm
from native.convert import FR_R1, FR_RINV, NativeError, ints_to_limbs, limbs_to_ints
from native.params import R


def mont(values: list[int]) -> np.ndarray:
    return ints_to_limbs([v % R * FR_R1 % R for v in values])


def unmont(w: np.ndarray) -> list[int]:
    return [v * FR_RINV % R for v in limbs_to_ints(w)]


def ref_run(w: list[int], code: list[int], coefs: list[int], pc: int) -> tuple[int, int]:
    """The reference: the encoding of witness_vm.h over ints mod r (``w`` in place)."""
    while pc < len(code):
        op = code[pc]
        if op == vm.LIN:
            dst, k = code[pc + 1], code[pc + 2]
            terms = code[pc + 3:pc + 3 + 2 * k]
            w[dst] = sum(coefs[c] * w[s] for s, c in zip(terms[::2], terms[1::2])) % R
            pc += 3 + 2 * k
        elif op == vm.MUL:
            w[code[pc + 1]] = w[code[pc + 2]] * w[code[pc + 3]] % R
            pc += 4
        elif op == vm.SOLVE:
            x, a, b, rest, c = code[pc + 1:pc + 6]
            w[x] = (w[a] * w[b] - w[rest]) * coefs[c] % R
            pc += 6
        elif op == vm.BITS:
            src, n, start = code[pc + 1:pc + 4]
            v = w[src]
            w[start:start + n] = [(v >> j) & 1 for j in range(n)]
            pc += 4
        else:
            assert op == vm.HINT
            return pc + 2, code[pc + 1]
    return pc, -1


def random_program(rng: random.Random, n: int, n_coefs: int, steps: int) -> list[int]:
    code: list[int] = []
    for _ in range(steps):
        op = rng.choice([vm.LIN, vm.LIN, vm.MUL, vm.SOLVE, vm.BITS, vm.HINT])
        slot = lambda: rng.randrange(n)  # noqa: E731
        if op == vm.LIN:
            k = rng.choice([0, 1, 2, 5, 17])
            code += [op, slot(), k]
            for _ in range(k):
                code += [slot(), rng.randrange(n_coefs)]
        elif op == vm.MUL:
            code += [op, slot(), slot(), slot()]
        elif op == vm.SOLVE:
            code += [op, slot(), slot(), slot(), slot(), rng.randrange(n_coefs)]
        elif op == vm.BITS:
            nbits = rng.choice([1, 63, 64, 65, 128, 200, 254, 256, 260])
            if nbits <= n:
                code += [op, slot(), nbits, rng.randrange(n - nbits + 1)]
        else:
            code += [op, rng.randrange(1000)]
    return code


def edge_values(rng: random.Random, n: int) -> list[int]:
    """Values around limb and field boundaries (bits of 2^k - 1, 2^k, 2^k + 1), random."""
    edges = [0, 1, R - 1, R - 2, 2**64 - 1, 2**64, 2**64 + 1, 2**128, 2**200 - 1,
             2**253, 2**253 + 1]
    return [edges[i] if i < len(edges) else rng.randrange(R) for i in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_random_programs_match_reference(seed: int) -> None:
    rng = random.Random(seed)
    n, n_coefs = 300, 12
    coefs = [0, 1, R - 1, 3] + [rng.randrange(R) for _ in range(n_coefs - 4)]
    code = random_program(rng, n, n_coefs, 400)
    ref = edge_values(rng, n)
    w = mont(ref)
    code_arr, coef_arr = np.array(code, dtype=np.int32), mont(coefs)
    pc = ref_pc = 0
    hints = 0
    while True:
        pc, hint = vm.run(w, code_arr, coef_arr, pc)
        ref_pc, ref_hint = ref_run(ref, code, coefs, ref_pc)
        assert (pc, hint) == (ref_pc, ref_hint)
        assert unmont(w) == ref
        if hint < 0:
            break
        hints += 1
        # a hint: overwrite a few slots, as a caller does between segments
        idx = [rng.randrange(n) for _ in range(3)]
        vals = edge_values(rng, 3)
        vm.set_values(w, idx, ints_to_limbs(vals))
        for i, v in zip(idx, vals):
            ref[i] = v % R
    assert pc == len(code) and hints > 0


def test_lin_step_may_read_its_own_slot() -> None:
    w = mont([1, 5, 7])
    code = np.array([vm.LIN, 1, 2, 1, 0, 2, 1, vm.MUL, 2, 2, 1], dtype=np.int32)
    assert vm.run(w, code, mont([2, 3])) == (code.size, -1)
    assert unmont(w) == [1, 2 * 5 + 3 * 7, 7 * 31]


def test_hint_boundaries() -> None:
    """A program that starts or ends with a hint, only hints, or no step at all."""
    w = mont([4, 9])
    coefs = mont([1])
    code = np.array([vm.HINT, 7, vm.MUL, 1, 0, 0, vm.HINT, 8], dtype=np.int32)
    assert vm.run(w, code, coefs, 0) == (2, 7)
    assert unmont(w) == [4, 9]  # nothing after the hint has run
    assert vm.run(w, code, coefs, 2) == (8, 8)
    assert unmont(w) == [4, 16]
    assert vm.run(w, code, coefs, 8) == (8, -1)
    hints = np.array([vm.HINT, 0, vm.HINT, 1], dtype=np.int32)
    assert vm.run(w, hints, coefs) == (2, 0)
    assert vm.run(w, hints, coefs, 2) == (4, 1)
    empty = np.zeros(0, dtype=np.int32)
    assert vm.run(w, empty, np.zeros((0, 4), dtype=np.uint64)) == (0, -1)


def test_set_and_get_against_python() -> None:
    rng = random.Random(3)
    n = 50
    vals = edge_values(rng, 20) + [2**256 - 1, R, R + 5, 2**255]
    idx = rng.sample(range(n), len(vals))
    w = np.zeros((n, 4), dtype=np.uint64)
    vm.set_values(w, idx, ints_to_limbs(vals))
    assert limbs_to_ints(w[idx]) == [v % R * FR_R1 % R for v in vals]  # Montgomery form
    assert limbs_to_ints(vm.get_values(w, idx)) == [v % R for v in vals]
    free = next(i for i in range(n) if i not in idx)
    assert limbs_to_ints(vm.get_values(w, [free, idx[0], idx[0]])) == [0] + [vals[0] % R] * 2
    assert vm.get_values(w, np.zeros(0, dtype=np.int32)).shape == (0, 4)


def _err(code: list[int], message: str, at: int, n: int = 4, n_coefs: int = 2) -> None:
    w = mont(list(range(1, n + 1)))
    with pytest.raises(NativeError, match=f"{message} in the step at offset {at}$"):
        vm.run(w, np.array(code, dtype=np.int32), mont(list(range(2, 2 + n_coefs))))
    prefix = code[:at]  # the steps before the bad one ran, nothing else changed
    ref = list(range(1, n + 1))
    ref_run(ref, prefix, list(range(2, 2 + n_coefs)), 0)
    assert unmont(w) == ref


@pytest.mark.parametrize("code, message, at", [
    ([9], "unknown opcode", 0),
    ([vm.MUL, 1, 0, 0, -1], "unknown opcode", 4),
    ([vm.MUL, 1, 0], "past the end of the program", 0),
    ([vm.LIN, 1], "past the end of the program", 0),
    ([vm.LIN, 1, 2, 0, 0, 1], "past the end of the program", 0),
    ([vm.SOLVE, 1, 0, 0, 0], "past the end of the program", 0),
    ([vm.BITS, 0, 1], "past the end of the program", 0),
    ([vm.MUL, 2, 2, 2, vm.HINT], "past the end of the program", 4),
    ([vm.LIN, 1, -1], "negative term or bit count", 0),
    ([vm.BITS, 0, -1, 0], "negative term or bit count", 0),
    ([vm.MUL, 4, 0, 0], "slot index out of range", 0),
    ([vm.MUL, 0, -1, 0], "slot index out of range", 0),
    ([vm.MUL, 0, 0, 2**31 - 1], "slot index out of range", 0),
    ([vm.LIN, 0, 1, 4, 0], "slot index out of range", 0),
    ([vm.LIN, 5, 1, 0, 0], "slot index out of range", 0),
    ([vm.SOLVE, 0, 0, 0, 9, 0], "slot index out of range", 0),
    ([vm.BITS, 0, 3, 2], "slot index out of range", 0),  # start + n > memory
    ([vm.BITS, 0, 1, 4], "slot index out of range", 0),
    ([vm.BITS, 0, 1, -1], "slot index out of range", 0),
    ([vm.BITS, 4, 1, 0], "slot index out of range", 0),
    ([vm.LIN, 0, 1, 0, 2], "coefficient index out of range", 0),
    ([vm.LIN, 0, 1, 0, -1], "coefficient index out of range", 0),
    ([vm.MUL, 3, 1, 2, vm.SOLVE, 0, 0, 0, 0, 2], "coefficient index out of range", 4),
])
def test_malformed_programs_are_refused(code: list[int], message: str, at: int) -> None:
    _err(code, message, at)


def test_bad_arguments_are_refused() -> None:
    w = mont([1, 2, 3])
    code = np.array([vm.MUL, 0, 1, 2], dtype=np.int32)
    coefs = mont([1])
    with pytest.raises(NativeError, match="pc: 5 is outside the program"):
        vm.run(w, code, coefs, 5)
    with pytest.raises(NativeError, match="witness memory"):
        vm.run(w[:, :3].copy(), code, coefs)
    with pytest.raises(NativeError, match="witness memory"):
        vm.run(np.asfortranarray(np.zeros((3, 4), dtype=np.uint64))[:, ::-1], code, coefs)
    with pytest.raises(NativeError, match="code: value outside int32"):
        vm.run(w, np.array([0, 2**40], dtype=np.int64), coefs)
    with pytest.raises(NativeError, match="coefs"):
        vm.run(w, code, np.zeros(4, dtype=np.uint64))
    for bad in ([3], [-1], [0, 1, 5]):
        with pytest.raises(NativeError, match="outside the witness memory of 3 slots"):
            vm.get_values(w, bad)
        before = w.copy()
        with pytest.raises(NativeError, match="outside the witness memory of 3 slots"):
            vm.set_values(w, bad, ints_to_limbs([7] * len(bad)))
        assert np.array_equal(w, before)  # nothing written
    with pytest.raises(NativeError, match="2 values for 1 indices"):
        vm.set_values(w, [0], ints_to_limbs([1, 2]))
