"""The risk book: the public integers the margin is an exact function of (format ``zkm-1``).

docs/spec/MARGIN-MODEL.md section 2 and section 6.  JSON layout (integers as decimal strings)::

    {"version": "zkm-1", "time": ..., "S": "22", "H": "8", "k": "2", "im_factor": "125000000",
     "scale": "100000000", "underlyings": [{"symbol", "spot", "vol", "psr"}],
     "scenarios": [{"kind", "moves": {"BTC": "-0.0408..."}, "vol", "cover", "description"}],
     "instruments": [{"symbol", "type", "underlying", "mark", "som", "cont",
                      "risk": [S+H integers], "greeks": {"delta", "gamma", "vega", "theta"}}],
     "collateral": [{"symbol", "underlying", "price", "haircut", "risk": [S+H integers]}],
     "depth_instruments": "8", "depth_collateral": "2",
     "instrument_root", "collateral_root", "params_hash", "market_commitment"}

Greeks per contract are integers at SCALE: delta in units of the underlying, gamma the
change of delta for a +1% move of the underlying, vega in USD per +1 vol point
(0.01), theta in USD per calendar day.  When k = 0 there are no historical
scenarios (H = 0).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any, Mapping, Sequence

from engine.bookdata import (COMMITMENT_FIELDS, GREEK_NAMES, MAX_DEPTH, CollateralRisk,
                             InstrumentRisk)
from engine.commitment import BookTrees, book_trees, commitment_of
from engine.decimal import PRICE_BOUND, RATE_BOUND, SCALE, check_bound
from engine.errors import EngineError
from engine.jsonio import parse_object, read_json

_INT_ONLY = {int}


def default_depth(count: int) -> int:
    """The smallest depth >= 1 whose tree holds ``count`` leaves."""
    depth = 1
    while (1 << depth) < count:
        depth += 1
    return depth


@dataclass
class RiskBook:
    """A ZKM-1 risk book; validated on construction.

    The bounds are those of docs/spec/MARGIN-MODEL.md section 1.
    """

    S: int
    H: int
    k: int
    im_factor: int
    instruments: tuple[InstrumentRisk, ...]
    collateral: tuple[CollateralRisk, ...]
    scenarios: tuple[Mapping[str, Any], ...] = ()
    underlyings: tuple[Mapping[str, str], ...] = ()
    time: str = ""
    depth_instruments: int = 0
    depth_collateral: int = 0
    claimed_commitment: Mapping[str, int] | None = None
    #: every Merkle level of both trees, leaves first, set at construction
    trees: BookTrees = field(init=False, repr=False, compare=False)
    #: instrument_root, collateral_root, params_hash, market_commitment (docs/spec/STATEMENT.md),
    #: computed once at construction from ``trees``
    commitment: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.instruments = tuple(self.instruments)
        self.collateral = tuple(self.collateral)
        self.scenarios = tuple(self.scenarios)
        self.underlyings = tuple(self.underlyings)
        if not self.depth_instruments:
            self.depth_instruments = default_depth(len(self.instruments))
        if not self.depth_collateral:
            self.depth_collateral = default_depth(len(self.collateral))
        validate_book(self)
        self.trees = book_trees(self)
        self.commitment = commitment_of(self, self.trees)

    # ----- lookups --------------------------------------------------------------
    @cached_property
    def instrument_index(self) -> dict[str, int]:
        return {inst.symbol: i for i, inst in enumerate(self.instruments)}

    @cached_property
    def collateral_index(self) -> dict[str, int]:
        return {c.symbol: a for a, c in enumerate(self.collateral)}

    def scenario_description(self, s: int) -> str:
        if 0 <= s < len(self.scenarios):
            return str(self.scenarios[s].get("description", f"scenario {s}"))
        return "none (no stress scenario loses)" if s < 0 else f"scenario {s}"

    # ----- commitments (engine.commitment; computed in __post_init__) ------------
    def verify_commitment(self) -> None:
        """Recompute the commitments and compare with those the book was loaded with."""
        if self.claimed_commitment is None:
            raise EngineError("risk book: carries no commitments to verify")
        try:
            self.check_claimed_commitment()
        except EngineError as exc:
            raise EngineError(f"risk book: {exc}") from None

    def check_claimed_commitment(self, required: bool = False) -> None:
        """Refuse claimed commitments (those of the JSON the book was read from) that
        differ from the ones recomputed from its data, naming the first field that
        differs (roots, then params_hash, then market_commitment); with ``required``, a
        book without claimed commitments is refused too."""
        if self.claimed_commitment is None:
            if required:
                raise EngineError(f"{COMMITMENT_FIELDS[-1]}: missing; a proof needs the "
                                  "book's commitments (write it with `zkmargin riskbook`)")
            return
        for name in COMMITMENT_FIELDS:
            if self.commitment[name] != self.claimed_commitment[name]:
                raise EngineError(f"{name}: does not match the book's data")

    # ----- building and JSON ------------------------------------------------------
    @classmethod
    def from_snapshot(cls, snapshot: Any, *, depth_instruments: int | None = None,
                      depth_collateral: int | None = None) -> "RiskBook":
        """Build the book of a Snapshot, a snapshot JSON object, or a path / bundled name."""
        from engine.book_builder import book_fields
        from engine.snapshot import Snapshot, load_snapshot, snapshot_from_json

        if isinstance(snapshot, Mapping):
            snapshot = snapshot_from_json(snapshot)
        elif isinstance(snapshot, (str, Path)):
            snapshot = load_snapshot(snapshot)
        elif not isinstance(snapshot, Snapshot):
            raise EngineError(f"snapshot: expected a Snapshot, a JSON object or a path, "
                              f"got {type(snapshot).__name__}")
        source = getattr(snapshot, "source", "") or "snapshot"
        try:
            return cls(**book_fields(snapshot, depth_instruments=depth_instruments,
                                     depth_collateral=depth_collateral))
        except EngineError as exc:
            raise EngineError(f"{source}: {exc}") from None
        except ArithmeticError as exc:  # an overflow in the pricing of extreme inputs
            raise EngineError(f"{source}: risk book: the snapshot's values overflow "
                              f"({type(exc).__name__}: {exc})") from None

    def to_json(self, *, commitments: bool = True) -> dict[str, Any]:
        from engine.bookjson import book_to_json

        return book_to_json(self, commitments=commitments)

    @classmethod
    def from_json(cls, obj: Any, source: str = "risk book", *,
                  require_commitments: bool = False) -> "RiskBook":
        """Parse and validate a ``zkm-1`` risk book object; its commitment fields, when
        present (required with ``require_commitments``), must equal the commitments of
        its data (:meth:`check_claimed_commitment`).  Errors name ``source`` and the field."""
        from engine.bookjson import book_fields_from_json

        def build(o: Any) -> "RiskBook":
            book = cls(**book_fields_from_json(o))
            book.check_claimed_commitment(require_commitments)
            return book

        return parse_object(build, obj, source)

    @classmethod
    def load(cls, path: str | Path, *, require_commitments: bool = False) -> "RiskBook":
        """Read a risk book file (see :meth:`from_json`); errors name the file and field."""
        return cls.from_json(read_json(path), str(path), require_commitments=require_commitments)

    def dumps(self, *, commitments: bool = True) -> str:
        return json.dumps(self.to_json(commitments=commitments), indent=1, ensure_ascii=False) + "\n"


def validate_book(book: RiskBook) -> None:
    """Check shapes and the bounds of docs/spec/MARGIN-MODEL.md section 1; raise EngineError."""
    n = book.S + book.H
    if book.S < 1 or book.H < 0:
        raise EngineError(f"risk book: S must be >= 1 and H >= 0 (S={book.S}, H={book.H})")
    if book.H == 0 and book.k != 0:
        raise EngineError("risk book.k: must be 0 when there are no historical scenarios")
    if book.H > 0 and not 1 <= book.k <= book.H:
        raise EngineError(f"risk book.k: must be in 1..H={book.H}, got {book.k}")
    check_bound(book.im_factor, RATE_BOUND, "risk book.im_factor", signed=False)
    if book.im_factor < SCALE:
        raise EngineError("risk book.im_factor: must be >= 1.0")
    if book.scenarios and len(book.scenarios) != n:
        raise EngineError(f"risk book.scenarios: expected {n} entries")
    if not book.instruments:
        raise EngineError("risk book.instruments: at least one instrument is needed")
    for name, leaves, depth in (("instruments", book.instruments, book.depth_instruments),
                                ("collateral", book.collateral, book.depth_collateral)):
        if not 1 <= depth <= MAX_DEPTH or (1 << depth) < len(leaves):
            raise EngineError(f"risk book.depth_{name}: {depth} cannot hold {len(leaves)} leaves")
        symbols = [leaf.symbol for leaf in leaves]
        if len(set(symbols)) != len(symbols):
            raise EngineError(f"risk book.{name}: duplicate symbol")
    if not _instruments_in_bounds(book.instruments, n):
        for inst in book.instruments:   # name the first field that fails
            where = f"risk book.instruments[{inst.symbol}]"
            check_bound(inst.mark, PRICE_BOUND, f"{where}.mark")
            check_bound(inst.som, PRICE_BOUND, f"{where}.som", signed=False)
            check_bound(inst.cont, PRICE_BOUND, f"{where}.cont", signed=False)
            _check_array(inst.risk, n, f"{where}.risk")
            for g in GREEK_NAMES:
                check_bound(inst.greeks.get(g, 0), PRICE_BOUND, f"{where}.greeks.{g}")
    for coll in book.collateral:
        where = f"risk book.collateral[{coll.symbol}]"
        check_bound(coll.price, PRICE_BOUND, f"{where}.price")
        if coll.price <= 0:
            raise EngineError(f"{where}.price: must be positive")
        check_bound(coll.haircut, RATE_BOUND, f"{where}.haircut", signed=False)
        _check_array(coll.risk, n, f"{where}.risk")


def _instruments_in_bounds(instruments: Sequence[InstrumentRisk], n: int) -> bool:
    """True when every instrument passes the checks of :func:`validate_book` (|mark|,
    |greek| < 2^63; 0 <= som, cont < 2^63; n ints below 2^63 in absolute value for the
    risk array), tested over all instruments at once; False sends the book to the
    per-field checks, which name the first failure."""
    try:
        risks = [inst.risk for inst in instruments]
        if set(map(len, risks)) != {n}:
            return False
        flat = list(chain.from_iterable(risks))
        if flat and (set(map(type, flat)) != _INT_ONLY
                     or not -PRICE_BOUND < min(flat) <= max(flat) < PRICE_BOUND):
            return False
        for signed, values in ((True, [inst.mark for inst in instruments]),
                               (False, [inst.som for inst in instruments]),
                               (False, [inst.cont for inst in instruments]),
                               *((True, [inst.greeks.get(g, 0) for inst in instruments])
                                 for g in GREEK_NAMES)):
            low = -PRICE_BOUND < min(values) if signed else 0 <= min(values)
            if not (low and max(values) < PRICE_BOUND):
                return False
    except TypeError:
        return False
    return True


def _check_array(values: Sequence[int], n: int, where: str) -> None:
    """``n`` ints (bool excluded), each below 2^63 in absolute value; the error names the
    first bad entry."""
    if len(values) != n:
        raise EngineError(f"{where}: expected {n} values, got {len(values)}")
    if not values or (set(map(type, values)) == _INT_ONLY
                      and -PRICE_BOUND < min(values) and max(values) < PRICE_BOUND):
        return
    for s, v in enumerate(values):
        if type(v) is not int or not -PRICE_BOUND < v < PRICE_BOUND:
            raise EngineError(f"{where}[{s}]: not an integer below 2^63 in absolute value")
