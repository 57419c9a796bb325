"""Margin circuit shape pinning, component counts, and per-component pinning of every wire."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from circuits.margin import gadgets as mg
from circuits.builder import Builder
from circuits.field import R
from circuits.margin.stats import COMPONENTS, component_counts, main, rows, to_csv
from tests.circuits.helpers import build, every_wire_pinned
from tests.circuits.margin_books import small_shape
from circuits.margin import build_margin_circuit

CSV = Path(__file__).resolve().parents[1] / "data" / "margin_circuit_stats.csv"


@pytest.mark.slow
def test_margin_circuit_stats_unchanged() -> None:
    expected = CSV.read_text()
    actual = to_csv(rows())
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "tests/data/margin_circuit_stats.csv", "regenerated"))
    assert actual == expected, (
        "margin circuit shapes changed; if deliberate, regenerate with "
        "`python -m circuits.margin.stats --write tests/data/margin_circuit_stats.csv`\n" + diff)


def test_every_constraint_belongs_to_a_named_component() -> None:
    for statement in ("full", "health"):
        b = build_margin_circuit(small_shape(), statement).builder
        counts = component_counts(b)
        assert "other" not in counts and sum(counts.values()) == b.n_constraints
        assert set(counts) <= {label for _, label in COMPONENTS}


def test_regeneration_command_writes_the_file(tmp_path: Path, monkeypatch) -> None:
    """``--write`` writes the table (here for the small shape only, to save time)."""
    import circuits.margin.stats as ms

    monkeypatch.setattr(ms, "SHAPES", ms.SHAPES[:1])
    out = tmp_path / "stats.csv"
    assert main(["--write", str(out)]) == 0
    assert out.read_text().splitlines() == CSV.read_text().splitlines()[:3]


def _ins(b: Builder, vals: dict | None, names: list[str]) -> list:
    return [b.private_input(n, None if vals is None else vals[n] % R) for n in names]


@pytest.mark.slow
def test_netting_and_charges_pin_every_wire() -> None:
    idx, qty = [5, 2, 5, 7], [-3 * 10**8, 10**8, 10**8 // 2, 0]
    vals = {**{f"i{j}": v for j, v in enumerate(idx)}, **{f"q{j}": v for j, v in enumerate(qty)},
            **{f"s{j}": 95 * 10**9 for j in range(4)}, **{f"c{j}": 17 + j for j in range(4)}}

    def circuit(b: Builder, v: dict | None) -> None:
        index, q = _ins(b, v, [f"i{j}" for j in range(4)]), _ins(b, v, [f"q{j}" for j in range(4)])
        som, cont = _ins(b, v, [f"s{j}" for j in range(4)]), _ins(b, v, [f"c{j}" for j in range(4)])
        nets, firsts = mg.netting(b, index, q)
        s, c = mg.charges(b, nets, firsts, som, cont, 65, 110)
        if v is not None:
            assert [n.val for n in nets] == [(-25 * 10**7) % R, 10**8, (-25 * 10**7) % R, 0]
            assert [f.val for f in firsts] == [1, 1, 0, 1]
            assert s.val == -((-25 * 10**7 * 95 * 10**9) // 10**8)
            assert c.val == -((-(25 * 10**7 * 17 + 10**8 * 18)) // 10**8)

    every_wire_pinned(build(circuit, vals))


@pytest.mark.slow
def test_requirement_collateral_and_status_pin_every_wire() -> None:
    losses = [5, -9, 5, 12, -3, 12, 0]  # S = 3, H = 4, k = 2
    vals = {**{f"L{s}": v for s, v in enumerate(losses)}, "som": 7, "cont": 2,
            "amt0": 3 * 10**8, "amt1": 10**8, "p0": 10**8, "p1": 5 * 10**8, "h0": 10**6,
            "h1": 2 * 10**8, "imf": 125 * 10**6, "cash": -297 * 10**6 + 13}

    def circuit(b: Builder, v: dict | None) -> None:
        L = _ins(b, v, [f"L{s}" for s in range(7)])
        som, cont, a0, a1, p0, p1, h0, h1, imf, cash = _ins(
            b, v, ["som", "cont", "amt0", "amt1", "p0", "p1", "h0", "h1", "imf", "cash"])
        top, _ = mg.requirement(b, L, som, 3, 4, 2, 20, 30)
        mm = b.add(top, cont)
        im = mg.initial_margin(b, mm, imf, 40)
        cv = mg.collateral_value(b, [a0, a1], [p0, p1], [h0, h1], 40)
        st = mg.status(b, b.add(cash, cv), mm, im, 60)
        if v is not None:
            assert top.val == 12 and im.val == 18  # max(5, -9, 5, ceil(24 / 2), 7) = 12
            assert cv.val == 297 * 10**6 and st.val == 0  # 3 USD * 0.99; JUNK clamped to 0

    every_wire_pinned(build(circuit, vals))


@pytest.mark.interop
def test_snarkjs_accepts_the_margin_circuit_and_witness(tmp_path: Path) -> None:
    """Interop: the .r1cs/.wtns files of a margin circuit pass ``snarkjs wtns check``."""
    from circuits.r1cs import write_r1cs, write_wtns
    from tests.circuits.margin_books import small_account, small_book
    from tests.conftest import run_node_tool

    circuit = build_margin_circuit(small_shape(), "health", small_book(), small_account())
    write_r1cs(tmp_path / "m.r1cs", circuit.r1cs)
    write_wtns(tmp_path / "m.wtns", circuit.witness)
    info = run_node_tool("snarkjs", "r1cs", "info", tmp_path / "m.r1cs")
    assert f"# of Constraints: {circuit.r1cs.n_constraints}" in info
    assert "# of Outputs: 3" in info
    assert "WITNESS IS CORRECT" in run_node_tool("snarkjs", "wtns", "check", tmp_path / "m.r1cs",
                                                 tmp_path / "m.wtns")


LADDER_CSV = Path(__file__).resolve().parents[1] / "data" / "margin_shapes.csv"


def _ladder_check(names: list[str]) -> None:
    from circuits.margin.stats import ladder_rows

    pinned = {(r.split(",")[0], r.split(",")[1]): r
              for r in LADDER_CSV.read_text().splitlines()[1:]}
    for row in to_csv(ladder_rows(names)).splitlines()[1:]:
        key = tuple(row.split(",")[:2])
        assert pinned[key] == row, (
            f"margin shape {key} changed; if deliberate, regenerate with `python -m "
            "circuits.margin.stats --ladder --write tests/data/margin_shapes.csv`")


@pytest.mark.slow
def test_small_ladder_shapes_unchanged() -> None:
    """Constraint counts and matrix hashes of n4k2 and n8k2 (what key sets record)."""
    _ladder_check(["n4k2", "n8k2"])


@pytest.mark.slow
def test_large_ladder_shapes_unchanged() -> None:
    _ladder_check(["n16k4", "n32k4", "n64k4"])


def test_ladder_table_lists_every_ladder_shape() -> None:
    from circuits.margin.shape import LADDER

    names = [r.split(",")[0] for r in LADDER_CSV.read_text().splitlines()[1:]]
    assert names == [n for n in LADDER for _ in ("full", "health")]
