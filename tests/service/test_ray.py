"""Proofs on Ray actors: a local Ray (two CPUs, one cluster for the module) with two
actors proves the bundled accounts; results equal in-process results, each actor
loaded the key set once and fetched the book once; the service runs on the actors."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from engine.account import Account
from engine.riskbook import RiskBook
from tests.conftest import ROOT
from tests.service.conftest import BUNDLED, account_json
from zkmargin.api import MarginFailure, MarginProver, verify

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    import ray

    # Workers import this checkout's packages (not another installed copy).
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING",
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def local_prover(service_keys: Path) -> MarginProver:
    return MarginProver.load(service_keys)


@pytest.fixture(scope="module")
def ray_prover(ray_cluster: Any, local_prover: MarginProver) -> Iterator[Any]:
    prover = local_prover.on_ray(2)
    yield prover
    prover.shutdown()


def test_ray_actors_prove_like_in_process(ray_prover: Any, local_prover: MarginProver,
                                          service_book: RiskBook) -> None:
    accounts = [Account.load(name) for name in BUNDLED]
    bad = Account.from_json(dict(account_json("short_puts"),
                                 positions=[{"instrument": "NOPE", "qty": "1"}]))
    on_ray = local_prover.prove_many(accounts + [bad], service_book, ray=True)
    assert local_prover.on_ray() is ray_prover
    assert ray_prover.vks == local_prover.vks and ray_prover.statement == local_prover.statement
    in_process = local_prover.prove_many(accounts + [bad], service_book)
    assert on_ray[-1] == in_process[-1] == MarginFailure(
        len(accounts), "positions[0].instrument: unknown instrument 'NOPE'")
    for remote, here in zip(on_ray[:-1], in_process[:-1]):
        assert remote.shape == here.shape
        assert remote.public == here.public
        assert remote.public_named == here.public_named
        assert remote.report.to_json() == here.report.to_json()
        assert verify(ray_prover.vks[remote.shape], remote.public, remote.proof)
    assert ray_prover.load_counts() == [1, 1]


def test_one_object_store_copy_per_book(ray_cluster: Any, ray_prover: Any,
                                        service_book: RiskBook) -> None:
    first = ray_prover.put_book(service_book)
    assert ray_prover.put_book(RiskBook.from_snapshot("default")) == first
    commitment = str(service_book.commitment["market_commitment"])
    held = ray_cluster.get([a.books_fetched.remote() for a in ray_prover._actors])
    assert all(books == [commitment] for books in held)
    with pytest.raises(ValueError, match="account.salt"):
        ray_prover.prove(Account.from_json(dict(account_json("pair_trade"), salt=None)),
                         service_book)


def test_service_on_ray_actors(ray_prover: Any, service_book: RiskBook,
                               live_server_factory: Any) -> None:
    from zkmargin.service.app import create_app
    from zkmargin.service.backend import RayBackend

    server = live_server_factory(create_app(RayBackend(ray_prover), service_book,
                                            max_queue=8))
    with server.client() as client:
        health = client.get("/v1/health").json()
        assert health["backend"] == "ray" and health["queue"]["workers"] == 2
        batch = client.post("/v1/prove-batch", json={"accounts": [
            account_json("covered_call"), account_json("eth_collateral_long")]})
        assert batch.status_code == 200, batch.text
        for entry in batch.json()["results"]:
            assert verify(ray_prover.vks[entry["shape"]], entry["public"], entry["proof"])
        bad = client.post("/v1/prove", json={"account": dict(account_json("pair_trade"),
                                                             salt=None)})
        assert bad.status_code == 400 and bad.json()["field"] == "account.salt"
    assert ray_prover.load_counts() == [1, 1]
