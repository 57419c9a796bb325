"""Hash gadgets: circomlib Poseidon, the long-sequence hash, Merkle path checks.

The Poseidon gadget computes the same function as :func:`circuits.poseidon.poseidon`
(checked by the tests on every vector).  Each S-box ``y = x^5`` of a non-constant
cell costs 3 constraints ``x2 = x*x``, ``x4 = x2*x2``, ``y = x4*x``; round constants
and the MDS layer only fold linear combinations; S-boxes of constant cells (the
capacity cell of the first round) are computed, not constrained.  Hence
``3 * (R_F * t + R_P) - 3`` constraints for non-constant inputs (240 for t = 3, as
circom's ``Poseidon(2)``).  The partial rounds act on the S-box outputs of the last
leading full round and the partial S-box outputs, as in
:func:`circuits.poseidon.circuit_schedule`.
"""
from __future__ import annotations

from operator import mul
from typing import Sequence

from circuits.builder import Builder, LC, Operand, Var
from circuits.field import R, CircuitError
from circuits.poseidon import MAX_ARITY, circuit_schedule
from circuits.poseidon_params import R_F, partial_rounds

Signal = tuple  # (LC dict, value or None)


def _combine(coeffs: Sequence[int], terms: Sequence[Signal], const: int,
             with_values: bool) -> Signal:
    """sum_k coeffs[k] * terms[k] + const, folded into one linear combination."""
    acc: dict = {0: const} if const else {}
    get = acc.get
    for c, (lc, _) in zip(coeffs, terms):
        if c:
            for w, k in lc.items():
                acc[w] = get(w, 0) + c * k
    out = {}
    for w, v in acc.items():
        v %= R
        if v:
            out[w] = v
    val = None
    if with_values:
        val = (sum(c * s[1] for c, s in zip(coeffs, terms)) + const) % R
    return out, val


class _SBox:
    """Allocates and constrains x^5 for one Poseidon instance."""

    def __init__(self, b: Builder, name: str) -> None:
        self.b, self.name = b, name
        self.prefix = b._prefix + name

    def __call__(self, sig: Signal, tag: str) -> Signal:
        lc, val = sig
        if not lc or (len(lc) == 1 and 0 in lc):
            v = pow(lc.get(0, 0), 5, R)
            return ({0: v} if v else {}), v
        b = self.b
        x2v = x4v = x5v = None
        if val is not None:
            x2v = val * val % R
            x4v = x2v * x2v % R
            x5v = x4v * val % R
        base = f"{self.name}.{tag}"
        x2 = {b._new_wire(base + ".x2", x2v): 1}
        x4 = {b._new_wire(base + ".x4", x4v): 1}
        x5 = {b._new_wire(base + ".x5", x5v): 1}
        full = self.prefix + "." + tag
        b.A.extend((lc, x2, x4))
        b.B.extend((lc, x2, lc))
        b.C.extend((x2, x4, x5))
        b.names.extend((full + ".x2", full + ".x4", full + ".x5"))
        return x5, x5v


def _ark(sig: Signal, c: int) -> Signal:
    """Add the round constant c to one cell."""
    lc, val = sig
    lc = dict(lc)
    v = (lc.get(0, 0) + c) % R
    if v:
        lc[0] = v
    else:
        lc.pop(0, None)
    return lc, None if val is None else (val + c) % R


def _plain_wire(sig: Signal) -> int | None:
    """The wire index of a signal that is exactly one wire with coefficient 1."""
    lc = sig[0]
    if len(lc) == 1:
        ((w, k),) = lc.items()
        if w and k == 1:
            return w
    return None


class _Terms:
    """Signals kept with their plain wire indices and values, for dict(zip) folding."""

    def __init__(self, sigs: Sequence[Signal], wv: bool) -> None:
        self.sigs, self.wv = list(sigs), wv
        self.wires = [_plain_wire(s) for s in self.sigs]
        self.plain = None not in self.wires
        self.vals = [s[1] for s in self.sigs]

    def append(self, sig: Signal) -> None:
        self.sigs.append(sig)
        w = _plain_wire(sig)
        self.plain = self.plain and w is not None
        self.wires.append(w)
        self.vals.append(sig[1])

    def linear(self, row: Sequence[int], const: int) -> Signal:
        """sum_k row[k] * terms[k] + const."""
        if not self.plain:
            return _combine(row, self.sigs, const, self.wv)
        lc = dict(zip(self.wires, row))
        if const:
            lc[0] = const
        val = (sum(map(mul, row, self.vals)) + const) % R if self.wv else None
        return lc, val


