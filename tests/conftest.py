"""Shared test fixtures: paths to bundled vectors and the pinned node tools.

Node tools (snarkjs, circom2, circomlibjs, solc) are installed by the README's test
command into ``tests/js/node_modules``.  A test that needs one and cannot find it
fails with a message saying how to install it; it never skips.

The markers are a contract: a test that runs node (through :func:`node_tool`,
:func:`run_node_tool` or :func:`run_node_script`, directly or in a fixture it uses)
must be marked ``interop``, and such a call from an unmarked test fails it, so the
fast tier (``-m "not slow and not interop"``) never needs node.  A test that needs a
margin proving key set (:data:`KEY_FIXTURES`) is marked ``slow`` at collection.  With ``CI=true`` a
run that selects interop tests stops before the first test when node or the pinned
tools are missing, instead of failing each of them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
VECTORS = TESTS / "vectors"
JS_DIR = TESTS / "js"
NODE_BIN = JS_DIR / "node_modules" / ".bin"


#: the test whose setup, call or teardown is running (empty outside a pytest run)
_RUNNING: list[pytest.Item] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Remember the running test, for :func:`_require_interop_mark`."""
    _RUNNING[:] = [item]


def pytest_runtest_logfinish() -> None:
    """Forget the test that has finished."""
    _RUNNING.clear()


def _require_interop_mark(what: str) -> None:
    """Fail the running test if it runs node without the ``interop`` marker."""
    if _RUNNING and _RUNNING[0].get_closest_marker("interop") is None:
        pytest.fail(f"{_RUNNING[0].nodeid} runs {what} but is not marked "
                    "@pytest.mark.interop (tests that need node must be)", pytrace=False)


def _missing_node_tools() -> str | None:
    """Why the interop tests cannot run here, or None when node and tests/js are installed."""
    if shutil.which("node") is None:
        return "node is not installed: the interop tests need Node.js >= 18"
    if not NODE_BIN.is_dir():
        return "tests/js/node_modules is missing: run `npm ci --prefix tests/js`"
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    """With CI=true, a run that selects interop tests needs the node tools: stop early."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    if not any(item.get_closest_marker("interop") for item in session.items):
        return
    why = _missing_node_tools()
    if why is not None:
        raise pytest.UsageError(f"CI=true and interop tests are selected, but {why}")


#: session fixtures that make Groth16 proving keys for the margin circuit: a test that
#: uses one (directly or through another fixture) belongs to the slow tier
KEY_FIXTURES = frozenset({"dev_keyset", "bundled_keyset", "keys", "service_keys",
                          "ray_cluster"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that needs a margin key set (see :data:`KEY_FIXTURES`)."""
    for item in items:
        if KEY_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def load_vectors(relative: str) -> Any:
    """Load a JSON vector file from ``tests/vectors``."""
    return json.loads((VECTORS / relative).read_text())


def node_tool(name: str) -> Path:
    """Path of a pinned node tool; fails (never skips) when it is not installed."""
    _require_interop_mark(name)
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the interop tests need Node.js >= 18")
    path = NODE_BIN / name
    if not path.exists():
        pytest.fail(
            f"{name} is not installed under tests/js: run `npm ci --prefix tests/js` "
            "(the README's test command does this)"
        )
    return path


def run_node_tool(name: str, *args: str, cwd: Path | None = None, timeout: float = 300) -> str:
    """Run a pinned node tool, fail the test with its output if it exits non-zero."""
    proc = subprocess.run(
        [str(node_tool(name)), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        pytest.fail(f"{name} {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                    f"{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def run_node_script(script: str, *args: str, timeout: float = 300) -> str:
    """Run a JavaScript snippet with node, resolving modules from ``tests/js``."""
    _require_interop_mark("node")
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the interop tests need Node.js >= 18")
    if not (JS_DIR / "node_modules").exists():
        pytest.fail("tests/js/node_modules is missing: run `npm ci --prefix tests/js`")
    proc = subprocess.run(
        ["node", "-e", script, "--", *map(str, args)],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        pytest.fail(f"node script failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


@pytest.fixture
def node_tools() -> Callable[[str], Path]:
    """Fixture form of :func:`node_tool`."""
    return node_tool


@pytest.fixture(scope="session")
def bundled_book():
    """The risk book of the bundled snapshot ``default`` (built once per session)."""
    from engine.riskbook import RiskBook

    return RiskBook.from_snapshot("default")


@pytest.fixture(scope="session")
def dev_keyset(bundled_book, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A development key set (statement ``full``, shapes n4k2 and n8k2) for the bundled
    book, made once per session and shared by every test that proves margin."""
    from zkmargin.api import MarginProver

    directory = tmp_path_factory.mktemp("dev-keyset") / "keys"
    MarginProver.setup(bundled_book, directory, "n4k2,n8k2", seed=11)
    return directory


@pytest.fixture(scope="session")
def bundled_keyset(bundled_book, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A development key set of the shapes the bundled accounts need (n4k2 for the small
    ones, n16k4 for the basis trader, n64k4 for the options market maker), made once per
    session for the tests that prove every bundled account."""
    from zkmargin.api import MarginProver

    directory = tmp_path_factory.mktemp("bundled-keyset") / "keys"
    MarginProver.setup(bundled_book, directory, "n4k2,n16k4,n64k4", seed=5)
    return directory
