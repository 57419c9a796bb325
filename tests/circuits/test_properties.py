"""Property tests (Hypothesis): gadget outputs equal Python-int arithmetic, witnesses satisfy."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from circuits.builder import Builder
from circuits.field import R, decode_signed
from circuits.gadgets import div_ceil, div_floor, less_than, max_argmax, top_k_sum
from native.poseidon import merkle_path, merkle_root, merkle_verify, poseidon

N = 32
signed = st.integers(min_value=-(2**N), max_value=2**N - 1)
SETTINGS = settings(max_examples=40, deadline=None)


@SETTINGS
@given(x=signed, d=st.integers(min_value=1, max_value=2**20))
def test_division_matches_python(x: int, d: int) -> None:
    b = Builder(with_values=True)
    xv = b.private_input("x", x % R)
    qf, rf = div_floor(b, xv, d, N)
    qc, rc = div_ceil(b, xv, d, N)
    assert (decode_signed(qf.val), rf.val) == (x // d, x % d)
    assert decode_signed(qc.val) == -((-x) // d) and rc.val == (-x) % d
    assert b.which_is_unsatisfied() is None


@SETTINGS
@given(x=signed, y=signed)
def test_less_than_matches_python(x: int, y: int) -> None:
    b = Builder(with_values=True)
    lt = less_than(b, b.private_input("x", x % R), b.private_input("y", y % R), N + 1)
    assert lt.val == int(x < y)
    assert b.which_is_unsatisfied() is None


@SETTINGS
@given(xs=st.lists(signed, min_size=1, max_size=8), data=st.data())
def test_max_and_top_k_match_python(xs: list[int], data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=1, max_value=len(xs)))
    b = Builder(with_values=True)
    vs = [b.private_input(f"x{i}", x % R) for i, x in enumerate(xs)]
    m, idx, _ = max_argmax(b, vs, N + 1)
    total, sel = top_k_sum(b, vs, k, N + 1)
    assert decode_signed(m.val) == max(xs) and idx.val == xs.index(max(xs))
    assert decode_signed(total.val) == sum(sorted(xs, reverse=True)[:k])
    assert sum(s.val for s in sel) == k
    assert b.which_is_unsatisfied() is None


@settings(max_examples=15, deadline=None)
@given(leaves=st.lists(st.integers(min_value=0, max_value=R - 1), min_size=1, max_size=8),
       data=st.data())
def test_merkle_paths_verify(leaves: list[int], data: st.DataObject) -> None:
    depth = data.draw(st.integers(min_value=max(1, (len(leaves) - 1).bit_length()), max_value=4))
    index = data.draw(st.integers(min_value=0, max_value=2**depth - 1))
    root = merkle_root(leaves, depth)
    sibs, bits = merkle_path(leaves, depth, index)
    leaf = leaves[index] if index < len(leaves) else 0
    assert merkle_verify(leaf, sibs, bits, root)
    assert not merkle_verify((leaf + 1) % R, sibs, bits, root)


def test_poseidon_edge_inputs() -> None:
    """Inputs are reduced mod r; the hash is not symmetric."""
    assert poseidon([R]) == poseidon([0])
    assert poseidon([R - 1, 0]) != poseidon([0, R - 1])
