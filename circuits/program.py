"""Witness programs: a circuit's synthesis compiled once, replayed per witness.

Building a witness by running the circuit function on ``Builder(with_values=True)``
rebuilds the whole constraint system (linear-combination dicts, wire and constraint
names) for every proof.  A :class:`WitnessProgram` keeps only what computes values.

Compilation runs the circuit once on a :class:`TracingBuilder` (constraints only) that
records the three ways a wire gets a value the constraints do not determine: an input
(by name), a hint (its function and argument combinations) and a bit decomposition
(:meth:`Builder.to_bits`).  Every other wire must be *solved* by the first constraint
that mentions it: walking the constraints in order, a constraint
``<A, w> * <B, w> = <C, w>`` whose only unknown wire ``x`` appears in C alone (with
coefficient ``c``) gives ``x = (<A, w> <B, w> - <C - c x, w>) / c``.  That covers every
product (``x = a * b``), the S-boxes and the sparse Poseidon rounds (whose new wire sits
in a wide C); a constraint with no unknown wire is a check and is dropped.  A circuit
where some wire is neither recorded nor solvable fails to compile (CircuitError naming
the wire); the solved values satisfy the solving constraints by construction, and the
other constraints hold exactly when they hold for the builder's witness, because every
value is the one the builder computes (same inputs, same hints, same products; the tests
compare the two witnesses wire by wire).

The program is a flat list of steps: ``LIN`` (a linear combination of two or more
terms, or one with a coefficient, evaluated once into a scratch slot), ``MUL``
(``w[x] = w[a] w[b]``), ``SOLVE`` (the general form above), ``HINT`` and ``BITS``.
"""
from __future__ import annotations

from operator import mul
from typing import Any, Callable, Mapping, Sequence

import numpy as np

import native
from circuits.builder import Builder, Operand, Var
from circuits.field import R, CircuitError
from native.convert import FR_R1, ints_to_limbs, limbs_to_ints

LIN, MUL, SOLVE, HINT, BITS = range(5)


class TracingBuilder(Builder):
    """A constraint-only builder that records inputs, hints and bit decompositions,
    each with the number of constraints made before it."""

    def __init__(self) -> None:
        super().__init__(with_values=False)
        self.events: list[tuple[Any, ...]] = []

    def _input(self, name: str, value: int | None, kind: int) -> Var:
        var = super()._input(name, value, kind)
        (wire,) = var.lc
        self.events.append((len(self.names), "input", self._prefix + name, wire))
        return var

    def named_hints(self, names: Sequence[str], fn: Callable[..., Sequence[int]],
                    *args: Operand) -> list[Var]:
        start = len(self.values)
        lcs = [self.lift(a).lc for a in args]
        out = super().named_hints(names, fn, *args)
        self.events.append((len(self.names), "hint", fn, lcs, start, len(names)))
        return out

    def to_bits(self, x: Operand, n: int, name: str = "bits") -> list[Var]:
        x = self.lift(x)
        count, start = len(self.names), len(self.values)
        out = super().to_bits(x, n, name)
        self.events.append((count, "bits", x.lc, n, start))
        return out


