"""``verify_onchain``: our generated verifier contract, replayed step by step.

The replay builds the same 0x300-byte pairing buffer as the contract, calls the
precompiles through :func:`verifier.evm.run_precompile` with the gas the EVM would
forward (all but 1/64 of what is left, EIP-150), and counts the transaction's gas
with :mod:`verifier.gas_model`.  Semantics follow the contract exactly:

* inputs are processed in order; the first ``s ≥ r`` returns false at once;
* ``s = 0`` skips ecMul/ecAdd;
* −A is ``(A.x, ((p − A.y) mod 2^256) mod p)`` — EVM ``SUB`` wraps, then ``MOD p``;
  A.x, B and C go to the pairing precompile unchecked, which fails on invalid points;
* result = pairing success AND its output word.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from verifier import evm, gas_model
from verifier.calldata import encode_calldata, proof_words
from native.encoding import g1_evm_words as g1_words
from native.encoding import g2_evm_words as g2_words
from verifier.errors import VerifierError
from verifier.groth16 import vk_problem
from verifier.keys import P, R, VerifyingKey, as_proof, as_public, as_vk
from verifier.solidity import PUBLIC_OFFSET

WORD = 1 << 256
DEFAULT_GAS_LIMIT = 1_000_000


@dataclass(frozen=True)
class PrecompileCall:
    """One STATICCALL to a precompile as the contract makes it."""

    address: int
    input: bytes
    gas_forwarded: int
    success: bool
    output: bytes
    gas_used: int


@dataclass
class OnchainResult:
    """Outcome of the replayed transaction.

    ``accept``: the contract returned true.  ``gas_used``: the transaction's gas as a
    receipt reports it (None when the call cannot be made, e.g. wrong input count).
    ``tx_failed``: the transaction itself fails (out of gas).
    """

    accept: bool
    gas_used: Optional[int]
    reason: str = ""
    calls: list[PrecompileCall] = field(default_factory=list)
    calldata: bytes = b""
    intrinsic_gas: int = 0
    execution_gas: int = 0
    tx_failed: bool = False


class _OutOfGas(Exception):
    pass


class _Meter:
    """Gas left in the call frame; charging past zero is an out-of-gas halt."""

    def __init__(self, gas: int) -> None:
        self.start = self.left = gas

    def charge(self, amount: int) -> None:
        if amount > self.left:
            raise _OutOfGas
        self.left -= amount

    def call(self, address: int, data: bytes, calls: list[PrecompileCall]) -> evm.PrecompileResult:
        """STATICCALL(gas(), address, ...): warm access, forward all but 1/64."""
        self.charge(gas_model.WARM_CALL)
        forwarded = gas_model.all_but_one_64th(self.left)
        result = evm.run_precompile(address, data, forwarded)
        self.left -= result.gas_used
        calls.append(PrecompileCall(address, data, forwarded, result.success, result.output,
                                    result.gas_used))
        return result

    @property
    def used(self) -> int:
        return self.start - self.left


def _initial_buffer(vk: VerifyingKey, words: list[int]) -> bytearray:
    """Memory 0x000..0x300 after ENTRY: −A, B, α, β, IC_0 (γ is written after the inputs)."""
    a_x, a_y, *b, c_x, c_y = words
    neg_a_y = ((P - a_y) % WORD) % P  # EVM: mod(sub(p, A.y), p), SUB wraps
    head = [a_x, neg_a_y, *b, *g1_words(vk.alpha_g1), *g2_words(vk.beta_g2),
            *g1_words(vk.gamma_abc_g1[0])]
    buf = bytearray(0x300)
    buf[0: 32 * len(head)] = b"".join(w.to_bytes(32, "big") for w in head)
    buf[0x240:0x280] = c_x.to_bytes(32, "big") + c_y.to_bytes(32, "big")
    buf[0x280:0x300] = b"".join(w.to_bytes(32, "big") for w in g2_words(vk.delta_g2))
    return buf


def _run_contract(vk: VerifyingKey, public: list[int], words: list[int], meter: _Meter,
                  calls: list[PrecompileCall]) -> tuple[bool, str]:
    """Execute the contract's steps; returns (accepted, reason)."""
    g = gas_model.CONTRACT_GAS
    n = vk.n_public
    meter.charge(g.entry_gas(n))
    buf = _initial_buffer(vk, words)
    for k, s in enumerate(public):
        if s >= R:
            meter.charge(g.reject)
            return False, f"public[{k}] >= r: the contract returns false"
        if s == 0:
            meter.charge(g.block_zero)
            continue
        meter.charge(g.block_to_mul)
        buf[0x1c0:0x220] = b"".join(w.to_bytes(32, "big") for w in (*g1_words(vk.gamma_abc_g1[k + 1]), s))
        mul = meter.call(0x07, bytes(buf[0x1c0:0x220]), calls)
        if mul.success:
            buf[0x1c0:0x200] = mul.output
        meter.charge(g.mul_to_add)
        add = meter.call(0x06, bytes(buf[0x180:0x200]), calls)
        if add.success:
            buf[0x180:0x1c0] = add.output
        if not (mul.success and add.success):
            # Only starvation can make these calls fail (the IC points are valid, s < r):
            # a failed call leaves 1/64 of its gas, too little for the AND/ISZERO/JUMPI
            # that follow, so the transaction runs out of gas here.
            meter.charge(g.call_failed_min)
            return False, "an ecMul/ecAdd call failed: gas of this path is not modelled"
        meter.charge(g.add_to_next)
    meter.charge(g.pre_pairing_gas(n))
    buf[0x1c0:0x240] = b"".join(w.to_bytes(32, "big") for w in g2_words(vk.gamma_g2))
    pairing = meter.call(0x08, bytes(buf), calls)
    meter.charge(g.post_pairing)
    if not pairing.success:
        return False, "the pairing precompile failed (invalid A, B or C): the contract returns false"
    if pairing.output[-1] != 1:
        return False, "pairing check is 0: the proof does not verify"
    return True, ""


