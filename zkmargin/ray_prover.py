"""Margin proofs on Ray actors: :class:`RayMarginProver`.

Each actor (one Ray worker process, ``num_cpus`` CPUs reserved) loads the key set once,
when it starts, and keeps it; :meth:`RayMarginProver.load_counts` reports how often
each actor loaded it (1 unless the actor was restarted).  A risk book goes into the
object store once per book (:meth:`RayMarginProver.put_book`, ``ray.put``); each
actor fetches a book the first time a proof names it and keeps the last few, so a
batch ships only accounts and results.  Proofs are the in-process prover's, run
elsewhere: the public inputs equal those of :meth:`MarginProver.prove` on the same
account and book (proofs differ only by the prover's randomness).

The key set must be readable at the same path on every node (a shared file system,
or copied there before the actors start).  Ray is an optional extra: without it,
constructing a :class:`RayMarginProver` raises :class:`RayUnavailable`.

This module imports nothing of :mod:`zkmargin.api` (which delegates here): the key-set
loader and the failure record are given to it, normally by
:meth:`zkmargin.api.MarginProver.on_ray` or the service's Ray backend.
"""
from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook

KEPT_BOOKS = 4
RAY_EXTRA = "pip install 'zkmargin[ray]'"


class RayUnavailable(ValueError):
    """Ray is not installed (it is the optional ``ray`` extra)."""


