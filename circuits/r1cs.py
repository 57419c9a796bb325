"""R1CS systems and the iden3 binary files ``.r1cs`` (version 1) and ``.wtns`` (version 2).

Both files are iden3 binary containers: a 4-byte magic, ``u32`` version, ``u32``
section count, then sections ``(u32 type, u64 size, bytes)``; all integers are little
endian and field elements are ``n8 = 32`` bytes, little endian, in standard (not
Montgomery) form.

``.r1cs``: section 1 header ``n8, prime, nWires u32, nPubOut u32, nPubIn u32,
nPrvIn u32, nLabels u64, mConstraints u32``; section 2 the constraints, each as
A, B, C with ``u32 nTerms`` then ``(u32 wire, coeff)`` pairs; section 3 the wire to
label map (``u64`` per wire).  ``.wtns``: section 1 ``n8, prime, nWitness u32``;
section 2 the values.

A witness ``w`` satisfies the system when ``w_0 = 1`` and for every constraint
``<A, w> * <B, w> = <C, w>  (mod r)``.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from circuits.binfile import read_binfile
from circuits.field import N8, R, CircuitError
from zkbase.files import atomic_open

Row = dict  # {wire: coefficient}
Constraint = tuple  # (A, B, C) rows


@dataclass
class R1CS:
    """A rank-1 constraint system with wires in circom's order (one, out, in, private)."""

    prime: int
    n_wires: int
    n_pub_out: int
    n_pub_in: int
    n_prv_in: int
    n_labels: int
    constraints: list = field(default_factory=list)
    wire_to_label: list = field(default_factory=list)

    @property
    def n_constraints(self) -> int:
        return len(self.constraints)

    @property
    def n_public(self) -> int:
        """Public wires after wire 0 (outputs then inputs)."""
        return self.n_pub_out + self.n_pub_in

    def first_unsatisfied(self, witness: Sequence[int]) -> int | None:
        """Index of the first violated constraint, -1 for a malformed witness, else None."""
        if len(witness) != self.n_wires or witness[0] != 1:
            return -1
        return first_unsatisfied(self.constraints, witness, self.prime)

    def is_satisfied(self, witness: Sequence[int]) -> bool:
        """True iff ``witness`` (wire order, ``w_0 = 1``) satisfies every constraint."""
        return self.first_unsatisfied(witness) is None

    def check(self, witness: Sequence[int]) -> None:
        """Raise CircuitError naming the first problem with ``witness``."""
        idx = self.first_unsatisfied(witness)
        if idx == -1:
            raise CircuitError(f"witness has {len(witness)} values (need {self.n_wires}) "
                               "or w[0] != 1")
        if idx is not None:
            raise CircuitError(f"constraint #{idx} is not satisfied")


def first_unsatisfied(constraints: Iterable[Constraint], w: Sequence[int],
                      prime: int = R) -> int | None:
    """Index of the first ``(A, B, C)`` with ``<A,w><B,w> != <C,w> (mod prime)``."""
    for i, (a, b, c) in enumerate(constraints):
        va = sum(k * w[j] for j, k in a.items())
        vb = sum(k * w[j] for j, k in b.items())
        vc = sum(k * w[j] for j, k in c.items())
        if (va * vb - vc) % prime:
            return i
    return None


# -- writing -------------------------------------------------------------------------

def _fe(v: int) -> bytes:
    return v.to_bytes(N8, "little")


def _section(kind: int, body: bytes) -> bytes:
    return struct.pack("<IQ", kind, len(body)) + body


def _constraints_bytes(constraints: list, prime: int) -> bytes:
    """Section 2: every row as ``u32 n`` then ``(u32 wire, 32-byte coeff)`` pairs.

    Coefficient encodings are cached: circuits reuse a few values (1, -1, 2^i, MDS).
    """
    cache: dict[int, bytes] = {}
    rows_done: dict[int, bytes] = {}  # id(row) -> encoding: gadgets reuse row objects
    parts: list[bytes] = []
    append = parts.append
    for row3 in constraints:
        for row in row3:
            done = rows_done.get(id(row))
            if done is not None:
                append(done)
                continue
            enc_row = [len(row).to_bytes(4, "little")]
            for wire in sorted(row):
                c = row[wire]
                enc = cache.get(c)
                if enc is None:
                    enc = cache[c] = (c % prime).to_bytes(N8, "little")
                enc_row.append(wire.to_bytes(4, "little"))
                enc_row.append(enc)
            done = b"".join(enc_row)
            if len(row) > 2:
                rows_done[id(row)] = done
            append(done)
    return b"".join(parts)


def r1cs_bytes(r1cs: R1CS) -> bytes:
    """The ``.r1cs`` (version 1) encoding of ``r1cs``."""
    header = struct.pack("<I", N8) + _fe(r1cs.prime) + struct.pack(
        "<IIIIQI", r1cs.n_wires, r1cs.n_pub_out, r1cs.n_pub_in, r1cs.n_prv_in,
        r1cs.n_labels, len(r1cs.constraints))
    body = _constraints_bytes(r1cs.constraints, r1cs.prime)
    labels = struct.pack(f"<{len(r1cs.wire_to_label)}Q", *r1cs.wire_to_label)
    return (b"r1cs" + struct.pack("<II", 1, 3) + _section(1, header) + _section(2, body)
            + _section(3, labels))