def verify_onchain(vk: Any, public: Any, proof: Any,
                   gas_limit: int = DEFAULT_GAS_LIMIT) -> OnchainResult:
    """Replay ``verifyProof`` of our generated contract for ``vk`` in a transaction.

    Returns accept/reject and the receipt's ``gas_used`` (Prague rules).  A failing
    pairing call consumes 63/64 of the gas left, so on that path the gas depends on
    ``gas_limit``; on every other path it does not (given enough gas).
    Raises :class:`VerifierError` for malformed JSON, an invalid verifying key or a
    gas limit below the intrinsic gas; a bad proof is a rejection, not an error.
    """
    vk, proof, public = as_vk(vk), as_proof(proof), as_public(public)
    if (problem := vk_problem(vk)) is not None:
        raise VerifierError(f"verifying key is invalid (no contract can be generated): {problem}")
    if len(public) != vk.n_public:
        return OnchainResult(False, None, f"public inputs: {len(public)} given, the contract "
                             f"takes {vk.n_public} (ABI decoding would not match)")
    words = proof_words(proof)
    calldata = encode_calldata(public, proof)
    intrinsic = gas_model.intrinsic_gas(calldata)
    floor = gas_model.floor_gas(calldata)
    if gas_limit < max(intrinsic, floor):
        raise VerifierError(f"gas limit {gas_limit} is below the transaction's intrinsic "
                            f"gas {max(intrinsic, floor)}")
    meter = _Meter(gas_limit - intrinsic)
    calls: list[PrecompileCall] = []
    try:
        accept, reason = _run_contract(vk, public, words, meter, calls)
    except _OutOfGas:
        return OnchainResult(False, gas_limit, "out of gas: the transaction fails", calls,
                             calldata, intrinsic, meter.start, tx_failed=True)
    if "not modelled" in reason:
        return OnchainResult(False, None, reason, calls, calldata, intrinsic, meter.used)
    gas_used = max(intrinsic + meter.used, floor)
    return OnchainResult(accept, gas_used, reason, calls, calldata, intrinsic, meter.used)


__all__ = ["verify_onchain", "OnchainResult", "PrecompileCall", "DEFAULT_GAS_LIMIT", "PUBLIC_OFFSET"]
