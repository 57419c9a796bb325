"""``verify_onchain`` / ``verify_onchain_batch``: our generated contracts, replayed step by step.

The replay builds the same memory as the contract, calls the precompiles through
:func:`verifier.evm.run_precompile` with the gas the EVM would forward (all but 1/64 of
what is left, EIP-150), and counts the transaction's gas with :mod:`verifier.gas_model`.
``shape=None`` replays the single-key contract, ``shape=k`` the key-set contract called
with shape index k (``vk`` being that shape's key).  Semantics follow the contracts:

verifyProof
  * inputs are processed in order; the first ``s ≥ r`` returns false at once;
  * ``s = 0`` skips ecMul/ecAdd;
  * −A is ``(A.x, ((p − A.y) mod 2^256) mod p)`` — EVM ``SUB`` wraps, then ``MOD p``;
    A.x, B and C go to the pairing precompile unchecked, which fails on invalid points;
  * result = pairing success AND its output word.

verifyBatch
  * no proofs, or two array lengths that differ: false;
  * seed = keccak256(calldata); ρ_j = 1 + (keccak256(seed ‖ j) mod (2^128 − 1));
  * per proof, in order: its inputs (the first ``s ≥ r`` returns false), t_i += ρ_j·s_i
    mod r; ecMul(A_j, r − ρ_j) into pair j (false if it fails: A_j invalid), B_j copied;
    ecMul(C_j, ρ_j) (false if it fails) and ecAdd into Y;
  * ecMul(α, Σρ), X = ecMul(IC_0, Σρ) + Σ_i ecMul(IC_i, t_i), then one ecPairing over
    the B + 3 pairs; result = pairing success AND its output word.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from native.encoding import g1_evm_words as g1_words
from native.encoding import g2_evm_words as g2_words
from verifier import evm, gas_model
from verifier.calldata import encode_batch_calldata, encode_calldata, keccak256, parse_items, proof_words
from verifier.errors import VerifierError
from verifier.groth16 import vk_problem
from verifier.keys import P, R, Proof, VerifyingKey, as_proof, as_public, as_vk
from verifier.solidity import PUBLIC_OFFSET

WORD = 1 << 256
DEFAULT_GAS_LIMIT = 1_000_000
DEFAULT_BATCH_GAS_LIMIT = 30_000_000
COEFFICIENT_MODULUS = (1 << 128) - 1


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
    receipt reports it (None when the call cannot be made, e.g. wrong input count, or
    the path's gas is not modelled).  ``tx_failed``: the transaction itself fails (out
    of gas).  ``segments``: the opcode-gas charges between marks, for calibration.
    """

    accept: bool
    gas_used: Optional[int]
    reason: str = ""
    calls: list[PrecompileCall] = field(default_factory=list)
    calldata: bytes = b""
    intrinsic_gas: int = 0
    execution_gas: int = 0
    tx_failed: bool = False
    segments: list[tuple[str, int]] = field(default_factory=list)


class _OutOfGas(Exception):
    pass


class _NotModelled(Exception):
    pass


class _Meter:
    """Gas left in the call frame; charging past zero is an out-of-gas halt."""

    def __init__(self, gas: int) -> None:
        self.start = self.left = gas
        self.calls: list[PrecompileCall] = []
        self.segments: list[tuple[str, int]] = []
        self.unmodelled = ""

    def charge(self, amount: Optional[int], name: str) -> None:
        """Charge a segment; an uncalibrated one (None) counts 0 and voids the gas."""
        if amount is None:
            self.unmodelled = (f"gas not modelled: segment {name} is not calibrated for "
                               f"this input count (see verifier.gas_model)")
            amount = 0
        self.segments.append((name, amount))
        if amount > self.left:
            raise _OutOfGas
        self.left -= amount

    def call(self, address: int, data: bytes) -> evm.PrecompileResult:
        """STATICCALL(gas(), address, ...): warm access, forward all but 1/64."""
        self.charge(gas_model.WARM_CALL, "call")
        forwarded = gas_model.all_but_one_64th(self.left)
        result = evm.run_precompile(address, data, forwarded)
        self.left -= result.gas_used
        self.segments.append(("precompile", result.gas_used))
        self.calls.append(PrecompileCall(address, data, forwarded, result.success, result.output,
                                         result.gas_used))
        return result

    @property
    def used(self) -> int:
        return self.start - self.left


def _b(*words: int) -> bytes:
    return b"".join(w.to_bytes(32, "big") for w in words)


