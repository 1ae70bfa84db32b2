"""Course 2, week 5 (book/multivariate-calculus/week5-optimisation.md): every number the
page glues is checked here by a route other than the page's own.

The page iterates Newton-Raphson in floating point with NumPy, differentiates with
SymPy and solves Lagrange systems symbolically. These tests instead iterate in exact
rational arithmetic (fractions.Fraction), find roots with numpy.roots, sympy.real_roots
and scipy's brentq, differentiate by hand-written formulas or central finite
differences, fit with scipy's curve_fit, and find constrained optima by walking along
the constraint (minimize_scalar on a parametrisation) or with SLSQP. The givens of each
example are copied from the page's text.
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from scipy import optimize

from tests.book.glue_checks import GlueChecks, close
from tests.book.glued import _value, glued

PAGE = GlueChecks("book/multivariate-calculus/week5-optimisation")
num, vec = PAGE.num, PAGE.vec


def word(name: str):
    """A glued word (e.g. 'minimum'), recorded as checked like num and vec."""
    PAGE.read.add(name)
    values = glued(PAGE.page)
    assert name in values, f"{PAGE.page} glues no value named {name!r}"
    return _value(values[name])


def newton_exact(f, df, x0, steps):
    """Newton-Raphson iterates in exact rational arithmetic (x0 and f, df on Fractions)."""
    xs = [Fraction(x0)]
    for _ in range(steps):
        xs.append(xs[-1] - f(xs[-1]) / df(xs[-1]))
    return xs


def newton_float(f, df, x0, tol=1e-12, max_steps=50):
    """Plain-Python Newton-Raphson with the page's stopping rule (step shorter than tol)."""
    xs = [float(x0)]
    for _ in range(max_steps):
        step = -f(xs[-1]) / df(xs[-1])
        xs.append(xs[-1] + step)
        if abs(step) < tol:
            break
    return xs


def fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def grad_fd(f, p, h=1e-6):
    p = np.asarray(p, dtype=float)
    return np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(p.size)])


def hess_fd(f, p, h=1e-4):
    return np.array([grad_fd(lambda q: grad_fd(f, q, h)[i], p, h) for i in range(len(p))])


# ---------------------------------------------------------------- fitting the tea
MINUTES = np.arange(0, 61, 5.0)
TEA = np.array([80.0, 68.1, 58.1, 50.0, 44.1, 38.9, 35.6, 33.2, 29.6, 27.5, 26.6, 25.3, 24.1])


def tea_model(t, k):
    return 20 + 60 * np.exp(-k * t)


def tea_misfit(k):
    return sum((T - 20 - 60 * math.exp(-k * t)) ** 2 for t, T in zip(MINUTES, TEA))


@functools.cache
def tea_fit() -> float:
    (k,), _ = optimize.curve_fit(tea_model, MINUTES, TEA, p0=[0.05], xtol=1e-14, ftol=1e-14)
    return k


def test_tea_trial_rates_and_grid():
    k_fit = tea_fit()
    assert num("mc5_tea_slow_rate") == 0.03 and num("mc5_tea_fast_rate") == 0.08
    assert num("mc5_tea_slow_misfit") == pytest.approx(tea_misfit(0.03), rel=1e-12)
    assert num("mc5_tea_fast_misfit") == pytest.approx(tea_misfit(0.08), rel=1e-12)
    step = num("mc5_tea_grid_step")
    assert step == pytest.approx((0.1 - 0.01) / 900)
    assert abs(num("mc5_tea_grid_best") - k_fit) <= step / 2 + 1e-12


def test_tea_best_rate_is_curve_fits():
    k_fit = tea_fit()
    assert num("mc5_tea_k") == pytest.approx(k_fit, rel=1e-7)
    assert num("mc5_tea_misfit") == pytest.approx(tea_misfit(k_fit), rel=1e-9)
    assert num("mc5_tea_rms") == pytest.approx(math.sqrt(tea_misfit(k_fit) / 13), rel=1e-9)
    assert num("mc5_tea_half_life") == pytest.approx(math.log(2) / k_fit, rel=1e-7)
    h = 1e-4
    curvature = (tea_misfit(k_fit + h) - 2 * tea_misfit(k_fit) + tea_misfit(k_fit - h)) / h**2
    assert num("mc5_tea_curvature") == pytest.approx(curvature, rel=1e-4)
    assert num("mc5_tea_curvature") > 0


def test_tea_newton_steps():
    """Newton-Raphson on S'(k) from 0.03, with S' and S'' differentiated by hand."""
    def d1(k):
        return sum(120 * (T - 20 - 60 * math.exp(-k * t)) * t * math.exp(-k * t)
                   for t, T in zip(MINUTES, TEA))

    def d2(k):
        return sum(-120 * t * t * math.exp(-k * t) * (T - 20 - 120 * math.exp(-k * t))
                   for t, T in zip(MINUTES, TEA))
    assert d1(0.03) == pytest.approx(fd(tea_misfit, 0.03), rel=1e-6)
    assert d2(0.03) == pytest.approx(fd(d1, 0.03), rel=1e-6)
    assert num("mc5_tea_steps") == len(newton_float(d1, d2, 0.03)) - 1


