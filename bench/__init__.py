"""Benchmarks: `make bench` (python -m bench [name ...]).

Each module bench/bench_<name>.py defines `run() -> list[Result]`: figures measured
in this run, each against a named baseline measured in the same run. Tests never
assert on time; targets are printed here, next to the measured ratio.
"""