def _initial_buffer(vk: VerifyingKey, words: list[int]) -> bytearray:
    """Memory 0x000..0x300 after ENTRY: −A, B, α, β, IC_0 (γ is written after the inputs)."""
    a_x, a_y, *b, c_x, c_y = words
    neg_a_y = ((P - a_y) % WORD) % P  # EVM: mod(sub(p, A.y), p), SUB wraps
    head = [a_x, neg_a_y, *b, *g1_words(vk.alpha_g1), *g2_words(vk.beta_g2),
            *g1_words(vk.gamma_abc_g1[0])]
    buf = bytearray(0x300)
    buf[0: 32 * len(head)] = _b(*head)
    buf[0x240:0x280] = _b(c_x, c_y)
    buf[0x280:0x300] = _b(*g2_words(vk.delta_g2))
    return buf


def _run_proof(vk: VerifyingKey, public: list[int], words: list[int], meter: _Meter,
               g: gas_model.ProofGas, shape: int) -> tuple[bool, str]:
    """Execute verifyProof's steps; returns (accepted, reason)."""
    n = vk.n_public
    meter.charge(g.entry_gas(n, shape), "entry")
    buf = _initial_buffer(vk, words)
    for k, s in enumerate(public):
        if s >= R:
            meter.charge(g.reject, "reject")
            return False, f"public[{k}] >= r: the contract returns false"
        if s == 0:
            meter.charge(g.block_zero, "block_zero")
            continue
        meter.charge(g.block_to_mul_gas(n), "block_to_mul")
        buf[0x1c0:0x220] = _b(*g1_words(vk.gamma_abc_g1[k + 1]), s)
        mul = meter.call(0x07, bytes(buf[0x1c0:0x220]))
        if mul.success:
            buf[0x1c0:0x200] = mul.output
        meter.charge(g.mul_to_add, "mul_to_add")
        add = meter.call(0x06, bytes(buf[0x180:0x200]))
        if add.success:
            buf[0x180:0x1c0] = add.output
        if not (mul.success and add.success):
            # Only starvation can make these calls fail (the IC points are valid, s < r):
            # a failed call leaves 1/64 of its gas, too little for the AND/ISZERO/JUMPI
            # that follow, so the transaction runs out of gas here.
            meter.charge(g.call_failed_min, "call_failed_min")
            raise _NotModelled("an ecMul/ecAdd call failed: gas of this path is not modelled")
        meter.charge(g.add_to_next, "add_to_next")
    meter.charge(g.pre_pairing_gas(n), "pre_pairing")
    buf[0x1c0:0x240] = _b(*g2_words(vk.gamma_g2))
    return _pairing_verdict(meter, bytes(buf), g.post_pairing,
                            "the pairing precompile failed (invalid A, B or C): the contract "
                            "returns false", "pairing check is 0: the proof does not verify")


def _pairing_verdict(meter: _Meter, pairing_input: bytes, post_gas: int, failed: str,
                     zero: str) -> tuple[bool, str]:
    """The contract's last step: the ecPairing call, the gas after it, and its verdict
    (``failed`` when the precompile fails, ``zero`` when the check is 0)."""
    pairing = meter.call(0x08, pairing_input)
    meter.charge(post_gas, "post_pairing")
    if not pairing.success:
        return False, failed
    if pairing.output[-1] != 1:
        return False, zero
    return True, ""


def _shape_index(shape: Optional[int]) -> int:
    if shape is None:
        return 0
    if isinstance(shape, bool) or not isinstance(shape, int) or not 0 <= shape < 256:
        raise VerifierError(f"shape index must be an integer in [0, 256), got {shape!r}")
    return shape


def _transaction(calldata: bytes, gas_limit: int, run: Any) -> OnchainResult:
    """Intrinsic gas, the EIP-7623 floor and the call frame around ``run(meter)``."""
    intrinsic = gas_model.intrinsic_gas(calldata)
    floor = gas_model.floor_gas(calldata)
    if gas_limit < max(intrinsic, floor):
        raise VerifierError(f"gas limit {gas_limit} is below the transaction's intrinsic "
                            f"gas {max(intrinsic, floor)}")
    meter = _Meter(gas_limit - intrinsic)
    try:
        accept, reason = run(meter)
    except _OutOfGas:
        return OnchainResult(False, gas_limit, "out of gas: the transaction fails", meter.calls,
                             calldata, intrinsic, meter.start, True, meter.segments)
    except _NotModelled as exc:
        return OnchainResult(False, None, str(exc), meter.calls, calldata, intrinsic, meter.used,
                             False, meter.segments)
    if meter.unmodelled:
        reason = f"{reason}; {meter.unmodelled}" if reason else meter.unmodelled
        return OnchainResult(accept, None, reason, meter.calls, calldata, intrinsic, meter.used,
                             False, meter.segments)
    gas_used = max(intrinsic + meter.used, floor)
    return OnchainResult(accept, gas_used, reason, meter.calls, calldata, intrinsic, meter.used,
                         False, meter.segments)


