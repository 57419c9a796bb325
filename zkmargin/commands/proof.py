"""Margin statements end to end: ``setup margin`` and ``prove``.

``zkmargin setup margin`` makes the keys of a margin circuit for a risk book's shape,
``zkmargin prove`` proves one account's margin with them (proof, public inputs and
report written atomically).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import click

from zkmargin.commands.margin import _load_account, _load_book


def _usd(vu: int) -> str:
    from engine.report import format_usd

    return format_usd(vu)


@click.command("margin")
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON")
@click.option("--market", "market", default=None, help="market snapshot (or 'default')")
@click.option("-o", "--output", "directory", required=True,
              type=click.Path(file_okay=False), help="key directory to write")
@click.option("--slots", "n_slots", type=int, default=16, show_default=True,
              help="position slots N")
@click.option("--collateral-slots", "k_slots", type=int, default=4, show_default=True,
              help="collateral slots K")
@click.option("--statement", type=click.Choice(["full", "health"]), default="full",
              show_default=True)
@click.option("--ptau", type=click.Path(exists=True, dir_okay=False), default=None,
              help="prepared powers of tau (without it: an INSECURE development key)")
def setup_margin_cmd(riskbook: str | None, market: str | None, directory: str, n_slots: int,
                     k_slots: int, statement: str, ptau: str | None) -> None:
    """Keys of the margin circuit for the book's shape (N, K, S, H, k, depths)."""
    from zkmargin.api import MarginProver

    book = _load_book(riskbook, market)
    t0 = time.perf_counter()
    prover = MarginProver.setup(book, directory, n_slots=n_slots, k_slots=k_slots,
                                statement=statement, ptau=ptau)
    meta = json.loads((Path(directory) / "circuit.json").read_text())
    click.echo(f"margin circuit {statement}: N={n_slots} K={k_slots} S={book.S} H={book.H} "
               f"k={book.k}, {meta['constraints']:,} constraints; keys in {directory} "
               f"({time.perf_counter() - t0:.1f} s)")
    if ptau is None:
        click.echo("WARNING: development key from a local ceremony: INSECURE, whoever ran it "
                   "can forge proofs. Use --ptau with a public ceremony's file in production.")
    del prover


@click.command("prove")
@click.argument("account")
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON")
@click.option("--market", "market", default=None, help="market snapshot (or 'default')")
@click.option("--keys", "keys", required=True, type=click.Path(exists=True, file_okay=False),
              help="key directory from `zkmargin setup margin`")
@click.option("-o", "--output", "directory", required=True, type=click.Path(file_okay=False),
              help="directory for proof.json, public.json and report.json")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
def prove_cmd(account: str, riskbook: str | None, market: str | None, keys: str,
              directory: str, as_json: bool) -> None:
    """Prove ACCOUNT's ZKM-1 margin on a risk book (positions stay private)."""
    from prover.api import save_json
    from zkbase.files import check_output_paths, output_group
    from zkmargin.api import MarginProver

    out = Path(directory)
    names = ("proof.json", "public.json", "report.json")
    check_output_paths([out / n for n in names],
                       [account, riskbook, market, *(Path(keys) / f for f in
                                                     ("margin.zkey", "verification_key.json",
                                                      "circuit.json"))])
    book = _load_book(riskbook, market, for_proof=True)
    acct = _load_account(account, book)
    prover = MarginProver.load(keys)
    result = prover.prove(acct, book)
    out.mkdir(parents=True, exist_ok=True)
    with output_group() as files:  # all three or none
        save_json(out / "proof.json", result.proof, files)
        save_json(out / "public.json", result.public, files)
        save_json(out / "report.json", result.report.to_json(), files)
    if as_json:
        click.echo(json.dumps({"statement": result.statement,
                               "public": {k: str(v) for k, v in result.public_named.items()},
                               "timings": result.timings}, indent=1))
        return
    click.echo(f"proved {result.statement} margin statement in {result.timings['prove']:.2f} s "
               f"(witness {result.timings['witness']:.2f} s): files in {directory}")
    for name, value in result.public_named.items():
        shown = _usd(value) if name in ("equity", "mm", "im") else str(value)
        click.echo(f"  {name:20} {shown}")


def register(group: click.Group) -> None:
    """Add ``prove`` and ``setup margin`` (``demo`` is in commands.demo)."""
    group.add_command(prove_cmd)
    setup = group.commands.get("setup")
    if isinstance(setup, click.Group):
        setup.add_command(setup_margin_cmd)
