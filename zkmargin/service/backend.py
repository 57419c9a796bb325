"""Where the service's proofs run: in this process, or on Ray actors.

A backend turns (account, book entry) into ``(shape name, MarginResult)``, blocking;
the work queue calls it from its worker threads.  ``workers`` is how many proofs it
can compute at once (threads in process, actors on Ray).  ``publish(book)`` returns
the handle queued work carries for a book: the book itself in process, one
object-store reference on Ray (the book is shipped once per update, not per proof).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook
    from zkmargin.api import MarginProver, MarginResult
    from zkmargin.ray_prover import RayMarginProver
    from zkmargin.service.registry import BookEntry


@dataclass(frozen=True)
class KeySetMeta:
    """What the service tells clients about its key set: the statement, the shape names
    (smallest first), each shape's verification key and the SHA-256 of its file."""

    statement: str
    shapes: list[str]
    vks: dict[str, dict[str, Any]]
    vk_sha256: dict[str, str]


def keyset_meta(prover: "MarginProver") -> KeySetMeta:
    """The statement, shapes and verification keys of a loaded key set."""
    return KeySetMeta(prover.statement, prover.shapes, prover.vks,
                      {k.name: k.vk_sha256 for k in prover.keys})


def result_json(result: "MarginResult", vk_sha256: str) -> dict[str, Any]:
    """A result as the service's ``ProveResult`` JSON (integers as decimal strings)."""
    return {"shape": result.shape, "statement": result.statement, "proof": result.proof,
            "public": list(result.public),
            "public_named": {k: str(v) for k, v in result.public_named.items()},
            "report": result.report.to_json(),
            "market_commitment": str(result.market_commitment),
            "vk_sha256": vk_sha256, "timings": dict(result.timings)}


def check_book_fits(prover: "MarginProver", book: "RiskBook") -> None:
    """Raise ValueError unless every shape of the key set was made for ``book``'s
    S, H, k and Merkle depths (the shapes differ only in N and K)."""
    for keys in prover.keys:
        keys.shape.check_book(book)


class Backend(Protocol):
    """What the service needs from a place where proofs run."""

    name: str
    workers: int
    meta: KeySetMeta

    def publish(self, book: "RiskBook") -> Any: ...

    def check_book(self, book: "RiskBook") -> None: ...

    def prove(self, account: "Account", entry: "BookEntry") -> "MarginResult": ...

    def close(self) -> None: ...


class LocalBackend:
    """Proofs in this process on a loaded :class:`MarginProver` (``workers`` threads)."""

    name = "local"

    def __init__(self, prover: "MarginProver", workers: int = 2):
        self.prover = prover
        self.workers = workers
        self.meta = keyset_meta(prover)

    @classmethod
    def load(cls, keys: str | Path, workers: int = 2,
             threads: Optional[int] = None) -> "LocalBackend":
        from zkmargin.api import MarginProver

        return cls(MarginProver.load(keys, threads=threads), workers)

    def publish(self, book: "RiskBook") -> Any:
        return book

    def check_book(self, book: "RiskBook") -> None:
        check_book_fits(self.prover, book)

    def prove(self, account: "Account", entry: "BookEntry") -> "MarginResult":
        return self.prover.prove(account, entry.handle)

    def close(self) -> None:
        return None


class RayBackend:
    """Proofs on Ray actors (:class:`~zkmargin.ray_prover.RayMarginProver`): one worker
    per actor; a book is published to the object store once."""

    name = "ray"

    def __init__(self, prover: "RayMarginProver"):
        self.prover = prover
        self.workers = prover.actors
        self.meta = KeySetMeta(prover.statement, prover.shapes, prover.vks, prover.vk_sha256)

    def publish(self, book: "RiskBook") -> Any:
        return self.prover.put_book(book)

    def check_book(self, book: "RiskBook") -> None:
        self.prover.check_book(book)

    def prove(self, account: "Account", entry: "BookEntry") -> "MarginResult":
        outcome = self.prover.prove_on(account, entry.commitment, entry.handle)
        if outcome[0] == "error":
            raise ValueError(outcome[1])
        return outcome[1]

    def close(self) -> None:
        self.prover.shutdown()


def ray_backend(keys: "str | Path", actors: Optional[int] = None, *,
                address: Optional[str] = None,
                threads_per_actor: Optional[int] = None) -> RayBackend:
    """A :class:`RayBackend` over new actors loading ``keys`` (Ray started or joined
    when not yet initialised; RayUnavailable without the extra)."""
    from zkmargin.api import MarginFailure, MarginProver
    from zkmargin.ray_prover import RayMarginProver

    return RayBackend(RayMarginProver(keys, actors, loader=MarginProver.load,
                                      failure=MarginFailure, address=address,
                                      threads_per_actor=threads_per_actor))
