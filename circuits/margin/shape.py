"""Shape and bounds of the ZKM-1 margin circuit (STATEMENT.md).

A circuit is fixed by its :class:`MarginShape` ``(N, K, S, H, k, D_i, D_c)`` and a
statement (:data:`STATEMENTS`); :data:`PUBLIC_NAMES` lists each statement's public
inputs in order.  :class:`MarginBounds` gives the bit size of every intermediate of
the margin arithmetic for N position and K collateral slots.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from circuits.field import CircuitError
from circuits.margin import gadgets as mg
from engine.bookdata import MAX_DEPTH
from engine.commitment import MODEL_VERSION
from engine.decimal import SCALE

if TYPE_CHECKING:
    from engine.riskbook import RiskBook

STATEMENTS = ("full", "health")
PUBLIC_NAMES = {"full": ("market_commitment", "account_commitment", "equity", "mm", "im"),
                "health": ("market_commitment", "account_commitment", "status")}
#: the standard shapes (key-set ladder), smallest first: name ``n{N}k{K}`` -> (N, K)
LADDER = {"n4k2": (4, 2), "n8k2": (8, 2), "n16k4": (16, 4), "n32k4": (32, 4), "n64k4": (64, 4)}
MAX_SLOTS = 1024


def _qbits(bound: int, d: int) -> int:
    """Bits n with ``|floor or ceil(x / d)| < 2^n`` for every ``|x| < bound``."""
    return (bound // d + 2).bit_length()


@dataclass(frozen=True)
class MarginBounds:
    """Bit sizes of every intermediate (all strict bounds on absolute values).

    With N position and K collateral slots (|qty| < 2^63, amount < 2^64, book values
    and rates < 2^63): scenario sums ``|T_s| < N 2^126 + K 2^127``; net quantities
    ``< N 2^63`` (``net_bits``); SOM/cont sums ``< N 2^126`` (each distinct
    instrument once, ``sum |net| <= sum |qty|``); collateral sum ``< K 2^127 SCALE``;
    position sum ``< N 2^126``.  For N, K <= 1024 everything is below 2^200 << r/2,
    and losses and equity are below 2^112, inside the model's VU bound 2^127 (only im,
    through im_factor < 2^63, can pass it: ``im.bound`` checks it).
    """

    net_bits: int
    profit_bits: int
    charge_bits: int
    max_bits: int
    mm_bits: int
    im_bits: int
    cv_bits: int
    pv_bits: int
    equity_bits: int
    status_bits: int

    @classmethod
    def of(cls, N: int, K: int) -> "MarginBounds":
        net_bits = (N * 2**63 - 1).bit_length()
        profit_bits = _qbits(N * 2**126 + K * 2**127, SCALE)
        charge_bits = _qbits(N * 2**126, SCALE)
        mm_bits = max(profit_bits, charge_bits) + 1  # max(..) + cont, both < 2^max
        im_bits = _qbits(2 ** (mm_bits + 63), SCALE)
        cv_bits = _qbits(max(K, 1) * 2**127 * SCALE, SCALE * SCALE)
        pv_bits = _qbits(N * 2**126, SCALE)
        equity_bits = (2**95 + 2**cv_bits + 2**pv_bits).bit_length()
        if max(profit_bits, equity_bits) > mg.VALUE_BITS:
            raise CircuitError(f"margin shape: N={N}, K={K} too large for the 2^127 VU bound")
        return cls(net_bits=net_bits, profit_bits=profit_bits, charge_bits=charge_bits,
                   max_bits=max(profit_bits, charge_bits) + 1, mm_bits=mm_bits,
                   im_bits=im_bits, cv_bits=cv_bits, pv_bits=pv_bits, equity_bits=equity_bits,
                   status_bits=max(equity_bits, im_bits) + 1)


@dataclass(frozen=True)
class MarginShape:
    """``(N, K, S, H, k, D_i, D_c)``: slot counts, scenario counts, ES depth, tree depths."""

    N: int
    K: int
    S: int
    H: int
    k: int
    depth_instruments: int
    depth_collateral: int

    def __post_init__(self) -> None:
        if not 1 <= self.N <= MAX_SLOTS or not 0 <= self.K <= MAX_SLOTS:
            raise CircuitError(f"margin shape: N={self.N}, K={self.K} outside 1..{MAX_SLOTS}")
        if self.S < 1 or self.H < 0:
            raise CircuitError(f"margin shape: S={self.S} must be >= 1 and H={self.H} >= 0")
        if (self.H == 0 and self.k != 0) or (self.H > 0 and not 1 <= self.k <= self.H):
            raise CircuitError(f"margin shape: k={self.k} invalid for H={self.H}")
        for d in (self.depth_instruments, self.depth_collateral):
            if not 1 <= d <= MAX_DEPTH:
                raise CircuitError(f"margin shape: tree depth {d} outside 1..{MAX_DEPTH}")

    @classmethod
    def from_book(cls, book: "RiskBook", n_slots: int, k_slots: int) -> "MarginShape":
        """The shape for ``book``'s scenarios and depths with N, K account slots."""
        return cls(n_slots, k_slots, book.S, book.H, book.k, book.depth_instruments,
                   book.depth_collateral)

    @property
    def n_scenarios(self) -> int:
        return self.S + self.H

    @cached_property
    def bounds(self) -> MarginBounds:
        return MarginBounds.of(self.N, self.K)

    def check_book(self, book: "RiskBook") -> None:
        """Raise CircuitError unless ``book`` has this shape's S, H, k and depths.

        Also checks the invariant the circuit relies on for SOM: a non-option's som is 0
        (the circuit charges SOM on every net short position by the leaf's som).
        """
        got = (book.S, book.H, book.k, book.depth_instruments, book.depth_collateral)
        want = (self.S, self.H, self.k, self.depth_instruments, self.depth_collateral)
        if got != want:
            raise CircuitError(f"risk book: (S, H, k, D_i, D_c) = {got}, circuit expects {want}")
        for inst in book.instruments:
            if inst.som and not inst.is_option:
                raise CircuitError(f"risk book.instruments[{inst.symbol}].som: must be 0 "
                                   "for a non-option")


def check_statement(statement: str) -> None:
    """Raise CircuitError unless ``statement`` is one of :data:`STATEMENTS`."""
    if statement not in STATEMENTS:
        raise CircuitError(f"statement: {statement!r} is not one of {', '.join(STATEMENTS)}")


__all__ = ["SCALE", "MODEL_VERSION", "STATEMENTS", "PUBLIC_NAMES", "MAX_SLOTS", "MAX_DEPTH",
           "MarginBounds", "MarginShape", "check_statement"]
