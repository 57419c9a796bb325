"""The ZKM-1 margin of an account (docs/spec/MARGIN-MODEL.md section 4), exactly, on Python ints.

For each scenario s in 0..S+H-1:

    P_s = floor((sum_i qty_i R_i[s] + sum_a amount_a C_a[s]) / SCALE),   L_s = -P_s
    scan_loss = max(0, max_{s<S} L_s);  worst_scenario = first s<S with L_s = scan_loss (or -1)
    es   = max(0, ceil(sum of the k largest historical L_s / k))       (0 when H = 0)
    som  = ceil(sum over options with net qty < 0 of -qty_i som_i / SCALE)
    cont = ceil(sum_i |qty_i| cont_i / SCALE)
    mm = max(scan_loss, es, som) + cont,   im = ceil(mm im_factor / SCALE)
    collateral_value = floor(sum_a amount_a price_a max(0, SCALE - haircut_a) / SCALE^2)
    position_value   = floor(sum_i qty_i mark_i / SCALE)
    equity = cash + collateral_value + position_value,   excess = equity - mm

Quantities are netted per instrument (and amounts per asset) before anything else, so
the margin depends only on the net position.  Isolated margin per instrument:
``max(max(0, ceil(max_{s<S} -q R[s] / SCALE)), som part) + cont part``; since ceil is
monotone the max over s is taken on the exact products, which for one instrument is
``-q * min(R[:S])`` (q > 0) or ``-q * max(R[:S])`` (q < 0).

The sums are taken on the hot path of :mod:`engine.packed`; :func:`isolated_margin`
here and :func:`engine.packed.portfolio_greeks` are the direct readings the tests compare
it with.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from engine.account import Account
from engine.decimal import SCALE, VALUE_BOUND, format_decimal
from engine.errors import EngineError
from engine.packed import packed_book, portfolio_greeks, position_sums, scenario_sums
from engine.riskbook import RiskBook

STATUS_NAMES = ("liquidatable", "restricted", "healthy")
VU_FIELDS = ("equity", "collateral_value", "position_value", "scan_loss", "es", "som", "cont",
             "mm", "im", "excess", "isolated_mm", "netting_benefit")
_SCALE2 = SCALE * SCALE


@dataclass(frozen=True)
class MarginReport:
    """Every field of docs/spec/MARGIN-MODEL.md section 4 (VU integers).

    Plus isolated margin and Greeks.
    """

    equity: int
    collateral_value: int
    position_value: int
    scan_loss: int
    worst_scenario: int
    es: int
    som: int
    cont: int
    mm: int
    im: int
    excess: int
    status: str
    losses: tuple[int, ...]
    isolated_mm: int
    netting_benefit: int
    greeks: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    worst_scenario_description: str = ""

    @property
    def status_code(self) -> int:
        """0 liquidatable, 1 restricted, 2 healthy (the public output of ``health``)."""
        return STATUS_NAMES.index(self.status)

    def to_json(self) -> dict[str, Any]:
        """The normative report of docs/spec/MARGIN-MODEL.md section 6 (integers as strings)."""
        out: dict[str, Any] = {name: str(getattr(self, name)) for name in VU_FIELDS}
        out["worst_scenario"] = str(self.worst_scenario)
        out["worst_scenario_description"] = self.worst_scenario_description
        out["status"] = self.status
        out["losses"] = [str(v) for v in self.losses]
        out["greeks"] = {u: {g: format_decimal(v) for g, v in gs.items()}
                         for u, gs in self.greeks.items()}
        return out


def _net(entries: Sequence[tuple[str, int]], index: Mapping[str, int], field_name: str,
         what: str) -> dict[int, int]:
    """Book index -> summed quantity of ``entries`` (zero sums dropped); an unknown
    symbol is an error naming the field (``field_name`` formatted with the entry's index)."""
    net: dict[int, int] = {}
    for j, (symbol, quantity) in enumerate(entries):
        i = index.get(symbol)
        if i is None:
            raise EngineError(f"{field_name.format(j)}: unknown {what} {symbol!r}")
        net[i] = net.get(i, 0) + quantity
    return {i: q for i, q in net.items() if q}


def net_positions(account: Account, book: RiskBook) -> dict[int, int]:
    """Instrument index -> net quantity (zero nets dropped); unknown symbols are errors."""
    return _net(account.positions, book.instrument_index, "positions[{}].instrument",
                "instrument")


def net_collateral(account: Account, book: RiskBook) -> dict[int, int]:
    """Collateral index -> total amount; unknown assets are errors."""
    return _net(account.collateral, book.collateral_index, "collateral[{}].asset",
                "collateral asset")


def scenario_profits(book: RiskBook, pos: Mapping[int, int], coll: Mapping[int, int]
                     ) -> list[int]:
    """P_s = floor((sum qty R[s] + sum amount C[s]) / SCALE) for every scenario."""
    return [t // SCALE for t in scenario_sums(book, pos, coll)]


def expected_shortfall(book: RiskBook, losses: list[int]) -> int:
    """max(0, ceil(sum of the k largest historical losses / k)); 0 when H = 0."""
    if book.H == 0:
        return 0
    top = heapq.nlargest(book.k, losses[book.S:])
    return max(0, -((-sum(top)) // book.k))


def isolated_margin(book: RiskBook, pos: Mapping[int, int]) -> int:
    """sum_i max(max(0, max_{s<S} ceil(-q R_i[s] / SCALE)), som part) + cont part.

    The direct reading of the spec, one instrument at a time (compute_margin gets the
    same number from precomputed min/max tables in :func:`engine.packed.position_sums`).
    """
    total = 0
    for i, q in pos.items():
        inst = book.instruments[i]
        loss = max([0] + [-((q * r) // SCALE) for r in inst.risk[:book.S]])
        som = -((q * inst.som) // SCALE) if (q < 0 and inst.is_option) else 0
        cont = -((-abs(q) * inst.cont) // SCALE)
        total += max(loss, som) + cont
    return total


def _check_values(equity: int, im: int, losses: list[int]) -> None:
    """Every VU result must stay below 2^127 in absolute value.

    The bound of docs/spec/MARGIN-MODEL.md section 1.

    im >= mm >= every charge and loss it is built from, so checking equity, im and the
    extreme losses covers every field of the report.
    """
    if (abs(equity) >= VALUE_BOUND or im >= VALUE_BOUND or max(losses) >= VALUE_BOUND
            or min(losses) <= -VALUE_BOUND):
        raise EngineError("account: a margin value exceeds 2^127 VU (positions too large)")


def compute_margin(account: Account, book: RiskBook, *, details: bool = True) -> MarginReport:
    """The margin report of ``account`` against ``book`` (section 4); ``details`` adds
    isolated margin and Greeks (set False for the bare requirement)."""
    pos = net_positions(account, book)
    coll = net_collateral(account, book)
    # every slot is within its bound, so the packed-sum bound is at most N + 2K
    terms = len(account.positions) + 2 * len(account.collateral)
    losses = [-(t // SCALE) for t in scenario_sums(book, pos, coll, terms)]
    stress = losses[:book.S]
    scan_loss = max(0, max(stress))
    worst = stress.index(scan_loss) if scan_loss > 0 else -1
    es = expected_shortfall(book, losses)
    pv_sum, som_sum, cont_sum, iso, greeks = position_sums(book, pos, details, terms)
    som = -((-som_sum) // SCALE)
    cont = -((-cont_sum) // SCALE)
    mm = max(scan_loss, es, som) + cont
    im = -((-mm * book.im_factor) // SCALE)
    cvalues = packed_book(book).collateral_values
    collateral_value = sum(amt * cvalues[a] for a, amt in coll.items()) // _SCALE2
    position_value = pv_sum // SCALE
    equity = account.cash + collateral_value + position_value
    _check_values(equity, im, losses)
    status = STATUS_NAMES[0 if equity < mm else (1 if equity < im else 2)]
    return MarginReport(
        equity=equity, collateral_value=collateral_value, position_value=position_value,
        scan_loss=scan_loss, worst_scenario=worst, es=es, som=som, cont=cont, mm=mm, im=im,
        excess=equity - mm, status=status, losses=tuple(losses), isolated_mm=iso,
        netting_benefit=iso - mm if details else 0, greeks=greeks,
        worst_scenario_description=book.scenario_description(worst) if details else "")
