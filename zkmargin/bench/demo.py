"""The demo's proving table: every bundled account proven at its shape, and checked.

The key set's prover picks, per account, the smallest shape whose slots hold its
positions (N) and collateral (K).  Per account: the engine's status, equity, MM and IM
(the proof's public outputs, checked equal to the engine's), the shape and its
constraint count, witness + prove time, the native verifier's time, the gas of the
generated Solidity verifier on that proof (replayed, ``verifier.onchain``) and a
verdict per chain: ``witness + prove <= block time`` (one proof within one block).
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from engine.account import Account
from engine.riskbook import RiskBook
from zkmargin.bench.chains import Chain

if TYPE_CHECKING:
    from zkmargin.api import MarginProver


class DemoError(RuntimeError):
    """A demo proof that was rejected, or whose public outputs differ from the engine's."""


def prove_accounts(book: RiskBook, accounts: Sequence[Account], prover: "MarginProver",
                   chains: Sequence[Chain],
                   on_account: Optional[Callable[[str], None]] = None) -> list[dict[str, Any]]:
    """One row per account (see the module docstring); raises DemoError if a proof is
    rejected natively or on chain, or its public outputs differ from the engine's."""
    from verifier.groth16 import verify
    from verifier.onchain import verify_onchain

    rows = []
    for account in accounts:
        if on_account:
            on_account(f"{account.name} ({prover.select(account).name})")
        result = prover.prove(account, book)
        vk = prover.vks[result.shape]
        t = time.perf_counter()
        ok = verify(vk, result.public, result.proof)
        verify_s = time.perf_counter() - t
        onchain = verify_onchain(vk, result.public, result.proof)
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
            "shape": result.shape, "constraints": prover.constraints[result.shape],
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
    head = (f"{'account':21}{'status':13}{'equity':>14}{'MM':>12}{'IM':>12}  {'shape':6}"
            f"{'constraints':>12}{'witness+prove':>15}{'verify':>9}{'gas':>9}  "
            + "  ".join(heads))
    lines = [head, "-" * len(head)]
    for r in rows:
        marks = "  ".join(f"{('✓' if r['chains'][c.name] else '✗'):^{len(h)}}"
                          for c, h in zip(chains, heads))
        lines.append(
            f"{r['account']:21}{r['status']:13}{format_usd(int(r['equity'])):>14}"
            f"{format_usd(int(r['mm'])):>12}{format_usd(int(r['im'])):>12}  {r['shape']:6}"
            f"{r['constraints']:>12,}{r['witness_prove_s']:>13.2f} s"
            f"{r['verify_s'] * 1e3:>6.1f} ms{r['gas']:>9,}  {marks}".rstrip())
    return "\n".join(lines)
