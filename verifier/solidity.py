"""Our Solidity Groth16 verifier, generated from ``templates/Verifier.sol.tmpl``.

The vk is baked in as constants in EVM word order (G2: imaginary part first).  The
contract's steps — and therefore its gas — are replayed by :mod:`verifier.onchain`;
the two must change together.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Union

from native.encoding import g1_evm_words as g1_words
from native.encoding import g2_evm_words as g2_words
from verifier.errors import VerifierError
from verifier.groth16 import vk_problem
from verifier.keys import G2, P, R, VerifyingKey, as_vk

PUBLIC_OFFSET = 0x104
"""Calldata offset of pubSignals[0]: selector (4) + pA (64) + pB (128) + pC (64)."""
CONTRACT_NAME = "ZkmarginGroth16Verifier"


def _template(name: str) -> Template:
    return Template(resources.files("verifier").joinpath("templates", name).read_text())


def word(value: int) -> str:
    """A 256-bit constant as a 0x-prefixed, 64-digit hex literal."""
    return f"0x{value:064x}"


def _g2_fields(prefix: str, point: G2) -> dict[str, str]:
    names = ("x_im", "x_re", "y_im", "y_re")
    return {f"{prefix}_{n}": word(v) for n, v in zip(names, g2_words(point))}


R_SETUP = """            // r stays on the stack: shr(255, calldatasize()) is 0 but opaque to the
            // optimizer, which would otherwise reload the literal per input via CODECOPY
            let r := xor({r}, shr(255, calldatasize()))
"""


def r_setup(n_public: int) -> str:
    """The line keeping r on the stack, emitted only when more than one input uses it."""
    return R_SETUP.format(r=word(R)) if n_public > 1 else ""


def input_blocks(vk: VerifyingKey) -> str:
    """One unrolled block per public input: range check, then ecMul and ecAdd."""
    block = _template("input_block.tmpl")
    r_ref = "r" if vk.n_public > 1 else word(R)
    parts = []
    for i, point in enumerate(vk.gamma_abc_g1[1:]):
        x, y = g1_words(point)
        parts.append(block.substitute(index=i, ic=i + 1, offset=hex(PUBLIC_OFFSET + 32 * i),
                                      r=r_ref, ic_x=word(x), ic_y=word(y)))
    return "".join(parts).rstrip("\n")


def render(vk: Union[VerifyingKey, dict[str, Any]]) -> str:
    """Solidity source of the verifier for ``vk`` (validated first: α, IC ∈ G1; β, γ, δ ∈ G2)."""
    from zkbase import __version__

    vk = as_vk(vk)
    if vk.n_public < 1:
        raise VerifierError("verifying key: Solidity needs at least one public input (uint256[0] is invalid)")
    if (problem := vk_problem(vk)) is not None:
        raise VerifierError(f"verifying key is invalid: {problem}")
    alpha_x, alpha_y = g1_words(vk.alpha_g1)
    ic0_x, ic0_y = g1_words(vk.gamma_abc_g1[0])
    fields = {
        "version": __version__, "n_public": str(vk.n_public), "p": word(P), "r": word(R),
        "alpha_x": word(alpha_x), "alpha_y": word(alpha_y),
        "ic0_x": word(ic0_x), "ic0_y": word(ic0_y), "input_blocks": input_blocks(vk), "r_setup": r_setup(vk.n_public),
        **_g2_fields("beta", vk.beta_g2), **_g2_fields("gamma", vk.gamma_g2),
        **_g2_fields("delta", vk.delta_g2),
    }
    return _template("Verifier.sol.tmpl").substitute(fields)


def function_signature(n_public: int) -> str:
    """The ABI signature of verifyProof for ``n_public`` inputs (same as snarkjs's)."""
    return f"verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[{n_public}])"


def write_solidity(vk: Union[VerifyingKey, dict[str, Any]], path: Union[str, Path]) -> str:
    """Render and write the contract atomically; returns the source."""
    from zkbase.files import atomic_write_text

    source = render(vk)
    atomic_write_text(Path(path), source)
    return source
