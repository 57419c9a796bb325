"""Progress of a long benchmark: a bar on a terminal, plain lines in a log, or nothing.

``Progress(total)`` counts steps.  On a terminal each ``start`` redraws one line
``[#####-----] 3/12  label`` and each ``done`` prints the finished step above it; when
the stream is not a terminal (a log file, CI) every ``done`` is one plain line
``[3/12] label: detail (4.2 s)``.  ``Progress.off()`` prints nothing (``--json``).
"""
from __future__ import annotations

import sys
import time
from typing import IO, Optional

WIDTH = 24


class Progress:
    """Step counter writing to ``stream`` (stderr by default)."""

    def __init__(self, total: int, stream: Optional[IO[str]] = None, enabled: bool = True):
        self.total = max(1, total)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.index = 0
        self._t0 = time.perf_counter()
        self._label = ""

    @classmethod
    def off(cls) -> "Progress":
        return cls(1, enabled=False)

    def start(self, label: str) -> None:
        """A step begins (the bar shows it on a terminal)."""
        self._label, self._t0 = label, time.perf_counter()
        if self.tty:
            self._draw(f"{label} ...")

    def _draw(self, text: str) -> None:
        filled = int(WIDTH * self.index / self.total)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r\033[K[{bar}] {self.index}/{self.total}  {text}")
        self.stream.flush()

    def done(self, detail: str = "") -> None:
        """The current step finished; ``detail`` is its result in a few words."""
        self.index = min(self.total, self.index + 1)
        if not self.enabled:
            return
        took = time.perf_counter() - self._t0
        text = f"[{self.index}/{self.total}] {self._label}" + (f": {detail}" if detail else "") \
            + f" ({took:.1f} s)"
        if self.tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()
        if self.tty and self.index < self.total:
            self._draw("")

    def tick(self, label: str, total: Optional[int] = None) -> None:
        """A step reported only once it is over (``label`` says what was done); the
        time shown is since the previous step."""
        if total is not None:
            self.total = max(1, total)
        self._label = label
        self.done()
        self._t0 = time.perf_counter()

    def note(self, message: str) -> None:
        """A line outside the step count (plans, warnings)."""
        if self.enabled:
            if self.tty:
                self.stream.write("\r\033[K")
            self.stream.write(message + "\n")
            self.stream.flush()
