"""Atomic file output: nothing half-written is ever left on disk.

Every writer in zkmargin goes through these helpers: the bytes go to a temporary file
in the destination directory, are flushed and fsynced, and the file is then renamed
over the destination (``os.replace`` is atomic on POSIX).  On any error, including
:class:`Interrupted` raised by a signal (:func:`signals_as_exceptions`), the temporary
file is removed and the destination is untouched; an ``OSError`` names the destination,
never the hidden temporary file.

* :func:`output_group` makes several files one output: each is staged to its own
  temporary file; only when all are written are they renamed into place, one after
  the other, and if a rename fails the ones already renamed are rolled back (the old
  file restored, or a new one removed).  So the files of one command appear together
  or none does.
* :func:`check_output_paths` refuses an output that resolves to one of the inputs or
  to another output (a command must never destroy its own input).
"""
from __future__ import annotations

import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Optional, Union

PathLike = Union[str, "os.PathLike[str]"]


class OutputPathError(ValueError):
    """An output path that would overwrite an input or another output of the command."""


class Interrupted(BaseException):
    """Raised in the main thread by SIGTERM/SIGHUP (see :func:`signals_as_exceptions`).

    A ``BaseException``, like ``KeyboardInterrupt``, so that ``except Exception``
    clauses do not swallow it while ``finally``/cleanup code still runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


@contextmanager
def signals_as_exceptions(signums: Iterable[int] = (signal.SIGTERM, signal.SIGHUP)
                          ) -> Iterator[None]:
    """While active, SIGTERM and SIGHUP raise :class:`Interrupted` in the main thread, so
    that the temporary files of the writers here are removed instead of left behind.
    The previous handlers come back on exit.  Outside the main thread it does nothing
    (Python delivers signals to the main thread only)."""
    previous: dict[int, Any] = {}
    try:
        for signum in signums:
            previous[signum] = signal.signal(signum, _raise_interrupted)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output_paths(outputs: Iterable[Optional[PathLike]],
                       inputs: Iterable[Optional[PathLike]] = ()) -> None:
    """Refuse outputs that resolve (symbolic links followed; hard links detected when
    both exist) to an input or to each other; ``None`` entries are skipped.

    Raises :class:`OutputPathError` naming the output and what it collides with."""
    ins = [(str(p), _resolve(p)) for p in inputs if p is not None]
    seen: list[tuple[str, Path]] = []
    for out in outputs:
        if out is None:
            continue
        resolved = _resolve(out)
        for name, other in ins:
            if _same_file(resolved, other):
                raise OutputPathError(f"{out}: output is the input file {name}; "
                                      "refusing to overwrite an input")
        for name, other in seen:
            if _same_file(resolved, other):
                raise OutputPathError(f"{out}: the same path is given for two outputs "
                                      f"({name})")
        seen.append((str(out), resolved))


def _resolve(path: PathLike) -> Path:
    """``path`` made absolute with symbolic links followed (a link loop stays as given:
    opening it fails later with an error naming it)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _named(exc: OSError, dest: Path) -> OSError:
    """``exc`` re-made to name ``dest`` (not the temporary file it was raised for)."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(dest))


def _stage(dest: Path) -> tuple[int, str]:
    directory = dest.parent if str(dest.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _named(exc, dest) from None
    return fd, tmp


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@contextmanager
def atomic_open(path: PathLike, mode: str = "wb", *, permissions: int | None = None
                ) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it onto ``path`` on success.

    ``permissions`` (e.g. ``0o600`` for a secret key) replaces the mode a plain
    ``open`` would give; the file never has wider permissions, not even briefly.
    """
    with output_group() as group:
        with group.open(path, mode, permissions=permissions) as fh:
            yield fh


class OutputGroup:
    """Files written together: staged to temporary files, renamed into place by
    :meth:`commit` (all of them) or removed by :meth:`abort` (all of them)."""

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []

    @contextmanager
    def open(self, path: PathLike, mode: str = "wb", *, permissions: int | None = None
             ) -> Iterator[IO]:
        """A file handle on a temporary file beside ``path``, staged for the commit
        (``permissions``: as for :func:`atomic_open`)."""
        if mode not in ("wb", "w"):
            raise ValueError(f"atomic_open: unsupported mode {mode!r}")
        dest = Path(path)
        fd, tmp = _stage(dest)
        self._staged.append((tmp, dest))
        try:
            os.fchmod(fd, _new_file_mode(dest) if permissions is None else permissions)
            with os.fdopen(fd, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise _named(exc, dest) from None

    def write_bytes(self, path: PathLike, data: bytes) -> None:
        with self.open(path, "wb") as fh:
            fh.write(data)

    def write_text(self, path: PathLike, text: str) -> None:
        with self.open(path, "w") as fh:
            fh.write(text)

    def commit(self) -> None:
        """Rename every staged file onto its destination; on a failure, undo the renames
        already made (an old file comes back from its hard-linked backup, a new one is
        removed) and re-raise."""
        done: list[tuple[str, Path, Optional[str], bool]] = []
        try:
            for tmp, dest in self._staged:
                existed = dest.exists()
                backup = None
                if existed and dest.is_file():
                    backup = tempfile.mktemp(prefix=f".{dest.name}.", suffix=".old",
                                             dir=dest.parent if str(dest.parent) else ".")
                    try:
                        os.link(dest, backup)
                    except OSError:
                        backup = None
                done.append((tmp, dest, backup, existed))
                try:
                    os.replace(tmp, dest)
                except OSError as exc:
                    raise _named(exc, dest) from None
        except BaseException:
            self._rollback(done)
            self.abort()
            raise
        for _, _, backup, _ in done:
            if backup is not None:
                _unlink(backup)
        self._staged = []

    @staticmethod
    def _rollback(done: list[tuple[str, Path, Optional[str], bool]]) -> None:
        for tmp, dest, backup, existed in reversed(done):
            if os.path.exists(tmp):  # not renamed: the destination is untouched
                if backup is not None:
                    _unlink(backup)
            elif backup is not None:
                os.replace(backup, dest)
            elif not existed:
                _unlink(str(dest))

    def abort(self) -> None:
        """Remove every staged temporary file."""
        for tmp, _ in self._staged:
            _unlink(tmp)
        self._staged = []


@contextmanager
def output_group() -> Iterator[OutputGroup]:
    """All-or-nothing output of several files: write them through the yielded group;
    they are renamed into place when the block ends without an exception, and none of
    them appears (temporary files removed, old files kept) when it raises."""
    group = OutputGroup()
    try:
        yield group
    except BaseException:
        group.abort()
        raise
    group.commit()


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
