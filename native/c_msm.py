"""C backend: Pippenger MSM and fixed-base multiplication on G1/G2.

Scalars are (n, 4) standard-form limbs (any value < 2^256, meaning k mod r); points
are Montgomery affine.  Scratch buffers are numpy arrays sized by the C
*_scratch_size functions (no allocation inside C).  The MSM's tuning is an
:class:`MsmConfig` passed with each call (the C `msm_config`); None means the defaults.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from native._bn254 import ffi, lib
from native.c_field import ptr, threads_arg
from native.convert import NativeError, as_limbs


@dataclass(frozen=True)
class MsmConfig:
    """Tuning of one MSM call; a field left at None takes the C `msm_config_default`
    (which depends on the kernel: with IFMA, GLV at every size and batch-affine buckets
    from 512 per window; otherwise GLV up to n = 2^14 and batch-affine from 1024).

    glv: split G1 scalars with the GLV endomorphism when n <= glv_max_n;
    batch_min_buckets: batch-affine buckets from this many buckets per window;
    window_bits: 0 to choose the window from the size, else that many bits (2..20)."""

    glv: bool = True
    glv_max_n: int | None = None
    batch_min_buckets: int | None = None
    window_bits: int = 0

    def to_c(self):
        """A `msm_config *` for the C calls (keep the returned object alive)."""
        if self.window_bits and not 2 <= self.window_bits <= 20:
            raise NativeError(f"msm: window_bits must be 0 or 2..20, got {self.window_bits}")
        cfg = ffi.new("msm_config *")
        lib.msm_config_default(cfg)
        cfg.glv, cfg.window_bits = int(self.glv), int(self.window_bits)
        if self.glv_max_n is not None:
            cfg.glv_max_n = int(self.glv_max_n)
        if self.batch_min_buckets is not None:
            cfg.batch_min_buckets = int(self.batch_min_buckets)
        return cfg


def _cfg(config: MsmConfig | None):
    return ffi.NULL if config is None else config.to_c()


def _inputs(points, scalars, w: int) -> tuple[np.ndarray, np.ndarray, int]:
    pts = as_limbs(points, w, "points").reshape(-1, w)
    ks = as_limbs(scalars, 4, "scalars").reshape(-1, 4)
    if pts.shape[0] != ks.shape[0]:
        raise NativeError(f"msm: {pts.shape[0]} points but {ks.shape[0]} scalars")
    return pts, ks, pts.shape[0]


def _msm(prefix: str, w: int):
    run = getattr(lib, f"{prefix}_msm")
    size = getattr(lib, f"{prefix}_msm_scratch_size")

    def msm(points, scalars, threads: int | None = None,
            config: MsmConfig | None = None) -> np.ndarray:
        """sum_i [k_i mod r] P_i as a (w,) affine Montgomery point (`config`: tuning)."""
        pts, ks, n = _inputs(points, scalars, w)
        t = threads_arg(threads)
        cfg = _cfg(config)
        words = size(n, t, cfg)
        scratch = np.empty(words, dtype=np.uint64)
        r = np.zeros(w, dtype=np.uint64)
        if run(ptr(r), ptr(pts), ptr(ks), n, t, cfg, ptr(scratch), words) != 0:
            raise NativeError(f"{prefix}_msm: scratch too small (internal error)")
        return r

    return msm


def _fixed(prefix: str, w: int):
    run = getattr(lib, f"{prefix}_fixed_base_mul")
    size = getattr(lib, f"{prefix}_fixed_base_scratch_size")

    def fixed_base_mul(base, scalars, threads: int | None = None) -> np.ndarray:
        """[k_i mod r] base for every scalar, as (n, w) affine Montgomery points."""
        b = as_limbs(base, w, "base")
        if b.size != w:
            raise NativeError(f"{prefix}_fixed_base_mul: base must be one point")
        ks = as_limbs(scalars, 4, "scalars").reshape(-1, 4)
        n = ks.shape[0]
        words = size(n)
        scratch = np.empty(words, dtype=np.uint64)
        out = np.zeros((n, w), dtype=np.uint64)
        if run(ptr(out), ptr(b.reshape(w)), ptr(ks), n, threads_arg(threads),
               ptr(scratch), words) != 0:
            raise NativeError(f"{prefix}_fixed_base_mul: scratch too small (internal error)")
        return out

    return fixed_base_mul


g1_msm, g2_msm = _msm("g1", 8), _msm("g2", 16)
g1_fixed_base_mul, g2_fixed_base_mul = _fixed("g1", 8), _fixed("g2", 16)


def window_bits(m: int, group: str = "g1", config: MsmConfig | None = None) -> int:
    """The Pippenger window size the C MSM of `group` uses for m non-trivial scalars
    (G1 with GLV: 2m half-size scalars)."""
    return int(lib.msm_window_for(m, 1 if group == "g1" else 2, _cfg(config)))


def glv_decompose(k: int) -> tuple[int, int]:
    """(k1, k2) with k = k1 + k2 lambda (mod r), |k1|, |k2| < 2^128 (the C split)."""
    from native.convert import ints_to_limbs, limbs_to_ints

    out = np.zeros(8, dtype=np.uint64)
    kk = ints_to_limbs([k])[0].copy()
    signs = lib.g1_glv_decompose(ffi.cast("uint64_t *", out.ctypes.data),
                                 ffi.cast("uint64_t *", kk.ctypes.data))
    k1, k2 = limbs_to_ints(out.reshape(2, 4))
    return (-k1 if signs & 1 else k1, -k2 if signs & 2 else k2)
