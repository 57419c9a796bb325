"""A real EVM for the verifier tests: solc (npm, pinned) + py-evm (Prague rules).

``compile_contracts`` compiles Solidity sources with the pinned ``solc`` package through
its standard-JSON interface; :class:`Chain` deploys bytecode on an in-memory py-evm
chain and sends transactions, reporting the receipt's gas.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import run_node_script

SOLC_SETTINGS = {"optimizer": {"enabled": True, "runs": 200}, "evmVersion": "cancun"}
"""Both verifiers (ours and snarkjs's) are compiled with exactly these settings."""

_COMPILE_JS = r"""
const solc = require('solc');
const fs = require('fs');
const [inPath] = process.argv.slice(1).filter(a => a !== '--');
const job = JSON.parse(fs.readFileSync(inPath, 'utf8'));
const out = JSON.parse(solc.compile(JSON.stringify(job)));
const errors = (out.errors || []).filter(e => e.severity === 'error');
if (errors.length) { console.error(errors.map(e => e.formattedMessage).join('\n')); process.exit(1); }
const result = {version: solc.version(), contracts: {}};
for (const [file, contracts] of Object.entries(out.contracts))
  for (const [name, c] of Object.entries(contracts))
    result.contracts[file + ':' + name] = c.evm.bytecode.object;
console.log(JSON.stringify(result));
"""


def compile_contracts(sources: dict[str, str], workdir: Path) -> dict[str, bytes]:
    """Compile ``{filename: source}`` with npm solc; returns ``{"file:Contract": creation code}``."""
    job = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {**SOLC_SETTINGS,
                     "outputSelection": {"*": {"*": ["evm.bytecode.object"]}}},
    }
    path = workdir / "solc-input.json"
    path.write_text(json.dumps(job))
    result = json.loads(run_node_script(_COMPILE_JS, str(path), timeout=600))
    assert result["version"].startswith("0.8.28"), result["version"]
    return {name: bytes.fromhex(code) for name, code in result["contracts"].items()}


@dataclass
class TxResult:
    """Outcome of one transaction: status, return data, receipt gas."""

    success: bool
    output: bytes
    gas_used: int


def _native_ecpairing(computation):
    """py-evm's ecPairing precompile (Istanbul prices, its length rule and gas charged
    first, VMError on invalid input) with the pairing product computed natively; the input
    rules are :func:`verifier.evm.decode_pairs` (coordinates < p, on the curves, G2 in
    its subgroup)."""
    from eth.exceptions import VMError

    from verifier.evm import InvalidInput, decode_pairs, pairing_gas
    from verifier.pairing import pairing_backend

    data = bytes(computation.msg.data)
    if len(data) % 192:
        raise VMError("Invalid ECPAIRING parameters")
    computation.consume_gas(pairing_gas(len(data)), reason="ECPAIRING Precompile")
    try:
        pairs = decode_pairs(data)
    except InvalidInput:
        raise VMError("Invalid ECPAIRING parameters") from None
    computation.output = (1 if pairing_backend("auto")(pairs) else 0).to_bytes(32, "big")
    return computation


def _prague_vm(native_pairing: bool):
    """PragueVM, or a subclass whose computation has the native ecPairing at 0x08."""
    from eth.vm.forks import PragueVM

    if not native_pairing:
        return PragueVM
    state_class = PragueVM._state_class
    computation_class = state_class.computation_class
    address = b"\0" * 19 + b"\x08"
    computation = computation_class.configure(
        __name__="NativePairingComputation",
        _precompiles={**computation_class._precompiles, address: _native_ecpairing})
    state = state_class.configure(__name__="NativePairingState", computation_class=computation)
    return PragueVM.configure(__name__="NativePairingPragueVM", _state_class=state)


class Chain:
    """An in-memory py-evm chain at the Prague fork with one funded account.

    ``native_pairing=True`` makes py-evm's ecPairing precompile compute the pairing
    product natively (py-evm's own pure-Python pairing takes seconds per pair); the
    precompile vectors are checked against the unpatched py-evm in test_precompiles.
    """

    GAS_PRICE = 10**10

    def __init__(self, native_pairing: bool = False) -> None:
        from eth import constants
        from eth.chains.base import MiningChain
        from eth.db.atomic import AtomicDB
        from eth_keys import keys

        self.key = keys.PrivateKey(b"\x11" * 32)
        self.sender = self.key.public_key.to_canonical_address()
        chain_class = MiningChain.configure(vm_configuration=((0, _prague_vm(native_pairing)),),
                                            chain_id=1337)
        genesis_params = {"difficulty": 0, "gas_limit": 60_000_000, "timestamp": 1,
                          "coinbase": constants.ZERO_ADDRESS}
        state = {self.sender: {"balance": 10**30, "nonce": 0, "code": b"", "storage": {}}}
        self.chain = chain_class.from_genesis(AtomicDB(), genesis_params, state)
        self.nonce = 0

    def _send(self, to: bytes, data: bytes, gas: int):
        header = self.chain.get_vm().get_header()
        if header.gas_used + gas > header.gas_limit:
            self.chain.mine_block()  # start a new block: transactions accumulate gas per block
        vm = self.chain.get_vm()
        tx = vm.create_unsigned_transaction(nonce=self.nonce, gas_price=self.GAS_PRICE, gas=gas,
                                            to=to, value=0, data=data)
        signed = tx.as_signed_transaction(self.key)
        before = self.chain.get_vm().get_header().gas_used
        _, receipt, computation = self.chain.apply_transaction(signed)
        self.nonce += 1
        return receipt.gas_used - before, computation

    def deploy(self, creation_code: bytes) -> bytes:
        """Deploy contract creation code; returns the new address."""
        from eth import constants

        _, computation = self._send(constants.CREATE_CONTRACT_ADDRESS, creation_code, 10_000_000)
        assert computation.is_success, computation.error
        return computation.msg.storage_address

    def call(self, to: bytes, data: bytes, gas: int = 5_000_000) -> TxResult:
        """Send a transaction (a real state transition, not eth_call) and report its gas."""
        gas_used, computation = self._send(to, data, gas)
        return TxResult(computation.is_success, bytes(computation.output), gas_used)


class OpcodeTrace:
    """Records ``(depth, pc, mnemonic, gas_remaining_before, top)`` for every opcode.

    ``top`` is the top two stack words (as ints, top first) before the opcode runs.

    Used to calibrate and audit :mod:`verifier.onchain`'s gas model against py-evm.
    """

    def __init__(self) -> None:
        self.steps: list[tuple[int, int, str, int, tuple[int, ...]]] = []

    def install(self, chain: "Chain") -> None:
        """Wrap the opcode table of the chain's VM computation class."""
        vm = chain.chain.get_vm()
        computation_class = vm.state.computation_class
        steps = self.steps
        original = dict(computation_class.opcodes)

        def wrap(fn):
            def traced(computation):
                top = tuple(_as_int(v) for v in reversed(computation._stack.values[-2:]))
                steps.append((computation.msg.depth, computation.code.program_counter - 1,
                              getattr(fn, "mnemonic", "?"), computation.get_gas_remaining(), top))
                return fn(computation=computation)
            return traced

        computation_class.opcodes = {op: wrap(fn) for op, fn in original.items()}
        self._restore = (computation_class, original)

    def uninstall(self) -> None:
        computation_class, original = self._restore
        computation_class.opcodes = original


def _as_int(item: object) -> int:
    """A py-evm stack entry ``(type, value)`` or raw value as an int."""
    value = item[1] if isinstance(item, tuple) else item
    return int.from_bytes(value, "big") if isinstance(value, (bytes, bytearray)) else int(value)
