"""Shared test fixtures: paths to bundled vectors and the pinned node tools.

Node tools (snarkjs, circom2, circomlibjs, solc) are installed by the README's test
command into ``tests/js/node_modules``.  A test that needs one and cannot find it
fails with a message saying how to install it; it never skips.
"""
from __future__ import annotations

import json
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


def load_vectors(relative: str) -> Any:
    """Load a JSON vector file from ``tests/vectors``."""
    return json.loads((VECTORS / relative).read_text())


def node_tool(name: str) -> Path:
    """Path of a pinned node tool; fails (never skips) when it is not installed."""
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
