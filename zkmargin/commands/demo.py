"""``zkmargin demo``: the whole pipeline on the bundled data.

Prints the margin of every bundled example account, then proves each one at its
auto-selected shape (the smallest that holds it), verifies every proof natively and
replays the generated Solidity verifier on it, and prints one table: account, status,
equity, MM, IM, shape, constraints, witness + prove time, verify time, gas, and whether
one proof fits in a block of Ethereum (12 s), an OP Stack chain (2 s) and Arbitrum
One (0.25 s).  ``--json`` prints the same as data.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Optional

import click


@click.command("demo")
@click.option("--market", "market", default="default", help="market snapshot (default: bundled)")
@click.option("--keys", type=click.Path(file_okay=False), default=None,
              help="key set directory (default: cached INSECURE development keys)")
@click.option("--no-prove", is_flag=True, help="margins only, no proofs")
@click.option("--json", "as_json", is_flag=True, help="print margins and proofs as JSON")
def demo_cmd(market: str, keys: Optional[str], no_prove: bool, as_json: bool) -> None:
    """The pipeline on bundled data: margins, a proof per account, native and on-chain checks."""
    from engine.report import EXPLANATION, format_examples, run_examples
    from zkmargin.bench import keys as keymod
    from zkmargin.bench.chains import DEMO_CHAINS, DEFAULT_CHAINS
    from zkmargin.bench.demo import format_rows, prove_accounts
    from zkmargin.bench.progress import Progress

    book, examples = run_examples(market)
    say = (lambda *_: None) if as_json else click.echo
    say(f"ZKM-1 margin of the bundled example accounts (risk book {book.time}, "
        f"{len(book.instruments)} instruments, S={book.S}, H={book.H})")
    say(format_examples(examples))
    say(EXPLANATION)
    accounts = [dataclasses.replace(e.account, name=e.name) for e in examples]
    chains = [c for c in DEFAULT_CHAINS if c.name in DEMO_CHAINS]
    out = {"book": {"time": str(book.time), "market_commitment":
                    str(book.commitment["market_commitment"])},
           "margins": [{"account": e.name, **e.report.to_json()} for e in examples]}
    if no_prove:
        if as_json:
            click.echo(json.dumps(out, indent=1, ensure_ascii=False))
        return
    from zkmargin.api import MarginProver

    if keys:
        prover = MarginProver.load(keys)
        key_note = f"key set {keys}"
    else:
        needed = sorted({keymod.smallest_standard_shape(a) for a in accounts},
                        key=keymod.parse_shape)
        keygen = Progress(1, enabled=not as_json)
        if not (keymod.dev_keyset_dir(book, "-".join(needed)) / "keyset.json").is_file():
            say(f"Development keys for {', '.join(needed)} (INSECURE; made once, then cached) ...")
        prover = MarginProver.cached_dev(
            book, needed, progress=lambda step, total, msg: keygen.tick(msg, total))
        key_note = f"development keys (INSECURE) cached in {keymod.cache_dir()}"
    say(f"\nProving every account at its shape ({key_note}) ...")
    progress = Progress(len(accounts), enabled=not as_json)
    state = {"started": False}

    def on_account(label: str) -> None:
        if state["started"]:
            progress.done()
        progress.start(f"proving {label}")
        state["started"] = True

    rows = prove_accounts(book, accounts, prover, chains, on_account)
    progress.done()
    out["proofs"] = rows
    out["chains"] = [c.to_json() for c in chains]
    if as_json:
        click.echo(json.dumps(out, indent=1, ensure_ascii=False))
        return
    say("")
    say(format_rows(rows, chains))
    say(f"All {len(rows)} proofs verified natively and by the Solidity verifier (replayed); "
        "a chain gets ✓ when one account's witness + proof take at most one block.")


def register(group: click.Group) -> None:
    """Add ``demo``."""
    group.add_command(demo_cmd)