# ---------------------------------------------------------------- Newton-Raphson on the cubic
def cubic(x):
    return x**3 - 2 * x + 2


def cubic_slope(x):
    return 3 * x**2 - 2


@functools.cache
def cubic_root_value() -> float:
    x = sp.Symbol("x")
    (root,) = sp.real_roots(sp.Poly(x**3 - 2 * x + 2, x))
    return float(root.evalf(30))


def test_tabulated_values_and_bracket():
    cubic_root = cubic_root_value()
    assert close(vec("mc5_cubic_table_x"), range(-3, 4))
    assert close(vec("mc5_cubic_table_f"), [cubic(i) for i in range(-3, 4)])
    a, b = vec("mc5_cubic_bracket")
    assert b - a == 1 and cubic(a) * cubic(b) < 0 and a < cubic_root < b


def test_cubic_iterates_in_exact_arithmetic():
    cubic_root = cubic_root_value()
    exact = newton_exact(cubic, cubic_slope, -2, 5)
    for n in range(5):
        assert num(f"mc5_cubic_x{n}") == pytest.approx(float(exact[n]), abs=1e-14)
        assert num(f"mc5_cubic_f{n}") == pytest.approx(float(cubic(exact[n])), abs=1e-13)
        assert num(f"mc5_cubic_df{n}") == pytest.approx(float(cubic_slope(exact[n])), abs=1e-13)
    assert num("mc5_cubic_root") == pytest.approx(cubic_root, abs=1e-15)
    assert num("mc5_cubic_root") == pytest.approx(optimize.brentq(cubic, -2, -1, xtol=1e-15))
    steps = next(n for n in range(1, 6) if abs(float(exact[n] - exact[n - 1])) < 1e-12)
    assert num("mc5_cubic_steps") == steps


def test_quadratic_convergence():
    cubic_root = cubic_root_value()
    exact = newton_exact(cubic, cubic_slope, -2, 4)
    root = sp.real_roots(sp.Poly(sp.Symbol("x") ** 3 - 2 * sp.Symbol("x") + 2))[0].evalf(40)
    errors = [abs(sp.Rational(x.numerator, x.denominator) - root) for x in exact]
    for n in range(1, 5):
        assert num(f"mc5_cubic_err{n}") == pytest.approx(float(errors[n]), rel=1e-3, abs=1e-15)
    assert num("mc5_cubic_constant") == pytest.approx(abs(6 * cubic_root / (2 * cubic_slope(cubic_root))))
    assert num("mc5_cubic_ratio1") == pytest.approx(float(errors[2] / errors[1] ** 2), rel=1e-9)
    assert num("mc5_cubic_ratio2") == pytest.approx(float(errors[3] / errors[2] ** 2), rel=1e-6)
    assert num("mc5_newton_steps_to_tol") == next(n for n, e in enumerate(errors) if e < 1e-12)
    # bisection from a bracket of width 1 halves it until it is at most 1e-12 wide
    assert num("mc5_bisection_steps") == math.ceil(math.log2(1 / 1e-12))


def test_cycle_and_turning_point():
    cycle = newton_exact(cubic, cubic_slope, 0, 5)
    assert close(vec("mc5_cycle_iterates"), [float(x) for x in cycle])
    assert num("mc5_turn_x0") == 0.8
    x0 = Fraction(4, 5)
    assert num("mc5_turn_slope") == pytest.approx(float(cubic_slope(x0)), abs=1e-12)
    assert num("mc5_turn_x1") == pytest.approx(float(newton_exact(cubic, cubic_slope, x0, 1)[1]),
                                               rel=1e-12)
    x = sp.Symbol("x")
    turning = max(sp.solve(sp.diff(x**3 - 2 * x + 2, x), x))
    assert num("mc5_turning_point") == pytest.approx(float(turning), rel=1e-14)


def test_fate_of_every_starting_point():
    cubic_root = cubic_root_value()
    """One plain-Python run per start; chaotic starts may differ in the last bits, so
    shares are compared with a tolerance and single starts are re-checked one by one."""
    def outcome(x0):
        x = x0
        for step in range(1, 101):
            x = x - cubic(x) / cubic_slope(x)
            if abs(x - cubic_root) < 1e-10:
                return step
        return None
    starts = np.linspace(-3, 3, 1201)
    results = [outcome(float(s)) for s in starts]
    failed = np.array([r is None for r in results])
    assert num("mc5_starts_count") == 1201
    assert num("mc5_starts_failed_share") == pytest.approx(100 * failed.mean(), abs=0.25)   # 3 starts
    leftmost = num("mc5_starts_leftmost_failure")
    assert outcome(leftmost) is None
    assert all(r is not None for s, r in zip(starts, results) if s < leftmost - 1e-9)
    assert leftmost > -math.sqrt(2 / 3)          # left of the turning point all converge
    lo, hi = vec("mc5_starts_longest_run")                 # glued to 3 decimals
    run = (starts > lo - 1e-6) & (starts < hi + 1e-6)
    assert lo < 0 < hi and all(outcome(float(s)) is None for s in starts[run])
    assert outcome(float(starts[starts < lo - 1e-6][-1])) is not None
    assert outcome(float(starts[starts > hi + 1e-6][0])) is not None
    assert num("mc5_starts_max_steps") == pytest.approx(max(r for r in results if r), abs=2)


