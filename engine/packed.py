"""The margin hot path: per-book tables, risk arrays packed into one Python int each.

With slot width W bits, ``packed_i = sum_s R_i[s] * 2^(W s)`` (an exact signed
integer), so ``sum_i q_i packed_i + OFFSET = sum_s (T_s + 2^(W-1)) 2^(W s)`` where
``T_s = sum_i q_i R_i[s]`` is the exact scenario sum: one big-integer multiply-add per
position instead of S+H small ones.  The slots separate cleanly while
``|T_s| < 2^(W-1)``.  With |R|, |C|, |greek| < 2^63 (checked when the book is built or
read), a net quantity q contributes less than ``(floor(|q| / 2^63) + 1) 2^126`` and a
net amount a less than ``2 (floor(a / 2^64) + 1) 2^126``: :func:`packed_terms` sums
these counts, at most N + 2K for an account of N position and K collateral slots
within their bounds, and the packed path is taken while it is below 2^(W-127).
Beyond that the plain per-scenario path gives the same integers.

Greeks use the same trick: instrument i's four Greeks sit in the slots
``4 u_i .. 4 u_i + 3`` of its underlying u_i, so one multiply-add per position sums
every underlying's Greeks at once.
"""
from __future__ import annotations

from typing import Mapping

from engine.decimal import SCALE
from engine.riskbook import GREEK_NAMES, RiskBook

WIDTH = 136
MAX_TERMS = 1 << (WIDTH - 127)
_NBYTES = WIDTH // 8
_HALF = 1 << (WIDTH - 1)


def _offset(n: int) -> int:
    return sum(1 << (WIDTH * s + WIDTH - 1) for s in range(n))


def pack(values: tuple[int, ...] | list[int]) -> int:
    """sum_s values[s] * 2^(W s)."""
    return sum(v << (WIDTH * s) for s, v in enumerate(values))


def unpack(x: int, n: int, offset: int) -> list[int]:
    """The n signed slots of a packed sum (``offset`` = _offset(n))."""
    data = (x + offset).to_bytes(_NBYTES * n, "little")
    fb = int.from_bytes
    return [fb(data[j:j + _NBYTES], "little") - _HALF for j in range(0, _NBYTES * n, _NBYTES)]


class PackedBook:
    """Everything the hot path needs about a book, computed once per book."""

    def __init__(self, book: RiskBook) -> None:
        self.n = book.S + book.H
        self.offset = _offset(self.n)
        self.instruments = [pack(i.risk) for i in book.instruments]
        self.collateral = [pack(c.risk) for c in book.collateral]
        names = [str(u.get("symbol")) for u in book.underlyings]
        names += sorted({i.underlying for i in book.instruments} - set(names))
        self.underlying_names = names
        self.underlying_of = [names.index(i.underlying) for i in book.instruments]
        self.greek_slots = len(GREEK_NAMES) * len(names)
        self.greek_offset = _offset(self.greek_slots)
        # per instrument: mark, som (options only), cont, min and max stress risk, greeks
        self.positions = [
            (i.mark, i.som if i.is_option else 0, i.cont, min(i.risk[:book.S]),
             max(i.risk[:book.S]),
             pack([0] * (len(GREEK_NAMES) * u) + [i.greeks.get(g, 0) for g in GREEK_NAMES]))
            for i, u in zip(book.instruments, self.underlying_of)]
        self.collateral_values = [c.price * max(0, SCALE - c.haircut) for c in book.collateral]


def packed_book(book: RiskBook) -> PackedBook:
    """The book's PackedBook, built once and cached on the book (treat books as immutable)."""
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


def scenario_sums(book: RiskBook, pos: Mapping[int, int], coll: Mapping[int, int],
                  terms: int | None = None) -> list[int]:
    """T_s = sum_i qty_i R_i[s] + sum_a amount_a C_a[s], exactly, for every scenario.

    ``terms`` is a bound as from :func:`packed_terms` (computed when not given).
    """
    if (packed_terms(pos, coll) if terms is None else terms) < MAX_TERMS:
        pb = packed_book(book)
        x = 0
        for i, q in pos.items():
            x += q * pb.instruments[i]
        for a, amount in coll.items():
            x += amount * pb.collateral[a]
        return unpack(x, pb.n, pb.offset)
    acc = [0] * (book.S + book.H)
    for i, q in pos.items():
        acc = [t + q * r for t, r in zip(acc, book.instruments[i].risk)]
    for a, amount in coll.items():
        acc = [t + amount * c for t, c in zip(acc, book.collateral[a].risk)]
    return acc


def position_sums(book: RiskBook, pos: Mapping[int, int], details: bool, terms: int
                  ) -> tuple[int, int, int, int, dict[str, dict[str, int]]]:
    """One pass over the net positions: the exact sums (before their one rounding)

    ``sum q mark``, ``sum over short options -q som``, ``sum |q| cont``; and, with
    ``details``, the isolated margin (already rounded per instrument, as the spec says)
    and the Greeks per underlying (floor(sum q greek / SCALE)).
    """
    pb = packed_book(book)
    table = pb.positions
    pv = som = cont = iso = greeks = 0
    present: set[int] = set()
    for i, q in pos.items():
        mark, som_i, cont_i, lo, hi, greeks_i = table[i]
        pv += q * mark
        if q > 0:
            c = q * cont_i
            cont += c
            if details:   # ceil(-q lo / SCALE) = -floor(q lo / SCALE)
                iso += max(0, -((q * lo) // SCALE)) - ((-c) // SCALE)
        else:
            c = -q * cont_i
            s = -q * som_i
            cont += c
            som += s
            if details:
                iso += max(0, -((q * hi) // SCALE), -((-s) // SCALE)) - ((-c) // SCALE)
        if details:
            greeks += q * greeks_i
            present.add(pb.underlying_of[i])
    per_underlying: dict[str, dict[str, int]] = {}
    if details and terms < MAX_TERMS:
        values = unpack(greeks, pb.greek_slots, pb.greek_offset)
        k = len(GREEK_NAMES)
        for u in sorted(present):
            per_underlying[pb.underlying_names[u]] = {
                g: v // SCALE for g, v in zip(GREEK_NAMES, values[k * u:k * u + k])}
    elif details:
        per_underlying = portfolio_greeks(book, pos)
    return pv, som, cont, iso, per_underlying


def portfolio_greeks(book: RiskBook, pos: Mapping[int, int]) -> dict[str, dict[str, int]]:
    """Per underlying (book order): floor(sum qty_i * greek_i / SCALE) for each Greek."""
    sums: dict[str, list[int]] = {}
    for i, q in pos.items():
        inst = book.instruments[i]
        acc = sums.setdefault(inst.underlying, [0] * len(GREEK_NAMES))
        for j, g in enumerate(GREEK_NAMES):
            acc[j] += q * inst.greeks.get(g, 0)
    names = packed_book(book).underlying_names
    return {u: {g: v // SCALE for g, v in zip(GREEK_NAMES, sums[u])}
            for u in sorted(sums, key=names.index)}
