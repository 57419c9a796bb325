"""``zkmargin bench`` and ``zkmargin demo``: figures, chain verdicts, outputs, the demo table.

The smoke run measures the smallest margin shape (n4k2 of the session's ``dev_keyset``)
and two tiny ladder rungs with both provers (one timed run each, one simulated block)
so that it stays short; the documented defaults measure far more.  The demo proves
every bundled account with the session's ``bundled_keyset``; one test makes n4k2
development keys in a private cache, as ``zkmargin bench`` does without ``--keys``.
"""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.account import load_account
from engine.jsonio import bundled_accounts
from engine.riskbook import RiskBook
from tests.conftest import ROOT, node_tool
from zkmargin.bench import chains as chainmod
from zkmargin.bench.blocks import moved_snapshot, simulate
from zkmargin.bench.keys import dev_shape_keys, smallest_standard_shape
from zkmargin.bench.ladder import parse_ladder, rung_constraints
from zkmargin.bench.plot import HEIGHT_PX, WIDTH_PX
from zkmargin.bench.report import write_outputs

PROVER_FIGURES = ("prove_median_s", "prove_min_s", "prove_max_s", "runs", "peak_rss_bytes")
CIRCUIT_FIGURES = ("constraints", "witness_s", "verify_s", "gas", "proof_bytes",
                   "calldata_bytes", "latency_s", "chains")


@pytest.fixture(scope="module")
def xdg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private XDG cache directory (empty)."""
    return tmp_path_factory.mktemp("xdg")


@pytest.fixture(scope="module")
def cache(xdg: Path) -> Path:
    """The private XDG cache holding n4k2 development keys."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(xdg))
        dev_shape_keys(RiskBook.from_snapshot("default"), ["n4k2"])
    return xdg


