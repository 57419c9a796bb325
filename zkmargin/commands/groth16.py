"""CLI: ``zkmargin groth16`` - snarkjs-shaped proving and verification.

``zkmargin groth16 prove ZKEY WTNS PROOF PUBLIC`` and
``zkmargin groth16 verify VK PUBLIC PROOF`` take and write the same files as
``snarkjs groth16 prove/verify``; ``zkmargin groth16 setup R1CS PTAU ZKEY`` is
``snarkjs groth16 setup``.
"""
from __future__ import annotations

import json
import sys
import time

import click


@click.group("groth16")
def groth16_group() -> None:
    """Groth16 prove / verify / setup with snarkjs's file formats."""


@groth16_group.command("prove")
@click.argument("zkey", type=click.Path(exists=True, dir_okay=False))
@click.argument("wtns", type=click.Path(exists=True, dir_okay=False))
@click.argument("proof", type=click.Path(dir_okay=False))
@click.argument("public", type=click.Path(dir_okay=False))
@click.option("--threads", type=int, default=None, help="worker threads (default: all cores)")
@click.option("--json", "as_json", is_flag=True, help="print timings as JSON")
def prove_cmd(zkey: str, wtns: str, proof: str, public: str, threads: int | None,
              as_json: bool) -> None:
    """Prove WTNS with ZKEY; write PROOF and PUBLIC (snarkjs JSON)."""
    from prover.files import save_json
    from prover.prove import prove_files
    from zkbase.files import check_output_paths, output_group

    check_output_paths([proof, public], [zkey, wtns])
    start = time.perf_counter()
    p = prove_files(zkey, wtns, threads=threads)
    with output_group() as out:  # both files or neither
        save_json(proof, p.to_json(), out)
        save_json(public, p.public_json(), out)
    secs = time.perf_counter() - start
    if as_json:
        click.echo(json.dumps({"proof": proof, "public": public, "seconds": round(secs, 4),
                               "timings": {k: round(v, 4) for k, v in p.timings.items()}}))
    else:
        click.echo(f"wrote {proof} and {public} ({len(p.public)} public signals, "
                   f"{secs:.2f} s)")


@groth16_group.command("verify")
@click.argument("vk", type=click.Path(exists=True, dir_okay=False))
@click.argument("public", type=click.Path(exists=True, dir_okay=False))
@click.argument("proof", type=click.Path(exists=True, dir_okay=False))
def verify_cmd(vk: str, public: str, proof: str) -> None:
    """Check PROOF for PUBLIC under VK (snarkjs JSON files); exit 1 when invalid."""
    from prover.files import load_json
    from verifier import verify  # the verifier layer owns the verification equation

    ok = verify(load_json(vk, "verification key"), load_json(public, "public signals"),
                load_json(proof, "proof"))
    click.echo("OK" if ok else "INVALID proof")
    if not ok:
        sys.exit(1)


@groth16_group.command("setup")
@click.argument("r1cs", type=click.Path(exists=True, dir_okay=False))
@click.argument("ptau", type=click.Path(exists=True, dir_okay=False))
@click.argument("zkey", type=click.Path(dir_okay=False))
@click.option("--vk", type=click.Path(dir_okay=False), default=None,
              help="also write verification_key.json here")
def setup_cmd(r1cs: str, ptau: str, zkey: str, vk: str | None) -> None:
    """Circuit-specific setup (same as `zkmargin setup new`)."""
    from prover.files import setup_files

    z = setup_files(r1cs, ptau, zkey, vk)
    click.echo(f"wrote {zkey}: {z.n_vars} wires, domain 2^{z.power}")


def register(group: click.Group) -> None:
    group.add_command(groth16_group)
