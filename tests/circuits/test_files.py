"""iden3 .r1cs/.wtns files: round trips, malformed files, snarkjs and circom interop."""
from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from circuits.builder import Builder
from circuits.field import R, CircuitError
from circuits.gadgets import range_check, top_k_sum
from circuits.gadgets_hash import poseidon_hash
from native.poseidon import poseidon
from circuits.r1cs import R1CS, read_r1cs, read_wtns, write_r1cs, write_wtns
from tests.conftest import JS_DIR, node_tool, run_node_tool


def _small_circuit() -> Builder:
    b = Builder(with_values=True)
    a = b.public_input("a", 3)
    x = b.private_input("x", 11)
    h = poseidon_hash(b, [a, x])
    range_check(b, x, 8)
    total, _ = top_k_sum(b, [a, x, b.private_input("y", 5)], 2, 8)
    b.public_output("h", h)
    b.public_output("p", b.mul(a, x))
    b.public_output("s", total)
    b.check()
    return b


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Builder, Path, Path]:
    tmp = tmp_path_factory.mktemp("files")
    b = _small_circuit()
    write_r1cs(tmp / "c.r1cs", b.to_r1cs())
    write_wtns(tmp / "c.wtns", b.witness())
    return b, tmp / "c.r1cs", tmp / "c.wtns"


def test_round_trip(files: tuple[Builder, Path, Path]) -> None:
    b, r1cs_path, wtns_path = files
    r1cs = read_r1cs(r1cs_path)
    assert r1cs == b.to_r1cs()
    assert read_wtns(wtns_path) == b.witness()
    assert (r1cs.n_pub_out, r1cs.n_pub_in, r1cs.n_prv_in) == (3, 1, 1)
    assert r1cs.is_satisfied(read_wtns(wtns_path))
    bad = b.witness()
    bad[-1] = (bad[-1] + 1) % R
    assert not r1cs.is_satisfied(bad)
    with pytest.raises(CircuitError, match="constraint #"):
        r1cs.check(bad)
    with pytest.raises(CircuitError, match="w\\[0\\]"):
        r1cs.check([2] + bad[1:])


@pytest.mark.interop
def test_snarkjs_reads_our_files(files: tuple[Builder, Path, Path]) -> None:
    b, r1cs_path, wtns_path = files
    info = run_node_tool("snarkjs", "r1cs", "info", r1cs_path)
    r1cs = b.to_r1cs()
    assert re.search(rf"# of Constraints: {r1cs.n_constraints}\b", info)
    assert re.search(rf"# of Wires: {r1cs.n_wires}\b", info)
    assert re.search(r"# of Outputs: 3\b", info) and re.search(r"# of Public Inputs: 1\b", info)
    assert "WITNESS IS CORRECT" in run_node_tool("snarkjs", "wtns", "check", r1cs_path, wtns_path)