def cli(args: list[str], cache: Path, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "zkmargin.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# -- the smoke run -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def smoke(dev_keyset: Path, xdg: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, Any]:
    node_tool("snarkjs")
    out = tmp_path_factory.mktemp("bench") / "out"
    proc = cli(["bench", "--quick", "--with-snarkjs", "--keys", str(dev_keyset), "--shapes",
                "n4k2", "--ladder", "9..10", "--repeat", "1", "--blocks", "1", "--per-block",
                "2", "--cores", "64", "--out", str(out)], xdg)
    return out, proc


@pytest.mark.slow
@pytest.mark.interop
def test_bench_json_has_every_figure(smoke: tuple[Path, Any]) -> None:
    out, _ = smoke
    result = json.loads((out / "bench.json").read_text())
    assert sorted(os.listdir(out)) == ["bench.json", "bench.md", "bench.png"]
    machine = result["machine"]
    assert machine["cpu_model"] and machine["cores"] >= 1 and machine["memory_bytes"] > 0
    assert result["date"].startswith("20") and result["snarkjs"]["version"] == "0.7.6"
    names = [c.name for c in chainmod.DEFAULT_CHAINS]
    assert [c["name"] for c in result["chains"]] == names
    assert [e["name"] for e in result["shapes"]] == ["n4k2"]
    assert [e["constraints"] for e in result["ladder"]] == [rung_constraints(9),
                                                            rung_constraints(10)]
    for entry in result["shapes"] + result["ladder"]:
        for key in CIRCUIT_FIGURES:
            assert entry[key] is not None, key
        assert entry["gas"] > 200_000 and entry["proof_bytes"] == 256
        for prover in ("ours", "snarkjs"):
            figures = entry["provers"][prover]
            assert all(figures[k] > 0 for k in PROVER_FIGURES), (prover, figures)
            assert figures["prove_min_s"] <= figures["prove_median_s"] <= figures["prove_max_s"]
        sj = entry["provers"]["snarkjs"]
        assert sj["verified_by_ours"] and sj["verifies_ours"]
        assert entry["snarkjs_over_ours"] == pytest.approx(
            sj["prove_median_s"] / entry["provers"]["ours"]["prove_median_s"])
        assert [c["chain"] for c in entry["chains"]] == names
        for verdict in entry["chains"]:
            assert isinstance(verdict["ours_fits"], bool)
            assert isinstance(verdict["snarkjs_fits"], bool)
            assert verdict["ours_fits"] == (entry["latency_s"] <= verdict["block_time_s"])
    shape = result["shapes"][0]
    assert shape["throughput"]["throughput_per_s"] > 0
    for verdict in shape["chains"]:
        assert verdict["accounts_per_block"] == int(
            shape["throughput"]["throughput_per_s"] * verdict["block_time_s"] + 1e-9)
        assert verdict["cluster_cores"] == 64
        assert verdict["cluster_accounts_per_block"] >= verdict["accounts_per_block"]
    sim = result["block_simulation"]
    assert sim["shape"] == "n4k2" and len(sim["per_block"]) == 1
    assert sim["per_block"][0]["oracle_update_s"] > 0
    assert [c["chain"] for c in sim["chains"]] == names
    for c in sim["chains"]:
        assert c["keeps_up"] == (sim["per_block"][0]["work_s"] <= c["block_time_s"])


@pytest.mark.slow
@pytest.mark.interop
def test_bench_png_markdown_and_console(smoke: tuple[Path, Any]) -> None:
    out, proc = smoke
    assert png_size((out / "bench.png").read_bytes()) == (WIDTH_PX, HEIGHT_PX)
    md = (out / "bench.md").read_text()
    assert "](bench.png)" in md
    head = next(line for line in md.splitlines() if line.startswith("| circuit"))
    assert "prove, ours" in head and "prove, snarkjs" in head and "snarkjs / ours" in head
    assert md.count("✓ both ways") == 3 and "margin n4k2" in md and "dense 2^10" in md
    for chain in chainmod.DEFAULT_CHAINS:
        assert f"| {chain.name} |" in md
    # the plan and its estimate come first, progress as plain lines (not a terminal)
    assert proc.stdout.startswith("zkmargin bench will measure:") and "about " in proc.stdout
    assert "[1/" in proc.stderr and "\r" not in proc.stderr


@pytest.mark.slow
def test_bench_json_alone_on_stdout(xdg: Path, tmp_path: Path) -> None:
    proc = cli(["bench", "--shapes", "none", "--ladder", "8", "--repeat", "1", "--json",
                "--out", str(tmp_path / "o")], xdg)
    result = json.loads(proc.stdout)
    assert proc.stderr == "" and result["snarkjs"] is None
    assert set(result["ladder"][0]["provers"]) == {"ours"}
    assert json.loads((tmp_path / "o" / "bench.json").read_text()) == result


# -- input errors and the pieces -----------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--ladder", "12..40"], "--ladder: '12..40': power 25 outside 8..24"),
    (["--shapes", "n4"], "--shapes: 'n4' is not a shape name"),
    (["--cores", "0"], "--cores: must be a positive integer"),
])
def test_bench_bad_options(xdg: Path, tmp_path: Path, args: list[str], message: str) -> None:
    proc = cli(["bench", *args, "--out", str(tmp_path / "o")], xdg, check=False)
    assert proc.returncode == 2 and proc.stderr.startswith(f"error: {message}"), proc.stderr
    assert not (tmp_path / "o").exists()


def test_chains_file_edits_and_extends_the_table(tmp_path: Path) -> None:
    f = tmp_path / "chains.json"
    f.write_text(json.dumps({"chains": [{"name": "Ethereum", "block_time_s": 6},
                                        {"name": "My L3", "block_time_s": 0.5, "note": "x"}]}))
    chains = chainmod.load_chains(f)
    assert [c.name for c in chains] == [c.name for c in chainmod.DEFAULT_CHAINS] + ["My L3"]
    assert chains[0].block_time_s == 6 and chains[-1].block_time_s == 0.5
    rows = chainmod.verdicts(1.0, 3.0, 2, chains, cluster_cores=8)
    assert [r["one_proof_fits"] for r in rows] == [True, True, False, True, True, False]
    assert rows[0]["accounts_per_block"] == 18 and rows[0]["cluster_accounts_per_block"] == 72


