"""An account (private data, docs/spec/MARGIN-MODEL.md section 3) and its JSON form.

``{"cash": "<decimal USD>", "positions": [{"instrument": "<symbol>", "qty": "<decimal>"}],
"collateral": [{"asset": "<symbol>", "amount": "<decimal>"}], "salt": "<integer, optional>"}``

Bounds: |cash| < 2^95 VU, |qty| < 2^63, 0 <= amount < 2^64 (all at SCALE = 10^8).
Optional ``"name"`` and ``"description"`` strings are kept for people.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from engine.decimal import (AMOUNT_BOUND, CASH_BOUND, QTY_BOUND, check_bound, format_decimal,
                            parse_int, parse_scaled)
from engine.errors import EngineError
from engine.jsonio import (ACCOUNTS_DIR, parse_object, read_json, require, require_list,
                           require_str, resolve)
from native.params import FR_MODULUS as FIELD_MODULUS


def _scaled(value: Any, field: str, bound: int, *, signed: bool = True) -> int:
    """An amount given to the constructor: an ``int`` already at SCALE, or a decimal
    string (``"10.5"``) scaled exactly; a float, bool, None or anything else is refused
    (a float would be truncated or rounded silently)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return check_bound(value, bound, field, signed=signed)
    if isinstance(value, str):
        return parse_scaled(value, field, bound, signed=signed)
    raise EngineError(f"{field}: expected an integer at SCALE = 10^8 or a decimal string, "
                      f"got {type(value).__name__} {value!r:.40}")


def _legs(items: Any, field: str, amount: str, bound: int, signed: bool
          ) -> tuple[tuple[str, int], ...]:
    if isinstance(items, (str, bytes, Mapping)) or not hasattr(items, "__iter__"):
        raise EngineError(f"{field}: expected a sequence of (symbol, {amount}) pairs")
    out = []
    for j, leg in enumerate(items):
        if not isinstance(leg, (tuple, list)) or len(leg) != 2:
            raise EngineError(f"{field}[{j}]: expected a (symbol, {amount}) pair")
        symbol, value = leg
        if not isinstance(symbol, str) or not symbol:
            raise EngineError(f"{field}[{j}]: the symbol must be a non-empty string")
        out.append((symbol, _scaled(value, f"{field}[{j}].{amount}", bound, signed=signed)))
    return tuple(out)


@dataclass(frozen=True)
class Account:
    """cash (VU), positions (symbol, qty at SCALE), collateral (symbol, amount at SCALE).

    The constructor takes integers already at SCALE = 10^8 (``cash=1050000000`` is
    10.5 USD) or exact decimal strings (``cash="10.5"``); floats, bools and None are
    refused with an ``EngineError`` (a ``ValueError``) naming the field, as are values
    out of the bounds above.  The fields hold the scaled integers.
    """

    cash: int
    positions: tuple[tuple[str, int], ...] = ()
    collateral: tuple[tuple[str, int], ...] = ()
    salt: int | None = None
    name: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "cash", _scaled(self.cash, "cash", CASH_BOUND))
        set_(self, "positions", _legs(self.positions, "positions", "qty", QTY_BOUND, True))
        set_(self, "collateral", _legs(self.collateral, "collateral", "amount", AMOUNT_BOUND,
                                       False))
        if self.salt is not None:
            salt = parse_int(self.salt, "salt")
            if not 0 <= salt < FIELD_MODULUS:
                raise EngineError("salt: must be a field element, 0 <= salt < r")
            set_(self, "salt", salt)
        for name in ("name", "description"):
            if not isinstance(getattr(self, name), str):
                raise EngineError(f"{name}: expected a string")

    @classmethod
    def from_json(cls, obj: Any, source: str = "account") -> "Account":
        """Parse an account JSON object (see :func:`account_from_json`)."""
        return account_from_json(obj, source)

    @classmethod
    def load(cls, source: str | Path) -> "Account":
        """Read an account file or a bundled example (see :func:`load_account`)."""
        return load_account(source)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name
        if self.description:
            out["description"] = self.description
        out["cash"] = format_decimal(self.cash)
        out["positions"] = [{"instrument": s, "qty": format_decimal(q)} for s, q in self.positions]
        out["collateral"] = [{"asset": s, "amount": format_decimal(a)} for s, a in self.collateral]
        if self.salt is not None:
            out["salt"] = str(self.salt)
        return out


def account_from_json(obj: Any, source: str = "account") -> Account:
    """Parse and bound-check an account object; errors name ``source`` and the field."""
    return parse_object(_account_from_json, obj, source)


def _account_from_json(obj: Mapping) -> Account:
    cash = parse_scaled(require(obj, "cash", "account"), "cash", CASH_BOUND)
    positions = []
    for j, p in enumerate(require_list(obj, "positions", "account")):
        where = f"positions[{j}]"
        symbol = require_str(p, "instrument", where)
        positions.append((symbol, parse_scaled(require(p, "qty", where), f"{where}.qty",
                                               QTY_BOUND)))
    collateral = []
    items = obj.get("collateral", []) or []
    if not isinstance(items, list):
        raise EngineError("account.collateral: expected a list")
    for j, c in enumerate(items):
        where = f"collateral[{j}]"
        symbol = require_str(c, "asset", where)
        collateral.append((symbol, parse_scaled(require(c, "amount", where), f"{where}.amount",
                                                AMOUNT_BOUND, signed=False)))
    salt = obj.get("salt")
    if salt is not None:
        salt = parse_int(salt, "salt")
        if not 0 <= salt < FIELD_MODULUS:
            raise EngineError("salt: must be a field element, 0 <= salt < r")
    return Account(cash, tuple(positions), tuple(collateral), salt,
                   _text(obj, "name"), _text(obj, "description"))


def _text(obj: Mapping, key: str) -> str:
    """An optional string field (absent or null: empty)."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EngineError(f"{key}: expected a string, got {type(value).__name__}")
    return value


def load_account(source: str | Path) -> Account:
    """Read an account file, or a bundled example account by name (e.g. ``covered_call``)."""
    path = resolve(source, ACCOUNTS_DIR)
    account = account_from_json(read_json(path), str(source))
    if not account.name:
        account = Account(account.cash, account.positions, account.collateral, account.salt,
                          Path(path).stem, account.description)
    return account
