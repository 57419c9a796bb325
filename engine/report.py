"""Human-readable margin output (USD tables) and the bundled-examples demo.

``run_examples`` is the reusable part of ``zkmargin demo``: the margin of every
bundled example account against the bundled snapshot's risk book.
"""
from __future__ import annotations

from typing import NamedTuple

from engine.account import Account, load_account
from engine.decimal import format_decimal, format_usd
from engine.jsonio import bundled_accounts
from engine.margin import MarginReport, compute_margin
from engine.riskbook import RiskBook
from engine.snapshot import load_snapshot


class Example(NamedTuple):
    name: str
    account: Account
    report: MarginReport


def saving_text(report: MarginReport) -> str:
    """Cross vs isolated: '53.7% saved' or '-193.9% (cross is higher)'."""
    if report.isolated_mm == 0:
        return "n/a"
    pct = 100.0 * report.netting_benefit / report.isolated_mm
    return f"{pct:.1f}%"


def format_report(report: MarginReport, book: RiskBook, name: str = "account") -> str:
    """A compact USD table of every report field, isolated vs cross and Greeks."""
    rows = [
        ("equity", report.equity, ""),
        ("  collateral value", report.collateral_value, "after haircuts"),
        ("  position value", report.position_value, "at marks"),
        ("scan loss", report.scan_loss,
         f"worst: scenario {report.worst_scenario} ({book.scenario_description(report.worst_scenario)})"
         if report.worst_scenario >= 0 else "no stress scenario loses"),
        ("expected shortfall", report.es, f"mean of {book.k} worst of {book.H} historical days"
         if book.H else "no historical scenarios"),
        ("short option minimum", report.som, ""),
        ("contingency", report.cont, ""),
        ("maintenance (MM)", report.mm, "max(scan, ES, SOM) + contingency"),
        ("initial (IM)", report.im, f"MM x {format_decimal(book.im_factor)}"),
        ("excess", report.excess, "equity - MM"),
    ]
    width = max(len(format_usd(v)) for _, v, _ in rows) + 1
    lines = [f"margin of {name} (risk book {book.time or 'unnamed'}, S={book.S}, H={book.H})",
             f"{'':22}{'USD':>{width}}"]
    lines += [f"{label:22}{format_usd(v):>{width}}  {note}".rstrip() for label, v, note in rows]
    lines.append(f"{'status':22}{report.status:>{width}}")
    verdict = ("cross saves" if report.netting_benefit >= 0
               else "cross is HIGHER (collateral moves with the positions)")
    lines.append(f"{'isolated MM':22}{format_usd(report.isolated_mm):>{width}}  "
                 f"{verdict}: {format_usd(report.netting_benefit)} ({saving_text(report)})")
    if report.greeks:
        lines.append(f"greeks{'delta':>16}{'gamma(1%)':>14}{'vega(1vol)':>14}{'theta/day':>14}")
        for u, g in report.greeks.items():
            lines.append(f"  {u:6}{_num(g['delta'], 4):>14}{_num(g['gamma'], 4):>14}"
                         f"{_num(g['vega'], 2):>14}{_num(g['theta'], 2):>14}")
    return "\n".join(lines)


def format_scenarios(report: MarginReport, book: RiskBook) -> str:
    """Every scenario's loss in USD (stress, then historical), the worst one marked."""
    lines = [f"{'s':>3}  {'kind':13}{'loss USD':>16}  scenario"]
    for s, loss in enumerate(report.losses):
        info = book.scenarios[s] if s < len(book.scenarios) else {}
        kind = str(info.get("kind", "stress" if s < book.S else "historical"))
        mark = " <- worst" if s == report.worst_scenario else ""
        lines.append(f"{s:>3}  {kind:13}{format_usd(loss):>16}  "
                     f"{book.scenario_description(s)}{mark}")
    return "\n".join(lines)


def _num(scaled: int, places: int) -> str:
    return f"{scaled / 10**8:,.{places}f}"


def run_examples(snapshot: str = "default", book: RiskBook | None = None) -> tuple[RiskBook, list[Example]]:
    """The margin of every bundled example account against the snapshot's risk book."""
    if book is None:
        book = RiskBook.from_snapshot(load_snapshot(snapshot))
    examples = []
    for name in bundled_accounts():
        account = load_account(name)
        examples.append(Example(name, account, compute_margin(account, book)))
    return book, examples


def format_examples(examples: list[Example]) -> str:
    """The demo table: account, equity, MM, IM, status, isolated MM, saving."""
    head = (f"{'account':22}{'equity':>14}{'MM':>13}{'IM':>13}  {'status':13}"
            f"{'isolated MM':>13}{'saving':>9}  worst scenario")
    lines = [head, "-" * len(head)]
    for name, _, r in examples:
        lines.append(f"{name:22}{format_usd(r.equity):>14}{format_usd(r.mm):>13}"
                     f"{format_usd(r.im):>13}  {r.status:13}{format_usd(r.isolated_mm):>13}"
                     f"{saving_text(r):>9}  {r.worst_scenario_description}")
    return "\n".join(lines)


EXPLANATION = ("Cross margin nets all positions of an account and shocks its collateral in the "
               "same scenarios; isolated margin charges each instrument alone. Saving = "
               "(isolated - cross) / isolated; it is negative when the collateral falls together "
               "with the positions (wrong-way risk).")
