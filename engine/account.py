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


@dataclass(frozen=True)
class Account:
    """cash (VU), positions (symbol, qty at SCALE), collateral (symbol, amount at SCALE)."""

    cash: int
    positions: tuple[tuple[str, int], ...] = ()
    collateral: tuple[tuple[str, int], ...] = ()
    salt: int | None = None
    name: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        check_bound(self.cash, CASH_BOUND, "cash")
        for j, (_, qty) in enumerate(self.positions):
            check_bound(qty, QTY_BOUND, f"positions[{j}].qty")
        for j, (_, amount) in enumerate(self.collateral):
            check_bound(amount, AMOUNT_BOUND, f"collateral[{j}].amount", signed=False)
        if self.salt is not None and not 0 <= self.salt < FIELD_MODULUS:
            raise EngineError("salt: must be a field element, 0 <= salt < r")

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
                   str(obj.get("name", "")), str(obj.get("description", "")))


def load_account(source: str | Path) -> Account:
    """Read an account file, or a bundled example account by name (e.g. ``covered_call``)."""
    path = resolve(source, ACCOUNTS_DIR)
    account = account_from_json(read_json(path), str(source))
    if not account.name:
        account = Account(account.cash, account.positions, account.collateral, account.salt,
                          Path(path).stem, account.description)
    return account