SHARED_CONSTANTS = ("gas not modelled: the key has δ = γ (no contribution), and solc "
                    "shares the repeated constants in a value-dependent way")


def _unmodelled_if_shared(vk: VerifyingKey, result: OnchainResult) -> OnchainResult:
    """The verdict stands; the gas of a δ = γ key's contract is not predicted."""
    if vk.gamma_g2 == vk.delta_g2 and result.gas_used is not None:
        result.gas_used = None
        result.reason = f"{result.reason}; {SHARED_CONSTANTS}" if result.reason else SHARED_CONSTANTS
    return result


def _checked_vk(vk: Any) -> VerifyingKey:
    vk = as_vk(vk)
    if (problem := vk_problem(vk)) is not None:
        raise VerifierError(f"verifying key is invalid (no contract can be generated): {problem}")
    return vk


def verify_onchain(vk: Any, public: Any, proof: Any, gas_limit: int = DEFAULT_GAS_LIMIT,
                   shape: Optional[int] = None,
                   gas: Optional[gas_model.ProofGas] = None) -> OnchainResult:
    """Replay ``verifyProof`` of our generated contract for ``vk`` in a transaction.

    ``shape``: None for the single-key contract, else the shape index in the key-set
    contract (``vk`` is that shape's key).  Returns accept/reject and the receipt's
    ``gas_used`` (Prague rules).  A failing pairing call consumes 63/64 of the gas left,
    so on that path the gas depends on ``gas_limit``; on every other path it does not
    (given enough gas).  Raises :class:`VerifierError` for malformed JSON, an invalid
    verifying key or a gas limit below the intrinsic gas; a bad proof is a rejection.
    ``gas`` overrides the segment model (calibration only).
    """
    vk, proof, public = _checked_vk(vk), as_proof(proof), as_public(public)
    index = _shape_index(shape)
    if gas is None:
        gas = gas_model.CONTRACT_GAS if shape is None else gas_model.KEYSET_PROOF_GAS
    if len(public) != vk.n_public:
        return OnchainResult(False, None, f"public inputs: {len(public)} given, the contract "
                             f"takes {vk.n_public} (ABI decoding would not match)")
    words = proof_words(proof)
    calldata = encode_calldata(public, proof, shape)
    return _unmodelled_if_shared(vk, _transaction(
        calldata, gas_limit, lambda meter: _run_proof(vk, public, words, meter, gas, index)))


def batch_coefficients(calldata: bytes, count: int) -> list[int]:
    """The contract's Fiat–Shamir coefficients: seed = keccak256(calldata),
    ρ_j = 1 + (keccak256(seed ‖ j) mod (2^128 − 1)), j as a 32-byte word."""
    seed = keccak256(calldata)
    return [1 + int.from_bytes(keccak256(seed + j.to_bytes(32, "big")), "big") % COEFFICIENT_MODULUS
            for j in range(count)]


