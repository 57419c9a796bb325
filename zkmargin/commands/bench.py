"""``zkmargin bench``: margin-proof latency and throughput against a block time."""
from __future__ import annotations

import json

import click


@click.command("bench")
@click.option("--market", default="default", help="market snapshot (default: bundled)")
@click.option("--keys", type=click.Path(exists=True, file_okay=False), default=None,
              help="key directory (default: cached development keys, N=16, K=4)")
@click.option("--block-time", type=float, default=2.0, show_default=True,
              help="block time in seconds")
@click.option("--workers", type=int, default=2, show_default=True,
              help="parallel proofs in the throughput run")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def bench_cmd(market: str, keys: str | None, block_time: float, workers: int,
              as_json: bool) -> None:
    """Prove every bundled example account; relate latency to the block time."""
    from engine.account import Account
    from engine.jsonio import bundled_accounts
    from engine.riskbook import RiskBook
    from zkmargin.api import MarginProver
    from zkmargin.bench import latency_benchmark

    if block_time <= 0:
        raise click.BadParameter("must be positive", param_hint="--block-time")
    book = RiskBook.from_snapshot(market)
    prover = MarginProver.load(keys) if keys else MarginProver.cached_dev(book)
    accounts = [Account.load(name) for name in bundled_accounts()]
    report = latency_benchmark(prover, book, accounts, block_time, workers)
    click.echo(json.dumps(report.to_json(), indent=1) if as_json else report.table())


def register(group: click.Group) -> None:
    group.add_command(bench_cmd)
