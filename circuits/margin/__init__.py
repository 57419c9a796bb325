"""The ZKM-1 margin circuit (STATEMENT.md), built on the generic circuit library.

Modules: :mod:`circuits.margin.shape` (``MarginShape``, ``MarginBounds``, statements and
their public inputs), :mod:`circuits.margin.gadgets` (the margin arithmetic as
constraints), :mod:`circuits.margin.inputs` (private inputs and predicted public inputs
from the engine's book and account), :mod:`circuits.margin.synthesis` (the whole
circuit: ``synthesize``, ``build_margin_circuit``, ``margin_witness``) and
:mod:`circuits.margin.stats` (pinned shapes, constraint counts by component).
"""
from __future__ import annotations

from circuits.margin.inputs import margin_private_inputs, predict_public
from circuits.margin.shape import PUBLIC_NAMES, STATEMENTS, MarginBounds, MarginShape
from circuits.margin.synthesis import (MarginCircuit, build_margin_circuit, margin_witness,
                                       synthesize)

__all__ = ["MarginShape", "MarginBounds", "MarginCircuit", "STATEMENTS", "PUBLIC_NAMES",
           "synthesize", "build_margin_circuit", "margin_witness", "margin_private_inputs",
           "predict_public"]
