"""The ZKM-1 margin circuit (docs/spec/STATEMENT.md): margin of a private account as R1CS.

A circuit is fixed by its :class:`MarginShape` ``(N, K, S, H, k, D_i, D_c)`` and a
statement:

* ``full``: public ``market_commitment, account_commitment, equity, mm, im``;
* ``health``: public ``market_commitment, account_commitment, status``.

Private inputs (declared first, in this order): ``salt``, ``cash``, ``im_factor``;
per position slot j: ``pos[j].index``, ``pos[j].qty``, the leaf data ``pos[j].mark``,
``pos[j].som``, ``pos[j].cont``, ``pos[j].risk[s]`` and the Merkle siblings
``pos[j].path[l]``; per collateral slot a: ``coll[a].index``, ``coll[a].amount``,
``coll[a].price``, ``coll[a].haircut``, ``coll[a].risk[s]``, ``coll[a].path[l]``;
``collateral_root`` only when K = 0 (no path derives it).

What is proven (the soundness argument, in order):

1. Account integers are range-checked before any arithmetic: ``|qty| < 2^63``,
   ``0 <= amount < 2^64``, ``|cash| < 2^95`` (exact bounds, see
   :func:`circuits.margin.gadgets.check_signed`); salt is any field element.
2. Leaf data is authenticated: each slot's leaf hash (instrument leaf
   ``H(mark, som, cont, R..)``, collateral leaf ``H(price, haircut, C..)``) with its
   index bits (boolean, ``index < 2^D``) leads to one root per tree, and
   ``market_commitment = H(instrument_root, collateral_root, H(1, S, H, k, im_factor,
   SCALE, D_i, D_c))`` is public, so (Poseidon being collision resistant) the leaf
   data, im_factor and depths are the committed book's, whose bounds the book
   builder checked.  ``account_commitment`` binds salt, cash and the slots.
3. The margin arithmetic of :mod:`circuits.margin.gadgets`, with the magnitudes of
   :class:`circuits.margin.shape.MarginBounds`: nothing wraps around r, every division has a range-checked
   remainder, every max/top-k/comparison is range-checked.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from circuits.builder import Builder, Var
from circuits.field import CircuitError
from circuits.gadgets_hash import merkle_root_gadget, poseidon_hash, poseidon_sequence_hash
from circuits.margin import gadgets as mg
from circuits.margin.inputs import margin_private_inputs
from circuits.margin.shape import (MODEL_VERSION, PUBLIC_NAMES, SCALE, MarginShape,
                                   check_statement)
from circuits.r1cs import R1CS

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook

@dataclass
class MarginCircuit:
    """A built margin circuit: R1CS, and with values the witness and public inputs."""

    shape: MarginShape
    statement: str
    builder: Builder
    r1cs: R1CS
    witness: list[int] | None
    public: list[int] | None

    @property
    def public_names(self) -> tuple[str, ...]:
        return PUBLIC_NAMES[self.statement]

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as ``r1cs, witness, public``."""
        return iter((self.r1cs, self.witness, self.public))


# ----------------------------------------------------------------------------- inputs
@dataclass
class _Slot:
    index: Var
    value: Var  # qty or amount
    data: list[Var]  # leaf data: (mark, som, cont, R..) or (price, haircut, C..)
    path: list[Var]


def _declare(b: Builder, shape: MarginShape, get: Callable[[str], int | None]
             ) -> tuple[Var, Var, Var, list[_Slot], list[_Slot], Var | None]:
    """Declare every private input (in the documented order)."""
    def inp(name: str) -> Var:
        return b.private_input(name, get(name))

    salt, cash, im_factor = inp("salt"), inp("cash"), inp("im_factor")
    n = shape.n_scenarios

    def slot(prefix: str, value: str, data: tuple[str, ...], depth: int) -> _Slot:
        return _Slot(inp(f"{prefix}.index"), inp(f"{prefix}.{value}"),
                     [inp(f"{prefix}.{d}") for d in data] +
                     [inp(f"{prefix}.risk[{s}]") for s in range(n)],
                     [inp(f"{prefix}.path[{l}]") for l in range(depth)])

    pos = [slot(f"pos[{j}]", "qty", ("mark", "som", "cont"), shape.depth_instruments)
           for j in range(shape.N)]
    coll = [slot(f"coll[{a}]", "amount", ("price", "haircut"), shape.depth_collateral)
            for a in range(shape.K)]
    coll_root = inp("collateral_root") if shape.K == 0 else None
    return salt, cash, im_factor, pos, coll, coll_root


def _tree_root(b: Builder, slots: list[_Slot], kind: str) -> Var | None:
    """Leaf hashes and Merkle paths of every slot; all must lead to one root."""
    root = None
    for j, sl in enumerate(slots):
        name = f"{kind}[{j}]"
        leaf = poseidon_sequence_hash(b, sl.data, f"{name}.leaf")
        node = merkle_root_gadget(b, leaf, sl.index, sl.path, f"{name}.merkle")
        if root is None:
            root = node
        else:
            b.assert_equal(node, root, f"{name}.merkle.root")
    return root


