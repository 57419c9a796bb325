"""Shape pinning and constraint counts by component for the margin circuit.

``tests/data/margin_circuit_stats.csv`` is this module's output for the pinned shapes
(a small test shape and the bundled book's standard shape); a test regenerates it and
fails on any difference.  Regenerate with::

    python -m circuits.margin.stats --write tests/data/margin_circuit_stats.csv

``tests/data/margin_shapes.csv`` pins the key-set ladder (``n4k2`` .. ``n64k4``) on the
bundled book's S, H, k and depths, with the full matrix hash a key set records::

    python -m circuits.margin.stats --ladder --write tests/data/margin_shapes.csv

``python -m circuits.margin.stats --components`` prints the constraint count of every
component for the standard shape (the table of docs/margin-circuit.md).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

from circuits.builder import Builder
from circuits.margin.shape import LADDER, STATEMENTS, MarginShape
from circuits.margin.synthesis import build_margin_circuit
from circuits.stats import matrix_hash, write_or_print
from circuits.stats import to_csv as stats_csv

#: (label, N, K, S, H, k, D_i, D_c): small = the tests' hand-made book, standard = the
#: bundled snapshot's book (S = 22, H = 8, k = 2, 231 instruments, 3 assets) with 16 + 4 slots
SHAPES = (("small", 4, 2, 3, 4, 2, 2, 2), ("standard", 16, 4, 22, 8, 2, 8, 2))
FIELDS = ("shape", "statement", "N", "K", "S", "H", "k", "D_i", "D_c", "constraints", "wires",
          "nonzeros", "sha256")

#: constraint-name pattern -> component (first match wins)
COMPONENTS = (
    (r"\.output$", "public outputs"),
    (r"^(cash|pos\[\d+\]\.qty|coll\[\d+\]\.amount)\.", "account range checks"),
    (r"^pos\[\d+\]\.leaf\.", "instrument leaf hashes"),
    (r"^pos\[\d+\]\.merkle\.", "instrument Merkle paths"),
    (r"^coll\[\d+\]\.leaf\.", "collateral leaf hashes"),
    (r"^coll\[\d+\]\.merkle\.", "collateral Merkle paths"),
    (r"^(params_hash|market)\.", "market commitment"),
    (r"^account\.", "account commitment"),
    (r"^netting\.", "netting (equal indices, first occurrences)"),
    (r"^charges[.\[]", "SOM and contingency"),
    (r"^scenario\[\d+\]\.pos\[", "scenario products (positions)"),
    (r"^scenario\[\d+\]\.coll\[", "scenario products (collateral)"),
    (r"^scenario\[\d+\]\.profit\.", "scenario floor divisions"),
    (r"^es\.", "expected shortfall (top-k, ceil)"),
    (r"^requirement\.", "max(scan loss, es, som)"),
    (r"^im\.", "initial margin"),
    (r"^collateral", "collateral value"),
    (r"^position", "position value"),
    (r"^status\.", "status comparisons"),
)


def component_counts(b: Builder) -> dict[str, int]:
    """Constraints per component (by constraint name), in COMPONENTS order."""
    patterns = [(re.compile(p), label) for p, label in COMPONENTS]
    counts: Counter = Counter()
    for name in b.names:
        label = next((lab for pat, lab in patterns if pat.search(name)), "other")
        counts[label] += 1
    order = [label for _, label in COMPONENTS] + ["other"]
    return {label: counts[label] for label in order if counts[label]}


def rows() -> list[dict[str, str]]:
    """One row per (shape, statement), built in constraint-only mode."""
    out = []
    for label, *dims in SHAPES:
        shape = MarginShape(*dims)
        for statement in STATEMENTS:
            r1cs = build_margin_circuit(shape, statement).r1cs
            nnz = sum(len(row) for row3 in r1cs.constraints for row in row3)
            out.append(dict(zip(FIELDS, [label, statement, *map(str, dims),
                                         str(r1cs.n_constraints), str(r1cs.n_wires), str(nnz),
                                         matrix_hash(r1cs)[:16]])))
    return out


#: S, H, k, D_i, D_c of the bundled snapshot's book (the ladder's pinned book)
BUNDLED_BOOK = (22, 8, 2, 8, 2)


def ladder_rows(names: list[str] | None = None) -> list[dict[str, str]]:
    """One row per ladder shape and statement on the bundled book (full matrix hash)."""
    out = []
    for name in names or list(LADDER):
        dims = (*LADDER[name], *BUNDLED_BOOK)
        for statement in STATEMENTS:
            r1cs = build_margin_circuit(MarginShape(*dims), statement).r1cs
            nnz = sum(len(row) for row3 in r1cs.constraints for row in row3)
            out.append(dict(zip(FIELDS, [name, statement, *map(str, dims),
                                         str(r1cs.n_constraints), str(r1cs.n_wires), str(nnz),
                                         matrix_hash(r1cs)])))
    return out


def to_csv(table: list[dict[str, str]]) -> str:
    """The CSV text of the margin-shape table."""
    return stats_csv(table, FIELDS)


def components_table(dims: tuple[int, ...] = SHAPES[1][1:]) -> str:
    """Markdown table: constraints per component for both statements of one shape."""
    per = {}
    for statement in STATEMENTS:
        per[statement] = component_counts(build_margin_circuit(MarginShape(*dims), statement)
                                          .builder)
    labels = list(dict.fromkeys([*per["full"], *per["health"]]))
    lines = ["| component | full | health |", "|---|---:|---:|"]
    for label in labels:
        lines.append(f"| {label} | {per['full'].get(label, 0)} | {per['health'].get(label, 0)} |")
    lines.append(f"| **total** | {sum(per['full'].values())} | {sum(per['health'].values())} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", metavar="PATH", help="write the CSV (atomically) to PATH")
    ap.add_argument("--ladder", action="store_true",
                    help="the key-set ladder n4k2..n64k4 on the bundled book")
    ap.add_argument("--components", action="store_true",
                    help="print constraints per component for the standard shape")
    args = ap.parse_args(argv)
    if args.components:
        sys.stdout.write(components_table())
        return 0
    return write_or_print(to_csv(ladder_rows() if args.ladder else rows()), args.write)


if __name__ == "__main__":
    sys.exit(main())