def write_r1cs(path: str | Path, r1cs: R1CS) -> None:
    """Write ``r1cs`` to ``path`` atomically."""
    if len(r1cs.wire_to_label) != r1cs.n_wires:
        raise CircuitError(f"{path}: wire_to_label has {len(r1cs.wire_to_label)} entries, "
                           f"not {r1cs.n_wires}")
    data = r1cs_bytes(r1cs)
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def wtns_bytes(values: Sequence[int], prime: int = R) -> bytes:
    """The ``.wtns`` (version 2) encoding of ``values``."""
    header = struct.pack("<I", N8) + _fe(prime) + struct.pack("<I", len(values))
    body = b"".join((int(v) % prime).to_bytes(N8, "little") for v in values)
    return b"wtns" + struct.pack("<II", 2, 2) + _section(1, header) + _section(2, body)


def write_wtns(path: str | Path, values: Sequence[int], prime: int = R) -> None:
    """Write a witness to ``path`` atomically."""
    data = wtns_bytes(values, prime)
    with atomic_open(path, "wb") as fh:
        fh.write(data)


# -- reading -------------------------------------------------------------------------

class _Reader:
    """Bounds-checked little-endian reads; every failure names the file."""

    def __init__(self, data: bytes, path: str, what: str) -> None:
        self.data, self.path, self.what, self.pos = data, path, what, 0

    def fail(self, msg: str) -> CircuitError:
        return CircuitError(f"{self.path}: {msg}")

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise self.fail(f"truncated {self.what} (needs {self.pos + n} bytes, "
                            f"has {len(self.data)})")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def u64(self) -> int:
        return struct.unpack("<Q", self.take(8))[0]


def _sections(path: Path, magic: bytes, version: int) -> tuple[bytes, dict[int, tuple[int, int]]]:
    """Read the container (:mod:`circuits.binfile`): the data and ``{type: (offset, size)}``."""
    f = read_binfile(path, magic, version, min_version=version, error=CircuitError)
    return f.data, f.sections


def _section_reader(data: bytes, sections: dict, kind: int, path: Path, what: str) -> _Reader:
    if kind not in sections:
        raise CircuitError(f"{path}: missing {what} section ({kind})")
    off, size = sections[kind]
    rd = _Reader(data[off:off + size], str(path), what)
    return rd


def _read_prime(rd: _Reader) -> int:
    n8 = rd.u32()
    if n8 != N8:
        raise rd.fail(f"field size n8={n8} is not 32 (not BN254)")
    prime = int.from_bytes(rd.take(n8), "little")
    if prime != R:
        raise rd.fail(f"prime {prime} is not the BN254 scalar field")
    return prime


def read_r1cs(path: str | Path) -> R1CS:
    """Read an iden3 ``.r1cs`` file (ours or circom's) over BN254's scalar field."""
    path = Path(path)
    data, sections = _sections(path, b"r1cs", 1)
    rd = _section_reader(data, sections, 1, path, "header")
    prime = _read_prime(rd)
    n_wires, n_out, n_in, n_prv = rd.u32(), rd.u32(), rd.u32(), rd.u32()
    n_labels, m = rd.u64(), rd.u32()
    if 1 + n_out + n_in + n_prv > n_wires:
        raise rd.fail(f"{n_out}+{n_in}+{n_prv} inputs/outputs exceed {n_wires} wires")
    constraints = _read_constraints(
        _section_reader(data, sections, 2, path, "constraints"), m, n_wires, prime)
    rd = _section_reader(data, sections, 3, path, "wire map")
    if len(rd.data) != 8 * n_wires:
        raise rd.fail(f"wire map has {len(rd.data)} bytes, expected {8 * n_wires}")
    labels = list(struct.unpack(f"<{n_wires}Q", rd.data))
    return R1CS(prime, n_wires, n_out, n_in, n_prv, n_labels, constraints, labels)


def _read_constraints(rd: _Reader, m: int, n_wires: int, prime: int) -> list:
    data = rd.data
    out = []
    unpack_u32 = struct.Struct("<I").unpack_from
    for i in range(m):
        rows = []
        for _ in range(3):
            n = rd.u32()
            end = rd.pos + n * (4 + N8)
            if end > len(data):
                raise rd.fail(f"truncated constraints section at constraint {i}")
            row = {}
            for off in range(rd.pos, end, 4 + N8):
                wire = unpack_u32(data, off)[0]
                coeff = int.from_bytes(data[off + 4:off + 4 + N8], "little")
                if wire >= n_wires or coeff >= prime:
                    raise rd.fail(f"constraint {i}: wire {wire} or coefficient out of range")
                row[wire] = coeff
            rd.pos = end
            rows.append(row)
        out.append(tuple(rows))
    if rd.pos != len(data):
        raise rd.fail(f"constraints section has {len(data) - rd.pos} bytes left over")
    return out


def read_wtns(path: str | Path) -> list[int]:
    """Read an iden3 ``.wtns`` file; checks the prime and that every value is < r."""
    path = Path(path)
    data, sections = _sections(path, b"wtns", 2)
    rd = _section_reader(data, sections, 1, path, "header")
    prime = _read_prime(rd)
    n = rd.u32()
    body = _section_reader(data, sections, 2, path, "values").data
    if len(body) != n * N8:
        raise CircuitError(f"{path}: values section has {len(body)} bytes, "
                           f"expected {n} x {N8}")
    values = [int.from_bytes(body[i:i + N8], "little") for i in range(0, len(body), N8)]
    if any(v >= prime for v in values):
        raise CircuitError(f"{path}: a witness value is not reduced below the prime")
    return values
