"""Running the two provers on the same ``.zkey``/``.wtns`` in child processes.

Each prover runs in a fresh process (:mod:`zkmargin.bench.worker` for ours,
``snarkjs_worker.cjs`` under node for snarkjs) that loads the key and witness once,
proves once untimed (a warm-up, skipped when ``repeat`` is 1) and then ``repeat`` times.  A small launcher forks the
worker and reads its peak resident memory with ``os.wait4``: a child forked straight
from the (large) benchmark process would report our own high-water mark instead.

Figures per prover: ``prove_median_s``, ``prove_min_s``, ``prove_max_s`` over the timed
runs, ``peak_rss_bytes`` of the worker process, ``load_s`` (reading the key and witness;
not part of the prove time) and the proof it made (``proof.json``/``public.json``).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from zkbase.jsonio import read_json

ROOT = Path(__file__).resolve().parents[2]
WORKER_JS = Path(__file__).with_name("snarkjs_worker.cjs")
REPO_SNARKJS = ROOT / "tests" / "js" / "node_modules" / ".bin" / "snarkjs"

# A fresh interpreter forks the measured command and reports its ru_maxrss: a child
# forked straight from a large process would inherit that process's RSS high-water mark
# across exec (Linux keeps it in the signal struct), inflating the figure.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nMAXRSS_KB {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


class ProverRunError(RuntimeError):
    """A prover worker exited with an error (its output is in the message)."""


@dataclass(frozen=True)
class Snarkjs:
    """A snarkjs installation: the CLI path given/found and its package directory."""

    cli: Path
    package_dir: Path
    version: str


def find_snarkjs(explicit: Optional[str] = None) -> Snarkjs:
    """snarkjs from ``explicit`` (a CLI path or package directory), else the first
    ``snarkjs`` on PATH, else the repository's pinned test tools
    (``tests/js/node_modules/.bin/snarkjs`` beside this package, then under the
    current directory).  Raises FileNotFoundError saying where
    it looked."""
    if shutil.which("node") is None:
        raise FileNotFoundError("node is not on PATH (snarkjs needs Node.js >= 18)")
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    else:
        on_path = shutil.which("snarkjs")
        if on_path:
            candidates.append(Path(on_path))
        candidates.append(REPO_SNARKJS)
        # an installed (non-editable) zkmargin run from a checkout with the test tools
        candidates.append(Path.cwd() / "tests" / "js" / "node_modules" / ".bin" / "snarkjs")
    for cand in candidates:
        real = cand.resolve()
        for pkg in (real, *real.parents[:3]):
            meta = pkg / "package.json"
            if meta.is_file():
                try:
                    info = json.loads(meta.read_text())
                except (OSError, ValueError):
                    continue
                if info.get("name") == "snarkjs":
                    return Snarkjs(cand, pkg, str(info.get("version", "?")))
        if explicit:
            raise FileNotFoundError(f"{explicit}: not a snarkjs CLI or package directory")
    raise FileNotFoundError("snarkjs not found on PATH nor in tests/js/node_modules "
                            "(`npm ci --prefix tests/js`, or --snarkjs PATH)")


def run_measured(cmd: list[str], timeout: float | None = None) -> tuple[str, int]:
    """(stdout, peak RSS in bytes) of ``cmd`` run in a clean child process."""
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": _pythonpath()})
    if proc.returncode != 0 or "MAXRSS_KB" not in proc.stderr:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-8:]
        raise ProverRunError(f"{' '.join(cmd[:3])} ... failed ({proc.returncode}): "
                             + " | ".join(tail))
    rss_kb = int(proc.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0])
    return proc.stdout, rss_kb * 1024


def _pythonpath() -> str:
    """Make the worker import this very tree (a source checkout or an installed one)."""
    extra = os.environ.get("PYTHONPATH")
    return f"{ROOT}{os.pathsep}{extra}" if extra else str(ROOT)


def _summary(report: dict[str, Any], rss: int, out: Path) -> dict[str, Any]:
    runs = [float(x) for x in report["runs"]]
    return {
        "prove_median_s": statistics.median(runs), "prove_min_s": min(runs),
        "prove_max_s": max(runs), "runs": len(runs), "warmup_s": report["warmup_s"],
        "load_s": report["load_s"], "peak_rss_bytes": rss,
        "proof": read_json(out / "proof.json"),
        "public": read_json(out / "public.json"),
    }


def prove_ours(zkey: Path, wtns: Path, repeat: int, out: Path) -> dict[str, Any]:
    """Our prover on ``zkey``/``wtns`` (see the module docstring for the figures)."""
    out.mkdir(parents=True, exist_ok=True)
    stdout, rss = run_measured([sys.executable, "-m", "zkmargin.bench.worker", str(zkey),
                                str(wtns), str(repeat), str(out)])
    report = json.loads(stdout.strip().splitlines()[-1])
    summary = _summary(report, rss, out)
    summary["timings"] = report.get("timings", {})
    return summary


def prove_snarkjs(snarkjs: Snarkjs, zkey: Path, wtns: Path, repeat: int, out: Path,
                  cross: Optional[tuple[Path, Path, Path]] = None) -> dict[str, Any]:
    """snarkjs on the same files; with ``cross = (vk, proof, public)`` it also runs
    ``snarkjs.groth16.verify`` on that proof (``verifies_other``)."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = ["node", str(WORKER_JS), str(snarkjs.package_dir), str(zkey), str(wtns),
           str(repeat), str(out)]
    if cross:
        cmd += [str(p) for p in cross]
    stdout, rss = run_measured(cmd)
    report = json.loads(stdout.strip().splitlines()[-1])
    summary = _summary(report, rss, out)
    summary["version"] = report.get("snarkjs_version", snarkjs.version)
    if "verifies_other" in report:
        summary["verifies_other"] = bool(report["verifies_other"])
    return summary
