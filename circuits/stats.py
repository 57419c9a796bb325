"""Shape pinning: constraint/wire counts and a matrix hash for every gadget at a few sizes.

``tests/data/circuit_stats.csv`` is this module's output; a test regenerates it and
fails on any difference, so a change of a circuit's shape is always deliberate.
Regenerate with::

    python -m circuits.stats --write tests/data/circuit_stats.csv

The hash is SHA-256 over the constraints in export order (every row's sorted
``wire:coeff`` pairs), so it changes with any coefficient, wire or order change.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from typing import Callable, Iterator, Sequence

from circuits.builder import Builder
from circuits.gadgets import (div_ceil, div_floor, less_than, max_argmax, range_check,
                              signed_range_check, top_k_sum)
from circuits.gadgets_hash import merkle_check, poseidon_hash, poseidon_sequence_hash
from circuits.r1cs import R1CS

FIELDS = ("gadget", "size", "constraints", "wires", "nonzeros", "sha256")


def matrix_hash(r1cs: R1CS) -> str:
    """SHA-256 of the constraint matrices in export order."""
    h = hashlib.sha256()
    for row3 in r1cs.constraints:
        for row in row3:
            h.update(b"[" + b",".join(f"{w}:{row[w]}".encode() for w in sorted(row)) + b"]")
        h.update(b";")
    return h.hexdigest()


def _inputs(b: Builder, n: int) -> list:
    return [b.private_input(f"x{i}") for i in range(n)]


def _catalog() -> Iterator[tuple[str, int, Callable[[Builder], object]]]:
    for n in (8, 64, 128):
        yield "range_check", n, lambda b, n=n: range_check(b, *_inputs(b, 1), n)
        yield "signed_range_check", n, lambda b, n=n: signed_range_check(b, *_inputs(b, 1), n)
        yield "less_than", n, lambda b, n=n: less_than(b, *_inputs(b, 2), n)
    for n in (1, 4, 16):
        yield "max_argmax_64bit", n, lambda b, n=n: max_argmax(b, _inputs(b, n), 64)
        yield "top_k_sum_64bit_k=ceil(n/2)", n, \
            lambda b, n=n: top_k_sum(b, _inputs(b, n), (n + 1) // 2, 64)
    for d in (1, 3, 10**6):
        yield "div_floor_64bit", d, lambda b, d=d: div_floor(b, *_inputs(b, 1), d, 64)
        yield "div_ceil_64bit", d, lambda b, d=d: div_ceil(b, *_inputs(b, 1), d, 64)
    for n in (1, 2, 5, 16):
        yield "poseidon", n, lambda b, n=n: poseidon_hash(b, _inputs(b, n))
    for n in (17, 40):
        yield "poseidon_sequence", n, lambda b, n=n: poseidon_sequence_hash(b, _inputs(b, n))
    for d in (1, 4):
        yield "merkle_check", d, lambda b, d=d: merkle_check(
            b, b.private_input("leaf"), b.private_input("index"), _inputs(b, d),
            b.public_input("root"))


def rows() -> list[dict[str, str]]:
    """One row per (gadget, size), built in constraint-only mode."""
    out = []
    for gadget, size, fn in _catalog():
        b = Builder()
        fn(b)
        r1cs = b.to_r1cs()
        nnz = sum(len(row) for row3 in r1cs.constraints for row in row3)
        out.append({"gadget": gadget, "size": str(size), "constraints": str(r1cs.n_constraints),
                    "wires": str(r1cs.n_wires), "nonzeros": str(nnz),
                    "sha256": matrix_hash(r1cs)[:16]})
    return out


def to_csv(table: list[dict[str, str]], fields: Sequence[str] = FIELDS) -> str:
    """The CSV text of ``table`` with the columns ``fields``."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Print the table, or write it with ``--write PATH``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", metavar="PATH", help="write the CSV (atomically) to PATH")
    args = ap.parse_args(argv)
    return write_or_print(to_csv(rows()), args.write)


def write_or_print(text: str, path: str | None) -> int:
    """Write ``text`` atomically to ``path``, or print it when no path is given."""
    if path:
        from zkbase.files import atomic_write_text

        atomic_write_text(path, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
