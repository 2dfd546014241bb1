"""A tiny benchmark harness: same-run medians and ratios, nothing else.

A benchmark module ``benchmarks/bench_<topic>.py`` defines ``cases(quick)``
returning a list of :class:`Case`. Each case has one ``baseline`` function (the
course_lib implementation) and any number of ``others`` (scikit-learn,
torchmetrics, a bare NumPy floor). The runner times them interleaved, so a
noisy moment hurts every contender alike, and reports each median and the
ratio ``other / baseline`` (> 1 means course_lib is faster).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Case:
    topic: str
    name: str  # e.g. "confusion_matrix n=1e7 K=2"
    baseline: Callable[[], object]
    others: dict[str, Callable[[], object]] = field(default_factory=dict)
    repeat: int = 5
    target: str = ""  # the goal, in words, e.g. ">= 20x scikit-learn"


@dataclass
class Result:
    case: Case
    baseline_s: float
    others_s: dict[str, float]

    def ratio(self, other: str) -> float:
        return self.others_s[other] / self.baseline_s


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(case: Case) -> Result:
    """Interleave the contenders ``repeat`` times; medians per contender."""
    contenders = {"course_lib": case.baseline, **case.others}
    for fn in contenders.values():  # warm-up: imports, caches, allocator
        fn()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(case.repeat):
        for name, fn in contenders.items():
            samples[name].append(median_seconds(fn, 1))
    medians = {name: statistics.median(ts) for name, ts in samples.items()}
    base = medians.pop("course_lib")
    return Result(case, base, medians)


def format_table(results: list[Result]) -> str:
    lines = [
        "| benchmark | course_lib (median s) | other | other (median s) | ratio other/course_lib | target |",
        "|---|---:|---|---:|---:|---|",
    ]
    for r in results:
        if not r.others_s:
            lines.append(f"| {r.case.name} | {r.baseline_s:.4f} | | | | {r.case.target} |")
        for other, seconds in r.others_s.items():
            lines.append(
                f"| {r.case.name} | {r.baseline_s:.4f} | {other} | {seconds:.4f} | {r.ratio(other):.2f}x "
                f"| {r.case.target} |"
            )
    return "\n".join(lines)
