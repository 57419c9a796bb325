"""The iden3 binary container used by ``.ptau``, ``.zkey``, ``.wtns`` and ``.r1cs``.

Layout (all integers little-endian)::

    magic[4] | version u32 | n_sections u32 | n_sections * (type u32 | size u64 | data[size])

A section type may repeat in general; snarkjs's ptau/zkey/wtns files use each id once,
and so does this module (a repeated id is rejected).  Files are memory-mapped, so a
section becomes a numpy view without copying (:meth:`BinFile.array`).
"""
from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable, Union

import numpy as np

from prover.errors import ProverError

PathLike = Union[str, "os.PathLike[str]"]
Chunk = Union[bytes, bytearray, memoryview, np.ndarray]


@dataclass
class BinFile:
    """A parsed container: ``sections[id] = (offset, size)`` into ``data``."""

    path: str
    magic: bytes
    version: int
    data: Union[mmap.mmap, bytes]
    sections: dict[int, tuple[int, int]] = field(default_factory=dict)

    def has(self, section_id: int) -> bool:
        return section_id in self.sections

    def section(self, section_id: int, name: str = "") -> memoryview:
        """The raw bytes of one section (a zero-copy view)."""
        if section_id not in self.sections:
            label = f" ({name})" if name else ""
            raise ProverError(f"{self.path}: section {section_id}{label} is missing")
        off, size = self.sections[section_id]
        return memoryview(self.data)[off:off + size]

    def array(self, section_id: int, width: int, count: int | None = None,
              offset: int = 0, name: str = "") -> np.ndarray:
        """A read-only (count, width) uint64 view of a section starting at byte
        ``offset``; with ``count=None`` the section must hold whole rows exactly."""
        raw = self.section(section_id, name)
        row = 8 * width
        label = name or f"section {section_id}"
        if count is None:
            if (len(raw) - offset) % row:
                raise ProverError(f"{self.path}: {label} size {len(raw)} is not a "
                                  f"multiple of {row} bytes")
            count = (len(raw) - offset) // row
        end = offset + count * row
        if end > len(raw):
            raise ProverError(f"{self.path}: {label} is truncated "
                              f"({len(raw)} bytes, need {end})")
        return np.frombuffer(raw, dtype="<u8", count=count * width,
                             offset=offset).reshape(count, width)

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            try:
                self.data.close()
            except BufferError:
                pass  # numpy views still alive: the map closes when they go


def read_binfile(path: PathLike, magic: bytes, max_version: int = 1) -> BinFile:
    """Open and index a container, checking magic, version and section bounds."""
    name = str(path)
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size < 12:
            raise ProverError(f"{name}: file too short ({size} bytes) for a "
                              f"{magic.decode()} file")
        data: Union[mmap.mmap, bytes] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    got, version, n_sections = struct.unpack_from("<4sII", data, 0)
    if got != magic:
        raise ProverError(f"{name}: not a {magic.decode()} file (magic {got!r})")
    if not 1 <= version <= max_version:
        raise ProverError(f"{name}: unsupported {magic.decode()} version {version}")
    out = BinFile(name, got, version, data)
    pos = 12
    for _ in range(n_sections):
        if pos + 12 > size:
            raise ProverError(f"{name}: truncated section table")
        sid, ssize = struct.unpack_from("<IQ", data, pos)
        pos += 12
        if pos + ssize > size:
            raise ProverError(f"{name}: section {sid} is truncated "
                              f"({size - pos} of {ssize} bytes)")
        if sid in out.sections:
            raise ProverError(f"{name}: section {sid} appears twice")
        out.sections[sid] = (pos, ssize)
        pos += ssize
    if pos != size:
        raise ProverError(f"{name}: {size - pos} trailing bytes after the last section")
    return out


def _nbytes(chunk: Chunk) -> int:
    return chunk.nbytes if isinstance(chunk, (np.ndarray, memoryview)) else len(chunk)


def write_binfile(fh: BinaryIO, magic: bytes, version: int,
                  sections: Iterable[tuple[int, list[Chunk]]]) -> None:
    """Write a container; each section is a list of chunks (bytes or arrays)."""
    sections = list(sections)
    fh.write(struct.pack("<4sII", magic, version, len(sections)))
    for sid, chunks in sections:
        fh.write(struct.pack("<IQ", sid, sum(_nbytes(c) for c in chunks)))
        for chunk in chunks:
            if isinstance(chunk, np.ndarray):
                fh.write(np.ascontiguousarray(chunk).reshape(-1).view(np.uint8))
            else:
                fh.write(chunk)


def int_to_le(value: int, n8: int) -> bytes:
    return value.to_bytes(n8, "little")


def le_to_int(raw: bytes | memoryview) -> int:
    return int.from_bytes(bytes(raw), "little")
