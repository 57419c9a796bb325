"""The account salt is any field element (docs/spec/STATEMENT.md), not a bounded integer."""
from __future__ import annotations

import pytest

from engine.account import Account
from engine.commitment import FIELD_MODULUS, account_commitment
from engine.errors import EngineError
from engine.riskbook import RiskBook


def test_salt_up_to_r_minus_one_is_committed() -> None:
    book = RiskBook.from_snapshot("default")
    big = Account.from_json({"cash": "10", "positions": [], "collateral": [],
                             "salt": str(FIELD_MODULUS - 1)})
    small = Account.from_json({"cash": "10", "positions": [], "collateral": [], "salt": "1"})
    assert account_commitment(big, book, 2, 1) != account_commitment(small, book, 2, 1)


@pytest.mark.parametrize("salt", [str(FIELD_MODULUS), "-1"])
def test_salt_outside_the_field_is_rejected(salt: str) -> None:
    with pytest.raises(EngineError, match="salt"):
        Account.from_json({"cash": "10", "positions": [], "collateral": [], "salt": salt})
