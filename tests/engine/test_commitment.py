"""Commitments of a risk book (docs/spec/STATEMENT.md).

Field encoding, leaves, roots, market_commitment.
"""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from native.poseidon import merkle_root, poseidon, poseidon_sequence
from engine.account import Account
from engine.commitment import (FIELD_MODULUS, account_commitment, collateral_leaf, from_field,
                               instrument_leaf, market_commitment, to_field)
from engine.decimal import SCALE
from engine.errors import EngineError
from engine.riskbook import RiskBook
from engine.snapshot import snapshot_from_json

from tests.engine.books import small_snapshot


@pytest.fixture(scope="module")
def book() -> RiskBook:
    snap = small_snapshot(historical=[], params={})
    snap["instruments"] = snap["instruments"][:3] + snap["instruments"][4:]   # 4 instruments
    return RiskBook.from_snapshot(snapshot_from_json(snap))


def test_field_encoding() -> None:
    assert to_field(-1) == FIELD_MODULUS - 1 and to_field(5) == 5
    assert from_field(FIELD_MODULUS - 7) == -7 and from_field(to_field(2**126)) == 2**126
    with pytest.raises(EngineError):
        to_field(2**127)


def test_commitment_follows_the_statement(book) -> None:
    inst = book.instruments[2]
    expected_leaf = poseidon_sequence([to_field(v) for v in (inst.mark, inst.som, inst.cont,
                                                               *inst.risk)])
    assert instrument_leaf(inst) == expected_leaf
    leaves = [instrument_leaf(i) for i in book.instruments]
    c = market_commitment(book)
    assert c["instrument_root"] == merkle_root(leaves, 2)
    assert c["collateral_root"] == poseidon([collateral_leaf(book.collateral[0]),
                                             collateral_leaf(book.collateral[1])])
    assert c["params_hash"] == poseidon([1, book.S, 0, 0, book.im_factor, SCALE, 2, 1])
    assert c["market_commitment"] == poseidon([c["instrument_root"], c["collateral_root"],
                                               c["params_hash"]])


def _with_instrument(book: RiskBook, i: int, **changes) -> RiskBook:
    insts = list(book.instruments)
    insts[i] = replace(insts[i], **changes)
    return replace(book, instruments=tuple(insts))


def test_commitment_changes_with_every_leaf_integer(book) -> None:
    base = book.commitment["market_commitment"]
    inst = book.instruments[1]
    variants = [_with_instrument(book, 1, mark=inst.mark + 1),
                _with_instrument(book, 1, som=inst.som + 1),
                _with_instrument(book, 1, cont=inst.cont + 1)]
    for s in range(book.S):
        risk = list(inst.risk)
        risk[s] -= 1
        variants.append(_with_instrument(book, 1, risk=tuple(risk)))
    coll = book.collateral[1]
    for change in ({"price": coll.price + 1}, {"haircut": coll.haircut + 1},
                   {"risk": (coll.risk[0] + 1,) + coll.risk[1:]},
                   {"risk": coll.risk[:-1] + (coll.risk[-1] - 1,)}):
        variants.append(replace(book, collateral=(book.collateral[0], replace(coll, **change))))
    variants.append(replace(book, im_factor=book.im_factor + 1))
    variants.append(replace(book, depth_instruments=book.depth_instruments + 1))
    values = {v.commitment["market_commitment"] for v in variants}
    assert base not in values and len(values) == len(variants)


def test_commitment_reproducible_from_json(book) -> None:
    obj = json.loads(json.dumps(book.to_json()))
    assert obj["market_commitment"] == str(book.commitment["market_commitment"])
    again = RiskBook.from_json(obj)
    again.verify_commitment()
    assert again.commitment == book.commitment
    obj["instruments"][0]["risk"][0] = str(int(obj["instruments"][0]["risk"][0]) + 1)
    with pytest.raises(EngineError, match="instrument_root: does not match"):
        RiskBook.from_json(obj)  # loading recomputes the commitments


def test_account_commitment(book) -> None:
    acct = Account(cash=-5 * SCALE, positions=(("AAA-PERP", 3), ("AAA-P", -2 * SCALE)),
                   collateral=(("AAA", SCALE),), salt=12345)
    seq = [12345, to_field(-5 * SCALE), 0, 3, 3, to_field(-2 * SCALE), 0, 0, 1, SCALE, 0, 0]
    assert account_commitment(acct, book, 3, 2) == poseidon_sequence(seq)
    other = replace(acct, salt=12346)
    assert account_commitment(other, book, 3, 2) != account_commitment(acct, book, 3, 2)
    with pytest.raises(EngineError, match="exceed the 1 slots"):
        account_commitment(acct, book, 1, 2)
    with pytest.raises(EngineError, match="salt"):
        account_commitment(replace(acct, salt=None), book, 3, 2)
    with pytest.raises(EngineError, match="salt"):
        account_commitment(replace(acct, salt=FIELD_MODULUS), book, 3, 2)


#: the bundled book's market_commitment (engine/data/default.json): any change to the
#: builder, the leaf encoding, Poseidon or the trees shows here
BUNDLED_MARKET_COMMITMENT = \
    18769403472667893270778239125854090453972358490946514464920759070676218452893


def test_bundled_book_commitment_is_pinned() -> None:
    book = RiskBook.from_snapshot("default")
    assert book.commitment["market_commitment"] == BUNDLED_MARKET_COMMITMENT
    assert book.commitment["instrument_root"] == \
        11731074032858227226322803656186334742388234101937125373731570677173015708932
    assert book.commitment["collateral_root"] == \
        4071933850345312580834946038712884706716813265095164119635111761880960306410
    assert book.commitment["params_hash"] == \
        15742306590550602202051135790475479762659874530069237127355867019968693612885


def test_book_owns_trees_and_commitment(book, monkeypatch) -> None:
    """Computed once at construction; the JSON writer, reloading and the circuit inputs
    reuse them (hashing afterwards would raise here)."""
    from circuits.margin.inputs import book_trees as circuit_trees
    import engine.commitment as commitment

    leaves = [instrument_leaf(i) for i in book.instruments]
    assert list(book.trees.instruments[0]) == leaves
    assert len(book.trees.instruments) == book.depth_instruments + 1
    assert book.trees.instruments[-1] == (book.commitment["instrument_root"],)
    assert book.trees.collateral[-1] == (book.commitment["collateral_root"],)
    assert book.commitment == market_commitment(book)

    def no_hashing(*args, **kwargs):
        raise AssertionError("hashed again")

    import native.poseidon

    monkeypatch.setattr(commitment, "book_trees", no_hashing)
    monkeypatch.setattr(commitment, "market_commitment", no_hashing)
    monkeypatch.setattr(native.poseidon, "_active_batch", no_hashing)  # every batched hash
    obj = book.to_json()
    assert obj["market_commitment"] == str(book.commitment["market_commitment"])
    assert circuit_trees(book) == (book.trees.instruments, book.trees.collateral)


def test_book_variants_recompute(book) -> None:
    """dataclasses.replace builds a new book: its commitment is its own."""
    other = replace(book, im_factor=book.im_factor + 1)
    assert other.commitment["params_hash"] != book.commitment["params_hash"]
    assert other.trees == book.trees
