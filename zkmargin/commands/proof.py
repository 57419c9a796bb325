"""Margin statements end to end: ``setup margin`` and ``prove``.

``zkmargin setup margin`` makes a key set of the margin circuit for a risk book (one
key directory per shape ``n{N}k{K}`` and ``keyset.json``), ``zkmargin prove`` proves
one account's margin at the smallest shape holding it (proof, public inputs, report and
statement written all together or none).
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

import click

from zkmargin.commands.margin import load_checked_account, load_book


def _usd(vu: int) -> str:
    from engine.report import format_usd

    return format_usd(vu)


def _progress_printer(as_json: bool) -> tuple[Callable[[int, int, str], None], Callable[[], None]]:
    """Progress of a long setup: a bar on a terminal, plain lines otherwise, nothing with
    --json (stderr, so that stdout stays the result).  Returns (callback, close)."""
    import sys

    if as_json:
        return (lambda done, total, message: None), (lambda: None)
    if not sys.stderr.isatty():
        def line(done: int, total: int, message: str) -> None:
            click.echo(f"[{done}/{total}] {message}", err=True)

        return line, (lambda: None)
    bar: list[Any] = []

    def update(done: int, total: int, message: str) -> None:
        if not bar:
            bar.append(click.progressbar(length=total, label="setup", file=sys.stderr,
                                         show_pos=True))
            bar[0].__enter__()
        bar[0].label = message
        bar[0].update(done - bar[0].pos)

    def close() -> None:
        if bar:
            bar[0].__exit__(None, None, None)

    return update, close


@click.command("margin")
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON")
@click.option("--market", "market", default=None, help="market snapshot (or 'default')")
@click.option("-o", "--output", "directory", required=True,
              type=click.Path(file_okay=False), help="key set directory to write")
@click.option("--shapes", "shapes", default="all", show_default=True,
              help="shapes n<N>k<K>, comma-separated, or 'all' (n4k2,n8k2,n16k4,n32k4,n64k4)")
@click.option("--statement", type=click.Choice(["full", "health"]), default="full",
              show_default=True)
@click.option("--ptau", type=click.Path(exists=True, dir_okay=False), default=None,
              help="prepared powers of tau (without it: INSECURE development keys)")
@click.option("--seed", type=int, default=None, hidden=True,
              help="deterministic development secrets (tests only)")
@click.option("--json", "as_json", is_flag=True, help="print the key set manifest as JSON")
def setup_margin_cmd(riskbook: str | None, market: str | None, directory: str, shapes: str,
                     statement: str, ptau: str | None, seed: int | None,
                     as_json: bool) -> None:
    """Key set of the margin circuit: one key directory per shape (N position slots,
    K collateral slots; S, H, k and tree depths from the book) and keyset.json."""
    from zkmargin.api import MarginProver
    from zkmargin.keyset import KEYSET_FILE, parse_shapes

    try:
        names = parse_shapes(shapes)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shapes") from None
    book = load_book(riskbook, market)
    t0 = time.perf_counter()
    progress, close = _progress_printer(as_json)
    try:
        prover = MarginProver.setup(book, directory, names, statement=statement, ptau=ptau,
                                    seed=seed, progress=progress)
    finally:
        close()
    if as_json:
        click.echo((Path(directory) / KEYSET_FILE).read_text().rstrip())
        return
    click.echo(f"margin key set, {statement} statement, S={book.S} H={book.H} k={book.k}: "
               f"{directory} ({time.perf_counter() - t0:.1f} s)")
    for keys in prover.keys:
        click.echo(f"  {keys.name:7} N={keys.shape.N:<3} K={keys.shape.K:<2} "
                   f"{keys.constraints:>9,} constraints  domain 2^{keys.prover.zkey.power}")
    if ptau is None:
        click.echo("WARNING: development keys from a local ceremony: INSECURE, whoever ran it "
                   "can forge proofs. Use --ptau with a public ceremony's file in production.")


@click.command("prove")
@click.argument("account")
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON")
@click.option("--market", "market", default=None, help="market snapshot (or 'default')")
@click.option("--keys", "keys", required=True, type=click.Path(exists=True, file_okay=False),
              help="key set from `zkmargin setup margin`")
@click.option("-o", "--output", "directory", required=True, type=click.Path(file_okay=False),
              help="directory for proof.json, public.json, report.json and statement.json")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
def prove_cmd(account: str, riskbook: str | None, market: str | None, keys: str,
              directory: str, as_json: bool) -> None:
    """Prove ACCOUNT's ZKM-1 margin on a risk book (positions stay private), at the
    smallest shape of the key set that holds the account.  The four output files are
    written all together or not at all."""
    from prover.files import save_json
    from zkbase.files import check_output_paths, output_group
    from zkmargin.api import MarginProver, statement_json

    out = Path(directory)
    names = ("proof.json", "public.json", "report.json", "statement.json")
    key_files = [p for p in Path(keys).rglob("*") if p.is_file()]
    check_output_paths([out / n for n in names], [account, riskbook, market, *key_files])
    book = load_book(riskbook, market, for_proof=True)
    acct = load_checked_account(account, book)
    prover = MarginProver.load(keys)
    result = prover.prove(acct, book)
    stmt = statement_json(prover, result)
    for name in names:
        target = out / name
        if target.exists() and not target.is_file():
            raise ValueError(f"{target}: exists and is not a regular file (nothing written)")
    out.mkdir(parents=True, exist_ok=True)
    with output_group() as files:  # all four or none
        save_json(out / "proof.json", result.proof, files)
        save_json(out / "public.json", result.public, files)
        save_json(out / "report.json", result.report.to_json(), files)
        save_json(out / "statement.json", stmt, files)
    if as_json:
        click.echo(json.dumps({"statement": result.statement, "shape": result.shape,
                               "vk_sha256": stmt["vk_sha256"],
                               "public": {k: str(v) for k, v in result.public_named.items()},
                               "timings": result.timings}, indent=1))
        return
    click.echo(f"proved {result.statement} margin statement at shape {result.shape} in "
               f"{result.timings['prove']:.2f} s (witness {result.timings['witness']:.2f} s): "
               f"files in {directory}")
    for name, value in result.public_named.items():
        shown = _usd(value) if name in ("equity", "mm", "im") else str(value)
        click.echo(f"  {name:20} {shown}")


def register(group: click.Group) -> None:
    """Add ``prove`` and ``setup margin`` (``demo`` is in commands.demo)."""
    group.add_command(prove_cmd)
    setup = group.commands.get("setup")
    if isinstance(setup, click.Group):
        setup.add_command(setup_margin_cmd)
