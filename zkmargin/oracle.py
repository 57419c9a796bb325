"""An oracle's side of attestations: its secp256k1 key file and its signatures.

A key file (``zkmargin-oracle-key-1``) is JSON holding the private key and its
Ethereum address, written with owner-only permissions (0600).  :func:`attest` signs
the EIP-712 message of :mod:`verifier.attestation` for a risk book, a chain id and a
gate contract address, with eth-account.  Checking signatures is the verifier's job.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Union

from engine.riskbook import RiskBook
from engine.snapshot import parse_time
from verifier.attestation import Attestation, checksum_address, signable

KEY_FORMAT = "zkmargin-oracle-key-1"
KEY_PERMISSIONS = 0o600
PathLike = Union[str, Path]


class OracleKeyError(ValueError):
    """A key file that is missing, malformed or holds a key that does not match."""


def book_time(book: RiskBook) -> int:
    """The book's time in Unix seconds (what ``bookTime`` carries on chain)."""
    return int(parse_time(book.time, "risk book.time").timestamp())


def new_key() -> dict[str, str]:
    """A fresh key from the OS CSPRNG, as the key file's JSON object."""
    from eth_account import Account

    account = Account.create()
    return {"format": KEY_FORMAT, "address": account.address,
            "private_key": "0x" + bytes(account.key).hex()}


def write_key(path: PathLike, key: dict[str, str]) -> None:
    """Write a key file atomically with owner-only permissions."""
    from zkbase.files import atomic_write_text

    atomic_write_text(Path(path), json.dumps(key, indent=2) + "\n",
                      permissions=KEY_PERMISSIONS)


def load_key(path: PathLike) -> Any:
    """The eth-account ``LocalAccount`` of a key file (its address checked)."""
    from eth_account import Account

    from zkbase.jsonio import read_json

    p = Path(path)
    data = read_json(p)
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise OracleKeyError(f"{p}: format: expected {KEY_FORMAT!r}")
    secret = data.get("private_key")
    if not isinstance(secret, str):
        raise OracleKeyError(f"{p}: private_key: expected 0x-prefixed hex")
    try:
        account = Account.from_key(secret)
    except Exception:  # noqa: BLE001 - eth-account raises several types for a bad key
        raise OracleKeyError(f"{p}: private_key: not a valid secp256k1 key") from None
    if "address" in data and checksum_address(data["address"], f"{p}: address") != account.address:
        raise OracleKeyError(f"{p}: address: does not belong to the private key")
    return account


def attest(book: RiskBook, account: Any, *, chain_id: int, verifier: str) -> Attestation:
    """Sign (``book``'s market_commitment, its time, ``chain_id``, ``verifier``)."""
    commitment = book.commitment["market_commitment"]
    verifier = checksum_address(verifier, "verifier")
    when = book_time(book)
    signed = account.sign_message(signable(commitment, when, chain_id, verifier))
    return Attestation(commitment, when, chain_id, verifier, bytes(signed.signature),
                       account.address)
