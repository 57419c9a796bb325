"""Our Solidity Groth16 verifiers, generated from ``verifier/templates``.

* :func:`render` — ``ZkmarginGroth16Verifier`` for one verifying key:
  ``verifyProof(pA, pB, pC, pubSignals)`` and ``verifyBatch(proofs, publics)``;
* :func:`render_keyset` — ``ZkmarginKeySetVerifier`` holding every shape's key of a key
  set: ``verifyProof(uint8 shape, ...)`` and ``verifyBatch(uint8 shape, proofs, publics)``.

Each key's code is generated from the same bodies (``proof_body.tmpl``,
``batch_body.tmpl``); the key-set contract dispatches on the shape index and reads the
calldata one word further on.  The vk is baked in as constants in EVM word order (G2:
imaginary part first, :func:`native.encoding.g2_evm_words`).  The contracts' steps, and
therefore their gas, are replayed by :mod:`verifier.onchain`; the two change together.
"""
from __future__ import annotations

import textwrap
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Sequence, Union

from native.encoding import g1_evm_words as g1_words
from native.encoding import g2_evm_words as g2_words
from verifier.errors import VerifierError
from verifier.groth16 import vk_problem
from verifier.keys import G2, P, R, VerifyingKey, as_vk

PUBLIC_OFFSET = 0x104
"""Calldata offset of pubSignals[0]: selector (4) + pA (64) + pB (128) + pC (64)."""
KEYSET_SHIFT = 0x20
"""The key-set contract's extra leading argument (uint8 shape) moves everything by a word."""
CONTRACT_NAME = "ZkmarginGroth16Verifier"
KEYSET_CONTRACT_NAME = "ZkmarginKeySetVerifier"
MAX_SHAPES = 256
"""A uint8 names the shape."""

VkLike = Union[VerifyingKey, dict[str, Any]]


def _template(name: str) -> Template:
    return Template(resources.files("verifier").joinpath("templates", name).read_text())


def word(value: int) -> str:
    """A 256-bit constant as a 0x-prefixed, 64-digit hex literal."""
    return f"0x{value:064x}"


def _g2_fields(prefix: str, point: G2) -> dict[str, str]:
    names = ("x_im", "x_re", "y_im", "y_re")
    return {f"{prefix}_{n}": word(v) for n, v in zip(names, g2_words(point))}


R_SETUP = """// r stays on the stack: shr(255, calldatasize()) is 0 but opaque to the
// optimizer, which would otherwise reload the literal per input via CODECOPY
let r := xor({r}, shr(255, calldatasize()))
"""


def r_setup(n_public: int) -> str:
    """The line keeping r on the stack, emitted only when more than one input uses it."""
    return R_SETUP.format(r=word(R)) if n_public > 1 else ""


def input_blocks(vk: VerifyingKey, shift: int = 0) -> str:
    """One unrolled block per public input: range check, then ecMul and ecAdd."""
    block = _template("proof_input.tmpl")
    r_ref = "r" if vk.n_public > 1 else word(R)
    parts = []
    for i, point in enumerate(vk.gamma_abc_g1[1:]):
        x, y = g1_words(point)
        parts.append(block.substitute(index=i, ic=i + 1, offset=hex(PUBLIC_OFFSET + shift + 32 * i),
                                      r=r_ref, ic_x=word(x), ic_y=word(y)))
    return "".join(parts).rstrip("\n")


def _vk_fields(vk: VerifyingKey) -> dict[str, str]:
    alpha_x, alpha_y = g1_words(vk.alpha_g1)
    ic0_x, ic0_y = g1_words(vk.gamma_abc_g1[0])
    return {"n_public": str(vk.n_public), "p": word(P), "r": word(R),
            "alpha_x": word(alpha_x), "alpha_y": word(alpha_y),
            "ic0_x": word(ic0_x), "ic0_y": word(ic0_y),
            **_g2_fields("beta", vk.beta_g2), **_g2_fields("gamma", vk.gamma_g2),
            **_g2_fields("delta", vk.delta_g2)}


def proof_body(vk: VerifyingKey, shift: int = 0) -> str:
    """Assembly of verifyProof for ``vk``; calldata arguments start at ``0x04 + shift``."""
    return _template("proof_body.tmpl").substitute(
        _vk_fields(vk), off_a=hex(0x04 + shift), off_ay=hex(0x24 + shift),
        off_c=hex(0xc4 + shift), r_setup=r_setup(vk.n_public),
        input_blocks=input_blocks(vk, shift))


