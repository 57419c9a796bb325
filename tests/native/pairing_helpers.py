"""Shared helpers for the pairing tests: points from scalars, backends, GT via py_ecc."""
from __future__ import annotations

import numpy as np
import pytest
from py_ecc import optimized_bn128 as ob

import native
from native.pairing import fq12_to_py_ecc

R = ob.curve_order


def pairing_backend(name: str):
    """The pairing functions of one backend; a missing C build fails, never skips."""
    try:
        return native.get_backend(name)
    except ImportError as exc:
        pytest.fail(f"native C extension not built: run `python native/build_native.py` ({exc})")


def g1(k: int) -> np.ndarray:
    """[k] G1 as (8,) Montgomery affine (k = 0 gives infinity)."""
    return native.g1_from_py_ecc(ob.multiply(ob.G1, k % R))


def g2(k: int) -> np.ndarray:
    """[k] G2 as (16,) Montgomery affine (k = 0 gives infinity)."""
    return native.g2_from_py_ecc(ob.multiply(ob.G2, k % R))


def stack(points: list[np.ndarray], width: int) -> np.ndarray:
    """List of points -> (k, width) array (k = 0 allowed)."""
    if not points:
        return np.zeros((0, width), dtype=np.uint64)
    return np.ascontiguousarray(np.stack(points))


def gt(arr: np.ndarray):
    """(48,) limbs -> py_ecc FQ12."""
    return fq12_to_py_ecc(arr)
