"""The base every layer may use: the project version, atomic file output, strict JSON.

It imports none of zkmargin's layers (``native``, ``engine``, ``circuits``, ``prover``,
``verifier``, ``zkmargin``), so any of them can import it without bending the layer
diagram of ``docs/architecture.md``.
"""
from __future__ import annotations

import sys as _sys

__version__ = "0.1.0"


def _import_py_ecc_keeping_recursion_limit() -> None:
    """Import ``py_ecc`` once, here, and undo its side effect on the interpreter.

    ``py_ecc/__init__`` raises ``sys.setrecursionlimit`` to 100,000; with that limit a
    deep enough recursion (a JSON decoder on nested brackets, a ``repr``) overflows the C
    stack and kills the process with SIGSEGV instead of raising ``RecursionError``.
    Every layer imports :mod:`zkbase` before py_ecc (``native``, ``prover`` and
    ``verifier`` import it in their ``__init__``), so the first import of py_ecc happens
    here and the previous limit is put back.  None of our py_ecc calls recurses deeply.
    When py_ecc was already imported by the host program, its limit is left alone.
    """
    if "py_ecc" in _sys.modules:
        return
    limit = _sys.getrecursionlimit()
    try:
        import py_ecc  # noqa: F401
    except ImportError:  # pragma: no cover - py_ecc is a dependency
        return
    finally:
        _sys.setrecursionlimit(limit)


_import_py_ecc_keeping_recursion_limit()
