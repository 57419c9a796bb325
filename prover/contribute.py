"""Phase-2 contributions: re-randomise delta with a transcript snarkjs verifies.

A contributor draws a secret x and replaces delta_g1, delta_g2 by [x] of them and
every l_query / h_query point by [1/x] of it.  The record appended to section 10 is
(delta_after, [s] G1, [s x] G1, [x] H, transcript) where s is random, the transcript
is blake2b-512(cs_hash || previous records || U([s] G1) || U([s x] G1)) and
H = hash_to_g2(transcript) (:mod:`prover.keypair`); a verifier checks
e([s] G1, [x] H) = e([s x] G1, H) and e(delta_before, [x] H) = e(delta_after, H),
which proves knowledge of x and that delta moved by exactly x.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from typing import Optional

import numpy as np

from prover.curve import scale_rows
from prover.encoding import R, batch_lem_to_u, g2_from_int
from prover.zkey import Contribution, MPCParams, ZKey


def uncompressed_bytes(point: np.ndarray) -> bytes:
    """snarkjs's ``U(point)`` of one point in Montgomery limbs: its coordinates x then y,
    each big-endian (``batchLEMtoU`` of a one-row section)."""
    return batch_lem_to_u(np.asarray(point).reshape(1, -1))


def hash_pub_key(h: "hashlib._Hash", c: Contribution) -> None:
    """snarkjs ``hashPubKey``: U(delta_after) U(g1_s) U(g1_sx) U(g2_spx) transcript."""
    for pt in (c.delta_after, c.g1_s, c.g1_sx, c.g2_spx):
        h.update(uncompressed_bytes(pt))
    h.update(c.transcript)


def contribution_hash(c: Contribution) -> bytes:
    h = hashlib.blake2b(digest_size=64)
    hash_pub_key(h, c)
    return h.digest()


def transcript_prefix(mpc: MPCParams, upto: int) -> "hashlib._Hash":
    h = hashlib.blake2b(digest_size=64)
    h.update(mpc.cs_hash)
    for c in mpc.contributions[:upto]:
        hash_pub_key(h, c)
    return h


def _name_params(name: str) -> bytes:
    if not name:
        return b""
    data = name[:64].encode("utf-8")
    return bytes([1, len(data)]) + data


def contribution_secrets(seed: Optional[int] = None) -> tuple[int, int]:
    """A contribution's secrets (x, s), uniform in [1, r); from the OS CSPRNG unless
    ``seed`` is given (tests only)."""
    if seed is None:
        draw = lambda: 1 + secrets.randbelow(R - 1)  # noqa: E731
    else:
        import random

        rnd = random.Random(seed)
        draw = lambda: 1 + rnd.randrange(R - 1)  # noqa: E731
    return draw(), draw()


def contribution_record(z: ZKey, x: int, s: int, name: str = "") -> Contribution:
    """The section-10 record of moving ``z``'s delta by ``x`` (with the proof of
    knowledge made from ``s``); ``delta_after`` is [x] of z's delta_g1."""
    import native
    from prover.keypair import hash_to_g2

    g1 = native.g1_from_ints([(1, 2)])[0]
    g1_s = np.asarray(native.g1_scalar_mul(g1, s))
    g1_sx = np.asarray(native.g1_scalar_mul(g1_s, x))
    h = transcript_prefix(z.mpc, len(z.mpc.contributions))
    h.update(uncompressed_bytes(g1_s))
    h.update(uncompressed_bytes(g1_sx))
    transcript = h.digest()
    g2_spx = np.asarray(native.g2_scalar_mul(g2_from_int(hash_to_g2(transcript)), x))
    delta_g1 = np.asarray(native.g1_scalar_mul(z.delta_g1, x))
    return Contribution(delta_g1, g1_s, g1_sx, g2_spx, transcript, 0, _name_params(name))


def apply_contribution(z: ZKey, x: int, c: Contribution,
                       scaled: Optional[tuple[np.ndarray, np.ndarray]] = None) -> ZKey:
    """``z`` with delta moved by ``x`` and ``c`` appended; ``scaled`` gives the l_query
    and h_query already multiplied by 1/x (else they are scaled here, one point at a
    time)."""
    import native

    x_inv = pow(x, -1, R)
    l_query, h_query = scaled if scaled is not None else (
        scale_rows(z.l_query, x_inv), scale_rows(z.h_query, x_inv))
    return replace(z, delta_g1=c.delta_after.copy(),
                   delta_g2=np.asarray(native.g2_scalar_mul(z.delta_g2, x)),
                   l_query=l_query, h_query=h_query,
                   mpc=MPCParams(z.mpc.cs_hash, [*z.mpc.contributions, c]), file=None)


def contribute(z: ZKey, name: str = "", seed: Optional[int] = None) -> tuple[ZKey, bytes]:
    """A new key with one more contribution; returns (key, contribution hash).
    The secret comes from the OS CSPRNG unless ``seed`` is given (tests only)."""
    x, s = contribution_secrets(seed)
    c = contribution_record(z, x, s, name)
    return apply_contribution(z, x, c), contribution_hash(c)
