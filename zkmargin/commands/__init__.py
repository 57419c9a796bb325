"""Sub-commands of the ``zkmargin`` CLI, one module per layer.

Each module defines ``register(group)``, which adds its commands to the click group.
The modules import their layer lazily (inside the command functions) so that start-up
stays fast; importing them here is cheap, and a missing or misspelt module is an
ImportError at start-up, never a silently missing command.
"""
from __future__ import annotations

from types import ModuleType

import click

from zkmargin.commands import (bench, circuit, demo, groth16, margin, oracle, proof, serve,
                               setup, verify)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    margin,    # margin, riskbook                                  (engine)
    circuit,   # circuit info / r1cs tools                         (circuits)
    setup,     # setup --dev, setup contribute/verify              (prover)
    groth16,   # groth16 prove / verify, prove                     (prover)
    proof,     # setup margin, prove                               (end to end)
    demo,      # demo                                              (end to end)
    verify,    # verify [--evm], export-solidity, calldata         (verifier)
    bench,     # bench                                             (benchmarks)
    oracle,    # snapshot aggregate, oracle keygen|address|attest|check|calldata
    serve,     # serve, client                                     (prover service)
)


def register_all(group: click.Group) -> None:
    """Let every command module register its commands on ``group``."""
    for module in COMMAND_MODULES:
        module.register(group)
