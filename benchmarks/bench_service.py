"""Benchmark: the prover service (HTTP) and Ray actors against in-process proving.

On the same accounts (the bundled accounts a shape holds, repeated to ``--proofs``):

* **in process**: ``MarginProver.prove_many`` (one proof after another, each using all
  cores in its native MSMs) - the reference throughput;
* **per core**: the same with one native thread per proof, the figure a cluster
  estimate scales;
* **HTTP, concurrent**: ``zkmargin serve`` in a child process (``--workers W``) and
  ``--concurrency C`` client threads each sending ``POST /v1/prove`` (requests per
  second, latency quantiles p50/p90/p99 of the whole request);
* **HTTP, batch**: one ``POST /v1/prove-batch`` of all accounts;
* **Ray**: ``MarginProver.prove_many(..., ray=True)`` on a local Ray with one actor
  (the per-proof overhead of Ray against in process: same schedule, one proof at a
  time) and with ``--actors`` actors.

plus in process with ``--workers`` threads calling ``prove`` (the server's parallelism).
Each round runs every configuration once, so the load of a shared machine falls on
all of them alike; a configuration's figure is its fastest round, a comparison is the
median over rounds of the per-round ratio.  Goals: HTTP throughput >= 90 % of the
faster in-process figure; Ray overhead per proof (one actor against ``prove_many``)
<= 10 %.  The cluster estimate is ``per-core proofs/s x cores x (1 - Ray overhead)``.

    python benchmarks/bench_service.py [--keys KEYSET] [--shape n4k2] [--proofs 12]
        [--rounds 2] [--workers 2] [--concurrency 4] [--actors 2] [--no-ray]
        [--json benchmarks/results/bench_service.json]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import write_results  # noqa: E402
from engine.account import Account  # noqa: E402
from engine.jsonio import ACCOUNTS_DIR, bundled_accounts, read_json  # noqa: E402
from engine.riskbook import RiskBook  # noqa: E402
from zkmargin.api import MarginProver, MarginResult, verify  # noqa: E402
from zkmargin.service.launch import ServeProcess  # noqa: E402
from zkmargin.service.metrics import quantile  # noqa: E402

BLOCK_SECONDS = 12.0
CLUSTER_CORES = (16, 64, 256)


def accounts_for(prover: MarginProver, count: int) -> list[tuple[str, dict[str, Any]]]:
    """(name, JSON) of the bundled accounts the key set holds, cycled to ``count``."""
    fitting = []
    for name in bundled_accounts():
        obj = read_json(ACCOUNTS_DIR / f"{name}.json")
        try:
            prover.select(Account.from_json(obj))
        except ValueError:
            continue
        fitting.append((name, obj))
    return [fitting[i % len(fitting)] for i in range(count)]


def http_concurrent(url: str, bodies: list[dict[str, Any]], concurrency: int
                    ) -> tuple[list[float], list[dict[str, Any]]]:
    """Send every body as its own POST /v1/prove from ``concurrency`` threads; the
    latency of each request and the results."""
    import httpx

    lock = threading.Lock()
    todo = list(range(len(bodies)))
    latencies: list[float] = []
    results: list[Any] = [None] * len(bodies)

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=600) as client:
            while True:
                with lock:
                    if not todo:
                        return
                    i = todo.pop(0)
                start = time.perf_counter()
                response = client.post("/v1/prove", json=bodies[i])
                elapsed = time.perf_counter() - start
                response.raise_for_status()
                with lock:
                    latencies.append(elapsed)
                    results[i] = response.json()

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for f in [pool.submit(worker) for _ in range(concurrency)]:
            f.result()
    return latencies, results


def http_batch(url: str, accounts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import httpx

    response = httpx.post(f"{url}/v1/prove-batch", json={"accounts": accounts}, timeout=3600)
    response.raise_for_status()
    return response.json()["results"]


def check_all(vks: dict[str, Any], results: list[Any]) -> None:
    """Every result verifies (dicts from HTTP or MarginResults)."""
    for r in results:
        if isinstance(r, MarginResult):
            ok = verify(vks[r.shape], r.public, r.proof)
        else:
            ok = "proof" in r and verify(vks[r["shape"]], r["public"], r["proof"])
        if not ok:
            raise RuntimeError(f"a benchmark proof does not verify: {str(r)[:200]}")


def main(argv: Optional[list[str]] = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keys", type=Path, default=None,
                    help="key set (default: cached development keys of --shape)")
    ap.add_argument("--shape", default="n4k2")
    ap.add_argument("--proofs", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2, help="server proving threads")
    ap.add_argument("--concurrency", type=int, default=None,
                    help="client threads (default: 2 x workers)")
    ap.add_argument("--actors", type=int, default=2)
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" /
                    "bench_service.json")
    args = ap.parse_args(argv)
    concurrency = args.concurrency or 2 * args.workers

    book = RiskBook.from_snapshot("default")
    prover = (MarginProver.load(args.keys) if args.keys
              else MarginProver.cached_dev(book, [args.shape]))
    keys = Path(prover.directory)
    named = accounts_for(prover, args.proofs)
    accounts = [Account.from_json(obj) for _, obj in named]
    n = len(accounts)
    print(f"{n} proofs per round ({', '.join(sorted({a for a, _ in named}))}) on "
          f"{', '.join(prover.shapes)}; {os.cpu_count()} cores; best of {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    out: dict[str, Any] = {"proofs": n, "rounds": args.rounds, "shapes": prover.shapes,
                           "cores": os.cpu_count(), "workers": args.workers,
                           "concurrency": concurrency, "load_average": os.getloadavg()[0]}

    in_threads = ThreadPoolExecutor(max_workers=args.workers)
    single = MarginProver.load(keys, threads=1)
    configs: dict[str, Callable[[], Any]] = {
        "in_process": lambda: prover.prove_many(accounts, book),
        "in_process_threads": lambda: list(in_threads.map(
            lambda a: prover.prove(a, book), accounts)),
        "per_core": lambda: single.prove_many(accounts, book),
    }
    labels = {"in_process": "in process, prove_many (one after another)",
              "in_process_threads": f"in process, {args.workers} threads calling prove",
              "per_core": "in process, 1 native thread per proof (per core)",
              "http": f"HTTP /v1/prove, {args.workers} workers, {concurrency} clients",
              "http_batch": f"HTTP /v1/prove-batch, {args.workers} workers"}
    server = ServeProcess(keys, workers=args.workers, max_queue=max(64, n), cwd=ROOT)
    bodies = [{"account": obj} for _, obj in named]
    latencies: list[float] = []

    def http_run() -> Any:
        lat, res = http_concurrent(server.url, bodies, concurrency)
        latencies.extend(lat)
        return res

    configs["http"] = http_run
    configs["http_batch"] = lambda: http_batch(server.url, [obj for _, obj in named])
    ray_provers: dict[int, Any] = {}
    if not args.no_ray:
        import ray

        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        ray.init(num_cpus=args.actors + 1, include_dashboard=False, logging_level="WARNING",
                 runtime_env={"env_vars": {"PYTHONPATH": path}})
        for actors in sorted({1, args.actors}):
            on_ray = MarginProver.load(keys).on_ray(actors)
            on_ray.prove_many(accounts[:actors], book)  # actors up, book shipped
            ray_provers[actors] = on_ray
            configs[f"ray_{actors}"] = (lambda r=on_ray: r.prove_many(accounts, book))
            labels[f"ray_{actors}"] = f"Ray, {actors} actor(s), prove_many"
    # Rounds interleave the configurations, so that the load of a shared machine
    # disturbs all of them alike; per configuration the fastest round counts, and the
    # ratios are also taken round by round (their median is reported).
    seconds: dict[str, list[float]] = {k: [] for k in configs}
    try:
        for r in range(args.rounds):
            for key, run in configs.items():
                start = time.perf_counter()
                check_all(prover.vks, run())
                seconds[key].append(time.perf_counter() - start)
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s"
                                                 for k, v in seconds.items()), flush=True)
    finally:
        server.stop()
        for on_ray in ray_provers.values():
            on_ray.shutdown()
        if ray_provers:
            import ray

            ray.shutdown()
        in_threads.shutdown()

    def median_ratio(a: str, b: str) -> float:
        """Median over rounds of throughput(a) / throughput(b)."""
        return statistics.median(tb / ta for ta, tb in zip(seconds[a], seconds[b]))

    for key, values in seconds.items():
        rate = n / min(values)
        out[f"{key}_per_s"] = rate
        print(f"  {labels[key]:50} {rate:7.3f} proofs/s ({min(values) / n * 1e3:7.1f} ms/proof)")
    latencies.sort()
    out["http_latency_s"] = {f"p{int(p * 100)}": quantile(latencies, p) for p in (0.5, 0.9, 0.99)}
    print("  HTTP latency per request: " + ", ".join(
        f"{k} {v:.2f} s" for k, v in out["http_latency_s"].items()))
    base = max(("in_process", "in_process_threads"), key=lambda k: out[f"{k}_per_s"])
    http = max(("http", "http_batch"), key=lambda k: out[f"{k}_per_s"])
    out["http_vs_in_process"] = median_ratio(http, base)
    out["http_vs_in_process_compared"] = [http, base]
    print(f"  HTTP ({http}) / in process ({base}), median of rounds: "
          f"{out['http_vs_in_process']:.1%} (goal >= 90 %)")
    if ray_provers:
        out["ray_overhead_per_proof"] = 1 / median_ratio("ray_1", "in_process") - 1
        print(f"  Ray overhead per proof (1 actor vs prove_many in process, median of "
              f"rounds): {out['ray_overhead_per_proof']:+.1%} (goal <= 10 %)")
    efficiency = 1 - max(0.0, out.get("ray_overhead_per_proof", 0.0))
    per_core = out["per_core_per_s"]
    out["cluster_estimate"] = {
        str(c): {"proofs_per_s": per_core * c * efficiency,
                 "proofs_per_block": per_core * c * efficiency * BLOCK_SECONDS}
        for c in CLUSTER_CORES}
    print(f"  per core: {per_core * BLOCK_SECONDS:.1f} proofs per {BLOCK_SECONDS:.0f} s "
          "block; cluster estimate: " + "; ".join(
              f"{c} cores {v['proofs_per_block']:.0f}/block"
              for c, v in out["cluster_estimate"].items()))
    if args.json:
        write_results(args.json, out)
        print(f"wrote {args.json}")
    return out


if __name__ == "__main__":
    main()
