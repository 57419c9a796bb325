"""Key sets: the keys of one margin statement at several circuit shapes.

A margin circuit's cost grows with its slot counts (N position slots, K collateral
slots; every slot pays for a leaf hash and a Merkle path), so an account is proven at
the smallest *shape* that holds it.  Shapes are named ``n{N}k{K}``; the ladder is
:data:`LADDER` (``n4k2``, ``n8k2``, ``n16k4``, ``n32k4``, ``n64k4``); S, H, k and the
tree depths come from the risk book.

A key set is a directory::

    KEYSET/keyset.json                 the manifest (below)
    KEYSET/n4k2/margin.zkey            snarkjs proving key
    KEYSET/n4k2/verification_key.json  snarkjs verification key
    KEYSET/n4k2/circuit.json           the shape, statement, constraint count, matrix hash
    KEYSET/n8k2/...

``keyset.json`` is ``{"format": "zkmargin-keyset-1", "statement": "full"|"health",
"shapes": [{"name", "N", "K", "constraints", "matrix_hash", "vk_sha256"}, ...]}`` with
the shapes sorted smallest first; ``vk_sha256`` is the SHA-256 of the bytes of that
shape's ``verification_key.json``, so ``sha256sum`` of the file reproduces it.
A single key directory (``circuit.json`` without a manifest, the older layout) loads as
a key set of one shape.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence, Union

from circuits.margin.shape import LADDER as _LADDER

PathLike = Union[str, Path]

KEYSET_FORMAT = "zkmargin-keyset-1"
KEYSET_FILE = "keyset.json"
KEYS_FORMAT = "zkmargin-keys-1"
CIRCUIT_FILE = "circuit.json"
ZKEY_FILE = "margin.zkey"
VK_FILE = "verification_key.json"
STATEMENT_FILE = "statement.json"

#: the standard shapes, smallest first: name -> (N position slots, K collateral slots)
LADDER: dict[str, tuple[int, int]] = dict(_LADDER)

_NAME = re.compile(r"n([1-9][0-9]{0,3})k(0|[1-9][0-9]{0,3})")


class MarginKeyError(ValueError):
    """A key set or key directory that is missing, malformed, inconsistent or made for
    another circuit."""


def shape_name(n_slots: int, k_slots: int) -> str:
    """``n{N}k{K}``."""
    return f"n{n_slots}k{k_slots}"


def parse_shape_name(name: str) -> tuple[int, int]:
    """``(N, K)`` of a shape name ``n{N}k{K}``; ValueError for anything else."""
    m = _NAME.fullmatch(name) if isinstance(name, str) else None
    if m is None:
        raise ValueError(f"{name!r} is not a shape name like n4k2 (n<positions>k<collateral>)")
    return int(m.group(1)), int(m.group(2))


def parse_shapes(spec: Union[str, Sequence[str]]) -> list[str]:
    """Shape names from ``"all"`` (the ladder), ``"n4k2,n16k4"`` or a list of names;
    duplicates dropped, sorted smallest first (by N, then K)."""
    if isinstance(spec, str):
        if spec.strip() == "all":
            return list(LADDER)
        spec = [s.strip() for s in spec.split(",") if s.strip()]
    names = list(dict.fromkeys(spec))
    if not names:
        raise ValueError("no shape given (e.g. n4k2,n16k4 or all)")
    dims = {name: parse_shape_name(name) for name in names}
    return sorted(names, key=lambda n: dims[n])


def file_sha256(path: PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class ShapeEntry:
    """One shape of a key set's manifest."""

    name: str
    N: int
    K: int
    constraints: int
    matrix_hash: str
    vk_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "N": self.N, "K": self.K, "constraints": self.constraints,
                "matrix_hash": self.matrix_hash, "vk_sha256": self.vk_sha256}


@dataclass(frozen=True)
class Manifest:
    """``keyset.json``: the statement and the shapes (smallest first)."""

    statement: str
    shapes: tuple[ShapeEntry, ...]

    def to_json(self) -> dict[str, Any]:
        return {"format": KEYSET_FORMAT, "statement": self.statement,
                "shapes": [s.to_json() for s in self.shapes]}

    @property
    def shape_names(self) -> list[str]:
        return [s.name for s in self.shapes]

    def entry(self, name: str) -> ShapeEntry:
        for s in self.shapes:
            if s.name == name:
                return s
        raise KeyError(name)


def load_json_file(path: Path, what: str = "") -> Any:
    """Parse a JSON file strictly (:func:`zkbase.jsonio.read_json`: duplicate keys,
    deep nesting, non-UTF-8 refused); MarginKeyError naming the file on any problem."""
    from zkbase.jsonio import read_json

    if not path.exists():
        raise MarginKeyError(f"{path}: missing{' (' + what + ')' if what else ''}")
    try:
        return read_json(path)
    except OSError as exc:
        raise MarginKeyError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise MarginKeyError(str(exc)) from None


def read_manifest(directory: PathLike) -> Manifest:
    """Read and check ``directory/keyset.json``."""
    from circuits.margin import STATEMENTS

    path = Path(directory) / KEYSET_FILE
    obj = load_json_file(path)
    if not isinstance(obj, dict) or obj.get("format") != KEYSET_FORMAT:
        raise MarginKeyError(f"{path}: format: expected {KEYSET_FORMAT!r}")
    statement = obj.get("statement")
    if statement not in STATEMENTS:
        raise MarginKeyError(f"{path}: statement: {statement!r} is not one of "
                             f"{', '.join(STATEMENTS)}")
    shapes = obj.get("shapes")
    if not isinstance(shapes, list) or not shapes:
        raise MarginKeyError(f"{path}: shapes: expected a non-empty list")
    entries = []
    for i, s in enumerate(shapes):
        where = f"{path}: shapes[{i}]"
        if not isinstance(s, dict):
            raise MarginKeyError(f"{where}: expected an object")
        try:
            n, k = parse_shape_name(s.get("name"))
        except ValueError as exc:
            raise MarginKeyError(f"{where}.name: {exc}") from None
        for key in ("N", "K", "constraints"):
            if type(s.get(key)) is not int or s[key] < 0:
                raise MarginKeyError(f"{where}.{key}: expected a non-negative integer")
        if (s["N"], s["K"]) != (n, k):
            raise MarginKeyError(f"{where}: N, K = {s['N']}, {s['K']} do not match the name "
                                 f"{s['name']!r}")
        for key in ("matrix_hash", "vk_sha256"):
            if not isinstance(s.get(key), str) or not re.fullmatch(r"[0-9a-f]{64}", s[key]):
                raise MarginKeyError(f"{where}.{key}: expected 64 hex digits")
        entries.append(ShapeEntry(s["name"], n, k, s["constraints"], s["matrix_hash"],
                                  s["vk_sha256"]))
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise MarginKeyError(f"{path}: shapes: a shape is listed twice")
    if names != parse_shapes(names):
        raise MarginKeyError(f"{path}: shapes: not sorted smallest first")
    return Manifest(statement, tuple(entries))
