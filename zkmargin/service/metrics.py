"""Counters and latency quantiles of the service, rendered in Prometheus text format.

Latencies are kept for the last ``window`` proofs; quantile q of n sorted samples is
the sample at index ``min(n - 1, floor(q * n))`` (nearest rank).  ``_sum`` and
``_count`` of a summary cover every proof since start, as Prometheus expects.
"""
from __future__ import annotations

import threading
from collections import Counter, deque
from typing import Iterable

QUANTILES = (0.5, 0.9, 0.99)


def quantile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank quantile of an ascending list (0.0 for an empty one)."""
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


class _Summary:
    def __init__(self, window: int):
        self.samples: deque[float] = deque(maxlen=window)
        self.total = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        self.samples.append(seconds)
        self.total += seconds
        self.count += 1

    def lines(self, name: str, help_text: str) -> list[str]:
        ordered = sorted(self.samples)
        out = [f"# HELP {name} {help_text}", f"# TYPE {name} summary"]
        out += [f'{name}{{quantile="{q}"}} {quantile(ordered, q):.6f}' for q in QUANTILES]
        out += [f"{name}_sum {self.total:.6f}", f"{name}_count {self.count}"]
        return out


class Metrics:
    """What ``GET /v1/metrics`` reports; every method is thread-safe."""

    def __init__(self, window: int = 1024):
        self._lock = threading.Lock()
        self.proofs = 0
        self.failures = 0
        self.rejected = 0
        self.retried = 0
        self.responses: Counter[tuple[str, int]] = Counter()
        self.latency = _Summary(window)
        self.prove_time = _Summary(window)

    def proof_done(self, latency: float, prove_seconds: float) -> None:
        with self._lock:
            self.proofs += 1
            self.latency.observe(latency)
            self.prove_time.observe(prove_seconds)

    def proof_failed(self) -> None:
        with self._lock:
            self.failures += 1

    def proof_retried(self) -> None:
        with self._lock:
            self.retried += 1

    def queue_full(self) -> None:
        with self._lock:
            self.rejected += 1

    def response(self, route: str, status: int) -> None:
        with self._lock:
            self.responses[(route, status)] += 1

    def render(self, *, waiting: int, running: int, bound: int, workers: int,
               book_updates: int, info: dict[str, str]) -> str:
        """The Prometheus text exposition (version 0.0.4)."""
        with self._lock:
            lines = _counter("zkmargin_proofs_total", "Proofs completed.", self.proofs)
            lines += _counter("zkmargin_proof_failures_total",
                              "Accounts that could not be proven (bad input).", self.failures)
            lines += _counter("zkmargin_prove_retries_total",
                              "Proofs retried after failing the prover's self-check.",
                              self.retried)
            lines += _counter("zkmargin_rejected_total",
                              "Requests refused with 429 because the queue was full.",
                              self.rejected)
            lines += ["# HELP zkmargin_http_responses_total HTTP responses by route and status.",
                      "# TYPE zkmargin_http_responses_total counter"]
            lines += [f'zkmargin_http_responses_total{{route="{r}",status="{s}"}} {n}'
                      for (r, s), n in sorted(self.responses.items())]
            lines += self.latency.lines(
                "zkmargin_proof_latency_seconds",
                "Seconds from admission to a finished proof (queue wait included).")
            lines += self.prove_time.lines(
                "zkmargin_prove_seconds", "Seconds a worker spent on one proof.")
        lines += _gauge("zkmargin_queue_length", "Admitted proofs waiting for a worker.",
                        waiting)
        lines += _gauge("zkmargin_proofs_running", "Proofs being computed now.", running)
        lines += _gauge("zkmargin_queue_bound", "Most proofs that may wait.", bound)
        lines += _gauge("zkmargin_workers", "Proofs that may run at once.", workers)
        lines += _counter("zkmargin_book_updates_total", "Risk books made current.",
                          book_updates)
        labels = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(info.items()))
        lines += ["# HELP zkmargin_info Version, backend and statement of this server.",
                  "# TYPE zkmargin_info gauge", f"zkmargin_info{{{labels}}} 1"]
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _counter(name: str, help_text: str, value: int) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} counter", f"{name} {value}"]


def _gauge(name: str, help_text: str, value: int) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value}"]


def parse_metrics(text: str) -> dict[str, float]:
    """Samples of a Prometheus text exposition by their name with labels (for tests and
    clients): ``{'zkmargin_proofs_total': 3.0, 'zkmargin_proof_latency_seconds{quantile="0.5"}': ...}``."""
    out: dict[str, float] = {}
    for line in _samples(text.splitlines()):
        name, _, value = line.rpartition(" ")
        out[name] = float(value)
    return out


def _samples(lines: Iterable[str]) -> Iterable[str]:
    return (ln for ln in lines if ln and not ln.startswith("#"))
