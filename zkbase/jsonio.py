"""Strict JSON reading: every JSON file zkmargin reads goes through :func:`read_json`.

On top of :func:`json.loads` (RFC 8259 syntax) a document is refused, with a
:class:`JSONInputError` (a ``ValueError``) whose one-line message names the file and,
where there is one, the field (``positions[0].qty``), when it

* is not UTF-8 (the offset of the first bad byte is named);
* nests arrays/objects more than :data:`MAX_DEPTH` levels deep.  The depth is measured
  on the raw text *before* parsing, without recursion: string literals are blanked
  out, and the running sum of ``+1`` per ``[``/``{`` and ``-1`` per ``]``/``}`` over the
  remaining characters is the nesting depth.  The decoder therefore never recurses
  more than :data:`MAX_DEPTH` levels, whatever the interpreter's recursion limit;
* has an object with the same key twice (``{"cash": "1", "cash": "2"}`` is ambiguous
  for a signed or committed object, so it is refused instead of keeping the last);
* has an integer literal of more than :data:`MAX_INT_DIGITS` digits (Python's own
  limit for int/str conversion, which would otherwise raise a bare ``ValueError``);
* uses ``NaN``/``Infinity`` (not JSON).

Importing this package also restores the recursion limit that ``py_ecc`` raises
when it is first imported (see :mod:`zkbase`).
"""
from __future__ import annotations

import json
import os
import re
from itertools import accumulate
from pathlib import Path
from typing import Any, Union

PathLike = Union[str, "os.PathLike[str]"]

#: deepest nesting of arrays/objects accepted (our files need at most 5)
MAX_DEPTH = 64
#: longest integer literal accepted, in digits (Python's int/str conversion limit)
MAX_INT_DIGITS = 4300

# a string literal, or an unterminated one running to the end (linear: never retried)
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JSONInputError(ValueError):
    """A JSON input that is not acceptable; the message names the file and the field."""


class _Marker:
    """Stands in, during decoding, for a value that is refused once its path is known."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def nesting_depth(data: bytes) -> int:
    """The deepest array/object nesting of a JSON text, computed without recursion.

    String literals are removed first (a bracket inside a string does not nest); the
    depth is then the maximum prefix sum of the bracket steps.  For an ill-formed text
    the value is an upper bound of what a decoder would reach before failing.
    """
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    if not brackets:
        return 0
    return max(0, max(accumulate(_STEP[b] for b in brackets)))


def loads(data: Union[bytes, str], source: str = "input") -> Any:
    """Decode a JSON document strictly (see the module docstring); errors name ``source``."""
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass")
        text = data
    else:
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError(f"{source}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                                 f"offset {exc.start})") from None
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:
        raise JSONInputError(f"{source}: nested too deeply ({depth} levels, at most "
                             f"{MAX_DEPTH})")
    flagged = [False]

    def pairs(items: list[tuple[str, Any]]) -> Any:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                flagged[0] = True
                out[key] = _Marker("duplicate key")
            else:
                out[key] = value
        return out

    def integer(literal: str) -> Any:
        digits = len(literal.lstrip("-"))
        if digits > MAX_INT_DIGITS:
            flagged[0] = True
            return _Marker(f"integer of {digits} digits (at most {MAX_INT_DIGITS})")
        return int(literal)

    def constant(name: str) -> Any:
        flagged[0] = True
        return _Marker(f"{name} is not a JSON number")

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_int=integer,
                           parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise JSONInputError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno} "
                             f"column {exc.colno})") from None
    except RecursionError:  # unreachable after the depth check; kept as a clean error
        raise JSONInputError(f"{source}: nested too deeply") from None
    if flagged[0]:
        _raise_marked(value, source)
    return value


def _raise_marked(value: Any, source: str) -> None:
    """Find the first :class:`_Marker` (depth-first, iteratively) and raise its error."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, _Marker):
            where = path.lstrip(".") or "(top level)"
            raise JSONInputError(f"{source}: {where}: {item.reason}")
        if isinstance(item, dict):
            stack.extend((f"{path}.{k}", v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(item))))


def read_json(path: PathLike, source: str | None = None) -> Any:
    """Read and strictly decode the JSON file ``path``; errors name ``source`` (default:
    the path).  A missing or unreadable file raises the ``OSError``, naming the path."""
    return loads(Path(path).read_bytes(), str(path) if source is None else source)


__all__ = ["JSONInputError", "MAX_DEPTH", "MAX_INT_DIGITS", "loads", "nesting_depth",
           "read_json"]
