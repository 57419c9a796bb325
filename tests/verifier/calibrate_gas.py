"""Measure :mod:`verifier.gas_model` opcode by opcode on py-evm and check the replay.

``python -m tests.verifier.calibrate_gas [N ...]`` compiles the single-key contract and a
two-shape key-set contract for each public-input count n (default 1 .. 16; keys and
proofs from our prover on the development ceremony), traces verifyProof and verifyBatch
(B = 0, 1, 2; shape indices 0 and 1; a public input ≥ r; an invalid A), and compares the
gas used at every *mark* (CALLDATALOAD of a public input, STATICCALL, RETURN) with
:mod:`verifier.onchain`'s replay.  The per-n tables (ENTRY, START, EMPTY) are measured
here and printed as Python; every other segment must already agree, or the mark where it
first differs is printed.  Exit status 1 when anything differs from the model.
"""
from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional

from tests.verifier.batch_fixtures import make_items, make_key
from tests.verifier.evm_harness import Chain, OpcodeTrace, compile_contracts
from verifier import gas_model
from verifier.keys import R
from verifier.onchain import OnchainResult, verify_onchain, verify_onchain_batch
from verifier.solidity import CONTRACT_NAME, KEYSET_CONTRACT_NAME, render, render_keyset

GAS_LIMIT = 5_000_000


def publics_from(count: int, keyset: bool) -> int:
    """Calldata offset of verifyBatch's first public input (canonical encoding)."""
    head_words = 3 if keyset else 2
    return 4 + 32 * head_words + 0x20 + 256 * count + 0x20


def traced_marks(chain: Chain, address: bytes, data: bytes, public_from: int) -> list[int]:
    """Execution gas used before each mark (depth 0), and at the end."""
    trace = OpcodeTrace()
    trace.install(chain)
    try:
        chain.call(address, data, gas=GAS_LIMIT)
    finally:
        trace.uninstall()
    steps = [s for s in trace.steps if s[0] == 0]
    start = steps[0][3]
    return [start - gas for _, _, name, gas, top in steps
            if (name == "CALLDATALOAD" and top[0] >= public_from)
            or name in ("STATICCALL", "RETURN")]


def replay_marks(result: OnchainResult) -> tuple[list[int], list[str]]:
    """Gas used before each mark of the replay, and the segment that ends there."""
    used, ends = 0, []
    for name, gas in result.segments:
        used += gas
        if name not in ("call", "precompile"):
            ends.append((name, used))
    # verifyProof's last input block runs straight into PRE_PAIRING: one segment, one mark
    ends = [e for e, nxt in zip(ends, ends[1:] + [("", 0)]) if nxt[0] != "pre_pairing"]
    return [used for _, used in ends], [name for name, _ in ends]


def compare(label: str, measured: list[int], replay: OnchainResult, table: Optional[dict[int, int]],
            n: int, problems: list[str]) -> None:
    """Fill ``table[n]`` from the first mark (when given), then check every mark."""
    marks, names = replay_marks(replay)
    if table is not None:
        table[n] = table.get(n, 0) + measured[0] - marks[0]
        return
    if len(marks) != len(measured):
        problems.append(f"{label}: {len(measured)} marks measured, {len(marks)} replayed")
        return
    for got, want, name in zip(marks, measured, names):
        if got != want:
            problems.append(f"{label}: at the end of {name}: replay {got}, EVM {want} ({want - got:+d})")
            return


def _models(found: dict[str, dict[int, int]]) -> dict[str, Any]:
    g = gas_model
    return {
        "single_proof": dataclasses.replace(g.CONTRACT_GAS, entry=found["PROOF_ENTRY"]),
        "keyset_proof": dataclasses.replace(g.KEYSET_PROOF_GAS, entry=found["PROOF_ENTRY_KEYSET"]),
        "single_batch": dataclasses.replace(g.BATCH_GAS, start=found["BATCH_START"],
                                            empty=found["BATCH_EMPTY"]),
        "keyset_batch": dataclasses.replace(g.KEYSET_BATCH_GAS, start=found["BATCH_START_KEYSET"],
                                            empty=found["BATCH_EMPTY_KEYSET"]),
    }


