"""Small helpers shared by the benchmarks: timing and the result table."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    """One measured figure against a baseline measured in the same run."""
    name: str           # what was measured, e.g. "pageRank n=1000"
    value: float        # ours, in `unit`
    baseline_name: str  # e.g. "networkx.pagerank"
    baseline: float     # the baseline, in `unit`
    unit: str = "s"
    target: str = ""    # e.g. "ratio <= 1.5"

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")


def best_time(function: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    """The best wall-clock time of `repeat` rounds of `number` calls, per call (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def table(results: list[Result]) -> str:
    header = f"{'measured':40s} {'ours':>12s} {'baseline':>12s}  {'ratio':>7s}  baseline / target"
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(f"{r.name:40s} {r.value:10.4g} {r.unit:1s} {r.baseline:10.4g} {r.unit:1s}  "
                     f"{r.ratio:7.2f}  {r.baseline_name}" + (f"  [{r.target}]" if r.target else ""))
    return "\n".join(lines)