def test_arctan_converges_from_1_and_diverges_from_1_5():
    def slope(x):
        return 1 / (1 + x * x)
    good = [1.0]
    bad = [1.5]
    for _ in range(4):
        good.append(good[-1] - math.atan(good[-1]) / slope(good[-1]))
        bad.append(bad[-1] - math.atan(bad[-1]) / slope(bad[-1]))
    assert vec("mc5_arctan_good") == pytest.approx(good, abs=6e-5)
    assert vec("mc5_arctan_bad") == pytest.approx(bad, abs=6e-4)
    critical = optimize.brentq(lambda x: 2 * x - (1 + x * x) * math.atan(x), 1, 2, xtol=1e-15)
    assert num("mc5_arctan_critical") == pytest.approx(critical, rel=1e-12)
    c = num("mc5_arctan_critical")
    assert c - math.atan(c) / slope(c) == pytest.approx(-c, rel=1e-9)


def test_jump_to_a_different_root():
    starts = vec("mc5_jump_starts")
    assert close(starts, [0.44, 0.45, 0.46, 0.5, 0.6])
    ends = [newton_float(lambda x: x**3 - x, lambda x: 3 * x**2 - 1, s)[-1] for s in starts]
    assert vec("mc5_jump_ends") == pytest.approx(ends, abs=1e-4)
    first = newton_exact(lambda x: x**3 - x, lambda x: 3 * x**2 - 1, Fraction(1, 2), 1)[1]
    assert first == -1 and num("mc5_jump_first_step") == -1
    x = sp.Symbol("x", positive=True)
    newton_map = x - (x**3 - x) / (3 * x**2 - 1)
    (two_cycle,) = sp.solve(sp.Eq(newton_map, -x), x)          # N(x) = -x: a 2-cycle
    assert num("mc5_jump_cycle_point") == pytest.approx(float(two_cycle), rel=1e-14)
    (turning,) = sp.solve(3 * x**2 - 1, x)
    assert num("mc5_jump_turning_point") == pytest.approx(float(turning), rel=1e-14)


def test_exercise_square_root_of_5():
    exact = newton_exact(lambda x: x * x - 5, lambda x: 2 * x, 2, 3)
    root = sp.sqrt(5).evalf(40)
    assert num("mc5_ex_sqrt_true") == pytest.approx(math.isqrt(5 * 10**30) / 10**15, abs=1e-15)
    for n in range(1, 4):
        assert num(f"mc5_ex_sqrt_x{n}") == pytest.approx(float(exact[n]), abs=1e-15)
        err = abs(sp.Rational(exact[n].numerator, exact[n].denominator) - root)
        assert num(f"mc5_ex_sqrt_err{n}") == pytest.approx(float(err), rel=1e-5)


def test_exercise_three_roots_and_starting_points():
    roots = np.sort(np.roots([1, 0, -3, 1]).real)
    def g(x): return x**3 - 3 * x + 1
    def dg(x): return 3 * x**2 - 3
    for name, x0, expected in [("m2", -2, roots[0]), ("0", 0, roots[1]), ("2", 2, roots[2]),
                               ("0p95", 0.95, roots[0])]:
        assert num(f"mc5_ex_start_root_{name}") == pytest.approx(expected, abs=1e-12)
        assert num(f"mc5_ex_start_steps_{name}") == len(newton_float(g, dg, x0)) - 1
    assert num("mc5_ex_start_slope_1") == 0
    x1 = newton_exact(g, dg, Fraction(19, 20), 1)[1]
    assert num("mc5_ex_start_x1_0p95") == pytest.approx(float(x1), rel=1e-12)
    assert abs(0.95 - roots[0]) == max(abs(0.95 - r) for r in roots)     # the furthest root


