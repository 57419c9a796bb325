"""Benchmark: Groth16 verification time (native vs py_ecc) and on-chain gas (ours vs snarkjs).

For n = 1, 3, 5, 10 public inputs (full-size random field elements) a circuit is
compiled with circom2, set up and proved with snarkjs (tiny ptau), and then:

* time ``verifier.groth16.check`` on the native backend and on py_ecc, same run
  (vk validation is cached, as in a long-running sequencer; the first call is shown too);
* deploy our generated verifier and snarkjs's exported verifier (same solc 0.8.28,
  optimizer runs 200) on py-evm (Prague) and send the same proof to both;
  ``verify_onchain``'s prediction is reported next to the EVM's receipt gas.

Batch gas: for the margin statements' public-input counts (full: 5, health: 3) a chain
circuit with that many public inputs is set up on the development ceremony and proved by
our prover (full-size non-zero inputs; the contracts' gas depends only on the count and
on which inputs are zero); batches of 1, 2, 4, 8, 16, 32 proofs are sent to the
single-key contract's ``verifyBatch`` on py-evm, and the gas per proof is compared with
one ``verifyProof`` measured the same way.  ``verify_onchain_batch``'s prediction is
reported next to the receipt's gas.

Goals: native verification <= 10 ms; our gas <= snarkjs's at every size; at 16 proofs
per batch, gas per proof <= 30 % of one proof's.

    python benchmarks/bench_verify.py [--quick] [--batch-only] [--json benchmarks/results/bench_verify.json]
"""
from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.verifier.conftest import build_snark, make_ptau  # noqa: E402
from tests.verifier.evm_harness import Chain, compile_contracts  # noqa: E402
from verifier.calldata import encode_calldata  # noqa: E402
from verifier.groth16 import check, native_available  # noqa: E402
from verifier.keys import R  # noqa: E402
from verifier.onchain import verify_onchain  # noqa: E402
from verifier.solidity import CONTRACT_NAME, render  # noqa: E402
from benchmarks.harness import timeit, write_results  # noqa: E402

GOAL_NATIVE_MS = 10.0
SIZES = (1, 3, 5, 10)
BATCH_SIZES = (1, 2, 4, 8, 16, 32)
STATEMENTS = {"full": 5, "health": 3}
GOAL_BATCH_SHARE = 0.30


def batch_gas(statements: dict[str, int] = STATEMENTS, sizes: tuple[int, ...] = BATCH_SIZES) -> list[dict]:
    """Gas per proof of verifyBatch against batch size, per statement (py-evm receipts)."""
    from tests.verifier.batch_fixtures import make_items, make_key
    from verifier.calldata import encode_batch_calldata
    from verifier.onchain import verify_onchain_batch

    keys = {name: make_key(n) for name, n in statements.items()}
    with tempfile.TemporaryDirectory() as tmp:
        code = compile_contracts({f"{name}.sol": render(k.vk) for name, k in keys.items()}, Path(tmp))
    chain = Chain(native_pairing=True)
    rows = []
    for name, key in keys.items():
        address = chain.deploy(code[f"{name}.sol:{CONTRACT_NAME}"])
        items = make_items(key, max(sizes), seed=13)
        one = chain.call(address, encode_calldata(*items[0]), gas=1_000_000)
        assert one.output[-1] == 1, "verifyProof rejected a valid proof"
        for count in sizes:
            data = encode_batch_calldata(items[:count], key.n)
            tx = chain.call(address, data, gas=30_000_000)
            assert tx.output[-1] == 1, "verifyBatch rejected valid proofs"
            predicted = verify_onchain_batch(key.vk, items[:count], 30_000_000)
            rows.append({"statement": name, "n_public": key.n, "batch": count,
                         "gas": tx.gas_used, "gas_per_proof": tx.gas_used / count,
                         "single_proof_gas": one.gas_used,
                         "share_of_single": tx.gas_used / count / one.gas_used,
                         "gas_predicted": predicted.gas_used,
                         "prediction_exact": predicted.gas_used == tx.gas_used})
    return rows


def print_batch_table(rows: list[dict]) -> None:
    print(f"{'statement':>9} | {'n':>2} | {'batch':>5} | {'gas':>10} | {'gas/proof':>9} | "
          f"{'vs 1 proof':>10} | {'replay exact':>12}")
    for r in rows:
        print(f"{r['statement']:>9} | {r['n_public']:>2} | {r['batch']:>5} | {r['gas']:>10,} | "
              f"{r['gas_per_proof']:>9,.0f} | {100 * r['share_of_single']:>9.1f}% | "
              f"{str(r['prediction_exact']):>12}")
    at16 = [r for r in rows if r["batch"] == 16]
    ok = all(r["share_of_single"] <= GOAL_BATCH_SHARE for r in at16)
    print(f"goal gas per proof at 16 <= {100 * GOAL_BATCH_SHARE:.0f}% of one proof: "
          f"{'met' if ok else 'NOT met'}")




