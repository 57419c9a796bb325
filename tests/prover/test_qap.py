"""The prover's QAP step against a slow reference in galois polynomial arithmetic.

Reference: interpolate A(x), B(x), C(x) through the row values of A w, B w, C w on
<w_n> (C taken from the C matrix, not as A.B), check Z = x^n - 1 divides AB - C,
and compare the prover's H scalars with (AB - C)(w_2n w_n^j) = h(x_j) Z(x_j)."""
from __future__ import annotations

import numpy as np
import pytest

from prover.encoding import R, ints_to_limbs, limbs_to_ints
from prover.ptau import read_ptau
from prover.qap import abc_evaluations, h_scalars, plan
from prover.setup import new_zkey
from tests.prover.conftest import toy_circuit


@pytest.fixture(scope="module")
def gf():
    import galois

    return galois.GF(R, primitive_element=5, verify=False)


@pytest.mark.parametrize("n_mul", [3, 9])
def test_h_scalars_match_galois_reference(dev_ptau, gf, n_mul):
    import galois
    import native
    from native.params import fr_root_of_unity

    r1cs, w = toy_circuit(n_mul)
    z = new_zkey(r1cs, read_ptau(dev_ptau))
    n, k = z.domain_size, z.power
    n_pub = r1cs.n_pub_out + r1cs.n_pub_in
    dot = lambda lc: sum(v * w[s] for s, v in lc.items()) % R  # noqa: E731
    rows_a = [dot(a) for a, _, _ in r1cs.constraints] + w[:n_pub + 1]
    rows_b = [dot(b) for _, b, _ in r1cs.constraints]
    rows_c = [dot(c) for _, _, c in r1cs.constraints]
    pad = lambda v: v + [0] * (n - len(v))  # noqa: E731
    omega = fr_root_of_unity(k)
    xs = gf([pow(omega, i, R) for i in range(n)])
    pa, pb, pc = (galois.lagrange_poly(xs, gf(pad(v))) for v in (rows_a, rows_b, rows_c))
    zpoly = galois.Poly([1] + [0] * (n - 1) + [R - 1], field=gf)
    hpoly, rem = divmod(pa * pb - pc, zpoly)
    assert rem == 0
    g = fr_root_of_unity(k + 1)
    coset = gf([g * pow(omega, j, R) % R for j in range(n)])
    expected = [int(v) for v in (hpoly(coset) * zpoly(coset))]
    got = limbs_to_ints(h_scalars(plan(z), ints_to_limbs(w)))
    assert got == expected
    a, b, c = abc_evaluations(plan(z), ints_to_limbs(w))
    assert native.fr_to_ints(native.fr_from_mont(a)) == [x % R for x in pad(rows_a)]
    assert native.fr_to_ints(native.fr_from_mont(b)) == pad(rows_b)
    assert native.fr_to_ints(native.fr_from_mont(c)) == pad(rows_c)
