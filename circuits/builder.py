"""The R1CS builder: constraints and (optionally) the witness in one pass.

A constraint is ``<A, w> * <B, w> = <C, w>`` over Fr, where ``w`` is the wire vector
with ``w_0 = 1``.  A :class:`Var` is a sparse linear combination ``{wire: coeff}``
(the constant term sits on wire 0) and, when the builder has values, its value.
Additions and multiplications by constants only fold linear combinations; a
constraint appears only in :meth:`Builder.enforce` (and the verbs that call it).

The same circuit function runs on ``Builder()`` (constraints only, for setup) and on
``Builder(with_values=True)`` (constraints and witness).  Witness values come from
named *hints* (:meth:`Builder.hint`); every hint output must be pinned by the
constraints that follow it, which the tamper tests check constraint by constraint.
Wires are exported in circom's order: one, public outputs, public inputs, private.
"""
from __future__ import annotations

from contextlib import contextmanager
from enum import IntEnum
from typing import Callable, Iterator, Sequence, Union

from circuits.field import R, CircuitError
from circuits.r1cs import R1CS, first_unsatisfied

LC = dict  # {wire index: coefficient in [1, r)}
_POW2_NEG = [R - (1 << i) for i in range(254)]  # -2^i mod r
Operand = Union["Var", int]


class WireKind(IntEnum):
    """What a wire is.  The export order (circom's) sorts by kind, with private inputs
    and internal wires together in creation order."""

    ONE = 0
    PUBLIC_OUTPUT = 1
    PUBLIC_INPUT = 2
    PRIVATE_INPUT = 3
    INTERNAL = 4


_PRIVATE = WireKind.PRIVATE_INPUT  # sort key cap: private inputs and internal wires together


class Var:
    """A linear combination of wires, with its value when the builder has values."""

    __slots__ = ("cs", "lc", "val")

    def __init__(self, cs: "Builder", lc: LC, val: int | None) -> None:
        self.cs, self.lc, self.val = cs, lc, val

    # -- folding arithmetic (no constraints) ------------------------------------
    def __add__(self, other: Operand) -> "Var":
        return self.cs.add(self, other)

    __radd__ = __add__

    def __sub__(self, other: Operand) -> "Var":
        return self.cs.sub(self, other)

    def __rsub__(self, other: Operand) -> "Var":
        return self.cs.sub(other, self)

    def __neg__(self) -> "Var":
        return self.cs.scale(self, R - 1)

    def __mul__(self, other: Operand) -> "Var":
        return self.cs.mul(self, other)

    __rmul__ = __mul__

    def is_constant(self) -> bool:
        """True when the combination has no wire other than the constant one."""
        return all(w == 0 for w in self.lc)

    def constant_value(self) -> int:
        """The value of a constant combination."""
        return self.lc.get(0, 0)

    def __repr__(self) -> str:
        return f"Var({self.lc}, val={self.val})"


def _lin(a: LC, b: LC, kb: int) -> LC:
    """a + kb*b as a new dict without zero coefficients."""
    out = dict(a)
    for w, c in b.items():
        v = (out.get(w, 0) + c * kb) % R
        if v:
            out[w] = v
        else:
            out.pop(w, None)
    return out