def _run_batch(vk: VerifyingKey, items: list[tuple[list[int], Proof]], calldata: bytes,
               meter: _Meter, g: gas_model.BatchGas, shape: int) -> tuple[bool, str]:
    """Execute verifyBatch's steps; returns (accepted, reason)."""
    n, count = vk.n_public, len(items)
    if count == 0:
        meter.charge(g.empty_gas(n, shape), "empty")
        return False, "empty batch: the contract returns false"
    start = g.start_gas(n, shape)
    meter.charge(None if start is None else start + gas_model.batch_dynamic_gas(len(calldata), count, n),
                 "start")
    rhos = batch_coefficients(calldata, count)
    g1_pairs: list[bytes] = []
    y = bytes(64)
    t = [0] * n
    for j, ((public, proof), rho) in enumerate(zip(items, rhos)):
        for i, s in enumerate(public):
            if s >= R:
                meter.charge(g.input_reject, "input_reject")
                return False, f"proof {j}: public[{i}] >= r: the contract returns false"
            t[i] = (t[i] + rho * s) % R
            meter.charge(g.input_step if i < n - 1 else g.last_input_to_mul_a,
                         "input_step" if i < n - 1 else "last_input_to_mul_a")
        words = proof_words(proof)
        mul_a = meter.call(0x07, _b(words[0], words[1], R - rho))
        if not mul_a.success:
            meter.charge(g.call_failed, "call_failed")
            return False, f"proof {j}: ecMul of A failed (A invalid): the contract returns false"
        g1_pairs.append(mul_a.output + _b(*words[2:6]))
        meter.charge(g.a_to_c, "a_to_c")
        mul_c = meter.call(0x07, _b(words[6], words[7], rho))
        if not mul_c.success:
            meter.charge(g.call_failed, "call_failed")
            return False, f"proof {j}: ecMul of C failed (C invalid): the contract returns false"
        meter.charge(g.c_to_add, "c_to_add")
        add = meter.call(0x06, y + mul_c.output)
        if not add.success:
            raise _NotModelled("an ecAdd call failed (starved): gas of this path is not modelled")
        y = add.output
        meter.charge(g.add_to_next if j < count - 1 else g.add_to_alpha,
                     "add_to_next" if j < count - 1 else "add_to_alpha")
    rho_sum = sum(rhos)
    x, tail = _batch_tail(vk, t, rho_sum, meter, g)
    pairing_input = b"".join(g1_pairs) + tail[0] + x + _b(*g2_words(vk.gamma_g2)) + y + _b(*g2_words(vk.delta_g2))
    return _pairing_verdict(meter, pairing_input, g.post_pairing,
                            "the pairing precompile failed (an invalid B): the contract "
                            "returns false",
                            "the batch pairing check is 0: at least one proof does not verify")


def _batch_tail(vk: VerifyingKey, t: list[int], rho_sum: int, meter: _Meter,
                g: gas_model.BatchGas) -> tuple[bytes, list[bytes]]:
    """ecMul(α, Σρ) and X = Σρ·IC_0 + Σ t_i·IC_i as the contract computes them."""
    def ok(result: evm.PrecompileResult) -> bytes:
        if not result.success:
            raise _NotModelled("an ecMul/ecAdd of the key's points failed (starved): not modelled")
        return result.output

    alpha = ok(meter.call(0x07, _b(*g1_words(vk.alpha_g1), rho_sum)))
    meter.charge(g.alpha_to_ic0, "alpha_to_ic0")
    x = ok(meter.call(0x07, _b(*g1_words(vk.gamma_abc_g1[0]), rho_sum)))
    meter.charge(g.ic0_to_ic, "ic0_to_ic")
    for i, point in enumerate(vk.gamma_abc_g1[1:]):
        term = ok(meter.call(0x07, _b(*g1_words(point), t[i])))
        meter.charge(g.ic_mul_to_add, "ic_mul_to_add")
        x = ok(meter.call(0x06, x + term))
        last = i == vk.n_public - 1
        meter.charge(g.ic_add_to_pairing if last else g.ic_add_to_mul,
                     "ic_add_to_pairing" if last else "ic_add_to_mul")
    return x, [alpha + _b(*g2_words(vk.beta_g2))]


def verify_onchain_batch(vk: Any, items: Sequence[Any], gas_limit: int = DEFAULT_BATCH_GAS_LIMIT,
                         shape: Optional[int] = None,
                         gas: Optional[gas_model.BatchGas] = None) -> OnchainResult:
    """Replay ``verifyBatch`` of our generated contract for ``vk`` in a transaction.

    ``items``: ``(public, proof)`` pairs or ``{"public", "proof"}`` dicts; ``shape`` as
    for :func:`verify_onchain`.  Returns accept/reject, the receipt's ``gas_used``
    (Prague rules) and every precompile call.  The gas is exact on every path the
    contract can take with enough gas, except an ecAdd starved of gas (reported as
    ``gas_used=None``).  Raises :class:`VerifierError` for malformed items, an item
    whose input count differs from the key's (the ABI cannot encode it), an invalid key
    or a gas limit below the intrinsic gas.  ``gas`` overrides the segment model
    (calibration only).
    """
    vk = _checked_vk(vk)
    index = _shape_index(shape)
    if gas is None:
        gas = gas_model.BATCH_GAS if shape is None else gas_model.KEYSET_BATCH_GAS
    parsed = parse_items(items)
    calldata = encode_batch_calldata(parsed, vk.n_public, shape)
    return _unmodelled_if_shared(vk, _transaction(
        calldata, gas_limit, lambda meter: _run_batch(vk, parsed, calldata, meter, gas, index)))


__all__ = ["verify_onchain", "verify_onchain_batch", "batch_coefficients", "OnchainResult",
           "PrecompileCall", "DEFAULT_GAS_LIMIT", "DEFAULT_BATCH_GAS_LIMIT", "PUBLIC_OFFSET"]
