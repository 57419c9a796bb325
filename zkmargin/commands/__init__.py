"""Sub-commands of the ``zkmargin`` CLI, one module per layer.

Each module defines ``register(group)``, which adds its commands to the click group.
A module is listed here once it exists; modules import their layer lazily (inside the
command functions) so that start-up stays fast.
"""
from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "zkmargin.commands.margin",    # margin, riskbook            (engine)
    "zkmargin.commands.circuit",   # circuit info / r1cs tools         (circuits)
    "zkmargin.commands.setup",     # setup --dev, setup contribute/verify (prover)
    "zkmargin.commands.groth16",   # groth16 prove / verify, prove    (prover)
    "zkmargin.commands.proof",     # setup margin, prove               (end to end)
    "zkmargin.commands.demo",      # demo                             (end to end)
    "zkmargin.commands.verify",    # verify [--evm], export-solidity, calldata (verifier)
    "zkmargin.commands.bench",     # bench                            (benchmarks)
    "zkmargin.commands.oracle",    # snapshot aggregate, oracle keygen|address|attest|check|calldata
    "zkmargin.commands.serve",     # serve, client                    (prover service)
)


def register_all(group: click.Group) -> None:
    """Import every command module that exists and let it register its commands."""
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that layer's commands are not written yet
            raise
        module.register(group)
