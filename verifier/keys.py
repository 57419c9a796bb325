"""Verifying keys, proofs and public inputs: snarkjs JSON <-> plain Python ints.

Points are affine integer tuples, the point at infinity is ``None``:

* G1: ``(x, y)``;
* G2: ``((x_re, x_im), (y_re, y_im))`` — real part first, as in snarkjs JSON and
  py_ecc's ``FQ2([re, im])``.  The EVM wants the imaginary part first; that encoding
  (and the snarkjs JSON writer) lives in :mod:`native.encoding`.

snarkjs writes projective coordinates with ``z = 1`` (or ``z = 0`` for infinity);
any other ``z`` is refused.  Parsing checks *shape* only (integers of at most 256
bits); whether values are < p, on the curve or in G2 is decided by
:mod:`verifier.groth16`, which rejects instead of raising.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from native.encoding import G1Point as G1
from native.encoding import G2Point as G2
from native.encoding import g1_to_snarkjs as g1_to_json
from native.encoding import g2_to_snarkjs as g2_to_json
from native.params import P, R
from verifier.errors import VerifierError
from zkbase.jsonio import JSONInputError
from zkbase.jsonio import read_json as strict_read_json

WORD = 1 << 256


@dataclass(frozen=True)
class VerifyingKey:
    """Groth16 verifying key (names from ark-groth16): e(A,B) = e(α,β)·e(vk_x,γ)·e(C,δ)."""

    alpha_g1: G1
    beta_g2: G2
    gamma_g2: G2
    delta_g2: G2
    gamma_abc_g1: tuple[G1, ...]  # IC_0 .. IC_n

    @property
    def n_public(self) -> int:
        """Number of public inputs n (IC has n + 1 points)."""
        return len(self.gamma_abc_g1) - 1


@dataclass(frozen=True)
class Proof:
    """A Groth16 proof (A ∈ G1, B ∈ G2, C ∈ G1)."""

    a: G1
    b: G2
    c: G1


def parse_int(value: Any, what: str) -> int:
    """A JSON number or decimal/0x-hex string as an int in [0, 2^256)."""
    if isinstance(value, bool):
        raise VerifierError(f"{what}: expected an integer, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            number = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
        except ValueError:
            raise VerifierError(f"{what}: not an integer: {value!r}") from None
    else:
        raise VerifierError(f"{what}: expected an integer string, got {type(value).__name__}")
    if not 0 <= number < WORD:
        raise VerifierError(f"{what}: {number} is outside [0, 2^256)")
    return number


def _seq(value: Any, length: int, what: str) -> list[Any]:
    if not isinstance(value, (list, tuple)) or len(value) != length:
        raise VerifierError(f"{what}: expected a list of {length}")
    return list(value)


def parse_g1(value: Any, what: str) -> G1:
    """snarkjs ``[x, y, z]`` (or ``[x, y]``) → ``(x, y)`` or ``None`` for z = 0."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        x, y = (parse_int(v, f"{what}[{i}]") for i, v in enumerate(value))
        return None if (x, y) == (0, 0) else (x, y)
    x, y, z = (parse_int(v, f"{what}[{i}]") for i, v in enumerate(_seq(value, 3, what)))
    if z == 0:
        return None
    if z != 1:
        raise VerifierError(f"{what}: z must be 1 (affine) or 0 (infinity), got {z}")
    return (x, y)