def measure(sizes: list[int]) -> tuple[dict[str, dict[int, int]], list[str]]:
    """The per-n tables and the list of disagreements."""
    keys = {n: [make_key(n, v) for v in range(2)] for n in sizes}
    sources = {}
    for n in sizes:
        sources[f"V{n}.sol"] = render(keys[n][0].vk)
        sources[f"K{n}.sol"] = render_keyset([(f"s{v}", k.vk) for v, k in enumerate(keys[n])])
    code: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:  # one solc run per n: solc's wasm build runs out of memory on many
            code.update(compile_contracts({k: v for k, v in sources.items() if k[1:-4] == str(n)},
                                          Path(tmp)))
    chain = Chain(native_pairing=True)
    found: dict[str, dict[int, int]] = {name: {} for name in (
        "PROOF_ENTRY", "PROOF_ENTRY_KEYSET", "BATCH_START", "BATCH_START_KEYSET",
        "BATCH_EMPTY", "BATCH_EMPTY_KEYSET")}
    problems: list[str] = []
    addresses = {n: (chain.deploy(code[f"V{n}.sol:{CONTRACT_NAME}"]),
                     chain.deploy(code[f"K{n}.sol:{KEYSET_CONTRACT_NAME}"])) for n in sizes}
    for phase in ("tables", "check"):
        if phase == "tables":
            for table in found.values():
                table.update({n: 0 for n in sizes})
        models = _models(found)
        for n in sizes:
            single, keyset = addresses[n]
            for shape in (None, 0, 1):
                key = keys[n][shape or 0]
                address = single if shape is None else keyset
                kind = "single" if shape is None else "keyset"
                suffix = "" if shape is None else "_KEYSET"
                shift = 0 if shape is None else 0x20
                items = make_items(key, 3, seed=n)

                def run(label: str, replay: OnchainResult, table: str, public_from: int,
                        first_only: bool = False) -> None:
                    measured = traced_marks(chain, address, replay.calldata, public_from)
                    if phase == "tables" and first_only and shape in (None, 0):
                        compare(label, measured, replay, found[table], n, problems)
                    elif phase == "check":
                        compare(label, measured, replay, None, n, problems)

                public, proof = items[0]
                pm = models[f"{kind}_proof"]
                run(f"n={n} {kind} shape={shape} verifyProof",
                    verify_onchain(key.vk, public, proof, GAS_LIMIT, shape, pm),
                    f"PROOF_ENTRY{suffix}", 0x104 + shift, True)
                bm = models[f"{kind}_batch"]
                for count in (1, 2):
                    replay = verify_onchain_batch(key.vk, items[:count], GAS_LIMIT, shape, bm)
                    run(f"n={n} {kind} shape={shape} verifyBatch B={count}", replay,
                        f"BATCH_START{suffix}", publics_from(count, shape is not None), count == 1)
                empty = verify_onchain_batch(key.vk, [], GAS_LIMIT, shape, bm)
                run(f"n={n} {kind} shape={shape} verifyBatch B=0", empty, f"BATCH_EMPTY{suffix}",
                    1 << 255, True)
                if phase == "check" and n in sizes[:3]:
                    bad = [(list(items[1][0]), items[1][1]) for _ in range(1)]
                    bad[0][0][-1] = str(R)
                    replay = verify_onchain_batch(key.vk, [items[0], *bad], GAS_LIMIT, shape, bm)
                    run(f"n={n} {kind} shape={shape} verifyBatch input >= r", replay, "",
                        publics_from(2, shape is not None))
                    off = dict(items[1][1], pi_a=[items[1][1]["pi_a"][0], "5", "1"])
                    replay = verify_onchain_batch(key.vk, [items[0], (items[1][0], off)], GAS_LIMIT,
                                                  shape, bm)
                    run(f"n={n} {kind} shape={shape} verifyBatch A off curve", replay, "",
                        publics_from(2, shape is not None))
    return found, problems


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or list(range(1, gas_model.MAX_CALIBRATED_N + 1))
    found, problems = measure(sizes)
    ok = not problems
    for name, table in found.items():
        current = getattr(gas_model, name)
        differs = any(current.get(n) != v for n, v in table.items())
        ok &= not differs
        print(f"{name}: dict[int, int] = {table!r}{'   <-- differs from the model' if differs else ''}")
    for line in problems:
        print(line)
    print("model agrees with the EVM" if ok else "model differs: update verifier/gas_model.py")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