def run(quick: bool) -> dict:
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ptau = make_ptau(root)
        arts = {n: build_snark(n, root, ptau, [rng.randrange(1, R) for _ in range(n)]) for n in SIZES}
        sources = {}
        for n, art in arts.items():
            sources[f"Ours{n}.sol"] = render(art.vk)
            sources[f"Snarkjs{n}.sol"] = art.snarkjs_solidity
        code = compile_contracts(sources, root)
    chain = Chain(native_pairing=True)
    rows = []
    for n, art in arts.items():
        ours_addr = chain.deploy(code[f"Ours{n}.sol:{CONTRACT_NAME}"])
        theirs_addr = chain.deploy(code[f"Snarkjs{n}.sol:Groth16Verifier"])
        data = encode_calldata(art.public, art.proof)
        ours, theirs = chain.call(ours_addr, data), chain.call(theirs_addr, data)
        predicted = verify_onchain(art.vk, art.public, art.proof)
        assert ours.output[-1] == 1 and theirs.output[-1] == 1, "a verifier rejected a valid proof"
        row = {"n_public": n, "gas_ours": ours.gas_used, "gas_snarkjs": theirs.gas_used,
               "gas_saved": theirs.gas_used - ours.gas_used,
               "gas_predicted": predicted.gas_used, "prediction_exact": predicted.gas_used == ours.gas_used}
        t0 = time.perf_counter()
        assert check(art.vk, art.public, art.proof, backend="py_ecc").accept
        row["py_ecc_first_ms"] = (time.perf_counter() - t0) * 1e3
        row["py_ecc_min_ms"], row["py_ecc_median_ms"] = timeit(
            lambda: check(art.vk, art.public, art.proof, backend="py_ecc"), 1 if quick else 3)
        if native_available():
            t0 = time.perf_counter()
            assert check(art.vk, art.public, art.proof, backend="native").accept
            row["native_first_ms"] = (time.perf_counter() - t0) * 1e3
            row["native_min_ms"], row["native_median_ms"] = timeit(
                lambda: check(art.vk, art.public, art.proof, backend="native"), 5 if quick else 30)
            row["speedup"] = row["py_ecc_min_ms"] / row["native_min_ms"]
        rows.append(row)
    return {"benchmark": "bench_verify", "quick": quick, "native_available": native_available(),
            "platform": platform.platform(),
            "solc": "0.8.28 optimizer runs=200 evm=cancun", "evm": "py-evm 0.12.1b1 PragueVM",
            "goals": {"native_ms": GOAL_NATIVE_MS, "gas": "ours <= snarkjs"}, "rows": rows}


def print_table(result: dict) -> None:
    print(f"{'n':>3} | {'native min/med ms':>18} | {'py_ecc min ms':>13} | {'x':>5} | "
          f"{'gas ours':>8} | {'gas snarkjs':>11} | {'saved':>5} | {'replay exact':>12}")
    for r in result["rows"]:
        native = (f"{r['native_min_ms']:.2f}/{r['native_median_ms']:.2f}" if "native_min_ms" in r
                  else "n/a")
        speed = f"{r['speedup']:.0f}" if "speedup" in r else "-"
        print(f"{r['n_public']:>3} | {native:>18} | {r['py_ecc_min_ms']:>13.0f} | {speed:>5} | "
              f"{r['gas_ours']:>8} | {r['gas_snarkjs']:>11} | {r['gas_saved']:>5} | "
              f"{str(r['prediction_exact']):>12}")
    ok_gas = all(r["gas_ours"] <= r["gas_snarkjs"] for r in result["rows"])
    ok_ms = all(r.get("native_min_ms", 1e9) <= GOAL_NATIVE_MS for r in result["rows"])
    print(f"goal native <= {GOAL_NATIVE_MS} ms: {'met' if ok_ms else 'NOT met'}; "
          f"goal gas ours <= snarkjs: {'met' if ok_gas else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing repetitions")
    parser.add_argument("--batch-only", action="store_true", help="only the batch gas table (no circom/snarkjs proofs)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "bench_verify.json")
    args = parser.parse_args()
    if args.batch_only:
        result = {"benchmark": "bench_verify", "quick": args.quick, "platform": platform.platform(),
                  "solc": "0.8.28 optimizer runs=200 evm=cancun", "evm": "py-evm PragueVM"}
    else:
        result = run(args.quick)
        print_table(result)
    result["batch_rows"] = batch_gas()
    result["goals"] = {**result.get("goals", {}), "batch_share_at_16": GOAL_BATCH_SHARE}
    print_batch_table(result["batch_rows"])
    write_results(args.json, result)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
