"""The documentation as a contract: generated tables current, links inside the repository,
normative texts present, no lab-notebook wording in code or docs."""
from __future__ import annotations

import re
import subprocess

import pytest

from benchmarks import tables
from tests.conftest import ROOT

MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: words that describe how or by whom something was made, not what it does
NOTEBOOK = re.compile(r"\b(agents?|engineers?|issues? [0-9]+|my runs?|the issue)\b", re.I)


def test_benchmark_tables_match_their_result_files() -> None:
    for path in MARKDOWN:
        text = path.read_text()
        assert tables.rewrite(text) == text, (
            f"{path.relative_to(ROOT)}: a benchmark table differs from benchmarks/results; "
            "run python -m benchmarks.tables")


def test_every_table_block_names_a_known_benchmark() -> None:
    blocks = [m.group("name") for p in MARKDOWN for m in tables.BLOCK.finditer(p.read_text())]
    assert blocks and set(blocks) <= set(tables.RENDERERS)
    with pytest.raises(tables.TableError):
        tables.render("bench_nothing")


def test_relative_links_stay_inside_the_repository_and_exist() -> None:
    for path in MARKDOWN:
        for target in LINK.findall(path.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            assert resolved.is_relative_to(ROOT), f"{path.name}: {target} leaves the repository"
            assert resolved.exists(), f"{path.name}: {target} does not exist"


def test_normative_texts_are_in_the_repository() -> None:
    spec = ROOT / "docs" / "spec"
    assert "SCALE = 10^8" in (spec / "MARGIN-MODEL.md").read_text()
    assert "market_commitment" in (spec / "STATEMENT.md").read_text()
    assert (ROOT / "tests" / "vectors" / "poseidon" / "circomlib.json").exists()


def test_code_and_docs_do_not_speak_of_how_they_were_made() -> None:
    files = subprocess.run(["git", "ls-files", "*.py", "*.md", "*.c", "*.h", "*.sol", "*.toml"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    this = "tests/test_docs.py"
    hits = [f"{name}:{i}: {line.strip()}" for name in files if name != this
            for i, line in enumerate((ROOT / name).read_text(errors="replace").splitlines(), 1)
            if NOTEBOOK.search(line)]
    assert not hits, "\n".join(hits)
