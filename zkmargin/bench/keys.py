"""The margin shapes to measure and their keys.

A shape ``n{N}k{K}`` is a margin circuit with N position slots and K collateral slots
on a risk book (S, H, k and the Merkle depths come from the book).  Keys come from a
key set (``KEYSET/keyset.json`` listing the shapes, ``KEYSET/<name>/`` holding
``margin.zkey``, ``verification_key.json`` and ``circuit.json``) or, without one, from
INSECURE development keys made once per shape and cached under
``$XDG_CACHE_HOME/zkmargin`` (a benchmark needs keys of the right size, not secure ones).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from zkbase.jsonio import read_json

from engine.riskbook import RiskBook

#: The standard shapes, smallest first.
STANDARD_SHAPES: tuple[str, ...] = ("n4k2", "n8k2", "n16k4", "n32k4", "n64k4")
KEYSET_FILE = "keyset.json"


@dataclass(frozen=True)
class ShapeKeys:
    """One shape's key directory (``margin.zkey``, ``verification_key.json``,
    ``circuit.json``) with its slot counts and constraint count."""

    name: str
    N: int
    K: int
    directory: Path
    constraints: int
    statement: str


def parse_shape(name: str) -> tuple[int, int]:
    """``"n16k4"`` -> (16, 4); raises ValueError for anything else."""
    m = re.fullmatch(r"n(\d+)k(\d+)", name.strip())
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"{name!r}: a shape name is n<N>k<K> (e.g. n4k2, n16k4)")
    return int(m.group(1)), int(m.group(2))


def shape_name(n_slots: int, k_slots: int) -> str:
    return f"n{n_slots}k{k_slots}"


def _from_directory(name: str, directory: Path) -> ShapeKeys:
    meta = read_json(directory / "circuit.json")
    n, k = parse_shape(name)
    return ShapeKeys(name, n, k, directory, int(meta.get("constraints", 0)),
                     str(meta.get("statement", "full")))


def open_keyset(path: str | Path, names: Optional[Sequence[str]] = None) -> list[ShapeKeys]:
    """The shapes of the key set at ``path`` (all of them, or those in ``names``), smallest
    first.  Raises ValueError ``PATH: FIELD: reason`` for a malformed set or an unknown
    shape."""
    root = Path(path)
    index = root / KEYSET_FILE
    try:
        meta = read_json(index)
        listed = [str(s["name"]) for s in meta["shapes"]]
    except FileNotFoundError:
        raise ValueError(f"{index}: not a key set (no {KEYSET_FILE})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{index}: shapes: malformed ({exc})") from None
    wanted = list(listed) if names is None else list(names)
    for name in wanted:
        if name not in listed:
            raise ValueError(f"{index}: shapes: no shape {name!r} (the set has "
                             f"{', '.join(listed)})")
    shapes = [_from_directory(name, root / name) for name in wanted]
    return sorted(shapes, key=lambda s: (s.constraints, s.name))


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zkmargin"


def dev_key_dir(book: RiskBook, name: str, statement: str = "full",
                cache: Optional[Path] = None) -> Path:
    """Where the cached development keys of shape ``name`` on ``book`` live."""
    from circuits.margin import MarginShape

    n, k = parse_shape(name)
    shape = MarginShape.from_book(book, n, k)
    tag = "-".join(str(v) for v in (shape.N, shape.K, shape.S, shape.H, shape.k,
                                     shape.depth_instruments, shape.depth_collateral))
    return (cache if cache is not None else cache_dir()) / f"dev-keys-{statement}-{tag}"


def _complete(directory: Path) -> bool:
    from zkmargin.api import CIRCUIT_FILE, VK_FILE, ZKEY_FILE

    return all((directory / f).is_file() for f in (CIRCUIT_FILE, VK_FILE, ZKEY_FILE))


def cached_dev_shape_keys(book: RiskBook, names: Sequence[str], statement: str = "full",
                          cache: Optional[Path] = None) -> list[ShapeKeys]:
    """The shapes of ``names`` whose development keys are already cached."""
    out = []
    for name in names:
        directory = dev_key_dir(book, name, statement, cache)
        if _complete(directory):
            out.append(_from_directory(name, directory))
    return out


def dev_shape_keys(book: RiskBook, names: Sequence[str], statement: str = "full",
                   on_setup: Optional[Callable[[str], Callable[[], None]]] = None,
                   cache: Optional[Path] = None) -> list[ShapeKeys]:
    """INSECURE development keys of ``names`` for ``book``'s shape, made once and cached.

    ``on_setup(name)`` is called before a shape's keys are made (they were not cached)
    and returns a callable invoked when they are ready (progress reporting)."""
    from zkmargin.api import MarginProver

    out = []
    for name in names:
        n, k = parse_shape(name)
        directory = dev_key_dir(book, name, statement, cache)
        if not _complete(directory):
            finished = on_setup(name) if on_setup else None
            MarginProver.setup(book, directory, n_slots=n, k_slots=k, statement=statement)
            if finished:
                finished()
        out.append(_from_directory(name, directory))
    return sorted(out, key=lambda s: (s.constraints, s.name))


def fitting_accounts(shape: ShapeKeys, accounts: Sequence) -> list:
    """The accounts whose positions and collateral fit the shape's slots."""
    return [a for a in accounts
            if len(a.positions) <= shape.N and len(a.collateral) <= shape.K]


def smallest_standard_shape(account) -> str:
    """The first standard shape whose slots hold ``account`` (ValueError if none)."""
    for name in STANDARD_SHAPES:
        n, k = parse_shape(name)
        if len(account.positions) <= n and len(account.collateral) <= k:
            return name
    raise ValueError(f"{account.name or 'account'}: {len(account.positions)} positions and "
                     f"{len(account.collateral)} collateral assets exceed every standard shape")
