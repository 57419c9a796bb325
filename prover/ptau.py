"""Powers of tau (``.ptau``, snarkjs format, version 1), read and written.

Sections (points LEM, see :mod:`prover.encoding`), N = 2^power:

==  ==============  =============================================================
1   header          n8q u32 | q (n8q bytes) | power u32 | ceremonyPower u32
2   tauG1           [tau^i] G1,            i < 2N - 1
3   tauG2           [tau^i] G2,            i < N
4   alphaTauG1      [alpha tau^i] G1,      i < N
5   betaTauG1       [beta tau^i] G1,       i < N
6   betaG2          [beta] G2
7   contributions   u32 count | records
12  lagrange tauG1  for p = 0 .. power+1: [L^(2^p)_j(tau)] G1, j < 2^p  (the last
                    level is the Lagrange form of tauG1 padded with one zero point)
13  lagrange tauG2  for p = 0 .. power:   [L^(2^p)_j(tau)] G2
14  lagrange alpha  for p = 0 .. power:   [alpha L^(2^p)_j(tau)] G1
15  lagrange beta   for p = 0 .. power:   [beta L^(2^p)_j(tau)] G1
==  ==============  =============================================================

Sections 12-15 exist only in files "prepared for phase 2"; level p starts at row
2^p - 1 of its section.  L^(M)_j(x) = (x^M - 1) w^j / (M (x - w^j)) with w the
2^p-th root of unity of Fr (snarkjs's ``Fr.w[p]``).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Optional

import numpy as np

from prover.binfile import BinFile, PathLike, read_binfile, write_binfile
from prover.encoding import Q
from prover.errors import ProverError

G1_W, G2_W = 8, 16
MAX_POWER = 27

SEC_HEADER, SEC_TAU_G1, SEC_TAU_G2, SEC_ALPHA_TAU_G1 = 1, 2, 3, 4
SEC_BETA_TAU_G1, SEC_BETA_G2, SEC_CONTRIBUTIONS = 5, 6, 7
SEC_LAGRANGE_G1, SEC_LAGRANGE_G2, SEC_LAGRANGE_ALPHA, SEC_LAGRANGE_BETA = 12, 13, 14, 15


@dataclass
class PowersOfTau:
    """A read ``.ptau`` file; point sections are numpy views on the mapped file."""

    path: str
    power: int
    ceremony_power: int
    file: BinFile

    @property
    def prepared(self) -> bool:
        """True when the Lagrange sections 12-15 (phase-2 preparation) are present."""
        return all(self.file.has(s) for s in (12, 13, 14, 15))

    def tau_g1(self, count: Optional[int] = None) -> np.ndarray:
        return self.file.array(SEC_TAU_G1, G1_W, count, name="tauG1")

    def tau_g2(self, count: Optional[int] = None) -> np.ndarray:
        return self.file.array(SEC_TAU_G2, G2_W, count, name="tauG2")

    def alpha_tau_g1(self, count: Optional[int] = None) -> np.ndarray:
        return self.file.array(SEC_ALPHA_TAU_G1, G1_W, count, name="alphaTauG1")

    def beta_tau_g1(self, count: Optional[int] = None) -> np.ndarray:
        return self.file.array(SEC_BETA_TAU_G1, G1_W, count, name="betaTauG1")

    def beta_g2(self) -> np.ndarray:
        return self.file.array(SEC_BETA_G2, G2_W, 1, name="betaG2")[0]

    def lagrange(self, section: int, level: int) -> np.ndarray:
        """Level ``level`` (2^level points) of Lagrange section 12-15."""
        if not self.prepared:
            raise ProverError(f"{self.path}: powers of tau not prepared for phase 2 "
                              "(no Lagrange sections 12-15; run `snarkjs powersoftau "
                              "prepare phase2` or use `zkmargin setup --dev`)")
        top = self.power + 1 if section == SEC_LAGRANGE_G1 else self.power
        if not 0 <= level <= top:
            raise ProverError(f"{self.path}: Lagrange level {level} not in 0..{top}")
        width = G2_W if section == SEC_LAGRANGE_G2 else G1_W
        return self.file.array(section, width, 1 << level,
                               offset=((1 << level) - 1) * width * 8,
                               name=f"lagrange section {section}")


def _check_sizes(ptau: PowersOfTau) -> None:
    """Every section must hold exactly the points its header promises."""
    n = 1 << ptau.power
    expected = {SEC_TAU_G1: (2 * n - 1) * G1_W, SEC_TAU_G2: n * G2_W,
                SEC_ALPHA_TAU_G1: n * G1_W, SEC_BETA_TAU_G1: n * G1_W,
                SEC_BETA_G2: G2_W}
    if ptau.prepared:
        expected.update({SEC_LAGRANGE_G1: (4 * n - 1) * G1_W,
                         SEC_LAGRANGE_G2: (2 * n - 1) * G2_W,
                         SEC_LAGRANGE_ALPHA: (2 * n - 1) * G1_W,
                         SEC_LAGRANGE_BETA: (2 * n - 1) * G1_W})
    for sid, limbs in expected.items():
        if not ptau.file.has(sid):
            raise ProverError(f"{ptau.path}: section {sid} is missing")
        size = ptau.file.sections[sid][1]
        if size != limbs * 8:
            raise ProverError(f"{ptau.path}: section {sid} has {size} bytes, expected "
                              f"{limbs * 8} for power {ptau.power}")


def read_ptau(path: PathLike) -> PowersOfTau:
    """Open a ``.ptau`` file (memory-mapped) and validate its header and sizes."""
    f = read_binfile(path, b"ptau")
    hdr = f.section(SEC_HEADER, "header")
    try:
        (n8,) = struct.unpack_from("<I", hdr, 0)
        q = int.from_bytes(hdr[4:4 + n8], "little")
        power, ceremony_power = struct.unpack_from("<II", hdr, 4 + n8)
    except struct.error:
        raise ProverError(f"{path}: truncated ptau header") from None
    if n8 != 32 or q != Q:
        raise ProverError(f"{path}: not a BN254 (bn128) powers of tau file")
    if len(hdr) != 12 + n8:
        raise ProverError(f"{path}: invalid ptau header size {len(hdr)}")
    if not 1 <= power <= MAX_POWER:
        raise ProverError(f"{path}: unsupported ptau power {power}")
    ptau = PowersOfTau(str(path), power, ceremony_power, f)
    _check_sizes(ptau)
    return ptau


def ptau_header(power: int) -> bytes:
    return (struct.pack("<I", 32) + Q.to_bytes(32, "little")
            + struct.pack("<II", power, power))


def write_ptau(fh, power: int, sections: dict[int, list]) -> None:
    """Write a ptau container: ``sections`` maps ids 2..15 to lists of chunks."""
    body = [(SEC_HEADER, [ptau_header(power)])]
    body += [(sid, sections[sid]) for sid in sorted(sections)]
    write_binfile(fh, b"ptau", 1, body)
