"""Measure :class:`verifier.gas_model.ContractGas` opcode by opcode on py-evm.

``python -m tests.verifier.calibrate_gas`` compiles our verifier for the golden n = 3
key and a 1-input cut of it, runs traced transactions (all inputs non-zero, all zero,
first input >= r) and prints each segment's gas next to the value in the model.
Segment boundaries are the CALLDATALOAD of each public input, the STATICCALLs and
RETURN; a STATICCALL's own 100 gas and the precompile's gas are taken out.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from tests.verifier.conftest import golden
from tests.verifier.evm_harness import Chain, OpcodeTrace, compile_contracts
from verifier.calldata import encode_calldata
from verifier.evm import GAS_ECADD, GAS_ECMUL, pairing_gas
from verifier.gas_model import WARM_CALL, ContractGas
from verifier.keys import R
from verifier.solidity import CONTRACT_NAME, PUBLIC_OFFSET, render

PRICE = {7: GAS_ECMUL, 6: GAS_ECADD, 8: pairing_gas(768)}


def _marks(chain: Chain, address: bytes, data: bytes) -> list[tuple[str, int, int]]:
    """(kind, argument, gas consumed since the previous mark) at depth 0."""
    trace = OpcodeTrace()
    trace.install(chain)
    try:
        chain.call(address, data)
    finally:
        trace.uninstall()
    steps = [s for s in trace.steps if s[0] == 0]
    marks, last = [], steps[0][3]
    for _, _, name, gas, top in steps:
        if name == "CALLDATALOAD" and top[0] >= PUBLIC_OFFSET:
            kind, arg = "input", top[0]
        elif name == "STATICCALL":
            kind, arg = "call", top[1]
        elif name == "RETURN":
            kind, arg = "return", 0
        else:
            continue
        marks.append((kind, arg, last - gas))
        last = gas
    return marks


def _net(marks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Take each STATICCALL's cost (warm access + precompile price) out of the next segment."""
    out, prev_call = [], None
    for kind, arg, gas in marks:
        if prev_call is not None:
            gas -= WARM_CALL + PRICE[prev_call]
        out.append((kind, arg, gas))
        prev_call = arg if kind == "call" else None
    return out


def measure() -> dict[int, ContractGas]:
    """Calibrated constants for n = 1 and n = 3 (they must agree)."""
    vk, proof, public = golden("vk_n3.json"), golden("proof_n3.json"), golden("public_n3.json")
    vk1 = dict(vk, IC=vk["IC"][:2], nPublic=1)
    with tempfile.TemporaryDirectory() as tmp:
        code = compile_contracts({"V3.sol": render(vk), "V1.sol": render(vk1)}, Path(tmp))
    chain = Chain()
    found = {}
    for n, source in ((3, "V3.sol"), (1, "V1.sol")):
        address = chain.deploy(code[f"{source}:{CONTRACT_NAME}"])
        nonzero = _net(_marks(chain, address, encode_calldata(public[:n], proof)))
        zero = _net(_marks(chain, address, encode_calldata(["0"] * n, proof)))
        reject = _net(_marks(chain, address, encode_calldata([str(R)] + public[1:n], proof)))
        r_extra = ContractGas.r_on_stack if n > 1 else 0
        r_pop = ContractGas.r_pop if n > 1 else 0
        add_to_next = nonzero[3][2] if n > 1 else None
        found[n] = ContractGas(
            entry=nonzero[0][2] - r_extra, r_on_stack=ContractGas.r_on_stack, r_pop=ContractGas.r_pop,
            reject=reject[1][2], block_zero=zero[1][2] if n > 1 else ContractGas.block_zero,
            block_to_mul=nonzero[1][2], mul_to_add=nonzero[2][2],
            add_to_next=add_to_next if add_to_next is not None else ContractGas.add_to_next,
            pre_pairing=(nonzero[-2][2] - (add_to_next or ContractGas.add_to_next)) - r_pop,
            post_pairing=nonzero[-1][2],
        )
        if n == 1:  # zero path: block_zero + pre_pairing in one segment
            assert zero[1][2] == found[1].block_zero + found[1].pre_pairing, zero
    return found


def main() -> int:
    found = measure()
    model = ContractGas()
    ok = True
    for field in dataclasses.fields(ContractGas):
        values = {n: getattr(g, field.name) for n, g in found.items()}
        same = all(v == getattr(model, field.name) for v in values.values())
        ok &= same
        print(f"{field.name:14s} model {getattr(model, field.name):5d}  measured {json.dumps(values)}"
              f"{'' if same else '   <-- differs'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
