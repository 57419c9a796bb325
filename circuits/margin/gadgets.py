"""The arithmetic pieces of the ZKM-1 margin circuit (docs/spec/MARGIN-MODEL.md section 4).

Each function adds the constraints of one component to a :class:`Builder` and
states the integer bounds it relies on.  The common soundness argument: every
wire is a signed integer of known magnitude (``|x| < 2^b`` with the ``b`` given
by :class:`circuits.margin.shape.MarginBounds`), every product and sum below stays far
under ``r/2 ~ 2^253``, so the field computation *is* the integer computation; a
hint (quotient, bit, selector, flag, inverse) is only ever used after the
constraints that pin it to the one integer value the model defines.

Divisions (``circuits.gadgets.div_floor``/``div_ceil``) are given the bit size of
the *quotient*, not of the dividend: the quotient hint is range-checked to
``[-2^n, 2^n)`` and the remainder to ``[0, d)``, so ``q d + rem`` is an integer below
``2^(n+1) d << r/2``; the dividend is an integer below ``r/2`` too (its bound is
stated with each sum), so ``x = q d + rem`` holds over the integers and ``q`` is the
floor (or ceil) of ``x / d``.  The honest quotient fits n bits by MarginBounds.

Names of the constraints (for tamper tests) are given in each docstring.
"""
from __future__ import annotations

from typing import Sequence

from circuits.builder import Builder, Operand, Var
from circuits.field import R
from circuits.gadgets import (div_ceil, div_floor, less_than, max_argmax, range_check,
                              signed_range_check, top_k_sum)
from engine.decimal import SCALE, VALUE_BOUND

VALUE_BITS = VALUE_BOUND.bit_length() - 1  # |VU value| < 2^127


def assert_nonzero(b: Builder, x: Operand, name: str) -> None:
    """Prove ``x != 0``: hint ``name.inv = 1/x`` and 1 constraint ``name``: ``x*inv = 1``.

    The inverse is unique, so the hint is pinned; no inverse exists for x = 0.
    """
    x = b.lift(x)
    inv = b.hint(f"{name}.inv", lambda v: pow(v, -1, R) if v % R else 0, x)
    b.enforce(x, inv, 1, name)


def check_signed(b: Builder, x: Operand, n: int, name: str) -> None:
    """Prove ``|x| < 2^n`` exactly: ``-2^n <= x < 2^n`` (``name.range``, n + 2 constraints)
    and ``x + 2^n != 0`` (``name.not_min``, 1 constraint)."""
    signed_range_check(b, x, n, f"{name}.range")
    assert_nonzero(b, b.add(x, 1 << n), f"{name}.not_min")


def check_unsigned(b: Builder, x: Operand, n: int, name: str) -> None:
    """Prove ``0 <= x < 2^n`` (``name.range``, n + 1 constraints)."""
    range_check(b, x, n, f"{name}.range")


def netting(b: Builder, index: Sequence[Var], qty: Sequence[Var]) -> tuple[list[Var], list[Var]]:
    """Net quantity per slot and first-occurrence flags (the same instrument in two slots).

    ``eq[j][l] = [index_j == index_l]`` for j < l (``netting.eq[j][l]``, 3 constraints
    each, :meth:`Builder.is_equal`), ``net_j = qty_j + sum_{l != j} eq_jl qty_l``
    (``netting.share[j][l]``, 1 each) and ``first_j = [sum_{l<j} eq_lj == 0]``
    (``netting.first[j]``, 3 each; the count is at most N - 1, so it is 0 as an
    integer exactly when it is 0 in Fr).  ``first_0 = 1``.
    Total ``3 N(N-1)/2 + N(N-1) + 3(N-1)``.  ``|net_j| <= sum_l |qty_l| < N 2^63``.
    """
    n = len(index)
    eq: dict[tuple[int, int], Var] = {}
    for j in range(n):
        for l in range(j + 1, n):
            eq[j, l] = eq[l, j] = b.is_equal(index[j], index[l], f"netting.eq[{j}][{l}]")
    nets, firsts = [], []
    for j in range(n):
        shares = [b.mul(eq[j, l], qty[l], f"netting.share[{j}][{l}]")
                  for l in range(n) if l != j]
        nets.append(b.sum([qty[j], *shares]))
        firsts.append(b.one if j == 0 else
                      b.is_zero(b.sum([eq[l, j] for l in range(j)]), f"netting.first[{j}]"))
    return nets, firsts


