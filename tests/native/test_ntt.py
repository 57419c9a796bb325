"""NTT over Fr on both backends against a naive DFT over galois GF(r) and each other."""
from __future__ import annotations

import functools
import random

import numpy as np
import pytest

import native
from native import params as bn

R = bn.R


@functools.lru_cache(maxsize=None)
def gf():
    import galois

    return galois.GF(R, primitive_element=5, verify=False)


def naive_dft(vals: list[int], omega: int) -> list[int]:
    """A_i = sum_j a_j omega^(ij), as a galois Vandermonde matrix product."""
    GF = gf()
    n = len(vals)
    w = GF(omega)
    V = GF([[int(w ** (i * j)) for j in range(n)] for i in range(n)])
    return [int(x) for x in V @ GF(vals)]


def mont(nb, vals):
    return nb.fr_to_mont(native.fr_from_ints(vals))


def ints(nb, arr):
    return native.fr_to_ints(nb.fr_from_mont(arr))


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5])
def test_ntt_matches_galois_dft(nb, k):
    n = 1 << k
    rnd = random.Random(k)
    vals = [rnd.randrange(R) for _ in range(n)]
    if n >= 2:
        vals[:2] = [R - 1, 0]
    omega = bn.fr_root_of_unity(k)
    assert ints(nb, nb.ntt(mont(nb, vals))) == naive_dft(vals, omega)
    inv = naive_dft(vals, pow(omega, -1, R))
    n_inv = pow(n, -1, R)
    assert ints(nb, nb.ntt(mont(nb, vals), inverse=True)) == [x * n_inv % R for x in inv]


def test_omega_is_snarkjs_root():
    # ffjavascript: nqr = 5 (first non-residue), w[28] = nqr^t, w[k] = w[28]^(2^(28-k))
    assert pow(5, (R - 1) // 2, R) == R - 1
    assert all(pow(g, (R - 1) // 2, R) == 1 for g in (2, 3, 4))
    w = bn.fr_root_of_unity(10)
    assert pow(w, 1 << 10, R) == 1 and pow(w, 1 << 9, R) == R - 1


@pytest.mark.parametrize("k", [3, 6])
def test_coset_ntt_evaluates_on_coset(nb, k):
    n = 1 << k
    rnd = random.Random(100 + k)
    coeffs = [rnd.randrange(R) for _ in range(n)]
    shift = nb.snarkjs_odd_coset_shift(k)
    assert shift == bn.fr_root_of_unity(k + 1)
    omega = bn.fr_root_of_unity(k)
    expect = [sum(c * pow(shift * pow(omega, i, R), j, R) for j, c in enumerate(coeffs)) % R
              for i in range(n)]
    evals = nb.coset_ntt(mont(nb, coeffs), shift)
    assert ints(nb, evals) == expect
    # the coset is the odd powers of omega_{2n}
    w2 = bn.fr_root_of_unity(k + 1)
    assert [shift * pow(omega, i, R) % R for i in range(n)] == [pow(w2, 2 * i + 1, R) for i in range(n)]
    assert ints(nb, nb.coset_ntt(evals, shift, inverse=True)) == coeffs
    # shift given as a Montgomery (4,) element
    assert (nb.coset_ntt(mont(nb, coeffs), mont(nb, [shift])[0]) == evals).all()


def horner(coeffs: list[int], x: int) -> int:
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % R
    return acc


@pytest.mark.parametrize("k", [8, 12, 13, 14, 15, 16, 17])
def test_c_ntt_matches_python_and_roundtrips(k):
    """Sizes around the 2^14 cache block: in-block radix-4/radix-2 stages and 1, 2, 3
    stages beyond it (radix-2, radix-4, radix-4 + radix-2)."""
    from tests.native.conftest import c_backend

    c, py = c_backend(), native.get_backend("python")
    n = 1 << k
    rnd = random.Random(k)
    a = mont(c, [rnd.randrange(R) for _ in range(n)])
    fwd = c.ntt(a)
    if k <= 12:
        assert (fwd == py.ntt(a)).all()
    else:  # larger: check A(omega^i) at a few points directly
        vals = ints(c, a)
        omega = bn.fr_root_of_unity(k)
        got = ints(c, fwd)
        for i in (0, 1, n // 2 + 3, n - 1):
            assert got[i] == horner(vals, pow(omega, i, R))
    for threads in (1, 2, 3):
        assert (c.ntt(a, threads=threads) == fwd).all()
        assert (c.ntt(fwd, inverse=True, threads=threads) == a).all()


def test_ntt_out_parameter(nb):
    a = mont(nb, list(range(16)))
    want = nb.ntt(a)
    out = np.zeros_like(a)
    assert nb.ntt(a, out=out) is out and (out == want).all()
    b = a.copy()
    assert (nb.ntt(b, out=b) == want).all() and (b == want).all()  # in place


def test_ntt_rejects_bad_sizes(nb):
    with pytest.raises(native.NativeError):
        nb.ntt(np.zeros((3, 4), np.uint64))
    with pytest.raises(native.NativeError):
        nb.ntt(np.zeros((0, 4), np.uint64))


@pytest.mark.slow
@pytest.mark.parametrize("k", [20, 24])
def test_c_ntt_large_sizes_on_sparse_input(k):
    """2^20 and 2^24 (16M points, 512 MiB of coefficients): a polynomial with a few
    random coefficients at random positions, so that A(omega^i) is cheap to evaluate
    in Python; the transform's output is dense, so every stage and both threads are
    exercised.  The inverse must give the input back."""
    from tests.native.conftest import c_backend

    c = c_backend()
    n = 1 << k
    rnd = random.Random(k)
    terms = {rnd.randrange(n): rnd.randrange(R) for _ in range(6)}
    coeffs = np.zeros((n, 4), dtype=np.uint64)
    idx = np.array(sorted(terms), dtype=np.int64)
    coeffs[idx] = native.fr_from_ints([terms[j] for j in sorted(terms)])
    a = c.fr_to_mont(coeffs)
    fwd = c.ntt(a)
    omega = bn.fr_root_of_unity(k)
    for i in (0, 1, 12345, n // 2 + 7, n - 1):
        x = pow(omega, i, R)
        want = sum(v * pow(x, j, R) for j, v in terms.items()) % R
        assert ints(c, fwd[i:i + 1])[0] == want
    assert (c.ntt(fwd, inverse=True) == a).all()
