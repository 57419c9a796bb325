"""CLI of the verifier layer: ``verify``, ``export-solidity``, ``calldata``.

``zkmargin verify VK PUBLIC PROOF`` (snarkjs's argument order) or ``zkmargin verify
--keys KEYSET DIR`` (a proof directory of ``zkmargin prove``, checked with its shape's
vk) exits 0 when the proof is accepted, 1 when it is rejected and 2 on unreadable input.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

EXIT_ACCEPT, EXIT_REJECT = 0, 1
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _evm_report(result: Any) -> dict[str, Any]:
    return {
        "accept": result.accept, "gas_used": result.gas_used, "reason": result.reason,
        "intrinsic_gas": result.intrinsic_gas, "execution_gas": result.execution_gas,
        "tx_failed": result.tx_failed,
        "calls": [{"address": f"0x{c.address:02x}", "input": c.input.hex(),
                   "gas_forwarded": c.gas_forwarded, "success": c.success,
                   "output": c.output.hex(), "gas_used": c.gas_used} for c in result.calls],
    }


def _print_evm(result: Any) -> None:
    names = {0x06: "ecAdd", 0x07: "ecMul", 0x08: "ecPairing"}
    click.echo(f"on-chain (our Verifier.sol, Prague rules): {'accept' if result.accept else 'reject'}")
    for i, c in enumerate(result.calls):
        status = "ok" if c.success else "FAILED"
        click.echo(f"  call {i + 1}: {names[c.address]} (0x{c.address:02x}) {len(c.input)} bytes, "
                   f"gas {c.gas_used} {status} -> {c.output.hex() or '(no output)'}")
    if result.gas_used is None:
        click.echo(f"  gas: not available ({result.reason})")
    else:
        click.echo(f"  gas: {result.gas_used} (intrinsic {result.intrinsic_gas} + execution "
                   f"{result.execution_gas}, EIP-7623 floor applied if larger)")


@click.command("verify")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--keys", "keyset", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Key set: verify the proof directory DIR with its shape's vk.")
@click.option("--evm", "evm", is_flag=True, help="Also replay our Solidity verifier: gas and each precompile call.")
@click.option("--gas-limit", type=int, default=1_000_000, show_default=True, help="Transaction gas limit for --evm.")
@click.option("--backend", type=click.Choice(["auto", "native", "py_ecc"]), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def verify_command(paths: tuple[Path, ...], keyset: Path | None, evm: bool, gas_limit: int,
                   backend: str, as_json: bool) -> None:
    """Verify a Groth16 proof: ``verify VK PUBLIC PROOF`` (snarkjs JSON files, snarkjs's
    order) or ``verify --keys KEYSET DIR`` (a directory written by ``zkmargin prove``:
    its statement.json names the shape, whose vk in KEYSET is used).

    Exit status: 0 accept, 1 reject, 2 bad input.
    """
    from verifier.groth16 import check
    from verifier.keys import load_proof, load_public, load_vk

    shape = None
    files: tuple[Path, Path, Path] | None = None
    if keyset is not None:
        if len(paths) != 1 or not paths[0].is_dir():
            raise click.UsageError("with --keys KEYSET give one proof directory DIR")
        from zkmargin.api import verify_proof_dir
        from zkmargin.keyset import VK_FILE

        verdict = verify_proof_dir(keyset, paths[0], backend)
        shape = verdict.shape
        vk_path = keyset / shape / VK_FILE
        if verdict.accept or vk_path.is_file():
            files = (vk_path, paths[0] / "public.json", paths[0] / "proof.json")
    else:
        if len(paths) != 3 or any(p.is_dir() for p in paths):
            raise click.UsageError("give VK PUBLIC PROOF files, or --keys KEYSET DIR")
        files = (paths[0], paths[1], paths[2])
        verdict = check(load_vk(files[0]), load_public(files[1]), load_proof(files[2]),
                        backend=backend)
    report: dict[str, Any] = {"accept": verdict.accept, "reason": verdict.reason}
    if shape is not None:
        report["shape"] = shape
    onchain = None
    if evm and files is not None:
        from verifier.onchain import verify_onchain

        key, inputs, prf = load_vk(files[0]), load_public(files[1]), load_proof(files[2])
        onchain = verify_onchain(key, inputs, prf, gas_limit=gas_limit)
        report["evm"] = _evm_report(onchain)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        where = f" (shape {shape})" if shape else ""
        click.echo(f"accept{where}" if verdict.accept else f"reject{where}: {verdict.reason}")
        if onchain is not None:
            _print_evm(onchain)
    accepted = verdict.accept and (onchain is None or onchain.accept)
    sys.exit(EXIT_ACCEPT if accepted else EXIT_REJECT)


@click.command("export-solidity")
@click.argument("vk", type=_FILE)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write Verifier.sol.")
def export_solidity_command(vk: Path, output: Path) -> None:
    """Write our Groth16 verifier contract for VK (snarkjs verification_key.json)."""
    from verifier.keys import load_vk
    from verifier.solidity import CONTRACT_NAME, write_solidity
    from zkbase.files import check_output_paths

    check_output_paths([output], [vk])
    key = load_vk(vk)
    from verifier.errors import VerifierError
    from verifier.groth16 import vk_problem

    problem = vk_problem(key)  # points on their curves, G2 points in the subgroup
    if problem is not None:
        raise VerifierError(f"{vk}: {problem}")
    write_solidity(key, output)
    click.echo(f"wrote {output}: contract {CONTRACT_NAME}, {key.n_public} public inputs")


@click.command("calldata")
@click.argument("public", type=_FILE)
@click.argument("proof", type=_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the four ABI arguments as JSON (snarkjs shape).")
def calldata_command(public: Path, proof: Path, as_json: bool) -> None:
    """Print the ABI calldata of verifyProof for PUBLIC and PROOF (0x hex; G2 imaginary part first)."""
    from verifier.calldata import calldata_arguments, encode_calldata
    from verifier.keys import load_proof, load_public

    inputs, prf = load_public(public), load_proof(proof)
    if as_json:
        click.echo(json.dumps(calldata_arguments(inputs, prf)))
    else:
        click.echo("0x" + encode_calldata(inputs, prf).hex())


def register(group: click.Group) -> None:
    """Add the verifier's commands to the ``zkmargin`` group."""
    group.add_command(verify_command)
    group.add_command(export_solidity_command)
    group.add_command(calldata_command)
