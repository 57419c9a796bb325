"""Benchmarks of proving against block time (``zkmargin bench`` and ``zkmargin demo``).

One job per module: :mod:`~zkmargin.bench.chains` (the block-time table and
verdicts), :mod:`~zkmargin.bench.machine` (what it ran on),
:mod:`~zkmargin.bench.ladder` (plain dense circuits), :mod:`~zkmargin.bench.keys`
(margin shapes and their keys), :mod:`~zkmargin.bench.provers` (ours and snarkjs in
child processes), :mod:`~zkmargin.bench.measure` (one circuit, both provers, checks),
:mod:`~zkmargin.bench.blocks` (throughput and the block simulation),
:mod:`~zkmargin.bench.run` (plan and run), :mod:`~zkmargin.bench.report` (JSON,
Markdown, writing), :mod:`~zkmargin.bench.plot` (the PNG),
:mod:`~zkmargin.bench.progress` (progress lines), :mod:`~zkmargin.bench.demo` (the
demo's proving table).
"""
