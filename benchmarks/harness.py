"""Shared helpers of the benchmark scripts: timing and result files.

The machine is shared and noisy, so timings are reported as the minimum (the figure
least disturbed by other load) next to the median, and every benchmark compares
against a reference measured in the same run.
"""
from __future__ import annotations

import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any, Callable

from zkbase.files import atomic_write_text


def timeit(fn: Callable[[], object], reps: int) -> tuple[float, float]:
    """(min, median) wall time in ms of ``reps`` calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e3)
    return min(samples), statistics.median(samples)


def write_results(path: str | Path, result: dict[str, Any]) -> None:
    """Write a benchmark's JSON (with the Python version and machine) atomically."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {**result, "python": platform.python_version(), "machine": platform.machine()}
    atomic_write_text(out, json.dumps(record, indent=1) + "\n")
