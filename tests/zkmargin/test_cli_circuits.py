"""``zkmargin circuit info`` / ``circuit check``."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from circuits.builder import Builder
from circuits.gadgets_hash import poseidon_hash
from circuits.r1cs import write_r1cs, write_wtns
from zkmargin.cli import main


def _files(tmp: Path) -> tuple[Path, Path, list[int]]:
    b = Builder(with_values=True)
    h = b.public_output("h")
    x = b.public_input("x", 5)
    b.assign_output(h, poseidon_hash(b, [x, b.private_input("y", 6)]))
    write_r1cs(tmp / "c.r1cs", b.to_r1cs())
    write_wtns(tmp / "c.wtns", b.witness())
    return tmp / "c.r1cs", tmp / "c.wtns", b.witness()


def test_info(tmp_path: Path) -> None:
    r1cs, _, _ = _files(tmp_path)
    res = CliRunner().invoke(main, ["circuit", "info", str(r1cs), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert (info["constraints"], info["public_outputs"], info["public_inputs"]) == (241, 1, 1)
    res = CliRunner().invoke(main, ["circuit", "info", str(r1cs)])
    assert res.exit_code == 0 and "constraints      241" in res.output


def test_check(tmp_path: Path) -> None:
    r1cs, wtns, w = _files(tmp_path)
    res = CliRunner().invoke(main, ["circuit", "check", str(r1cs), str(wtns)])
    assert res.exit_code == 0 and res.output.startswith("OK")
    w[1] += 1
    write_wtns(tmp_path / "bad.wtns", w)
    res = CliRunner().invoke(main, ["circuit", "check", str(r1cs), str(tmp_path / "bad.wtns"),
                                    "--json"])
    assert res.exit_code == 1 and json.loads(res.output)["first_unsatisfied"] == 240


def test_bad_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.r1cs"
    bad.write_bytes(b"nope" + bytes(20))
    res = CliRunner().invoke(main, ["circuit", "info", str(bad)])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0 and "wrong magic" in res.output
