"""Run every benchmark module (or those named on the command line) and print a table."""
from __future__ import annotations

import importlib
import pkgutil
import sys

import bench
from bench.timing import table


def main(names: list[str]) -> int:
    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names]
    if not chosen:
        print(f"no benchmark matches {names}; available: {[m.removeprefix('bench_') for m in modules]}")
        return 2
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== {name.removeprefix('bench_')}: {(module.__doc__ or '').strip().splitlines()[0]}")
        print(table(module.run()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