def import_ray() -> Any:
    """The ``ray`` module, or RayUnavailable saying how to install it."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(f"--ray: Ray is not installed; install the extra with "
                             f"{RAY_EXTRA}") from None
    return ray


class ProverActor:
    """The body of a Ray actor: a :class:`MarginProver` loaded once, books by commitment.

    ``prove`` answers ``("ok", result)`` or ``("error", message)`` for input the prover
    refuses (what :meth:`MarginProver.prove_many` reports as a failure), so that the
    message survives the trip unchanged.
    """

    def __init__(self, loader: Callable[..., Any], keys: str, threads: Optional[int] = None):
        self._loader = loader
        self._keys = keys
        self._threads = threads
        self._loads = 0
        self._books: "OrderedDict[str, RiskBook]" = OrderedDict()
        self._prover = self._load()

    def _load(self) -> Any:
        prover = self._loader(self._keys, threads=self._threads)
        self._loads += 1
        return prover

    def load_count(self) -> int:
        """How many times this actor loaded the key set."""
        return self._loads

    def info(self) -> dict[str, Any]:
        """Statement, shapes, verification keys and their SHA-256 (what the driver needs)."""
        p = self._prover
        return {"statement": p.statement, "shapes": p.shapes, "vks": p.vks,
                "vk_sha256": {k.name: k.vk_sha256 for k in p.keys}, "pid": os.getpid()}

    def _book(self, commitment: str, boxed_ref: list) -> "RiskBook":
        book = self._books.get(commitment)
        if book is None:
            import ray

            book = ray.get(boxed_ref[0])
            self._books[commitment] = book
            while len(self._books) > KEPT_BOOKS:
                self._books.popitem(last=False)
        else:
            self._books.move_to_end(commitment)
        return book

    def check_book(self, commitment: str, boxed_ref: list) -> Optional[str]:
        """None when every shape of the key set was made for the book's S, H, k and
        depths, else why not."""
        book = self._book(commitment, boxed_ref)
        try:
            for keys in self._prover.keys:
                keys.shape.check_book(book)
        except ValueError as exc:
            return " ".join(str(exc).split()) or type(exc).__name__
        return None

    def books_fetched(self) -> list[str]:
        """Commitments of the books this actor holds."""
        return list(self._books)

    def prove(self, account: "Account", commitment: str, boxed_ref: list) -> tuple:
        from prover.errors import ProverError

        book = self._book(commitment, boxed_ref)
        try:
            try:
                result = self._prover.prove(account, book)
            except ProverError:
                # a proof that failed the prover's self-check: a fault, retried once
                result = self._prover.prove(account, book)
        except ProverError:
            raise  # twice: a defect of this worker, not of the account
        except (ValueError, TypeError, ArithmeticError) as exc:
            return ("error", str(exc))
        return ("ok", result)


class RayMarginProver:
    """A margin prover spread over ``actors`` Ray actors (default: one per cluster CPU).

    ``loader(keys, threads=...)`` loads the key set in each actor
    (:meth:`MarginProver.load`); ``failure(index, error)`` records an account of a
    batch that was not proven (:class:`zkmargin.api.MarginFailure`).  Connects to Ray
    when it is not yet initialised: ``address=None`` starts a local Ray, an address
    (``"auto"``, ``"ray://head:10001"``, ``"head:6379"``) joins a cluster.
    ``threads_per_actor`` bounds the native threads of each proof.
    """

    def __init__(self, keys: "str | Path", actors: Optional[int] = None, *,
                 loader: Callable[..., Any], failure: Callable[[int, str], Any],
                 address: Optional[str] = None, num_cpus_per_actor: float = 1,
                 threads_per_actor: Optional[int] = None):
        ray = import_ray()
        self._ray = ray
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, logging_level="WARNING")
        if actors is None:
            cpus = float(ray.cluster_resources().get("CPU", 1))
            actors = max(1, int(cpus // num_cpus_per_actor))
        # An actor that dies is restarted (it loads the key set again) and its proof retried.
        remote_cls = ray.remote(num_cpus=num_cpus_per_actor, max_restarts=3,
                                max_task_retries=2)(ProverActor)
        path = str(Path(keys).resolve())
        self._failure = failure
        self._actors = [remote_cls.remote(loader, path, threads_per_actor)
                        for _ in range(actors)]
        info = ray.get(self._actors[0].info.remote())
        self.statement: str = info["statement"]
        self.shapes: list[str] = info["shapes"]
        self.vks: dict[str, dict[str, Any]] = info["vks"]
        self.vk_sha256: dict[str, str] = info["vk_sha256"]
        self._free: "queue.Queue[Any]" = queue.Queue()
        for actor in self._actors:
            self._free.put(actor)
        self._books: "OrderedDict[str, Any]" = OrderedDict()
        self._lock = threading.Lock()

    @property
    def actors(self) -> int:
        return len(self._actors)

    @property
    def vk(self) -> dict[str, Any]:
        """The verification key of the smallest shape."""
        return self.vks[self.shapes[0]]

    def put_book(self, book: "RiskBook") -> Any:
        """The object-store reference of ``book`` (``ray.put`` once per book, kept for
        the last few books)."""
        commitment = str(book.commitment["market_commitment"])
        with self._lock:
            ref = self._books.get(commitment)
            if ref is None:
                ref = self._ray.put(book)
                self._books[commitment] = ref
                while len(self._books) > KEPT_BOOKS:
                    self._books.popitem(last=False)
            return ref

    def _submit(self, actor: Any, account: "Account", commitment: str, ref: Any) -> Any:
        # The reference goes inside a list so that Ray does not resolve it per call;
        # the actor fetches the book once and keeps it.
        return actor.prove.remote(account, commitment, [ref])

    def prove_on(self, account: "Account", commitment: str, ref: Any) -> tuple:
        """Prove on a free actor (blocking; thread-safe): ``("ok", result)`` or
        ``("error", message)``."""
        actor = self._free.get()
        try:
            return self._ray.get(self._submit(actor, account, commitment, ref))
        finally:
            self._free.put(actor)

    def prove(self, account: "Account", book: "RiskBook") -> Any:
        """Prove one account; input the prover refuses raises ValueError, as in process."""
        commitment = str(book.commitment["market_commitment"])
        outcome = self.prove_on(account, commitment, self.put_book(book))
        if outcome[0] == "error":
            raise ValueError(outcome[1])
        return outcome[1]

    def prove_many(self, accounts: Iterable["Account"], book: "RiskBook",
                   in_flight: int = 2) -> list[Any]:
        """Prove a batch over all actors: one entry per account, in order, a
        :class:`MarginResult` or a failure record (``failure(index, error)``).  Each actor has up to ``in_flight`` proofs queued, so it
        never waits for the driver between two proofs."""
        accounts = list(accounts)
        commitment = str(book.commitment["market_commitment"])
        ref = self.put_book(book)
        out: list[Any] = [None] * len(accounts)
        todo = iter(range(len(accounts)))
        pending: dict[Any, tuple[int, Any]] = {}

        def feed(actor: Any) -> None:
            i = next(todo, None)
            if i is not None:
                pending[self._submit(actor, accounts[i], commitment, ref)] = (i, actor)

        for _ in range(max(1, in_flight)):
            for actor in self._actors:
                feed(actor)
        while pending:
            [done], _ = self._ray.wait(list(pending), num_returns=1)
            i, actor = pending.pop(done)
            outcome = self._ray.get(done)
            out[i] = outcome[1] if outcome[0] == "ok" else self._failure(i, outcome[1])
            feed(actor)
        return out

    def check_book(self, book: "RiskBook") -> None:
        """Raise ValueError when the keys cannot prove on ``book`` (asked of an actor)."""
        commitment = str(book.commitment["market_commitment"])
        ref = self.put_book(book)
        actor = self._free.get()
        try:
            problem = self._ray.get(actor.check_book.remote(commitment, [ref]))
        finally:
            self._free.put(actor)
        if problem is not None:
            raise ValueError(problem)

    def load_counts(self) -> list[int]:
        """How many times each actor loaded the key set."""
        return self._ray.get([a.load_count.remote() for a in self._actors])

    def shutdown(self) -> None:
        """Stop the actors (Ray itself stays initialised)."""
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
