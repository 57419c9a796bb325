"""The base every layer may use: the project version and atomic file output.

It imports none of zkmargin's layers (``native``, ``engine``, ``circuits``, ``prover``,
``verifier``, ``zkmargin``), so any of them can import it without bending the layer
diagram of ``docs/architecture.md``.
"""
from __future__ import annotations

__version__ = "0.1.0"
