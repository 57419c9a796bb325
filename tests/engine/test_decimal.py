"""Decimal strings <-> scaled integers, rounding helpers and bounds."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from engine.decimal import (QTY_BOUND, SCALE, ceil_div, check_bound, floor_div, format_decimal,
                            format_usd, parse_decimal, parse_int, parse_scaled)
from engine.errors import EngineError

from tests.engine.books import SLOW_OK


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("1", SCALE), ("-1", -SCALE), ("95000.5", 9_500_050_000_000),
    ("0.00000001", 1), ("-0.00000001", -1), ("12.34567890", 1_234_567_890), ("007.5", 750_000_000),
])
def test_parse_decimal_exact(text: str, value: int) -> None:
    assert parse_decimal(text, "f") == value


@pytest.mark.parametrize("text", ["", "1e5", "1.", ".5", "+1", "1,5", "NaN", "inf", " ", "0x10",
                                  "1.000000001", "--1"])
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(EngineError, match="field"):
        parse_decimal(text, "field")


def test_parse_decimal_rejects_float_and_names_field() -> None:
    with pytest.raises(EngineError, match="positions\\[0\\].qty"):
        parse_decimal(1.5, "positions[0].qty")
    with pytest.raises(EngineError, match="9 fractional digits"):
        parse_decimal("0.123456789", "x")


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(st.integers(min_value=-(2**130), max_value=2**130))
def test_format_parse_round_trip(v: int) -> None:
    assert parse_decimal(format_decimal(v), "v") == v


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(st.integers(min_value=-(10**30), max_value=10**30), st.integers(min_value=1, max_value=10**20))
def test_floor_ceil_div(a: int, b: int) -> None:
    exact = Fraction(a, b)
    assert floor_div(a, b) <= exact < floor_div(a, b) + 1
    assert ceil_div(a, b) - 1 < exact <= ceil_div(a, b)


def test_rounding_of_negatives() -> None:
    assert floor_div(-7, 2) == -4 and ceil_div(-7, 2) == -3
    assert floor_div(7, 2) == 3 and ceil_div(7, 2) == 4
    with pytest.raises(EngineError):
        floor_div(1, 0)
    with pytest.raises(EngineError):
        ceil_div(1, -3)


def test_bounds_name_the_field() -> None:
    assert check_bound(QTY_BOUND - 1, QTY_BOUND, "qty") == QTY_BOUND - 1
    with pytest.raises(EngineError, match="qty: out of range"):
        check_bound(-QTY_BOUND, QTY_BOUND, "qty")
    with pytest.raises(EngineError, match="amount: must not be negative"):
        parse_scaled("-1", "amount", 2**64, signed=False)
    with pytest.raises(EngineError, match="qty"):
        parse_scaled("92233720368.54775808", "qty", QTY_BOUND)
    assert parse_scaled("92233720368.54775807", "qty", QTY_BOUND) == QTY_BOUND - 1


def test_parse_int_and_usd() -> None:
    assert parse_int("-12", "x") == -12 and parse_int(7, "x") == 7
    with pytest.raises(EngineError):
        parse_int("1.5", "x")
    with pytest.raises(EngineError):
        parse_int(True, "x")
    assert format_usd(123_456_789_012) == "1,234.57"
    assert format_usd(-100_000) == "0.00"
    assert format_usd(-150_000_000) == "-1.50"


_DECIMALS = st.builds(lambda sign, whole, frac: f"{sign}{whole}{frac}",
                      st.sampled_from(["", "-", " ", " -"]),
                      st.integers(0, 10**30).map(str),
                      st.one_of(st.just(""), st.just("."),
                                st.text("0123456789", min_size=1, max_size=30).map(lambda f: "." + f)))


@settings(max_examples=400, deadline=None)
@given(text=_DECIMALS)
def test_parse_fraction_is_fractions_parser(text: str) -> None:
    """parse_fraction (cached per string, built from integers) gives Fraction(text)
    exactly, again on a second (cached) call; what Fraction's parser or the decimal
    format refuses raises EngineError naming the field, every time."""
    from engine.decimal import parse_fraction

    s = text.strip()
    try:
        want = Fraction(s) if s and not s.endswith(".") else None
    except ValueError:
        want = None
    for _ in range(2):
        if want is None:
            with pytest.raises(EngineError, match="^price: "):
                parse_fraction(text, "price")
        else:
            got = parse_fraction(text, "price")
            assert type(got) is Fraction and got == want
            assert (got.numerator, got.denominator) == (want.numerator, want.denominator)


def test_cached_strings_still_name_the_field_on_errors() -> None:
    from engine.decimal import parse_fraction

    assert parse_decimal("1.5", "a") == 150_000_000
    with pytest.raises(EngineError, match=r"^b: 1.123456789 has 9 fractional digits"):
        parse_decimal("1.123456789", "b")
    with pytest.raises(EngineError, match=r"^c: 1.123456789 has 9 fractional digits"):
        parse_decimal("1.123456789", "c")
    assert parse_decimal("1.123456789", "d", scale_digits=9) == 1_123_456_789
    with pytest.raises(EngineError, match=r"^e: not a decimal number"):
        parse_fraction("1e5", "e")
    with pytest.raises(EngineError, match=r"^f: too many digits"):
        parse_fraction("1" * 201, "f")
    with pytest.raises(EngineError, match=r"^g: expected a decimal string, got float"):
        parse_fraction(1.5, "g")
    assert parse_fraction(3, "h") == 3
