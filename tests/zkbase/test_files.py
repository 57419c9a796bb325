"""Atomic writes: all or nothing, with the permissions a plain write would give."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from zkbase.files import atomic_open, atomic_write_text


def test_new_file_gets_umask_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.json", "{}")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("old")
    path.chmod(0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_open(path) as fh:
            fh.write(b"half")
            raise RuntimeError("boom")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.bin"]


def test_output_group_writes_all_or_nothing(tmp_path: Path) -> None:
    from zkbase.files import output_group

    (tmp_path / "a").write_text("old a")
    with pytest.raises(RuntimeError):
        with output_group() as group:
            group.write_text(tmp_path / "a", "new a")
            group.write_text(tmp_path / "b", "new b")
            raise RuntimeError("fails before the commit")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert (tmp_path / "a").read_text() == "old a"
    with output_group() as group:
        group.write_text(tmp_path / "a", "new a")
        group.write_bytes(tmp_path / "b", b"new b")
    assert [(tmp_path / n).read_text() for n in "ab"] == ["new a", "new b"]


def test_output_group_rolls_back_a_failed_rename(tmp_path: Path) -> None:
    from zkbase.files import output_group

    (tmp_path / "a").write_text("old a")
    (tmp_path / "c").mkdir()  # a directory in the way of the third file
    with pytest.raises(OSError) as err:
        with output_group() as group:
            group.write_text(tmp_path / "a", "new a")
            group.write_text(tmp_path / "b", "new b")
            group.write_text(tmp_path / "c", "new c")
    assert err.value.filename == str(tmp_path / "c")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "c"]
    assert (tmp_path / "a").read_text() == "old a"


def test_write_error_names_the_destination(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as err:
        atomic_write_text(tmp_path / "no" / "x.json", "{}")
    assert err.value.filename == str(tmp_path / "no" / "x.json")


def test_check_output_paths(tmp_path: Path) -> None:
    from zkbase.files import OutputPathError, check_output_paths

    (tmp_path / "in").write_text("x")
    os.link(tmp_path / "in", tmp_path / "hard")
    check_output_paths([tmp_path / "out", None, tmp_path / "out2"], [tmp_path / "in", None])
    for outs in ([tmp_path / "in"], [tmp_path / "hard"], [f"{tmp_path}/./in"]):
        with pytest.raises(OutputPathError, match="input"):
            check_output_paths(outs, [tmp_path / "in"])
    with pytest.raises(OutputPathError, match="two outputs"):
        check_output_paths([tmp_path / "o", f"{tmp_path}/../{tmp_path.name}/o"], [])
