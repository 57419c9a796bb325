"""``zkmargin bench``: the whole run, from plan to figures.

:func:`plan` lists what will be measured and an estimate of how long it takes;
:func:`run_bench` measures it and returns the result dict written to ``bench.json``
(:mod:`zkmargin.bench.report` renders it):

* ``shapes``: per margin shape, a bundled account's witness (median), both provers on
  the shape's ``.zkey`` and that ``.wtns`` (:mod:`zkmargin.bench.measure`), the latency
  ``witness + prove`` of one account, the ``prove_many`` throughput and a verdict per
  chain (:mod:`zkmargin.bench.chains`);
* ``ladder``: the same figures for plain dense circuits of 2^p constraints
  (:mod:`zkmargin.bench.ladder`), with the development key's setup time;
* ``block_simulation``: ``blocks`` blocks of an oracle update and ``per_block``
  touched accounts, played against every chain (:mod:`zkmargin.bench.blocks`).
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from zkbase.jsonio import read_json

from zkmargin.bench import blocks as blockmod
from zkmargin.bench.chains import Chain, verdicts
from zkmargin.bench.keys import (STANDARD_SHAPES, ShapeKeys, fitting_accounts, parse_shape,
                                 shape_prover)
from zkmargin.bench.ladder import describe as describe_ladder
from zkmargin.bench.ladder import rung_constraints
from zkmargin.bench.machine import machine_info, usable_cores
from zkmargin.bench.measure import measure_proving
from zkmargin.bench.progress import Progress
from zkmargin.bench.provers import Snarkjs

FORMAT = "zkmargin-bench-1"
QUICK_MAX_POWER = 16

# Seconds per constraint on a 2-core machine, for the plan's estimate only.
_EST_OURS = 4e-5
_EST_SNARKJS = 2e-4
_EST_DEV_KEY = 8e-5
_EST_MARGIN_KEY = 2.5e-4
_EST_WITNESS_DENSE = 4e-6
_EST_WITNESS_MARGIN = 5e-5
_EST_PROCESS = 1.5


@dataclass
class BenchOptions:
    """What to measure (the CLI's options, validated)."""

    shapes: list[str]
    ladder: list[int]
    market: str = "default"
    keys: Optional[Path] = None
    snarkjs: Optional[Snarkjs] = None
    repeat: int = 5
    cluster_cores: Optional[int] = None
    chains: list[Chain] = field(default_factory=list)
    blocks: int = 3
    per_block: int = 4
    batch: int = 4
    workers: int = 2

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["keys"] = str(self.keys) if self.keys else None
        d["snarkjs"] = str(self.snarkjs.cli) if self.snarkjs else None
        d["chains"] = [c.name for c in self.chains]
        return d


def estimate_shape_constraints(name: str) -> int:
    """Rough constraint count of a shape before its keys exist (for the estimate)."""
    n, k = parse_shape(name)
    return 13_000 + 4_100 * n + 600 * k


def plan(opts: BenchOptions, keys: Sequence[ShapeKeys], missing_keys: Sequence[str]
         ) -> tuple[list[str], float, int]:
    """(lines describing the run, estimated seconds, number of progress steps)."""
    cores = max(1, usable_cores())
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    scale = 2 / cores * max(1.0, load / cores)  # other work shares the cores
    runs = opts.repeat + (1 if opts.repeat > 1 else 0)
    sj = opts.snarkjs is not None
    lines, total, steps = [], 0.0, 0
    sizes = {k.name: k.constraints for k in keys}
    for name in missing_keys:
        c = estimate_shape_constraints(name)
        total += c * _EST_MARGIN_KEY * scale
        steps += 1
    shape_list = []
    for name in opts.shapes:
        c = sizes.get(name) or estimate_shape_constraints(name)
        shape_list.append(f"{name} ({c:,})")
        total += c * runs * (_EST_OURS + (_EST_SNARKJS if sj else 0)) * scale \
            + c * _EST_WITNESS_MARGIN * (1 + min(opts.repeat, 3)) + _EST_PROCESS * (2 if sj else 1)
        total += c * (_EST_OURS * scale + _EST_WITNESS_MARGIN) * opts.batch
        steps += 2
    if opts.shapes:
        steps -= 1  # the first shape's throughput comes from the block simulation
    if opts.shapes:
        c = sizes.get(opts.shapes[0]) or estimate_shape_constraints(opts.shapes[0])
        total += opts.blocks * opts.per_block * c * (_EST_OURS * scale + _EST_WITNESS_MARGIN)
        steps += opts.blocks
    for p in opts.ladder:
        c = rung_constraints(p)
        total += c * (_EST_DEV_KEY * scale + _EST_WITNESS_DENSE * 3) \
            + c * runs * (_EST_OURS + (_EST_SNARKJS if sj else 0)) * scale \
            + _EST_PROCESS * (2 if sj else 1)
        steps += 2
    provers = "ours and snarkjs " + opts.snarkjs.version if sj else "ours"
    lines.append(f"provers: {provers}; prove time = median of {opts.repeat} runs after a "
                 "warm-up, each prover in its own process on the same .zkey/.wtns")
    lines.append("margin shapes: " + (", ".join(shape_list) or "none")
                 + (f" (keys to make first: {', '.join(missing_keys)})" if missing_keys else ""))
    lines.append(f"ladder: dense circuits {describe_ladder(opts.ladder)}")
    if opts.shapes:
        lines.append(f"throughput: prove_many of {opts.batch} accounts per shape; block "
                     f"simulation: {opts.blocks} blocks x (oracle update + {opts.per_block} "
                     f"accounts) on {opts.shapes[0]} (its throughput)")
    lines.append("chains: " + ", ".join(f"{c.name} {c.block_time_s:g} s" for c in opts.chains))
    return lines, total, steps


def _median_time(fn, runs: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(max(1, runs)):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def _prover_verdicts(entry: dict[str, Any], opts: BenchOptions,
                     throughput: Optional[float]) -> list[dict[str, Any]]:
    """Chain rows for one measured circuit: each prover's one-proof verdict, and for a
    margin shape the accounts per block (here and on the cluster)."""
    ours = entry["witness_s"] + entry["provers"]["ours"]["prove_median_s"]
    rows = verdicts(ours, throughput or 0.0, usable_cores(), opts.chains,
                    opts.cluster_cores if throughput else None)
    for row in rows:
        row["ours_fits"] = row.pop("one_proof_fits")
        if throughput is None:
            row.pop("accounts_per_block")
        sj = entry["provers"].get("snarkjs")
        if sj:
            row["snarkjs_fits"] = entry["witness_s"] + sj["prove_median_s"] <= row["block_time_s"]
    return rows


def measure_shape(shape: ShapeKeys, book, accounts: list, opts: BenchOptions, work: Path,
                  progress: Progress, loaded: dict) -> tuple[dict[str, Any], Any]:
    """One margin shape: witness, both provers, verify, gas (and its loaded prover)."""

    from circuits import write_wtns
    from circuits.margin import MarginShape, margin_witness

    prover = shape_prover(shape, loaded)
    circuit_shape = MarginShape.from_book(book, shape.N, shape.K)
    fit = fitting_accounts(shape, accounts)
    if not fit:
        raise ValueError(f"shapes: {shape.name}: no bundled account fits it")
    account = max(fit, key=lambda a: (len(a.positions) + len(a.collateral)))
    progress.start(f"{shape.name}: witness of {account.name} and proofs")
    witness_s, (witness, _) = _median_time(
        lambda: margin_witness(circuit_shape, shape.statement, book, account),
        min(opts.repeat, 3))
    d = work / shape.name
    d.mkdir()
    write_wtns(d / "witness.wtns", witness)
    vk = read_json(shape.directory / "verification_key.json")
    m = measure_proving(shape.name, shape.directory / "margin.zkey", d / "witness.wtns", vk,
                        opts.repeat, d, opts.snarkjs)
    entry = {"kind": "margin", "name": shape.name, "N": shape.N, "K": shape.K,
             "statement": shape.statement, "constraints": shape.constraints,
             "account": account.name, "witness_s": witness_s, **m}
    entry["latency_s"] = witness_s + m["provers"]["ours"]["prove_median_s"]
    progress.done(_entry_detail(entry))
    return entry, prover


def _entry_detail(entry: dict[str, Any]) -> str:
    ours = entry["provers"]["ours"]["prove_median_s"]
    text = f"{entry['constraints']:,} constraints, ours {ours:.2f} s"
    if "snarkjs" in entry["provers"]:
        text += (f", snarkjs {entry['provers']['snarkjs']['prove_median_s']:.2f} s "
                 f"({entry['snarkjs_over_ours']:.1f}x)")
    return text


def measure_rung(power: int, opts: BenchOptions, work: Path, progress: Progress
                 ) -> dict[str, Any]:
    """One ladder rung: witness, development key, both provers, verify, gas."""
    from circuits import write_wtns
    from prover.files import save_zkey
    from prover.ceremony import draw_toxic_waste
    from prover.dev_keys import dev_zkey_contributed
    from prover.formats import verification_key_json
    from zkmargin.bench.ladder import dense_r1cs, dense_witness

    n = rung_constraints(power)
    progress.start(f"2^{power}: witness and development key")
    witness_s, witness = _median_time(lambda: dense_witness(n, power), min(opts.repeat, 3))
    t = time.perf_counter()
    # one contribution (delta != gamma) as a deployed key has: the gas figure is exact
    zkey = dev_zkey_contributed(dense_r1cs(n), draw_toxic_waste(), "zkmargin bench")
    d = work / f"ladder{power}"
    d.mkdir()
    save_zkey(d / "circuit.zkey", zkey)
    setup_s = time.perf_counter() - t
    write_wtns(d / "witness.wtns", witness)
    vk = verification_key_json(zkey)
    del zkey, witness
    progress.done(f"{n:,} constraints, key in {setup_s:.1f} s")
    progress.start(f"2^{power}: proofs")
    m = measure_proving(f"2^{power}", d / "circuit.zkey", d / "witness.wtns", vk, opts.repeat,
                        d, opts.snarkjs)
    entry = {"kind": "ladder", "name": f"2^{power}", "power": power, "constraints": n,
             "witness_s": witness_s, "setup_s": setup_s, **m}
    entry["latency_s"] = witness_s + m["provers"]["ours"]["prove_median_s"]
    entry["chains"] = _prover_verdicts(entry, opts, None)
    progress.done(_entry_detail(entry))
    for f in ("circuit.zkey", "witness.wtns"):
        (d / f).unlink()
    return entry


def run_bench(opts: BenchOptions, keys: Sequence[ShapeKeys], book, snapshot: dict[str, Any],
              accounts: list, progress: Progress) -> dict[str, Any]:
    """Measure everything in ``opts`` (keys already made); the ``bench.json`` dict."""
    from zkbase import __version__

    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    by_name = {k.name: k for k in keys}
    shapes, provers, loaded = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="zkmargin-bench.") as tmp:
        work = Path(tmp)
        for name in opts.shapes:
            entry, provers[name] = measure_shape(by_name[name], book, accounts, opts, work,
                                                 progress, loaded)
            shapes.append(entry)
        simulation = None
        if shapes:
            first = shapes[0]["name"]
            sim_prover = provers[first]
            sim_accounts = fitting_accounts(by_name[first], accounts)

            def prove_many(accts: list, b) -> list:
                return sim_prover.prove_many(accts, b, workers=opts.workers)

            progress_block = [0]

            def on_block(b: int, w: float) -> None:
                progress.done(f"{w:.2f} s of work")
                progress_block[0] = b + 1
                if b + 1 < opts.blocks:
                    progress.start(f"block {b + 2}/{opts.blocks}: oracle update + "
                                   f"{opts.per_block} accounts ({first})")

            progress.start(f"block 1/{opts.blocks}: oracle update + {opts.per_block} "
                           f"accounts ({first})")
            sim = blockmod.run_blocks(prove_many, snapshot, sim_accounts, opts.blocks,
                                      opts.per_block, on_block)
            work_s = [r["work_s"] for r in sim["per_block"]]
            sim["shape"] = first
            sim["chains"] = [{"chain": c.name, "block_time_s": c.block_time_s,
                              **blockmod.simulate(work_s, c.block_time_s)}
                             for c in opts.chains]
            simulation = sim
        for entry in shapes:
            name = entry["name"]
            if simulation and name == simulation["shape"]:
                prove_s = sum(r["prove_s"] for r in simulation["per_block"])
                n_acc = simulation["blocks"] * simulation["accounts_per_block"]
                tp = {"accounts": n_acc, "wall_s": prove_s, "throughput_per_s": n_acc / prove_s,
                      "from": "block simulation"}
                entry["throughput"] = {**tp, "workers": opts.workers,
                                       "per_core_per_s": tp["throughput_per_s"] / usable_cores()}
                entry["chains"] = _prover_verdicts(entry, opts, tp["throughput_per_s"])
                continue
            fit = fitting_accounts(by_name[name], accounts)
            batch = [fit[i % len(fit)] for i in range(opts.batch)]
            progress.start(f"{name}: prove_many of {len(batch)} accounts")
            tp = blockmod.measure_throughput(
                lambda a, b, p=provers[name]: p.prove_many(a, b, workers=opts.workers),
                batch, book)
            entry["throughput"] = {**tp, "workers": opts.workers,
                                   "per_core_per_s": tp["throughput_per_s"] / usable_cores()}
            entry["chains"] = _prover_verdicts(entry, opts, tp["throughput_per_s"])
            progress.done(f"{tp['throughput_per_s']:.2f} accounts/s")
        provers.clear()
        loaded.clear()
        ladder = [measure_rung(p, opts, work, progress) for p in opts.ladder]
    return {
        "format": FORMAT, "date": started.isoformat(timespec="seconds"),
        "duration_s": time.perf_counter() - t0, "zkmargin_version": __version__,
        "machine": machine_info(),
        "snarkjs": {"version": opts.snarkjs.version, "path": str(opts.snarkjs.cli)}
        if opts.snarkjs else None,
        "options": opts.to_json(),
        "chains": [c.to_json() for c in opts.chains],
        "cluster_cores": opts.cluster_cores,
        "shapes": shapes, "ladder": ladder, "block_simulation": simulation,
    }


def default_shapes(quick: bool) -> list[str]:
    """``--shapes all`` without a key set: the standard shapes (``--quick``: those up
    to about 2^16 constraints)."""
    if not quick:
        return list(STANDARD_SHAPES)
    return [s for s in STANDARD_SHAPES if estimate_shape_constraints(s) <= 1 << QUICK_MAX_POWER]
