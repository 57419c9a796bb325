"""Structure rules the import contract (``lint-imports``) cannot state.

* No module imports a private name (``_x``) from another module of ours.
* Every module under ``zkmargin/commands/`` is registered by the CLI.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("zkbase", "native", "engine", "circuits", "prover", "verifier", "zkmargin")


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def private_imports(path: Path) -> list[str]:
    """``from module import _name`` statements of ``path`` that reach into a module of ours."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path}:{node.lineno}: "
                                 f"from {node.module} import {alias.name}")
    return found


def test_private_imports_are_detected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from engine.margin import _net\nfrom os import _exit\n"
                   "from engine.margin import __all__\n")
    assert private_imports(bad) == [f"{bad}:1: from engine.margin import _net"]


def test_no_private_name_is_imported_across_modules() -> None:
    found = [line for path in _sources() for line in private_imports(path)]
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def test_every_command_module_is_registered() -> None:
    from zkmargin.commands import COMMAND_MODULES

    on_disk = {p.stem for p in (ROOT / "zkmargin" / "commands").glob("*.py")} - {"__init__"}
    registered = {m.__name__.rsplit(".", 1)[1] for m in COMMAND_MODULES}
    assert registered == on_disk
