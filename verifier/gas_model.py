"""Gas of our generated verifier contracts, segment by segment (Prague rules).

The contracts (``templates/Verifier.sol.tmpl``, ``templates/KeySetVerifier.sol.tmpl``)
compiled by solc 0.8.28 with the optimizer on (runs = 200, EVM cancun) execute, between
consecutive *marks* — the CALLDATALOAD of a public input, a STATICCALL, the RETURN — a
fixed sequence of opcodes whose gas is a constant of this module, plus, where noted, a
part computed from the input (memory expansion, CALLDATACOPY and KECCAK256 per word).
The STATICCALLs' own cost (100: EIP-2929 warm access, precompiles are always warm) and
the gas the precompile consumes are counted by :mod:`verifier.onchain`, which replays
the contract through :mod:`verifier.evm`.

verifyProof (n public inputs):

    ENTRY          dispatcher, ABI checks, memory to 0x300, constants, −A (per n, table)
    input k:  s ≥ r → REJECT;  s = 0 → BLOCK_ZERO;
              s > 0 → BLOCK_TO_MUL, ecMul, MUL_TO_ADD, ecAdd, ADD_TO_NEXT
    PRE_PAIRING    γ constants, then ecPairing, then POST_PAIRING

verifyBatch (B proofs, n public inputs each):

    START          dispatcher, ABI checks, length check, calldata hashed, t_i zeroed (per
                   n, table; plus 9 gas per calldata word and the memory expansion to
                   max(calldata, (B + 3)·192 + 64 + 32·n bytes))
    proof j:  input i: INPUT_STEP (i < n − 1) or LAST_INPUT_TO_MUL_A; s ≥ r → INPUT_REJECT
              ecMul(A_j), A_TO_C, ecMul(C_j), C_TO_ADD, ecAdd, then ADD_TO_NEXT (j < B − 1)
              or ADD_TO_ALPHA
    ecMul(α), ALPHA_TO_IC0, ecMul(IC_0), IC0_TO_IC, then per input ecMul(IC_i),
    IC_MUL_TO_ADD, ecAdd, IC_ADD_TO_MUL / IC_ADD_TO_PAIRING, ecPairing, POST_PAIRING

The key-set contract's ENTRY/START for shape index k is its table's value plus
``k·case_step`` (one more ``switch`` comparison per earlier case).  The key's constants
are code too: for a key with δ = γ (a development key without a contribution, where
both are the G2 generator) solc shares the repeated words in a way that depends on
their values, so the replay reports no gas for such keys (every key with a
contribution has δ ≠ γ).  The entry tables
depend on n irregularly (the optimizer's choices and the selectors' order in the
dispatcher), so they are measured for n = 1 .. :data:`MAX_CALIBRATED_N`; outside that
range the replay reports no gas.  Every constant was measured on py-evm by
``python -m tests.verifier.calibrate_gas``, which prints them and checks the model; the
tests compare whole-transaction gas with py-evm.  Re-measure whenever a template or the
solc settings change.

Transaction level (EIP-2028, EIP-7623 from Prague):
``gas = max(21000 + 4·zero_bytes + 16·nonzero_bytes + execution,
            21000 + 10·(zero_bytes + 4·nonzero_bytes))``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

TX_BASE = 21000
CALLDATA_ZERO = 4
CALLDATA_NONZERO = 16
FLOOR_PER_TOKEN = 10  # EIP-7623
WARM_CALL = 100  # EIP-2929: STATICCALL to a precompile
COPY_PER_WORD = 3  # CALLDATACOPY
KECCAK_PER_WORD = 6  # KECCAK256
INITIAL_MEMORY_WORDS = 3  # Solidity stores its free-memory pointer at 0x40 first: 0x60 bytes
MAX_CALIBRATED_N = 16


def memory_cost(words: int) -> int:
    """Total memory gas for ``words`` 32-byte words: 3·w + ⌊w²/512⌋."""
    return 3 * words + words * words // 512


@dataclass(frozen=True)
class ProofGas:
    """Segment costs (opcode gas) of verifyProof; ``entry`` maps n to ENTRY."""

    entry: dict[int, int] = field(default_factory=dict)
    case_step: int = 0          # key set: per shape index
    reject: int = 37            # from the input's CALLDATALOAD to RETURN (false)
    block_zero: int = 51        # s = 0: checks, skip
    block_to_mul: int = 89      # s > 0: checks, IC_k and s stored, up to STATICCALL 0x07
    mul_to_add: int = 17        # after ecMul returns, up to STATICCALL 0x06
    add_to_next: int = 22       # after ecAdd returns, to the next input's CALLDATALOAD
    pre_pairing: int = 48       # γ stored, up to STATICCALL 0x08 (plus r_pop when n > 1)
    r_pop: int = 2              # POP of r before the pairing call when n > 1
    post_pairing: int = 21      # result AND, MSTORE, RETURN
    call_failed_min: int = 19   # lower bound after a failed ecMul/ecAdd: AND ISZERO PUSH JUMPI
    literal_r_extra: int = 0    # key set, n = 1 (r as a literal): extra in BLOCK_TO_MUL

    def entry_gas(self, n_public: int, shape: int = 0) -> Optional[int]:
        """ENTRY for ``n_public`` inputs (and shape index in a key set); None if unmeasured."""
        base = self.entry.get(n_public)
        return None if base is None else base + shape * self.case_step

    def block_to_mul_gas(self, n_public: int) -> int:
        """BLOCK_TO_MUL for a key with ``n_public`` inputs."""
        return self.block_to_mul + (self.literal_r_extra if n_public == 1 else 0)

    def pre_pairing_gas(self, n_public: int) -> int:
        """PRE_PAIRING for a key with ``n_public`` inputs."""
        return self.pre_pairing + (self.r_pop if n_public > 1 else 0)


@dataclass(frozen=True)
class BatchGas:
    """Segment costs (opcode gas) of verifyBatch; ``start`` maps n to START's constant."""

    start: dict[int, int] = field(default_factory=dict)
    empty: dict[int, int] = field(default_factory=dict)  # START → RETURN: no proofs / lengths differ
    case_step: int = 0
    input_step: int = 89
    last_input_to_mul_a: int = 166
    input_reject: int = 37      # from the input's CALLDATALOAD to RETURN (false)
    a_to_c: int = 119
    c_to_add: int = 31
    add_to_next: int = 173
    add_to_alpha: int = 130
    alpha_to_ic0: int = 148
    ic0_to_ic: int = 97
    ic_mul_to_add: int = 17
    ic_add_to_mul: int = 100
    ic_add_to_pairing: int = 158
    post_pairing: int = 28
    call_failed: int = 25       # after a failed ecMul of A_j or C_j: to RETURN (false)

    def start_gas(self, n_public: int, shape: int = 0) -> Optional[int]:
        """START's constant part; None if unmeasured for ``n_public``."""
        base = self.start.get(n_public)
        return None if base is None else base + shape * self.case_step

    def empty_gas(self, n_public: int, shape: int = 0) -> Optional[int]:
        """START → RETURN when the batch is empty or its two lengths differ."""
        base = self.empty.get(n_public)
        return None if base is None else base + shape * self.case_step


