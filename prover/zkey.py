"""Groth16 proving key in snarkjs's ``.zkey`` layout (protocol 1), read and written.

==  ============  ==============================================================
1   header        u32 protocol = 1 (Groth16)
2   groth header  n8q u32 | q | n8r u32 | r | nVars u32 | nPublic u32 |
                  domainSize u32 | alpha_g1 | beta_g1 | beta_g2 | gamma_g2 |
                  delta_g1 | delta_g2                              (points LEM)
3   IC            gamma_abc_g1[i] = [(beta A_i + alpha B_i + C_i)(tau) / gamma] G1,
                  i <= nPublic
4   coefs         u32 count | count * (u32 matrix (0=A, 1=B) | u32 constraint |
                  u32 signal | value * R^2 mod r, 32 bytes LE)
5   A             a_query[i]    = [A_i(tau)] G1, i < nVars
6   B1            b_g1_query[i] = [B_i(tau)] G1
7   B2            b_g2_query[i] = [B_i(tau)] G2
8   C             l_query[i]    = [(beta A_i + alpha B_i + C_i)(tau) / delta] G1,
                  nPublic < i < nVars
9   H             h_query[j]    = [L^(2n)_(2j+1)(tau) / delta] G1, j < n: the
                  Lagrange basis of the double domain at its odd points
10  contributions cs_hash (64) | u32 count | records (see :mod:`prover.contribute`)
==  ============  ==============================================================

A coefficient stored as ``v R^2 mod r`` is the Montgomery form of ``v R``, so a
Montgomery product with a standard-form witness value gives Montgomery ``v w``.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from prover.binfile import BinFile, PathLike, read_binfile, write_binfile
from prover.encoding import Q, R
from prover.errors import ProverError

COEF_DTYPE = np.dtype([("matrix", "<u4"), ("constraint", "<u4"), ("signal", "<u4"),
                       ("value", "<u8", (4,))])
HEADER_POINTS = ("alpha_g1", "beta_g1", "beta_g2", "gamma_g2", "delta_g1", "delta_g2")


@dataclass
class Contribution:
    """One phase-2 contribution record (snarkjs ``zkey_utils.readContribution``)."""

    delta_after: np.ndarray          # (8,) LEM: delta_g1 after this contribution
    g1_s: np.ndarray                 # (8,) LEM: random [s] G1
    g1_sx: np.ndarray                # (8,) LEM: [s x] G1, x the contribution's secret
    g2_spx: np.ndarray               # (16,) LEM: [x] hash_to_g2(transcript)
    transcript: bytes                # 64 bytes blake2b
    type: int = 0                    # 0 = contribution, 1 = beacon
    params: bytes = b""              # raw tagged parameters (name, beacon)

    def param_fields(self) -> dict[int, bytes]:
        """The tagged parameters: 1 = name, 2 = numIterationsExp (1 byte), 3 = beacon
        hash (each: tag, length, bytes; tag 2 has no length byte)."""
        out, p, i = {}, self.params, 0
        while i < len(p):
            tag = p[i]
            if tag == 2:
                out[2], i = p[i + 1:i + 2], i + 2
            else:
                ln = p[i + 1] if i + 1 < len(p) else 0
                out[tag], i = p[i + 2:i + 2 + ln], i + 2 + ln
        return out

    @property
    def name(self) -> str:
        return self.param_fields().get(1, b"").decode("utf-8", "replace")


@dataclass
class MPCParams:
    cs_hash: bytes
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class ZKey:
    """A Groth16 proving key; point arrays are numpy (n, 8)/(n, 16) LEM views."""

    n_vars: int
    n_public: int
    domain_size: int
    alpha_g1: np.ndarray
    beta_g1: np.ndarray
    beta_g2: np.ndarray
    gamma_g2: np.ndarray
    delta_g1: np.ndarray
    delta_g2: np.ndarray
    gamma_abc_g1: np.ndarray
    coefs: np.ndarray
    a_query: np.ndarray
    b_g1_query: np.ndarray
    b_g2_query: np.ndarray
    l_query: np.ndarray
    h_query: np.ndarray
    mpc: MPCParams
    path: str = ""
    file: Optional[BinFile] = None

    @property
    def power(self) -> int:
        return self.domain_size.bit_length() - 1


def _read_contribution(buf: memoryview, pos: int, path: str) -> tuple[Contribution, int]:
    def pts(width: int) -> np.ndarray:
        nonlocal pos
        arr = np.frombuffer(buf, "<u8", width, pos).copy()
        pos += 8 * width
        return arr

    delta_after, g1_s, g1_sx, g2_spx = pts(8), pts(8), pts(8), pts(16)
    transcript = bytes(buf[pos:pos + 64])
    ctype, plen = struct.unpack_from("<II", buf, pos + 64)
    pos += 72
    params = bytes(buf[pos:pos + plen])
    if len(params) != plen:
        raise ProverError(f"{path}: truncated contribution parameters")
    return Contribution(delta_after, g1_s, g1_sx, g2_spx, transcript, ctype, params), pos + plen


def read_mpc_params(buf: memoryview, path: str) -> MPCParams:
    try:
        cs_hash = bytes(buf[:64])
        (count,) = struct.unpack_from("<I", buf, 64)
        pos, out = 68, MPCParams(cs_hash)
        for _ in range(count):
            c, pos = _read_contribution(buf, pos, path)
            out.contributions.append(c)
    except (struct.error, ValueError) as exc:
        if isinstance(exc, ProverError):
            raise
        raise ProverError(f"{path}: truncated contributions section (10)") from None
    if pos != len(buf):
        raise ProverError(f"{path}: contributions section (10) has trailing bytes")
    return out


def mpc_params_bytes(mpc: MPCParams) -> bytes:
    parts = [mpc.cs_hash, struct.pack("<I", len(mpc.contributions))]
    for c in mpc.contributions:
        parts += [c.delta_after.astype("<u8").tobytes(), c.g1_s.astype("<u8").tobytes(),
                  c.g1_sx.astype("<u8").tobytes(), c.g2_spx.astype("<u8").tobytes(),
                  c.transcript, struct.pack("<II", c.type, len(c.params)), c.params]
    return b"".join(parts)


def _read_groth_header(f: BinFile) -> dict:
    hdr = f.section(2, "groth16 header")
    try:
        (n8q,) = struct.unpack_from("<I", hdr, 0)
        q = int.from_bytes(hdr[4:4 + n8q], "little")
        (n8r,) = struct.unpack_from("<I", hdr, 4 + n8q)
        r = int.from_bytes(hdr[8 + n8q:8 + n8q + n8r], "little")
        pos = 8 + n8q + n8r
        n_vars, n_public, domain = struct.unpack_from("<III", hdr, pos)
    except struct.error:
        raise ProverError(f"{f.path}: truncated zkey header (section 2)") from None
    if (n8q, q, n8r, r) != (32, Q, 32, R):
        raise ProverError(f"{f.path}: zkey is not for BN254 (bn128)")
    if domain == 0 or domain & (domain - 1) or domain > 1 << 28:
        raise ProverError(f"{f.path}: zkey domainSize {domain} is not a power of two")
    if not n_public < n_vars:
        raise ProverError(f"{f.path}: zkey nPublic {n_public} >= nVars {n_vars}")
    pos += 12
    out = dict(n_vars=n_vars, n_public=n_public, domain_size=domain)
    widths = dict(alpha_g1=8, beta_g1=8, beta_g2=16, gamma_g2=16, delta_g1=8, delta_g2=16)
    need = pos + 8 * sum(widths.values())
    if len(hdr) != need:
        raise ProverError(f"{f.path}: zkey header (section 2) has {len(hdr)} bytes, "
                          f"expected {need}")
    for name in HEADER_POINTS:
        out[name] = np.frombuffer(hdr, "<u8", widths[name], pos).copy()
        pos += 8 * widths[name]
    return out


def _reduced(points: np.ndarray) -> bool:
    """Every 4-limb coordinate of ``points`` (LEM rows) is below q."""
    coords = np.ascontiguousarray(points, dtype="<u8").reshape(-1, 4)
    q_limbs = [(Q >> (64 * i)) & ((1 << 64) - 1) for i in range(4)]
    below = np.zeros(len(coords), dtype=bool)
    equal = np.ones(len(coords), dtype=bool)
    for i in (3, 2, 1, 0):  # lexicographic compare, most significant limb first
        below |= equal & (coords[:, i] < np.uint64(q_limbs[i]))
        equal &= coords[:, i] == np.uint64(q_limbs[i])
    return bool(below.all())


def check_points(path: str, name: str, points: np.ndarray, *, subgroup: bool = False) -> None:
    """Refuse a point section or header point that is not on its curve (coordinates
    < q, y^2 = x^3 + b; the all-zero row is infinity); G2 points with ``subgroup`` must
    also satisfy [r] P = O.  The error names the file and the point."""
    import native

    rows = np.ascontiguousarray(points, dtype=np.uint64).reshape(-1, points.shape[-1])
    if not len(rows):
        return
    g2 = rows.shape[1] == 16
    if not _reduced(rows):
        raise ProverError(f"{path}: {name}: a coordinate is not below the field modulus q")
    on = np.atleast_1d((native.g2_is_on_curve if g2 else native.g1_is_on_curve)(rows))
    if not on.all():
        bad = int(np.argmin(on))
        label = name if len(rows) == 1 else f"{name}[{bad}]"
        raise ProverError(f"{path}: {label}: point is not on the curve")
    if g2 and subgroup:
        ok = np.atleast_1d(native.g2_in_subgroup(rows))
        if not ok.all():
            bad = int(np.argmin(ok))
            label = name if len(rows) == 1 else f"{name}[{bad}]"
            raise ProverError(f"{path}: {label}: point is not in the order-r subgroup G2")


def read_zkey(path: PathLike) -> ZKey:
    """Open a Groth16 ``.zkey`` (memory-mapped) and validate every section size and
    the points: the header points and IC (what the verification key is made of) on
    their curves and, for G2, in the order-r subgroup; the query sections on their
    curves."""
    f = read_binfile(path, b"zkey", max_version=1)
    head = f.section(1, "protocol header")
    if len(head) != 4 or struct.unpack("<I", head)[0] != 1:
        raise ProverError(f"{path}: zkey is not a Groth16 key (protocol id)")
    h = _read_groth_header(f)
    n_vars, n_pub, domain = h["n_vars"], h["n_public"], h["domain_size"]
    coef_raw = f.section(4, "coefficients")
    if len(coef_raw) < 4:
        raise ProverError(f"{path}: truncated coefficients section (4)")
    (n_coefs,) = struct.unpack_from("<I", coef_raw, 0)
    if len(coef_raw) != 4 + n_coefs * COEF_DTYPE.itemsize:
        raise ProverError(f"{path}: coefficients section (4) size does not match "
                          f"its count {n_coefs}")
    coefs = np.frombuffer(coef_raw, COEF_DTYPE, n_coefs, 4)
    sizes = {3: (n_pub + 1, 8, "IC"), 5: (n_vars, 8, "A"), 6: (n_vars, 8, "B1"),
             7: (n_vars, 16, "B2"), 8: (n_vars - n_pub - 1, 8, "C"), 9: (domain, 8, "H")}
    arrays = {}
    for sid, (count, width, name) in sizes.items():
        size = f.sections.get(sid, (0, None))[1]
        if size != count * width * 8:
            raise ProverError(f"{path}: section {sid} ({name}) has {size} bytes, "
                              f"expected {count * width * 8}")
        arrays[sid] = f.array(sid, width, count, name=name)
    if coefs.size and (coefs["matrix"].max() > 1 or coefs["signal"].max() >= n_vars
                       or coefs["constraint"].max() >= domain):
        raise ProverError(f"{path}: coefficients section (4) refers outside the circuit")
    mpc = read_mpc_params(f.section(10, "contributions"), str(path))
    for name in HEADER_POINTS:
        check_points(str(path), name, h[name].reshape(1, -1), subgroup=True)
    for sid, (_, _, name) in sizes.items():
        check_points(str(path), name, arrays[sid])
    return ZKey(n_vars, n_pub, domain, h["alpha_g1"], h["beta_g1"], h["beta_g2"],
                h["gamma_g2"], h["delta_g1"], h["delta_g2"], arrays[3], coefs,
                arrays[5], arrays[6], arrays[7], arrays[8], arrays[9], mpc,
                str(path), f)


def groth_header_bytes(z: ZKey) -> bytes:
    head = (struct.pack("<I", 32) + Q.to_bytes(32, "little") + struct.pack("<I", 32)
            + R.to_bytes(32, "little")
            + struct.pack("<III", z.n_vars, z.n_public, z.domain_size))
    return head + b"".join(getattr(z, n).astype("<u8").tobytes() for n in HEADER_POINTS)


def write_zkey(fh, z: ZKey) -> None:
    """Write ``z`` in snarkjs layout to an open binary file (sections in the order of
    ``snarkjs zkey new``: 1, 2, 4, 3, 9, 8, 5, 6, 7, 10)."""
    coefs = np.ascontiguousarray(z.coefs, dtype=COEF_DTYPE)
    # the order in which `snarkjs zkey new` writes them, so our files equal its bytes
    sections = [
        (1, [struct.pack("<I", 1)]),
        (2, [groth_header_bytes(z)]),
        (4, [struct.pack("<I", len(coefs)), coefs.tobytes()]),
        (3, [z.gamma_abc_g1]),
        (9, [z.h_query]),
        (8, [z.l_query]),
        (5, [z.a_query]), (6, [z.b_g1_query]), (7, [z.b_g2_query]),
        (10, [mpc_params_bytes(z.mpc)]),
    ]
    write_binfile(fh, b"zkey", 1, sections)
