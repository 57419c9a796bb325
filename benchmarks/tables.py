"""The documentation's benchmark tables, rendered from the result files.

Every benchmark script writes a JSON file under ``benchmarks/results/`` (the run's rows
plus its :func:`benchmarks.harness.environment`: UTC date, CPU, cores, Python, load
average, commit).  Those files are kept in the repository: they are the published
measurements.  A Markdown file shows a table by enclosing it in a marked block::

    <!-- benchmark-table: bench_native -->
    (generated; do not edit)
    <!-- end benchmark-table -->

and this script rewrites every such block from ``benchmarks/results/bench_native.json``,
with a line saying when and on what machine the numbers were measured.

    python -m benchmarks.tables            # rewrite the blocks in README.md and docs/
    python -m benchmarks.tables --check    # exit 1 if a block differs from its JSON

A missing result file or an unknown table name is an error (exit 2): a table in the
documentation always comes from a file in the repository.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

from zkbase.files import atomic_write_text

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

BLOCK = re.compile(r"(<!-- benchmark-table: (?P<name>[\w-]+) -->\n)(?P<body>.*?)"
                   r"(<!-- end benchmark-table -->)", re.S)

Row = dict[str, Any]


class TableError(Exception):
    """A block names a table that cannot be rendered (unknown name, missing JSON)."""


# --- formatting -----------------------------------------------------------------------

def _ms(v: float | None) -> str:
    """A time given in milliseconds, in ms below one second and in s above."""
    if v is None:
        return "–"
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    return f"{v:.3g} ms" if v < 10 else f"{v:.0f} ms"


def _s(v: float | None) -> str:
    """A time given in seconds."""
    return "–" if v is None else (f"{v:.2f}" if v < 100 else f"{v:.0f}")


def _x(v: float | None) -> str:
    """A ratio."""
    if v is None:
        return "–"
    return f"{v:.1f}×" if v < 10 else f"{v:,.0f}×"


def _int(v: int | float | None) -> str:
    """An integer with thousands separators."""
    return "–" if v is None else f"{round(v):,}"


def _pow2(k: int) -> str:
    """2^k as Markdown."""
    return f"2^{k}"


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A Markdown table; columns in ``right`` are right-aligned."""
    right = right if right is not None else set(range(1, len(header)))
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def environment_line(result: dict[str, Any], source: str) -> str:
    """"Measured DATE on CPU (N cores, Python V), load average L, commit C" for a result."""
    env = result.get("environment") or result.get("meta", {}).get("environment") or {}
    meta = result.get("meta", {})
    date = env.get("date", "an unrecorded date")
    cpu = env.get("cpu") or env.get("machine") or meta.get("machine") or result.get("machine")
    cpus = env.get("cpus") or meta.get("cpus") or result.get("cpus")
    python = env.get("python") or meta.get("python") or result.get("python")
    parts = [f"{cpus} cores" if cpus else None, f"Python {python}" if python else None]
    where = f"{cpu} ({', '.join(p for p in parts if p)})" if cpu else "an unrecorded machine"
    load = env.get("load_average") or result.get("load_average_at_end")
    extra = []
    if load:
        extra.append("load average " + " / ".join(f"{x:.1f}" for x in load))
    if env.get("commit"):
        extra.append(f"commit `{env['commit']}`")
    if "native_kernels" in env:
        extra.append("native kernels: " + (", ".join(env["native_kernels"]) or "portable C"))
    tail = ("; " + ", ".join(extra)) if extra else ""
    line = f"*Measured {date} on {where}{tail}. Source: `{source}`.*"
    if load and cpus and load[0] > 1.5 * cpus:
        line += ("\n*Other work was running (load average above the core count): absolute times "
                 "are inflated; the ratios to the reference measured in the same run are the "
                 "figures to compare.*")
    return line


# --- one renderer per benchmark ---------------------------------------------------------

_NATIVE_NAMES = {"fr_mul": "Fr mul (vector)", "ntt": "NTT", "g1_msm": "G1 MSM",
                 "g2_msm": "G2 MSM"}