def batch_dynamic_gas(calldata_len: int, n_batch: int, n_public: int) -> int:
    """START's input-dependent part: CALLDATACOPY and KECCAK256 of the calldata
    (3 + 6 gas per word) and memory growth to max(calldata, pairing input + scratch)."""
    calldata_words = -(-calldata_len // 32)
    scratch_end = (n_batch + 3) * 192 + 0x40 + 32 * n_public
    words = max(calldata_words, -(-scratch_end // 32))
    return ((COPY_PER_WORD + KECCAK_PER_WORD) * calldata_words + memory_cost(words)
            - memory_cost(INITIAL_MEMORY_WORDS))


PROOF_ENTRY: dict[int, int] = {1: 705, 2: 783, 3: 719, 4: 802, 5: 719, 6: 741, 7: 741, 8: 741, 9: 741, 10: 741, 11: 741, 12: 741, 13: 741, 14: 719, 15: 741, 16: 741}
PROOF_ENTRY_KEYSET: dict[int, int] = {1: 888, 2: 1001, 3: 953, 4: 998, 5: 953, 6: 909, 7: 931, 8: 953, 9: 909, 10: 953, 11: 909, 12: 909, 13: 909, 14: 931, 15: 953, 16: 931}
BATCH_START: dict[int, int] = {1: 923, 2: 915, 3: 953, 4: 965, 5: 981, 6: 973, 7: 987, 8: 1058, 9: 1015, 10: 1029, 11: 1043, 12: 1057, 13: 1071, 14: 1107, 15: 1099, 16: 1111}
BATCH_START_KEYSET: dict[int, int] = {1: 1108, 2: 1100, 3: 1094, 4: 1150, 5: 1122, 6: 1180, 7: 1194, 8: 1215, 9: 1222, 10: 1214, 11: 1250, 12: 1264, 13: 1278, 14: 1292, 15: 1284, 16: 1318}
BATCH_EMPTY: dict[int, int] = {1: 658, 2: 636, 3: 660, 4: 658, 5: 660, 6: 638, 7: 638, 8: 695, 9: 638, 10: 638, 11: 638, 12: 638, 13: 638, 14: 660, 15: 638, 16: 636}
BATCH_EMPTY_KEYSET: dict[int, int] = {1: 807, 2: 785, 3: 765, 4: 807, 5: 765, 6: 809, 7: 809, 8: 816, 9: 809, 10: 787, 11: 809, 12: 809, 13: 809, 14: 809, 15: 787, 16: 807}

CONTRACT_GAS = ProofGas(entry=PROOF_ENTRY)
KEYSET_PROOF_GAS = ProofGas(entry=PROOF_ENTRY_KEYSET, case_step=22, literal_r_extra=29)
BATCH_GAS = BatchGas(start=BATCH_START, empty=BATCH_EMPTY)
KEYSET_BATCH_GAS = BatchGas(start=BATCH_START_KEYSET, empty=BATCH_EMPTY_KEYSET, case_step=22,
                            add_to_next=185, alpha_to_ic0=146, ic_add_to_pairing=156,
                            post_pairing=26)


def calldata_gas(data: bytes) -> int:
    """EIP-2028 calldata cost: 4 per zero byte, 16 per non-zero byte."""
    zeros = data.count(0)
    return CALLDATA_ZERO * zeros + CALLDATA_NONZERO * (len(data) - zeros)


def floor_gas(data: bytes) -> int:
    """EIP-7623 floor: 21000 + 10 · tokens, tokens = zero bytes + 4 · non-zero bytes."""
    zeros = data.count(0)
    return TX_BASE + FLOOR_PER_TOKEN * (zeros + 4 * (len(data) - zeros))


def intrinsic_gas(data: bytes) -> int:
    """21000 + calldata cost (a call, not a create; no access list)."""
    return TX_BASE + calldata_gas(data)


def all_but_one_64th(gas: int) -> int:
    """EIP-150: the most gas a call may forward."""
    return gas - gas // 64
