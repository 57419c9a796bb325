"""Oracle attestations of a market commitment: EIP-712 digests and the k-of-n rule.

An oracle vouches for a risk book by signing, with a secp256k1 key, the EIP-712 typed
data (the same bytes the gate contract rebuilds with ``ecrecover``)::

    domain  = EIP712Domain(string name, string version, uint256 chainId,
                           address verifyingContract)
            = ("zkmargin", "1", chain_id, gate contract address)
    message = MarketAttestation(uint256 marketCommitment, uint64 bookTime)
    digest  = keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message))

``bookTime`` is the book's time in Unix seconds.  The chain id and the contract
address in the domain stop a signature from being replayed on another chain or
against another gate.  A signature is 65 bytes ``r ‖ s ‖ v`` with ``v ∈ {27, 28}`` and
a low ``s`` (``s ≤ n/2``, as EIP-2 requires of transactions), the rule the contract
applies too.

:func:`check_attestations` is the off-chain mirror of the contract's ``postMarket`` and
``verifyMargin`` freshness rule: at least ``threshold`` *distinct* signers from the
oracle list signed this commitment and book time for this chain and contract
(unknown and repeated signers do not count), and ``now − max_age ≤ bookTime ≤ now``.

Signatures are checked with eth-account (secp256k1 recovery); nothing here signs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from native.params import R as BN254_R
from verifier.errors import VerifierError

ATTESTATION_FORMAT = "zkmargin-attestation-1"
ORACLES_FORMAT_KEY = "oracles"
DOMAIN_NAME = "zkmargin"
DOMAIN_VERSION = "1"
MESSAGE_TYPES = {"MarketAttestation": [{"name": "marketCommitment", "type": "uint256"},
                                       {"name": "bookTime", "type": "uint64"}]}
#: secp256k1 group order n, and the low-s bound n/2
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
LOW_S_MAX = SECP256K1_N // 2
UINT64_MAX = 2**64 - 1


@dataclass(frozen=True)
class Attestation:
    """One oracle's signature over (market_commitment, book_time, chain_id, verifier)."""

    market_commitment: int
    book_time: int
    chain_id: int
    verifier: str          # checksummed 0x address of the gate contract
    signature: bytes       # r ‖ s ‖ v, 65 bytes
    signer: str = ""       # the address the file claims; the recovered one is what counts

    def to_json(self) -> dict[str, Any]:
        return {"format": ATTESTATION_FORMAT, "market_commitment": str(self.market_commitment),
                "book_time": self.book_time, "chain_id": self.chain_id,
                "verifier": self.verifier, "signer": self.signer,
                "signature": "0x" + self.signature.hex()}


@dataclass
class AttestationCheck:
    """The outcome of :func:`check_attestations`: ``ok`` and, when not, the reason."""

    ok: bool
    reason: str
    signers: list[str] = field(default_factory=list)    # distinct listed signers counted
    ignored: list[str] = field(default_factory=list)    # one line per signature not counted


def checksum_address(value: Any, what: str) -> str:
    """A 20-byte hex address in EIP-55 checksum form (any case accepted on input)."""
    from eth_utils import is_hex_address, to_checksum_address

    if not isinstance(value, str) or not is_hex_address(value):
        raise VerifierError(f"{what}: expected a 0x-prefixed 20-byte hex address")
    return to_checksum_address(value)