def native_table(result: dict[str, Any]) -> str:
    """bench_native.json: C time, ns per element and speed-up over the Python fallback."""
    rows = []
    for r in result["rows"]:
        if r["primitive"] not in _NATIVE_NAMES and r["primitive"] != "pairing_check4":
            raise TableError(f"bench_native: unknown primitive {r['primitive']!r}")
        if r["primitive"] in _NATIVE_NAMES:
            name, n = _NATIVE_NAMES[r["primitive"]], _pow2(r["log_n"])
            per = f"{r['ns_per_elem']:,.1f}" if r["ns_per_elem"] < 100 else f"{r['ns_per_elem']:,.0f}"
            speed = _x(r.get("speedup"))
        else:
            name, n, per, speed = "pairing check, 4 pairs", "4", "–", "–"
        goal = f"≤ {_ms(r['goal_ms'])}" if r.get("goal_ms") else ""
        met = ("yes" if r["c_ms"] <= r["goal_ms"] else "no") if r.get("goal_ms") else ""
        rows.append([name, n, _ms(r["c_ms"]), per, speed, goal, met])
    return _table(["primitive", "n", "C time", "ns / element", "speed-up vs Python fallback",
                   "goal", "met"], rows, right={1, 2, 3, 4})


def pairing_table(result: dict[str, Any]) -> str:
    """bench_pairing.json: C min / median against py_ecc, per operation and pair count."""
    rows = []
    for r in result["rows"]:
        goal = f"≤ {_ms(r['goal_ms'])}" if r.get("goal_ms") else ""
        met = ("yes" if r["c_ms"] <= r["goal_ms"] else "no") if r.get("goal_ms") else ""
        rows.append([r["op"].replace("_", " "), str(r["k"]), f"{r['c_ms']:.2f}",
                     f"{r['c_median_ms']:.2f}", _int(r.get("python_ms")),
                     _x(r.get("speedup")), goal, met])
    return _table(["operation", "pairs", "C min (ms)", "C median (ms)", "py_ecc (ms)",
                   "speed-up", "goal", "met"], rows, right={1, 2, 3, 4, 5})


def verify_table(result: dict[str, Any]) -> str:
    """bench_verify.json: verification time (native, py_ecc) and gas (ours, snarkjs)."""
    rows = []
    for r in result["rows"]:
        native = (f"{r['native_min_ms']:.2f} / {r['native_median_ms']:.2f}"
                  if "native_min_ms" in r else "–")
        rows.append([str(r["n_public"]), native, _int(r["py_ecc_min_ms"]), _x(r.get("speedup")),
                     _int(r["gas_ours"]), _int(r["gas_snarkjs"]), _int(r["gas_saved"]),
                     "exact" if r["prediction_exact"] else "differs"])
    return _table(["public inputs", "native verify, min / median (ms)", "py_ecc (ms)",
                   "speed-up", "gas, ours", "gas, snarkjs", "saved", "gas model vs EVM"],
                  rows, right={0, 1, 2, 3, 4, 5, 6})


def prove_table(result: dict[str, Any]) -> str:
    """bench_prove.json: our prover against snarkjs on the same files, and the ceremony."""
    rows = []
    for r in result["rows"]:
        k = str(r["power"]) if r["kind"] != "margin" else "margin"
        rows.append([k, r["kind"], _int(r["constraints"]), f"{r['zkey_mb']:.1f}",
                     _s(r["ours_s"]), _s(r.get("snarkjs_s")), _x(r.get("speedup")),
                     _int(r["ours_rss_mb"]), f"{r['rss_over_zkey']:.2f}",
                     _int(r.get("snarkjs_rss_mb")),
                     {True: "yes", False: "no", None: "–"}[r.get("snarkjs_verifies_ours")]])
    text = _table(["domain 2^k", "witness", "constraints", "zkey MB", "ours (s)",
                   "snarkjs (s)", "speed-up", "our peak RSS MB", "RSS / zkey",
                   "snarkjs RSS MB", "snarkjs verifies ours"], rows, right={2, 3, 4, 5, 6, 7, 8, 9})
    cer = result.get("dev_ceremony")
    if cer:
        text += (f"\n\nDevelopment ceremony (`zkmargin setup --dev --power {cer['power']}`): "
                 f"{cer['seconds']:.2f} s, ptau {cer['ptau_mb']:.0f} MB, "
                 f"peak RSS {cer['rss_mb']:.0f} MB.")
    return text