def batch_body(vk: VerifyingKey) -> str:
    """Assembly of verifyBatch for ``vk`` (expects ``nb, ns, pp, sp`` on the stack)."""
    n = vk.n_public
    inputs = "".join(_template("batch_input.tmpl").substitute(
        index=i, offset=hex(32 * i), t_offset=hex(0x40 + 32 * i)) for i in range(n))
    ics = "".join(_template("batch_ic.tmpl").substitute(
        index=i, ic=i + 1, ic_x=word(g1_words(point)[0]), ic_y=word(g1_words(point)[1]),
        t_offset=hex(0x40 + 32 * i)) for i, point in enumerate(vk.gamma_abc_g1[1:]))
    t_init = "".join(f"mstore(add(e, {hex(0x40 + 32 * i)}), 0)\n" for i in range(n))
    return _template("batch_body.tmpl").substitute(
        _vk_fields(vk), n_last=str(n - 1),
        row_bytes=hex(32 * n), t_init=t_init,
        r_setup=f"let r := xor({word(R)}, shr(255, calldatasize()))\n",
        batch_inputs=textwrap.indent(inputs.rstrip("\n"), " " * 4),
        batch_ics=ics.rstrip("\n"))


def checked_vk(vk: VkLike, what: str = "verifying key") -> VerifyingKey:
    """Parse and validate a key for code generation (α, IC ∈ G1; β, γ, δ ∈ G2; n ≥ 1)."""
    vk = as_vk(vk)
    if vk.n_public < 1:
        raise VerifierError(f"{what}: Solidity needs at least one public input (uint256[0] is invalid)")
    if (problem := vk_problem(vk)) is not None:
        raise VerifierError(f"{what} is invalid: {problem}")
    return vk


def _indent(text: str, spaces: int) -> str:
    return textwrap.indent(text, " " * spaces, lambda line: bool(line.strip()))


def render(vk: VkLike) -> str:
    """Solidity source of the single-key verifier for ``vk`` (validated first)."""
    from zkbase import __version__

    vk = checked_vk(vk)
    return _template("Verifier.sol.tmpl").substitute(
        version=__version__, n_public=str(vk.n_public),
        proof_body=_indent(proof_body(vk).rstrip("\n"), 12),
        batch_body=_indent(batch_body(vk).rstrip("\n"), 12))


def keyset_vks(shapes: Sequence[tuple[str, VkLike]]) -> list[tuple[str, VerifyingKey]]:
    """Validate a key set for the contract: 1..256 shapes, distinct names, one input count."""
    if not 1 <= len(shapes) <= MAX_SHAPES:
        raise VerifierError(f"key set: {len(shapes)} shapes, the contract takes 1 to {MAX_SHAPES}")
    names = [name for name, _ in shapes]
    if len(set(names)) != len(names):
        raise VerifierError("key set: shape names repeat")
    vks = [(name, checked_vk(vk, f"shape {name} verifying key")) for name, vk in shapes]
    counts = {vk.n_public for _, vk in vks}
    if len(counts) != 1:
        raise VerifierError(f"key set: shapes differ in public-input count ({sorted(counts)}); "
                            "one contract serves one statement")
    return vks


def render_keyset(shapes: Sequence[tuple[str, VkLike]]) -> str:
    """Solidity source of the key-set verifier; shape index k is ``shapes[k]``."""
    from zkbase import __version__

    vks = keyset_vks(shapes)
    proof_cases, batch_cases = [], []
    for k, (_, vk) in enumerate(vks):
        proof_cases.append(f"case {k} {{\n{_indent(proof_body(vk, KEYSET_SHIFT).rstrip(), 4)}\n}}")
        batch_cases.append(f"case {k} {{\n{_indent(batch_body(vk).rstrip(), 4)}\n}}")
    return _template("KeySetVerifier.sol.tmpl").substitute(
        version=__version__, n_public=str(vks[0][1].n_public), shape_count=str(len(vks)),
        shape_list=", ".join(f"{k} = {name}" for k, (name, _) in enumerate(vks)),
        proof_cases=_indent("\n".join(proof_cases), 12),
        batch_cases=_indent("\n".join(batch_cases), 12))


def function_signature(n_public: int, keyset: bool = False) -> str:
    """The ABI signature of verifyProof (single key: the same as snarkjs's)."""
    head = "uint8," if keyset else ""
    return f"verifyProof({head}uint256[2],uint256[2][2],uint256[2],uint256[{n_public}])"


def batch_signature(n_public: int, keyset: bool = False) -> str:
    """The ABI signature of verifyBatch."""
    head = "uint8," if keyset else ""
    return f"verifyBatch({head}uint256[8][],uint256[{n_public}][])"


def write_solidity(vk: VkLike, path: Union[str, Path]) -> str:
    """Render and write the single-key contract atomically; returns the source."""
    from zkbase.files import atomic_write_text

    source = render(vk)
    atomic_write_text(Path(path), source)
    return source


def write_keyset_solidity(shapes: Sequence[tuple[str, VkLike]], path: Union[str, Path]) -> str:
    """Render and write the key-set contract atomically; returns the source."""
    from zkbase.files import atomic_write_text

    source = render_keyset(shapes)
    atomic_write_text(Path(path), source)
    return source