def synthesize(b: Builder, shape: MarginShape, statement: str,
               values: dict[str, int] | None = None) -> dict[str, Var]:
    """Add the whole margin circuit to ``b``; returns the named results (Vars).

    ``values`` maps every private input name to its value (None: constraints only).
    """
    check_statement(statement)
    outs = {name: b.public_output(name) for name in PUBLIC_NAMES[statement]}
    def get(name: str) -> int | None:
        if values is None:
            return None
        if name not in values:
            raise CircuitError(f"margin inputs: no value for {name!r}")
        return values[name]

    salt, cash, im_factor, pos, coll, coll_root = _declare(b, shape, get)
    bd = shape.bounds
    mg.check_signed(b, cash, 95, "cash")
    for j, sl in enumerate(pos):
        mg.check_signed(b, sl.value, 63, f"pos[{j}].qty")
    for a, sl in enumerate(coll):
        mg.check_unsigned(b, sl.value, 64, f"coll[{a}].amount")
    inst_root = _tree_root(b, pos, "pos")
    coll_root = _tree_root(b, coll, "coll") if coll else coll_root
    params = poseidon_hash(b, [MODEL_VERSION, shape.S, shape.H, shape.k, im_factor, SCALE,
                               shape.depth_instruments, shape.depth_collateral], "params_hash")
    market = poseidon_hash(b, [inst_root, coll_root, params], "market")
    seq = [salt, cash] + [x for sl in pos + coll for x in (sl.index, sl.value)]
    account = poseidon_sequence_hash(b, seq, "account")

    qty = [sl.value for sl in pos]
    nets, firsts = mg.netting(b, [sl.index for sl in pos], qty)
    som, cont = mg.charges(b, nets, firsts, [sl.data[1] for sl in pos],
                           [sl.data[2] for sl in pos], bd.net_bits, bd.charge_bits)
    losses = mg.scenario_losses(b, qty, [sl.data[3:] for sl in pos],
                                [sl.value for sl in coll], [sl.data[2:] for sl in coll],
                                shape.n_scenarios, bd.profit_bits)
    top, _ = mg.requirement(b, losses, som, shape.S, shape.H, shape.k, bd.profit_bits,
                            bd.max_bits)
    mm = b.add(top, cont)
    im = mg.initial_margin(b, mm, im_factor, bd.im_bits)
    cv = mg.collateral_value(b, [sl.value for sl in coll], [sl.data[0] for sl in coll],
                             [sl.data[1] for sl in coll], bd.cv_bits)
    pv = mg.position_value(b, qty, [sl.data[0] for sl in pos], bd.pv_bits)
    equity = b.sum([cash, cv, pv])
    result = {"market_commitment": market, "account_commitment": account, "equity": equity,
              "mm": mm, "im": im, "som": som, "cont": cont, "collateral_value": cv,
              "position_value": pv, "losses": losses}
    if statement == "health":
        result["status"] = mg.status(b, equity, mm, im, bd.status_bits)
    for name, out in outs.items():
        b.assign_output(out, result[name])
    return result


def build_margin_circuit(shape: MarginShape, statement: str, book: "RiskBook | None" = None,
                         account: "Account | None" = None) -> MarginCircuit:
    """Build the circuit: constraints only (no book/account) or with the witness.

    Both modes give the identical R1CS.  With values, raises CircuitError when the
    witness does not satisfy the constraints (it always does for a valid account).
    """
    check_statement(statement)
    if (book is None) != (account is None):
        raise CircuitError("build_margin_circuit: give both book and account, or neither")
    values = None if book is None else margin_private_inputs(shape, book, account)
    b = Builder(with_values=values is not None)
    synthesize(b, shape, statement, values)
    r1cs = b.to_r1cs()
    if values is None:
        return MarginCircuit(shape, statement, b, r1cs, None, None)
    b.check()
    witness = b.witness()
    return MarginCircuit(shape, statement, b, r1cs, witness, b.public_values())


def margin_witness(shape: MarginShape, statement: str, book: "RiskBook", account: "Account"
                   ) -> tuple[list[int], list[int]]:
    """``(witness, public)`` for proving: the same synthesis as
    :func:`build_margin_circuit` with values, without exporting the R1CS or checking
    satisfaction (about half the time).  For a Groth16 prover that verifies its proof
    before returning it, an unsatisfied witness still cannot yield a valid proof."""
    check_statement(statement)
    b = Builder(with_values=True)
    synthesize(b, shape, statement, margin_private_inputs(shape, book, account))
    return b.witness(), b.public_values()


__all__ = ["MarginCircuit", "synthesize", "build_margin_circuit", "margin_witness"]
