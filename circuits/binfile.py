"""The iden3 binary container used by ``.ptau``, ``.zkey``, ``.wtns`` and ``.r1cs``.

Layout (all integers little-endian)::

    magic[4] | version u32 | n_sections u32 | n_sections * (type u32 | size u64 | data[size])

A section type may repeat in general; circom's and snarkjs's files use each id once,
and so does this module (a repeated id is rejected).  Files are memory-mapped, so a
section becomes a numpy view without copying (:meth:`BinFile.array`).

One reader serves both layers: ``circuits`` (``.r1cs``, ``.wtns``) and ``prover``
(``.ptau``, ``.zkey``, ``.wtns`` as numpy); each passes its own error class, so a
malformed file is a one-line ``CircuitError`` or ``ProverError`` naming the file.
"""
from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Type, Union

import numpy as np

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
    error: Type[ValueError] = ValueError

    def has(self, section_id: int) -> bool:
        return section_id in self.sections

    def section(self, section_id: int, name: str = "") -> memoryview:
        """The raw bytes of one section (a zero-copy view)."""
        if section_id not in self.sections:
            label = f" ({name})" if name else ""
            raise self.error(f"{self.path}: section {section_id}{label} is missing")
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
                raise self.error(f"{self.path}: {label} size {len(raw)} is not a "
                                  f"multiple of {row} bytes")
            count = (len(raw) - offset) // row
        end = offset + count * row
        if end > len(raw):
            raise self.error(f"{self.path}: {label} is truncated "
                              f"({len(raw)} bytes, need {end})")
        return np.frombuffer(raw, dtype="<u8", count=count * width,
                             offset=offset).reshape(count, width)

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            try:
                self.data.close()
            except BufferError:
                pass  # numpy views still alive: the map closes when they go


def read_binfile(path: PathLike, magic: bytes, max_version: int = 1, *,
                 min_version: int = 1, error: Type[ValueError] = ValueError) -> BinFile:
    """Open and index a container, checking magic, version and section bounds;
    every problem raises ``error`` with a one-line message naming the file."""
    name, kind = str(path), magic.decode()
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size < 12:
                raise error(f"{name}: file too short ({size} bytes) for a {kind} file")
            data: Union[mmap.mmap, bytes] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise error(f"{name}: cannot read ({exc.strerror or exc})") from None
    got, version, n_sections = struct.unpack_from("<4sII", data, 0)
    if got != magic:
        raise error(f"{name}: not a {kind} file (wrong magic {got!r})")
    if not min_version <= version <= max_version:
        raise error(f"{name}: {kind} version {version} is not supported")
    out = BinFile(name, got, version, data, error=error)
    pos = 12
    for _ in range(n_sections):
        if pos + 12 > size:
            raise error(f"{name}: truncated section table")
        sid, ssize = struct.unpack_from("<IQ", data, pos)
        pos += 12
        if pos + ssize > size:
            raise error(f"{name}: section {sid} is truncated ({size - pos} of {ssize} bytes)")
        if sid in out.sections:
            raise error(f"{name}: section {sid} appears twice")
        out.sections[sid] = (pos, ssize)
        pos += ssize
    if pos != size:
        raise error(f"{name}: {size - pos} trailing bytes after the last section")
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
