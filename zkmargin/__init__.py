"""zkmargin: zero-knowledge proven ZKM-1 portfolio margin.

The public embedding API lives in :mod:`zkmargin.api`; its names are re-exported here
lazily so that ``import zkmargin`` stays cheap for the CLI.
"""
from __future__ import annotations

from typing import Any

from zkbase import __version__

__all__ = ["RiskBook", "MarginProver", "verify", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("RiskBook", "MarginProver", "verify"):
        from zkmargin import api

        return getattr(api, name)
    raise AttributeError(f"module 'zkmargin' has no attribute {name!r}")