@pytest.mark.parametrize("content, field", [
    ('{"chains": [{"name": "A", "block_time_s": 0}]}', "chains[0].block_time_s"),
    ('{"chains": [{"name": "", "block_time_s": 1}]}', "chains[0].name"),
    ('{"chains": [{"name": "A", "block_time_s": 1, "x": 1}]}', "chains[0].x"),
    ('{"chains": {}}', "chains"),
    ('{"chains": [], "chains": []}', "duplicate key"),
])
def test_bad_chains_file(tmp_path: Path, content: str, field: str, xdg: Path) -> None:
    f = tmp_path / "c.json"
    f.write_text(content)
    with pytest.raises(chainmod.ChainsFileError, match=field.replace("[", r"\[")
                       .replace("]", r"\]")):
        chainmod.load_chains(f)
    proc = cli(["bench", "--chains", str(f), "--out", str(tmp_path / "o")], xdg, check=False)
    assert proc.returncode == 2 and proc.stderr.startswith(f"error: {f}: ")


def test_ladder_ranges() -> None:
    assert parse_ladder("12..20") == list(range(12, 21))
    assert parse_ladder("16,12") == [12, 16] and parse_ladder("none") == []
    for bad in ("20..12", "x", "7..9"):
        with pytest.raises(ValueError):
            parse_ladder(bad)


def test_block_simulation_against_block_times() -> None:
    assert simulate([1.0, 1.0, 1.0], 2.0) == {"keeps_up": True, "backlog_blocks": 0,
                                              "max_delay_s": 1.0,
                                              "backlog_growth_per_block": 0.0}
    behind = simulate([3.0, 3.0, 3.0], 2.0)
    assert not behind["keeps_up"] and behind["backlog_blocks"] == 1
    assert behind["max_delay_s"] == 5.0 and behind["backlog_growth_per_block"] == 0.5
    spike = simulate([1.0, 3.0, 1.0], 2.0)
    assert not spike["keeps_up"] and spike["backlog_blocks"] == 0


def test_moved_snapshot_moves_prices() -> None:
    from engine.jsonio import DATA_DIR, read_json

    snap = read_json(DATA_DIR / "default.json")
    moved = moved_snapshot(snap, 3)
    spots = [float(u["spot"]) for u in moved["underlyings"]]
    for spot, u in zip(spots, snap["underlyings"]):
        assert spot != float(u["spot"]) and abs(spot / float(u["spot"]) - 1) < 0.05
    eth = next(c for c in moved["collateral"] if c["symbol"] == "ETH")
    assert float(eth["price"]) == spots[1]
    book = RiskBook.from_snapshot(moved)
    assert book.instruments[0].symbol == "BTC-PERP"


def test_outputs_replace_a_previous_run_together(tmp_path: Path) -> None:
    out = tmp_path / "o"
    write_outputs(out, {"bench.json": b"1", "bench.md": b"a"})
    write_outputs(out, {"bench.json": b"2", "bench.md": b"b", "bench.png": b"p"})
    assert sorted(os.listdir(out)) == ["bench.json", "bench.md", "bench.png"]
    assert (out / "bench.json").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
    (out / "mine.txt").write_text("keep")
    with pytest.raises(ValueError, match="holds other files"):
        write_outputs(out, {"bench.json": b"3"})
    assert (out / "bench.json").read_bytes() == b"2"


# -- the demo --------------------------------------------------------------------------

