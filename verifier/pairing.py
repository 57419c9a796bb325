"""Curve arithmetic helpers and the pairing-product backends of the verifier.

* py_ecc conversions and the reference checks: ``g2_on_twist`` (y² = x³ + 3/(9+i)) and
  ``g2_in_subgroup`` (r·Q = O);
* ``pairing_backend(name)``: a function ``pairs -> bool`` evaluating ∏ e(a_j, b_j) == 1 over
  validated affine pairs, ``native`` (``native.pairing_check``, C backend) or ``py_ecc``
  (the reference: product of Miller loops, one final exponentiation); ``auto`` picks native
  when its C backend is built.

Both :mod:`verifier.evm` (the precompiles) and :mod:`verifier.groth16` (the verification
equation) build on this module; it imports neither.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from py_ecc import optimized_bn128 as bn

from native.encoding import G1Point as G1
from native.encoding import G2Point as G2
from native.params import R

BACKENDS = ("auto", "native", "py_ecc")
TWIST_B = bn.b2  # 3 / (9 + i) as py_ecc FQ2

PairingCheck = Callable[[list[tuple[G1, G2]]], bool]


def to_py_ecc_g1(point: G1) -> tuple:
    """Affine ints → py_ecc optimized (Jacobian-style) G1."""
    return bn.Z1 if point is None else (bn.FQ(point[0]), bn.FQ(point[1]), bn.FQ.one())


def from_py_ecc_g1(point: tuple) -> G1:
    """py_ecc optimized G1 → affine ints."""
    if bn.is_inf(point):
        return None
    x, y = bn.normalize(point)
    return (int(x), int(y))


def to_py_ecc_g2(point: G2) -> tuple:
    """Affine ((re, im), (re, im)) → py_ecc optimized G2."""
    if point is None:
        return bn.Z2
    return (bn.FQ2(list(point[0])), bn.FQ2(list(point[1])), bn.FQ2.one())


def g2_on_twist(point: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """y² = x³ + 3/(9+i) over F_p2 (coordinates as (re, im))."""
    x, y = bn.FQ2(list(point[0])), bn.FQ2(list(point[1]))
    return y * y - x * x * x == TWIST_B


def py_ecc_g2_in_subgroup(point: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """r·Q = O for a point on the twist (the twist has order r·(2p − r)), with py_ecc."""
    q = (bn.FQ2(list(point[0])), bn.FQ2(list(point[1])), bn.FQ2.one())
    return bn.is_inf(bn.multiply(q, R))


def py_ecc_pairing_check(pairs: list[tuple[G1, G2]]) -> bool:
    """∏ e(a_j, b_j) == 1: product of Miller loops, one final exponentiation (py_ecc)."""
    acc = bn.FQ12.one()
    for g1, g2 in pairs:
        if g1 is None or g2 is None:
            continue  # e(O, Q) = e(P, O) = 1
        acc = acc * bn.pairing(to_py_ecc_g2(g2), to_py_ecc_g1(g1), final_exponentiate=False)
    return bn.final_exponentiate(acc) == bn.FQ12.one()


def native_module() -> Optional[Any]:
    """The ``native`` package if it provides the pairing API, else None."""
    try:
        import native
    except ImportError:
        return None
    return native if hasattr(native, "pairing_check") and hasattr(native, "g1_from_ints") else None


def native_available() -> bool:
    """True when ``native.pairing_check`` exists and runs on the C backend."""
    native = native_module()
    return native is not None and getattr(native, "backend", lambda: "python")() == "c"


def resolve_backend(backend: str) -> str:
    """``auto`` → ``native`` if its C backend is built, else ``py_ecc``; validates the name."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if backend == "auto":
        return "native" if native_available() else "py_ecc"
    if backend == "native" and native_module() is None:
        raise ValueError("backend 'native': the native package provides no pairing_check")
    return backend


def native_pairing_check(pairs: list[tuple[G1, G2]]) -> bool:
    """∏ e(a_j, b_j) == 1 via ``native.pairing_check`` on Montgomery limb arrays."""
    native = native_module()
    live = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not live:
        return True
    g1 = native.g1_from_ints([a for a, _ in live])
    g2 = native.g2_from_ints([b for _, b in live])
    return bool(native.pairing_check(g1, g2))


def pairing_backend(backend: str = "auto") -> PairingCheck:
    """The pairing-product check of ``backend`` over validated affine pairs."""
    if resolve_backend(backend) == "native":
        return native_pairing_check
    return py_ecc_pairing_check


def g2_in_subgroup(point: tuple[tuple[int, int], tuple[int, int]], backend: str = "auto") -> bool:
    """r·Q = O for Q on the twist (native when it has ``g2_in_subgroup``)."""
    native = native_module() if resolve_backend(backend) == "native" else None
    if native is not None and hasattr(native, "g2_in_subgroup"):
        return bool(native.g2_in_subgroup(native.g2_from_ints([point])[0]))
    return py_ecc_g2_in_subgroup(point)
