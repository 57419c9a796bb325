"""CLI of the oracle gate: ``snapshot aggregate`` and ``oracle keygen|address|attest|check|calldata``.

``oracle check`` answers yes/no: exit 0 when at least K distinct listed oracles signed
the book for this chain and contract (and it is fresh enough), 1 otherwise, 2 on bad
input.
"""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Optional

import click

EXIT_ACCEPT, EXIT_REJECT = 0, 1
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _load_attestations(paths: tuple[Path, ...]) -> list:
    from verifier.attestation import attestation_from_json
    from zkbase.jsonio import read_json

    return [attestation_from_json(read_json(p), str(p)) for p in paths]


@click.group("snapshot")
def snapshot_group() -> None:
    """Market snapshots: aggregate several oracles' snapshots into one."""


@snapshot_group.command("aggregate")
@click.argument("sources", nargs=-1, required=True, type=_FILE)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="where to write the aggregated snapshot")
@click.option("--quorum", type=int, default=None,
              help="agreeing sources needed per value (default: a strict majority)")
@click.option("--max-deviation", default="0.02", show_default=True,
              help="largest relative distance from the median that still agrees")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def aggregate_cmd(sources: tuple[Path, ...], output: Path, quorum: Optional[int],
                  max_deviation: str, as_json: bool) -> None:
    """Median of every price and volatility over the SOURCES snapshots."""
    from engine.aggregate import aggregate_snapshots
    from engine.decimal import parse_fraction
    from zkbase.files import atomic_write_text, check_output_paths
    from zkbase.jsonio import read_json

    check_output_paths([output], sources)
    bound: Fraction = parse_fraction(max_deviation, "--max-deviation")
    agg = aggregate_snapshots([(str(p), read_json(p)) for p in sources], quorum=quorum,
                              max_deviation=bound)
    atomic_write_text(output, json.dumps(agg.snapshot, indent=1, ensure_ascii=False) + "\n")
    report = {"output": str(output), **agg.report()}
    if as_json:
        click.echo(json.dumps(report, indent=1))
        return
    click.echo(f"wrote {output}: {agg.values} values from {len(sources)} sources "
               f"(quorum {agg.quorum}, max deviation {float(agg.max_deviation):.2%})")
    for x in agg.left_out:
        click.echo(f"  left out {x.source}: {x.field} = {x.value} "
                   f"(median {x.median}, off by {float(x.deviation):.2%})")


@click.group("oracle")
def oracle_group() -> None:
    """Oracle keys and EIP-712 attestations of a risk book's market commitment."""


@oracle_group.command("keygen")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="the key file to create (owner-only permissions)")
@click.option("--force", is_flag=True, help="replace an existing key file")
@click.option("--json", "as_json", is_flag=True)
def keygen_cmd(output: Path, force: bool, as_json: bool) -> None:
    """Make a new secp256k1 oracle key."""
    from zkmargin.oracle import new_key, write_key

    if output.exists() and not force:
        raise click.UsageError(f"{output}: exists; a key is not overwritten without --force")
    key = new_key()
    write_key(output, key)
    if as_json:
        click.echo(json.dumps({"output": str(output), "address": key["address"]}))
    else:
        click.echo(f"wrote {output} (mode 0600); oracle address {key['address']}")


@oracle_group.command("address")
@click.argument("key", type=_FILE)
def address_cmd(key: Path) -> None:
    """Print the Ethereum address of an oracle KEY file."""
    from zkmargin.oracle import load_key

    click.echo(load_key(key).address)


@oracle_group.command("attest")
@click.argument("book", type=_FILE)
@click.option("--key", "key", required=True, type=_FILE, help="the oracle's key file")
@click.option("--chain-id", required=True, type=click.IntRange(min=0))
@click.option("--verifier", required=True, help="address of the gate contract")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def attest_cmd(book: Path, key: Path, chain_id: int, verifier: str, output: Path,
               as_json: bool) -> None:
    """Sign BOOK's market commitment and time for one chain and gate contract."""
    from engine.riskbook import RiskBook
    from zkbase.files import atomic_write_text, check_output_paths
    from zkmargin.oracle import attest, load_key

    check_output_paths([output], [book, key])
    att = attest(RiskBook.load(book), load_key(key), chain_id=chain_id, verifier=verifier)
    atomic_write_text(output, json.dumps(att.to_json(), indent=1) + "\n")
    if as_json:
        click.echo(json.dumps({"output": str(output), **att.to_json()}))
    else:
        click.echo(f"wrote {output}: {att.signer} attests market_commitment "
                   f"{att.market_commitment} at book time {att.book_time} "
                   f"(chain {att.chain_id}, contract {att.verifier})")


@oracle_group.command("check")
@click.argument("book", type=_FILE)
@click.argument("attestations", nargs=-1, type=_FILE)
@click.option("--oracles", required=True, type=_FILE, help='{"oracles": ["0x...", ...]}')
@click.option("--threshold", required=True, type=click.IntRange(min=1))
@click.option("--chain-id", required=True, type=click.IntRange(min=0))
@click.option("--verifier", required=True, help="address of the gate contract")
@click.option("--max-age", type=click.IntRange(min=0), default=None,
              help="refuse a book older than this many seconds (or dated in the future)")
@click.option("--now", type=click.IntRange(min=0), default=None,
              help="Unix time to check freshness at (default: the clock)")
@click.option("--json", "as_json", is_flag=True)
def check_cmd(book: Path, attestations: tuple[Path, ...], oracles: Path, threshold: int,
              chain_id: int, verifier: str, max_age: Optional[int], now: Optional[int],
              as_json: bool) -> None:
    """Do K distinct listed oracles vouch for BOOK? Exit 0 yes, 1 no (with the reason)."""
    from engine.riskbook import RiskBook
    from verifier.attestation import check_attestations, checksum_address, oracles_from_json
    from zkbase.jsonio import read_json
    from zkmargin.oracle import book_time

    risk_book = RiskBook.load(book)
    listed = oracles_from_json(read_json(oracles), str(oracles))
    atts = _load_attestations(attestations)
    result = check_attestations(risk_book.commitment["market_commitment"], book_time(risk_book),
                                atts, oracles=listed, threshold=threshold, chain_id=chain_id,
                                verifier=checksum_address(verifier, "--verifier"),
                                max_age=max_age, now=now)
    if as_json:
        click.echo(json.dumps({"accept": result.ok, "reason": result.reason,
                               "signers": result.signers, "ignored": result.ignored}))
    else:
        click.echo("accept" if result.ok else f"reject: {result.reason}")
        for signer in result.signers:
            click.echo(f"  counted {signer}")
        for line in result.ignored:
            click.echo(f"  ignored {line}")
    raise SystemExit(EXIT_ACCEPT if result.ok else EXIT_REJECT)


@oracle_group.command("calldata")
@click.argument("book", type=_FILE)
@click.argument("attestations", nargs=-1, required=True, type=_FILE)
def calldata_cmd(book: Path, attestations: tuple[Path, ...]) -> None:
    """Hex calldata of the gate's postMarket(commitment, bookTime, signatures)."""
    from engine.riskbook import RiskBook
    from verifier.gate import post_market_calldata
    from zkmargin.oracle import book_time

    risk_book = RiskBook.load(book)
    atts = _load_attestations(attestations)
    click.echo("0x" + post_market_calldata(risk_book.commitment["market_commitment"],
                                           book_time(risk_book),
                                           [a.signature for a in atts]).hex())


def register(group: click.Group) -> None:
    """Add the ``snapshot`` and ``oracle`` groups to the CLI."""
    group.add_command(snapshot_group)
    group.add_command(oracle_group)
