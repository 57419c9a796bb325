// Child process that proves one .zkey/.wtns pair repeatedly with snarkjs.
//
//   node snarkjs_worker.cjs SNARKJS_PACKAGE_DIR ZKEY WTNS REPEAT OUTDIR [VK PROOF PUBLIC]
//
// Same protocol as zkmargin/bench/worker.py: the key and witness are read into memory
// once, one untimed warm-up proof unless REPEAT is 1 (it also builds snarkjs's curve
// and worker threads),
// then REPEAT timed calls of snarkjs.groth16.prove on the in-memory files.  Writes the
// last proof to OUTDIR/proof.json and OUTDIR/public.json and prints
// {"load_s", "warmup_s", "runs", "snarkjs_version"[, "verifies_other"]} on stdout, where
// verifies_other is snarkjs.groth16.verify(VK, PUBLIC, PROOF) on the files given
// (the other prover's proof of the same statement).
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
    const [dir, zkeyPath, wtnsPath, repeatText, out, vkPath, proofPath, publicPath] =
        process.argv.slice(2);
    const snarkjs = require(dir);
    const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"))).version;
    const repeat = parseInt(repeatText, 10);
    let t = process.hrtime.bigint();
    const zkeyData = new Uint8Array(fs.readFileSync(zkeyPath));
    const wtnsData = new Uint8Array(fs.readFileSync(wtnsPath));
    const load = Number(process.hrtime.bigint() - t) / 1e9;
    const prove = () => snarkjs.groth16.prove({type: "mem", data: zkeyData},
                                              {type: "mem", data: wtnsData});
    let result = null;
    let warmup = null;
    if (repeat > 1) {
        t = process.hrtime.bigint();
        result = await prove();
        warmup = Number(process.hrtime.bigint() - t) / 1e9;
    }
    const runs = [];
    for (let i = 0; i < repeat; i++) {
        t = process.hrtime.bigint();
        result = await prove();
        runs.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    fs.writeFileSync(path.join(out, "proof.json"), JSON.stringify(result.proof, null, 1));
    fs.writeFileSync(path.join(out, "public.json"), JSON.stringify(result.publicSignals, null, 1));
    const report = {load_s: load, warmup_s: warmup, runs, snarkjs_version: version};
    if (vkPath) {
        const read = (p) => JSON.parse(fs.readFileSync(p));
        report.verifies_other = await snarkjs.groth16.verify(read(vkPath), read(publicPath),
                                                             read(proofPath));
    }
    process.stdout.write(JSON.stringify(report) + "\n");
}

main().then(() => process.exit(0), (err) => {
    process.stderr.write(`snarkjs worker: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
});
