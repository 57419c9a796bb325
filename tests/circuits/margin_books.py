"""Helpers of the margin-circuit tests: small risk books, accounts, a cheating builder.

A helper module (no tests): imported by the ``test_margin*`` modules.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Callable, Mapping

from circuits.builder import Builder
from circuits.field import R
from circuits.margin import MarginShape, synthesize
from circuits.margin.inputs import margin_private_inputs
from engine import Account, CollateralRisk, InstrumentRisk, RiskBook, load_snapshot

SCALE = 10**8
S, H, K_ES = 3, 4, 2
SMALL = dict(N=4, K=2)


def small_book(risk: Callable[[int, int], int] | None = None, *, big: bool = False) -> RiskBook:
    """A hand-made book: 4 instruments (perp, call, put, future), 3 collateral assets.

    ``risk(i, s)`` overrides the instrument risk arrays; ``big`` puts every value near
    the 2^63 bounds (marks, charges, prices, im_factor) to exercise the no-wrap bounds.
    """
    top = 2**63 - 1
    arrays = [[-5 * SCALE, 7 * SCALE, 3 * SCALE, -11 * SCALE, 2 * SCALE, -4 * SCALE, 9 * SCALE],
              [1234567, -7654321, 0, 99999999, -1, 1, -300000000],
              [-2 * SCALE, 4 * SCALE + 17, -6 * SCALE, 5, -8 * SCALE, 3 * SCALE, -1],
              [3, -3, 30000000000, -30000000000, 7, -7, 0]]
    if risk is not None:
        arrays = [[risk(i, s) for s in range(S + H)] for i in range(4)]
    kinds = [("PERP", "perpetual"), ("CALL", "call"), ("PUT", "put"), ("FUT", "future")]
    marks = ([top, top - 5, 1, -top] if big
             else [95000 * SCALE, 3 * SCALE, 2 * SCALE + 7, 94000 * SCALE])
    charge = top if big else 950 * SCALE
    insts = [InstrumentRisk(sym, kind, "X", marks[i], charge if kind in ("call", "put") else 0,
                            charge // 3 if kind in ("perpetual", "future") else 0,
                            tuple(arrays[i]))
             for i, (sym, kind) in enumerate(kinds)]
    coll = [CollateralRisk("USDC", SCALE, SCALE // 100, (0,) * (S + H)),
            CollateralRisk("XCOIN", top if big else 3400 * SCALE, 15 * SCALE // 100,
                           tuple(-top if big else -(s + 1) * 10**9 for s in range(S + H))),
            CollateralRisk("JUNK", 7 * SCALE, SCALE + 5, (1,) * (S + H))]
    return RiskBook(S=S, H=H, k=K_ES, im_factor=top if big else 125 * SCALE // 100,
                    instruments=insts, collateral=coll)


@lru_cache(maxsize=None)
def default_book() -> RiskBook:
    """The bundled snapshot's risk book (S=22, H=8, 231 instruments)."""
    return RiskBook.from_snapshot(load_snapshot("default"))


def reduced_book(symbols: list[str]) -> RiskBook:
    """The bundled book restricted to ``symbols`` (same scenarios, k and im_factor)."""
    full = default_book()
    keep = [i for i in full.instruments if i.symbol in symbols]
    return replace(full, instruments=tuple(keep), depth_instruments=0, depth_collateral=0,
                   claimed_commitment=None)


def small_account(**kw: object) -> Account:
    """An account with a duplicated instrument, a net short option and clamped collateral."""
    base = dict(cash=-1000 * SCALE,
                positions=(("CALL", -3 * SCALE), ("PERP", 2 * SCALE), ("CALL", SCALE // 2),
                           ("PUT", -7 * SCALE)),
                collateral=(("XCOIN", 2 * SCALE), ("JUNK", 5 * SCALE)), salt=123456789)
    base.update(kw)
    return Account(**base)  # type: ignore[arg-type]


class CheatingBuilder(Builder):
    """A builder that replaces named hint values and lets every later hint follow.

    ``overrides`` maps a full wire name to ``fn(honest value) -> cheating value``; the
    rest of the witness is computed from the cheating values, as a cheating prover
    would, so the first unsatisfied constraint is the one that pins that hint.
    """

    def __init__(self, overrides: Mapping[str, Callable[[int], int]]) -> None:
        super().__init__(with_values=True)
        self.overrides = dict(overrides)
        self.applied: set[str] = set()

    def _patch(self, start: int, out: list) -> list:
        for var in out:
            (w,) = var.lc
            name = self.wire_names[w]
            if w >= start and name in self.overrides:
                var.val = self.values[w] = self.overrides[name](self.values[w]) % R
                self.applied.add(name)
        return out

    def named_hints(self, names, fn, *args):  # type: ignore[override]
        start = len(self.values)
        return self._patch(start, super().named_hints(names, fn, *args))

    def to_bits(self, x, n, name="bits"):  # type: ignore[override]
        start = len(self.values)
        return self._patch(start, super().to_bits(x, n, name))


def cheat(shape: MarginShape, statement: str, book: RiskBook, account: Account,
          overrides: Mapping[str, Callable[[int], int]] | None = None,
          inputs: Mapping[str, int] | None = None) -> str | None:
    """First unsatisfied constraint when a prover cheats on ``overrides`` / ``inputs``."""
    values = margin_private_inputs(shape, book, account)
    values.update(inputs or {})
    b = CheatingBuilder(overrides or {})
    synthesize(b, shape, statement, values)
    missing = set(b.overrides) - b.applied
    assert not missing, f"no hint wire named {sorted(missing)}"
    return b.which_is_unsatisfied()


def wire_value(b: Builder, name: str) -> int:
    """Value of the wire called ``name`` in an honest builder."""
    return b.values[b.wire_names.index(name)]


def small_shape() -> MarginShape:
    return MarginShape.from_book(small_book(), SMALL["N"], SMALL["K"])
