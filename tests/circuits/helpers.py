"""Helpers for the circuit tests: tampering one wire, checking both builder modes agree."""
from __future__ import annotations

from typing import Callable

from circuits.builder import Builder, WireKind
from circuits.field import R


def tamper(b: Builder, wire: str, value: int | None = None, delta: int = 1) -> str | None:
    """Name of the first constraint violated once wire ``wire`` is changed."""
    w = b.witness()
    i = b.wire_index(wire)
    w[i] = value % R if value is not None else (w[i] + delta) % R
    return b.which_is_unsatisfied(w)


def build(circuit: Callable[[Builder, dict | None], object], values: dict | None) -> Builder:
    """Run ``circuit`` with values; check the constraint-only run gives the same R1CS."""
    b = Builder(with_values=True)
    circuit(b, values)
    shape = Builder()
    circuit(shape, None)
    assert shape.to_r1cs() == b.to_r1cs(), "constraint-only and witness runs differ"
    assert shape.names == b.names
    return b


def every_wire_pinned(b: Builder) -> None:
    """Every non-input wire, tampered alone, breaks some constraint."""
    for internal, kind in enumerate(b.kinds):
        if kind == WireKind.INTERNAL:
            name = b.wire_names[internal]
            assert tamper(b, name) is not None, f"wire {name} is not pinned"
