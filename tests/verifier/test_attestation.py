"""Oracle attestations off chain: EIP-712 digest, signature rules, the k-of-n check."""
from __future__ import annotations

import pytest
from eth_account import Account

from verifier.attestation import (LOW_S_MAX, SECP256K1_N, Attestation, attestation_digest,
                                  attestation_from_json, check_attestations,
                                  oracles_from_json, recover_signer, signable,
                                  signature_problem)
from verifier.errors import VerifierError

GATE = "0x" + "ab" * 20
CHAIN = 31337
COMMITMENT = 123456789
BOOK_TIME = 1_790_000_000
NOW = BOOK_TIME + 60


def make_keys(n: int) -> list:
    return [Account.from_key(bytes([i + 1]) * 32) for i in range(n)]


def sign(account, commitment=COMMITMENT, book_time=BOOK_TIME, chain_id=CHAIN,
         verifier=GATE) -> Attestation:
    from eth_utils import to_checksum_address

    verifier = to_checksum_address(verifier)
    sig = account.sign_message(signable(commitment, book_time, chain_id, verifier)).signature
    return Attestation(commitment, book_time, chain_id, verifier, bytes(sig), account.address)


def check(atts, oracles, threshold=2, **kw):
    args = dict(oracles=[o.address for o in oracles], threshold=threshold, chain_id=CHAIN,
                verifier=GATE, max_age=3600, now=NOW)
    args.update(kw)
    return check_attestations(COMMITMENT, BOOK_TIME, atts, **args)


def test_digest_is_eip712_of_the_typed_data():
    from eth_utils import keccak

    # hashStruct and the domain separator written out by hand (EIP-712 section "Definition")
    def word(x: int) -> bytes:
        return x.to_bytes(32, "big")

    domain_type = keccak(text="EIP712Domain(string name,string version,uint256 chainId,"
                              "address verifyingContract)")
    separator = keccak(domain_type + keccak(text="zkmargin") + keccak(text="1") + word(CHAIN)
                       + bytes(12) + bytes.fromhex(GATE[2:]))
    struct = keccak(keccak(text="MarketAttestation(uint256 marketCommitment,uint64 bookTime)")
                    + word(COMMITMENT) + word(BOOK_TIME))
    expected = keccak(b"\x19\x01" + separator + struct)
    from eth_utils import to_checksum_address

    assert attestation_digest(COMMITMENT, BOOK_TIME, CHAIN, to_checksum_address(GATE)) == expected


def test_two_of_three_pass_and_one_does_not():
    keys = make_keys(3)
    ok = check([sign(keys[0]), sign(keys[2])], keys)
    assert ok.ok and ok.signers == [keys[0].address, keys[2].address]
    one = check([sign(keys[1])], keys)
    assert not one.ok and "1 distinct listed oracle(s) signed, threshold 2" in one.reason


def test_repeated_and_unknown_signers_do_not_count():
    keys = make_keys(3)
    stranger = Account.from_key(b"\x77" * 32)
    repeated = check([sign(keys[0]), sign(keys[0])], keys)
    assert not repeated.ok and any("signed twice" in x for x in repeated.ignored)
    unknown = check([sign(keys[0]), sign(stranger)], keys)
    assert not unknown.ok and any("not a listed oracle" in x for x in unknown.ignored)


@pytest.mark.parametrize("field", ["chain_id", "verifier", "commitment", "book_time"])
def test_a_signature_for_anything_else_does_not_count(field):
    keys = make_keys(3)
    other = {"chain_id": dict(chain_id=1), "verifier": dict(verifier="0x" + "cd" * 20),
             "commitment": dict(commitment=COMMITMENT + 1),
             "book_time": dict(book_time=BOOK_TIME - 1)}[field]
    result = check([sign(keys[0]), sign(keys[1], **other)], keys)
    assert not result.ok
    assert any("signed another book, time, chain or contract" in x for x in result.ignored)


def test_freshness():
    keys = make_keys(3)
    atts = [sign(keys[0]), sign(keys[1])]
    assert check(atts, keys, now=BOOK_TIME + 3600).ok
    stale = check(atts, keys, now=BOOK_TIME + 3601)
    assert not stale.ok and "stale" in stale.reason
    future = check(atts, keys, now=BOOK_TIME - 1)
    assert not future.ok and "future" in future.reason
    assert check(atts, keys, max_age=None, now=BOOK_TIME + 10**6).ok


def test_high_s_and_bad_v_are_refused_like_on_chain():
    key = make_keys(1)[0]
    att = sign(key)
    r, s, v = att.signature[:32], int.from_bytes(att.signature[32:64], "big"), att.signature[64]
    assert s <= LOW_S_MAX
    flipped = r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])  # same signer, high s
    assert signature_problem(flipped) is not None
    assert recover_signer(flipped, COMMITMENT, BOOK_TIME, CHAIN, att.verifier) is None
    assert signature_problem(att.signature[:64] + b"\x01") == "v must be 27 or 28"
    assert recover_signer(att.signature, COMMITMENT, BOOK_TIME, CHAIN, att.verifier) == key.address


def test_json_round_trip_and_errors():
    att = sign(make_keys(1)[0])
    assert attestation_from_json(att.to_json()) == att
    bad = att.to_json() | {"signature": "0x1234"}
    with pytest.raises(VerifierError, match=r"sig.json.signature: a signature is 65 bytes"):
        attestation_from_json(bad, "sig.json")
    with pytest.raises(VerifierError, match=r"a.verifier: expected a 0x-prefixed"):
        attestation_from_json(att.to_json() | {"verifier": "nope"}, "a")
    with pytest.raises(VerifierError, match=r"a.book_time: out of range"):
        attestation_from_json(att.to_json() | {"book_time": 2**64}, "a")
    with pytest.raises(VerifierError, match=r"o.oracles\[1\]: .* listed twice"):
        oracles_from_json({"oracles": [GATE, GATE.upper().replace("0X", "0x")]}, "o")
    with pytest.raises(VerifierError, match=r"o: expected"):
        oracles_from_json([], "o")


def test_check_never_raises_on_bad_arguments():
    keys = make_keys(2)
    assert not check([sign(keys[0])], keys, verifier="junk").ok
    assert not check([sign(keys[0])], keys, threshold=0).ok
