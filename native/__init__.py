"""zkmargin's BN254 core: fields, NTT, G1/G2, MSM, the pairing and Poseidon.

Two backends with one API (see docs/native.md): the C extension `native._bn254`
built through cffi, and a pure-Python fallback (py_ecc + Python ints).  The environment
variable ZKMARGIN_NATIVE=c|python forces one ("c" raises if the extension is not
built); by default C is used when it is importable.
"""
from __future__ import annotations

import zkbase  # noqa: F401  (first: it undoes py_ecc's raised recursion limit)

import functools
import os
import types

from native import params
from native.convert import (NativeError, fq_from_ints, fq_to_ints, fr_from_ints,
                            fr_to_ints, g1_from_ints, g1_from_py_ecc, g1_to_ints,
                            g1_to_py_ecc, g2_from_ints, g2_from_py_ecc, g2_to_ints,
                            g2_to_py_ecc)
from native.py_curve import (g1_add, g1_batch_to_affine, g1_double, g1_fixed_base_mul,
                             g1_is_on_curve, g1_msm, g1_neg, g1_scalar_mul, g2_add,
                             g2_batch_to_affine, g2_double, g2_fixed_base_mul,
                             g2_in_subgroup, g2_is_on_curve, g2_msm, g2_neg,
                             g2_scalar_mul)
from native.py_field import (coset_ntt, fq_from_mont, fq_to_mont, fr_batch_inverse,
                             fr_from_mont, fr_inner_product, fr_pow, fr_sparse_rows,
                             fr_to_mont, fr_vec_add, fr_vec_mul, fr_vec_scale, fr_vec_sub, ntt,
                             snarkjs_odd_coset_shift)
from native.pairing import (fq12_from_ints, fq12_from_py_ecc, fq12_one, fq12_to_ints,
                            fq12_to_py_ecc)
from native.py_pairing import final_exponentiation, miller_loop, pairing, pairing_check
# (the reference `poseidon` stays in native.poseidon: `native.poseidon` is the module)
from native import poseidon as _poseidon_module
from native.poseidon import (merkle_levels, merkle_root, poseidon_batch, poseidon_many,
                             poseidon_sequence_batch, poseidon_sequence_many, zero_hashes)

#: Names that the C backend replaces when it is selected.
C_NAMES = (
    "fr_to_mont", "fr_from_mont", "fq_to_mont", "fq_from_mont",
    "fr_vec_add", "fr_vec_sub", "fr_vec_mul", "fr_vec_scale", "fr_batch_inverse",
    "fr_inner_product", "fr_sparse_rows", "fr_pow", "ntt", "coset_ntt",
    "g1_add", "g1_double", "g1_neg", "g1_scalar_mul", "g1_is_on_curve", "g1_msm",
    "g1_fixed_base_mul", "g1_batch_to_affine",
    "g2_add", "g2_double", "g2_neg", "g2_scalar_mul", "g2_is_on_curve", "g2_in_subgroup",
    "g2_msm", "g2_fixed_base_mul", "g2_batch_to_affine", "poseidon_batch",
    "pairing", "pairing_check", "miller_loop", "final_exponentiation",
)

#: Functions of native.poseidon that hash through `poseidon_batch` (bound per backend).
BATCH_USERS = ("poseidon_many", "poseidon_sequence_batch", "poseidon_sequence_many",
               "merkle_levels", "merkle_root")

_PY_API = {k: v for k, v in globals().items() if not k.startswith("_") and callable(v)}
_PY_API["params"] = params


def _load_c() -> dict[str, object]:
    """The C implementations present in this build (name -> function)."""
    import importlib

    found: dict[str, object] = {}
    for mod_name in ("native.c_field", "native.c_ntt", "native.c_curve", "native.c_msm",
                     "native.c_poseidon", "native.c_pairing"):
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name in (mod_name, "native._bn254"):
                if exc.name == "native._bn254":
                    raise
                continue
            raise
        for name in C_NAMES:
            if hasattr(mod, name):
                found[name] = getattr(mod, name)
    return found


def _select() -> str:
    want = os.environ.get("ZKMARGIN_NATIVE", "").strip().lower()
    if want not in ("", "c", "python"):
        raise NativeError(f"ZKMARGIN_NATIVE must be 'c' or 'python', got {want!r}")
    if want == "python":
        return "python"
    try:
        impl = _load_c()
    except ImportError as exc:
        if want == "c":
            raise ImportError(
                "ZKMARGIN_NATIVE=c but the C extension native._bn254 is not built "
                "(run `python native/build_native.py`)") from exc
        return "python"
    globals().update(impl)
    return "c"


_BACKEND = _select()
_poseidon_module.use_batch(globals()["poseidon_batch"])  # the helpers hash with this backend


def backend() -> str:
    """The active backend: "c" or "python"."""
    return _BACKEND


def kernels() -> list[str]:
    """The C core's field kernels in use, for reports: "MULX/ADX" (scalar products with
    MULX/ADCX/ADOX), "AVX-512 IFMA" (the eight-lane Poseidon and MSM bucket kernels);
    empty for the portable C kernels or the pure-Python backend."""
    if _BACKEND != "c":
        return []
    from native._bn254 import lib

    return [name for name, on in (("MULX/ADX", lib.zkm_asm_enabled()),
                                  ("AVX-512 IFMA", lib.zkm_ifma_enabled())) if on]


def get_backend(name: str) -> types.SimpleNamespace:
    """The API of one backend explicitly ("c" or "python"), e.g. to compare them.

    Shared names (conversions, params) are included; "c" raises ImportError when the
    extension is not built.
    """
    if name not in ("c", "python"):
        raise NativeError(f"unknown native backend {name!r}")
    api = {k: v for k, v in _PY_API.items()}
    if name == "c":
        api.update(_load_c())
    for fn in BATCH_USERS:  # Merkle and sequence helpers hash with this backend's batch
        api[fn] = functools.partial(_PY_API[fn], batch=api["poseidon_batch"])
    api["backend"] = lambda: name
    return types.SimpleNamespace(**api)

