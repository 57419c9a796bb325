"""Gas of our generated verifier contract, segment by segment (Prague rules).

The contract (``templates/Verifier.sol.tmpl``) compiled by solc 0.8.28 with the
optimizer on (runs = 200, EVM cancun) executes, for n public inputs:

    ENTRY   dispatcher, ABI checks, memory expansion to 0x300, constants, −A
    block k for each input s_k:
        s ≥ r  → REJECT, returns false
        s = 0  → BLOCK_ZERO
        s > 0  → BLOCK_TO_MUL, STATICCALL 0x07, MUL_TO_ADD, STATICCALL 0x06, ADD_TO_NEXT
    PRE_PAIRING  γ constants, then STATICCALL 0x08, then POST_PAIRING (AND, MSTORE, RETURN)

Each constant below is the opcode gas of that segment *excluding* the STATICCALLs'
own cost (100: EIP-2929 warm access, precompiles are always warm) and the gas the
precompile consumes.  They were measured opcode by opcode on py-evm
(``python -m tests.verifier.calibrate_gas``), and ``tests/verifier/test_real_evm.py``
checks the whole-transaction total against py-evm for n = 1, 3, 5, 10 on accept,
zero-input, reject and failing-pairing paths.  Re-measure whenever the template or
the solc settings change.

Transaction level (EIP-2028, EIP-7623 from Prague):
``gas = max(21000 + 4·zero_bytes + 16·nonzero_bytes + execution,
            21000 + 10·(zero_bytes + 4·nonzero_bytes))``.
"""
from __future__ import annotations

from dataclasses import dataclass

TX_BASE = 21000
CALLDATA_ZERO = 4
CALLDATA_NONZERO = 16
FLOOR_PER_TOKEN = 10  # EIP-7623
WARM_CALL = 100  # EIP-2929: STATICCALL to a precompile


@dataclass(frozen=True)
class ContractGas:
    """Segment costs (opcode gas) of the generated contract."""

    entry: int = 705
    r_on_stack: int = 14        # entry extra when n > 1: r = xor(R, shr(255, calldatasize()))
    r_pop: int = 2              # POP of r before the pairing call when n > 1
    reject: int = 37            # from the input's CALLDATALOAD to RETURN (false)
    block_zero: int = 51        # s = 0: checks, skip
    block_to_mul: int = 89      # s > 0: checks, IC_k and s stored, up to STATICCALL 0x07
    mul_to_add: int = 17        # after ecMul returns, up to STATICCALL 0x06
    add_to_next: int = 22       # after ecAdd returns, to the next input's CALLDATALOAD
    pre_pairing: int = 48       # γ stored, up to STATICCALL 0x08 (plus r_pop when n > 1)
    post_pairing: int = 21      # result AND, MSTORE, RETURN
    call_failed_min: int = 19   # lower bound after a failed ecMul/ecAdd: AND ISZERO PUSH JUMPI

    def entry_gas(self, n_public: int) -> int:
        """ENTRY for a key with ``n_public`` inputs."""
        return self.entry + (self.r_on_stack if n_public > 1 else 0)

    def pre_pairing_gas(self, n_public: int) -> int:
        """PRE_PAIRING for a key with ``n_public`` inputs."""
        return self.pre_pairing + (self.r_pop if n_public > 1 else 0)


CONTRACT_GAS = ContractGas()


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
