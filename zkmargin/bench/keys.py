"""The margin shapes to measure and their keys.

A shape ``n{N}k{K}`` is a margin circuit with N position slots and K collateral slots
on a risk book (S, H, k and the Merkle depths come from the book); the standard shapes
are :data:`zkmargin.keyset.LADDER`.  Keys come from a key set (``--keys KEYSET``,
see :mod:`zkmargin.keyset`) or, without one, from INSECURE development keys made
once per shape and cached by :meth:`zkmargin.api.MarginProver.cached_dev` (a one-shape
key set per shape, so any selection of shapes reuses them; a benchmark needs keys of
the right size, not secure ones).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Sequence

from engine.riskbook import RiskBook
from zkmargin.keyset import (CIRCUIT_FILE, KEYSET_FILE, LADDER, VK_FILE, ZKEY_FILE,
                             parse_shape_name, read_manifest)

if TYPE_CHECKING:
    from zkmargin.api import MarginProver

STANDARD_SHAPES: tuple[str, ...] = tuple(LADDER)


@dataclass(frozen=True)
class ShapeKeys:
    """One shape's key directory (``margin.zkey``, ``verification_key.json``,
    ``circuit.json``) with its slot counts and constraint count, and the key set
    directory it belongs to."""

    name: str
    N: int
    K: int
    directory: Path
    constraints: int
    statement: str
    keyset: Path


def parse_shape(name: str) -> tuple[int, int]:
    """``"n16k4"`` -> (16, 4); ValueError for anything else."""
    return parse_shape_name(name.strip())


def _entries(keyset: Path, names: Optional[Sequence[str]]) -> list[ShapeKeys]:
    manifest = read_manifest(keyset)
    listed = [e.name for e in manifest.shapes]
    wanted = listed if names is None else list(names)
    for name in wanted:
        if name not in listed:
            raise ValueError(f"{keyset / KEYSET_FILE}: shapes: no shape {name!r} (the set "
                             f"has {', '.join(listed)})")
    return [ShapeKeys(e.name, e.N, e.K, keyset / e.name, e.constraints, manifest.statement,
                      keyset) for e in manifest.shapes if e.name in wanted]


def open_keyset(path: str | Path, names: Optional[Sequence[str]] = None) -> list[ShapeKeys]:
    """The shapes of the key set at ``path`` (all, or those in ``names``), smallest
    first.  ValueError ``PATH: FIELD: reason`` for a malformed set or an unknown shape."""
    return _entries(Path(path), names)


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zkmargin"


def dev_keyset_dir(book: RiskBook, name: str, statement: str = "full") -> Path:
    """Where :meth:`MarginProver.cached_dev` keeps the set of shape ``name`` (or of the
    shapes ``"n4k2-n8k2"``)."""
    tag = "-".join(str(v) for v in (book.S, book.H, book.k, book.depth_instruments,
                                     book.depth_collateral))
    return cache_dir() / f"dev-keyset-{statement}-{tag}-{name}"


def _complete(keyset: Path, name: str) -> bool:
    return (keyset / KEYSET_FILE).is_file() and all(
        (keyset / name / f).is_file() for f in (CIRCUIT_FILE, VK_FILE, ZKEY_FILE))


def cached_dev_shape_keys(book: RiskBook, names: Sequence[str], statement: str = "full"
                          ) -> list[ShapeKeys]:
    """The shapes of ``names`` whose development keys are already cached."""
    out = []
    for name in names:
        d = dev_keyset_dir(book, name, statement)
        if _complete(d, name):
            try:
                out += _entries(d, [name])
            except ValueError:
                continue
    return out


def dev_shape_keys(book: RiskBook, names: Sequence[str], statement: str = "full",
                   on_setup: Optional[Callable[[str], Callable[[], None]]] = None
                   ) -> list[ShapeKeys]:
    """INSECURE development keys of ``names`` for ``book``, made once and cached.

    ``on_setup(name)`` is called before a shape's keys are made (they were not cached)
    and returns a callable invoked when they are ready (progress reporting)."""
    from zkmargin.api import MarginProver

    out = []
    for name in names:
        d = dev_keyset_dir(book, name, statement)
        if not _complete(d, name):
            finished = on_setup(name) if on_setup else None
            MarginProver.cached_dev(book, [name], statement=statement)
            if finished:
                finished()
        out += _entries(d, [name])
    return sorted(out, key=lambda s: (s.constraints, s.name))


def shape_prover(shape: ShapeKeys, loaded: dict[Path, "MarginProver"]) -> "MarginProver":
    """A prover holding only ``shape``'s keys (its key set is loaded once into
    ``loaded`` and checked there), so that every proof is made at that shape."""
    from zkmargin.api import MarginProver

    if shape.keyset not in loaded:
        loaded[shape.keyset] = MarginProver.load(shape.keyset)
    full = loaded[shape.keyset]
    if full.shapes == [shape.name]:
        return full
    return MarginProver(full.statement, [full.shape_keys(shape.name)], full.directory)


def fitting_accounts(shape: ShapeKeys, accounts: Sequence) -> list:
    """The accounts whose positions and collateral fit the shape's slots."""
    return [a for a in accounts
            if len(a.positions) <= shape.N and len(a.collateral) <= shape.K]


def smallest_standard_shape(account) -> str:
    """The first standard shape whose slots hold ``account`` (ValueError if none)."""
    for name, (n, k) in LADDER.items():
        if len(account.positions) <= n and len(account.collateral) <= k:
            return name
    raise ValueError(f"{account.name or 'account'}: {len(account.positions)} positions and "
                     f"{len(account.collateral)} collateral assets exceed every standard shape")