@pytest.mark.interop
def test_snarkjs_rejects_our_tampered_witness(files: tuple[Builder, Path, Path],
                                              tmp_path: Path) -> None:
    b, r1cs_path, _ = files
    w = b.witness()
    w[b.wire_index("poseidon.r10.s0.x4")] += 1
    write_wtns(tmp_path / "bad.wtns", w)
    proc = subprocess.run([str(node_tool("snarkjs")), "wtns", "check", str(r1cs_path),
                           str(tmp_path / "bad.wtns")], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode != 0 and "WITNESS IS NOT CORRECT" in proc.stdout + proc.stderr


CIRCOM_SOURCE = """pragma circom 2.0.0;
include "lib/poseidon.circom";
template T() {
    signal input a;
    signal input b;
    signal output h;
    signal output p;
    component hs = Poseidon(2);
    hs.inputs[0] <== a;
    hs.inputs[1] <== b;
    h <== hs.out;
    p <== a * b;
}
component main {public [a]} = T();
"""


@pytest.fixture(scope="module")
def circom_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The circuit above compiled by circom2 (wasm witness generator, O1 and O2 .r1cs)."""
    tmp = tmp_path_factory.mktemp("circom")
    (tmp / "lib").mkdir()
    for name in ("poseidon.circom", "poseidon_constants.circom"):
        shutil.copy(JS_DIR / "node_modules" / "circomlib" / "circuits" / name, tmp / "lib")
    (tmp / "t.circom").write_text(CIRCOM_SOURCE)
    (tmp / "o2").mkdir()
    run_node_tool("circom2", "t.circom", "--r1cs", "--wasm", "-o", ".", cwd=tmp)
    run_node_tool("circom2", "t.circom", "--r1cs", "--O2", "-o", "o2", cwd=tmp)
    (tmp / "input.json").write_text(json.dumps({"a": "3", "b": "11"}))
    proc = subprocess.run(["node", "t_js/generate_witness.js", "t_js/t.wasm", "input.json",
                           "t.wtns"], cwd=tmp, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"generate_witness.js failed:\n{proc.stdout}\n{proc.stderr}")
    return tmp


def _snarkjs_constraints(path: Path) -> int:
    info = run_node_tool("snarkjs", "r1cs", "info", path)
    return int(re.search(r"# of Constraints: (\d+)", info).group(1))


@pytest.mark.interop
def test_circom_files_read_back(circom_dir: Path) -> None:
    r1cs = read_r1cs(circom_dir / "t.r1cs")
    w = read_wtns(circom_dir / "t.wtns")
    assert r1cs.n_constraints == _snarkjs_constraints(circom_dir / "t.r1cs")
    assert (r1cs.n_pub_out, r1cs.n_pub_in, r1cs.n_prv_in) == (2, 1, 1)
    assert w[:5] == [1, poseidon([3, 11]), 33, 3, 11]
    assert r1cs.is_satisfied(w)
    w[1] = (w[1] + 1) % R
    assert not r1cs.is_satisfied(w)


@pytest.mark.interop
def test_circom_o2_count_equals_our_gadgets(circom_dir: Path) -> None:
    r1cs = read_r1cs(circom_dir / "o2" / "t.r1cs")
    assert r1cs.n_constraints == _snarkjs_constraints(circom_dir / "o2" / "t.r1cs")
    b = Builder()
    a, x = b.public_input("a"), b.private_input("b")
    poseidon_hash(b, [a, x])
    b.mul(a, x)
    assert r1cs.n_constraints == b.n_constraints == 241


def test_our_files_written_atomically(tmp_path: Path) -> None:
    b = _small_circuit()
    write_r1cs(tmp_path / "x.r1cs", b.to_r1cs())
    assert [p.name for p in tmp_path.iterdir()] == ["x.r1cs"]


# -- malformed files -----------------------------------------------------------------

def _corrupt(tmp: Path, files: tuple[Builder, Path, Path], which: int, edit) -> Path:
    data = bytearray(files[which].read_bytes())
    out = tmp / f"bad{files[which].suffix}"
    out.write_bytes(bytes(edit(data)))
    return out


def _set(offset: int, value: bytes):
    def edit(d: bytearray) -> bytearray:
        d[offset:offset + len(value)] = value
        return d
    return edit


@pytest.mark.parametrize("edit,message", [
    (_set(0, b"r1cx"), "wrong magic"),
    (_set(4, struct.pack("<I", 2)), "version 2"),
    (_set(28, b"\x02"), "not the BN254"),
    (_set(24, struct.pack("<I", 48)), "n8=48"),
    (lambda d: d[:100], "truncated"),
    (lambda d: d[:-8], "truncated"),
    (_set(60, struct.pack("<I", 1)), "exceed"),
])
def test_malformed_r1cs(tmp_path: Path, files, edit, message: str) -> None:
    path = _corrupt(tmp_path, files, 1, edit)
    with pytest.raises(CircuitError, match=message) as exc:
        read_r1cs(path)
    assert str(path) in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize("edit,message", [
    (_set(0, b"r1cs"), "wrong magic"),
    (_set(4, struct.pack("<I", 1)), "version 1"),
    (_set(28, b"\x03"), "not the BN254"),
    (lambda d: d[:-1], "truncated"),
    (_set(60, struct.pack("<I", 7)), "expected 7"),
    (lambda d: d[:-32] + bytearray(b"\xff" * 32), "not reduced"),
])
def test_malformed_wtns(tmp_path: Path, files, edit, message: str) -> None:
    path = _corrupt(tmp_path, files, 2, edit)
    with pytest.raises(CircuitError, match=message) as exc:
        read_wtns(path)
    assert str(path) in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CircuitError, match="cannot read"):
        read_r1cs(tmp_path / "nope.r1cs")


def test_wire_index_out_of_range(tmp_path: Path) -> None:
    r1cs = R1CS(R, 2, 0, 0, 0, 2, [({5: 1}, {0: 1}, {})], [0, 1])
    write_r1cs(tmp_path / "w.r1cs", r1cs)
    with pytest.raises(CircuitError, match="out of range"):
        read_r1cs(tmp_path / "w.r1cs")


def test_wire_map_size_must_match_header(tmp_path: Path, files) -> None:
    data = bytearray(files[1].read_bytes())
    n_wires = struct.unpack_from("<I", data, 60)[0]
    struct.pack_into("<I", data, 60, n_wires + 1)
    (tmp_path / "m.r1cs").write_bytes(bytes(data))
    with pytest.raises(CircuitError, match="wire map has"):
        read_r1cs(tmp_path / "m.r1cs")


def test_missing_section(tmp_path: Path) -> None:
    r1cs = R1CS(R, 1, 0, 0, 0, 1, [], [0])
    write_r1cs(tmp_path / "s.r1cs", r1cs)
    data = bytearray((tmp_path / "s.r1cs").read_bytes())
    struct.pack_into("<I", data, 8, 2)  # claim two sections: the wire map is dropped
    body = bytes(data)
    (tmp_path / "s.r1cs").write_bytes(body[: len(body) - (12 + 8)])
    with pytest.raises(CircuitError, match="missing wire map"):
        read_r1cs(tmp_path / "s.r1cs")
