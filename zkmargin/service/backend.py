"""Where the service's proofs run: in this process, or on Ray actors.

A backend turns (account, book entry) into a :class:`~zkmargin.api.MarginResult`,
blocking; the work queue calls it from its worker threads.  ``workers`` is how many
proofs it can compute at once (threads in process, actors on Ray).  ``publish(book)``
returns the handle queued work carries for a book: the book itself in process, one
object-store reference on Ray (the book is shipped once per update, not per proof).

The key-set helpers (:func:`keyset_meta`, :func:`shape_name`) read a prover's shapes,
verification keys and their SHA-256, whatever key layout it was loaded from.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

from zkbase.jsonio import read_json

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook
    from zkmargin.api import MarginProver, MarginResult
    from zkmargin.service.registry import BookEntry


@dataclass(frozen=True)
class KeySetMeta:
    """What the service tells clients about its keys: the statement, the shape names
    (smallest first), each shape's verification key and the SHA-256 of its JSON file."""

    statement: str
    shapes: list[str]
    vks: dict[str, dict[str, Any]]
    vk_sha256: dict[str, str]


def shape_name(shape: Any) -> str:
    """``n{N}k{K}`` of a circuit shape (a name passes through)."""
    if isinstance(shape, str):
        return shape
    return f"n{shape.N}k{shape.K}"


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def keyset_meta(prover: "MarginProver") -> KeySetMeta:
    """The statement, shapes and verification keys of a loaded prover."""
    vks = getattr(prover, "vks", None)
    directory = Path(prover.directory) if getattr(prover, "directory", None) else None
    if isinstance(vks, dict):
        names = list(getattr(prover, "shapes", vks))
        shas: dict[str, str] = {}
        meta_path = directory / "keyset.json" if directory else None
        if meta_path is not None and meta_path.exists():
            for item in read_json(meta_path).get("shapes", []):
                if item.get("name") in vks and item.get("vk_sha256"):
                    shas[item["name"]] = str(item["vk_sha256"])
        for name in names:
            if name not in shas and directory is not None:
                vk_file = directory / name / "verification_key.json"
                if vk_file.exists():
                    shas[name] = _file_sha256(vk_file)
        return KeySetMeta(prover.statement, names, dict(vks), shas)
    name = shape_name(prover.shape)
    sha = _file_sha256(directory / "verification_key.json") if directory else ""
    return KeySetMeta(prover.statement, [name], {name: prover.vk}, {name: sha})


def result_shape(prover: "MarginProver", result: "MarginResult") -> str:
    """The shape name a result was proven with."""
    shape = getattr(result, "shape", None)
    return shape_name(shape if shape is not None else prover.shape)


def result_json(result: "MarginResult", shape: str, vk_sha256: str) -> dict[str, Any]:
    """A result as the service's ``ProveResult`` JSON (integers as decimal strings)."""
    named = {k: str(v) for k, v in result.public_named.items()}
    commitment = getattr(result, "market_commitment", None)
    return {"shape": shape, "statement": result.statement, "proof": result.proof,
            "public": list(result.public), "public_named": named,
            "report": result.report.to_json(),
            "market_commitment": str(commitment if commitment is not None
                                     else named["market_commitment"]),
            "vk_sha256": vk_sha256, "timings": dict(result.timings)}


def check_book_fits(prover: "MarginProver", book: "RiskBook") -> None:
    """Raise ValueError when no key of ``prover`` can prove on ``book`` (S, H, k, depths)."""
    check = getattr(prover, "check_book", None)
    if callable(check):
        check(book)
        return
    shape = getattr(prover, "shape", None)
    if shape is not None:
        shape.check_book(book)


class Backend(Protocol):
    """What the service needs from a place where proofs run."""

    name: str
    workers: int
    meta: KeySetMeta

    def publish(self, book: "RiskBook") -> Any: ...

    def check_book(self, book: "RiskBook") -> None: ...

    def prove(self, account: "Account", entry: "BookEntry") -> tuple[str, "MarginResult"]: ...

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

    def prove(self, account: "Account", entry: "BookEntry") -> tuple[str, "MarginResult"]:
        result = self.prover.prove(account, entry.handle)
        return result_shape(self.prover, result), result

    def close(self) -> None:
        return None