@pytest.mark.slow
def test_demo_proves_and_verifies_every_bundled_account(bundled_keyset: Path) -> None:
    from click.testing import CliRunner

    from zkmargin.bench.chains import DEMO_CHAINS, DEFAULT_CHAINS
    from zkmargin.bench.demo import format_rows
    from zkmargin.cli import main

    # in-process: the shapes' compiled witness programs are shared with the session
    res = CliRunner().invoke(main, ["demo", "--keys", str(bundled_keyset), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    rows = data["proofs"]
    assert [r["account"] for r in rows] == bundled_accounts()
    margins = {m["account"]: m for m in data["margins"]}
    bigger = {"options_market_maker": "n64k4", "basis_trader": "n16k4"}
    for r in rows:
        assert r["verified"] and r["onchain_accept"] and r["gas"] > 200_000
        assert r["shape"] == bigger.get(r["account"], "n4k2") and r["constraints"] > 0
        assert r["witness_prove_s"] == pytest.approx(r["witness_s"] + r["prove_s"])
        assert (r["equity"], r["mm"], r["im"]) == tuple(margins[r["account"]][k]
                                                        for k in ("equity", "mm", "im"))
        assert list(r["chains"]) == list(DEMO_CHAINS)
        assert r["chains"]["Ethereum"] == (r["witness_prove_s"] <= 12)
    chains = [c for c in DEFAULT_CHAINS if c.name in DEMO_CHAINS]
    table = format_rows(rows, chains).splitlines()
    assert "Ethereum 12 s" in table[0] and "Arbitrum 0.25 s" in table[0]
    assert len(table) == 2 + len(rows) and all(("✓" in t or "✗" in t) for t in table[2:])


def test_without_matplotlib_no_png_and_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from zkmargin.bench.report import render_outputs

    result = {"format": "zkmargin-bench-1", "date": "2026-01-01T00:00:00+00:00",
              "zkmargin_version": "0", "snarkjs": None, "chains": [], "shapes": [],
              "ladder": [], "block_simulation": None, "cluster_cores": None,
              "machine": {"cpu_model": "x", "usable_cores": 1, "memory_gib": 1, "os": "y",
                          "python": "3", "load_average": [0.0, 0.0, 0.0]}}
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    files, reason = render_outputs(result)
    assert sorted(files) == ["bench.json", "bench.md"]
    assert "zkmargin[plot]" in reason and "bench.png" not in files["bench.md"].decode()


@pytest.mark.slow
def test_bench_unknown_shape_of_a_key_set(dev_keyset: Path, xdg: Path, tmp_path: Path) -> None:
    proc = cli(["bench", "--keys", str(dev_keyset), "--shapes", "n16k4", "--out",
                str(tmp_path / "x")], xdg, check=False)
    assert proc.returncode == 2 and "no shape 'n16k4'" in proc.stderr


@pytest.mark.slow
def test_bench_with_cached_development_keys(cache: Path, tmp_path: Path) -> None:
    """Without --keys: a one-shape development key set per shape, cached."""
    proc = cli(["bench", "--shapes", "n4k2", "--ladder", "none", "--repeat", "1", "--blocks",
                "1", "--per-block", "1", "--json", "--out", str(tmp_path / "o")], cache)
    result = json.loads(proc.stdout)
    assert result["options"]["keys"] is None and result["ladder"] == []
    (shape,) = result["shapes"]
    assert shape["name"] == "n4k2" and set(shape["provers"]) == {"ours"}
    assert shape["throughput"]["throughput_per_s"] > 0 and len(shape["chains"]) == 5
    assert result["block_simulation"]["per_block"][0]["oracle_update_s"] > 0
    assert any(p.name.endswith("-n4k2") for p in (cache / "zkmargin").iterdir())


def test_progress_bar_on_a_terminal_lines_in_a_log() -> None:
    import io

    from zkmargin.bench.progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, log = Tty(), io.StringIO()
    for stream in (tty, log):
        p = Progress(2, stream=stream)
        p.start("first")
        p.done("ok")
        p.tick("second")
    assert "\r" in tty.getvalue() and "[#" in tty.getvalue()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and len(lines) == 2
    assert lines[0].startswith("[1/2] first: ok (") and lines[1].startswith("[2/2] second (")
    quiet = io.StringIO()
    off = Progress(1, stream=quiet, enabled=False)
    off.start("x")
    off.done()
    assert quiet.getvalue() == ""


@pytest.mark.interop
def test_snarkjs_path_that_is_not_snarkjs(tmp_path: Path) -> None:
    from zkmargin.bench.provers import find_snarkjs

    node_tool("snarkjs")
    with pytest.raises(FileNotFoundError, match="not a snarkjs CLI"):
        find_snarkjs(str(tmp_path))
    assert find_snarkjs().version == "0.7.6"
