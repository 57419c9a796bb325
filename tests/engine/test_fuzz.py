"""Malformed input never escapes as anything but EngineError (a ValueError naming the field)."""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from engine.account import account_from_json
from engine.errors import EngineError
from engine.margin import compute_margin
from engine.riskbook import RiskBook
from engine.snapshot import snapshot_from_json

from tests.engine.books import SLOW_OK, SMALL_SNAPSHOT

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True)
    | st.text(max_size=8) | st.sampled_from(["-1", "0", "1e9", "0.000000001", "1" * 120, "-0.5",
                                             "1000000000000000000000", "2026-01-01", "call"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


def paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside a JSON object."""
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += paths(v, prefix + (i,))
    return out


def replaced(obj: Any, path: tuple, value: Any) -> Any:
    obj = copy.deepcopy(obj)
    if not path:
        return value
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return obj


SNAPSHOT_PATHS = paths(SMALL_SNAPSHOT)
BOOK = RiskBook.from_snapshot(snapshot_from_json(SMALL_SNAPSHOT))
BOOK_JSON = BOOK.to_json(commitments=False)
BOOK_PATHS = paths(BOOK_JSON)
ACCOUNT = {"cash": "10", "positions": [{"instrument": "AAA-C", "qty": "-1"},
                                       {"instrument": "BBB-FUT", "qty": "2.5"}],
           "collateral": [{"asset": "AAA", "amount": "1"}], "salt": "7"}
ACCOUNT_PATHS = paths(ACCOUNT)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(st.sampled_from(SNAPSHOT_PATHS), json_values)
def test_snapshot_fuzz(path, value) -> None:
    try:
        RiskBook.from_snapshot(snapshot_from_json(replaced(SMALL_SNAPSHOT, path, value)))
    except EngineError:
        pass


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(st.sampled_from(BOOK_PATHS), json_values)
def test_book_fuzz(path, value) -> None:
    try:
        book = RiskBook.from_json(json.loads(json.dumps(replaced(BOOK_JSON, path, value))))
        compute_margin(account_from_json(ACCOUNT), book)
    except EngineError:
        pass


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(st.sampled_from(ACCOUNT_PATHS), json_values)
def test_account_fuzz(path, value) -> None:
    try:
        compute_margin(account_from_json(replaced(ACCOUNT, path, value)), BOOK)
    except EngineError:
        pass