def poseidon_hash(b: Builder, inputs: Sequence[Operand], name: str = "poseidon") -> Var:
    """circomlib Poseidon of 1..16 inputs.  ``3 * (8 t + R_P) - 3`` constraints, t = n + 1.

    No preconditions: any field elements.
    """
    n = len(inputs)
    if not 1 <= n <= MAX_ARITY:
        raise CircuitError(f"poseidon_hash: {n} inputs, expected 1..{MAX_ARITY}")
    t = n + 1
    rows, mds, partial, exits = circuit_schedule(t)
    r_p, half, wv = partial_rounds(t), R_F // 2, b.with_values
    sbox = _SBox(b, name)
    ins = [b.lift(x) for x in inputs]
    state: list[Signal] = [({}, 0 if wv else None)] + [(x.lc, x.val) for x in ins]

    def full_round(r: int, st: list[Signal]) -> _Terms:
        return _Terms([sbox(_ark(st[i], rows[r][i]), f"r{r}.s{i}") for i in range(t)], wv)

    for r in range(half):
        sb = full_round(r, state)
        if r < half - 1:
            state = [sb.linear(mds[i], 0) for i in range(t)]
    z = sb
    for j, row in enumerate(partial):
        z.append(sbox(z.linear(row, row[-1]), f"r{half + j}.s0"))
    state = [z.linear(row, row[-1]) for row in exits]
    for r in range(half + r_p, R_F + r_p):
        sb = full_round(r, state)
        last = r == R_F + r_p - 1
        state = [sb.linear(mds[i], 0) for i in range(1 if last else t)]
    lc, val = state[0]
    return Var(b, lc, val)


def poseidon_sequence_hash(b: Builder, inputs: Sequence[Operand],
                           name: str = "poseidon_seq") -> Var:
    """Hash of a sequence (STATEMENT.md): H(x) for n <= 16, else a 16 + 15 + ... chain.

    Constraints: the sum of the Poseidon instances used.  No preconditions.
    """
    n = len(inputs)
    if n == 0:
        raise CircuitError("poseidon_sequence_hash: empty sequence")
    if n <= MAX_ARITY:
        return poseidon_hash(b, inputs, name)
    h = poseidon_hash(b, inputs[:MAX_ARITY], f"{name}.h0")
    for i, start in enumerate(range(MAX_ARITY, n, MAX_ARITY - 1), start=1):
        h = poseidon_hash(b, [h, *inputs[start:start + MAX_ARITY - 1]], f"{name}.h{i}")
    return h


def merkle_root_gadget(b: Builder, leaf: Operand, index: Operand, siblings: Sequence[Operand],
                       name: str = "merkle") -> Var:
    """Root of the path from ``leaf`` at position ``index`` (D = len(siblings) levels).

    ``index`` is decomposed into D boolean bits (D + 1 constraints, which also proves
    ``index < 2^D``); at level l, ``left = node + bit_l (sib - node)`` (1 constraint),
    ``right = node + sib - left`` and ``node = H(left, right)`` (240).
    Total ``D + 1 + 241 D``.  The caller asserts the result equals the expected root.
    """
    depth = len(siblings)
    if depth == 0:
        return b.lift(leaf)
    bits = b.to_bits(index, depth, f"{name}.index")
    node = b.lift(leaf)
    for level, (sib, bit) in enumerate(zip(siblings, bits)):
        sib = b.lift(sib)
        left = b.add(node, b.mul(bit, b.sub(sib, node), f"{name}.l{level}.swap"))
        right = b.sub(b.add(node, sib), left)
        node = poseidon_hash(b, [left, right], f"{name}.l{level}.hash")
    return node


def merkle_check(b: Builder, leaf: Operand, index: Operand, siblings: Sequence[Operand],
                 root: Operand, name: str = "merkle") -> None:
    """Prove that ``leaf`` sits at ``index`` in the tree of ``root``.  242 D + 2 constraints."""
    computed = merkle_root_gadget(b, leaf, index, siblings, name)
    b.assert_equal(computed, root, f"{name}.root")
