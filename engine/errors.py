"""The engine's one error type.

Every malformed input (a bad decimal, an unknown symbol, an out-of-bound value, a
risk book with the wrong version) raises :class:`EngineError` with a one-line message
that names the offending field or file.  It is a ``ValueError``, so the CLI turns it
into ``error: <message>`` and exit status 2.
"""
from __future__ import annotations


class EngineError(ValueError):
    """Bad input to the margin engine (message names the field)."""
