"""Session-scoped ceremony artefacts for the prover tests (made once per run)."""
from __future__ import annotations

from pathlib import Path

import pytest

from circuits import R1CS
from prover.encoding import R


def toy_circuit(n_mul: int = 6) -> tuple[R1CS, list[int]]:
    """out = x^(2^n_mul) + 5 y, with public out and y: wires 0 one, 1 out, 2 y,
    3 x, 4.. squares.  Returns (r1cs, witness)."""
    x, y = 3, 11
    cons, w = [], [1, 0, y, x]
    prev = 3
    for i in range(n_mul):
        w.append(w[prev] * w[prev] % R)
        cons.append(({prev: 1}, {prev: 1}, {len(w) - 1: 1}))
        prev = len(w) - 1
    out = (w[prev] + 5 * y) % R
    w[1] = out
    # (sq + 5 y) * 1 = out, with a non-trivial coefficient and a multi-term row
    cons.append(({prev: 1, 2: 5}, {0: 1}, {1: 1}))
    cons.append(({2: 2, 3: R - 1}, {3: 7}, {3: 7 * (2 * y - x) % R}))
    return R1CS(R, len(w), 1, 1, len(w) - 3, len(w), cons), w


@pytest.fixture(scope="session")
def dev_ptau(tmp_path_factory) -> Path:
    from prover.ceremony import dev_ceremony

    path = tmp_path_factory.mktemp("ptau") / "dev5.ptau"
    dev_ceremony(path, 5, seed=2024)
    return path
