"""Child process that proves one ``.zkey``/``.wtns`` pair repeatedly (our prover).

    python -m zkmargin.bench.worker ZKEY WTNS REPEAT OUTDIR

Loads the key and witness once, makes one untimed warm-up proof (unless ``REPEAT``
is 1), then ``REPEAT`` timed proofs; writes the last proof to ``OUTDIR/proof.json`` and ``OUTDIR/public.json``
and prints ``{"load_s", "warmup_s", "runs": [seconds...], "timings": {...}}`` on
stdout.  It runs in its own process so that its peak memory (``ru_maxrss``, read by
the parent) is that of proving alone: the key, the witness and the prover's buffers.
The same protocol is followed by ``snarkjs_worker.cjs`` for snarkjs.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from prover.files import save_json
    from prover.prove import Prover
    from prover.witness import read_wtns
    from prover.zkey import read_zkey

    zkey_path, wtns_path, repeat, out = argv[0], argv[1], int(argv[2]), Path(argv[3])
    t = time.perf_counter()
    prover = Prover(read_zkey(zkey_path))
    w = read_wtns(wtns_path)
    prover.check_witness(w, wtns_path)
    load = time.perf_counter() - t
    warmup = None
    if repeat > 1:
        t = time.perf_counter()
        prover.prove(w)
        warmup = time.perf_counter() - t
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        proof = prover.prove(w)
        runs.append(time.perf_counter() - t)
    save_json(out / "proof.json", proof.to_json())
    save_json(out / "public.json", proof.public_json())
    print(json.dumps({"load_s": load, "warmup_s": warmup, "runs": runs,
                      "timings": proof.timings}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
