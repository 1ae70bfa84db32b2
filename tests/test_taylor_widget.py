"""The Taylor series visualiser (mml.widgets.taylor).

The coefficients, computed from closed-form derivatives, are checked against SymPy's
series expansion; the radius of convergence against the root test applied to SymPy's
coefficients, and against the behaviour of the error itself; the widget is driven
as a student drives it."""
from __future__ import annotations

import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from mml.widgets.taylor import (FUNCTIONS, MAX_ORDER, TaylorVisualiser, agreement_interval,
                                draw_taylor_picture, polynomial_text, radius_of_convergence,
                                taylor_coefficients, taylor_picture_data, taylor_polynomial)
from tests.conftest import ROOT
from tests.lab_notebooks import committed_without_outputs, run_lab

matplotlib.use("Agg")

x = sp.symbols("x", real=True)
t = sp.symbols("t", real=True)          # t = x - a


def sympy_function(name):
    """The menu's functions written independently in SymPy."""
    return {
        "e^x": sp.exp(x), "sin x": sp.sin(x), "cos x": sp.cos(x), "ln x": sp.log(x),
        "1/x": 1 / x, "1/(1\u2212x)": 1 / (1 - x), "1/(1+x\u00b2)": 1 / (1 + x**2),
        "Gaussian bump e^(\u2212x\u00b2)": sp.exp(-x**2), "|x|": sp.Abs(x),
    }[name]


def sympy_coefficients(name, a, order):
    """The coefficients of SymPy's series of f(a + t) in powers of t."""
    if name.startswith("Gaussian"):
        # exp(-(a + t)^2) = exp(-a^2) exp(-2 a t - t^2): SymPy expands the second factor far
        # faster than the original expression
        series = sp.exp(-a**2) * sp.series(sp.exp(-2 * a * t - t**2), t, 0, order + 1).removeO()
    else:
        series = sp.series(sympy_function(name).subs(x, a + t), t, 0, order + 1).removeO()
    series = sp.expand(series)
    return np.array([float(series.coeff(t, n)) for n in range(order + 1)])


POINTS = {"e^x": [0, sp.Rational(-3, 2)], "sin x": [0, sp.Rational(7, 5)],
          "cos x": [0, sp.Rational(-5, 2)], "ln x": [1, sp.Rational(5, 2)],
          "1/x": [1, sp.Rational(-3, 4)], "1/(1\u2212x)": [0, sp.Rational(5, 2)],
          "1/(1+x\u00b2)": [0, sp.Rational(6, 5)],
          "Gaussian bump e^(\u2212x\u00b2)": [0, sp.Rational(1, 2)],
          "|x|": [sp.Rational(3, 2), sp.Rational(-1, 2)]}
CASES = [(name, a) for name, points in POINTS.items() for a in points]


def test_every_function_of_the_menu_is_checked():
    assert set(POINTS) == set(FUNCTIONS)


@pytest.mark.parametrize("name, a", CASES, ids=[f"{n} about {a}" for n, a in CASES])
def test_coefficients_match_sympys_series(name, a):
    ours = taylor_coefficients(name, float(a), MAX_ORDER)
    theirs = sympy_coefficients(name, a, MAX_ORDER)
    assert ours == pytest.approx(theirs, rel=1e-10, abs=1e-13)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_the_function_values_match_sympy(name):
    fn = FUNCTIONS[name]
    f = sp.lambdify(x, sympy_function(name), "numpy")
    xs = np.linspace(*fn.x_range, 37)
    with np.errstate(all="ignore"):
        expected = f(xs)
    ours = fn.value(xs)
    defined = np.isfinite(ours)
    assert ours[defined] == pytest.approx(expected[defined])
    if name == "ln x":
        assert not np.any(defined & (xs <= 0)), "ln x has no value for x <= 0"


@pytest.mark.parametrize("name, a, expected", [
    ("ln x", 2.5, 2.5), ("1/x", -0.75, 0.75), ("1/(1\u2212x)", 2.5, 1.5),
    ("1/(1+x\u00b2)", 1.2, np.sqrt(1 + 1.2**2))])
def test_the_radius_of_convergence_agrees_with_the_root_test(name, a, expected):
    """Cauchy-Hadamard: 1/R = limsup |c_n|^(1/n); estimated from SymPy's coefficients
    of orders 35 to 40."""
    coefficients = sympy_coefficients(name, sp.Rational(a).limit_denominator(100), 40)
    n = np.arange(35, 41)
    estimate = 1 / np.max(np.abs(coefficients[35:41]) ** (1 / n))
    assert radius_of_convergence(name, a) == pytest.approx(expected)
    assert radius_of_convergence(name, a) == pytest.approx(estimate, rel=0.12)