def engine_table(result: dict[str, Any]) -> str:
    """bench_engine.json: the oracle update (snapshot to book) and margins per second."""
    parts = []
    updates = result.get("oracle_update")
    if updates:
        goals = result.get("goal_update_s", {})
        def split(u: Row, key: str) -> str:  # older result files lack the split
            return _ms(u[key] * 1e3) if key in u else "–"

        rows = [[name.replace("_", " "), _int(u["instruments"]), _ms(u["first_s"] * 1e3),
                 _ms(u["best_s"] * 1e3), _ms(u["median_s"] * 1e3),
                 split(u, "parse_median_s"), split(u, "build_median_s"),
                 _ms(u["hashing_median_s"] * 1e3), _ms(u["cpu_median_s"] * 1e3),
                 f"≤ {_ms(goals[name] * 1e3)}" if name in goals else ""]
                for name, u in updates.items()]
        parts.append(_table(["oracle update (snapshot → book)", "instruments", "first", "best",
                             "median", "parse (median)", "build (median)", "hashing (median)",
                             "CPU (median)", "goal"], rows, right={1, 2, 3, 4, 5, 6, 7, 8}))
    else:
        head = (f"Risk book: {result['instruments']} instruments, S = {result['S']}, "
                f"H = {result['H']}; build {_ms(result['build_seconds'] * 1e3)}")
        if result.get("commitment_seconds") is not None:
            head += f", commitments {_ms(result['commitment_seconds'] * 1e3)}"
        parts.append(head + ".")
    rows = [[str(r["positions"]), _int(r["full_per_s"]), _int(r["bare_per_s"]),
             _int(r["naive_per_s"]), _x(r["full_vs_naive"]),
             f"≥ {_int(result['goal_16_per_s'])}" if r["positions"] == 16 else ""]
            for r in result["margin"]]
    parts.append(_table(["positions", "margins/s, full report", "margins/s, requirement only",
                         "direct reading of the spec /s", "full vs direct", "goal"], rows,
                        right={0, 1, 2, 3, 4}))
    return "\n\n".join(parts)


def circuits_table(result: dict[str, Any]) -> str:
    """bench_circuits.json: builder phases and constraints per second with the witness."""
    rows = [[r["circuit"], _int(r["constraints"]), _s(r["shape_s"]), _s(r["witness_s"]),
             _int(r["constraints_per_s"]), _s(r["native_s"]), _x(r["vs_native"]),
             _s(r["check_s"]), _s(r["export_s"]), _s(r["write_s"])]
            for r in result["rows"]]
    return _table(["circuit", "constraints", "constraints only (s)", "with witness (s)",
                   "constraints/s", "plain Python (s)", "vs plain", "check (s)", "export (s)",
                   "write (s)"], rows)


def margin_shapes_table(result: dict[str, Any]) -> str:
    """bench_margin_circuit.json (shape ladder form): per shape, per account, batches."""
    def schedules(r: Row) -> str:  # older result files time one schedule only
        if "prove_lanes_s" not in r:
            return "–"
        return f"{_ms(r['prove_lanes_s'] * 1e3)} / {_ms(r['prove_shared_s'] * 1e3)}"

    rows = [[r["shape"], _int(r["constraints"]), _pow2(r["domain_power"]),
             _ms(r["witness_s"] * 1e3), _ms(r["witness_python_s"] * 1e3)
             if "witness_python_s" in r else "–", _ms(r["witness_builder_s"] * 1e3),
             _ms(r["prove_s"] * 1e3), schedules(r), f"{100 * r['witness_over_prove']:.0f} %",
             _ms(r["verify_ms"]), f"{r['peak_rss_mib']:.0f} MiB"] for r in result["shapes"]]
    parts = [_table(["shape", "constraints", "domain", "witness", "witness (Python replay)",
                     "witness (builder)", "prove", "prove: lanes / shared schedule",
                     "witness / prove", "verify", "peak memory"], rows)]
    accounts = [[r["account"], str(r["positions"]), str(r["collateral"]), r["shape"],
                 _ms(r["latency_s"] * 1e3)] for r in result.get("accounts", [])]
    if accounts:
        parts.append(_table(["bundled account", "positions", "collateral", "shape",
                             "witness + proof"], accounts, right={1, 2, 4}))
    labels = {"one_after_another": "one after another (`prove` in a loop)",
              "prove_many_sequential": "`prove_many`, sequential schedule",
              "prove_many_pipelined": "`prove_many`, pipelined schedule"}
    batch = result.get("throughput_per_s", {})
    if batch:
        parts.append(_table([f"{len(result.get('batch', []))} bundled accounts at n4k2",
                             "proofs/s"],
                            [[labels.get(k, k), f"{v:.2f}"] for k, v in batch.items()]))
    return "\n\n".join(parts)


