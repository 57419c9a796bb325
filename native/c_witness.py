"""C backend: the witness-program interpreter (`native/src/witness_vm.c`).

A program is a flat int32 array of steps (opcodes ``LIN``, ``MUL``, ``SOLVE``, ``BITS``,
``HINT`` and their operands, layout in ``witness_vm.h``) over a memory of Fr elements
held in Montgomery form, with a table of Montgomery coefficients.  :func:`run` executes
it up to the next hint; :func:`set_values` and :func:`get_values` move standard-form
values in and out of the memory (a hint's arguments and results, the inputs, the final
witness).  Every index is checked by the C code: a malformed program or index array
raises :class:`NativeError`, it never reads or writes outside the arrays.
"""
from __future__ import annotations

import numpy as np

from native._bn254 import ffi, lib
from native.c_field import ptr
from native.convert import NativeError, as_limbs

LIN, MUL, SOLVE, HINT, BITS = lib.WVM_LIN, lib.WVM_MUL, lib.WVM_SOLVE, lib.WVM_HINT, lib.WVM_BITS

_ERRORS = {
    lib.WVM_ERR_OPCODE: "unknown opcode",
    lib.WVM_ERR_TRUNCATED: "step runs past the end of the program",
    lib.WVM_ERR_INDEX: "slot index out of range",
    lib.WVM_ERR_COEF: "coefficient index out of range",
    lib.WVM_ERR_COUNT: "negative term or bit count",
}


def _memory(w: np.ndarray) -> np.ndarray:
    if (not isinstance(w, np.ndarray) or w.dtype != np.uint64 or w.ndim != 2
            or w.shape[1] != 4 or not w.flags.c_contiguous or not w.flags.writeable):
        raise NativeError("witness memory: expected a writable C-contiguous (n, 4) uint64 array")
    return w


def _int32(a: object, name: str) -> np.ndarray:
    arr = np.asarray(a)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise NativeError(f"{name}: expected a 1-d integer array")
    if arr.dtype != np.int32:
        if arr.size and (arr.min() < -2**31 or arr.max() >= 2**31):
            raise NativeError(f"{name}: value outside int32")
        arr = arr.astype(np.int32)
    return np.ascontiguousarray(arr)


def _i32(a: np.ndarray):
    return ffi.from_buffer("int32_t[]", a)


def run(w: np.ndarray, code: np.ndarray, coefs: np.ndarray, pc: int = 0) -> tuple[int, int]:
    """Run the program ``code`` from offset ``pc`` on the memory ``w`` ((n, 4) Montgomery
    limbs, updated in place) until its end or the next ``HINT`` step.

    Returns ``(pc, hint)``: after a hint step, the offset of the step that follows it
    and the hint's id; at the end of the program, ``(len(code), -1)``.  A malformed step
    raises NativeError naming its offset (the steps before it have run)."""
    w = _memory(w)
    code = _int32(code, "code")
    coefs = as_limbs(coefs, 4, "coefs")
    if coefs.ndim != 2:
        raise NativeError(f"coefs: expected an (m, 4) array, got shape {coefs.shape}")
    if not 0 <= pc <= code.shape[0]:
        raise NativeError(f"pc: {pc} is outside the program (length {code.shape[0]})")
    pc_io = ffi.new("size_t *", pc)
    hint = ffi.new("int32_t *", -1)
    rc = lib.wvm_run(ptr(w), w.shape[0], _i32(code), code.shape[0], pc_io, ptr(coefs),
                     coefs.shape[0], hint)
    if rc == lib.WVM_DONE:
        return int(pc_io[0]), -1
    if rc == lib.WVM_AT_HINT:
        return int(pc_io[0]), int(hint[0])
    raise NativeError(f"witness program: {_ERRORS.get(rc, f'error {rc}')} in the step at "
                      f"offset {pc_io[0]}")


def set_values(w: np.ndarray, idx: object, values: object) -> None:
    """``w[idx[i]] = values[i] mod r`` in Montgomery form; ``values`` are standard-form
    (m, 4) limbs (any value < 2^256).  Raises NativeError (nothing written) when an
    index is outside the memory."""
    w = _memory(w)
    idx = _int32(idx, "idx")
    vals = as_limbs(values, 4, "values").reshape(-1, 4)
    if vals.shape[0] != idx.shape[0]:
        raise NativeError(f"values: {vals.shape[0]} values for {idx.shape[0]} indices")
    if lib.wvm_set(ptr(w), w.shape[0], _i32(idx), ptr(vals), idx.shape[0]) != 0:
        raise NativeError(f"idx: index outside the witness memory of {w.shape[0]} slots")


def get_values(w: np.ndarray, idx: object) -> np.ndarray:
    """The standard-form (m, 4) limbs of ``w[idx[i]]``.  Raises NativeError when an index
    is outside the memory."""
    w = _memory(w)
    idx = _int32(idx, "idx")
    out = np.empty((idx.shape[0], 4), dtype=np.uint64)
    if lib.wvm_get(ptr(out), ptr(w), w.shape[0], _i32(idx), idx.shape[0]) != 0:
        raise NativeError(f"idx: index outside the witness memory of {w.shape[0]} slots")
    return out
