"""ABI calldata for ``verifyProof(uint256[2], uint256[2][2], uint256[2], uint256[n])``.

All four arguments are static arrays, so the calldata is the 4-byte selector followed
by ``8 + n`` words: ``A.x, A.y, B.x_im, B.x_re, B.y_im, B.y_re, C.x, C.y, s_1 … s_n``
(G2 imaginary part first, as the precompile wants).  Infinity encodes as zeros.
This is the same calldata snarkjs's verifier takes.
"""
from __future__ import annotations

from typing import Any

from native.encoding import NativeError, g1_evm_words, g2_evm_words, words_to_bytes
from verifier.errors import VerifierError
from verifier.keys import Proof, as_proof, as_public
from verifier.solidity import function_signature


def keccak256(data: bytes) -> bytes:
    """Keccak-256 (Ethereum's, not SHA3-256), via eth-hash/pycryptodome or pysha3."""
    try:
        from eth_hash.auto import keccak
    except ImportError:  # pragma: no cover - eth-hash comes with py-evm / eth-utils
        from Crypto.Hash import keccak as _k

        return _k.new(digest_bits=256, data=data).digest()
    return keccak(data)


def selector(n_public: int) -> bytes:
    """First 4 bytes of keccak256 of the function signature."""
    return keccak256(function_signature(n_public).encode())[:4]


def proof_words(proof: Proof) -> list[int]:
    """A.x, A.y, B.x_im, B.x_re, B.y_im, B.y_re, C.x, C.y."""
    return [*g1_evm_words(proof.a), *g2_evm_words(proof.b), *g1_evm_words(proof.c)]


def encode_calldata(public: Any, proof: Any) -> bytes:
    """Selector + the static words; values must fit in 256 bits."""
    proof, public = as_proof(proof), as_public(public)
    try:
        body = words_to_bytes(proof_words(proof) + list(public))
    except NativeError as exc:
        raise VerifierError(f"calldata: {exc}") from None
    return selector(len(public)) + body


def calldata_arguments(public: Any, proof: Any) -> list[Any]:
    """The four arguments as hex strings, shaped like snarkjs's soliditycalldata."""
    words = [f"0x{w:064x}" for w in proof_words(as_proof(proof)) + as_public(public)]
    return [words[0:2], [words[2:4], words[4:6]], words[6:8], words[8:]]
