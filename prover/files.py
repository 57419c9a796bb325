"""File-level entry points of the prover (read, set up, contribute, verify, save keys
and JSON atomically), used by the CLI and the embedding API `zkmargin.api`."""
from __future__ import annotations

import json
from contextlib import nullcontext
from typing import Any, Optional

from zkbase.files import OutputGroup, check_output_paths, output_group

from prover.binfile import PathLike
from prover.errors import ProverError
from prover.zkey import ZKey, read_zkey, write_zkey


def load_r1cs(path: PathLike) -> Any:
    """An ``.r1cs`` file through the circuits layer's reader (its CircuitError, a
    ValueError, already names the file)."""
    from circuits import read_r1cs

    return read_r1cs(path)


def save_zkey(path: PathLike, z: ZKey, group: Optional[OutputGroup] = None) -> None:
    """Write ``z`` atomically, or stage it in ``group`` (written with the group's other
    files, all or none; see :func:`zkbase.files.output_group`)."""
    with output_group() if group is None else nullcontext(group) as g:
        with g.open(path, "wb") as fh:
            write_zkey(fh, z)


def save_json(path: PathLike, obj: Any, group: Optional[OutputGroup] = None) -> None:
    """Write ``obj`` as indented JSON atomically, or stage it in ``group``."""
    with output_group() if group is None else nullcontext(group) as g:
        g.write_text(path, json.dumps(obj, indent=1) + "\n")


def setup_files(r1cs_path: PathLike, ptau_path: PathLike, zkey_path: PathLike,
                vk_path: Optional[PathLike] = None, r1cs: Any = None) -> ZKey:
    """Circuit-specific setup: write the initial ``.zkey`` and the vk JSON, both or
    neither; an output that is an input or the other output is refused."""
    from prover.formats import verification_key_json
    from prover.ptau import read_ptau
    from prover.setup import new_zkey

    check_output_paths([zkey_path, vk_path], [r1cs_path, ptau_path])
    ptau = read_ptau(ptau_path)
    z = new_zkey(r1cs if r1cs is not None else load_r1cs(r1cs_path), ptau)
    with output_group() as group:
        save_zkey(zkey_path, z, group)
        if vk_path is not None:
            save_json(vk_path, verification_key_json(z), group)
    return z


def contribute_files(zkey_in: PathLike, zkey_out: PathLike, name: str = "",
                     seed: Optional[int] = None) -> bytes:
    from prover.contribute import contribute

    check_output_paths([zkey_out], [zkey_in])
    z, digest = contribute(read_zkey(zkey_in), name, seed)
    save_zkey(zkey_out, z)
    return digest


def verify_files(r1cs_path: PathLike, ptau_path: PathLike, zkey_path: PathLike,
                 r1cs: Any = None):
    from prover.ptau import read_ptau
    from prover.verify_setup import verify_zkey

    z = read_zkey(zkey_path)
    return verify_zkey(z, r1cs if r1cs is not None else load_r1cs(r1cs_path),
                       read_ptau(ptau_path))


def load_json(path: PathLike, what: str) -> Any:
    """A JSON file read strictly (:func:`zkbase.jsonio.read_json`); errors name the file."""
    from zkbase.jsonio import JSONInputError, read_json

    try:
        return read_json(path)
    except JSONInputError as exc:
        raise ProverError(f"{exc} ({what})") from None
