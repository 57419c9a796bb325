"""Rendering and writing a benchmark result: ``bench.json``, ``bench.md``, ``bench.png``.

:func:`markdown` renders the result (tables of both provers, chain verdicts, block
simulation); :func:`readme_section` is the shorter form kept in benchmarks/README.md;
:func:`write_outputs` writes the files of one run all together or not at all: they are
written into a fresh directory beside ``DIR`` which then takes ``DIR``'s place (an
atomic exchange where the OS has one), so a reader sees the previous run's files or
this run's, never a mix.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Optional

OUTPUT_NAMES = ("bench.json", "bench.md", "bench.png")
PNG_NAME = "bench.png"


def _s(x: Optional[float]) -> str:
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 0.01:
        return f"{x * 1e3:.0f} ms"
    return f"{x * 1e3:.1f} ms"


def _mb(b: Optional[int]) -> str:
    return "–" if b is None else f"{b / 2**20:,.0f} MB"


def _mark(ok: Optional[bool]) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def machine_line(result: dict[str, Any]) -> str:
    m = result["machine"]
    mem = f", {m['memory_gib']} GiB memory" if m.get("memory_gib") else ""
    sj = f", snarkjs {result['snarkjs']['version']}" if result.get("snarkjs") else ""
    load = m.get("load_average")
    shared = (f" Load average at the end of the run: {load[0]:g} on {m['usable_cores']} cores "
              "(other work shared the machine; times are longer than on an idle one)."
              if load and load[0] > m["usable_cores"] else "")
    kernels = ""
    if "native_kernels" in m:
        kernels = "; native kernels: " + (", ".join(m["native_kernels"]) or "portable C")
    return (f"Measured {result['date']} on {m['cpu_model']} ({m['usable_cores']} cores{mem}; "
            f"{m['os']}, Python {m['python']}{kernels}); zkmargin {result['zkmargin_version']}"
            f"{sj}." + shared)


def proving_table(result: dict[str, Any]) -> list[str]:
    """One row per circuit (margin shapes, then the ladder) with both provers."""
    sj = result.get("snarkjs") is not None
    head = ["circuit", "constraints", "witness", "prove, ours (min–max)"]
    if sj:
        head += ["prove, snarkjs (min–max)", "snarkjs / ours"]
    head += ["verify", "peak memory, ours" + (" / snarkjs" if sj else ""), "proof", "gas"]
    if sj:
        head.append("interop")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for e in result["shapes"] + result["ladder"]:
        o = e["provers"]["ours"]
        name = f"margin {e['name']}" if e["kind"] == "margin" else f"dense {e['name']}"
        row = [name, f"{e['constraints']:,}", _s(e["witness_s"]),
               f"{_s(o['prove_median_s'])} ({_s(o['prove_min_s'])}–{_s(o['prove_max_s'])})"]
        mem = _mb(o["peak_rss_bytes"])
        if sj:
            s = e["provers"]["snarkjs"]
            row += [f"{_s(s['prove_median_s'])} ({_s(s['prove_min_s'])}–{_s(s['prove_max_s'])})",
                    f"{e['snarkjs_over_ours']:.1f}x"]
            mem += f" / {_mb(s['peak_rss_bytes'])}"
        row += [_s(e["verify_s"]), mem, f"{e['proof_bytes']} B", f"{e['gas']:,}"]
        if sj:
            s = e["provers"]["snarkjs"]
            row.append("✓ both ways" if s["verified_by_ours"] and s["verifies_ours"]
                       else "✗")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def chains_table(result: dict[str, Any]) -> list[str]:
    """Per chain and margin shape: one proof within a block (ours / snarkjs), accounts
    per block on this machine (and on the cluster)."""
    shapes = result["shapes"]
    if not shapes:
        return []
    cluster = result.get("cluster_cores")
    head = ["chain", "block time"] + [f"{e['name']}: fits (ours / snarkjs), accounts per block"
                                      for e in shapes]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, c in enumerate(result["chains"]):
        row = [c["name"], f"{c['block_time_s']:g} s"]
        for e in shapes:
            v = e["chains"][i]
            cell = f"{_mark(v['ours_fits'])} / {_mark(v.get('snarkjs_fits'))}, " \
                   f"{v['accounts_per_block']}"
            if cluster:
                cell += f" ({v['cluster_accounts_per_block']:,} on {cluster} cores)"
            row.append(cell)
        lines.append("| " + " | ".join(row) + " |")
    return lines


def simulation_table(result: dict[str, Any]) -> list[str]:
    sim = result.get("block_simulation")
    if not sim:
        return []
    per = sim["per_block"]
    upd = sorted(r["oracle_update_s"] for r in per)[len(per) // 2]
    prv = sorted(r["prove_s"] for r in per)[len(per) // 2]
    plural = "s" if sim["blocks"] != 1 else ""
    lines = [f"{sim['blocks']} block{plural} on {sim['shape']}: per block an oracle update (new risk "
             f"book from a moved snapshot, median {_s(upd)}) then {sim['accounts_per_block']} "
             f"touched accounts proven with `prove_many` (median {_s(prv)}); work per block "
             f"median {_s(sim['work_median_s'])}.", "",
             "| chain | block time | keeps up | backlog at the end (blocks) | max delay "
             "| backlog growth |",
             "|---|---|---|---|---|---|"]
    for c in sim["chains"]:
        lines.append(f"| {c['chain']} | {c['block_time_s']:g} s | {_mark(c['keeps_up'])} | "
                     f"{c['backlog_blocks']} | {_s(c['max_delay_s'])} | "
                     f"{c['backlog_growth_per_block']:.2f} blocks/block |")
    return lines


FIGURES = """\
What the figures mean: *witness* is the time to compute the circuit's wire values
(for a margin shape: the engine's margin and the circuit's witness of the bundled
account named; median); *prove* is one Groth16 proof with the key already in memory,
median of the timed runs after a warm-up, each prover in its own process on the same
`.zkey` and `.wtns` (min–max in brackets); *snarkjs / ours* is the ratio of the
medians; *verify* is our native verifier on our proof; *peak memory* is the proving
process's peak resident memory (key, witness and buffers); *proof* is the A, B, C
points as the contract takes them; *gas* is the transaction calling the generated
Solidity verifier with that proof (replayed precompile by precompile); *interop*: each
prover's proof is accepted by the other's verifier.  A chain's *fits* means one
account's witness and proof take at most one block; *accounts per block* is
`prove_many` throughput on this machine times the block time (with `--cores N`, the
per-core figure times N: an estimate)."""


def markdown(result: dict[str, Any], png: Optional[str] = PNG_NAME,
             explain: bool = True) -> str:
    """``bench.md``: every table of the result; links ``png`` when one was written;
    ``explain`` adds what the figures mean."""
    out = ["# zkmargin benchmark", "", machine_line(result), ""]
    if result.get("command"):
        out += [f"Command: `{result['command']}`", ""]
    if png:
        out += [f"![prove time against constraints, block times of chains]({png})", ""]
    out += ["## Proving, ours and snarkjs" if result.get("snarkjs") else "## Proving", ""]
    out += proving_table(result) + [""]
    if result["shapes"]:
        out += ["## Chains", ""] + chains_table(result) + [""]
        out += ["## Block simulation", ""] + simulation_table(result) + [""]
    if explain:
        out += [FIGURES, ""]
    return "\n".join(out)


def readme_section(result: dict[str, Any], png: Optional[str] = None) -> str:
    """The generated part of benchmarks/README.md (same tables, headings one level down)."""
    body = markdown(result, png, explain=False).split("\n", 2)[2]
    return body.replace("\n## ", "\n### ")


def render_outputs(result: dict[str, Any]) -> tuple[dict[str, bytes], Optional[str]]:
    """The files of a run, and the reason ``bench.png`` is missing (None if present)."""
    from zkmargin.bench.plot import PlotUnavailable, render_png

    files: dict[str, bytes] = {"bench.json": (json.dumps(result, indent=1) + "\n").encode()}
    reason = None
    try:
        files[PNG_NAME] = render_png(result)
    except PlotUnavailable as exc:
        reason = str(exc)
    files["bench.md"] = markdown(result, PNG_NAME if PNG_NAME in files else None).encode()
    return files, reason


def check_output_dir(out: Path) -> None:
    """Refuse a ``DIR`` that is a file or holds files other than a previous run's
    (they would be lost when the new run's directory takes its place)."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: --out: exists and is not a directory")
    if out.is_dir():
        others = sorted(set(os.listdir(out)) - set(OUTPUT_NAMES))
        if others:
            raise ValueError(f"{out}: --out: holds other files ({', '.join(others[:3])}); "
                             "give a new or empty directory or a previous run's")


def write_outputs(out: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into directory ``out`` all together (see the module docstring)."""
    out = Path(out)
    check_output_dir(out)
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        for name, data in files.items():
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if not out.exists():
            os.rename(tmp, out)
            return
        if _exchange(tmp, out):
            shutil.rmtree(tmp)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
        os.rename(out, old / "d")
        os.rename(tmp, out)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where
    the call is not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    return rc == 0


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
