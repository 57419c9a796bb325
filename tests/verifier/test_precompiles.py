"""verifier.evm: the 49 geth vectors, our negative vectors, and py-evm as a second opinion."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st
from py_ecc import optimized_bn128 as bn

from tests.conftest import load_vectors
from tests.verifier.conftest import DATA
from verifier.evm import PrecompileResult, pairing_gas, run_precompile

GETH = [(6, v) for v in load_vectors("evm-precompiles/bn256Add.json")] + \
       [(7, v) for v in load_vectors("evm-precompiles/bn256ScalarMul.json")] + \
       [(8, v) for v in load_vectors("evm-precompiles/bn256Pairing.json")]
NEGATIVE = json.loads((DATA / "precompile_negative.json").read_text())


def test_geth_vector_count() -> None:
    assert len(GETH) == 49


@pytest.mark.parametrize("address,vector", GETH, ids=[f"{a}-{v['Name']}" for a, v in GETH])
def test_geth_vectors(address: int, vector: dict) -> None:
    result = run_precompile(address, bytes.fromhex(vector["Input"]), vector["Gas"])
    assert result == PrecompileResult(True, bytes.fromhex(vector["Expected"]), vector["Gas"])


@pytest.mark.parametrize("address,vector", GETH[:5] + GETH[16:18], ids=lambda v: str(v)[:20])
def test_geth_vectors_fail_one_gas_short(address: int, vector: dict) -> None:
    """A call given less than its price fails and consumes everything it was given."""
    result = run_precompile(address, bytes.fromhex(vector["Input"]), vector["Gas"] - 1)
    assert result == PrecompileResult(False, b"", vector["Gas"] - 1)


@pytest.mark.parametrize("vector", NEGATIVE, ids=[v["Name"] for v in NEGATIVE])
def test_negative_vectors(vector: dict) -> None:
    result = run_precompile(vector["Address"], bytes.fromhex(vector["Input"]), vector["GasGiven"])
    assert result.success is vector["Success"]
    assert result.output.hex() == vector["Expected"]
    assert result.gas_used == vector["GasUsed"]


def test_negative_vectors_cover_the_rules() -> None:
    names = {v["Name"] for v in NEGATIVE}
    for needed in ("add_x_eq_p", "add_off_curve", "pair_g2_not_in_subgroup", "pair_len_191",
                   "add_nonzero_trailing_ignored", "mul_infinity", "pair_out_of_gas"):
        assert needed in names


@pytest.mark.slow
def test_negative_vectors_on_py_evm() -> None:
    """Every negative vector sent to the precompile in a py-evm transaction (Prague).

    The receipt's gas is max(intrinsic + precompile gas, EIP-7623 floor); on failure the
    precompile burns all the gas the transaction forwarded to it.
    """
    from tests.verifier.evm_harness import Chain
    from verifier.gas_model import floor_gas, intrinsic_gas

    chain = Chain()
    for vector in NEGATIVE:
        data = bytes.fromhex(vector["Input"])
        gas_limit = intrinsic_gas(data) + vector["GasGiven"]
        gas_limit = max(gas_limit, floor_gas(data))
        given = gas_limit - intrinsic_gas(data)
        ours = run_precompile(vector["Address"], data, given)
        tx = chain.call(vector["Address"].to_bytes(20, "big"), data, gas=gas_limit)
        assert (tx.success, tx.output) == (ours.success, ours.output), vector["Name"]
        assert tx.gas_used == max(intrinsic_gas(data) + ours.gas_used, floor_gas(data)), vector["Name"]


def test_unknown_address_is_an_error() -> None:
    with pytest.raises(ValueError, match="0x9 is not one of"):
        run_precompile(9, b"", 100)


def test_pairing_gas_counts_whole_pairs() -> None:
    assert [pairing_gas(n) for n in (0, 191, 192, 768)] == [45000, 45000, 79000, 181000]


def _enc(point) -> bytes:
    if bn.is_inf(point):
        return b"\0" * 64
    x, y = bn.normalize(point)
    return int(x).to_bytes(32, "big") + int(y).to_bytes(32, "big")


scalars = st.one_of(st.sampled_from([0, 1, 2, bn.curve_order - 1, bn.curve_order, 2**256 - 1]),
                    st.integers(min_value=0, max_value=2**256 - 1))


@settings(max_examples=25, deadline=None)
@given(a=scalars, b=scalars)
def test_add_and_mul_match_py_ecc(a: int, b: int) -> None:
    pa, pb = bn.multiply(bn.G1, a % bn.curve_order), bn.multiply(bn.G1, b % bn.curve_order)
    added = run_precompile(6, _enc(pa) + _enc(pb), 150)
    assert added == (True, _enc(bn.add(pa, pb)), 150)
    multiplied = run_precompile(7, _enc(pa) + b.to_bytes(32, "big"), 6000)
    assert multiplied == (True, _enc(bn.multiply(pa, b % bn.curve_order)), 6000)