def test_entire_functions_have_an_infinite_radius():
    for name in ("e^x", "sin x", "cos x", "Gaussian bump e^(\u2212x\u00b2)"):
        assert np.isinf(radius_of_convergence(name, 0.7))


@pytest.mark.parametrize("name, a", [("ln x", 1.0), ("1/x", 1.5), ("1/(1\u2212x)", 0.0),
                                     ("1/(1+x\u00b2)", 0.0)])
def test_inside_the_interval_more_terms_help_and_outside_they_hurt(name, a):
    """Judged from the error against the true function (numpy), order 10 versus order 4."""
    lo, hi = agreement_interval(name, a)
    R = hi - a
    f = FUNCTIONS[name].value
    inside, outside = np.array(a + 0.6 * R), np.array(a + 1.3 * R)
    for point, better in ((inside, True), (outside, False)):
        errors = [abs(f(point) - taylor_polynomial(taylor_coefficients(name, a, n), a, point))
                  for n in (4, 10)]
        assert (errors[1] < errors[0]) == better, (point, errors)


def test_the_series_of_abs_stops_at_the_kink():
    assert agreement_interval("|x|", 1.5) == (0, np.inf)
    assert agreement_interval("|x|", -0.5) == (-np.inf, 0)
    picture = taylor_picture_data("|x|", 1.5, 6, x0=-1.0)
    assert not picture.inside
    assert "kink" in picture.message
    assert abs(picture.f0 - picture.p0) == pytest.approx(2.0)      # |-1| against -1


@pytest.mark.parametrize("name, a", [("ln x", 0.0), ("ln x", -0.5), ("1/x", 0.0),
                                     ("1/(1\u2212x)", 1.0), ("|x|", 0.0)])
def test_there_is_no_series_where_the_function_is_not_smooth(name, a):
    with pytest.raises(ValueError):
        taylor_coefficients(name, a, 3)
    picture = taylor_picture_data(name, a, 3)
    assert picture.coefficients is None and picture.px is None
    assert "no Taylor series" in picture.message


def test_the_picture_data_agree_with_the_polynomial_and_the_function():
    picture = taylor_picture_data("sin x", 0.5, 5, x0=2.0)
    expected = sum(float(sp.diff(sp.sin(x), x, n).subs(x, sp.Rational(1, 2))) / sp.factorial(n)
                   * (picture.xs - 0.5) ** n for n in range(6))
    assert picture.px == pytest.approx(np.array(expected, dtype=float))
    assert picture.fx == pytest.approx(np.sin(picture.xs))
    assert picture.errors.shape == (6, len(picture.xs))
    assert picture.errors[-1] == pytest.approx(np.abs(np.sin(picture.xs) - picture.px))
    assert picture.p0 == pytest.approx(taylor_polynomial(picture.coefficients, 0.5, 2.0))
    assert picture.f0 == pytest.approx(np.sin(2.0))
    assert picture.inside and "outside" not in picture.message


def test_a_point_outside_the_radius_is_pointed_out():
    picture = taylor_picture_data("ln x", 1.0, 8, x0=2.5)
    assert not picture.inside
    assert "outside the interval" in picture.message
    assert "R = 1" in picture.message


def test_the_polynomial_is_written_out_readably():
    assert polynomial_text(taylor_coefficients("e^x", 0.0, 2), 0.0) == "1 + x + 0.5x<sup>2</sup>"
    assert polynomial_text(taylor_coefficients("sin x", 0.0, 4), 0.0) == "x \u2212 0.167x<sup>3</sup>"
    assert (polynomial_text(taylor_coefficients("ln x", 1.0, 2), 1.0)
            == "(x \u2212 1) \u2212 0.5(x \u2212 1)<sup>2</sup>")
    assert polynomial_text(np.zeros(3), 0.0) == "0"


