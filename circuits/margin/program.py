"""The margin circuit's witness program: synthesis compiled once per (shape, statement).

:func:`margin_program` runs :func:`circuits.margin.synthesis.synthesize` once on a
tracing builder, keeps the R1CS it gives and compiles the witness program
(:mod:`circuits.program`); :meth:`MarginProgram.witness_limbs` then computes a witness
from the private inputs of :func:`circuits.margin.inputs.margin_private_inputs` without
rebuilding any constraint, natively, as the limb array the prover takes
(:meth:`MarginProgram.witness`: the same witness as Python ints, by the reference
replay).  The witness is the one :func:`margin_witness` gives, wire for wire.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from circuits.margin.inputs import margin_private_inputs
from circuits.margin.shape import MarginShape, check_statement
from circuits.margin.synthesis import synthesize
from circuits.program import WitnessProgram, compile_program
from circuits.r1cs import R1CS

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook


class MarginProgram:
    """The R1CS and the compiled witness program of one margin circuit."""

    def __init__(self, shape: MarginShape, statement: str) -> None:
        check_statement(statement)
        self.shape, self.statement = shape, statement
        program, builder = compile_program(lambda b: synthesize(b, shape, statement))
        self.r1cs: R1CS = builder.to_r1cs()
        self.program: WitnessProgram = program

    def witness(self, book: "RiskBook", account: "Account") -> tuple[list[int], list[int]]:
        """``(witness, public)`` of ``account`` on ``book`` (as :func:`margin_witness`)."""
        w = self.program.run(margin_private_inputs(self.shape, book, account))
        return w, self.program.public(w)

    def witness_limbs(self, book: "RiskBook", account: "Account") -> np.ndarray:
        """The same witness as (n_wires, 4) standard-form uint64 limbs (export order),
        computed by the native replay (:meth:`WitnessProgram.run_limbs`): what the
        prover takes."""
        return self.program.run_limbs(margin_private_inputs(self.shape, book, account))


@lru_cache(maxsize=16)
def margin_program(shape: MarginShape, statement: str) -> MarginProgram:
    """The compiled margin circuit for ``(shape, statement)``, built once per process."""
    return MarginProgram(shape, statement)


__all__ = ["MarginProgram", "margin_program"]