def _uint(value: Any, what: str, bound: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise VerifierError(f"{what}: expected an integer")
    try:
        number = int(value, 10) if isinstance(value, str) else value
    except ValueError:
        raise VerifierError(f"{what}: expected a decimal integer") from None
    if not 0 <= number < bound:
        raise VerifierError(f"{what}: out of range")
    return number


def signable(market_commitment: int, book_time: int, chain_id: int, verifier: str):
    """The EIP-712 message (eth-account's ``SignableMessage``) for these values."""
    from eth_account.messages import encode_typed_data

    domain = {"name": DOMAIN_NAME, "version": DOMAIN_VERSION, "chainId": chain_id,
              "verifyingContract": verifier}
    return encode_typed_data(domain_data=domain, message_types=MESSAGE_TYPES,
                             message_data={"marketCommitment": market_commitment,
                                           "bookTime": book_time})


def attestation_digest(market_commitment: int, book_time: int, chain_id: int,
                       verifier: str) -> bytes:
    """keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)): what ecrecover sees."""
    from eth_utils import keccak

    msg = signable(market_commitment, book_time, chain_id, verifier)
    return keccak(b"\x19" + bytes(msg.version) + bytes(msg.header) + bytes(msg.body))


def signature_problem(signature: bytes) -> Optional[str]:
    """Why ``signature`` is not a well-formed 65-byte low-s signature, or None."""
    if len(signature) != 65:
        return "a signature is 65 bytes (r, s, v)"
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    if signature[64] not in (27, 28):
        return "v must be 27 or 28"
    if not 0 < r < SECP256K1_N or not 0 < s <= LOW_S_MAX:
        return "r or s out of range (s must be in the lower half of the group order)"
    return None


def recover_signer(signature: bytes, market_commitment: int, book_time: int, chain_id: int,
                   verifier: str) -> Optional[str]:
    """The checksummed address whose key made ``signature`` over these values, as
    ``ecrecover`` on the digest gives it; None for a malformed signature."""
    from eth_account import Account

    if signature_problem(signature) is not None:
        return None
    msg = signable(market_commitment, book_time, chain_id, verifier)
    try:
        return Account.recover_message(msg, signature=signature)
    except Exception:  # noqa: BLE001 - any recovery failure means "no signer"
        return None


def attestation_from_json(data: Any, what: str = "attestation") -> Attestation:
    """Parse a ``zkmargin-attestation-1`` object (errors name ``what`` and the field)."""
    if not isinstance(data, Mapping):
        raise VerifierError(f"{what}: expected a JSON object")
    if data.get("format") != ATTESTATION_FORMAT:
        raise VerifierError(f"{what}.format: expected {ATTESTATION_FORMAT!r}")
    sig = data.get("signature")
    if not isinstance(sig, str) or not sig.startswith("0x"):
        raise VerifierError(f"{what}.signature: expected 0x-prefixed hex")
    try:
        raw = bytes.fromhex(sig[2:])
    except ValueError:
        raise VerifierError(f"{what}.signature: not hex") from None
    if (problem := signature_problem(raw)) is not None:
        raise VerifierError(f"{what}.signature: {problem}")
    signer = data.get("signer", "")
    return Attestation(
        _uint(data.get("market_commitment"), f"{what}.market_commitment", BN254_R),
        _uint(data.get("book_time"), f"{what}.book_time", UINT64_MAX + 1),
        _uint(data.get("chain_id"), f"{what}.chain_id", 2**256),
        checksum_address(data.get("verifier"), f"{what}.verifier"), raw,
        checksum_address(signer, f"{what}.signer") if signer else "")


def oracles_from_json(data: Any, what: str = "oracles") -> list[str]:
    """``{"oracles": ["0x…", …]}`` → the checksummed, distinct oracle addresses."""
    if not isinstance(data, Mapping) or not isinstance(data.get(ORACLES_FORMAT_KEY), list):
        raise VerifierError(f"{what}: expected {{\"oracles\": [\"0x...\", ...]}}")
    out: list[str] = []
    for i, item in enumerate(data[ORACLES_FORMAT_KEY]):
        address = checksum_address(item, f"{what}.oracles[{i}]")
        if address in out:
            raise VerifierError(f"{what}.oracles[{i}]: {address} is listed twice")
        out.append(address)
    if not out:
        raise VerifierError(f"{what}.oracles: at least one oracle is needed")
    return out


def check_attestations(market_commitment: int, book_time: int,
                       attestations: Iterable[Attestation], *, oracles: Sequence[str],
                       threshold: int, chain_id: int, verifier: str,
                       max_age: Optional[int] = None, now: Optional[int] = None
                       ) -> AttestationCheck:
    """The k-of-n rule of the gate contract, off chain.  Never raises on bad input.

    Counts the distinct listed oracles whose signature recovers for exactly
    (``market_commitment``, ``book_time``, ``chain_id``, ``verifier``); passes when the
    count reaches ``threshold`` and, with ``max_age``, ``now − max_age ≤ book_time ≤
    now`` (``now`` defaults to the current Unix time).
    """
    import time as _time

    try:
        listed = {checksum_address(a, "oracles") for a in oracles}
        verifier = checksum_address(verifier, "verifier")
    except VerifierError as exc:
        return AttestationCheck(False, str(exc))
    if threshold < 1:
        return AttestationCheck(False, "threshold: must be at least 1")
    current = int(_time.time()) if now is None else now
    if max_age is not None:
        if book_time > current:
            return AttestationCheck(False, f"book time {book_time} is in the future (now {current})")
        if current - book_time > max_age:
            return AttestationCheck(False, f"book is stale: {current - book_time} s old, "
                                           f"max age {max_age} s")
    counted: list[str] = []
    ignored: list[str] = []
    for i, att in enumerate(attestations):
        # as on chain: the digest is rebuilt from the expected values, only the
        # signature bytes come from the attestation
        signer = recover_signer(att.signature, market_commitment, book_time, chain_id, verifier)
        claims_other = (att.market_commitment, att.book_time, att.chain_id, att.verifier) != (
            market_commitment, book_time, chain_id, verifier)
        if signer is not None and signer in listed and signer in counted:
            ignored.append(f"attestation {i}: {signer} signed twice")
        elif signer is not None and signer in listed:
            counted.append(signer)
        elif claims_other:
            ignored.append(f"attestation {i}: signed another book, time, chain or contract")
        else:
            ignored.append(f"attestation {i}: {signer or 'no signer'} is not a listed oracle")
    if len(counted) < threshold:
        return AttestationCheck(False, f"{len(counted)} distinct listed oracle(s) signed, "
                                       f"threshold {threshold}", counted, ignored)
    return AttestationCheck(True, "", counted, ignored)


def check_market(market_commitment: int, attestations: Sequence[Attestation], *,
                 oracles: Sequence[str], threshold: int, chain_id: int, verifier: str,
                 max_age: Optional[int] = None, now: Optional[int] = None
                 ) -> AttestationCheck:
    """Would these attestations post ``market_commitment`` on the gate, fresh enough?

    The book time is not in a margin proof, so every book time that the attestations
    claim for this commitment is tried (newest first) with :func:`check_attestations`;
    the first that passes is the answer.  Never raises on bad input.
    """
    times = sorted({a.book_time for a in attestations
                    if a.market_commitment == market_commitment}, reverse=True)
    if not times:
        return AttestationCheck(False, "no attestation signs this market_commitment")
    first: Optional[AttestationCheck] = None
    for when in times:
        result = check_attestations(market_commitment, when, attestations, oracles=oracles,
                                    threshold=threshold, chain_id=chain_id, verifier=verifier,
                                    max_age=max_age, now=now)
        if result.ok:
            return result
        first = first or result
    assert first is not None
    return first
