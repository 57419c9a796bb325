"""``zkmargin serve`` in a child process on 127.0.0.1, ready when ``/v1/health`` answers
(for benchmarks and end-to-end tests that need a real server process)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """``python -m zkmargin.cli serve --keys KEYS --market default`` on a free port, with
    ``workers`` workers and a queue bound of ``max_queue``; the constructor returns once
    ``GET /v1/health`` answers 200, or raises RuntimeError with the server's stderr when
    the process exits or ``startup_s`` pass first.  ``stop()`` terminates it."""

    def __init__(self, keys: Path, *, workers: int = 1, max_queue: int = 4,
                 startup_s: float = 120.0, cwd: Optional[Path] = None) -> None:
        import httpx

        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zkmargin.cli", "serve", "--keys", str(keys), "--market",
             "default", "--port", str(port), "--workers", str(workers),
             "--max-queue", str(max_queue), "--log-level", "warning"], cwd=cwd,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + startup_s
        while True:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError(f"zkmargin serve did not start:\n{self.proc.communicate()[1]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)
