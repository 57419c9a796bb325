"""Atomic file output: nothing half-written is ever left on disk.

Every writer in zkmargin goes through these helpers: the bytes go to a temporary file
in the destination directory, are flushed and fsynced, and the file is then renamed
over the destination (``os.replace`` is atomic on POSIX).  On any error the temporary
file is removed and the destination is untouched.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator, Union

PathLike = Union[str, "os.PathLike[str]"]


@contextmanager
def atomic_open(path: PathLike, mode: str = "wb", *, permissions: int | None = None
                ) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it onto ``path`` on success.

    ``permissions`` (e.g. ``0o600`` for a secret key) replaces the mode a plain
    ``open`` would give; the file never has wider permissions, not even briefly.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open: unsupported mode {mode!r}")
    dest = Path(path)
    directory = dest.parent if str(dest.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, _new_file_mode(dest) if permissions is None else permissions)
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _new_file_mode(dest: Path) -> int:
    """The mode a plain ``open(dest, "w")`` would give: the existing file's mode, or
    0o666 less the umask (``mkstemp`` alone would make every output private, 0o600)."""
    try:
        return dest.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: PathLike, text: str, *, permissions: int | None = None) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "w", permissions=permissions) as fh:
        fh.write(text)