def test_the_drawing_shows_f_the_polynomial_and_every_orders_error():
    picture = taylor_picture_data("cos x", 0.0, 4, x0=1.0)
    fig = draw_taylor_picture(picture)
    try:
        ax, ax_err = fig.axes[:2]
        curves = [np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()
                  if len(line.get_xdata()) == len(picture.xs)]
        low, high = ax.get_ylim()

        def drawn(values):
            """Some line follows `values` wherever it is drawn, and leaves out only
            values far outside the window (beyond a pole, or where P_n shoots off)."""
            for y in curves:
                shown = np.isfinite(y)
                if (shown.sum() > len(y) // 4 and np.allclose(y[shown], values[shown])
                        and np.all((values[~shown] < low) | (values[~shown] > high))):
                    return True
            return False

        assert drawn(picture.fx), "f is not drawn"
        assert drawn(picture.px), "P_n is not drawn"
        error_lines = [line for line in ax_err.get_lines() if len(line.get_xdata()) == len(picture.xs)]
        assert len(error_lines) == 5
        assert ax_err.get_yscale() == "log"
    finally:
        plt.close(fig)


# ---------------------------------------------------------------- the widget

def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("change", [
    lambda vis: setattr(vis.order_slider, "value", 7),
    lambda vis: setattr(vis.point_slider, "value", 1.0),
    lambda vis: setattr(vis.x_slider, "value", -2.0),
    lambda vis: setattr(vis.function_menu, "value", "cos x"),
])
def test_every_control_changes_the_picture_and_the_message(change):
    vis = TaylorVisualiser("e^x", order=2)
    before_png, before_message = png_bytes(vis.figure), vis.message.value
    change(vis)
    assert png_bytes(vis.figure) != before_png
    assert vis.message.value != before_message


def test_the_widget_shows_the_coefficients_of_its_settings():
    vis = TaylorVisualiser("sin x", order=3)
    vis.set(order=7, point=1.0, x=2.5)
    assert vis.picture.order == 7 and vis.picture.a == 1.0 and vis.picture.x0 == 2.5
    expected = [float(sp.diff(sp.sin(x), x, n).subs(x, 1)) / float(sp.factorial(n)) for n in range(8)]
    assert vis.picture.coefficients == pytest.approx(expected)


def test_set_redraws_once():
    vis = TaylorVisualiser()
    calls = []
    original = vis.redraw
    vis.redraw = lambda: (calls.append(1), original())
    vis.set(order=5, point=0.5, x=1.5)
    assert len(calls) == 1


def test_a_new_function_brings_its_own_window_and_default_point():
    vis = TaylorVisualiser("e^x", order=4)
    vis.set_function("ln x")
    fn = FUNCTIONS["ln x"]
    assert (vis.point_slider.min, vis.point_slider.max) == fn.x_range
    assert vis.point_slider.value == fn.default_point
    assert vis.picture.name == "ln x" and vis.picture.coefficients is not None
    vis.set(point=-0.5)
    assert "no Taylor series" in vis.message.value
    vis.set_function("sin x")
    assert (vis.x_slider.min, vis.x_slider.max) == FUNCTIONS["sin x"].x_range


def test_the_visualiser_displays_as_an_ipywidget():
    bundle = TaylorVisualiser()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---------------------------------------------------------------- the lab notebook

LAB = ROOT / "labs" / "taylor_series.ipynb"


def test_the_lab_notebook_is_committed_without_outputs():
    assert committed_without_outputs(LAB)


def test_the_lab_notebook_runs_headless_and_its_check_agrees_with_sympy():
    run = run_lab(LAB)
    assert not run.errors(), run.errors()
    assert run.shows_a_widget(), "the first code cell should display the tool"
    assert run.figures_in_output_widgets(), "the tool's Output area holds no figure"
    # The SymPy cell puts ln x about 1, order 5, into the tool and prints its coefficients:
    # they are 0, 1, -1/2, 1/3, -1/4, 1/5 (SymPy's series, computed here again).
    printed = run.printed(4)
    tool_line = next(line for line in printed.splitlines() if line.startswith("tool:"))
    shown = np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?", tool_line)])
    assert shown == pytest.approx(sympy_coefficients("ln x", 1, 5), abs=1e-12)
    # The tool's message follows: order 5, radius 1 (ln x about 1: the singularity at x = 0
    # is 1 away), and f at the chosen x is ln x.
    message = next((v for v in run.html_values() if "P<sub>5</sub>(x)" in v), "")
    assert "R = 1:" in message, message
    at = re.search(r"At x = (-?[\d.]+): f = (-?[\d.]+)", message)
    assert at and float(at[2]) == pytest.approx(np.log(float(at[1])), rel=5e-3), message
