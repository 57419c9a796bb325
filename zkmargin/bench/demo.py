"""The demo's proving table: every bundled account proven at its shape, and checked.

For each account the shape is the smallest one of the key set whose slots hold its
positions (N) and collateral (K).  Per account: the engine's status, equity, MM and IM
(the proof's public outputs, checked equal to the engine's), the shape and its
constraint count, witness + prove time, the native verifier's time, the gas of the
generated Solidity verifier on that proof (replayed, ``verifier.onchain``) and a
verdict per chain: ``witness + prove <= block time`` (one proof within one block).
"""
from __future__ import annotations

import time
from typing import Any, Callable, Optional, Sequence

from engine.account import Account
from engine.riskbook import RiskBook
from zkmargin.bench.chains import Chain
from zkmargin.bench.keys import ShapeKeys, fitting_accounts


class DemoError(RuntimeError):
    """A demo proof that did not verify, or an account that fits no shape."""


def select_shape(account: Account, shapes: Sequence[ShapeKeys]) -> ShapeKeys:
    """The smallest shape (fewest constraints) that holds ``account``."""
    for shape in sorted(shapes, key=lambda s: (s.constraints, s.name)):
        if fitting_accounts(shape, [account]):
            return shape
    raise DemoError(f"{account.name}: {len(account.positions)} positions and "
                    f"{len(account.collateral)} collateral assets fit no shape of the key set")


def prove_accounts(book: RiskBook, accounts: Sequence[Account], shapes: Sequence[ShapeKeys],
                   chains: Sequence[Chain],
                   on_account: Optional[Callable[[str], None]] = None) -> list[dict[str, Any]]:
    """One row per account (see the module docstring); raises DemoError if a proof is
    rejected natively or on chain, or its public outputs differ from the engine's."""
    from verifier.groth16 import verify
    from verifier.onchain import verify_onchain
    from zkmargin.api import MarginProver

    loaded: dict[str, MarginProver] = {}
    rows = []
    for account in accounts:
        shape = select_shape(account, shapes)
        if shape.name not in loaded:
            loaded[shape.name] = MarginProver.load(shape.directory)
        prover = loaded[shape.name]
        if on_account:
            on_account(f"{account.name} ({shape.name})")
        result = prover.prove(account, book)
        t = time.perf_counter()
        ok = verify(prover.vk, result.public, result.proof)
        verify_s = time.perf_counter() - t
        onchain = verify_onchain(prover.vk, result.public, result.proof)
        report = result.report
        named = result.public_named
        if not (ok and onchain.accept):
            raise DemoError(f"{account.name}: the proof was rejected "
                            f"(native: {ok}, on chain: {onchain.accept})")
        for field in ("equity", "mm", "im"):
            if field in named and named[field] != getattr(report, field):
                raise DemoError(f"{account.name}: public {field} differs from the engine's")
        latency = result.timings["witness"] + result.timings["prove"]
        rows.append({
            "account": account.name, "status": report.status,
            "equity": str(report.equity), "mm": str(report.mm), "im": str(report.im),
            "shape": shape.name, "constraints": shape.constraints,
            "witness_s": result.timings["witness"], "prove_s": result.timings["prove"],
            "witness_prove_s": latency, "verify_s": verify_s, "verified": ok,
            "onchain_accept": onchain.accept, "gas": onchain.gas_used,
            "chains": {c.name: latency <= c.block_time_s for c in chains},
        })
    return rows


def format_rows(rows: Sequence[dict[str, Any]], chains: Sequence[Chain]) -> str:
    """The table the demo prints (USD amounts, seconds, ✓/✗ per chain)."""
    from engine.report import format_usd

    short = {"OP Stack / Base": "OP Stack", "Arbitrum One": "Arbitrum"}
    heads = [f"{short.get(c.name, c.name)} {c.block_time_s:g} s" for c in chains]
    head = (f"{'account':21}{'status':13}{'equity':>13}{'MM':>12}{'IM':>12}  {'shape':7}"
            f"{'constraints':>11}{'witness+prove':>15}{'verify':>9}{'gas':>9}  "
            + "  ".join(heads))
    lines = [head, "-" * len(head)]
    for r in rows:
        marks = "  ".join(f"{('✓' if r['chains'][c.name] else '✗'):^{len(h)}}"
                          for c, h in zip(chains, heads))
        lines.append(
            f"{r['account']:21}{r['status']:13}{format_usd(int(r['equity'])):>13}"
            f"{format_usd(int(r['mm'])):>12}{format_usd(int(r['im'])):>12}  {r['shape']:7}"
            f"{r['constraints']:>11,}{r['witness_prove_s']:>13.2f} s"
            f"{r['verify_s'] * 1e3:>6.1f} ms{r['gas']:>9,}  {marks}")
    return "\n".join(lines)
