"""A minimal ``.r1cs`` reader for the interop tests only (the project's reader and
writer live in ``circuits``); it returns an object with the ``circuits.R1CS`` fields."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field


@dataclass
class MiniR1CS:
    prime: int
    n_wires: int
    n_pub_out: int
    n_pub_in: int
    n_prv_in: int
    n_labels: int
    constraints: list = field(default_factory=list)
    wire_to_label: list = field(default_factory=list)


def read_r1cs_min(path) -> MiniR1CS:
    data = open(path, "rb").read()
    assert data[:4] == b"r1cs"
    n_sec = struct.unpack_from("<I", data, 8)[0]
    pos, secs = 12, {}
    for _ in range(n_sec):
        sid, size = struct.unpack_from("<IQ", data, pos)
        secs[sid] = (pos + 12, size)
        pos += 12 + size
    p = secs[1][0]
    n8 = struct.unpack_from("<I", data, p)[0]
    prime = int.from_bytes(data[p + 4:p + 4 + n8], "little")
    nw, npo, npi, npr = struct.unpack_from("<IIII", data, p + 4 + n8)
    nl, nc = struct.unpack_from("<QI", data, p + 20 + n8)
    out = MiniR1CS(prime, nw, npo, npi, npr, nl)
    q = secs[2][0]
    for _ in range(nc):
        row = []
        for _m in range(3):
            (k,) = struct.unpack_from("<I", data, q)
            q += 4
            lc = {}
            for _t in range(k):
                (wire,) = struct.unpack_from("<I", data, q)
                lc[wire] = int.from_bytes(data[q + 4:q + 4 + n8], "little")
                q += 4 + n8
            row.append(lc)
        out.constraints.append(tuple(row))
    return out
