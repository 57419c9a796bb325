"""Verify a Groth16 ``.zkey`` against its ``.r1cs`` and ``.ptau`` (``zkey verify``).

1. rebuild the initial key from r1cs + ptau (:func:`prover.setup.new_zkey`) and
   compare the circuit hash, the header (alpha, beta, gamma), IC, coefficients, A,
   B1 and B2 byte for byte;
2. replay every contribution (a beacon's key re-derived from its beacon hash by
   2^exp iterated SHA-256 and ChaCha, as snarkjs does): the transcript is blake2b(cs_hash, earlier records,
   U([s] G1), U([s x] G1)); e([s], [x] H) = e([s x], H) and e(delta_before, [x] H) =
   e(delta_after, H) with H = hash_to_g2(transcript); delta_g1 is the last
   delta_after and e(G1, delta_g2) = e(delta_g1, G2);
3. l_query and h_query are the initial ones divided by delta: for random rho,
   e(sum rho_i L0_i, G2) = e(sum rho_i L_i, delta_g2) (same for H).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from prover.contribute import contribution_hash, transcript_prefix, uncompressed_bytes
from prover.curve import random_combination, same_ratio
from prover.encoding import g2_from_int
from prover.ptau import PowersOfTau
from prover.zkey import ZKey


@dataclass
class SetupReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    cs_hash: bytes = b""
    contributions: list[tuple[str, bytes]] = field(default_factory=list)


def _check_contributions(z: ZKey, rep: SetupReport) -> np.ndarray:
    import native
    from prover.keypair import hash_to_g2

    cur = native.g1_from_ints([(1, 2)])[0]
    for i, c in enumerate(z.mpc.contributions):
        if c.type == 1 and not _beacon_matches(c):
            rep.problems.append(f"contribution {i + 1}: beacon key does not match its "
                                "beacon hash")
        elif c.type not in (0, 1):
            rep.problems.append(f"contribution {i + 1}: unknown type {c.type}")
        h = transcript_prefix(z.mpc, i)
        h.update(uncompressed_bytes(c.g1_s))
        h.update(uncompressed_bytes(c.g1_sx))
        if h.digest() != c.transcript:
            rep.problems.append(f"contribution {i + 1}: inconsistent transcript")
            continue
        g2_sp = g2_from_int(hash_to_g2(c.transcript))
        if not same_ratio(c.g1_s, c.g1_sx, g2_sp, c.g2_spx):
            rep.problems.append(f"contribution {i + 1}: G1 and G2 keys differ in ratio")
        if not same_ratio(cur, c.delta_after, g2_sp, c.g2_spx):
            rep.problems.append(f"contribution {i + 1}: delta_after does not follow the key")
        rep.contributions.append((c.name, contribution_hash(c)))
        cur = c.delta_after
    return cur


def _beacon_matches(c) -> bool:
    """A beacon contribution's key must be the one its public beacon derives."""
    import native
    from prover.keypair import beacon_key

    fields = c.param_fields()
    if 2 not in fields or 3 not in fields or len(fields[2]) != 1:
        return False
    prv, g1_s = beacon_key(fields[3], fields[2][0])
    exp_s = native.g1_from_ints([g1_s])[0]
    return (np.array_equal(exp_s, c.g1_s)
            and np.array_equal(np.asarray(native.g1_scalar_mul(exp_s, prv)), c.g1_sx))


def _rho(n: int) -> np.ndarray:
    """Random 64-bit scalars as (n, 4) limbs (snarkjs uses 32-bit ones)."""
    out = np.zeros((n, 4), dtype=np.uint64)
    out[:, 0] = np.frombuffer(secrets.token_bytes(8 * n), dtype="<u8")
    return out


def verify_zkey(z: ZKey, r1cs: Any, ptau: PowersOfTau) -> SetupReport:
    """Check ``z`` was made from ``r1cs`` and ``ptau`` by honest contributions."""
    import native
    from prover.setup import new_zkey

    rep = SetupReport(False, cs_hash=z.mpc.cs_hash)
    init = new_zkey(r1cs, ptau)
    if (z.n_vars, z.n_public, z.domain_size) != (init.n_vars, init.n_public,
                                                  init.domain_size):
        rep.problems.append("circuit sizes (nVars, nPublic, domainSize) differ from the r1cs")
        return rep
    if z.mpc.cs_hash != init.mpc.cs_hash:
        rep.problems.append("circuit hash does not match r1cs + ptau")
    cur = _check_contributions(z, rep)
    for name in ("alpha_g1", "beta_g1", "beta_g2", "gamma_g2"):
        if not np.array_equal(getattr(z, name), getattr(init, name)):
            rep.problems.append(f"{name} differs from the ptau's")
    if not np.array_equal(z.delta_g1, cur):
        rep.problems.append("delta_g1 is not the last contribution's delta_after")
    g1 = native.g1_from_ints([(1, 2)])[0]
    if not same_ratio(g1, z.delta_g1, init.gamma_g2, z.delta_g2):
        rep.problems.append("delta_g2 does not match delta_g1")
    for name in ("gamma_abc_g1", "a_query", "b_g1_query", "b_g2_query"):
        if not np.array_equal(getattr(z, name), getattr(init, name)):
            rep.problems.append(f"{name} section differs from r1cs + ptau")
    if z.coefs.tobytes() != init.coefs.tobytes():
        rep.problems.append("coefficients section differs from the r1cs")
    for name in ("l_query", "h_query"):
        mine, ref = getattr(z, name), getattr(init, name)
        if len(mine) != len(ref):
            rep.problems.append(f"{name} has the wrong size")
            continue
        if len(ref) == 0:
            continue
        rho = _rho(len(ref))
        r0, r1 = random_combination(ref, rho), random_combination(mine, rho)
        if not same_ratio(r0, r1, z.delta_g2, init.delta_g2):
            rep.problems.append(f"{name} is not the initial one divided by delta")
    rep.ok = not rep.problems
    return rep
