"""The iden3 binary container, as the prover reads it: :mod:`circuits.binfile` with
:class:`ProverError` for malformed files."""
from __future__ import annotations

from functools import partial

from circuits.binfile import BinFile, Chunk, PathLike, write_binfile
from circuits.binfile import read_binfile as _read_binfile
from prover.errors import ProverError

read_binfile = partial(_read_binfile, error=ProverError)

__all__ = ["BinFile", "Chunk", "PathLike", "read_binfile", "write_binfile"]
