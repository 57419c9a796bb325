"""CLI of the verifier layer: ``verify``, ``export-solidity``, ``calldata``.

``zkmargin verify VK PUBLIC PROOF`` (snarkjs's argument order), ``zkmargin verify
--keys KEYSET DIR`` (a proof directory of ``zkmargin prove``, checked with its shape's
vk) or ``zkmargin verify --batch --keys KEYSET DIR...`` (many proof directories, one
batch check per shape) exits 0 when every proof is accepted, 1 when one is rejected and
2 on unreadable input.  ``export-solidity --keys KEYSET`` writes the key-set contract;
``calldata --batch DIR...`` prints verifyBatch's calldata.
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


def keyset_vks(keyset: Path) -> tuple[Any, list[tuple[str, Any]]]:
    """The manifest of KEYSET and ``[(shape name, parsed vk)]`` in manifest order (the
    key-set contract's shape indices); each vk file must match its ``vk_sha256``."""
    from verifier.keys import load_vk
    from zkmargin.keyset import VK_FILE, MarginKeyError, file_sha256, read_manifest

    manifest = read_manifest(keyset)
    vks = []
    for entry in manifest.shapes:
        path = keyset / entry.name / VK_FILE
        if not path.is_file():
            raise MarginKeyError(f"{path}: missing")
        if file_sha256(path) != entry.vk_sha256:
            raise MarginKeyError(f"{path}: its sha256 is not the vk_sha256 of keyset.json")
        vks.append((entry.name, load_vk(path)))
    return manifest, vks


def read_proof_dir(directory: Path) -> dict[str, Any]:
    """``statement.json``, ``public.json`` and ``proof.json`` of a ``zkmargin prove`` output."""
    from verifier.keys import load_proof, load_public
    from zkmargin.keyset import STATEMENT_FILE, MarginKeyError, load_json_file

    path = directory / STATEMENT_FILE
    stmt = load_json_file(path)
    if not isinstance(stmt, dict) or not all(isinstance(stmt.get(k), str)
                                             for k in ("shape", "statement", "vk_sha256")):
        raise MarginKeyError(f"{path}: expected {{\"shape\", \"statement\", \"vk_sha256\"}} strings")
    return {"dir": directory, "statement": stmt, "public": load_public(directory / "public.json"),
            "proof": load_proof(directory / "proof.json")}


def _batch_groups(manifest: Any, vks: list[tuple[str, Any]], dirs: list[dict[str, Any]],
                  results: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Indices of the proof directories per shape; a directory whose statement, shape or
    vk does not match the key set is rejected in ``results`` and left out."""
    entries = {e.name: e for e in manifest.shapes}
    groups: dict[str, list[int]] = {}
    for j, d in enumerate(dirs):
        stmt = d["statement"]
        name = stmt["shape"]
        reason = ""
        if stmt["statement"] != manifest.statement:
            reason = f"{stmt['statement']!r} statement, the key set proves {manifest.statement!r}"
        elif name not in entries:
            reason = f"shape {name!r} is not in the key set"
        elif stmt["vk_sha256"] != entries[name].vk_sha256:
            reason = f"proved with another verification key than the key set's {name}"
        if reason:
            results[j].update(accept=False, reason=reason)
        else:
            groups.setdefault(name, []).append(j)
    return groups


def verify_batch_dirs(keyset: Path, paths: tuple[Path, ...], backend: str, evm: bool,
                      gas_limit: int) -> dict[str, Any]:
    """Batch-verify proof directories: one :func:`verifier.batch.verify_batch` per shape
    (and with ``evm`` one replay of the key-set contract's verifyBatch per shape)."""
    from verifier.batch import verify_batch
    from verifier.onchain import verify_onchain_batch

    if not paths or any(not p.is_dir() for p in paths):
        raise click.UsageError("with --batch give one or more proof directories DIR...")
    manifest, vks = keyset_vks(keyset)
    index = {name: k for k, (name, _) in enumerate(vks)}
    dirs = [read_proof_dir(p) for p in paths]
    results = [{"dir": str(d["dir"]), "shape": d["statement"]["shape"], "accept": True,
                "reason": ""} for d in dirs]
    shapes: dict[str, Any] = {}
    for name, members in _batch_groups(manifest, vks, dirs, results).items():
        vk = vks[index[name]][1]
        items = [(dirs[j]["public"], dirs[j]["proof"]) for j in members]
        verdict = verify_batch(vk, items, backend)
        for pos, j in enumerate(members):
            if pos in verdict.reasons:
                results[j].update(accept=False, reason=verdict.reasons[pos])
        shapes[name] = {"shape_index": index[name], "count": len(members),
                        "accept": verdict.accept}
        if evm:
            if any(len(public) != vk.n_public for public, _ in items):
                shapes[name]["evm"] = {"accept": False, "gas_used": None,
                                       "reason": "a proof's public-input count is not the key's"}
            else:
                onchain = verify_onchain_batch(vk, items, gas_limit, shape=index[name])
                shapes[name]["evm"] = _evm_report(onchain)
    accept = all(r["accept"] for r in results) and all(
        s.get("evm", {"accept": True})["accept"] for s in shapes.values())
    return {"accept": accept, "proofs": results, "shapes": shapes}


def _print_batch(report: dict[str, Any]) -> None:
    for r in report["proofs"]:
        click.echo(f"{r['dir']}: {'accept' if r['accept'] else 'reject'} (shape {r['shape']})"
                   + ("" if r["accept"] else f": {r['reason']}"))
    for name, s in report["shapes"].items():
        line = f"shape {name} (index {s['shape_index']}): {s['count']} proofs, batch {'accept' if s['accept'] else 'reject'}"
        if "evm" in s:
            evm = s["evm"]
            gas = "n/a" if evm["gas_used"] is None else f"{evm['gas_used']} gas ({evm['gas_used'] // s['count']} per proof)"
            line += f"; on-chain verifyBatch: {'accept' if evm['accept'] else 'reject'}, {gas}"
        click.echo(line)
    click.echo("accept" if report["accept"] else "reject")


@click.command("verify")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--batch", is_flag=True, help="Verify many proof directories (needs --keys): one batch check per shape.")
@click.option("--keys", "keyset", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Key set: verify the proof directory DIR with its shape's vk.")
@click.option("--evm", "evm", is_flag=True, help="Also replay our Solidity verifier: gas and each precompile call.")
@click.option("--gas-limit", type=int, default=1_000_000, show_default=True, help="Transaction gas limit for --evm.")
@click.option("--backend", type=click.Choice(["auto", "native", "py_ecc"]), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--attestations", "attestations", type=_FILE, multiple=True,
              help="Oracle attestation (repeatable): also require the proof's market to be "
                   "one the margin gate accepts (with --oracles, --threshold, --chain-id, --gate).")
@click.option("--oracles", type=_FILE, default=None, help='{"oracles": ["0x...", ...]}')
@click.option("--threshold", type=click.IntRange(min=1), default=None)
@click.option("--chain-id", type=click.IntRange(min=0), default=None)
@click.option("--gate", "gate", default=None, help="address of the margin gate contract")
@click.option("--max-age", type=click.IntRange(min=0), default=None,
              help="refuse a book older than this many seconds")
@click.option("--now", type=click.IntRange(min=0), default=None,
              help="Unix time for --max-age (default: the clock)")
def verify_command(paths: tuple[Path, ...], batch: bool, keyset: Path | None, evm: bool,
                   gas_limit: int, backend: str, as_json: bool,
                   attestations: tuple[Path, ...], oracles: Path | None,
                   threshold: int | None, chain_id: int | None, gate: str | None,
                   max_age: int | None, now: int | None) -> None:
    """Verify a Groth16 proof: ``verify VK PUBLIC PROOF`` (snarkjs JSON files, snarkjs's
    order), ``verify --keys KEYSET DIR`` (a directory written by ``zkmargin prove``:
    its statement.json names the shape, whose vk in KEYSET is used), or ``verify --batch
    --keys KEYSET DIR...`` (all of them, one batch check per shape; a failing batch names
    the failing proofs; with --evm the key-set contract's verifyBatch is replayed).

    With ``--attestations`` the proof is accepted only if its market_commitment is one
    that the margin gate would accept: posted with signatures of at least --threshold
    distinct --oracles for --chain-id and --gate, and (with --max-age) fresh.

    Exit status: 0 accept, 1 reject, 2 bad input.
    """
    from verifier.groth16 import check
    from verifier.keys import load_proof, load_public, load_vk

    market_rule = _market_rule(attestations, oracles, threshold, chain_id, gate, max_age, now)
    if batch and market_rule is not None:
        raise click.UsageError("--attestations checks one proof; verify the batch's markets "
                               "one by one")
    if batch:
        if keyset is None:
            raise click.UsageError("--batch needs --keys KEYSET")
        batch_report = verify_batch_dirs(keyset, paths, backend, evm, gas_limit)
        if as_json:
            click.echo(json.dumps(batch_report, indent=2))
        else:
            _print_batch(batch_report)
        sys.exit(EXIT_ACCEPT if batch_report["accept"] else EXIT_REJECT)
    shape = None
    files: tuple[Path, Path, Path] | None = None
    if keyset is not None:
        if len(paths) != 1 or not paths[0].is_dir():
            raise click.UsageError("with --keys KEYSET give one proof directory DIR")
        from zkmargin.api import verify_proof_dir
        from zkmargin.keyset import VK_FILE, read_manifest

        verdict = verify_proof_dir(keyset, paths[0], backend)
        shape = verdict.shape
        if shape in read_manifest(keyset).shape_names:  # a shape of the set: its vk
            files = (keyset / shape / VK_FILE, paths[0] / "public.json",
                     paths[0] / "proof.json")
    else:
        if len(paths) != 3 or any(p.is_dir() for p in paths):
            raise click.UsageError("give VK PUBLIC PROOF files, or --keys KEYSET DIR")
        files = (paths[0], paths[1], paths[2])
        verdict = check(load_vk(files[0]), load_public(files[1]), load_proof(files[2]),
                        backend=backend)
    report: dict[str, Any] = {"accept": verdict.accept, "reason": verdict.reason}
    if shape is not None:
        report["shape"] = shape
    market = None
    if market_rule is not None and files is not None:
        from verifier.attestation import check_market

        atts, rule = market_rule
        market = check_market(load_public(files[1])[0], atts, **rule)
        report["market"] = {"accept": market.ok, "reason": market.reason,
                            "signers": market.signers, "ignored": market.ignored}
        if not market.ok:
            report["accept"] = False
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
        if market is not None:
            click.echo(f"market: attested by {len(market.signers)} oracle(s)" if market.ok
                       else f"market: reject: {market.reason}")
        if onchain is not None:
            _print_evm(onchain)
    accepted = (verdict.accept and (market is None or market.ok)
                and (onchain is None or onchain.accept))
    sys.exit(EXIT_ACCEPT if accepted else EXIT_REJECT)


def _market_rule(attestations: tuple[Path, ...], oracles: Path | None,
                 threshold: int | None, chain_id: int | None, gate: str | None,
                 max_age: int | None, now: int | None) -> tuple[list, dict[str, Any]] | None:
    """The attestations and the gate's rule from verify's options (None without any)."""
    from verifier.attestation import attestation_from_json, checksum_address, oracles_from_json
    from zkbase.jsonio import read_json

    given = [oracles, threshold, chain_id, gate]
    if not attestations:
        if any(v is not None for v in given + [max_age, now]):
            raise click.UsageError("--oracles, --threshold, --chain-id, --gate, --max-age "
                                   "and --now go with --attestations")
        return None
    if any(v is None for v in given):
        raise click.UsageError("--attestations needs --oracles, --threshold, --chain-id "
                               "and --gate")
    atts = [attestation_from_json(read_json(p), str(p)) for p in attestations]
    return atts, {"oracles": oracles_from_json(read_json(oracles), str(oracles)),
                  "threshold": threshold, "chain_id": chain_id,
                  "verifier": checksum_address(gate, "--gate"), "max_age": max_age,
                  "now": now}


@click.command("export-solidity")
@click.argument("vk", type=_FILE, required=False)
@click.option("--keys", "keyset", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Key set: one contract holding every shape's vk (verifyProof(uint8 shape, ...)).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write Verifier.sol.")
@click.option("--oracles", type=_FILE, default=None,
              help='With --keys: also the margin gate for these oracles ({"oracles": [...]}).')
@click.option("--threshold", type=click.IntRange(min=1), default=None,
              help="Distinct oracle signatures the gate needs to post a market.")
@click.option("--max-age", type=click.IntRange(min=1), default=None,
              help="Oldest book (seconds) the gate accepts, at posting and at verification.")
def export_solidity_command(vk: Path | None, keyset: Path | None, output: Path,
                            oracles: Path | None, threshold: int | None,
                            max_age: int | None) -> None:
    """Write our Groth16 verifier contract for VK (snarkjs verification_key.json), or with
    --keys KEYSET the key-set contract (shape index = position in keyset.json); with
    --oracles, --threshold and --max-age as well, the margin gate contract after it
    (deploy the key-set verifier, then the gate with its address)."""
    from verifier.keys import load_vk
    from verifier.solidity import CONTRACT_NAME, KEYSET_CONTRACT_NAME, write_keyset_solidity, write_solidity
    from zkbase.files import check_output_paths

    if (vk is None) == (keyset is None):
        raise click.UsageError("give either VK or --keys KEYSET")
    gate_options = (oracles, threshold, max_age)
    if any(v is not None for v in gate_options):
        if keyset is None or any(v is None for v in gate_options):
            raise click.UsageError("the margin gate needs --keys, --oracles, --threshold "
                                   "and --max-age")
        _export_gate(keyset, oracles, threshold, max_age, output)
        return
    if keyset is not None:
        check_output_paths([output], [keyset / "keyset.json"])
        _, vks = keyset_vks(keyset)
        write_keyset_solidity(vks, output)
        names = ", ".join(f"{k} = {name}" for k, (name, _) in enumerate(vks))
        click.echo(f"wrote {output}: contract {KEYSET_CONTRACT_NAME}, shapes {names}, "
                   f"{vks[0][1].n_public} public inputs")
        return
    check_output_paths([output], [vk])
    key = load_vk(vk)
    from verifier.errors import VerifierError
    from verifier.groth16 import vk_problem

    problem = vk_problem(key)  # points on their curves, G2 points in the subgroup
    if problem is not None:
        raise VerifierError(f"{vk}: {problem}")
    write_solidity(key, output)
    click.echo(f"wrote {output}: contract {CONTRACT_NAME}, {key.n_public} public inputs")


def _export_gate(keyset: Path, oracles: Path, threshold: int, max_age: int,
                 output: Path) -> None:
    """Write the key-set verifier and the margin gate into one Solidity file."""
    from verifier.attestation import oracles_from_json
    from verifier.gate import GATE_CONTRACT_NAME, render_gate
    from verifier.solidity import KEYSET_CONTRACT_NAME, render_keyset
    from zkbase.files import atomic_write_text, check_output_paths
    from zkbase.jsonio import read_json

    check_output_paths([output], [keyset / "keyset.json", oracles])
    _, vks = keyset_vks(keyset)
    listed = oracles_from_json(read_json(oracles), str(oracles))
    source = render_gate(listed, threshold, max_age, vks[0][1].n_public,
                         verifier_source=render_keyset(vks))
    atomic_write_text(output, source)
    click.echo(f"wrote {output}: contracts {KEYSET_CONTRACT_NAME} (shapes "
               f"{', '.join(f'{k} = {name}' for k, (name, _) in enumerate(vks))}) and "
               f"{GATE_CONTRACT_NAME} ({threshold} of {len(listed)} oracles, max age "
               f"{max_age} s)")


def batch_calldata(paths: tuple[Path, ...], keyset: Path | None, as_json: bool) -> str:
    """verifyBatch's calldata (or with ``as_json`` its two arguments) for proof directories
    of one shape; with ``keyset`` the key-set contract's form (shape index from it)."""
    from verifier.calldata import batch_arguments, encode_batch_calldata

    if not paths or any(not p.is_dir() for p in paths):
        raise click.UsageError("with --batch give one or more proof directories DIR...")
    dirs = [read_proof_dir(p) for p in paths]
    shapes = sorted({d["statement"]["shape"] for d in dirs})
    if len(shapes) != 1:
        raise click.UsageError(f"a batch holds proofs of one shape; these are of {', '.join(shapes)}")
    counts = {len(d["public"]) for d in dirs}
    if len(counts) != 1:
        raise click.UsageError("the proofs differ in their number of public inputs")
    items = [(d["public"], d["proof"]) for d in dirs]
    if as_json:
        return json.dumps(batch_arguments(items))
    index = None
    if keyset is not None:
        _, vks = keyset_vks(keyset)
        names = [name for name, _ in vks]
        if shapes[0] not in names:
            raise click.UsageError(f"shape {shapes[0]!r} is not in the key set {keyset}")
        index = names.index(shapes[0])
    return "0x" + encode_batch_calldata(items, counts.pop(), index).hex()


@click.command("calldata")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--batch", is_flag=True, help="verifyBatch for proof directories DIR... (one shape).")
@click.option("--keys", "keyset", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="With --batch: the key-set contract's verifyBatch(uint8 shape, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print the ABI arguments as JSON (snarkjs shape).")
def calldata_command(paths: tuple[Path, ...], batch: bool, keyset: Path | None, as_json: bool) -> None:
    """Print the ABI calldata of verifyProof for PUBLIC PROOF (0x hex; G2 imaginary part
    first), or with --batch of verifyBatch for the proof directories DIR... that
    ``zkmargin prove`` wrote (all of one shape)."""
    from verifier.calldata import calldata_arguments, encode_calldata
    from verifier.keys import load_proof, load_public

    if batch:
        click.echo(batch_calldata(paths, keyset, as_json))
        return
    if keyset is not None:
        raise click.UsageError("--keys goes with --batch")
    if len(paths) != 2 or any(p.is_dir() for p in paths):
        raise click.UsageError("give PUBLIC PROOF files, or --batch DIR...")
    public, proof = paths
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