def test_exercise_stationary_points_of_the_quartic():
    x = sp.Symbol("x")
    h = x**4 - 3 * x**2 + x
    stationary = sorted(float(r) for r in sp.real_roots(sp.Poly(sp.diff(h, x), x)))
    for n, s in enumerate(stationary):
        assert num(f"mc5_ex_stationary_x{n}") == pytest.approx(s, abs=1e-12)
        assert num(f"mc5_ex_stationary_h{n}") == pytest.approx(float(h.subs(x, s)), abs=1e-12)
        curvature = float(sp.diff(h, x, 2).subs(x, s))
        assert num(f"mc5_ex_stationary_curv{n}") == pytest.approx(curvature, abs=1e-9)
        assert word(f"mc5_ex_stationary_kind{n}") == ("minimum" if curvature > 0 else "maximum")
    grid = np.linspace(-3, 3, 600001)
    lowest = grid[np.argmin(grid**4 - 3 * grid**2 + grid)]
    assert num("mc5_ex_stationary_lowest") == pytest.approx(lowest, abs=1e-5)


# ---------------------------------------------------------------- gradient descent
def valley(p):
    x, y = p
    return (1 - x) ** 2 + 4 * (y - x**2) ** 2


def valley_grad(p):
    """Differentiated by hand (the page uses SymPy)."""
    x, y = p
    return np.array([-2 * (1 - x) - 16 * x * (y - x**2), 8 * (y - x**2)])


def test_gradient_at_the_probe_point():
    probe = vec("mc5_probe")
    assert close(probe, [-0.5, 1])
    g = grad_fd(valley, probe)
    assert vec("mc5_probe_grad") == pytest.approx(g, abs=1e-6)
    assert num("mc5_probe_slope") == pytest.approx(np.linalg.norm(g), rel=1e-8)
    u = g / np.linalg.norm(g)
    along = (valley(probe + 1e-6 * u) - valley(probe - 1e-6 * u)) / 2e-6
    assert num("mc5_probe_slope_along") == pytest.approx(along, rel=1e-7)
    w = np.array([-u[1], u[0]])
    across = (valley(probe + 1e-6 * w) - valley(probe - 1e-6 * w)) / 2e-6
    assert num("mc5_probe_slope_across") == pytest.approx(across, abs=1e-6)


def test_gradient_descent_on_the_valley():
    start = vec("mc5_valley_start")
    assert close(start, [-1.2, 0.5])
    assert num("mc5_valley_start_f") == pytest.approx(valley(start), rel=1e-14)
    gamma = num("mc5_descent_gamma")
    assert gamma == 0.04
    path = [start]
    while np.linalg.norm(valley_grad(path[-1])) >= 1e-6:
        path.append(path[-1] - gamma * valley_grad(path[-1]))
    assert abs(num("mc5_descent_steps") - (len(path) - 1)) <= 1
    minimum = optimize.minimize(valley, start, method="BFGS", options={"gtol": 1e-10}).x
    assert vec("mc5_descent_end") == pytest.approx(minimum, abs=1e-5)
    assert vec("mc5_descent_first") == pytest.approx(start - gamma * grad_fd(valley, start), abs=6e-5)
    floor = next(n for n, p in enumerate(path) if abs(p[1] - p[0] ** 2) < 0.05)
    assert num("mc5_descent_floor_step") == floor


A_BOWL = sp.Matrix([[5, 3], [3, 5]])


def test_step_size_on_the_bowl():
    eigenvalues = sorted(A_BOWL.eigenvals())
    assert close(vec("mc5_bowl_eigenvalues"), eigenvalues)
    assert num("mc5_bowl_limit") == pytest.approx(2 / max(eigenvalues))
    assert num("mc5_bowl_best") == pytest.approx(2 / sum(eigenvalues))
    start = np.array([-1.0, 2.2])
    assert close(vec("mc5_bowl_start"), start)
    A = np.array(A_BOWL, dtype=float)
    assert num("mc5_bowl_start_f") == pytest.approx(0.5 * start @ A @ start)
    for key, gamma in [("small", 0.03), ("good", 0.2), ("large", 0.245), ("huge", 0.26)]:
        assert num(f"mc5_bowl_gamma_{key}") == gamma
        step = np.eye(2) - gamma * A
        assert vec(f"mc5_bowl_factors_{key}") == pytest.approx(
            sorted(np.linalg.eigvals(step).real, reverse=True), abs=1e-12)
        x20 = np.linalg.matrix_power(step, 20) @ start
        assert num(f"mc5_bowl_f20_{key}") == pytest.approx(0.5 * x20 @ A @ x20, rel=1e-9)


