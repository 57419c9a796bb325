"""The ZKM-1 margin of an account (MARGIN-MODEL.md section 4), exactly, on Python ints.

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
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Mapping

from engine.account import Account
from engine.decimal import SCALE, VALUE_BOUND, format_decimal
from engine.errors import EngineError
from engine.riskbook import GREEK_NAMES, RiskBook

STATUS_NAMES = ("liquidatable", "restricted", "healthy")
VU_FIELDS = ("equity", "collateral_value", "position_value", "scan_loss", "es", "som", "cont",
             "mm", "im", "excess", "isolated_mm", "netting_benefit")
_SCALE2 = SCALE * SCALE


@dataclass(frozen=True)
class MarginReport:
    """Every field of MARGIN-MODEL.md section 4 (VU integers) plus isolated margin and Greeks."""

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
        """The normative report of MARGIN-MODEL.md section 6 (integers as strings)."""
        out: dict[str, Any] = {name: str(getattr(self, name)) for name in VU_FIELDS}
        out["worst_scenario"] = str(self.worst_scenario)
        out["worst_scenario_description"] = self.worst_scenario_description
        out["status"] = self.status
        out["losses"] = [str(v) for v in self.losses]
        out["greeks"] = {u: {g: format_decimal(v) for g, v in gs.items()}
                         for u, gs in self.greeks.items()}
        return out


def net_positions(account: Account, book: RiskBook) -> dict[int, int]:
    """Instrument index -> net quantity (zero nets dropped); unknown symbols are errors."""
    index = book.instrument_index
    net: dict[int, int] = {}
    for j, (symbol, qty) in enumerate(account.positions):
        i = index.get(symbol)
        if i is None:
            raise EngineError(f"positions[{j}].instrument: unknown instrument {symbol!r}")
        net[i] = net.get(i, 0) + qty
    return {i: q for i, q in net.items() if q}


def net_collateral(account: Account, book: RiskBook) -> dict[int, int]:
    """Collateral index -> total amount; unknown assets are errors."""
    index = book.collateral_index
    net: dict[int, int] = {}
    for j, (symbol, amount) in enumerate(account.collateral):
        a = index.get(symbol)
        if a is None:
            raise EngineError(f"collateral[{j}].asset: unknown collateral asset {symbol!r}")
        net[a] = net.get(a, 0) + amount
    return {a: v for a, v in net.items() if v}


class PackedBook:
    """Per-book tables for the hot path: each risk array packed into one Python int.

    With slot width W bits, ``packed_i = sum_s R_i[s] * 2^(W s)`` (an exact signed
    integer), so ``sum_i q_i packed_i + OFFSET = sum_s (T_s + 2^(W-1)) 2^(W s)`` where
    ``T_s = sum_i q_i R_i[s]`` is the exact scenario sum: one big-integer multiply-add
    per position instead of S+H.  The slots separate cleanly while
    ``|T_s| < 2^(W-1)``.  With |R|, |C| < 2^63, a net quantity q contributes less than
    ``(floor(|q| / 2^63) + 1) 2^126`` and a net amount a less than
    ``2 (floor(a / 2^64) + 1) 2^126``; :func:`packed_terms` sums these counts (one or
    two per slot for in-bound accounts, more when several slots net to more than a
    slot's bound), and the packed path is taken while that sum is below 2^(W-127).
    Accounts beyond that use the plain per-scenario path.
    """

    WIDTH = 136
    MAX_TERMS = 1 << (WIDTH - 127)

    def __init__(self, book: RiskBook) -> None:
        n, w = book.S + book.H, self.WIDTH
        self.n = n
        self.nbytes = w // 8
        self.half = 1 << (w - 1)
        self.offset = sum(1 << (w * s + w - 1) for s in range(n))
        self.offsets = {m: sum(1 << (w * s + w - 1) for s in range(m)) for m in range(1, 5)}
        self.instruments = [self.pack(i.risk) for i in book.instruments]
        self.collateral = [self.pack(c.risk) for c in book.collateral]
        # isolated margin: (min, max) of the stress risk values, som (options only), cont
        self.isolated = [(min(i.risk[:book.S]), max(i.risk[:book.S]),
                          i.som if i.is_option else 0, i.cont) for i in book.instruments]
        names = [str(u.get("symbol")) for u in book.underlyings]
        names += sorted({i.underlying for i in book.instruments} - set(names))
        self.underlying_names = names
        self.underlying_of = [names.index(i.underlying) for i in book.instruments]
        self.greeks = [self.pack(tuple(i.greeks.get(g, 0) for g in GREEK_NAMES))
                       for i in book.instruments]

    def pack(self, values: tuple[int, ...]) -> int:
        w = self.WIDTH
        return sum(v << (w * s) for s, v in enumerate(values))

    def unpack(self, x: int, n: int | None = None) -> list[int]:
        """The first n (default S+H) slots of ``x`` as signed integers."""
        n = self.n if n is None else n
        offset = self.offset if n == self.n else self.offsets[n]
        data = (x + offset).to_bytes(self.nbytes * n, "little")
        fb, half, nb = int.from_bytes, self.half, self.nbytes
        return [fb(data[j:j + nb], "little") - half for j in range(0, nb * n, nb)]


def packed_book(book: RiskBook) -> PackedBook:
    """The book's PackedBook, built once and cached on the book."""
    packed = book.__dict__.get("_packed")
    if packed is None:
        packed = book.__dict__["_packed"] = PackedBook(book)
    return packed


def packed_terms(pos: Mapping[int, int], coll: Mapping[int, int] | None = None) -> int:
    """T such that every scenario sum (and Greek sum) is below T * 2^126 in absolute value."""
    terms = sum((abs(q) >> 63) + 1 for q in pos.values())
    if coll:
        terms += 2 * sum((a >> 64) + 1 for a in coll.values())
    return terms


def scenario_sums(book: RiskBook, pos: Mapping[int, int], coll: Mapping[int, int]) -> list[int]:
    """T_s = sum_i qty_i R_i[s] + sum_a amount_a C_a[s], exactly, for every scenario."""
    if packed_terms(pos, coll) < PackedBook.MAX_TERMS:
        pb = packed_book(book)
        x = 0
        for i, q in pos.items():
            x += q * pb.instruments[i]
        for a, amount in coll.items():
            x += amount * pb.collateral[a]
        return pb.unpack(x)
    acc = [0] * (book.S + book.H)
    for i, q in pos.items():
        acc = [t + q * r for t, r in zip(acc, book.instruments[i].risk)]
    for a, amount in coll.items():
        acc = [t + amount * c for t, c in zip(acc, book.collateral[a].risk)]
    return acc


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
    """sum_i max(max(0, ceil(max_{s<S} -q R_i[s] / SCALE)), som part) + cont part.

    For q > 0 the max over s of -q R[s] is -q min(R[:S]); for q < 0 it is -q max(R[:S]);
    ceil(x / SCALE) is computed as -floor(-x / SCALE).
    """
    total = 0
    iso = packed_book(book).isolated
    for i, q in pos.items():
        lo, hi, som, cont = iso[i]
        if q > 0:
            total += max(0, -((q * lo) // SCALE)) - ((-q * cont) // SCALE)
        else:
            total += max(0, -((q * hi) // SCALE), -((q * som) // SCALE)) - ((q * cont) // SCALE)
    return total


def portfolio_greeks(book: RiskBook, pos: Mapping[int, int]) -> dict[str, dict[str, int]]:
    """Per underlying: floor(sum qty_i * greek_i / SCALE) for delta, gamma, vega, theta."""
    if packed_terms(pos) >= PackedBook.MAX_TERMS:
        return _plain_greeks(book, pos)
    pb = packed_book(book)
    sums: dict[int, int] = {}
    for i, q in pos.items():
        u = pb.underlying_of[i]
        sums[u] = sums.get(u, 0) + q * pb.greeks[i]
    out = {}
    for u in sorted(sums):
        values = pb.unpack(sums[u], len(GREEK_NAMES))
        out[pb.underlying_names[u]] = {g: v // SCALE for g, v in zip(GREEK_NAMES, values)}
    return out


def _plain_greeks(book: RiskBook, pos: Mapping[int, int]) -> dict[str, dict[str, int]]:
    """portfolio_greeks without packing (for accounts beyond the packed bound)."""
    pb = packed_book(book)
    sums: dict[int, list[int]] = {}
    for i, q in pos.items():
        acc = sums.setdefault(pb.underlying_of[i], [0] * len(GREEK_NAMES))
        for j, g in enumerate(GREEK_NAMES):
            acc[j] += q * book.instruments[i].greeks.get(g, 0)
    return {pb.underlying_names[u]: {g: v // SCALE for g, v in zip(GREEK_NAMES, sums[u])}
            for u in sorted(sums)}


def _check_values(equity: int, im: int, losses: list[int]) -> None:
    """Every VU result must stay below 2^127 in absolute value (MARGIN-MODEL.md section 1).

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
    losses = [-p for p in scenario_profits(book, pos, coll)]
    stress = losses[:book.S]
    scan_loss = max(0, max(stress))
    worst = stress.index(scan_loss) if scan_loss > 0 else -1
    es = expected_shortfall(book, losses)
    instruments = book.instruments
    som_sum = sum(-q * instruments[i].som for i, q in pos.items()
                  if q < 0 and instruments[i].is_option)
    som = -((-som_sum) // SCALE)
    cont = -((-sum(abs(q) * instruments[i].cont for i, q in pos.items())) // SCALE)
    mm = max(scan_loss, es, som) + cont
    im = -((-mm * book.im_factor) // SCALE)
    cv_sum = sum(amt * c.price * max(0, SCALE - c.haircut)
                 for c, amt in ((book.collateral[a], amt) for a, amt in coll.items()))
    collateral_value = cv_sum // _SCALE2
    position_value = sum(q * instruments[i].mark for i, q in pos.items()) // SCALE
    equity = account.cash + collateral_value + position_value
    _check_values(equity, im, losses)
    status = STATUS_NAMES[0 if equity < mm else (1 if equity < im else 2)]
    iso = isolated_margin(book, pos) if details else 0
    return MarginReport(
        equity=equity, collateral_value=collateral_value, position_value=position_value,
        scan_loss=scan_loss, worst_scenario=worst, es=es, som=som, cont=cont, mm=mm, im=im,
        excess=equity - mm, status=status, losses=tuple(losses), isolated_mm=iso,
        netting_benefit=iso - mm if details else 0,
        greeks=portfolio_greeks(book, pos) if details else {},
        worst_scenario_description=book.scenario_description(worst) if details else "")
