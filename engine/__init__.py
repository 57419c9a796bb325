"""The ZKM-1 margin engine: exact fixed-point portfolio margin (docs/spec/MARGIN-MODEL.md).

Public API::

    from engine import load_snapshot, load_account, RiskBook, compute_margin
    book = RiskBook.from_snapshot(load_snapshot("default"))
    report = compute_margin(load_account("covered_call"), book)

The engine knows nothing about circuits or proofs; :mod:`engine.commitment` encodes a
risk book's leaves, Merkle roots and ``market_commitment`` as BN254 field elements with
the Poseidon of :mod:`native.poseidon` (the engine imports only ``native`` and ``zkbase``).
"""
from __future__ import annotations

from engine.account import Account, account_from_json, load_account
from engine.decimal import SCALE, ceil_div, floor_div, format_decimal, parse_decimal
from engine.errors import EngineError
from engine.margin import STATUS_NAMES, MarginReport, compute_margin
from engine.riskbook import CollateralRisk, InstrumentRisk, RiskBook
from engine.snapshot import Snapshot, load_snapshot, snapshot_from_json

__all__ = [
    "Account", "account_from_json", "load_account", "SCALE", "ceil_div", "floor_div",
    "format_decimal", "parse_decimal", "EngineError", "STATUS_NAMES", "MarginReport",
    "compute_margin", "CollateralRisk", "InstrumentRisk", "RiskBook", "Snapshot",
    "load_snapshot", "snapshot_from_json",
]
