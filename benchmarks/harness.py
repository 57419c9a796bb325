"""Shared helpers of the benchmark scripts: timing, run environment and result files.

Timings are reported as the minimum (the figure least disturbed by other load) next to
the median, and every benchmark compares against a reference measured in the same run.
Every result file records when and where it was measured (:func:`environment`), and
``benchmarks/tables.py`` renders the documentation's tables from these files.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import native
from zkbase.files import atomic_write_text

ROOT = Path(__file__).resolve().parent.parent


def timeit(fn: Callable[[], object], reps: int) -> tuple[float, float]:
    """(min, median) wall time in ms of ``reps`` calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e3)
    return min(samples), statistics.median(samples)


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git_commit() -> str | None:
    """The short commit id of the measured code (``+`` when tracked files other than the
    results differ from it)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                ".", ":!benchmarks/results"],
                               cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def environment() -> dict[str, Any]:
    """When and where a benchmark ran: UTC time, CPU, core count, Python, load, commit,
    and the native kernels in use."""
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": _cpu_model(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "system": platform.system(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "commit": _git_commit(), "native_kernels": native.kernels()}


def write_results(path: str | Path, result: dict[str, Any]) -> None:
    """Write a benchmark's JSON, with its :func:`environment`, atomically."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {**result, "python": platform.python_version(), "machine": platform.machine(),
              "environment": environment()}
    atomic_write_text(out, json.dumps(record, indent=1) + "\n")
