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
   :func:`circuits.margin_gadgets.check_signed`); salt is any field element.
2. Leaf data is authenticated: each slot's leaf hash (instrument leaf
   ``H(mark, som, cont, R..)``, collateral leaf ``H(price, haircut, C..)``) with its
   index bits (boolean, ``index < 2^D``) leads to one root per tree, and
   ``market_commitment = H(instrument_root, collateral_root, H(1, S, H, k, im_factor,
   SCALE, D_i, D_c))`` is public, so (Poseidon being collision resistant) the leaf
   data, im_factor and depths are the committed book's, whose bounds the book
   builder checked.  ``account_commitment`` binds salt, cash and the slots.
3. The margin arithmetic of :mod:`circuits.margin_gadgets`, with the magnitudes of
   :class:`MarginBounds`: nothing wraps around r, every division has a range-checked
   remainder, every max/top-k/comparison is range-checked.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterator

from circuits import margin_gadgets as mg
from circuits.builder import Builder, Var
from circuits.field import CircuitError
from circuits.gadgets_hash import merkle_root_gadget, poseidon_hash, poseidon_sequence_hash
from circuits.margin_inputs import margin_private_inputs, predict_public
from circuits.r1cs import R1CS

if TYPE_CHECKING:
    from engine.account import Account
    from engine.riskbook import RiskBook

SCALE = mg.SCALE
MODEL_VERSION = 1
STATEMENTS = ("full", "health")
PUBLIC_NAMES = {"full": ("market_commitment", "account_commitment", "equity", "mm", "im"),
                "health": ("market_commitment", "account_commitment", "status")}
MAX_SLOTS = 1024
MAX_DEPTH = 32


def _qbits(bound: int, d: int) -> int:
    """Bits n with ``|floor or ceil(x / d)| < 2^n`` for every ``|x| < bound``."""
    return (bound // d + 2).bit_length()


@dataclass(frozen=True)
class MarginBounds:
    """Bit sizes of every intermediate (all strict bounds on absolute values).

    With N position and K collateral slots (|qty| < 2^63, amount < 2^64, book values
    and rates < 2^63): scenario sums ``|T_s| < N 2^126 + K 2^127``; net quantities
    ``< N 2^63`` (``net_bits``); SOM/cont sums ``< N 2^126`` (each distinct
    instrument once, ``sum |net| <= sum |qty|``); collateral sum ``< K 2^127 SCALE``;
    position sum ``< N 2^126``.  For N, K <= 1024 everything is below 2^200 << r/2,
    and losses and equity are below 2^112, inside the model's VU bound 2^127 (only im,
    through im_factor < 2^63, can pass it: ``im.bound`` checks it).
    """

    net_bits: int
    profit_bits: int
    charge_bits: int
    max_bits: int
    mm_bits: int
    im_bits: int
    cv_bits: int
    pv_bits: int
    equity_bits: int
    status_bits: int

    @classmethod
    def of(cls, N: int, K: int) -> "MarginBounds":
        net_bits = (N * 2**63 - 1).bit_length()
        profit_bits = _qbits(N * 2**126 + K * 2**127, SCALE)
        charge_bits = _qbits(N * 2**126, SCALE)
        mm_bits = max(profit_bits, charge_bits) + 1  # max(..) + cont, both < 2^max
        im_bits = _qbits(2 ** (mm_bits + 63), SCALE)
        cv_bits = _qbits(max(K, 1) * 2**127 * SCALE, SCALE * SCALE)
        pv_bits = _qbits(N * 2**126, SCALE)
        equity_bits = (2**95 + 2**cv_bits + 2**pv_bits).bit_length()
        if max(profit_bits, equity_bits) > mg.VALUE_BITS:
            raise CircuitError(f"margin shape: N={N}, K={K} too large for the 2^127 VU bound")
        return cls(net_bits=net_bits, profit_bits=profit_bits, charge_bits=charge_bits,
                   max_bits=max(profit_bits, charge_bits) + 1, mm_bits=mm_bits,
                   im_bits=im_bits, cv_bits=cv_bits, pv_bits=pv_bits, equity_bits=equity_bits,
                   status_bits=max(equity_bits, im_bits) + 1)


@dataclass(frozen=True)
class MarginShape:
    """``(N, K, S, H, k, D_i, D_c)``: slot counts, scenario counts, ES depth, tree depths."""

    N: int
    K: int
    S: int
    H: int
    k: int
    depth_instruments: int
    depth_collateral: int

    def __post_init__(self) -> None:
        if not 1 <= self.N <= MAX_SLOTS or not 0 <= self.K <= MAX_SLOTS:
            raise CircuitError(f"margin shape: N={self.N}, K={self.K} outside 1..{MAX_SLOTS}")
        if self.S < 1 or self.H < 0:
            raise CircuitError(f"margin shape: S={self.S} must be >= 1 and H={self.H} >= 0")
        if (self.H == 0 and self.k != 0) or (self.H > 0 and not 1 <= self.k <= self.H):
            raise CircuitError(f"margin shape: k={self.k} invalid for H={self.H}")
        for d in (self.depth_instruments, self.depth_collateral):
            if not 1 <= d <= MAX_DEPTH:
                raise CircuitError(f"margin shape: tree depth {d} outside 1..{MAX_DEPTH}")

    @classmethod
    def from_book(cls, book: "RiskBook", n_slots: int, k_slots: int) -> "MarginShape":
        """The shape for ``book``'s scenarios and depths with N, K account slots."""
        return cls(n_slots, k_slots, book.S, book.H, book.k, book.depth_instruments,
                   book.depth_collateral)

    @property
    def n_scenarios(self) -> int:
        return self.S + self.H

    @cached_property
    def bounds(self) -> MarginBounds:
        return MarginBounds.of(self.N, self.K)

    def check_book(self, book: "RiskBook") -> None:
        """Raise CircuitError unless ``book`` has this shape's S, H, k and depths.

        Also checks the invariant the circuit relies on for SOM: a non-option's som is 0
        (the circuit charges SOM on every net short position by the leaf's som).
        """
        got = (book.S, book.H, book.k, book.depth_instruments, book.depth_collateral)
        want = (self.S, self.H, self.k, self.depth_instruments, self.depth_collateral)
        if got != want:
            raise CircuitError(f"risk book: (S, H, k, D_i, D_c) = {got}, circuit expects {want}")
        for inst in book.instruments:
            if inst.som and not inst.is_option:
                raise CircuitError(f"risk book.instruments[{inst.symbol}].som: must be 0 "
                                   "for a non-option")


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


def _check_statement(statement: str) -> None:
    if statement not in STATEMENTS:
        raise CircuitError(f"statement: {statement!r} is not one of {', '.join(STATEMENTS)}")


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
    _check_statement(statement)
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
    _check_statement(statement)
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
    _check_statement(statement)
    b = Builder(with_values=True)
    synthesize(b, shape, statement, margin_private_inputs(shape, book, account))
    return b.witness(), b.public_values()


__all__ = ["MarginShape", "MarginBounds", "MarginCircuit", "STATEMENTS", "PUBLIC_NAMES",
           "synthesize", "build_margin_circuit", "margin_witness", "margin_private_inputs",
           "predict_public"]
