"""CLI of the circuit layer: ``zkmargin circuit info`` and ``zkmargin circuit check``.

``circuit info FILE.r1cs`` prints the header of an iden3 ``.r1cs`` file (ours or
circom's) and its matrix density; ``circuit check FILE.r1cs FILE.wtns`` checks a
witness against it (exit 0 satisfied, 1 not satisfied, 2 unreadable input).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _summary(path: Path) -> dict:
    from circuits.r1cs import read_r1cs
    from circuits.stats import matrix_hash

    r1cs = read_r1cs(path)
    nnz = [sum(len(c[k]) for c in r1cs.constraints) for k in range(3)]
    return {"file": str(path), "curve": "bn128", "prime": str(r1cs.prime),
            "constraints": r1cs.n_constraints, "wires": r1cs.n_wires,
            "public_outputs": r1cs.n_pub_out, "public_inputs": r1cs.n_pub_in,
            "private_inputs": r1cs.n_prv_in, "labels": r1cs.n_labels,
            "nonzeros_a": nnz[0], "nonzeros_b": nnz[1], "nonzeros_c": nnz[2],
            "sha256": matrix_hash(r1cs)}


@click.group("circuit")
def circuit_group() -> None:
    """Inspect and check iden3 .r1cs / .wtns files."""


@circuit_group.command("info")
@click.argument("r1cs", type=_FILE)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def info_command(r1cs: Path, as_json: bool) -> None:
    """Print the header and matrix density of an .r1cs file."""
    s = _summary(r1cs)
    if as_json:
        click.echo(json.dumps(s, indent=1))
        return
    click.echo(f"{s['file']}: BN254 scalar field")
    click.echo(f"  constraints      {s['constraints']}")
    click.echo(f"  wires            {s['wires']} (public outputs {s['public_outputs']}, "
               f"public inputs {s['public_inputs']}, private inputs {s['private_inputs']})")
    click.echo(f"  labels           {s['labels']}")
    click.echo(f"  nonzeros A/B/C   {s['nonzeros_a']}/{s['nonzeros_b']}/{s['nonzeros_c']}")
    click.echo(f"  matrix sha256    {s['sha256']}")


@circuit_group.command("check")
@click.argument("r1cs", type=_FILE)
@click.argument("wtns", type=_FILE)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def check_command(r1cs: Path, wtns: Path, as_json: bool) -> None:
    """Check that the witness WTNS satisfies R1CS.  Exit 0 yes, 1 no, 2 bad input."""
    from circuits.r1cs import read_r1cs, read_wtns

    system = read_r1cs(r1cs)
    witness = read_wtns(wtns)
    idx = system.first_unsatisfied(witness)
    ok = idx is None
    if idx == -1:
        reason = f"witness has {len(witness)} values, the circuit {system.n_wires} wires, or w[0] != 1"
    elif idx is not None:
        reason = f"constraint #{idx} is not satisfied"
    else:
        reason = "all constraints satisfied"
    if as_json:
        click.echo(json.dumps({"satisfied": ok, "first_unsatisfied": idx, "reason": reason}))
    else:
        click.echo(f"{'OK' if ok else 'NOT SATISFIED'}: {reason}")
    sys.exit(0 if ok else 1)


def register(group: click.Group) -> None:
    """Add the ``circuit`` command group."""
    group.add_command(circuit_group)
