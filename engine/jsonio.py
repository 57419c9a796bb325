"""Reading JSON inputs by path or by the name of a bundled file, with clear errors.

Bundled data lives in ``engine/data/`` (installed with the package): the market
snapshot ``default`` (``engine/data/default.json``) and the example accounts
``engine/data/accounts/<name>.json``.  Anything that is not an existing path and
names a bundled file is read from there.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, TypeVar

from engine.errors import EngineError
from zkbase.jsonio import JSONInputError
from zkbase.jsonio import read_json as strict_read_json

T = TypeVar("T")

DATA_DIR = Path(__file__).resolve().parent / "data"
ACCOUNTS_DIR = DATA_DIR / "accounts"


def bundled_snapshots() -> list[str]:
    """Names of the bundled market snapshots."""
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))


def bundled_accounts() -> list[str]:
    """Names of the bundled example accounts, sorted."""
    return sorted(p.stem for p in ACCOUNTS_DIR.glob("*.json"))


def resolve(source: str | Path, bundled_dir: Path) -> Path:
    """``source`` as a path, or the bundled file ``bundled_dir/<source>.json``."""
    path = Path(source)
    if path.exists():
        return path
    candidate = bundled_dir / f"{source}.json"
    if "/" not in str(source) and candidate.exists():
        return candidate
    raise EngineError(f"{source}: no such file (and no bundled file of that name)")


def read_json(path: str | Path) -> Any:
    """Parse a JSON file strictly (:func:`zkbase.jsonio.read_json`: UTF-8, no duplicate
    keys, bounded nesting and integer size); an error names the file and the field."""
    try:
        return strict_read_json(path)
    except JSONInputError as exc:
        raise EngineError(str(exc)) from None


def parse_object(parse: Callable[[Mapping], T], obj: Any, source: str) -> T:
    """``parse(obj)`` for a JSON object; every EngineError is prefixed with ``source``."""
    try:
        if not isinstance(obj, Mapping):
            raise EngineError("expected a JSON object")
        return parse(obj)
    except EngineError as exc:
        raise EngineError(f"{source}: {exc}") from None


def require(obj: Any, key: str, where: str) -> Any:
    """``obj[key]``, or an error naming ``where.key``."""
    if not isinstance(obj, Mapping):
        raise EngineError(f"{where}: expected an object")
    if key not in obj:
        raise EngineError(f"{where}.{key}: missing")
    return obj[key]


def require_list(obj: Any, key: str, where: str) -> list:
    """``obj[key]`` when it is a JSON list."""
    value = require(obj, key, where)
    if not isinstance(value, list):
        raise EngineError(f"{where}.{key}: expected a list")
    return value


def require_str(obj: Any, key: str, where: str) -> str:
    """``obj[key]`` when it is a non-empty JSON string."""
    value = require(obj, key, where)
    if not isinstance(value, str) or not value:
        raise EngineError(f"{where}.{key}: expected a non-empty string")
    return value
