"""``zkmargin bench``: prove time against block time, ours side by side with snarkjs.

Measures the margin shapes of a key set and a ladder of plain dense circuits, relates
them to the chains' block times (:mod:`zkmargin.bench`) and writes ``bench.json``,
``bench.md`` and ``bench.png`` into ``--out`` together.  Prints the plan and an
estimate first, progress while measuring (stderr), a summary at the end; with
``--json`` only the result, as JSON, on stdout.
"""
from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Optional

import click


@click.command("bench")
@click.option("--shapes", default="all", show_default=True,
              help="margin shapes to measure, e.g. n4k2,n16k4; 'all'; 'none'")
@click.option("--keys", type=click.Path(file_okay=False), default=None,
              help="key set directory (default: cached INSECURE development keys per shape)")
@click.option("--market", default="default", show_default=True, help="market snapshot")
@click.option("--ladder", default="12..20", show_default=True,
              help="powers of two of the dense ladder: LO..HI, a list, or 'none'")
@click.option("--with-snarkjs", is_flag=True, help="prove the same files with snarkjs too")
@click.option("--snarkjs", "snarkjs_path", default=None,
              help="snarkjs CLI or package (default: PATH, then tests/js); implies "
                   "--with-snarkjs")
@click.option("--out", "out_dir", type=click.Path(), default="zkmargin-bench",
              show_default=True, help="directory for bench.json, bench.md, bench.png")
@click.option("--quick", is_flag=True,
              help="ladder up to 2^16, shapes up to ~2^16 constraints, 3 timed runs")
@click.option("--cores", type=int, default=None,
              help="estimate accounts per block for a cluster of this many cores")
@click.option("--chains", "chains_file", type=click.Path(dir_okay=False), default=None,
              help="JSON file editing/extending the chains table")
@click.option("--repeat", type=int, default=None,
              help="timed prove runs per prover (default 5, --quick 3)")
@click.option("--blocks", type=int, default=None,
              help="blocks in the block simulation (default 3, --quick 2)")
@click.option("--per-block", type=int, default=None,
              help="touched accounts per simulated block (default 4, --quick 2)")
@click.option("--batch", type=int, default=None,
              help="accounts in each other shape's prove_many run (default 4, --quick 2)")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON, nothing else")
def bench_cmd(shapes: str, keys: Optional[str], market: str, ladder: str, with_snarkjs: bool,
              snarkjs_path: Optional[str], out_dir: str, quick: bool, cores: Optional[int],
              chains_file: Optional[str], repeat: Optional[int], blocks: Optional[int],
              per_block: Optional[int], batch: Optional[int], as_json: bool) -> None:
    """Prove time of the margin shapes and a dense ladder against chains' block times."""
    from engine.account import Account
    from engine.jsonio import DATA_DIR, bundled_accounts, read_json, resolve
    from engine.riskbook import RiskBook
    from zkmargin.bench import keys as keymod
    from zkmargin.bench.chains import load_chains
    from zkmargin.bench.ladder import parse_ladder
    from zkmargin.bench.progress import Progress
    from zkmargin.bench.provers import find_snarkjs
    from zkmargin.bench.report import (check_output_dir, proving_table, render_outputs,
                                       write_outputs)
    from zkmargin.bench.run import QUICK_MAX_POWER, BenchOptions, default_shapes, plan, run_bench

    for name, value in (("--cores", cores), ("--repeat", repeat), ("--blocks", blocks),
                        ("--per-block", per_block), ("--batch", batch)):
        if value is not None and value < 1:
            raise ValueError(f"{name}: must be a positive integer, got {value}")
    try:
        powers = parse_ladder(ladder)
    except ValueError as exc:
        raise ValueError(f"--ladder: {exc}") from None
    if quick:
        powers = [p for p in powers if p <= QUICK_MAX_POWER]
    out = Path(out_dir)
    check_output_dir(out)
    chains = load_chains(chains_file)
    snarkjs = find_snarkjs(snarkjs_path) if (with_snarkjs or snarkjs_path) else None

    snapshot = read_json(resolve(market, DATA_DIR))
    book = RiskBook.from_snapshot(snapshot)
    accounts = [Account.load(n) for n in bundled_accounts()]
    wanted = _shape_list(shapes)
    progress = Progress.off() if as_json else None
    say = (lambda *_: None) if as_json else click.echo
    if keys:
        shape_keys = keymod.open_keyset(keys, wanted)
        missing: list[str] = []
    else:
        names = wanted if wanted is not None else default_shapes(quick)
        cached = {k.name for k in keymod.cached_dev_shape_keys(book, names)}
        missing = [n for n in names if n not in cached]
        shape_keys = []
    opts = BenchOptions(
        shapes=[k.name for k in shape_keys] if keys else list(names),
        ladder=powers, market=market, keys=Path(keys) if keys else None, snarkjs=snarkjs,
        repeat=repeat or (3 if quick else 5), cluster_cores=cores, chains=chains,
        blocks=blocks or (2 if quick else 3), per_block=per_block or (2 if quick else 4),
        batch=batch or (2 if quick else 4))
    if not keys:
        opts.shapes = sorted(opts.shapes, key=lambda n: keymod.parse_shape(n))
    lines, seconds, steps = plan(opts, keymod.cached_dev_shape_keys(book, opts.shapes)
                                 if not keys else shape_keys, missing)
    say("zkmargin bench will measure:")
    for line in lines:
        say(f"  {line}")
    say(f"  about {_duration(seconds)} on this machine; results into {out}/")
    if progress is None:
        progress = Progress(steps)
    if not keys:
        def on_setup(name: str):
            progress.start(f"{name}: development keys (INSECURE; cached for later runs)")
            return lambda: progress.done("ready")
        shape_keys = keymod.dev_shape_keys(book, opts.shapes, on_setup=on_setup)
    opts.shapes = [k.name for k in shape_keys]
    result = run_bench(opts, shape_keys, book, snapshot, accounts, progress)
    argv = sys.argv[sys.argv.index("bench") + 1:] if "bench" in sys.argv else []
    result["command"] = shlex.join(["zkmargin", "bench", *argv])
    files, png_missing = render_outputs(result)
    write_outputs(out, files)
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    if png_missing:
        click.echo(f"bench.png not written: {png_missing}", err=True)
    click.echo("")
    click.echo("\n".join(proving_table(result)))
    click.echo(f"\nwrote {', '.join(sorted(files))} into {out}/ "
               f"({_duration(result['duration_s'])})")


def _shape_list(text: str) -> Optional[list[str]]:
    """``--shapes``: None for ``all``, [] for ``none``, else the names (checked)."""
    from zkmargin.bench.keys import parse_shape

    spec = text.strip().lower()
    if spec == "all":
        return None
    if spec == "none":
        return []
    names = list(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    for name in names:
        try:
            parse_shape(name)
        except ValueError as exc:
            raise ValueError(f"--shapes: {exc}") from None
    return names


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def register(group: click.Group) -> None:
    group.add_command(bench_cmd)
