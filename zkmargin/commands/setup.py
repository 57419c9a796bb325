"""CLI: ``zkmargin setup`` - powers of tau and Groth16 keys (prover layer).

* ``zkmargin setup --dev --power K -o dev.ptau``: an INSECURE local ceremony;
* ``zkmargin setup new R1CS PTAU ZKEY [--vk VK]``: circuit-specific setup;
* ``zkmargin setup dev-key R1CS ZKEY [--vk VK]``: an INSECURE key without a ptau;
* ``zkmargin setup contribute IN OUT [--name N]``: a phase-2 contribution;
* ``zkmargin setup verify R1CS PTAU ZKEY``: check a key against r1cs and ptau;
* ``zkmargin setup export-vk ZKEY VK``: the verification key as snarkjs JSON.
"""
from __future__ import annotations

import json
import sys
import time

import click

INSECURE = ("WARNING: INSECURE development ceremony - whoever ran it knew tau and can forge "
            "proofs; never use this file in production")


@click.group("setup", invoke_without_command=True)
@click.option("--dev", is_flag=True, help="run an INSECURE local powers-of-tau ceremony")
@click.option("--power", type=int, default=None, help="ceremony size 2^POWER (with --dev)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="output .ptau (with --dev)")
@click.option("--seed", type=int, default=None, hidden=True,
              help="deterministic secrets (tests only)")
@click.option("--json", "as_json", is_flag=True, help="print a JSON summary")
@click.pass_context
def setup_group(ctx: click.Context, dev: bool, power: int | None, output: str | None,
                seed: int | None, as_json: bool) -> None:
    """Powers of tau and Groth16 key setup (snarkjs-compatible files)."""
    if ctx.invoked_subcommand is not None:
        return
    if not dev or power is None or output is None:
        raise click.UsageError("use `zkmargin setup --dev --power K -o FILE.ptau` or a "
                               "sub-command (new, contribute, verify, export-vk)")
    from prover.ceremony import dev_ceremony

    start = time.perf_counter()
    dev_ceremony(output, power, seed=seed)
    secs = time.perf_counter() - start
    click.echo(INSECURE, err=True)
    if as_json:
        click.echo(json.dumps({"output": output, "power": power, "insecure": True,
                               "seconds": round(secs, 3)}))
    else:
        click.echo(f"wrote {output}: development powers of tau 2^{power}, prepared for "
                   f"phase 2, in {secs:.2f} s (INSECURE)")


@setup_group.command("new")
@click.argument("r1cs", type=click.Path(exists=True, dir_okay=False))
@click.argument("ptau", type=click.Path(exists=True, dir_okay=False))
@click.argument("zkey", type=click.Path(dir_okay=False))
@click.option("--vk", type=click.Path(dir_okay=False), default=None,
              help="also write verification_key.json here")
def new_cmd(r1cs: str, ptau: str, zkey: str, vk: str | None) -> None:
    """Circuit-specific Groth16 setup of R1CS on PTAU, written to ZKEY."""
    from prover.files import setup_files

    start = time.perf_counter()
    z = setup_files(r1cs, ptau, zkey, vk)
    click.echo(f"wrote {zkey}: {z.n_vars} wires, {z.n_public} public, domain "
               f"2^{z.power}, circuit hash {z.mpc.cs_hash.hex()[:16]}... "
               f"({time.perf_counter() - start:.2f} s)")
    if vk:
        click.echo(f"wrote {vk}")


@setup_group.command("dev-key")
@click.argument("r1cs", type=click.Path(exists=True, dir_okay=False))
@click.argument("zkey", type=click.Path(dir_okay=False))
@click.option("--vk", type=click.Path(dir_okay=False), default=None,
              help="also write verification_key.json here")
@click.option("--seed", type=int, default=None, hidden=True)
def dev_key_cmd(r1cs: str, zkey: str, vk: str | None, seed: int | None) -> None:
    """INSECURE development key for R1CS straight from random secrets (no ptau)."""
    from prover.files import load_r1cs, save_json, save_zkey
    from prover.ceremony import draw_toxic_waste
    from prover.dev_keys import dev_zkey
    from prover.formats import verification_key_json
    from zkbase.files import check_output_paths, output_group

    check_output_paths([zkey, vk], [r1cs])
    start = time.perf_counter()
    z = dev_zkey(load_r1cs(r1cs), draw_toxic_waste(seed))
    with output_group() as out:  # both files or neither
        save_zkey(zkey, z, out)
        if vk:
            save_json(vk, verification_key_json(z), out)
    click.echo(INSECURE, err=True)
    click.echo(f"wrote {zkey}: {z.n_vars} wires, domain 2^{z.power} "
               f"({time.perf_counter() - start:.2f} s, INSECURE)")


@setup_group.command("contribute")
@click.argument("zkey_in", type=click.Path(exists=True, dir_okay=False))
@click.argument("zkey_out", type=click.Path(dir_okay=False))
@click.option("--name", default="", help="contributor name recorded in the key")
@click.option("--seed", type=int, default=None, hidden=True)
def contribute_cmd(zkey_in: str, zkey_out: str, name: str, seed: int | None) -> None:
    """Add a phase-2 contribution (random delta) to ZKEY_IN, writing ZKEY_OUT."""
    from prover.files import contribute_files

    digest = contribute_files(zkey_in, zkey_out, name, seed)
    click.echo(f"wrote {zkey_out}; contribution hash {digest.hex()}")


@setup_group.command("verify")
@click.argument("r1cs", type=click.Path(exists=True, dir_okay=False))
@click.argument("ptau", type=click.Path(exists=True, dir_okay=False))
@click.argument("zkey", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
def verify_cmd(r1cs: str, ptau: str, zkey: str, as_json: bool) -> None:
    """Check that ZKEY was set up from R1CS and PTAU (exit 1 if not)."""
    from prover.files import verify_files

    rep = verify_files(r1cs, ptau, zkey)
    if as_json:
        click.echo(json.dumps({"ok": rep.ok, "problems": rep.problems,
                               "circuit_hash": rep.cs_hash.hex(),
                               "contributions": [{"name": n, "hash": h.hex()}
                                                 for n, h in rep.contributions]}))
    else:
        for i, (n, h) in enumerate(rep.contributions):
            click.echo(f"contribution #{i + 1} {n}: {h.hex()[:32]}...")
        click.echo("zkey OK" if rep.ok else "zkey INVALID: " + "; ".join(rep.problems))
    if not rep.ok:
        sys.exit(1)


@setup_group.command("export-vk")
@click.argument("zkey", type=click.Path(exists=True, dir_okay=False))
@click.argument("vk", type=click.Path(dir_okay=False))
def export_vk_cmd(zkey: str, vk: str) -> None:
    """Write ZKEY's verification key as snarkjs JSON."""
    from prover.files import save_json
    from prover.formats import verification_key_json
    from prover.zkey import read_zkey
    from zkbase.files import check_output_paths

    check_output_paths([vk], [zkey])
    save_json(vk, verification_key_json(read_zkey(zkey)))
    click.echo(f"wrote {vk}")


def register(group: click.Group) -> None:
    group.add_command(setup_group)
