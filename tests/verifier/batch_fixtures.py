"""Keys and proofs from our own prover for the batch and key-set tests (no node needed).

``chain_r1cs(n, variant)``: wires ``0`` one, ``1..n`` public ``x_i``, then a private ``w``
and ``acc_0 = w·w + variant``, ``acc_{i+1} = acc_i · x_i`` (binds every public input); a
different ``variant`` is a different circuit (and key) with the same public-input count,
as the shapes of a margin key set are.  Keys come from the development ceremony
(:func:`prover.dev_keys.dev_zkey`, seeded) plus one seeded contribution, so that δ ≠ γ
as in every real key (the contracts' gas depends on the key's constants: solc shares
repeated ones); proofs from :class:`prover.prove.Prover`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from circuits import R1CS
from prover.ceremony import draw_toxic_waste
from prover.contribute import contribute
from prover.dev_keys import dev_zkey
from prover.encoding import R
from prover.formats import verification_key_json
from prover.prove import Prover, witness_limbs


def chain_r1cs(n: int, variant: int = 0) -> R1CS:
    """The chain circuit with ``n`` public inputs (see the module docstring)."""
    w, one = n + 1, 0
    acc = [n + 2 + i for i in range(n + 1)]
    cons = [({w: 1}, {w: 1}, {acc[0]: 1, one: R - variant} if variant else {acc[0]: 1})]
    for i in range(n):
        cons.append(({acc[i]: 1}, {1 + i: 1}, {acc[i + 1]: 1}))
    n_wires = n + 2 + n + 1
    return R1CS(R, n_wires, 0, n, n_wires - n - 1, n_wires, cons)


def chain_witness(xs: list[int], secret: int, variant: int = 0) -> list[int]:
    """The satisfying assignment for public ``xs`` and private ``secret``."""
    acc = [(secret * secret + variant) % R]
    for x in xs:
        acc.append(acc[-1] * x % R)
    return [1, *xs, secret, *acc]


@dataclass
class ChainKey:
    """A dev key for one chain circuit and a prover for it."""

    n: int
    variant: int
    vk: dict[str, Any]
    prover: Prover

    def prove(self, xs: list[int], secret: int = 11) -> tuple[list[str], dict[str, Any]]:
        """``(public, proof)`` in snarkjs JSON."""
        proof = self.prover.prove(witness_limbs(chain_witness(xs, secret, self.variant)))
        return proof.public_json(), proof.to_json()


def make_key(n: int, variant: int = 0, seed: int = 7, contributed: bool = True) -> ChainKey:
    """A seeded development key for ``chain_r1cs(n, variant)`` (insecure, tests only);
    without ``contributed`` δ = γ = the G2 generator, as in ``zkmargin setup`` dev keys."""
    zkey = dev_zkey(chain_r1cs(n, variant), draw_toxic_waste(seed=seed + 1000 * variant))
    if contributed:
        zkey, _ = contribute(zkey, "tests", seed=seed + 1000 * variant)
    return ChainKey(n, variant, verification_key_json(zkey), Prover(zkey))


def random_inputs(n: int, rng: random.Random) -> list[int]:
    """n full-size public inputs (non-zero, so every ecMul runs)."""
    return [rng.randrange(1, R) for _ in range(n)]


def make_items(key: ChainKey, count: int, seed: int = 1) -> list[tuple[list[str], dict[str, Any]]]:
    """``count`` valid ``(public, proof)`` items with random full-size inputs."""
    rng = random.Random(seed)
    return [key.prove(random_inputs(key.n, rng), rng.randrange(1, R)) for _ in range(count)]


def write_keyset(root, shapes: list[tuple[str, ChainKey]], statement: str = "full"):
    """A key-set directory in the ``zkmargin-keyset-1`` layout holding these keys' vks
    (no zkey: enough for verifying, exporting the contract and calldata)."""
    import hashlib
    import json
    from pathlib import Path

    root = Path(root)
    entries = []
    for name, key in shapes:
        (root / name).mkdir(parents=True)
        vk_path = root / name / "verification_key.json"
        vk_path.write_text(json.dumps(key.vk, indent=1))
        n_slots, k_slots = (int(v) for v in name[1:].split("k"))
        entries.append({"name": name, "N": n_slots, "K": k_slots, "constraints": key.n + 1,
                        "matrix_hash": "0" * 64,
                        "vk_sha256": hashlib.sha256(vk_path.read_bytes()).hexdigest()})
    (root / "keyset.json").write_text(json.dumps(
        {"format": "zkmargin-keyset-1", "statement": statement, "shapes": entries}))
    return root


def write_proof_dir(directory, keyset, shape: str, item: tuple, statement: str = "full"):
    """A proof directory as ``zkmargin prove`` writes it (proof, public, statement)."""
    import hashlib
    import json
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True)
    public, proof = item
    (directory / "public.json").write_text(json.dumps(public))
    (directory / "proof.json").write_text(json.dumps(proof))
    vk_sha = hashlib.sha256((Path(keyset) / shape / "verification_key.json").read_bytes()).hexdigest()
    (directory / "statement.json").write_text(json.dumps(
        {"shape": shape, "statement": statement, "vk_sha256": vk_sha}))
    return directory