def charges(b: Builder, nets: Sequence[Var], firsts: Sequence[Var], som: Sequence[Var],
            cont: Sequence[Var], net_bits: int, charge_bits: int) -> tuple[Var, Var]:
    """``(som, cont)``: ceil(sum over short nets of -net som / SCALE), ceil(sum |net| cont / SCALE).

    Per slot j: ``neg_j = [net_j < 0]`` (``charges[j].sign``, less_than, net_bits + 2),
    ``abs_j = net_j (1 - 2 neg_j)`` (``charges[j].abs``), ``fa_j = first_j abs_j``
    (``charges[j].first_abs``), ``short_j = fa_j neg_j`` (``charges[j].short``) and the
    products ``charges[j].som`` = short_j som_j, ``charges[j].cont`` = fa_j cont_j:
    each distinct instrument is charged once, on its net quantity.  som_j = 0 for
    non-options (a risk-book invariant checked by ``MarginShape.check_book``).
    Bounds: ``sum_distinct |net| <= sum |qty| < N 2^63`` and som, cont < 2^63, so both
    sums are in ``[0, N 2^126)`` and the ceil quotients fit ``charge_bits``
    (``charges.som_div``, ``charges.cont_div``).
    """
    som_terms, cont_terms = [], []
    for j, (net, first) in enumerate(zip(nets, firsts)):
        neg = less_than(b, net, 0, net_bits, f"charges[{j}].sign")
        abs_net = b.mul(net, b.sub(1, b.scale(neg, 2)), f"charges[{j}].abs")
        fa = b.mul(first, abs_net, f"charges[{j}].first_abs")
        short = b.mul(fa, neg, f"charges[{j}].short")
        som_terms.append(b.mul(short, som[j], f"charges[{j}].som"))
        cont_terms.append(b.mul(fa, cont[j], f"charges[{j}].cont"))
    som_q, _ = div_ceil(b, b.sum(som_terms), SCALE, charge_bits, "charges.som_div")
    cont_q, _ = div_ceil(b, b.sum(cont_terms), SCALE, charge_bits, "charges.cont_div")
    return som_q, cont_q


def scenario_losses(b: Builder, qty: Sequence[Var], pos_risk: Sequence[Sequence[Var]],
                    amount: Sequence[Var], coll_risk: Sequence[Sequence[Var]], n_scen: int,
                    profit_bits: int) -> list[Var]:
    """``L_s = -floor((sum_j qty_j R_j[s] + sum_a amount_a C_a[s]) / SCALE)`` for every s.

    Per scenario: one product per slot (``scenario[s].pos[j]``, ``scenario[s].coll[a]``)
    and a floor division (``scenario[s].profit``).  The sum is linear, so per-slot terms
    equal the netted sum.  ``|qty R| < 2^126``, ``|amount C| < 2^127``: ``|T_s| <
    N 2^126 + K 2^127`` and ``|P_s|`` fits ``profit_bits`` (MarginBounds).
    """
    losses = []
    for s in range(n_scen):
        with b.scope(f"scenario[{s}]"):
            terms = [b.mul(q, risk[s], f"pos[{j}]")
                     for j, (q, risk) in enumerate(zip(qty, pos_risk))]
            terms += [b.mul(a, risk[s], f"coll[{i}]")
                      for i, (a, risk) in enumerate(zip(amount, coll_risk))]
            profit, _ = div_floor(b, b.sum(terms), SCALE, profit_bits, "profit")
        losses.append(b.scale(profit, R - 1))
    return losses


def requirement(b: Builder, losses: Sequence[Var], som: Var, S: int, H: int, k: int,
                profit_bits: int, max_bits: int) -> tuple[Var, list[Var]]:
    """``max(scan_loss, es, som)`` as one max, and the max's selectors.

    ``scan_loss = max(0, L_0..L_{S-1})`` and ``es = max(0, ceil(top_k(L_S..)/k))``;
    since ``som >= 0``, ``max(scan_loss, es, som) = max(L_0, .., L_{S-1}, esq, som)`` with
    ``esq = ceil(top_k / k)`` (omitted when H = 0): a single max (``requirement.max``:
    one-hot selectors, ``>=`` every element, equal to the selected one).
    ES: ``es.top`` (top_k_sum: exactly k selected, each >= the threshold >= every
    unselected) and ``es.mean`` (ceil division by k).  ``|L| < 2^profit_bits`` so
    top-k differences fit ``profit_bits + 1``; ``esq`` fits ``profit_bits``;
    ``0 <= som < 2^charge_bits``; all differences of the max fit ``max_bits``.
    """
    elems = list(losses[:S])
    if H > 0:
        top, _ = top_k_sum(b, losses[S:S + H], k, profit_bits + 1, "es.top")
        esq, _ = div_ceil(b, top, k, profit_bits, "es.mean")
        elems.append(esq)
    elems.append(som)
    m, _, sel = max_argmax(b, elems, max_bits, "requirement.max")
    return m, sel