def test_newton_steps_in_two_dimensions():
    """Newton's method on the valley in 50-digit arithmetic (mpmath), with the gradient
    and Hessian differentiated by hand."""
    def grad(x, y):
        return mp.matrix([-2 * (1 - x) - 16 * x * (y - x**2), 8 * (y - x**2)])

    def hess(x, y):
        return mp.matrix([[2 - 16 * y + 48 * x**2, -16 * x], [-16 * x, 8]])

    def height(p):
        return (1 - p[0]) ** 2 + 4 * (p[1] - p[0] ** 2) ** 2
    with mp.workdps(50):
        point = mp.matrix([mp.mpf(-6) / 5, mp.mpf(1) / 2])
        path = [point]
        while mp.norm(grad(*point)) >= 1e-10:
            point = point - mp.lu_solve(hess(*point), grad(*point))
            path.append(point)
        heights = [float(height(p)) for p in path[:4]]
    assert num("mc5_newton2d_steps") == len(path) - 1
    assert vec("mc5_newton2d_end") == pytest.approx([1, 1], abs=1e-8)
    assert vec("mc5_newton2d_heights") == pytest.approx(heights, abs=6e-5)
    assert heights[2] > heights[1]                               # the uphill step
    assert close(vec("mc5_bowl_newton"), [0, 0])
    x, y = sp.symbols("x y")
    H = sp.hessian((1 - x) ** 2 + 4 * (y - x**2) ** 2, (x, y)).subs({x: 1, y: 1})
    curvatures = sorted(float(v) for v in H.eigenvals())
    assert num("mc5_valley_curvature_ratio") == pytest.approx(curvatures[1] / curvatures[0])


def test_exercise_gradient_and_newton_step():
    def f(p):
        x, y = p
        return x**2 - 2 * x * y + 2 * y**2 - 2 * x
    g0 = grad_fd(f, [0.0, 0.0])
    H = hess_fd(f, [0.0, 0.0])
    assert vec("mc5_ex_steps_grad0") == pytest.approx(g0, abs=1e-8)
    assert vec("mc5_ex_steps_hess") == pytest.approx(H.ravel(), abs=1e-5)
    assert vec("mc5_ex_steps_gd") == pytest.approx(-0.25 * g0, abs=1e-8)
    minimum = optimize.minimize(f, [0.0, 0.0], method="BFGS", options={"gtol": 1e-10}).x
    assert vec("mc5_ex_steps_newton") == pytest.approx(minimum, abs=1e-6)
    assert vec("mc5_ex_steps_hess_eigenvalues") == pytest.approx([3 - math.sqrt(5), 3 + math.sqrt(5)],
                                                                 abs=6e-5)


def test_exercise_step_size_limit():
    def f(p):
        return 2 * p[0] ** 2 + 0.5 * p[1] ** 2
    curvatures = np.sort(np.linalg.eigvalsh(hess_fd(f, [0.3, -0.2])))
    assert vec("mc5_ex_limit_curvatures") == pytest.approx(curvatures, abs=1e-5)
    assert num("mc5_ex_limit_gamma_max") == pytest.approx(2 / curvatures[-1], rel=1e-5)
    gamma = num("mc5_ex_limit_gamma_best")
    p0 = np.array([1.0, 1.0])
    p1 = p0 - gamma * grad_fd(f, p0)
    assert abs(p1[0]) == pytest.approx(abs(p1[1]), rel=1e-6)      # equal factors in size
    assert num("mc5_ex_limit_factor_x") == pytest.approx(p1[0], abs=1e-6)
    assert num("mc5_ex_limit_factor_y") == pytest.approx(p1[1], abs=1e-6)


# ---------------------------------------------------------------- Lagrange multipliers
def best_on_curve(f, curve, sign=1):
    """Largest (sign=1) or smallest (sign=-1) value of f along curve(t), t in [0, 2 pi),
    found by a coarse scan and then minimize_scalar: the constraint is walked, not solved."""
    t = np.linspace(0, 2 * np.pi, 721)
    values = np.array([f(curve(s)) for s in t])
    t0 = t[np.argmax(sign * values)]
    res = optimize.minimize_scalar(lambda s: -sign * f(curve(s)), bounds=(t0 - 0.02, t0 + 0.02),
                                   method="bounded", options={"xatol": 1e-12})
    return curve(res.x), f(curve(res.x))


def test_linear_function_on_the_circle():
    point, value = best_on_curve(lambda p: 3 * p[0] + 4 * p[1], lambda t: np.array([np.cos(t), np.sin(t)]))
    assert num("mc5_circle_best_value") == pytest.approx(value, abs=1e-6)
    assert vec("mc5_circle_best_point") == pytest.approx(point, abs=6e-4)


