"""Poseidon, sequence hash and Merkle gadgets against the native code and circomlib."""
from __future__ import annotations

import json
import random

import pytest

from circuits.builder import Builder
from circuits.field import R
from circuits.gadgets_hash import (merkle_check, poseidon_hash, poseidon_sequence_hash)
from native.poseidon import merkle_path, merkle_root, partial_rounds, poseidon, poseidon_sequence
from tests.circuits.helpers import build, every_wire_pinned, tamper
from tests.conftest import load_vectors, run_node_script

VECTORS = load_vectors("poseidon/circomlib.json")["vectors"]


def _hash_circuit(inputs: list[int]):
    def circuit(b: Builder, vals: dict | None) -> None:
        xs = [b.private_input(f"x{i}", None if vals is None else v)
              for i, v in enumerate(inputs)]
        b.public_output("h", poseidon_hash(b, xs))
    return circuit


@pytest.mark.parametrize("vec", VECTORS, ids=lambda v: f"arity{v['arity']}")
def test_gadget_matches_vectors(vec: dict) -> None:
    inputs = [int(x) for x in vec["inputs"]]
    b = build(_hash_circuit(inputs), {})
    t = len(inputs) + 1
    assert b.n_constraints == 3 * (8 * t + partial_rounds(t)) - 3 + 1
    assert b.public_values() == [int(vec["output"])]
    b.check()


def test_circom_constraint_counts() -> None:
    """circom's Poseidon(1), Poseidon(2), Poseidon(16): 213, 240, 609 constraints."""
    for n, count in ((1, 213), (2, 240), (16, 609)):
        b = Builder()
        poseidon_hash(b, [b.private_input(f"x{i}") for i in range(n)])
        assert b.n_constraints == count


def test_constant_inputs_fold() -> None:
    b = Builder(with_values=True)
    h = poseidon_hash(b, [1, 2])
    assert h.val == poseidon([1, 2])
    b.check()


def test_tampered_sbox_wires_are_caught_by_their_own_constraint() -> None:
    b = build(_hash_circuit([1, 2]), {})
    for wire in ("poseidon.r0.s1.x2", "poseidon.r0.s2.x4", "poseidon.r3.s0.x5",
                 "poseidon.r4.s0.x2", "poseidon.r30.s0.x4", "poseidon.r60.s0.x4",
                 "poseidon.r60.s0.x5", "poseidon.r64.s2.x5"):
        assert tamper(b, wire) == wire
    # a partial S-box input y_j (j >= 1) is pinned by the previous round's x4 * y = U
    assert tamper(b, "poseidon.r5.s0.in") == "poseidon.r4.s0.x5"
    assert tamper(b, "poseidon.r60.s0.in") == "poseidon.r59.s0.x5"
    assert tamper(b, "h") == "h.output"
    every_wire_pinned(b)


@pytest.mark.interop
def test_random_inputs_against_circomlibjs() -> None:
    rng = random.Random(2024)
    cases = [[rng.randrange(R) for _ in range(n)] for n in (1, 2, 3, 5, 8, 12, 16)]
    cases += [[0, 0], [R - 1] * 4]
    script = """
const { buildPoseidon } = require("circomlibjs");
(async () => {
  const poseidon = await buildPoseidon();
  const cases = JSON.parse(process.argv[process.argv.length - 1]);
  const out = cases.map(c => poseidon.F.toString(poseidon(c.map(BigInt))));
  console.log(JSON.stringify(out));
})();
"""
    out = json.loads(run_node_script(script, json.dumps([[str(x) for x in c] for c in cases])))
    for inputs, expected in zip(cases, out):
        assert poseidon(inputs) == int(expected)
        b = Builder(with_values=True)
        assert poseidon_hash(b, inputs=[b.private_input(f"x{i}", x)
                                        for i, x in enumerate(inputs)]).val == int(expected)
        b.check()


@pytest.mark.parametrize("n", [1, 16, 17, 31, 32, 40])
def test_sequence_hash(n: int) -> None:
    xs = [(i * 7919) % R for i in range(1, n + 1)]
    b = Builder(with_values=True)
    h = poseidon_sequence_hash(b, [b.private_input(f"x{i}", x) for i, x in enumerate(xs)])
    assert h.val == poseidon_sequence(xs)
    b.check()


def _merkle_circuit(leaves: list[int], depth: int, index: int, leaf: int | None = None):
    root = merkle_root(leaves, depth)
    sibs, _ = merkle_path(leaves, depth, index)
    value = leaves[index] if leaf is None and index < len(leaves) else (leaf or 0)

    def circuit(b: Builder, vals: dict | None) -> None:
        v = vals is not None
        r = b.public_input("root", root if v else None)
        lf = b.private_input("leaf", value if v else None)
        ix = b.private_input("index", index if v else None)
        ss = [b.private_input(f"sib{i}", s if v else None) for i, s in enumerate(sibs)]
        merkle_check(b, lf, ix, ss, r)
    return circuit


@pytest.mark.parametrize("depth,index", [(1, 0), (1, 1), (3, 0), (3, 5), (3, 7)])
def test_merkle_check(depth: int, index: int) -> None:
    leaves = [101, 202, 303, 404, 505, 606][: 2**depth]
    b = build(_merkle_circuit(leaves, depth, index), {})
    assert b.n_constraints == 242 * depth + 2
    b.check()
    assert tamper(b, "merkle.index[0]", 2) == "merkle.index[0].bool"
    assert tamper(b, "merkle.index[0]", 1 - (index & 1)) == "merkle.index.sum"
    assert tamper(b, "merkle.l0.swap") == "merkle.l0.swap"
    first_use = "merkle.l0.swap" if index & 1 else "merkle.l0.hash.r0.s1.x2"
    assert tamper(b, "leaf") == first_use
    assert tamper(b, "sib0") is not None
    assert tamper(b, "root") == "merkle.root"


def test_merkle_rejects_wrong_leaf_or_index() -> None:
    leaves = [101, 202, 303]
    b = Builder(with_values=True)
    _merkle_circuit(leaves, 2, 1, leaf=999)(b, {})
    assert b.which_is_unsatisfied() == "merkle.root"
    # right leaf, claimed at index 2 with index 1's siblings
    b = Builder(with_values=True)
    root = merkle_root(leaves, 2)
    sibs, _ = merkle_path(leaves, 2, 1)
    merkle_check(b, b.private_input("leaf", 202), b.private_input("index", 2),
                 [b.private_input(f"s{i}", s) for i, s in enumerate(sibs)],
                 b.public_input("root", root))
    assert b.which_is_unsatisfied() == "merkle.root"
    # an index that does not fit the depth
    b = Builder(with_values=True)
    merkle_check(b, b.private_input("leaf", 202), b.private_input("index", 5),
                 [b.private_input(f"s{i}", s) for i, s in enumerate(sibs)],
                 b.public_input("root", root))
    assert b.which_is_unsatisfied() == "merkle.index.sum"
