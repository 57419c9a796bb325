"""The service's risk books: the current one and the last few, by market commitment.

A proof request names a book by its ``market_commitment`` (or means the current one);
the entry it resolves to travels with the queued work, so a book update (or the
eviction of an old book) never changes the book of a proof already admitted.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Optional

from engine.riskbook import RiskBook


class UnknownBook(ValueError):
    """No kept book has the requested commitment."""


@dataclass(frozen=True)
class BookEntry:
    """A book, its market commitment (decimal string) and the backend's handle for it
    (the book itself in process, an object-store reference on Ray)."""

    book: RiskBook
    commitment: str
    handle: Any


class BookRegistry:
    """The last ``keep`` books, newest current; thread-safe."""

    def __init__(self, keep: int):
        if keep < 1:
            raise ValueError(f"keep_books: at least 1, got {keep}")
        self.keep = keep
        self._books: "OrderedDict[str, BookEntry]" = OrderedDict()
        self._lock = threading.Lock()
        self.updates = 0

    def put(self, book: RiskBook, handle: Any) -> BookEntry:
        """Make ``book`` current (an already kept book moves to the front)."""
        entry = BookEntry(book, str(book.commitment["market_commitment"]), handle)
        with self._lock:
            self._books.pop(entry.commitment, None)
            self._books[entry.commitment] = entry
            while len(self._books) > self.keep:
                self._books.popitem(last=False)
            self.updates += 1
        return entry

    def current(self) -> BookEntry:
        with self._lock:
            return next(reversed(self._books.values()))

    def get(self, commitment: Optional[str]) -> BookEntry:
        """The kept book of ``commitment``, the current one for None."""
        if commitment is None:
            return self.current()
        with self._lock:
            entry = self._books.get(commitment)
        if entry is None:
            raise UnknownBook(f"market_commitment: no kept book has this commitment (the "
                              f"last {self.keep} books are kept; GET /v1/riskbook lists them)")
        return entry

    def kept(self) -> list[str]:
        """Commitments of the kept books, newest first."""
        with self._lock:
            return list(reversed(self._books))