def initial_margin(b: Builder, mm: Var, im_factor: Var, im_bits: int) -> Var:
    """``im = ceil(mm im_factor / SCALE)``: ``im.product``, ``im.div`` and ``im.bound``.

    ``0 <= mm < 2^mm_bits``, ``im_factor < 2^63`` (risk book), quotient < 2^im_bits.
    Every VU result must stay below 2^127 (docs/spec/MARGIN-MODEL.md section 1; the engine
    rejects such an account): ``im.bound`` proves ``0 <= im < 2^127`` when im_bits
    allows more (im >= mm >= every loss and charge, so it bounds the rest too).
    """
    product = b.mul(mm, im_factor, "im.product")
    im, _ = div_ceil(b, product, SCALE, im_bits, "im.div")
    if im_bits > VALUE_BITS:
        range_check(b, im, VALUE_BITS, "im.bound")
    return im


def collateral_value(b: Builder, amount: Sequence[Var], price: Sequence[Var],
                     haircut: Sequence[Var], cv_bits: int) -> Var:
    """``floor(sum_a amount_a price_a max(0, SCALE - haircut_a) / SCALE^2)``.

    Clamp: ``lt_a = [haircut_a < SCALE]`` (``collateral[a].haircut_lt_one``, less_than on
    63 bits: haircut is a risk-book rate in [0, 2^63)), ``w_a = lt_a (SCALE - haircut_a)``
    in [0, SCALE] (``collateral[a].weight``); ``collateral[a].value`` = amount price,
    ``collateral[a].weighted`` = value w.  Sum in ``[0, K 2^127 SCALE)``, then
    ``collateral.div`` (floor by SCALE^2).  Returns 0 (no constraint) when K = 0.
    """
    if not amount:
        return b.const(0)
    terms = []
    for a, (amt, p, h) in enumerate(zip(amount, price, haircut)):
        with b.scope(f"collateral[{a}]"):
            lt = less_than(b, h, SCALE, 63, "haircut_lt_one")
            w = b.mul(lt, b.sub(SCALE, h), "weight")
            value = b.mul(amt, p, "value")
            terms.append(b.mul(value, w, "weighted"))
    cv, _ = div_floor(b, b.sum(terms), SCALE * SCALE, cv_bits, "collateral.div")
    return cv


def position_value(b: Builder, qty: Sequence[Var], mark: Sequence[Var], pv_bits: int) -> Var:
    """``floor(sum_j qty_j mark_j / SCALE)``: ``position[j].value`` products, ``position.div``.

    ``|qty mark| < 2^126``: the sum is below N 2^126 in absolute value.
    """
    terms = [b.mul(q, m, f"position[{j}].value") for j, (q, m) in enumerate(zip(qty, mark))]
    pv, _ = div_floor(b, b.sum(terms), SCALE, pv_bits, "position.div")
    return pv


def status(b: Builder, equity: Var, mm: Var, im: Var, status_bits: int) -> Var:
    """``2 - [equity < mm] - [equity < im]``: 0 liquidatable, 1 restricted, 2 healthy.

    Two range-checked comparisons (``status.below_mm``, ``status.below_im``; their top
    bits are boolean by the decomposition).  ``mm <= im`` because im_factor >= SCALE
    and mm >= 0, so ``equity < mm`` implies ``equity < im`` and the sum is 0..2.
    ``|equity - mm|, |equity - im| < 2^status_bits``.
    """
    below_mm = less_than(b, equity, mm, status_bits, "status.below_mm")
    below_im = less_than(b, equity, im, status_bits, "status.below_im")
    return b.sub(2, b.add(below_mm, below_im))
