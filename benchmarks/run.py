"""Benchmarks: how long the engine and the explorer take, and whether the kernel's memory grows.

    make bench            # or: .venv/bin/python benchmarks/run.py [--quick]

Reports medians and p95 over many runs, and ratios against a naive baseline. Timings are machine
dependent, so they are reported here and in the README, never asserted in a test.
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import resource
import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import kneesci  # noqa: E402
from kneesci.widgets import Explorer  # noqa: E402


def timed(
    action: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Wall time (or, with clock=time.process_time, this process's CPU time) of each call, ms."""
    times = []
    for _ in range(runs):
        start = clock()
        action()
        times.append((clock() - start) * 1e3)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def random_findings(kb: kneesci.KnowledgeBase, rng: random.Random, n: int) -> dict[str, bool]:
    """A consistent random patient with n observed findings."""
    while True:
        findings = {f: rng.random() < 0.5 for f in rng.sample(sorted(kb.findings), n)}
        try:
            return kb.check_findings(findings)
        except kneesci.ContradictionError:
            continue


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_redraw(kb: kneesci.KnowledgeBase, dx: kneesci.Differential) -> bytes:
    """The obvious way: a new figure each time, bars sorted, labels, tight layout, saved as PNG."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.6), dpi=100)
    ax = figure.add_subplot()
    ranked = dx.ranked()[::-1]
    ax.barh([kb.conditions[c].label for c, _ in ranked], [p for _, p in ranked])
    for i, (_, p) in enumerate(ranked):
        ax.text(p + 0.01, i, f"{p:.0%}", va="center")
    ax.set_xlim(0, 1)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def naive_explorer_change(kb, findings, setting="primary_care") -> None:
    """The baseline for one click: recompute and rebuild every view from scratch."""
    from kneesci.anatomy_plots import SensoryMap
    from kneesci.plots import ContributionChart, figure_png

    dx = kb.differential(findings, setting)
    naive_redraw(kb, dx)
    chart = ContributionChart(kb)  # a fresh figure, fully drawn, as a rebuild would
    chart.update(dx)
    chart.to_png()
    body = SensoryMap()
    body.update([f for f, v in findings.items() if v and f in body.finding_ids], None)
    figure_png(body.figure)
    dx.next_questions(3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    args = parser.parse_args()
    runs = 60 if args.quick else 500
    rng = random.Random(20261125)
    kb = kneesci.load()

    print(
        f"# kneesci benchmarks ({platform.python_version()}, {platform.machine()}, "
        f"matplotlib {matplotlib.__version__})"
    )
    print(f"knowledge base: {len(kb.conditions)} conditions x {len(kb.findings)} findings\n")

    patients = [random_findings(kb, rng, 10) for _ in range(runs)]
    it = iter(patients * 3)
    med, p95 = summary(timed(lambda: kb.differential(next(it)), runs))
    print(f"engine: differential with 10 findings      median {med:.3f} ms  p95 {p95:.3f} ms")
    dxs = [kb.differential(p) for p in patients]
    it = iter(dxs * 3)
    med, p95 = summary(timed(lambda: next(it).next_questions(3), runs))
    print(f"engine: next best question (all unasked)   median {med:.3f} ms  p95 {p95:.3f} ms")
    it = iter(dxs * 3)
    med, p95 = summary(timed(lambda: next(it).explain(), runs))
    print(f"engine: explain the leading condition      median {med:.3f} ms  p95 {p95:.3f} ms")
    it = iter(dxs * 3)
    med, p95 = summary(timed(lambda: next(it).intervals(), max(runs // 5, 30)))
    print(f"engine: intervals, 2000 draws (default)    median {med:.2f} ms  p95 {p95:.2f} ms")
    it = iter(dxs * 3)
    med, p95 = summary(timed(lambda: next(it).intervals(draws=200), runs))
    print(f"engine: intervals, 200 draws (the chart)   median {med:.2f} ms  p95 {p95:.2f} ms\n")

    explorer = Explorer(kb)
    ids = sorted(kb.findings)

    def click() -> None:
        """A student's click: one finding to a different state (present, absent, not asked)."""
        finding = rng.choice(ids)
        current = explorer.findings.get(finding)
        explorer.set_finding(finding, rng.choice([v for v in (True, False, None) if v != current]))

    for _ in range(20):  # warm caches (text stamps, fonts) before measuring
        click()
    fast = timed(click, runs)
    # CPU time is what a click costs when the machine is not shared; wall time includes waiting.
    cpu = timed(click, runs, time.process_time)
    current = [dict(explorer.findings)]

    def naive() -> None:
        naive_explorer_change(kb, current[0])

    slow = timed(naive, max(runs // 5, 30))
    fmed, fp95 = summary(fast)
    smed, sp95 = summary(slow)
    print(f"explorer: one finding change, all views   median {fmed:.1f} ms  p95 {fp95:.1f} ms")
    cmed, cp95 = summary(cpu)
    print(f"explorer: the same, CPU time of the kernel  median {cmed:.1f} ms  p95 {cp95:.1f} ms")
    print(f"baseline: rebuild figures from scratch    median {smed:.1f} ms  p95 {sp95:.1f} ms")
    print(f"ratio (explorer / baseline median): {fmed / smed:.3f}\n")

    before = rss_mb()
    for _ in range(500):
        click()
    after = rss_mb()
    print(
        f"memory: RSS before 500 changes {before:.1f} MB, after {after:.1f} MB "
        f"(change {after - before:+.1f} MB)"
    )


if __name__ == "__main__":
    main()
