"""Course 2, week 1 (What is calculus?): every number, derivative and worked answer the
page glues is checked here by another route than the page took: SymPy
differentiation where the page worked by hand, central finite differences and SciPy
where the page used SymPy or np.gradient, and the raw data file read without pandas."""
from __future__ import annotations

import csv
import math
from datetime import date, timedelta

import numpy as np
import pytest
import sympy as sp
from matplotlib import cbook
from scipy import integrate, optimize, signal, stats

from tests.book import calculus_checks
from tests.book.calculus_checks import central_difference, literal
from tests.book.glued import number

PAGE = "book/multivariate-calculus/week1-what-is-calculus"
x = sp.Symbol("x")


def formula(name: str) -> sp.Expr:
    return calculus_checks.formula(PAGE, name, {"x": x})


def word(name: str) -> str:
    return literal(PAGE, name)


def values_list(name: str) -> np.ndarray:
    return np.asarray(literal(PAGE, name), dtype=float)


def assert_derivative(glued_name: str, question: sp.Expr, points=(-1.3, 0.4, 0.9, 2.2)):
    """The glued derivative equals SymPy's derivative of the question, symbolically
    and (guarding against a simplification blind spot) at sample points by
    central differences of the question itself."""
    answer = formula(glued_name)
    assert sp.simplify(answer - sp.diff(question, x)) == 0, f"{glued_name} = {answer} is wrong"
    f = sp.lambdify(x, question, "numpy")
    d = sp.lambdify(x, answer, "numpy")
    points = np.asarray(points, dtype=float)
    np.testing.assert_allclose(d(points), central_difference(f, points), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------- functions from data
def sp500_monthly():
    """(years since 1990, level) of the S&P 500 on the first of each month, read with csv."""
    path = cbook.get_sample_data("Stocks.csv", asfileobj=False)
    with open(path, newline="") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    t, level = [], []
    for row in csv.DictReader(rows):
        day = date.fromisoformat(row["Date"])
        if row["^GSPC"] and day.day == 1:
            t.append((day - date(1990, 1, 1)).days / 365.25)
            level.append(float(row["^GSPC"]))
    return np.array(t), np.array(level)


def test_sp500_exponential_model_matches_an_independent_fit():
    t, level = sp500_monthly()
    fit = stats.linregress(t, np.log(level))
    k, p0 = fit.slope, math.exp(fit.intercept)
    assert number(PAGE, "mc1_sp_k") == pytest.approx(k, rel=1e-9)
    assert number(PAGE, "mc1_sp_p0") == pytest.approx(p0, rel=1e-9)
    assert number(PAGE, "mc1_sp_k_percent") == pytest.approx(100 * k, rel=1e-9)
    assert number(PAGE, "mc1_sp_doubling_years") == pytest.approx(math.log(2) / k, rel=1e-9)
    # d/dt P0 e^{kt} = k P0 e^{kt}, by SymPy rather than by the page's rule.
    tt = sp.Symbol("t")
    rate = sp.diff(p0 * sp.exp(k * tt), tt)
    assert number(PAGE, "mc1_sp_rate_1990") == pytest.approx(float(rate.subs(tt, 0)), rel=1e-9)
    assert number(PAGE, "mc1_sp_rate_2020") == pytest.approx(float(rate.subs(tt, 30)), rel=1e-9)


def test_sp500_record_ends_and_average_rise():
    t, level = sp500_monthly()
    assert number(PAGE, "mc1_sp_months") == len(level)
    assert number(PAGE, "mc1_sp_first_year") == 1990
    assert number(PAGE, "mc1_sp_last_year") == (date(1990, 1, 1) + timedelta(days=t[-1] * 365.25)).year
    assert number(PAGE, "mc1_sp_first_level") == pytest.approx(level[0])
    assert number(PAGE, "mc1_sp_last_level") == pytest.approx(level[-1])
    assert number(PAGE, "mc1_sp_average_rise") == pytest.approx(
        (level[-1] - level[0]) / (t[-1] - t[0]), rel=1e-9)


# ---------------------------------------------------------------- exercise 1
GALLERY_QUESTIONS = {1: 1 - x / 2, 2: x**2 - 2, 3: x**3 - 3 * x,
                     4: sp.exp(x) / 2, 5: 2 * sp.sin(2 * x), 6: 1 / x}


def test_gallery_answer_key_names_the_panel_that_draws_each_formula():
    samples = values_list("mc1_gallery_samples")
    letters = {n: word(f"mc1_match_formula_{n}") for n in GALLERY_QUESTIONS}
    assert sorted(letters.values()) == list("ABCDEF"), "each panel answers exactly one formula"
    for n, question in GALLERY_QUESTIONS.items():
        drawn = values_list(f"mc1_gallery_{letters[n]}_y")
        expected = sp.lambdify(x, question, "numpy")(samples)
        np.testing.assert_allclose(drawn, expected, rtol=1e-3, atol=1e-3,
                                   err_msg=f"formula ({n}) is not the curve in panel {letters[n]}")


# ---------------------------------------------------------------- rise over run
def test_line_and_tangent_gradients():
    line = x / 2 + 1
    assert number(PAGE, "mc1_line_gradient") == pytest.approx(float(sp.diff(line, x)))
    assert number(PAGE, "mc1_line_rise") / number(PAGE, "mc1_line_run") == pytest.approx(0.5)
    cubic = lambda t: t**3 / 3 - t  # noqa: E731
    for name, x0 in {"m2": -2.0, "0": 0.0, "1": 1.0}.items():
        assert number(PAGE, f"mc1_tangent_slope_{name}") == pytest.approx(
            central_difference(cubic, [x0])[0], abs=1e-6)


def car_speed(t):
    """The page's stated speed model v(t) = 15 [S(t/20) - S((t - 38)/12)]."""
    def s(u):
        u = np.clip(u, 0, 1)
        return 3 * u**2 - 2 * u**3
    return 15 * (s(t / 20) - s((t - 38) / 12))


def test_car_acceleration_extremes_and_distance():
    # Each phase is a cubic polynomial in t; maximise its SymPy derivative with SciPy.
    tt = sp.Symbol("t")
    speeding_up = 15 * (3 * (tt / 20)**2 - 2 * (tt / 20)**3)
    slowing_down = 15 - 15 * (3 * ((tt - 38) / 12)**2 - 2 * ((tt - 38) / 12)**3)
    up = sp.lambdify(tt, sp.diff(speeding_up, tt))
    down = sp.lambdify(tt, sp.diff(slowing_down, tt))
    best_up = optimize.minimize_scalar(lambda t: -up(t), bounds=(0, 20), method="bounded")
    best_down = optimize.minimize_scalar(down, bounds=(38, 50), method="bounded")
    assert number(PAGE, "mc1_car_max_accel") == pytest.approx(-best_up.fun, rel=1e-4)
    assert number(PAGE, "mc1_car_max_accel_time") == pytest.approx(best_up.x, abs=0.02)
    assert number(PAGE, "mc1_car_max_brake") == pytest.approx(-best_down.fun, rel=1e-4)
    assert number(PAGE, "mc1_car_max_brake_time") == pytest.approx(best_down.x, abs=0.02)
    assert number(PAGE, "mc1_car_max_speed") == pytest.approx(15.0)
    distance, _ = integrate.quad(car_speed, 0, 60, points=[20, 38, 50])
    assert number(PAGE, "mc1_car_distance") == pytest.approx(distance, rel=1e-6)


# ---------------------------------------------------------------- exercise 2
def test_derivative_matching_key_pairs_each_function_with_its_gradient():
    grid = values_list("mc1_match_x")
    panels = {numeral: values_list(f"mc1_match_derivative_{numeral}_y")
              for numeral in ("i", "ii", "iii", "iv")}
    chosen = []
    for name in "abcd":
        slope = np.gradient(values_list(f"mc1_match_function_{name}_y"), grid)
        misfit = {numeral: np.max(np.abs(y - slope)) / np.max(np.abs(slope))
                  for numeral, y in panels.items()}
        key = word(f"mc1_match_derivative_of_{name}")
        assert min(misfit, key=misfit.get) == key, f"function ({name}) has derivative {misfit}"
        assert misfit[key] < 0.05
        chosen.append(key)
    assert sorted(chosen) == sorted(panels), "each derivative panel is used once"


# ---------------------------------------------------------------- the definition
def test_secants_of_x_squared_and_their_limit():
    steps = values_list("mc1_secant_steps")
    dx = sp.Symbol("dx")
    secant = ((1 + dx)**2 - 1) / dx
    exact = [float(secant.subs(dx, sp.nsimplify(s))) for s in steps]
    np.testing.assert_allclose(values_list("mc1_secant_slopes"), exact, rtol=1e-12)
    for i, value in enumerate(exact):
        assert number(PAGE, f"mc1_secant_slope_{i}") == pytest.approx(value)
    assert number(PAGE, "mc1_secant_limit") == pytest.approx(float(sp.limit(secant, dx, 0)))


def test_exercise_first_principles_cube():
    assert sp.simplify(formula("mc1_cube_derivative") - sp.diff(x**3, x)) == 0
    assert number(PAGE, "mc1_cube_derivative_at_2") == pytest.approx(
        central_difference(lambda t: t**3, [2.0])[0], rel=1e-8)
    steps = values_list("mc1_cube_steps")
    # (x + h)^3 - x^3 over h, evaluated exactly in rationals.
    exact = [float(((2 + sp.nsimplify(h))**3 - 8) / sp.nsimplify(h)) for h in steps]
    np.testing.assert_allclose(values_list("mc1_cube_slopes"), exact, rtol=1e-9)
    for i, value in enumerate(exact):
        assert number(PAGE, f"mc1_cube_slope_{i}") == pytest.approx(value, rel=1e-9)


# ---------------------------------------------------------------- special cases
def test_reciprocal_gradient_and_the_number_e():
    assert number(PAGE, "mc1_reciprocal_slope_half") == pytest.approx(
        central_difference(lambda t: 1 / t, [0.5])[0], rel=1e-6)
    assert number(PAGE, "mc1_e_estimate") == pytest.approx(math.e, abs=1e-6)
    # The gradient of a**x at 0 is ln a.
    assert number(PAGE, "mc1_slope_at_zero_2") == pytest.approx(math.log(2), rel=1e-6)
    assert number(PAGE, "mc1_slope_at_zero_3") == pytest.approx(math.log(3), rel=1e-6)


def test_exercise_differentiate_some_functions():
    questions = {"a": 4 * x**5 - 3 * x**2 + 7, "b": 2 / x**3 + sp.sqrt(x),
                 "c": sp.exp(x) - 3 * sp.cos(x) + sp.sin(x), "d": (x + 1)**2 / x}
    for part, question in questions.items():
        assert_derivative(f"mc1_ex_diff_{part}", question, points=(0.3, 0.9, 1.7, 2.4))


# ---------------------------------------------------------------- product rule
def test_product_rule_corner_shrinks_and_worked_value():
    area = lambda t: t**2 * np.sin(t)  # noqa: E731
    for i, step in enumerate(values_list("mc1_corner_steps")):
        gain = area(1 + step) - area(1)
        corner = ((1 + step)**2 - 1) * (np.sin(1 + step) - np.sin(1))
        assert number(PAGE, f"mc1_corner_share_{i}") == pytest.approx(100 * corner / gain, rel=1e-9)
    assert number(PAGE, "mc1_product_at_1") == pytest.approx(
        central_difference(area, [1.0])[0], rel=1e-8)


def test_exercise_product_rule():
    questions = {"a": x**3 * sp.exp(x), "b": sp.exp(x) * sp.sin(x),
                 "c": x * sp.exp(x) * sp.sin(x)}
    for part, question in questions.items():
        assert_derivative(f"mc1_ex_product_{part}", question)
        f = sp.lambdify(x, question, "numpy")
        assert number(PAGE, f"mc1_ex_product_{part}_at_1") == pytest.approx(
            central_difference(f, [1.0])[0], rel=1e-7)


# ---------------------------------------------------------------- chain rule
def test_balloon_chain_rule_against_the_composite():
    p0, scale = number(PAGE, "mc1_balloon_p0"), number(PAGE, "mc1_balloon_H")
    assert (p0, scale) == (1013.0, 8.4)
    tt = sp.Symbol("t")
    altitude = 30 * (1 - sp.exp(-tt / 100))
    composite = p0 * sp.exp(-altitude / scale)            # p(h(t)) with h substituted first
    t0 = number(PAGE, "mc1_balloon_t")
    assert number(PAGE, "mc1_balloon_h") == pytest.approx(float(altitude.subs(tt, t0)))
    assert number(PAGE, "mc1_balloon_dhdt") == pytest.approx(float(sp.diff(altitude, tt).subs(tt, t0)))
    hh = sp.Symbol("h")
    dp_dh = sp.diff(p0 * sp.exp(-hh / scale), hh).subs(hh, altitude.subs(tt, t0))
    assert number(PAGE, "mc1_balloon_dpdh_abs") == pytest.approx(-float(dp_dh))
    exact = float(sp.diff(composite, tt).subs(tt, t0))
    assert number(PAGE, "mc1_balloon_dpdt") == pytest.approx(exact, rel=1e-10)
    assert number(PAGE, "mc1_balloon_dpdt_fd") == pytest.approx(exact, rel=1e-6)
    launch = float(sp.diff(altitude, tt).subs(tt, 0)) * 1000 / 60     # km/min -> m/s
    assert number(PAGE, "mc1_balloon_launch_rate") == pytest.approx(launch)
    assert number(PAGE, "mc1_balloon_ceiling") == pytest.approx(float(sp.limit(altitude, tt, sp.oo)))


def test_beast_derivative_and_its_turning_points():
    beast = sp.cos(x**3 - 2 * x) * sp.exp(-x**2)
    assert_derivative("mc1_beast_derivative", beast, points=np.linspace(-2.4, 2.4, 13))
    f = sp.lambdify(x, beast, "numpy")
    assert number(PAGE, "mc1_beast_at_1") == pytest.approx(central_difference(f, [1.0])[0], rel=1e-7)
    # Peaks and troughs of f itself, found on a fine grid without the derivative.
    grid = np.linspace(-2.5, 2.5, 200_001)
    values = f(grid)
    extrema = np.sort(np.concatenate([signal.argrelextrema(values, np.greater)[0],
                                      signal.argrelextrema(values, np.less)[0]]))
    assert number(PAGE, "mc1_beast_turning_points") == len(extrema)
    np.testing.assert_allclose(values_list("mc1_beast_turning_x"), grid[extrema], atol=1e-4)
    assert number(PAGE, "mc1_beast_fd_error") < 1e-8


def test_exercise_chain_rule():
    questions = {"a": (3 * x**2 - 1)**5, "b": sp.exp(sp.sin(x)), "c": sp.sin(sp.exp(2 * x)),
                 "d": 1 / (1 + sp.exp(-x)), "e": x**2 * sp.exp(-3 * x) * sp.cos(2 * x)}
    for part, question in questions.items():
        assert_derivative(f"mc1_ex_chain_{part}", question)
        f = sp.lambdify(x, question, "numpy")
        assert number(PAGE, f"mc1_ex_chain_{part}_at_half") == pytest.approx(
            central_difference(f, [0.5])[0], rel=1e-6)
