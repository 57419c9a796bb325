"""Fixtures of the prover-service tests: a small development key set made once per
session (shapes n2k1 and n4k2 on the bundled book, so both shapes get used) and a
real uvicorn server on a free port of 127.0.0.1, run in a thread by the test."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import uvicorn

from engine.jsonio import ACCOUNTS_DIR, bundled_accounts, read_json
from engine.riskbook import RiskBook
from zkmargin.api import MarginProver


@pytest.fixture(scope="session")
def service_book() -> RiskBook:
    return RiskBook.from_snapshot("default")


@pytest.fixture(scope="session")
def service_keys(service_book: RiskBook, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("service-keys") / "keyset"
    MarginProver.setup(service_book, directory, ["n2k1", "n4k2"], seed=12)
    return directory


def account_json(name: str) -> dict[str, Any]:
    """A bundled example account as the JSON a client sends."""
    return read_json(ACCOUNTS_DIR / f"{name}.json")


#: the bundled accounts that the service's n4k2 keys hold (at most 4 positions, 2 assets)
BUNDLED = [n for n in bundled_accounts()
           if len(read_json(ACCOUNTS_DIR / f"{n}.json")["positions"]) <= 4
           and len(read_json(ACCOUNTS_DIR / f"{n}.json")["collateral"]) <= 2]


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app: Any):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning",
                                                    timeout_graceful_shutdown=5))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]},
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def client(self, timeout: float = 300) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def live_server_factory() -> Iterator[Any]:
    """``make(app) -> LiveServer``; every server made is stopped at the end."""
    servers: list[LiveServer] = []

    def make(app: Any) -> LiveServer:
        server = LiveServer(app)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