class Builder:
    """Collects wires, constraints (each with a name) and, with values, the witness."""

    def __init__(self, with_values: bool = False) -> None:
        self.with_values = with_values
        self.values: list[int | None] = [1]
        self.wire_names: list[str] = ["one"]
        self.kinds: list[WireKind] = [WireKind.ONE]
        self.A: list[LC] = []
        self.B: list[LC] = []
        self.C: list[LC] = []
        self.names: list[str] = []
        self._scope: list[str] = []
        self._unassigned: dict[int, str] = {}
        self._prefix = ""
        self.one = Var(self, {0: 1}, 1)

    # -- names -------------------------------------------------------------------
    @contextmanager
    def scope(self, name: str) -> Iterator[None]:
        """Prefix every wire and constraint name made inside with ``name.``."""
        self._scope.append(name)
        self._prefix = ".".join(self._scope) + "."
        try:
            yield
        finally:
            self._scope.pop()
            self._prefix = ".".join(self._scope) + "." if self._scope else ""

    # -- wires -------------------------------------------------------------------
    @property
    def name_prefix(self) -> str:
        """The prefix :meth:`scope` puts on names made now (``""`` outside any scope)."""
        return self._prefix

    def _wire(self, name: str, value: int | None, kind: WireKind = WireKind.INTERNAL) -> Var:
        return Var(self, {self.new_wire(name, value, kind): 1}, value)

    def new_wire(self, name: str, value: int | None,
                 kind: WireKind = WireKind.INTERNAL) -> int:
        """Append a wire (named with the current scope prefix); returns its internal
        index.  The hot path of every gadget: an unconstrained wire, which the caller
        must pin with constraints."""
        index = len(self.values)
        self.values.append(value)
        self.wire_names.append(self._prefix + name)
        self.kinds.append(kind)
        return index

    def _input(self, name: str, value: int | None, kind: WireKind) -> Var:
        if self.with_values and value is None:
            raise CircuitError(f"input {name!r} needs a value (builder has values)")
        return self._wire(name, None if value is None else int(value) % R, kind)

    def public_input(self, name: str, value: int | None = None) -> Var:
        """A public input wire (its value given by the caller)."""
        return self._input(name, value, WireKind.PUBLIC_INPUT)

    def private_input(self, name: str, value: int | None = None) -> Var:
        """A private input wire (its value given by the caller)."""
        return self._input(name, value, WireKind.PRIVATE_INPUT)

    def public_output(self, name: str, x: Operand | None = None) -> Var:
        """A public output wire equal to ``x`` (1 constraint ``name.output``: ``x * 1 = out``).

        With ``x`` omitted the wire is reserved now and bound later with
        :meth:`assign_output`: declaring every public wire before the first private one
        keeps the export a no-op (no renumbering of wires).
        """
        if x is None:
            out = self._wire(name, None, WireKind.PUBLIC_OUTPUT)
            self._unassigned[next(iter(out.lc))] = name
            return out
        x = self.lift(x)
        out = self._wire(name, x.val, WireKind.PUBLIC_OUTPUT)
        self.enforce(x, self.one, out, f"{name}.output")
        return out

    def assign_output(self, out: Var, x: Operand) -> None:
        """Bind a reserved public output to ``x`` (1 constraint ``name.output``)."""
        (wire,) = out.lc
        name = self._unassigned.pop(wire, None)
        if name is None:
            raise CircuitError(f"assign_output: {self.wire_names[wire]!r} is not a reserved output")
        x = self.lift(x)
        self.values[wire] = x.val
        out.val = x.val
        self.enforce(x, self.one, out, f"{name}.output")

    def hint(self, name: str, fn: Callable[..., int], *args: Operand) -> Var:
        """A private wire whose value is ``fn(*values of args)``: pin it by constraints!"""
        return self.hints(name, lambda *v: [fn(*v)], 1, *args)[0]

    def hints(self, name: str, fn: Callable[..., Sequence[int]], count: int,
              *args: Operand) -> list[Var]:
        """``count`` private wires ``name[i]`` computed together by ``fn``."""
        names = [name] if count == 1 else [f"{name}[{i}]" for i in range(count)]
        return self.named_hints(names, fn, *args)

    def named_hints(self, names: Sequence[str], fn: Callable[..., Sequence[int]],
                    *args: Operand) -> list[Var]:
        """Private wires called ``names``, their values ``fn(*values of args)``."""
        vals: Sequence[int | None] = [None] * len(names)
        if self.with_values:
            vals = [int(v) % R for v in fn(*(self.lift(a).val for a in args))]
            if len(vals) != len(names):
                raise CircuitError(f"hint {names[0]!r}: {len(vals)} values, not {len(names)}")
        return [self._wire(n, v) for n, v in zip(names, vals)]

    # -- folding -------------------------------------------------------------------
    def lift(self, x: Operand) -> Var:
        """A Var for an int constant (or ``x`` itself)."""
        if isinstance(x, Var):
            return x
        c = int(x) % R
        return Var(self, {0: c} if c else {}, c)

    def const(self, c: int) -> Var:
        """The constant ``c mod r``."""
        return self.lift(c)

    def _val2(self, a: Var, b: Var, fn: Callable[[int, int], int]) -> int | None:
        return None if a.val is None or b.val is None else fn(a.val, b.val)

    def add(self, a: Operand, b: Operand) -> Var:
        """a + b (folded)."""
        a, b = self.lift(a), self.lift(b)
        return Var(self, _lin(a.lc, b.lc, 1), self._val2(a, b, lambda x, y: (x + y) % R))

    def sub(self, a: Operand, b: Operand) -> Var:
        """a - b (folded)."""
        a, b = self.lift(a), self.lift(b)
        return Var(self, _lin(a.lc, b.lc, R - 1), self._val2(a, b, lambda x, y: (x - y) % R))

    def scale(self, a: Operand, k: int) -> Var:
        """k * a for a constant k (folded)."""
        a, k = self.lift(a), int(k) % R
        lc = {w: c * k % R for w, c in a.lc.items()} if k else {}
        return Var(self, lc, None if a.val is None else a.val * k % R)

    def sum(self, xs: Sequence[Operand]) -> Var:
        """x_1 + ... + x_n (folded)."""
        lc: LC = {}
        val: int | None = 0
        for x in xs:
            x = self.lift(x)
            for w, c in x.lc.items():
                lc[w] = (lc.get(w, 0) + c) % R
            val = None if val is None or x.val is None else val + x.val
        return Var(self, {w: c for w, c in lc.items() if c}, None if val is None else val % R)

    # -- constraints -------------------------------------------------------------
    def enforce(self, a: Operand, b: Operand, c: Operand, name: str) -> None:
        """Add the constraint ``a * b = c`` named ``name`` (within the current scope)."""
        self.A.append(self.lift(a).lc)
        self.B.append(self.lift(b).lc)
        self.C.append(self.lift(c).lc)
        self.names.append(self._prefix + name)

    def mul(self, a: Operand, b: Operand, name: str = "mul") -> Var:
        """a * b: folded when either is constant, else a new wire and 1 constraint."""
        a, b = self.lift(a), self.lift(b)
        if a.is_constant():
            return self.scale(b, a.constant_value())
        if b.is_constant():
            return self.scale(a, b.constant_value())
        out = self._wire(name, self._val2(a, b, lambda x, y: x * y % R))
        self.enforce(a, b, out, name)
        return out

    def assert_equal(self, a: Operand, b: Operand, name: str = "equal") -> None:
        """1 constraint: ``(a - b) * 1 = 0``."""
        self.enforce(self.sub(a, b), self.one, 0, name)

    def assert_bool(self, a: Operand, name: str = "bool") -> None:
        """1 constraint: ``a * (a - 1) = 0``."""
        a = self.lift(a)
        self.enforce(a, self.sub(a, 1), 0, name)

    def select(self, cond: Operand, x: Operand, y: Operand, name: str = "select") -> Var:
        """``cond ? x : y`` for a boolean ``cond`` (not checked here): 1 constraint."""
        return self.add(y, self.mul(cond, self.sub(x, y), name))

    def is_zero(self, x: Operand, name: str = "is_zero") -> Var:
        """1 if x = 0 else 0.  3 constraints.

        Hints ``inv`` (1/x or 0) and ``out``; ``x*inv = 1 - out`` and ``x*out = 0`` pin
        ``out``; ``inv*out = 0`` pins ``inv = 0`` when x = 0 (so the witness is unique).
        """
        x = self.lift(x)
        inv, out = self.named_hints(
            [f"{name}.inv", f"{name}.out"],
            lambda v: [pow(v, -1, R) if v % R else 0, int(v == 0)], x)
        self.enforce(x, inv, self.sub(1, out), f"{name}.out")
        self.enforce(x, out, 0, f"{name}.zero")
        self.enforce(inv, out, 0, f"{name}.inv")
        return out

    def is_equal(self, a: Operand, b: Operand, name: str = "is_equal") -> Var:
        """1 if a = b else 0 (3 constraints)."""
        return self.is_zero(self.sub(a, b), name)

    def to_bits(self, x: Operand, n: int, name: str = "bits") -> list[Var]:
        """The n bits of x, LSB first: n boolean constraints + 1 recomposition.

        Hint ``name[i] = (x >> i) & 1``; constraints ``name[i].bool``:
        ``b_i * (b_i - 1) = 0`` and ``name.sum``: ``(x - sum 2^i b_i) * 1 = 0``.
        For n <= 253 this also proves ``x < 2^n`` (the recomposition cannot wrap).
        """
        if not 1 <= n <= 253:
            raise CircuitError(f"to_bits: n={n} outside 1..253")
        x = self.lift(x)
        start = len(self.values)
        if self.with_values:
            v = x.val
            self.values.extend([(v >> i) & 1 for i in range(n)])
        else:
            self.values.extend([None] * n)
        full = self._prefix + name
        self.wire_names.extend([f"{full}[{i}]" for i in range(n)])
        self.kinds.extend([WireKind.INTERNAL] * n)
        wires = range(start, start + n)
        self.A.extend([{w: 1} for w in wires])
        self.B.extend([{w: 1, 0: R - 1} for w in wires])
        self.C.extend([{} for _ in wires])
        self.names.extend([f"{full}[{i}].bool" for i in range(n)])
        acc = dict(zip(wires, _POW2_NEG[:n]))
        self.enforce(Var(self, _lin(x.lc, acc, 1), None), self.one, 0, f"{name}.sum")
        values = self.values
        return [Var(self, {w: 1}, values[w]) for w in wires]

    def from_bits(self, bits: Sequence[Operand]) -> Var:
        """sum 2^i b_i (folded)."""
        return self.sum([self.scale(b, 1 << i) for i, b in enumerate(bits)])

    def assert_range(self, x: Operand, n: int, name: str = "range") -> None:
        """``0 <= x < 2^n`` as integers (n + 1 constraints)."""
        self.to_bits(x, n, name)

    def assert_leq(self, a: Operand, b: Operand, n: int, name: str = "leq") -> None:
        """``a <= b`` for a, b in [0, 2^n) (already range-checked): b - a in [0, 2^n)."""
        self.to_bits(self.sub(b, a), n, name)

    # -- results -------------------------------------------------------------------
    @property
    def n_constraints(self) -> int:
        return len(self.names)

    def export_order(self) -> list[int]:
        """Internal wire indices in export order: one, outputs, inputs, then private wires.

        Private wires (private inputs included) keep their creation order.
        """
        kinds = self.kinds
        return sorted(range(len(kinds)), key=lambda w: min(kinds[w], _PRIVATE))

    def export_permutation(self) -> list[int] | None:
        """``perm[internal] = export index`` of every wire, or None when the two orders
        agree (every public wire was declared before the first private one)."""
        kinds = self.kinds
        if all(min(a, _PRIVATE) <= min(b, _PRIVATE) for a, b in zip(kinds, kinds[1:])):
            return None
        perm = [0] * len(kinds)
        for new, old in enumerate(self.export_order()):
            perm[old] = new
        return perm

    def _check_outputs(self) -> None:
        if self._unassigned:
            names = ", ".join(sorted(self._unassigned.values()))
            raise CircuitError(f"public outputs never assigned: {names}")

    def to_r1cs(self) -> R1CS:
        """The constraint system, wires in circom's order.

        ``n_prv_in`` counts the private inputs declared before any other private wire
        (the only ones that sit where circom puts private inputs).
        """
        self._check_outputs()
        perm = self.export_permutation()
        rows = zip(self.A, self.B, self.C)
        if perm is not None:
            rows = (tuple({perm[w]: c for w, c in lc.items()} for lc in row) for row in rows)
        kinds = self.kinds
        n_out, n_in = kinds.count(WireKind.PUBLIC_OUTPUT), kinds.count(WireKind.PUBLIC_INPUT)
        n_pub = n_out + n_in
        order = self.export_order()
        n_prv = 0
        while (1 + n_pub + n_prv < len(order)
               and kinds[order[1 + n_pub + n_prv]] == WireKind.PRIVATE_INPUT):
            n_prv += 1
        return R1CS(prime=R, n_wires=len(kinds), n_pub_out=n_out,
                    n_pub_in=n_in, n_prv_in=n_prv, n_labels=len(kinds),
                    constraints=[tuple(r) for r in rows], wire_to_label=list(range(len(kinds))))

    def witness(self) -> list[int]:
        """The full witness in export order (needs a builder with values)."""
        if not self.with_values:
            raise CircuitError("witness: builder was made without values")
        self._check_outputs()
        if self.export_permutation() is None:
            return list(self.values)  # type: ignore[arg-type]
        return [self.values[w] for w in self.export_order()]  # type: ignore[misc]

    def public_values(self) -> list[int]:
        """Public outputs then public inputs, as snarkjs's public.json lists them."""
        w = self.witness()
        return w[1:1 + self.kinds.count(WireKind.PUBLIC_OUTPUT)
                 + self.kinds.count(WireKind.PUBLIC_INPUT)]

    def wire_index(self, name: str) -> int:
        """Export index of the wire called ``name``."""
        try:
            internal = self.wire_names.index(name)
        except ValueError:
            raise CircuitError(f"no wire named {name!r}") from None
        perm = self.export_permutation()
        return internal if perm is None else perm[internal]

    def which_is_unsatisfied(self, witness: Sequence[int] | None = None) -> str | None:
        """Name of the first constraint the witness (export order) violates, or None."""
        w = self.witness() if witness is None else list(witness)
        perm = self.export_permutation()
        wi = w if perm is None else [w[perm[i]] for i in range(len(w))]
        idx = first_unsatisfied(zip(self.A, self.B, self.C), wi)
        return None if idx is None else self.names[idx]

    def check(self) -> None:
        """Raise CircuitError naming the first unsatisfied constraint, if any."""
        name = self.which_is_unsatisfied()
        if name is not None:
            raise CircuitError(f"constraint {name!r} is not satisfied")
