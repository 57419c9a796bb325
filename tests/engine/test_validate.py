"""validate_book: a book whose every instrument passes goes through the all-at-once
check; any failure names the first bad field, in instrument order, as the per-field
checks do."""
from __future__ import annotations

import dataclasses

import pytest

from engine.errors import EngineError
from engine.riskbook import RiskBook, validate_book

B = 2**63


def _book() -> RiskBook:
    return RiskBook.from_snapshot("default")


@pytest.mark.parametrize("index, change, message", [
    (0, {"mark": B}, "instruments[{sym}].mark: out of range"),
    (5, {"mark": -B}, "instruments[{sym}].mark: out of range"),
    (7, {"som": -1}, "instruments[{sym}].som: must not be negative"),
    (7, {"som": B}, "instruments[{sym}].som: out of range"),
    (3, {"cont": -1}, "instruments[{sym}].cont: must not be negative"),
    (9, {"risk": (1,) * 29}, "instruments[{sym}].risk: expected 30 values, got 29"),
    (9, {"risk": (0,) * 29 + (True,)}, r"instruments[{sym}].risk[29]: not an integer"),
    (9, {"risk": (0,) * 29 + (1.0,)}, r"instruments[{sym}].risk[29]: not an integer"),
    (9, {"risk": (B - 1,) + (-B,) + (0,) * 28}, r"instruments[{sym}].risk[1]: not an integer"),
    (11, {"greeks": {"delta": 0, "gamma": 0, "vega": B, "theta": 0}},
     "instruments[{sym}].greeks.vega: out of range"),
    (11, {"greeks": {"delta": -B}}, "instruments[{sym}].greeks.delta: out of range"),
])
def test_first_bad_field_is_named(index: int, change: dict, message: str) -> None:
    book = _book()
    insts = list(book.instruments)
    insts[index] = dataclasses.replace(insts[index], **change)
    bad = insts[index].symbol
    # a later instrument is bad too: the earlier one is named
    insts[-1] = dataclasses.replace(insts[-1], mark=B)
    book.instruments = tuple(insts)
    with pytest.raises(EngineError) as err:
        validate_book(book)
    assert str(err.value).startswith("risk book." + message.format(sym=bad).replace("\\", "")), \
        str(err.value)


def test_bounds_are_exclusive_and_greeks_default_to_zero() -> None:
    book = _book()
    insts = list(book.instruments)
    insts[0] = dataclasses.replace(insts[0], mark=B - 1, som=B - 1, cont=0,
                                   risk=(B - 1, -(B - 1)) + (0,) * 28, greeks={})
    book.instruments = tuple(insts)
    validate_book(book)
    insts[0] = dataclasses.replace(insts[0], cont=B)
    book.instruments = tuple(insts)
    with pytest.raises(EngineError, match=r"cont: out of range"):
        validate_book(book)
