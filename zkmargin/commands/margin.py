"""CLI commands of the engine: ``riskbook`` and ``margin``.

Snapshots and accounts may be given as paths or by the name of a bundled file
(``--market default``, ``zkmargin margin covered_call``).
"""
from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook


def load_book(riskbook: str | None, market: str | None, *, for_proof: bool = False
              ) -> "RiskBook":
    """The risk book of exactly one of ``--riskbook BOOK`` (a JSON file; its commitment
    fields checked against its data, and required when ``for_proof``) or ``--market
    SNAPSHOT`` (built from a snapshot path or bundled name); EngineError otherwise."""
    from engine.errors import EngineError
    from engine.riskbook import RiskBook
    from engine.snapshot import load_snapshot

    if (riskbook is None) == (market is None):
        raise EngineError("give exactly one of --riskbook BOOK or --market SNAPSHOT")
    if riskbook is not None:
        return RiskBook.load(riskbook, require_commitments=for_proof)
    return RiskBook.from_snapshot(load_snapshot(market))


def load_checked_account(source: str, book: "RiskBook") -> "Account":
    """The account ``source`` (a path or a bundled name), its symbols checked against
    ``book``: an unknown instrument or asset is an error naming the file and field."""
    from engine.account import load_account
    from engine.errors import EngineError
    from engine.margin import net_collateral, net_positions

    acct = load_account(source)
    try:
        net_positions(acct, book)
        net_collateral(acct, book)
    except EngineError as exc:
        raise EngineError(f"{source}: {exc}") from None
    return acct


@click.command("riskbook")
@click.argument("snapshot")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="where to write the risk book JSON")
@click.option("--depth-instruments", type=int, default=None,
              help="Merkle depth of the instrument tree (default: smallest that fits)")
@click.option("--depth-collateral", type=int, default=None,
              help="Merkle depth of the collateral tree (default: smallest that fits)")
@click.option("--json", "as_json", is_flag=True, help="print a JSON summary")
def riskbook_cmd(snapshot: str, output: str, depth_instruments: int | None,
                 depth_collateral: int | None, as_json: bool) -> None:
    """Build the ZKM-1 risk book of a market SNAPSHOT (a path or 'default')."""
    from pathlib import Path

    from engine.errors import EngineError
    from engine.riskbook import RiskBook
    from engine.snapshot import load_snapshot
    from zkbase.files import atomic_write_text, check_output_paths

    check_output_paths([output], [snapshot])
    if not Path(output).resolve().parent.is_dir():
        raise EngineError(f"{output}: the output directory does not exist")
    start = time.perf_counter()
    book = RiskBook.from_snapshot(load_snapshot(snapshot), depth_instruments=depth_instruments,
                                  depth_collateral=depth_collateral)
    text = book.dumps()
    atomic_write_text(output, text)
    summary = {"output": output, "instruments": len(book.instruments),
               "collateral": len(book.collateral), "S": book.S, "H": book.H, "k": book.k,
               "depth_instruments": book.depth_instruments,
               "depth_collateral": book.depth_collateral,
               "market_commitment": str(book.commitment["market_commitment"]),
               "seconds": round(time.perf_counter() - start, 3)}
    if as_json:
        click.echo(json.dumps(summary, indent=1))
        return
    click.echo(f"wrote {output}: {summary['instruments']} instruments, "
               f"{summary['collateral']} collateral assets, S={book.S} stress + H={book.H} "
               f"historical scenarios (k={book.k}), depths {book.depth_instruments}/"
               f"{book.depth_collateral}")
    click.echo(f"market_commitment {summary['market_commitment']}")


@click.command("margin")
@click.argument("account")
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON (from `zkmargin riskbook`)")
@click.option("--market", "market", default=None, help="market snapshot (a path or 'default')")
@click.option("--json", "as_json", is_flag=True, help="print the normative JSON report")
@click.option("--scenarios", "show_scenarios", is_flag=True,
              help="also list the loss in every scenario")
def margin_cmd(account: str, riskbook: str | None, market: str | None, as_json: bool,
               show_scenarios: bool) -> None:
    """The ZKM-1 margin of ACCOUNT (a path or a bundled example name)."""
    from engine.margin import compute_margin
    from engine.report import format_report, format_scenarios

    book = load_book(riskbook, market)
    acct = load_checked_account(account, book)
    report = compute_margin(acct, book)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    else:
        click.echo(format_report(report, book, acct.name or account))
        if show_scenarios:
            click.echo(format_scenarios(report, book))


def register(group: click.Group) -> None:
    """Add ``riskbook`` and ``margin`` to the CLI group (``demo`` is in commands.demo)."""
    group.add_command(riskbook_cmd)
    group.add_command(margin_cmd)
