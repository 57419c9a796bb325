"""The service's parts without proofs: queue admission and Retry-After, the book
registry, the Prometheus rendering."""
from __future__ import annotations

import threading
from typing import Any

import pytest

from engine.riskbook import RiskBook
from zkmargin.service.metrics import Metrics, parse_metrics, quantile
from zkmargin.service.registry import BookRegistry, UnknownBook
from zkmargin.service.workqueue import BatchTooLarge, QueueFull, WorkQueue


def test_queue_admits_whole_requests_up_to_the_bound() -> None:
    gate = threading.Event()
    started = threading.Semaphore(0)

    def run(item: int) -> int:
        started.release()
        gate.wait(10)
        return item * 2

    queue: WorkQueue[int, int] = WorkQueue(run, workers=1, bound=3, initial_seconds=2.0)
    first = queue.submit([1])
    assert started.acquire(timeout=10)          # the worker holds item 1
    waiting = queue.submit([2, 3])
    assert (queue.waiting, queue.running) == (2, 1)
    with pytest.raises(QueueFull) as full:
        queue.submit([4, 5])                    # 2 + 2 > 3: refused whole
    assert full.value.retry_after == 8          # ceil(2 s x (2 waiting + 2) / 1 worker)
    rest = queue.submit([6])                    # 2 + 1 <= 3
    with pytest.raises(BatchTooLarge, match="accounts: 4 proofs exceed the queue bound 3"):
        queue.submit([7, 8, 9, 10])
    gate.set()
    assert [f.result(10) for f in first + waiting + rest] == [2, 4, 6, 12]
    assert (queue.waiting, queue.running) == (0, 0)
    assert queue.retry_after(1) >= 1
    queue.shutdown()


def test_queue_rejects_bad_configuration() -> None:
    with pytest.raises(ValueError, match="workers"):
        WorkQueue(lambda x: x, workers=0, bound=1)
    with pytest.raises(ValueError, match="max_queue"):
        WorkQueue(lambda x: x, workers=1, bound=0)


def test_registry_keeps_the_last_books() -> None:
    books = [RiskBook.from_snapshot("default", depth_instruments=d) for d in (8, 9, 10)]
    registry = BookRegistry(keep=2)
    entries = [registry.put(b, f"handle{i}") for i, b in enumerate(books)]
    assert len({e.commitment for e in entries}) == 3
    assert registry.current() == entries[2] and registry.get(None) == entries[2]
    assert registry.kept() == [entries[2].commitment, entries[1].commitment]
    assert registry.get(entries[1].commitment).handle == "handle1"
    with pytest.raises(UnknownBook, match="market_commitment: no kept book"):
        registry.get(entries[0].commitment)
    registry.put(books[1], "again")             # an old book becomes current again
    assert registry.kept() == [entries[1].commitment, entries[2].commitment]
    assert registry.updates == 4


def test_metrics_render_prometheus_text() -> None:
    metrics = Metrics(window=4)
    for seconds in (1.0, 2.0, 3.0, 4.0, 5.0):
        metrics.proof_done(seconds, seconds / 2)
    metrics.proof_failed()
    metrics.queue_full()
    metrics.response("/v1/prove", 200)
    text = metrics.render(waiting=1, running=2, bound=8, workers=2, book_updates=3,
                          info={"version": "1", "backend": "local", "statement": 'fu"ll'})
    samples = parse_metrics(text)
    assert samples["zkmargin_proofs_total"] == 5 and samples["zkmargin_rejected_total"] == 1
    assert samples['zkmargin_proof_latency_seconds{quantile="0.5"}'] == 4.0  # window 2..5
    assert samples["zkmargin_proof_latency_seconds_sum"] == 15.0
    assert samples["zkmargin_proof_latency_seconds_count"] == 5
    assert samples['zkmargin_http_responses_total{route="/v1/prove",status="200"}'] == 1
    assert 'statement="fu\\"ll"' in text
    assert all(line.startswith("# ") or line.rpartition(" ")[2].replace(".", "").isdigit()
               for line in text.strip().splitlines())
    assert quantile([], 0.5) == 0.0 and quantile([1.0, 2.0], 0.99) == 2.0


class _FaultyBackend:
    """A backend whose proofs always fail the prover's self-check."""

    name = "local"
    workers = 1

    def __init__(self) -> None:
        from zkmargin.service.backend import KeySetMeta

        self.meta = KeySetMeta("full", ["n4k2"], {"n4k2": {}}, {"n4k2": ""})
        self.calls = 0

    def publish(self, book: RiskBook) -> RiskBook:
        return book

    def check_book(self, book: RiskBook) -> None:
        return None

    def prove(self, account: object, entry: object) -> object:
        from prover.errors import ProverError

        self.calls += 1
        raise ProverError("margin.zkey: the proof does not verify against the key")

    def close(self) -> None:
        return None


def test_a_proof_failing_its_self_check_is_retried_then_internal(
        live_server_factory: Any) -> None:
    from tests.service.conftest import account_json
    from zkmargin.service.app import create_app

    backend = _FaultyBackend()
    server = live_server_factory(create_app(backend, RiskBook.from_snapshot("default"),
                                            max_queue=4))
    with server.client() as client:
        single = client.post("/v1/prove", json={"account": account_json("covered_call")})
        assert single.status_code == 500 and backend.calls == 2
        batch = client.post("/v1/prove-batch", json={"accounts": [account_json("pair_trade")]})
        assert batch.status_code == 200
        assert batch.json()["results"][0]["error"].startswith("internal error: margin.zkey")
        samples = parse_metrics(client.get("/v1/metrics").text)
        assert samples["zkmargin_prove_retries_total"] == 2
        assert samples['zkmargin_http_responses_total{route="/v1/prove",status="500"}'] == 1
        assert client.get("/v1/health").status_code == 200
