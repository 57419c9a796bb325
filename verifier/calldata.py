"""ABI calldata of our verifier contracts.

``verifyProof(uint256[2], uint256[2][2], uint256[2], uint256[n])``: all four arguments are
static arrays, so the calldata is the 4-byte selector followed by ``8 + n`` words:
``A.x, A.y, B.x_im, B.x_re, B.y_im, B.y_re, C.x, C.y, s_1 … s_n`` (G2 imaginary part
first, as the precompile wants; :func:`native.encoding.g2_evm_words`).  Infinity encodes
as zeros.  This is the same calldata snarkjs's verifier takes.

``verifyBatch(uint256[8][] proofs, uint256[n][] publics)``: the head holds the two
arrays' offsets, then each array is its length followed by its rows (8 proof words, or
n inputs, per proof).  The key-set contract's functions take a leading ``uint8 shape``
word.  Our encoding is the canonical (Solidity) one.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from native.encoding import NativeError, g1_evm_words, g2_evm_words, words_to_bytes
from verifier.errors import VerifierError
from verifier.keys import Proof, as_proof, as_public
from verifier.solidity import MAX_SHAPES, batch_signature, function_signature


def keccak256(data: bytes) -> bytes:
    """Keccak-256 (Ethereum's, not SHA3-256), via eth-hash/pycryptodome or pysha3."""
    try:
        from eth_hash.auto import keccak
    except ImportError:  # pragma: no cover - eth-hash comes with py-evm / eth-utils
        from Crypto.Hash import keccak as _k

        return _k.new(digest_bits=256, data=data).digest()
    return keccak(data)


def selector(n_public: int, keyset: bool = False) -> bytes:
    """First 4 bytes of keccak256 of verifyProof's signature."""
    return keccak256(function_signature(n_public, keyset).encode())[:4]


def batch_selector(n_public: int, keyset: bool = False) -> bytes:
    """First 4 bytes of keccak256 of verifyBatch's signature."""
    return keccak256(batch_signature(n_public, keyset).encode())[:4]


def proof_words(proof: Proof) -> list[int]:
    """A.x, A.y, B.x_im, B.x_re, B.y_im, B.y_re, C.x, C.y."""
    return [*g1_evm_words(proof.a), *g2_evm_words(proof.b), *g1_evm_words(proof.c)]


def _shape_words(shape: Optional[int]) -> list[int]:
    if shape is None:
        return []
    if isinstance(shape, bool) or not isinstance(shape, int) or not 0 <= shape < MAX_SHAPES:
        raise VerifierError(f"calldata: shape index must be an integer in [0, {MAX_SHAPES}), got {shape!r}")
    return [shape]


def _bytes(words: list[int]) -> bytes:
    try:
        return words_to_bytes(words)
    except NativeError as exc:
        raise VerifierError(f"calldata: {exc}") from None


def encode_calldata(public: Any, proof: Any, shape: Optional[int] = None) -> bytes:
    """Calldata of verifyProof; ``shape`` (an index) selects the key-set contract's form."""
    proof, public = as_proof(proof), as_public(public)
    body = _bytes(_shape_words(shape) + proof_words(proof) + list(public))
    return selector(len(public), shape is not None) + body


def parse_items(items: Sequence[Any]) -> list[tuple[list[int], Proof]]:
    """Batch items — ``(public, proof)`` pairs or ``{"public", "proof"}`` dicts — parsed."""
    parsed = []
    for j, item in enumerate(items):
        try:
            public, proof = (item["public"], item["proof"]) if isinstance(item, dict) else item
        except (KeyError, TypeError, ValueError):
            raise VerifierError(f"batch item {j}: expected (public, proof)") from None
        parsed.append((as_public(public), as_proof(proof)))
    return parsed


def encode_batch_calldata(items: Sequence[Any], n_public: int,
                          shape: Optional[int] = None) -> bytes:
    """Calldata of verifyBatch for ``items`` (canonical ABI encoding); every item must
    have ``n_public`` inputs (the ABI type fixes the row length)."""
    parsed = parse_items(items)
    for j, (public, _) in enumerate(parsed):
        if len(public) != n_public:
            raise VerifierError(f"batch item {j}: {len(public)} public inputs, the contract "
                                f"takes {n_public}")
    head = _shape_words(shape)
    count = len(parsed)
    proofs_offset = 32 * (len(head) + 2)
    publics_offset = proofs_offset + 32 + 256 * count
    words = head + [proofs_offset, publics_offset, count]
    for _, proof in parsed:
        words += proof_words(proof)
    words.append(count)
    for public, _ in parsed:
        words += public
    return batch_selector(n_public, shape is not None) + _bytes(words)


def calldata_arguments(public: Any, proof: Any) -> list[Any]:
    """The four arguments as hex strings, shaped like snarkjs's soliditycalldata."""
    words = [f"0x{w:064x}" for w in proof_words(as_proof(proof)) + as_public(public)]
    return [words[0:2], [words[2:4], words[4:6]], words[6:8], words[8:]]


def batch_arguments(items: Sequence[Any]) -> list[Any]:
    """verifyBatch's two arguments as hex strings: ``[proofs, publics]``."""
    parsed = parse_items(items)
    return [[[f"0x{w:064x}" for w in proof_words(proof)] for _, proof in parsed],
            [[f"0x{w:064x}" for w in public] for public, _ in parsed]]
