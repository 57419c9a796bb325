"""Shape pinning: the checked-in circuit_stats.csv must equal a fresh regeneration."""
from __future__ import annotations

import difflib
from pathlib import Path

from circuits.builder import Builder
from circuits.r1cs import R1CS
from circuits.stats import main, matrix_hash, rows, to_csv

CSV = Path(__file__).resolve().parents[1] / "data" / "circuit_stats.csv"


def test_circuit_stats_unchanged() -> None:
    expected = CSV.read_text()
    actual = to_csv(rows())
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "tests/data/circuit_stats.csv", "regenerated"))
    assert actual == expected, (
        "circuit shapes changed; if deliberate, regenerate with "
        "`python -m circuits.stats --write tests/data/circuit_stats.csv`\n" + diff)


def test_matrix_hash_sees_a_coefficient_change() -> None:
    b = Builder()
    b.mul(b.private_input("x"), b.private_input("y"))
    r1cs = b.to_r1cs()
    changed = R1CS(**{**r1cs.__dict__, "constraints": [({1: 2}, {2: 1}, {3: 1})]})
    assert matrix_hash(r1cs) != matrix_hash(changed)


def test_regeneration_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    assert main(["--write", str(out)]) == 0
    assert out.read_text() == CSV.read_text()
