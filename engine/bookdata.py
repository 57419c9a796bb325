"""The records of a risk book and its format constants, below every module that reads them.

:class:`InstrumentRisk` and :class:`CollateralRisk` are the leaves of the book's two
Merkle trees; :class:`BookData` is the read-only view of a book (its fields and symbol
lookups) that the commitments, the JSON writer and the book builder code against.
``engine.riskbook.RiskBook`` is the one implementation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

BOOK_VERSION = "zkm-1"
GREEK_NAMES = ("delta", "gamma", "vega", "theta")
COMMITMENT_FIELDS = ("instrument_root", "collateral_root", "params_hash", "market_commitment")
MAX_DEPTH = 32


@dataclass(frozen=True)
class InstrumentRisk:
    """One instrument leaf: mark, charges and risk array (VU per contract)."""

    symbol: str
    kind: str
    underlying: str
    mark: int
    som: int
    cont: int
    risk: tuple[int, ...]
    greeks: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(GREEK_NAMES, 0))

    @property
    def is_option(self) -> bool:
        return self.kind in ("call", "put")


@dataclass(frozen=True)
class CollateralRisk:
    """One collateral leaf: price (VU per unit), haircut (rate), risk array (VU per unit)."""

    symbol: str
    price: int
    haircut: int
    risk: tuple[int, ...]
    underlying: str | None = None


class BookData(Protocol):
    """What a risk book exposes to the modules below ``engine.riskbook``."""

    @property
    def S(self) -> int: ...
    @property
    def H(self) -> int: ...
    @property
    def k(self) -> int: ...
    @property
    def im_factor(self) -> int: ...
    @property
    def instruments(self) -> Sequence[InstrumentRisk]: ...
    @property
    def collateral(self) -> Sequence[CollateralRisk]: ...
    @property
    def scenarios(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def underlyings(self) -> Sequence[Mapping[str, str]]: ...
    @property
    def time(self) -> str: ...
    @property
    def depth_instruments(self) -> int: ...
    @property
    def depth_collateral(self) -> int: ...
    @property
    def instrument_index(self) -> Mapping[str, int]: ...
    @property
    def collateral_index(self) -> Mapping[str, int]: ...
    @property
    def commitment(self) -> Mapping[str, int]: ...