class WitnessProgram:
    """A compiled witness computation (see the module docstring).

    ``run(values)`` maps every input name to its integer (signed values allowed, taken
    mod r) and returns the full witness in export order (wire 0 = 1, public outputs,
    public inputs, private wires), exactly what ``Builder.witness()`` returns after
    running the same circuit with those inputs.  ``run_limbs(values)`` returns the same
    witness as (n_wires, 4) standard-form uint64 limbs, computed natively.
    """

    def __init__(self, b: TracingBuilder) -> None:
        self.n_wires = len(b.values)
        self.n_public = b.kinds.count(1) + b.kinds.count(2)
        self.inputs: list[tuple[str, int]] = []
        self.steps: list[tuple[Any, ...]] = []
        self._slots: dict[int, int] = {}  # id(lc dict) -> scratch slot
        self._next_slot = self.n_wires
        self._compile(b)
        perm = b.export_permutation()
        self.order = None if perm is None else b.export_order()
        self.n_slots = self._next_slot
        self._encode()

    # -- compilation -------------------------------------------------------------------
    def _ref(self, lc: dict, known: bytearray, b: Builder, what: str,
             shared: bool = True) -> int:
        """A slot holding ``<lc, w>``: the wire itself for ``{w: 1}``, else a LIN step's
        scratch slot (one per distinct combination object when ``shared``: the builder
        keeps those dicts alive, so their ids stay unique)."""
        if len(lc) == 1:
            ((w, c),) = lc.items()
            if c == 1:
                if not known[w]:
                    raise CircuitError(f"witness program: {what} uses {b.wire_names[w]!r} "
                                       "before any value is known for it")
                return w
        if not lc:
            return -1  # the constant 0: a slot that always holds 0
        slot = self._slots.get(id(lc)) if shared else None
        if slot is None:
            for w in lc:
                if not known[w]:
                    raise CircuitError(f"witness program: {what} uses "
                                       f"{b.wire_names[w]!r} before any value is known for it")
            slot = self._next_slot
            if shared:
                self._slots[id(lc)] = slot
            self._next_slot += 1
            self.steps.append((LIN, slot, tuple(lc), tuple(lc.values())))
        return slot

    def _compile(self, b: TracingBuilder) -> None:
        known = bytearray(len(b.values))
        known[0] = 1
        events = sorted(b.events, key=lambda e: e[0])  # stable: creation order kept
        ev = 0
        n_cons = len(b.names)
        for i in range(n_cons + 1):
            while ev < len(events) and events[ev][0] == i:
                self._event(events[ev], known, b)
                ev += 1
            if i == n_cons:
                break
            a_lc, b_lc, c_lc = b.A[i], b.B[i], b.C[i]
            unknown = {w for lc in (a_lc, b_lc, c_lc) for w in lc if not known[w]}
            if not unknown:
                continue
            name = b.names[i]
            (x,) = unknown if len(unknown) == 1 else (None,)
            if x is None or x in a_lc or x in b_lc:
                wires = ", ".join(repr(b.wire_names[w]) for w in sorted(unknown))
                raise CircuitError(f"witness program: constraint {name!r} cannot be solved "
                                   f"for {wires}")
            ra = self._ref(a_lc, known, b, name)
            rb = self._ref(b_lc, known, b, name)
            c = c_lc[x]
            rest = {w: k for w, k in c_lc.items() if w != x}
            if not rest and c == 1:
                self.steps.append((MUL, x, ra, rb))
            else:
                rr = self._ref(rest, known, b, name, shared=False) if rest else -1
                self.steps.append((SOLVE, x, ra, rb, rr, pow(c, R - 2, R)))
            known[x] = 1
        missing = [w for w in range(len(known)) if not known[w]]
        if missing:
            raise CircuitError(f"witness program: no value for wire {b.wire_names[missing[0]]!r}"
                               f" (and {len(missing) - 1} more)")
        self._slots.clear()

    def _event(self, event: tuple[Any, ...], known: bytearray, b: Builder) -> None:
        kind = event[1]
        if kind == "input":
            _, _, name, wire = event
            self.inputs.append((name, wire))
            known[wire] = 1
        elif kind == "hint":
            _, _, fn, lcs, start, count = event
            what = f"hint {b.wire_names[start]!r}"
            refs = tuple(self._ref(lc, known, b, what) for lc in lcs)
            self.steps.append((HINT, fn, refs, start, count))
            known[start:start + count] = b"\x01" * count
        else:
            _, _, lc, n, start = event
            ref = self._ref(lc, known, b, f"bits {b.wire_names[start]!r}")
            self.steps.append((BITS, ref, n, start))
            known[start:start + n] = b"\x01" * n

    def _encode(self) -> None:
        """Flatten the steps for the native interpreter (layout: ``witness_vm.h``).

        Memory: the ``n_slots`` wires and scratch slots, then one slot that stays 0 (the
        steps' slot -1).  Coefficients (reduced mod r) go to a table in Montgomery form,
        one entry per distinct value; a ``HINT`` step becomes ``(HINT, i)`` with the
        callable, its argument slots and its output slots kept in ``_hints[i]``."""
        from native.c_witness import BITS as C_BITS, HINT as C_HINT, LIN as C_LIN
        from native.c_witness import MUL as C_MUL, SOLVE as C_SOLVE

        zero = self.n_slots
        coef_index: dict[int, int] = {}

        def coef(c: int) -> int:
            c %= R
            i = coef_index.get(c)
            if i is None:
                i = coef_index[c] = len(coef_index)
            return i

        def slot(i: int) -> int:
            return zero if i == -1 else i

        code: list[int] = []
        hints: list[tuple[Callable[..., Sequence[int]], np.ndarray, np.ndarray]] = []
        for st in self.steps:
            k = st[0]
            if k == LIN:
                _, x, wires, coefs = st
                code += (C_LIN, x, len(wires))
                for w, c in zip(wires, coefs):
                    code += (w, coef(c))
            elif k == MUL:
                code += (C_MUL, st[1], slot(st[2]), slot(st[3]))
            elif k == SOLVE:
                _, x, a, b, rest, cinv = st
                code += (C_SOLVE, x, slot(a), slot(b), slot(rest), coef(cinv))
            elif k == BITS:
                _, ref, n, start = st
                code += (C_BITS, slot(ref), n, start)
            else:
                _, fn, refs, start, count = st
                code += (C_HINT, len(hints))
                hints.append((fn, np.array([slot(r) for r in refs], dtype=np.int32),
                              np.arange(start, start + count, dtype=np.int32)))
        self._code = np.array(code, dtype=np.int32)
        self._coefs = ints_to_limbs([c * FR_R1 % R for c in coef_index]).reshape(-1, 4)
        self._hints = hints
        self._export = np.array(range(self.n_wires) if self.order is None else self.order,
                                dtype=np.int32)
        self._input_slots = np.array([0] + [w for _, w in self.inputs], dtype=np.int32)

    # -- replay ------------------------------------------------------------------------
    def run(self, values: Mapping[str, int]) -> list[int]:
        """The witness for ``values`` (see the class docstring)."""
        w = [0] * (self.n_slots + 1)  # the last slot (index -1) stays 0
        w[0] = 1
        try:
            for name, wire in self.inputs:
                w[wire] = int(values[name]) % R
        except KeyError as exc:
            raise CircuitError(f"witness program: no value for input {exc.args[0]!r}") from None
        get = w.__getitem__
        for st in self.steps:
            k = st[0]
            if k == LIN:
                w[st[1]] = sum(map(mul, st[3], map(get, st[2]))) % R
            elif k == MUL:
                w[st[1]] = w[st[2]] * w[st[3]] % R
            elif k == SOLVE:
                _, x, a, b, rest, cinv = st
                w[x] = (w[a] * w[b] - w[rest]) * cinv % R
            elif k == BITS:
                _, ref, n, start = st
                v = w[ref]
                w[start:start + n] = [(v >> j) & 1 for j in range(n)]
            else:
                _, fn, refs, start, count = st
                vals = [int(v) % R for v in fn(*[w[r] for r in refs])]
                if len(vals) != count:
                    raise CircuitError(f"witness program: hint gave {len(vals)} values, "
                                       f"not {count}")
                w[start:start + count] = vals
        del w[self.n_wires:]
        if self.order is not None:
            w = [w[i] for i in self.order]
        return w

    def run_limbs(self, values: Mapping[str, int]) -> np.ndarray:
        """The witness for ``values`` as (n_wires, 4) standard-form uint64 limbs in export
        order: ``ints_to_limbs(self.run(values))``, computed by the native interpreter
        (pure Python when the native backend is the Python fallback)."""
        if native.backend() != "c":
            return ints_to_limbs(self.run(values))
        from native import c_witness

        try:
            vals = [1] + [int(values[name]) % R for name, _ in self.inputs]
        except KeyError as exc:
            raise CircuitError(f"witness program: no value for input {exc.args[0]!r}") from None
        w = np.zeros((self.n_slots + 1, 4), dtype=np.uint64)
        c_witness.set_values(w, self._input_slots, ints_to_limbs(vals))
        pc = 0
        while True:
            pc, h = c_witness.run(w, self._code, self._coefs, pc)
            if h < 0:
                break
            fn, refs, outs = self._hints[h]
            args = limbs_to_ints(c_witness.get_values(w, refs)) if refs.size else []
            res = [int(v) % R for v in fn(*args)]
            if len(res) != outs.size:
                raise CircuitError(f"witness program: hint gave {len(res)} values, "
                                   f"not {outs.size}")
            if res:
                c_witness.set_values(w, outs, ints_to_limbs(res))
        return c_witness.get_values(w, self._export)

    def public(self, witness: Sequence[int]) -> list[int]:
        """Public outputs then public inputs of a witness (export order)."""
        return list(witness[1:1 + self.n_public])

    def __len__(self) -> int:
        return len(self.steps)


def compile_program(build: Callable[[Builder], Any]) -> tuple[WitnessProgram, TracingBuilder]:
    """Run ``build`` on a :class:`TracingBuilder` and compile its witness program; the
    builder is returned too (for its R1CS)."""
    b = TracingBuilder()
    build(b)
    return WitnessProgram(b), b
