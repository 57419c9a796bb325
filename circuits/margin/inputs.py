"""Witness data of the margin circuit from the engine's risk book and account.

:func:`margin_private_inputs` gives every private input of
:func:`circuits.margin.synthesis.synthesize` by name: the account's slots
(``engine.commitment.account_slots``: positions then collateral in account order,
unused slots ``(0, 0)``), each slot's leaf data and Merkle siblings.
:func:`predict_public` gives the public inputs the engine predicts
(``engine.margin.compute_margin``, ``engine.commitment``), which the circuit's
outputs must equal.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from circuits.field import R, CircuitError
from native.poseidon import zero_hashes

if TYPE_CHECKING:
    from circuits.margin.shape import MarginShape
    from engine.account import Account
    from engine.riskbook import RiskBook


def book_trees(book: "RiskBook") -> tuple[Sequence[Sequence[int]], Sequence[Sequence[int]]]:
    """All Merkle levels of the instrument and collateral trees: the book's own
    (``book.trees``, hashed once when the book was built)."""
    return book.trees.instruments, book.trees.collateral


def _siblings(levels: Sequence[Sequence[int]], depth: int, index: int) -> list[int]:
    """Siblings of leaf ``index`` bottom-up (empty subtrees are the zero hashes)."""
    zeros = zero_hashes(depth)
    out = []
    for l in range(depth):
        pos = (index >> l) ^ 1
        level = levels[l]
        out.append(level[pos] if pos < len(level) else zeros[l])
    return out


def margin_private_inputs(shape: "MarginShape", book: "RiskBook", account: "Account"
                          ) -> dict[str, int]:
    """Every private input of the margin circuit, by name (signed values as integers)."""
    from engine.commitment import account_slots

    shape.check_book(book)
    if account.salt is None:
        raise CircuitError("account.salt: needed for the account commitment")
    if not 0 <= account.salt < R:
        raise CircuitError("account.salt: must be a field element (0 <= salt < r)")
    positions, collateral = account_slots(account, book, shape.N, shape.K)
    inst_levels, coll_levels = book_trees(book)
    values = {"salt": account.salt, "cash": account.cash, "im_factor": book.im_factor}
    for j, (index, qty) in enumerate(positions):
        inst = book.instruments[index]
        p = f"pos[{j}]"
        values.update({f"{p}.index": index, f"{p}.qty": qty, f"{p}.mark": inst.mark,
                       f"{p}.som": inst.som, f"{p}.cont": inst.cont})
        values.update({f"{p}.risk[{s}]": v for s, v in enumerate(inst.risk)})
        sib = _siblings(inst_levels, shape.depth_instruments, index)
        values.update({f"{p}.path[{l}]": v for l, v in enumerate(sib)})
    for a, (index, amount) in enumerate(collateral):
        coll = book.collateral[index]
        p = f"coll[{a}]"
        values.update({f"{p}.index": index, f"{p}.amount": amount, f"{p}.price": coll.price,
                       f"{p}.haircut": coll.haircut})
        values.update({f"{p}.risk[{s}]": v for s, v in enumerate(coll.risk)})
        sib = _siblings(coll_levels, shape.depth_collateral, index)
        values.update({f"{p}.path[{l}]": v for l, v in enumerate(sib)})
    if shape.K == 0:
        values["collateral_root"] = coll_levels[-1][0]
    return values


def predict_public(shape: "MarginShape", statement: str, book: "RiskBook", account: "Account"
                   ) -> list[int]:
    """The public inputs (field elements, in order) the engine predicts for this account.

    ``full``: market_commitment, account_commitment, equity, mm, im;
    ``health``: market_commitment, account_commitment, status code.
    """
    from engine.commitment import account_commitment
    from engine.margin import compute_margin

    shape.check_book(book)
    report = compute_margin(account, book, details=False)
    head = [book.commitment["market_commitment"],
            account_commitment(account, book, shape.N, shape.K)]
    if statement == "full":
        return head + [report.equity % R, report.mm % R, report.im % R]
    if statement == "health":
        return head + [report.status_code]
    raise CircuitError(f"statement: {statement!r} is not one of full, health")
