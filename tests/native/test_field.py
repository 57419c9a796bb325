"""Fq / Fr / Fq2 arithmetic against Python ints (C kernels and both backends' vectors)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import native
from native import params as bn
from native.convert import ints_to_limbs, limbs_to_ints

P, R = bn.P, bn.R
RQ, RR = bn.FQ_MONT["R1"], bn.FR_MONT["R1"]


def edge_or_random(p: int):
    return st.one_of(st.sampled_from([0, 1, 2, p - 1, p - 2, (p - 1) // 2]),
                     st.integers(min_value=0, max_value=p - 1))


def mont(x: int, p: int, r1: int) -> np.ndarray:
    return ints_to_limbs([x * r1 % p])[0].copy()


def unmont(a: np.ndarray, p: int, r1: int) -> int:
    return limbs_to_ints(a)[0] * pow(r1, -1, p) % p


FIELDS = [("fq", P, RQ), ("fr", R, RR)]


def _call(ffi, fn, *args: np.ndarray) -> np.ndarray:
    out = np.zeros(4, dtype=np.uint64)
    fn(ffi.cast("uint64_t *", out.ctypes.data),
       *[ffi.cast("uint64_t *", a.ctypes.data) for a in args])
    return out


@pytest.fixture(params=["asm", "portable"])
def kernel(lib, request):
    """Run a C test with the MULX/ADX kernel and with the portable C kernel."""
    ffi, L = lib
    old = L.zkm_asm_enabled()
    enabled = L.zkm_set_asm(1 if request.param == "asm" else 0)
    # on a CPU without BMI2/ADX, asking for the asm kernel must keep the portable one
    assert enabled == (request.param == "asm" and bool(L.zkm_cpu_has_adx()))
    yield "asm" if enabled else "portable"
    L.zkm_set_asm(old)


@pytest.mark.parametrize("name,p,r1", FIELDS, ids=["fq", "fr"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_c_field_ops_match_ints(lib, kernel, name, p, r1, data):
    ffi, L = lib
    assert bool(L.zkm_asm_enabled()) == (kernel == "asm")
    x = data.draw(edge_or_random(p))
    y = data.draw(edge_or_random(p))
    a, b = mont(x, p, r1), mont(y, p, r1)
    f = lambda op: getattr(L, f"{name}_{op}")  # noqa: E731
    assert unmont(_call(ffi, f("add"), a, b), p, r1) == (x + y) % p
    assert unmont(_call(ffi, f("sub"), a, b), p, r1) == (x - y) % p
    assert unmont(_call(ffi, f("mul"), a, b), p, r1) == x * y % p
    assert unmont(_call(ffi, f("sqr"), a), p, r1) == x * x % p
    assert unmont(_call(ffi, f("neg"), a), p, r1) == (-x) % p
    inv = unmont(_call(ffi, f("inv"), a), p, r1)
    assert inv == (pow(x, -1, p) if x else 0)
    assert bool(f("is_zero")(ffi.cast("uint64_t *", a.ctypes.data))) == (x == 0)
    eq = f("eq")(ffi.cast("uint64_t *", a.ctypes.data), ffi.cast("uint64_t *", b.ctypes.data))
    assert bool(eq) == (x == y)
    # to/from Montgomery
    std = ints_to_limbs([x])[0].copy()
    assert limbs_to_ints(_call(ffi, f("to_mont"), std))[0] == x * r1 % p
    assert limbs_to_ints(_call(ffi, f("from_mont"), a))[0] == x


def fq2(x: tuple[int, int]) -> np.ndarray:
    return np.concatenate([mont(x[0], P, RQ), mont(x[1], P, RQ)])


def unfq2(a: np.ndarray) -> tuple[int, int]:
    return (unmont(a[:4], P, RQ), unmont(a[4:], P, RQ))


def _call2(ffi, fn, *args):
    out = np.zeros(8, dtype=np.uint64)
    fn(ffi.cast("uint64_t *", out.ctypes.data),
       *[ffi.cast("uint64_t *", np.ascontiguousarray(a).ctypes.data) for a in args])
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a0=edge_or_random(P), a1=edge_or_random(P), b0=edge_or_random(P), b1=edge_or_random(P))
def test_c_fq2_ops_match_ints(lib, kernel, a0, a1, b0, b1):
    ffi, L = lib
    a, b = fq2((a0, a1)), fq2((b0, b1))
    assert unfq2(_call2(ffi, L.fq2_add, a, b)) == ((a0 + b0) % P, (a1 + b1) % P)
    assert unfq2(_call2(ffi, L.fq2_sub, a, b)) == ((a0 - b0) % P, (a1 - b1) % P)
    assert unfq2(_call2(ffi, L.fq2_mul, a, b)) == bn.fq2_mul((a0, a1), (b0, b1))
    assert unfq2(_call2(ffi, L.fq2_sqr, a)) == bn.fq2_mul((a0, a1), (a0, a1))
    assert unfq2(_call2(ffi, L.fq2_neg, a)) == ((-a0) % P, (-a1) % P)
    assert unfq2(_call2(ffi, L.fq2_conj, a)) == (a0, (-a1) % P)
    assert unfq2(_call2(ffi, L.fq2_mul_by_xi, a)) == bn.fq2_mul((a0, a1), bn.XI)
    assert unfq2(_call2(ffi, L.fq2_mul_fq, a, mont(b0, P, RQ))) == (a0 * b0 % P, a1 * b0 % P)
    if (a0, a1) != (0, 0):
        assert unfq2(_call2(ffi, L.fq2_inv, a)) == bn.fq2_inv((a0, a1))
    else:
        assert unfq2(_call2(ffi, L.fq2_inv, a)) == (0, 0)


def _rand_vec(rng, n, edges=True):
    vals = [rng.randrange(R) for _ in range(n)]
    if edges and n >= 4:
        vals[:4] = [0, 1, R - 1, 2]
    return vals


def _m(nb, vals):
    return nb.fr_to_mont(native.fr_from_ints(vals))


def _v(nb, arr):
    return native.fr_to_ints(nb.fr_from_mont(arr))


@pytest.mark.parametrize("n", [0, 1, 5, 64])
def test_fr_vectors_match_ints(nb, rng, n):
    xs, ys = _rand_vec(rng, n), _rand_vec(rng, n)[::-1]
    a, b = _m(nb, xs), _m(nb, ys)
    assert _v(nb, nb.fr_vec_add(a, b)) == [(x + y) % R for x, y in zip(xs, ys)]
    assert _v(nb, nb.fr_vec_sub(a, b)) == [(x - y) % R for x, y in zip(xs, ys)]
    assert _v(nb, nb.fr_vec_mul(a, b)) == [x * y % R for x, y in zip(xs, ys)]
    s = _m(nb, [7])[0]
    assert _v(nb, nb.fr_vec_scale(a, s)) == [7 * x % R for x in xs]
    assert _v(nb, nb.fr_batch_inverse(a)) == [pow(x, -1, R) if x else 0 for x in xs]
    assert _v(nb, nb.fr_inner_product(a, b).reshape(1, 4)) == [
        sum(x * y for x, y in zip(xs, ys)) % R]
    assert _v(nb, nb.fr_pow(a, 12345)) == [pow(x, 12345, R) for x in xs]
    out = np.zeros_like(a)
    assert nb.fr_vec_add(a, b, out=out) is out


@pytest.mark.parametrize("n_rows,nnz", [(0, 0), (1, 0), (3, 7), (5000, 20000)])
def test_fr_sparse_rows_match_ints(nb, rng, n_rows, nnz):
    """CSR rows: r_c = sum values[coef[k]] w[col[k]], empty rows zero, repeated entries
    summed; 5,000 rows runs the C kernel on two threads."""
    if nb.backend() == "python" and n_rows > 100:
        n_rows, nnz = 40, 150
    n_vals, n_w = 9, 11
    xs, ws = _rand_vec(rng, n_vals), _rand_vec(rng, n_w)
    rows = sorted(rng.randrange(max(n_rows, 1)) for _ in range(nnz)) if n_rows else []
    row_start = np.searchsorted(np.array(rows, dtype=np.int64), np.arange(n_rows + 1))
    coef = [rng.randrange(n_vals) for _ in range(nnz)]
    col = [rng.randrange(n_w) for _ in range(nnz)]
    got = nb.fr_sparse_rows(row_start, coef, col, _m(nb, xs), _m(nb, ws), threads=2)
    want = [0] * n_rows
    for r, k, j in zip(rows, coef, col):
        want[r] = (want[r] + xs[k] * ws[j]) % R
    assert got.shape == (n_rows, 4) and _v(nb, got) == want


def test_fr_sparse_rows_refuse_bad_indices(nb):
    vals, w = _m(nb, [1, 2]), _m(nb, [3, 4, 5])
    ok = dict(row_start=[0, 1, 2], coef=[0, 1], col=[2, 0])
    assert _v(nb, nb.fr_sparse_rows(values=vals, w=w, **ok)) == [1 * 5, 2 * 3]
    for bad in (dict(ok, coef=[0, 2]), dict(ok, col=[3, 0]), dict(ok, col=[-1, 0]),
                dict(ok, row_start=[1, 1, 2]), dict(ok, row_start=[0, 2, 1]),
                dict(ok, row_start=[0, 1, 3])):
        with pytest.raises(native.NativeError, match="fr_sparse_rows"):
            nb.fr_sparse_rows(values=vals, w=w, **bad)


def test_conversions_reduce_and_roundtrip(nb):
    big = [R, R + 5, (1 << 256) - 1, 0, P]
    std = native.convert.ints_to_limbs(big)
    assert _v(nb, nb.fr_to_mont(std)) == [v % R for v in big]
    fq = nb.fq_to_mont(std)
    assert native.fq_to_ints(nb.fq_from_mont(fq)) == [v % P for v in big]
    assert native.fr_to_ints(native.fr_from_ints([-1, R + 3])) == [R - 1, 3]


def test_shape_errors_are_native_errors(nb):
    with pytest.raises(native.NativeError):
        nb.fr_vec_add(np.zeros((3, 4), np.uint64), np.zeros((2, 4), np.uint64))
    with pytest.raises(native.NativeError):
        nb.fr_to_mont(np.zeros((3, 3), np.uint64))