def parse_g2(value: Any, what: str) -> G2:
    """snarkjs ``[[x_re, x_im], [y_re, y_im], [z_re, z_im]]`` → affine or ``None``."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        rows = list(value) + [["1", "0"]]
    else:
        rows = _seq(value, 3, what)
    x, y, z = (
        tuple(parse_int(v, f"{what}[{i}][{j}]") for j, v in enumerate(_seq(row, 2, f"{what}[{i}]")))
        for i, row in enumerate(rows)
    )
    if z == (0, 0):
        return None
    if z != (1, 0):
        raise VerifierError(f"{what}: z must be [1, 0] (affine) or [0, 0] (infinity)")
    if len(value) == 2 and x == (0, 0) and y == (0, 0):
        return None
    return (x, y)  # type: ignore[return-value]


def _field(data: dict[str, Any], key: str, what: str) -> Any:
    try:
        return data[key]
    except (KeyError, TypeError):
        raise VerifierError(f"{what}: missing field {key!r}") from None


def vk_from_json(data: Any) -> VerifyingKey:
    """snarkjs ``verification_key.json`` (protocol groth16, curve bn128)."""
    if not isinstance(data, dict):
        raise VerifierError("verifying key: expected a JSON object")
    if data.get("protocol", "groth16") != "groth16":
        raise VerifierError(f"verifying key: protocol {data.get('protocol')!r} is not groth16")
    if data.get("curve", "bn128") not in ("bn128", "bn254"):
        raise VerifierError(f"verifying key: curve {data.get('curve')!r} is not bn128")
    ic = _field(data, "IC", "verifying key")
    if not isinstance(ic, list) or not ic:
        raise VerifierError("verifying key: IC must be a non-empty list")
    vk = VerifyingKey(
        alpha_g1=parse_g1(_field(data, "vk_alpha_1", "verifying key"), "vk_alpha_1"),
        beta_g2=parse_g2(_field(data, "vk_beta_2", "verifying key"), "vk_beta_2"),
        gamma_g2=parse_g2(_field(data, "vk_gamma_2", "verifying key"), "vk_gamma_2"),
        delta_g2=parse_g2(_field(data, "vk_delta_2", "verifying key"), "vk_delta_2"),
        gamma_abc_g1=tuple(parse_g1(p, f"IC[{i}]") for i, p in enumerate(ic)),
    )
    n_public = data.get("nPublic", vk.n_public)
    if n_public != vk.n_public:
        raise VerifierError(f"verifying key: nPublic {n_public} but IC has {len(ic)} points")
    return vk


def proof_from_json(data: Any) -> Proof:
    """snarkjs ``proof.json`` (pi_a, pi_b, pi_c)."""
    if not isinstance(data, dict):
        raise VerifierError("proof: expected a JSON object")
    if data.get("protocol", "groth16") != "groth16":
        raise VerifierError(f"proof: protocol {data.get('protocol')!r} is not groth16")
    if data.get("curve", "bn128") not in ("bn128", "bn254"):
        raise VerifierError(f"proof: curve {data.get('curve')!r:.40} is not bn128")
    return Proof(
        a=parse_g1(_field(data, "pi_a", "proof"), "pi_a"),
        b=parse_g2(_field(data, "pi_b", "proof"), "pi_b"),
        c=parse_g1(_field(data, "pi_c", "proof"), "pi_c"),
    )


def public_from_json(data: Any) -> list[int]:
    """snarkjs ``public.json``: a list of decimal strings (any value < 2^256 parses)."""
    if not isinstance(data, list):
        raise VerifierError("public inputs: expected a JSON list")
    return [parse_int(v, f"public[{i}]") for i, v in enumerate(data)]


def as_vk(vk: Union[VerifyingKey, dict[str, Any]]) -> VerifyingKey:
    """Accept a parsed key or its snarkjs JSON dict."""
    return vk if isinstance(vk, VerifyingKey) else vk_from_json(vk)


def as_proof(proof: Union[Proof, dict[str, Any]]) -> Proof:
    """Accept a parsed proof or its snarkjs JSON dict."""
    return proof if isinstance(proof, Proof) else proof_from_json(proof)


def as_public(public: Any) -> list[int]:
    """Accept a list of ints or snarkjs's list of decimal strings."""
    return public_from_json(list(public) if isinstance(public, tuple) else public)


def read_json(path: Union[str, Path], what: str) -> Any:
    """Load a JSON file strictly (:func:`zkbase.jsonio.read_json`); any problem becomes a
    VerifierError naming the file (and the field)."""
    try:
        return strict_read_json(path)
    except JSONInputError as exc:
        raise VerifierError(f"{exc} ({what})") from None


def load_vk(path: Union[str, Path]) -> VerifyingKey:
    """Read a verifying key from snarkjs JSON."""
    try:
        return vk_from_json(read_json(path, "verifying key"))
    except VerifierError as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise VerifierError(f"{path}: {exc}") from None


def load_proof(path: Union[str, Path]) -> Proof:
    """Read a proof from snarkjs JSON."""
    try:
        return proof_from_json(read_json(path, "proof"))
    except VerifierError as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise VerifierError(f"{path}: {exc}") from None


def load_public(path: Union[str, Path]) -> list[int]:
    """Read public inputs from snarkjs JSON."""
    try:
        return public_from_json(read_json(path, "public inputs"))
    except VerifierError as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise VerifierError(f"{path}: {exc}") from None


def proof_to_json(proof: Proof) -> dict[str, Any]:
    """A proof as snarkjs JSON."""
    return {"pi_a": g1_to_json(proof.a), "pi_b": g2_to_json(proof.b), "pi_c": g1_to_json(proof.c),
            "protocol": "groth16", "curve": "bn128"}


def vk_to_json(vk: VerifyingKey) -> dict[str, Any]:
    """A verifying key as snarkjs ``verification_key.json`` (vk_alphabeta_12 omitted)."""
    return {"protocol": "groth16", "curve": "bn128", "nPublic": vk.n_public,
            "vk_alpha_1": g1_to_json(vk.alpha_g1), "vk_beta_2": g2_to_json(vk.beta_g2),
            "vk_gamma_2": g2_to_json(vk.gamma_g2), "vk_delta_2": g2_to_json(vk.delta_g2),
            "IC": [g1_to_json(p) for p in vk.gamma_abc_g1]}


__all__ = ["P", "R", "G1", "G2", "VerifyingKey", "Proof", "vk_from_json", "proof_from_json",
           "public_from_json", "as_vk", "as_proof", "as_public", "load_vk", "load_proof",
           "load_public", "proof_to_json", "vk_to_json", "g1_to_json", "g2_to_json", "parse_int"]