def margin_circuit_table(result: dict[str, Any]) -> str:
    """bench_margin_circuit.json: the shape ladder form, or per statement (builder phases)."""
    if "shapes" in result:
        return margin_shapes_table(result)
    rows = [[r["statement"], f"{r['N']} / {r['K']}", _int(r["constraints"]), _int(r["wires"]),
             _s(r["shape_s"]), _s(r["inputs_s"]), _s(r["witness_s"]),
             _int(r["constraints_per_s"]), _s(r["check_s"]), _s(r["export_s"]),
             _ms(1e3 * (r["engine_s"] + r["engine_commitment_s"]))]
            for r in result["rows"]]
    text = _table(["statement", "N / K", "constraints", "wires", "constraints only (s)",
                   "private inputs (s)", "with witness (s)", "constraints/s", "check (s)",
                   "export (s)", "engine + commitment"], rows)
    if result.get("book_trees_s") is not None:
        text += f"\n\nBook trees and commitment, once per book: {result['book_trees_s']:.2f} s."
    return text


_SERVICE_ROWS = (
    ("in_process", "in process, `prove_many` (one after another)"),
    ("in_process_threads", "in process, {workers} threads calling `prove`"),
    ("per_core", "in process, 1 native thread per proof (per core)"),
    ("http", "HTTP, `POST /v1/prove` from {concurrency} clients, {workers} workers"),
    ("http_batch", "HTTP, one `POST /v1/prove-batch`, {workers} workers"),
    ("ray_1", "Ray, 1 actor, `prove_many(ray=True)`"),
)


def service_table(result: dict[str, Any]) -> str:
    """bench_service.json: proofs/s by configuration, HTTP and Ray against in process,
    request latency and the cluster estimate."""
    rows = []
    keys = [k for k, _ in _SERVICE_ROWS] + sorted(
        k[:-len("_per_s")] for k in result if k.startswith("ray_") and k.endswith("_per_s")
        and k != "ray_1_per_s")
    labels = dict(_SERVICE_ROWS)
    for key in keys:
        rate = result.get(f"{key}_per_s")
        if rate is None:
            continue
        label = labels.get(key) or f"Ray, {key.split('_')[1]} actors"
        label = label.format(workers=result["workers"], concurrency=result["concurrency"])
        rows.append([label, f"{rate:.3f}", f"{1000 / rate:,.0f}"])
    text = _table(["configuration", "proofs/s", "ms / proof"], rows)
    lat = result["http_latency_s"]
    text += (f"\n\n{result['proofs']} proofs per round ({', '.join(result['shapes'])}), best of "
             f"{result['rounds']} interleaved rounds. HTTP against in process (median of the "
             f"per-round ratios): **{result['http_vs_in_process']:.0%}** (goal ≥ 90 %); "
             f"request latency p50 {lat['p50']:.1f} s, p90 {lat['p90']:.1f} s, "
             f"p99 {lat['p99']:.1f} s.")
    if "ray_overhead_per_proof" in result:
        text += (f" Ray overhead per proof (one actor against `prove_many`): "
                 f"**{result['ray_overhead_per_proof']:+.1%}** (goal ≤ 10 %).")
    est = result["cluster_estimate"]
    text += (f" Per core {result['per_core_per_s'] * 12:.1f} proofs per 12 s block; estimate: "
             + ", ".join(f"{c} cores {v['proofs_per_block']:,.0f}" for c, v in est.items())
             + " proofs per 12 s block.")
    return text


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "bench_native": native_table,
    "bench_pairing": pairing_table,
    "bench_verify": verify_table,
    "bench_prove": prove_table,
    "bench_engine": engine_table,
    "bench_circuits": circuits_table,
    "bench_margin_circuit": margin_circuit_table,
    "bench_service": service_table,
}


def render(name: str, results: Path = RESULTS) -> str:
    """The generated body of block ``name``: the environment line and the table."""
    if name not in RENDERERS:
        raise TableError(f"unknown benchmark table {name!r} (known: {', '.join(RENDERERS)})")
    path = results / f"{name}.json"
    try:
        result = json.loads(path.read_text())
    except FileNotFoundError:
        raise TableError(f"{path.relative_to(ROOT)} is missing: run benchmarks/{name}.py") from None
    source = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    return environment_line(result, source) + "\n\n" + RENDERERS[name](result) + "\n"


def rewrite(text: str, results: Path = RESULTS) -> str:
    """``text`` with every benchmark-table block regenerated."""
    return BLOCK.sub(lambda m: m.group(1) + render(m.group("name"), results) + m.group(4), text)


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or, with --check, compare) every block in README.md and docs/*.md."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a block is out of date")
    ap.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README, docs)")
    args = ap.parse_args(argv)
    stale = []
    for path in args.files or DOCS:
        text = path.read_text()
        try:
            new = rewrite(text)
        except TableError as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return 2
        if new != text:
            stale.append(path)
            if not args.check:
                atomic_write_text(path, new)
    for path in stale:
        print(f"{'out of date' if args.check else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
