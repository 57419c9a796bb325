"""Field encodings of a risk book's commitments (docs/spec/STATEMENT.md, "Commitments").

The only place the engine meets the BN254 scalar field r.  A signed integer x
(|x| < 2^127) is the field element ``x mod r``.  With H the circomlib Poseidon of
``native.poseidon`` and its long-sequence form for > 16 inputs:

    instrument leaf i = H(mark_i, som_i, cont_i, R_i[0], ..., R_i[S+H-1])
    collateral leaf a = H(price_a, haircut_a, C_a[0], ..., C_a[S+H-1])
    roots             = binary Merkle roots (node = H(left, right), missing leaves 0)
                        of depth depth_instruments / depth_collateral
    params_hash       = H(1, S, H, k, im_factor, SCALE, D_i, D_c)
    market_commitment = H(instrument_root, collateral_root, params_hash)
    account_commitment = H*(salt, cash, (index_j, qty_j) x N, (index_a, amount_a) x K)

where unused account slots are (0, 0) and H* is the long-sequence hash.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from engine.decimal import SCALE, VALUE_BOUND
from engine.errors import EngineError
from native.convert import decode_signed, limbs_to_ints, signed_to_limbs
from native.params import R as FIELD_MODULUS
from native.poseidon import (merkle_levels, poseidon_many, poseidon_sequence_batch,
                             poseidon_sequence_many)

if TYPE_CHECKING:
    from engine.account import Account
    from engine.bookdata import BookData, CollateralRisk, InstrumentRisk

MODEL_VERSION = 1


def to_field(x: int) -> int:
    """The field element x mod r of a signed integer with |x| < 2^127."""
    if abs(x) >= VALUE_BOUND:
        raise EngineError(f"commitment: integer {x} exceeds 2^127 in absolute value")
    return x % FIELD_MODULUS


def from_field(e: int) -> int:
    """The signed integer of a field element (values above (r-1)/2 are negative)."""
    if not 0 <= e < FIELD_MODULUS:
        raise EngineError("commitment: not a field element")
    return decode_signed(e)


def _leaves(rows: Sequence[Sequence[int]]) -> list[int]:
    """H* of every row of signed integers below 2^63 in absolute value (the book's leaf
    data, bounded by ``validate_book``), hashed in one batch per chunk."""
    if not rows:
        return []
    try:
        table = np.array(rows, dtype=np.int64)
    except OverflowError:
        raise EngineError("commitment: leaf value exceeds 2^63 in absolute value") from None
    return limbs_to_ints(poseidon_sequence_batch(signed_to_limbs(table)))


def instrument_rows(instruments: Sequence["InstrumentRisk"]) -> list[list[int]]:
    """(mark, som, cont, R[0..S+H-1]) of every instrument: the leaf preimages."""
    return [[i.mark, i.som, i.cont, *i.risk] for i in instruments]


def collateral_rows(collateral: Sequence["CollateralRisk"]) -> list[list[int]]:
    """(price, haircut, C[0..S+H-1]) of every collateral asset: the leaf preimages."""
    return [[c.price, c.haircut, *c.risk] for c in collateral]


def instrument_leaf(inst: "InstrumentRisk") -> int:
    """H(mark, som, cont, R[0..S+H-1])."""
    return _leaves(instrument_rows([inst]))[0]


def collateral_leaf(coll: "CollateralRisk") -> int:
    """H(price, haircut, C[0..S+H-1])."""
    return _leaves(collateral_rows([coll]))[0]


def params_hash(book: "BookData") -> int:
    """H(1, S, H, k, im_factor, SCALE, D_i, D_c)."""
    return poseidon_many([[MODEL_VERSION, book.S, book.H, book.k, book.im_factor, SCALE,
                           book.depth_instruments, book.depth_collateral]])[0]


@dataclass(frozen=True)
class BookTrees:
    """Every level of the book's two Merkle trees, leaves first, root last (ints)."""

    instruments: tuple[tuple[int, ...], ...]
    collateral: tuple[tuple[int, ...], ...]


def book_trees(book: "BookData") -> BookTrees:
    """Leaves and Merkle levels of a book's instruments and collateral (one batch of
    leaf hashes per tree, one batch per tree level; native Poseidon)."""
    inst = merkle_levels(_leaves(instrument_rows(book.instruments)), book.depth_instruments)
    coll = merkle_levels(_leaves(collateral_rows(book.collateral)), book.depth_collateral)
    return BookTrees(tuple(map(tuple, inst)), tuple(map(tuple, coll)))


def commitment_of(book: "BookData", trees: BookTrees) -> dict[str, int]:
    """instrument_root, collateral_root, params_hash and market_commitment from the trees."""
    inst_root, coll_root = trees.instruments[-1][0], trees.collateral[-1][0]
    p_hash = params_hash(book)
    return {"instrument_root": inst_root, "collateral_root": coll_root, "params_hash": p_hash,
            "market_commitment": poseidon_many([[inst_root, coll_root, p_hash]])[0]}


def market_commitment(book: "BookData") -> dict[str, int]:
    """The commitments of a book computed afresh (a RiskBook holds its own in
    ``book.commitment``, computed once at construction)."""
    return commitment_of(book, book_trees(book))


def account_slots(account: "Account", book: "BookData", n_slots: int, k_slots: int
                  ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The account's (index, qty) and (index, amount) slots in order, padded with (0, 0)."""
    if len(account.positions) > n_slots:
        raise EngineError(f"account: {len(account.positions)} positions exceed the {n_slots} slots")
    if len(account.collateral) > k_slots:
        raise EngineError(f"account: {len(account.collateral)} collateral entries exceed "
                          f"the {k_slots} slots")
    positions = []
    for j, (symbol, qty) in enumerate(account.positions):
        if symbol not in book.instrument_index:
            raise EngineError(f"positions[{j}].instrument: unknown instrument {symbol!r}")
        positions.append((book.instrument_index[symbol], qty))
    collateral = []
    for j, (symbol, amount) in enumerate(account.collateral):
        if symbol not in book.collateral_index:
            raise EngineError(f"collateral[{j}].asset: unknown collateral asset {symbol!r}")
        collateral.append((book.collateral_index[symbol], amount))
    positions += [(0, 0)] * (n_slots - len(positions))
    collateral += [(0, 0)] * (k_slots - len(collateral))
    return positions, collateral


def account_commitment(account: "Account", book: "BookData", n_slots: int, k_slots: int) -> int:
    """H*(salt, cash, (index_j, qty_j) for N slots, (index_a, amount_a) for K slots)."""
    if account.salt is None:
        raise EngineError("account.salt: needed for the account commitment")
    if account.salt >= FIELD_MODULUS:
        raise EngineError("account.salt: must be a field element (< r)")
    positions, collateral = account_slots(account, book, n_slots, k_slots)
    seq = [account.cash]
    for index, qty in positions:
        seq += [index, qty]
    for index, amount in collateral:
        seq += [index, amount]
    # the salt is already a field element (any value < r); the rest are signed integers
    return poseidon_sequence_many([[account.salt, *(to_field(v) for v in seq)]])[0]
