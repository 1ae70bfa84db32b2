"""Course 2 reference solutions: backpropagation's Jacobians against a per-sample loop and against finite differences; the height fit's steepest descent against scipy.optimize.least_squares.

The reference functions come from the instructor notebooks (bench.notebooks), so this
times the very code students are shown. Each pair of timings is measured in this run,
on the same inputs, doing the same job:

* all six Jacobians of the 1 -> 6 -> 7 -> 2 network (J_W1 ... J_b3), vectorised over the
  N points as in the notebook, against (1) the same functions called once per point
  and averaged, a loop over the N points, and (2) central differences of the cost,
  two cost evaluations per parameter (mml.gradcheck). All three give the same numbers
  (checked here); the ratios show what vectorising and backpropagation buy.
* the height fit: the notebook's descent (steepest_step with aggression 20 from its
  start at mu = 65.5, sigma = 4.5) run until it is within 1e-6 of the optimum that
  scipy.optimize.least_squares finds, in steps and seconds, against least_squares
  itself (its function evaluations and its time, from the same start, with tolerances
  of 1e-14 so that its answer is the optimum).

BLAS is limited to one thread (threadpoolctl), so the ratios measure the code rather
than the load on a small shared machine.
"""
from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")     # the notebooks' plotting cells draw off screen

import numpy as np
from scipy.optimize import least_squares
from threadpoolctl import threadpool_limits

from bench.notebooks import notebook_namespace
from bench.timing import Result, best_time
from mml.gradcheck import central_differences

JACOBIANS = ("J_W1", "J_W2", "J_W3", "J_b1", "J_b2", "J_b3")
PARAMETERS = ("W1", "W2", "W3", "b1", "b2", "b3")


def backpropagation_results() -> list[Result]:
    code = notebook_namespace("backpropagation", ["imports", "network", "worked_jacobians",
                                                  "J_b3", "J_b2", "J_W1", "J_b1"])
    jacobians = [code[name] for name in JACOBIANS]
    cost = code["cost"]
    results = []
    for N in (100, 1000):
        code["reset_network"](random=np.random.default_rng(N))
        rng = np.random.default_rng(N + 1)
        x, y = rng.uniform(0, 1, size=(1, N)), rng.uniform(0, 1, size=(2, N))

        def vectorised():
            return [J(x, y) for J in jacobians]

        def per_sample_loop():
            totals = [J(x[:, :1], y[:, :1]) for J in jacobians]
            for k in range(1, N):
                for total, J in zip(totals, jacobians):
                    total += J(x[:, k:k + 1], y[:, k:k + 1])
            return [total / N for total in totals]

        def finite_differences():
            return [central_differences(lambda: cost(x, y), code[name]) for name in PARAMETERS]

        reference = vectorised()
        for other in (per_sample_loop(), finite_differences()):
            for ours, theirs in zip(reference, other):
                assert np.allclose(ours, theirs, rtol=1e-5, atol=1e-9), "the Jacobians disagree"
        ours = best_time(vectorised, repeat=7, number=5)
        results.append(Result(f"six Jacobians N={N}, vectorised", ours,
                              "the same, one point at a time", best_time(per_sample_loop, repeat=3),
                              target="ratio <= 0.1"))
        results.append(Result(f"six Jacobians N={N}, vectorised", ours,
                              "central differences of cost (154 costs)",
                              best_time(finite_differences, repeat=3), target="ratio <= 0.1"))
    return results


def height_fit_results() -> list[Result]:
    code = notebook_namespace("height_fitting",
                              ["imports", "load_data", "f", "dfdmu", "dfdsig", "steepest_step"])
    x, y, f, steepest_step = code["x"], code["y"], code["f"], code["steepest_step"]
    start, aggression = np.array([65.5, 4.5]), 20.0

    def scipy_fit():
        # tolerances tight enough that its answer is the optimum to far better than 1e-6
        return least_squares(lambda p: y - f(x, p[0], p[1]), x0=start,
                             xtol=1e-14, ftol=1e-14, gtol=1e-14)

    best = scipy_fit()

    def descent():
        point = start.copy()
        for step in range(1, 10_001):
            point = point + steepest_step(x, y, point[0], point[1], aggression)
            if np.abs(point - best.x).max() < 1e-6:
                return step, point
        raise RuntimeError("the descent did not reach the least-squares optimum")

    steps, point = descent()
    return [
        Result("height fit: steepest-descent steps", steps,
               "least_squares function evaluations", best.nfev, unit="#"),
        Result("height fit: steepest descent to 1e-6", best_time(descent, repeat=5),
               "scipy.optimize.least_squares", best_time(scipy_fit, repeat=5), target="ratio <= 2"),
    ]


def run() -> list[Result]:
    with threadpool_limits(limits=1):
        return backpropagation_results() + height_fit_results()
