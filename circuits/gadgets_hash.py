"""Hash gadgets: circomlib Poseidon, the long-sequence hash, Merkle path checks.

The Poseidon gadget computes the same function as :func:`native.poseidon.poseidon`
(checked by the tests on every vector).  Each S-box ``y = x^5`` of a non-constant
cell costs 3 constraints ``x2 = x*x``, ``x4 = x2*x2``, ``y = x4*x``; round constants
and the MDS layer only fold linear combinations; S-boxes of constant cells (the
capacity cell of the first round) are computed, not constrained.  Hence
``3 * (R_F * t + R_P) - 3`` constraints for non-constant inputs (240 for t = 3, as
circom's ``Poseidon(2)``).  The partial rounds use the wire basis of
:func:`_sparse_partial` (S-box inputs as wires, each pinned by the previous round's
``x4 * y = U`` constraint), so the wide linear combinations appear once per round:
3,192 nonzeros for Poseidon(2), close to circom ``--O2``'s 3,043 for Poseidon(2) plus
one multiplication.
"""
from __future__ import annotations

from functools import lru_cache
from operator import mul
from typing import Sequence

from circuits.builder import Builder, LC, Operand, Var
from circuits.field import R, CircuitError
from circuits.poseidon import MAX_ARITY, circuit_schedule
from native.poseidon import R_F, partial_rounds

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
        self.prefix = b.name_prefix + name

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
        x2 = {b.new_wire(base + ".x2", x2v): 1}
        x4 = {b.new_wire(base + ".x4", x4v): 1}
        x5 = {b.new_wire(base + ".x5", x5v): 1}
        full = self.prefix + "." + tag
        b.A.extend((lc, x2, x4))
        b.B.extend((lc, x2, lc))
        b.C.extend((x2, x4, x5))
        b.names.extend((full + ".x2", full + ".x4", full + ".x5"))
        return x5, x5v


@lru_cache(maxsize=None)
def _sparse_partial(t: int) -> tuple[tuple, tuple]:
    """Partial rounds over the wire basis ``(s, y_1..y_{R_P-1}, u_last, 1)``.

    ``s``: S-box outputs of the last leading full round; ``y_j``: the input of the
    partial S-box j (a wire for j >= 1); ``u_last``: the last partial S-box output.
    With ``p_j`` the rows of :func:`circuits.poseidon.circuit_schedule`,
    ``y_j = p_j . (s, u_0..u_{j-1}, 1)``, so each ``u_m = y_m^5`` (m < R_P - 1) is the
    linear combination
    ``U_m = (y_{m+1} - p_{m+1}[s] s - sum_{k<m} p_{m+1}[u_k] U_k - p_{m+1}[1]) / p_{m+1}[u_m]``.
    The S-box constraint of round j is then ``x4_j * y_j = U_j``: the wide combination
    appears once (in C) instead of three times.  Returns ``(U rows, exit rows)``, each
    a coefficient tuple over the basis (constant last).
    """
    _, _, partial, exits = circuit_schedule(t)
    r_p = partial_rounds(t)
    dim = t + r_p + 1
    us: list[list[int]] = []
    for m in range(r_p):
        vec = [0] * dim
        if m == r_p - 1:
            vec[t + r_p - 1] = 1
        else:
            p = partial[m + 1]
            vec[t + m] = 1  # y_{m+1}
            for k in range(t):
                vec[k] = -p[k]
            for k in range(m):
                for i, c in enumerate(us[k]):
                    if c:
                        vec[i] -= p[t + k] * c
            vec[-1] -= p[-1]
            inv = pow(p[t + m], R - 2, R)
            vec = [c * inv % R for c in vec]
        us.append(vec)
    exit_rows = []
    for row in exits:
        vec = list(row[:t]) + [0] * (r_p + 1)
        vec[-1] = row[-1]
        for k in range(r_p):
            for i, c in enumerate(us[k]):
                if c:
                    vec[i] += row[t + k] * c
        exit_rows.append(tuple(c % R for c in vec))
    return tuple(map(tuple, us)), tuple(exit_rows)


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


def _partial_sparse(b: Builder, name: str, t: int, sb: _Terms, wv: bool) -> list[Signal]:
    """The R_P partial rounds on the basis of :func:`_sparse_partial`; returns the exit state.

    Round j: ``x2 = y_j * y_j``, ``x4 = x2 * x2``, ``x4 * y_j = U_j``, where ``U_j``
    contains the new wire ``y_{j+1}`` (``u_last`` in the last round), which this
    constraint pins.  ``y_0`` is a linear combination of ``s``.
    """
    _, _, partial, exits = circuit_schedule(t)
    us, exit_rows = _sparse_partial(t)
    r_p, half = len(partial), R_F // 2
    basis = list(sb.wires)  # s, then y_1.., then u_last
    zvals = list(sb.vals)  # s, then u_0.. (for the values of y_j)
    p0 = partial[0]
    y_lc = {w: c for w, c in zip(basis, p0) if c}
    if p0[-1]:
        y_lc[0] = p0[-1]
    y_val = (sum(map(mul, p0, zvals)) + p0[-1]) % R if wv else None
    prefix = b.name_prefix + name
    new_wire, A, B, C, names = b.new_wire, b.A, b.B, b.C, b.names
    for j in range(r_p):
        tag = f"{name}.r{half + j}.s0"
        x2v = x4v = uv = nxt_v = None
        if wv:
            x2v = y_val * y_val % R
            x4v = x2v * x2v % R
            uv = x4v * y_val % R
            zvals.append(uv)
            if j < r_p - 1:
                p = partial[j + 1]
                nxt_v = (sum(map(mul, p, zvals)) + p[-1]) % R
        x2 = {new_wire(tag + ".x2", x2v): 1}
        x4 = {new_wire(tag + ".x4", x4v): 1}
        if j < r_p - 1:
            nxt = new_wire(f"{name}.r{half + j + 1}.s0.in", nxt_v)
        else:
            nxt = new_wire(tag + ".x5", uv)
        basis.append(nxt)
        u = us[j]
        u_lc = {w: c for w, c in zip(basis, u) if c} if j < r_p - 1 else {nxt: 1}
        if u[-1] and j < r_p - 1:
            u_lc[0] = u[-1]
        full = f"{prefix}.r{half + j}.s0"
        A.extend((y_lc, x2, x4))
        B.extend((y_lc, x2, y_lc))
        C.extend((x2, x4, u_lc))
        names.extend((full + ".x2", full + ".x4", full + ".x5"))
        y_lc, y_val = {nxt: 1}, nxt_v
    state = []
    for row, erow in zip(exits, exit_rows):
        lc = {w: c for w, c in zip(basis, erow) if c}
        if erow[-1]:
            lc[0] = erow[-1]
        val = (sum(map(mul, row, zvals)) + row[-1]) % R if wv else None
        state.append((lc, val))
    return state


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
    if sb.plain:
        state = _partial_sparse(b, name, t, sb, wv)
    else:  # constant S-box outputs (all inputs constant): fold densely
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
    """Hash of a sequence (docs/spec/STATEMENT.md): H(x) for n <= 16, else a 16 + 15 + ... chain.

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