def test_candidates_for_x_y_squared_on_the_circle():
    """The candidates are the points where f along the circle is flat: zeros of
    d/dt f(r cos t, r sin t), found with brentq; lambda from grad f = lambda grad g."""
    r = math.sqrt(3)
    def along(t): return r**3 * math.cos(t) * math.sin(t) ** 2
    ts = np.linspace(-0.1, 2 * np.pi - 0.1, 2001)
    slopes = [fd(along, t) for t in ts]
    flat = [optimize.brentq(lambda t: fd(along, t), a, b, xtol=1e-14)
            for a, b, sa, sb in zip(ts, ts[1:], slopes, slopes[1:]) if sa * sb < 0]
    rows = []
    for t in flat:
        x, y = r * math.cos(t), r * math.sin(t)
        grad_f, grad_g = np.array([y * y, 2 * x * y]), np.array([2 * x, 2 * y])
        rows.append((x, y, grad_f @ grad_g / (grad_g @ grad_g), x * y * y))
    rows.sort(key=lambda row: (round(row[3], 6), round(row[0], 6), round(row[1], 6)))
    assert len(rows) == 6
    for n, (x, y, lam, value) in enumerate(rows):
        assert vec(f"mc5_xy2_point{n}") == pytest.approx([x, y], abs=6e-5)
        assert num(f"mc5_xy2_lambda{n}") == pytest.approx(lam, abs=1e-6)
        assert num(f"mc5_xy2_f{n}") == pytest.approx(value, abs=1e-6)
    assert num("mc5_xy2_max") == pytest.approx(max(row[3] for row in rows))
    assert num("mc5_xy2_min") == pytest.approx(min(row[3] for row in rows))
    assert vec("mc5_xy2_slsqp_point") == pytest.approx([1, math.sqrt(2)], abs=1e-4)
    assert num("mc5_xy2_slsqp_value") == pytest.approx(2, abs=1e-5)


def test_multiplier_is_the_sensitivity():
    dc = num("mc5_sensitivity_dc")
    assert dc == 0.01
    r = math.sqrt(3 + dc)
    _, new_max = best_on_curve(lambda p: p[0] * p[1] ** 2, lambda t: np.array([r * np.cos(t), r * np.sin(t)]))
    assert num("mc5_sensitivity_new_max") == pytest.approx(new_max, abs=1e-9)
    assert num("mc5_sensitivity_rate") == pytest.approx((new_max - 2) / dc, abs=1e-6)
    assert num("mc5_sensitivity_rate") == pytest.approx(1, abs=2e-3)   # lambda at the maximum


def tin_area_along_constraint(r, volume, lids=2):
    return lids * math.pi * r * r + 2 * volume / r


def test_cheapest_tin():
    volume = 330

    def best_tin(v):
        res = optimize.minimize_scalar(tin_area_along_constraint, bounds=(1, 10), args=(v,),
                                       method="bounded", options={"xatol": 1e-12})
        return res.x, res.fun
    r, area = best_tin(volume)
    assert num("mc5_tin_r") == pytest.approx(r, rel=1e-8)
    assert num("mc5_tin_h") == pytest.approx(volume / (math.pi * r * r), rel=1e-7)
    assert num("mc5_tin_ratio") == pytest.approx(2, rel=1e-12)
    assert num("mc5_tin_area") == pytest.approx(area, rel=1e-12)
    dv = 1e-3
    assert num("mc5_tin_lambda") == pytest.approx((best_tin(volume + dv)[1] - best_tin(volume - dv)[1])
                                                  / (2 * dv), rel=1e-6)
    assert num("mc5_tin_tall_r") == 3
    assert num("mc5_tin_tall_h") == pytest.approx(volume / (9 * math.pi))
    assert num("mc5_tin_tall_extra") == pytest.approx(
        100 * (tin_area_along_constraint(3, volume) / area - 1), rel=1e-9)
    assert vec("mc5_tin_slsqp") == pytest.approx([r, volume / (math.pi * r * r)], abs=1e-3)


def test_exercise_line_on_the_ellipse():
    def f(p): return p[0] + p[1]
    def ellipse(t): return np.array([2 * np.cos(t), np.sin(t)])
    (x, y), top = best_on_curve(f, ellipse)
    assert vec("mc5_ex_ellipse_max_point") == pytest.approx([x, y], abs=6e-5)
    assert num("mc5_ex_ellipse_max") == pytest.approx(top, abs=1e-10)
    assert num("mc5_ex_ellipse_max_lambda") == pytest.approx(1 / (2 * y), rel=1e-5)   # 1 = 2 lambda y
    (x, y), bottom = best_on_curve(f, ellipse, sign=-1)
    assert num("mc5_ex_ellipse_min") == pytest.approx(bottom, abs=1e-10)
    assert num("mc5_ex_ellipse_min_lambda") == pytest.approx(1 / (2 * y), rel=1e-5)


def test_exercise_open_tin():
    res = optimize.minimize_scalar(tin_area_along_constraint, bounds=(1, 10), args=(330, 1),
                                   method="bounded", options={"xatol": 1e-12})
    assert num("mc5_ex_open_r") == pytest.approx(res.x, rel=1e-8)
    assert num("mc5_ex_open_h") == pytest.approx(330 / (math.pi * res.x**2), rel=1e-7)
    assert num("mc5_ex_open_area") == pytest.approx(res.fun, rel=1e-12)


