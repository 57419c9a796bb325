"""``bench.png``: prove time against constraint count (needs ``zkmargin[plot]``).

Log-log axes; one line per prover over the ladder (median prove time, the bar spans
min..max), the margin shapes marked with each prover's median and named, and every
chain's block time a horizontal line labelled on the right-hand axis (chains with equal
block times share one).  The image is ``WIDTH_PX`` x ``HEIGHT_PX`` pixels.
"""
from __future__ import annotations

import io
from typing import Any

WIDTH_PX, HEIGHT_PX, DPI = 1200, 750, 100
COLOURS = {"ours": "#1f77b4", "snarkjs": "#d62728"}
LABELS = {"ours": "zkmargin (ours)", "snarkjs": "snarkjs"}


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed (the optional extra ``zkmargin[plot]``)."""


def render_png(result: dict[str, Any]) -> bytes:
    """The PNG bytes of the plot of a ``bench.json`` result."""
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable("matplotlib is not installed: pip install 'zkmargin[plot]' "
                              "for bench.png") from None
    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    ax = fig.add_subplot(1, 1, 1)
    provers = [p for p in ("ours", "snarkjs")
               if any(p in e["provers"] for e in result["ladder"] + result["shapes"])]
    ys: list[float] = []
    for p in provers:
        rungs = [e for e in result["ladder"] if p in e["provers"]]
        if rungs:
            x = [e["constraints"] for e in rungs]
            med = [e["provers"][p]["prove_median_s"] for e in rungs]
            lo = [m - e["provers"][p]["prove_min_s"] for m, e in zip(med, rungs)]
            hi = [e["provers"][p]["prove_max_s"] - m for m, e in zip(med, rungs)]
            ax.errorbar(x, med, yerr=[lo, hi], color=COLOURS[p], marker="o", ms=4, lw=1.6,
                        capsize=3, label=f"{LABELS[p]}, dense ladder")
            ys += med
        shapes = [e for e in result["shapes"] if p in e["provers"]]
        if shapes:
            x = [e["constraints"] for e in shapes]
            med = [e["provers"][p]["prove_median_s"] for e in shapes]
            ax.scatter(x, med, color=COLOURS[p], marker="D", s=60, zorder=5,
                       edgecolors="black", label=f"{LABELS[p]}, margin shapes")
            for xi, yi, e in zip(x, med, shapes):
                ax.annotate(e["name"], (xi, yi), textcoords="offset points", xytext=(6, -12),
                            fontsize=8)
            ys += med
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("constraints")
    ax.set_ylabel("prove time, seconds (median; bars: min..max)")
    machine = result["machine"]
    ax.set_title(f"Groth16 prove time, {machine['cpu_model']}, {machine['usable_cores']} "
                 f"cores ({result['date'][:10]})", fontsize=11)
    times: dict[float, list[str]] = {}
    for c in result["chains"]:
        times.setdefault(float(c["block_time_s"]), []).append(c["name"])
    for t in times:
        ax.axhline(t, color="grey", ls="--", lw=0.9)
    if ys:
        lo_y = min(min(ys), min(times) if times else min(ys)) / 2
        hi_y = max(max(ys), max(times) if times else max(ys)) * 2
        ax.set_ylim(lo_y, hi_y)
    if times:
        # block times labelled on a right-hand axis, clear of the data
        from matplotlib.ticker import NullLocator

        right = ax.twinx()
        right.set_yscale("log")
        right.set_ylim(ax.get_ylim())
        right.set_yticks(sorted(times))
        right.set_yticklabels([f"{', '.join(times[t])}: {t:g} s" for t in sorted(times)],
                              fontsize=8, color="dimgrey")
        right.yaxis.set_minor_locator(NullLocator())
        right.set_ylabel("block time", color="dimgrey")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
