"""Exact decimal strings <-> scaled integers, and rounding that names its direction.

Every quantity of ZKM-1 (docs/spec/MARGIN-MODEL.md section 1) is an integer: a decimal string
``"95000.5"`` becomes ``9500050000000`` at ``SCALE = 10**8``, exactly, with no float on
the way.  A decimal with more fractional digits than the scale holds is an error,
never rounded.

Rounding helpers (``b > 0``):

* ``floor_div(a, b) = floor(a / b)`` (toward -inf, right for negative ``a``),
* ``ceil_div(a, b)  = ceil(a / b)``  (toward +inf) ``= -floor(-a / b)``.
"""
from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Any

from engine.errors import EngineError

SCALE = 10**8
SCALE_DIGITS = 8

#: bounds of docs/spec/MARGIN-MODEL.md section 1 (exclusive, on the absolute value)
QTY_BOUND = 2**63
AMOUNT_BOUND = 2**64
CASH_BOUND = 2**95
VALUE_BOUND = 2**127
PRICE_BOUND = 2**63
RATE_BOUND = 2**63

MAX_DIGITS = 100          # longer numbers are out of every bound anyway
_DECIMAL_RE = re.compile(r"^(-?)([0-9]+)(?:\.([0-9]+))?$")
_INTEGER_RE = re.compile(r"^-?[0-9]+$")


def floor_div(a: int, b: int) -> int:
    """floor(a / b) for b > 0 (Python's ``//`` rounds toward -inf)."""
    if b <= 0:
        raise EngineError(f"floor_div: divisor must be positive, got {b}")
    return a // b


def ceil_div(a: int, b: int) -> int:
    """ceil(a / b) for b > 0, computed as -floor(-a / b)."""
    if b <= 0:
        raise EngineError(f"ceil_div: divisor must be positive, got {b}")
    return -((-a) // b)


def floor_fraction(x: Fraction) -> int:
    """floor(x) of an exact rational."""
    return x.numerator // x.denominator


def ceil_fraction(x: Fraction) -> int:
    """ceil(x) of an exact rational."""
    return -((-x.numerator) // x.denominator)


def _match_decimal(text: Any, field: str) -> tuple[str, "re.Match[str]"]:
    """The stripped text of a decimal string (or JSON integer) and its regex match."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise EngineError(f"{field}: expected a decimal string, got {type(text).__name__}")
    s = str(text).strip()
    match = _DECIMAL_RE.match(s)
    if match is None:
        raise EngineError(f"{field}: not a decimal number: {s[:40]!r}")
    return s, match


def parse_decimal(text: Any, field: str, *, scale_digits: int = SCALE_DIGITS) -> int:
    """The integer ``text * 10**scale_digits`` of a decimal string, exactly.

    Accepts ``"-12.5"``, ``"3"``, ``"0.00000001"``; rejects floats, exponents, more
    than ``scale_digits`` fractional digits and anything else, naming ``field``.
    """
    if type(text) is str:
        try:
            return _decimal_of_text(text, scale_digits)
        except EngineError:
            pass            # parsed again below, for the error that names the field
    return _parse_decimal(text, field, scale_digits)


def parse_fraction(text: Any, field: str) -> Fraction:
    """An exact rational from a decimal string (any number of fractional digits)."""
    if type(text) is str:
        try:
            return _fraction_of_text(text)
        except EngineError:
            pass            # parsed again below, for the error that names the field
    return _parse_fraction(text, field)


# A snapshot repeats its decimal strings (multipliers, vols, strikes) over many
# instruments; ints and Fractions are immutable, so the values of strings are cached.
@functools.lru_cache(maxsize=1 << 14)
def _decimal_of_text(text: str, scale_digits: int) -> int:
    return _parse_decimal(text, "", scale_digits)


@functools.lru_cache(maxsize=1 << 14)
def _fraction_of_text(text: str) -> Fraction:
    return _parse_fraction(text, "")


def _parse_decimal(text: Any, field: str, scale_digits: int) -> int:
    s, match = _match_decimal(text, field)
    sign, whole, frac = match.group(1), match.group(2), match.group(3) or ""
    if len(whole) > MAX_DIGITS:
        raise EngineError(f"{field}: too many digits")
    if len(frac) > scale_digits:
        raise EngineError(
            f"{field}: {s[:40]} has {len(frac)} fractional digits, at most {scale_digits} allowed"
        )
    value = int(whole) * 10**scale_digits + (int(frac.ljust(scale_digits, "0")) if frac else 0)
    return -value if sign == "-" else value


def _parse_fraction(text: Any, field: str) -> Fraction:
    s, match = _match_decimal(text, field)
    if len(s) > 2 * MAX_DIGITS:
        raise EngineError(f"{field}: too many digits")
    sign, whole, frac = match.group(1, 2, 3)
    if frac is None:
        value = Fraction(int(whole))
    else:   # the value of Fraction(s), built from integers (its string parser is slower)
        value = Fraction(int(whole + frac), 10 ** len(frac))
    return -value if sign else value


def parse_int(text: Any, field: str) -> int:
    """An integer from a decimal integer string (or a JSON integer)."""
    if isinstance(text, bool):
        raise EngineError(f"{field}: expected an integer, got bool")
    if isinstance(text, int):
        return text
    if not isinstance(text, str) or _INTEGER_RE.match(text.strip()) is None:
        raise EngineError(f"{field}: not an integer: {str(text)[:40]!r}")
    if len(text.strip()) > MAX_DIGITS:
        raise EngineError(f"{field}: too many digits")
    return int(text.strip())


def format_decimal(value: int, scale_digits: int = SCALE_DIGITS) -> str:
    """The shortest exact decimal string of ``value / 10**scale_digits``."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**scale_digits)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{str(frac).rjust(scale_digits, '0').rstrip('0')}"


def format_usd(value: int, places: int = 2) -> str:
    """A VU amount as USD for people: thousands separators, rounded half away from 0."""
    unit = 10 ** (SCALE_DIGITS - places)
    cents = (abs(value) + unit // 2) // unit
    whole, frac = divmod(cents, 10**places)
    sign = "-" if value < 0 and cents else ""
    return f"{sign}{whole:,}.{str(frac).rjust(places, '0')}"


def check_bound(value: int, bound: int, field: str, *, signed: bool = True) -> int:
    """``value`` itself when ``|value| < bound`` (and ``value >= 0`` if unsigned)."""
    if not signed and value < 0:
        raise EngineError(f"{field}: must not be negative, got {format_decimal(value)}")
    if abs(value) >= bound:
        raise EngineError(f"{field}: out of range (|value| must be < 2^{bound.bit_length() - 1})")
    return value


def parse_scaled(text: Any, field: str, bound: int, *, signed: bool = True) -> int:
    """``parse_decimal`` followed by ``check_bound``: the usual way in."""
    return check_bound(parse_decimal(text, field), bound, field, signed=signed)