def test_exercise_maximum_entropy():
    def best_entropy(total):
        res = optimize.minimize(lambda p: np.sum(p * np.log(p)), x0=[0.2, 0.3, 0.5 * total],
                                method="SLSQP", bounds=[(1e-9, None)] * 3,
                                constraints=[{"type": "eq", "fun": lambda p: p.sum() - total}],
                                options={"ftol": 1e-14})
        return res.x, -res.fun
    p, top = best_entropy(1.0)
    assert vec("mc5_ex_entropy_p") == pytest.approx(p, abs=1e-5)
    assert num("mc5_ex_entropy_max") == pytest.approx(top, abs=1e-9)
    d = 1e-4        # the multiplier is the rate of change of the maximum with the total
    rate = (best_entropy(1 + d)[1] - best_entropy(1 - d)[1]) / (2 * d)
    assert num("mc5_ex_entropy_lambda") == pytest.approx(rate, abs=1e-4)

# ---------------------------------------------------------------- formulas typed in the prose
def test_derivatives_typed_in_the_text():
    """Every derivative, gradient, Hessian and Lagrange condition the page types in its
    prose (copied here as written) against central finite differences of the function it
    differentiates, at random points."""
    rng = np.random.default_rng(5)
    xs = rng.uniform(-2, 2, 7)
    # the cubic: f'(x) = 3x^2 - 2, f'' = 6x; f'(-2) = 10, f'(0) = -2, f'(1) = 1, f''(0) = 0
    for x0 in xs:
        assert 3 * x0**2 - 2 == pytest.approx(fd(cubic, x0), rel=1e-6)
        assert 6 * x0 == pytest.approx(fd(cubic_slope, x0), abs=1e-6)
    assert [cubic_slope(-2), cubic_slope(0), cubic_slope(1)] == [10, -2, 1]
    assert fd(cubic_slope, 0.0) == pytest.approx(0, abs=1e-8)
    # the tea: dS/dk = 120 sum (T_i - 20 - 60 e^{-k t_i}) t_i e^{-k t_i}   (eq-mc5-misfit-slope)
    for k in (0.02, 0.05, 0.09):
        typed = 120 * sum((T - 20 - 60 * math.exp(-k * t)) * t * math.exp(-k * t)
                          for t, T in zip(MINUTES, TEA))
        assert typed == pytest.approx(fd(tea_misfit, k, 1e-7), rel=1e-6)
    # square root of 5: x - (x^2 - 5)/(2x) = (x + 5/x)/2
    for x0 in rng.uniform(0.5, 4, 5):
        assert x0 - (x0**2 - 5) / (2 * x0) == pytest.approx((x0 + 5 / x0) / 2, rel=1e-14)
    # g(x) = x^3 - 3x + 1: g'(x) = 3x^2 - 3, so g'(1) = 0
    for x0 in [*xs, 1.0]:
        assert 3 * x0**2 - 3 == pytest.approx(fd(lambda u: u**3 - 3 * u + 1, x0), rel=1e-6, abs=1e-8)
    # h(x) = x^4 - 3x^2 + x: h' = 4x^3 - 6x + 1, h'' = 12x^2 - 6
    def quartic(u): return u**4 - 3 * u**2 + u
    for x0 in xs:
        assert 4 * x0**3 - 6 * x0 + 1 == pytest.approx(fd(quartic, x0), rel=1e-6, abs=1e-8)
        assert 12 * x0**2 - 6 == pytest.approx(fd(lambda u: fd(quartic, u, 1e-4), x0, 1e-4),
                                               rel=1e-4, abs=1e-4)
    # the quadratic bowl: f = x^T A x / 2 has gradient A x
    A = np.array([[5.0, 3.0], [3.0, 5.0]])
    for point in rng.uniform(-2, 2, (4, 2)):
        assert A @ point == pytest.approx(grad_fd(lambda q: 0.5 * q @ A @ q, point), abs=1e-6)
    # exercise: f = x^2 - 2xy + 2y^2 - 2x, grad = (2x - 2y - 2, -2x + 4y), H = [[2, -2], [-2, 4]]
    def f_ex(q): return q[0] ** 2 - 2 * q[0] * q[1] + 2 * q[1] ** 2 - 2 * q[0]
    for x0, y0 in rng.uniform(-2, 2, (4, 2)):
        assert [2 * x0 - 2 * y0 - 2, -2 * x0 + 4 * y0] == pytest.approx(
            grad_fd(f_ex, [x0, y0]), abs=1e-6)
        assert hess_fd(f_ex, [x0, y0]) == pytest.approx(np.array([[2, -2], [-2, 4]]), abs=1e-4)
    # Newton's step: the quadratic model's gradient in delta is grad f + H delta, zero at
    # H delta = -grad f (checked on the valley, whose Hessian the page prints)
    point = np.array([-0.5, 1.0])
    H = hess_fd(valley, point)
    delta = np.linalg.solve(H, -grad_fd(valley, point))
    def model(d): return valley(point) + grad_fd(valley, point) @ d + 0.5 * d @ H @ d
    assert grad_fd(model, delta) == pytest.approx([0, 0], abs=1e-5)
    # Lagrange conditions: grad f = lambda grad g, each side typed on the page
    lagrange = [   # (f, g, typed grad f, typed grad g)
        (lambda q: 3 * q[0] + 4 * q[1], lambda q: q[0] ** 2 + q[1] ** 2,
         lambda x, y: (3, 4), lambda x, y: (2 * x, 2 * y)),
        (lambda q: q[0] * q[1] ** 2, lambda q: q[0] ** 2 + q[1] ** 2,
         lambda x, y: (y**2, 2 * x * y), lambda x, y: (2 * x, 2 * y)),
        (lambda q: q[0] + q[1], lambda q: q[0] ** 2 / 4 + q[1] ** 2,
         lambda x, y: (1, 1), lambda x, y: (x / 2, 2 * y)),
        # closed tin A = 2 pi r^2 + 2 pi r h, open tin pi r^2 + 2 pi r h, volume pi r^2 h
        (lambda q: 2 * math.pi * q[0] ** 2 + 2 * math.pi * q[0] * q[1],
         lambda q: math.pi * q[0] ** 2 * q[1],
         lambda r, h: (4 * math.pi * r + 2 * math.pi * h, 2 * math.pi * r),
         lambda r, h: (2 * math.pi * r * h, math.pi * r**2)),
        (lambda q: math.pi * q[0] ** 2 + 2 * math.pi * q[0] * q[1],
         lambda q: math.pi * q[0] ** 2 * q[1],
         lambda r, h: (2 * math.pi * r + 2 * math.pi * h, 2 * math.pi * r),
         lambda r, h: (2 * math.pi * r * h, math.pi * r**2)),
    ]
    for f, g, typed_f, typed_g in lagrange:
        for point in rng.uniform(0.5, 3, (3, 2)):
            assert typed_f(*point) == pytest.approx(grad_fd(f, point), rel=1e-6)
            assert typed_g(*point) == pytest.approx(grad_fd(g, point), rel=1e-6)
    # lambda = +-5/2 on the unit circle (3 = 2 lambda x, 4 = 2 lambda y at x = 3/5, 4/5)
    point, _ = best_on_curve(lambda q: 3 * q[0] + 4 * q[1], lambda t: np.array([np.cos(t), np.sin(t)]))
    assert 3 / (2 * point[0]) == pytest.approx(2.5, rel=1e-6)
    assert 4 / (2 * point[1]) == pytest.approx(2.5, rel=1e-6)
    # the tins: lambda = 2/r from 2 pi r = lambda pi r^2; the closed one has h = 2r, the open h = r
    for lids, ratio in [(2, 2), (1, 1)]:
        res = optimize.minimize_scalar(tin_area_along_constraint, bounds=(1, 10), args=(330, lids),
                                       method="bounded", options={"xatol": 1e-12})
        r_best = res.x
        assert 330 / (math.pi * r_best**2) == pytest.approx(ratio * r_best, rel=1e-6)
        dv = 1e-3
        rate = (optimize.minimize_scalar(tin_area_along_constraint, bounds=(1, 10),
                                         args=(330 + dv, lids), method="bounded",
                                         options={"xatol": 1e-12}).fun - res.fun) / dv
        assert rate == pytest.approx(2 / r_best, rel=1e-4)
    # entropy: dH/dp_i = -ln p_i - 1, and lambda = ln 3 - 1 at p = 1/3 (the fair die)
    def entropy(q): return -np.sum(q * np.log(q))
    for q in rng.uniform(0.1, 0.9, (3, 3)):
        assert -np.log(q) - 1 == pytest.approx(grad_fd(entropy, q), rel=1e-6)
    assert num("mc5_ex_entropy_lambda") == pytest.approx(math.log(3) - 1, rel=1e-9)


def test_numbers_typed_in_captions_and_alt_text():
    """Figure captions and alt text cannot glue, so the rounded numbers they type are
    checked here against the independent computations above."""
    assert newton_exact(cubic, cubic_slope, -2, 1)[1] == Fraction(-9, 5)          # x1 = -1.8
    assert round(cubic_root_value(), 3) == -1.769                                 # the root
    assert newton_exact(cubic, cubic_slope, Fraction(4, 5), 1)[1] == Fraction(61, 5)   # 12.2
    bad = [1.5]
    for _ in range(3):
        bad.append(bad[-1] - math.atan(bad[-1]) * (1 + bad[-1] ** 2))
    assert [round(b, 1) for b in bad[1:]] == [-1.7, 2.3, -5.1]
    assert round(1 / math.sqrt(5), 3) == 0.447         # the two-cycle of x^3 - x
    assert round(-math.sqrt(2 / 3), 1) == -0.8         # the cubic's left turning point
    assert round(tea_fit(), 3) == 0.045
    assert 2 / max(A_BOWL.eigenvals()) == sp.Rational(1, 4)
    assert round((330 / (2 * math.pi)) ** (1 / 3), 2) == 3.74   # 2 pi r^3 = V


def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
