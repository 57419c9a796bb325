"""Fixtures for the native layer: run each API test on both backends.

The "c" backend must be built (`python native/build_native.py`); a test that needs it
fails (never skips) when it is missing.
"""
from __future__ import annotations

import random

import pytest

import native

BACKENDS = ("c", "python")


def c_backend():
    """The C backend namespace, failing the test if the extension is not built."""
    try:
        return native.get_backend("c")
    except ImportError as exc:
        pytest.fail(f"native C extension not built: run `python native/build_native.py` ({exc})")


@pytest.fixture(params=["c", pytest.param("python", marks=pytest.mark.slow)])
def nb(request):
    """The native API of one backend (the pure-Python fallback's runs are in the slow tier)."""
    if request.param == "c":
        return c_backend()
    return native.get_backend("python")


@pytest.fixture(scope="session")
def lib():
    """The raw cffi lib of the C extension."""
    c_backend()
    from native._bn254 import ffi, lib as _lib

    return ffi, _lib


@pytest.fixture
def rng():
    """A deterministic RNG per test."""
    return random.Random(0x5EED)
