"""The block-time model: which chains a proof keeps up with.

A chain is a name and a block time ``T`` in seconds.  The table below ships with the
package; a JSON file (``zkmargin bench --chains FILE``) edits or extends it::

    {"chains": [{"name": "My L3", "block_time_s": 0.5, "note": "..."},
                {"name": "Ethereum", "block_time_s": 12}]}

An entry whose ``name`` is already in the table replaces that row; others are appended.
For a prover with median latency ``L`` (witness + proof of one account) and batch
throughput ``X`` accounts per second (``prove_many`` on this machine):

* one proof fits in a block iff ``L <= T``;
* accounts per block = ``floor(X * T)``;
* with a cluster of ``C`` cores: ``floor(X / c * C * T)``, ``c`` the cores this
  machine used (linear scaling from the per-core figure: an estimate, not a measurement).
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence


@dataclass(frozen=True)
class Chain:
    """One chain of the block-time model; ``block_time_s`` > 0."""

    name: str
    block_time_s: float
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


#: Block times of the chains a venue is most likely to settle on (slot / target block
#: interval; zkSync Era's is approximate, it varies with load).
DEFAULT_CHAINS: tuple[Chain, ...] = (
    Chain("Ethereum", 12.0, "L1 slot time"),
    Chain("OP Stack / Base", 2.0, "OP Mainnet, Base and other OP Stack chains"),
    Chain("Arbitrum One", 0.25, "sequencer block target"),
    Chain("Polygon PoS", 2.0, "Bor block time"),
    Chain("zkSync Era", 1.0, "approximate, varies with load"),
)

#: The three chains of the demo's verdict columns.
DEMO_CHAINS: tuple[str, ...] = ("Ethereum", "OP Stack / Base", "Arbitrum One")


class ChainsFileError(ValueError):
    """A chains file that is not JSON or has a malformed entry; the message is
    ``FILE: FIELD: reason``."""


def load_chains(path: str | Path | None = None,
                base: Sequence[Chain] = DEFAULT_CHAINS) -> list[Chain]:
    """The shipped table, edited/extended by the JSON file at ``path`` (if given)."""
    chains = list(base)
    if path is None:
        return chains
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ChainsFileError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError as exc:
        raise ChainsFileError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("chains"), list):
        raise ChainsFileError(f"{path}: chains: expected an object with a list \"chains\"")
    for i, entry in enumerate(obj["chains"]):
        where = f"{path}: chains[{i}]"
        if not isinstance(entry, dict):
            raise ChainsFileError(f"{where}: expected an object")
        unknown = set(entry) - {"name", "block_time_s", "note"}
        if unknown:
            raise ChainsFileError(f"{where}.{sorted(unknown)[0]}: unknown field")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ChainsFileError(f"{where}.name: expected a non-empty string")
        t = entry.get("block_time_s")
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) \
                or t <= 0:
            raise ChainsFileError(f"{where}.block_time_s: expected a positive number of seconds")
        note = entry.get("note", "")
        if not isinstance(note, str):
            raise ChainsFileError(f"{where}.note: expected a string")
        chain = Chain(name.strip(), float(t), note)
        names = [c.name for c in chains]
        if chain.name in names:
            chains[names.index(chain.name)] = chain
        else:
            chains.append(chain)
    return chains


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def fits(latency_s: float, chain: Chain) -> bool:
    """One proof (latency ``latency_s``) is ready within one block of ``chain``."""
    return latency_s <= chain.block_time_s


def accounts_per_block(throughput_per_s: float, chain: Chain) -> int:
    """Whole accounts proven per block at a sustained throughput."""
    return int(math.floor(throughput_per_s * chain.block_time_s + 1e-9))


def verdicts(latency_s: float, throughput_per_s: float, cores_used: int, chains: Sequence[Chain],
             cluster_cores: int | None = None) -> list[dict[str, Any]]:
    """Per chain: does one proof fit, accounts per block here, and on a cluster."""
    per_core = throughput_per_s / max(1, cores_used)
    rows = []
    for chain in chains:
        row: dict[str, Any] = {
            "chain": chain.name, "block_time_s": chain.block_time_s,
            "one_proof_fits": fits(latency_s, chain),
            "accounts_per_block": accounts_per_block(throughput_per_s, chain),
        }
        if cluster_cores:
            row["cluster_cores"] = cluster_cores
            row["cluster_accounts_per_block"] = accounts_per_block(per_core * cluster_cores, chain)
        rows.append(row)
    return rows
