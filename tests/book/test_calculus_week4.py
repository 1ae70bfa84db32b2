"""Course 2, week 4 (Taylor series and linearisation): every series coefficient,
approximation, error and worked answer the page glues, checked by a different route
than the page took. The page builds Taylor polynomials by differentiating; these tests
use sympy's `series`, closed forms (geometric sums, the digamma function), Taylor
remainder estimates, scipy's root finder and central finite differences."""
from __future__ import annotations

import ast
import math

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import brentq
from scipy.special import digamma, expit

from tests.book.glued import array, glued, number

PAGE = "book/multivariate-calculus/week4-taylor-series"

x, y = sp.symbols("x y")


def g(name: str) -> float:
    return number(PAGE, name)


def a(name: str) -> np.ndarray:
    return array(PAGE, name)


def series_coefficients(expr, point, order) -> list[float]:
    """Coefficients of (x - point)**n, n = 0..order, from sympy's series expansion."""
    h = sp.symbols("h")
    expansion = sp.series(expr.subs(x, point + h), h, 0, order + 1).removeO()
    return [float(expansion.coeff(h, n)) for n in range(order + 1)]


def polynomial_value(coeffs, point, at) -> float:
    return sum(c * (at - point) ** n for n, c in enumerate(coeffs))


# ---------------------------------------------------------------- approximations
def test_logistic_derivatives_and_approximations():
    coeffs = series_coefficients(1 / (1 + sp.exp(-x)), 1, 2)
    derivs = [c * math.factorial(n) for n, c in enumerate(coeffs)]
    np.testing.assert_allclose(a("mc4_logistic_derivs"), derivs, rtol=1e-12)
    at = g("mc4_logistic_x")
    assert g("mc4_logistic_true") == pytest.approx(expit(at), rel=1e-12)
    approx = [polynomial_value(coeffs[: k + 1], 1, at) for k in range(3)]
    np.testing.assert_allclose(a("mc4_logistic_approx"), approx, rtol=1e-12)
    errors = [g(f"mc4_logistic_err{k}") for k in range(3)]
    np.testing.assert_allclose(errors, np.abs(np.array(approx) - expit(at)), rtol=1e-9)
    assert errors[0] > errors[1] > errors[2]


def test_exponential_partial_sums():
    partial = a("mc4_e_partial")
    coeffs = series_coefficients(sp.exp(x), 0, len(partial) - 1)
    np.testing.assert_allclose(partial, np.cumsum(coeffs), rtol=1e-14)
    assert g("mc4_e_partial5") == pytest.approx(np.cumsum(coeffs)[5])
    assert g("mc4_e_err5") == pytest.approx(abs(math.e - np.cumsum(coeffs)[5]), rel=1e-9)
    assert g("mc4_e_err10") == pytest.approx(abs(math.e - np.cumsum(coeffs)[10]), rel=1e-6)


def test_square_root_taylor_coefficients_and_values():
    coeffs = series_coefficients(sp.sqrt(x), 4, 3)
    np.testing.assert_allclose(a("mc4_sqrt_coeffs"), coeffs, rtol=1e-14)
    # the exact fractions shown in the prose
    h = sp.symbols("h")
    exact = sp.series(sp.sqrt(4 + h), h, 0, 4).removeO()
    texts = glued(PAGE)
    for n in range(4):
        shown = sp.Rational(ast.literal_eval(texts[f"mc4_sqrt_c{n}_text"]))
        assert shown == exact.coeff(h, n), f"c{n}"
    at = g("mc4_sqrt_x")
    assert g("mc4_sqrt_true") == pytest.approx(math.sqrt(at), rel=1e-14)
    approx = [polynomial_value(coeffs[: k + 1], 4, at) for k in range(4)]
    np.testing.assert_allclose(a("mc4_sqrt_approx"), approx, rtol=1e-14)
    for k in range(4):
        assert g(f"mc4_sqrt_err{k}") == pytest.approx(abs(approx[k] - math.sqrt(at)), rel=1e-9)


# ---------------------------------------------------------------- convergence
def test_ratio_test_values_match_sympy_coefficients():
    n = int(g("mc4_ratio_n"))
    inv = series_coefficients(1 / x, 1, n + 1)
    log = series_coefficients(sp.log(x), 1, n + 1)
    exp = series_coefficients(sp.exp(x), 0, n + 1)
    assert g("mc4_ratio_inverse") == pytest.approx(abs(inv[n] / inv[n + 1]))
    assert g("mc4_ratio_log") == pytest.approx(abs(log[n] / log[n + 1]), rel=1e-12)
    assert g("mc4_ratio_exp") == pytest.approx(abs(exp[n] / exp[n + 1]), rel=1e-9)


def test_inverse_series_partial_sums_match_the_geometric_closed_form():
    orders = a("mc4_inv_orders").astype(int)
    table = a("mc4_inv_table")
    for row, xv in zip(table, [0.5, 2.5]):
        ratio = -(xv - 1)
        closed = [(1 - ratio ** (n + 1)) / (1 - ratio) for n in orders]
        np.testing.assert_allclose(row, closed, rtol=1e-10)
    assert g("mc4_inv_half_20") == pytest.approx(table[0][2])
    assert abs(g("mc4_inv_half_20") - 2) < 1e-5                       # converges inside
    far = [g("mc4_inv_far_5"), g("mc4_inv_far_10"), g("mc4_inv_far_20")]
    np.testing.assert_allclose(far, table[1])
    assert abs(far[0]) < abs(far[1]) < abs(far[2])                    # diverges outside


def test_log_series_at_the_edge_matches_the_digamma_formula():
    # Alternating harmonic sum: |S_n - ln 2| = (psi((n+2)/2) - psi((n+1)/2)) / 2
    orders = a("mc4_log_orders").astype(int)
    expected = [(digamma((n + 2) / 2) - digamma((n + 1) / 2)) / 2 for n in orders]
    np.testing.assert_allclose(a("mc4_log_err_two"), expected, rtol=1e-8)
    for n, err in zip(orders, expected):
        assert g(f"mc4_log_err_two_{n}") == pytest.approx(err, rel=1e-8)
    coeffs = series_coefficients(sp.log(x), 1, 10)
    value = polynomial_value(coeffs, 1, 1.5)
    assert g("mc4_log_at_1p5_order10") == pytest.approx(value, rel=1e-12)
    assert g("mc4_log_err_1p5_order10") == pytest.approx(abs(value - math.log(1.5)), rel=1e-6)


def test_orders_needed_for_the_sine_series():
    coeffs = series_coefficients(sp.sin(x), 0, 45)
    for xv, name in [(0.5, "0p5"), (2.0, "2"), (6.0, "6")]:
        needed = next(order for order in range(1, 45, 2)
                      if abs(polynomial_value(coeffs[: order + 1], 0, xv) - math.sin(xv)) < 1e-6)
        assert g(f"mc4_sin_order_needed_{name}") == needed
    assert g("mc4_sin_order_needed_0p5") < g("mc4_sin_order_needed_2") < g("mc4_sin_order_needed_6")
    # after reducing 6 by the period 2 pi, the series about 0 needs far fewer terms
    shifted = 6.0 - 2 * math.pi
    assert g("mc4_sin_shifted") == pytest.approx(shifted, rel=1e-14)
    needed = next(order for order in range(1, 45, 2)
                  if abs(polynomial_value(coeffs[: order + 1], 0, shifted) - math.sin(6.0)) < 1e-6)
    assert g("mc4_sin_order_needed_shifted") == needed
    assert needed < g("mc4_sin_order_needed_6")


def test_hessian_entry_count():
    # distinct entries of a symmetric n x n matrix: pairs i <= j, that is C(n + 1, 2)
    assert g("mc4_hessian_entries") == pytest.approx(math.comb(10**6 + 1, 2))
    assert math.comb(4 + 1, 2) == len(np.column_stack(np.triu_indices(4)))


# ---------------------------------------------------------------- linearisation
def test_linearisation_and_difference_errors_follow_the_taylor_remainder():
    steps = a("mc4_steps_for_test")
    linear, central = a("mc4_linear_error"), a("mc4_central_error")
    middle = (steps >= 1e-3) & (steps <= 1e-2)
    # leading remainder terms: sin(1) dx^2 / 2 and |f'''(1)| dx^2 / 6 = cos(1) dx^2 / 6
    np.testing.assert_allclose(linear[middle], np.sin(1) * steps[middle] ** 2 / 2, rtol=0.01)
    np.testing.assert_allclose(central[middle], np.cos(1) * steps[middle] ** 2 / 6, rtol=0.01)
    assert g("mc4_slope_linear") == pytest.approx(2, abs=0.02)
    assert g("mc4_slope_forward") == pytest.approx(1, abs=0.02)
    assert g("mc4_slope_central") == pytest.approx(2, abs=0.02)
    # rounding and truncation balance near (eps / |f'''|)^(1/3), within a decade
    balance = (np.finfo(float).eps / np.cos(1)) ** (1 / 3)
    assert balance / 10 < g("mc4_central_best_step") < balance * 10
    assert g("mc4_central_best_error") == pytest.approx(central.min())


def test_newton_raphson_reaches_the_root_scipy_finds():
    root = brentq(lambda v: math.cos(v) - v, 0, 1, xtol=1e-15)
    iterates = a("mc4_newton_iterates")
    assert iterates[0] == 0 and iterates[1] == pytest.approx(1.0)
    assert g("mc4_newton_root") == pytest.approx(root, abs=1e-14)
    assert g("mc4_newton_x2") == pytest.approx(iterates[2])
    errors = [g(f"mc4_newton_err{k}") for k in range(1, 4)]
    np.testing.assert_allclose(errors, np.abs(iterates[1:4] - root), rtol=1e-6)
    # quadratic convergence: e_{k+1} / e_k^2 stays bounded (about |f''| / 2|f'|)
    assert errors[2] / errors[1] ** 2 < 1 and errors[1] / errors[0] ** 2 < 1


# ---------------------------------------------------------------- multivariate Taylor
def _bump(v):
    return math.exp(-(v[0] ** 2 + v[1] ** 2) / 2)


def _fd_jacobian_hessian(f, p, h=1e-4):
    """Central finite-difference gradient and Hessian of f: R^2 -> R at p."""
    p = np.asarray(p, dtype=float)
    e = np.eye(2) * h
    grad = np.array([(f(p + e[i]) - f(p - e[i])) / (2 * h) for i in range(2)])
    hess = np.array([[(f(p + e[i] + e[j]) - f(p + e[i] - e[j]) - f(p - e[i] + e[j])
                       + f(p - e[i] - e[j])) / (4 * h * h) for j in range(2)] for i in range(2)])
    return grad, hess


def test_bump_jacobian_and_hessian_match_finite_differences():
    p = a("mc4_bump_p")
    np.testing.assert_allclose(p, [1.0, 0.5])
    grad, hess = _fd_jacobian_hessian(_bump, p)
    assert g("mc4_bump_value") == pytest.approx(_bump(p), rel=1e-14)
    np.testing.assert_allclose(a("mc4_bump_J").ravel(), grad, rtol=1e-7)
    np.testing.assert_allclose(a("mc4_bump_H"), hess, atol=1e-6)
    np.testing.assert_allclose(np.sort(a("mc4_bump_H_eigs")), np.linalg.eigvalsh(hess), atol=1e-6)
    assert g("mc4_bump_H_det") == pytest.approx(np.linalg.det(hess), abs=1e-6)
    assert g("mc4_bump_H_det") < 0                      # a saddle, as the page says


def test_bump_approximations_at_the_worked_step():
    p, step = a("mc4_bump_p"), a("mc4_bump_step")
    grad, hess = _fd_jacobian_hessian(_bump, p)
    f0 = _bump(p)
    expected = [f0, f0 + grad @ step, f0 + grad @ step + 0.5 * step @ hess @ step]
    np.testing.assert_allclose(a("mc4_bump_approx"), expected, rtol=1e-6)
    exact = _bump(p + step)
    assert g("mc4_bump_exact") == pytest.approx(exact, rel=1e-14)
    errs = [g(f"mc4_bump_err{k}") for k in range(3)]
    np.testing.assert_allclose(errs, np.abs(np.array(expected) - exact), rtol=1e-4)
    assert errs[0] > errs[1] > errs[2]


def test_error_of_order_n_grows_like_r_to_the_n_plus_1():
    orders = a("mc4_growth_orders")
    np.testing.assert_allclose(orders, [1, 2, 3], atol=0.05)
    radii, worst = a("mc4_growth_radii"), a("mc4_growth_worst")
    # spot-check the measured worst error of the first-order model on one circle
    grad, hess = _fd_jacobian_hessian(_bump, a("mc4_bump_p"))
    r = radii[10]
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    points = [a("mc4_bump_p") + r * np.array([np.cos(t), np.sin(t)]) for t in angles]
    first = [abs(_bump(q) - (_bump(a("mc4_bump_p")) + grad @ (q - a("mc4_bump_p"))))
             for q in points]
    assert worst[1][10] == pytest.approx(max(first), rel=1e-4)


# ---------------------------------------------------------------- exercises
def test_exercise_gaussian_series_by_substitution():
    coeffs = series_coefficients(sp.exp(-x ** 2), 0, 6)
    np.testing.assert_allclose(a("mc4_ex1_coeffs"), coeffs, atol=1e-15)
    value = polynomial_value(coeffs, 0, 0.5)
    assert g("mc4_ex1_at_half") == pytest.approx(value, rel=1e-14)
    assert g("mc4_ex1_err_half") == pytest.approx(abs(value - math.exp(-0.25)), rel=1e-9)


def test_exercise_square_root_estimates():
    coeffs = series_coefficients(sp.sqrt(x), 4, 2)
    first, second = polynomial_value(coeffs[:2], 4, 4.2), polynomial_value(coeffs, 4, 4.2)
    assert g("mc4_ex2_first") == pytest.approx(first, rel=1e-14)
    assert g("mc4_ex2_second") == pytest.approx(second, rel=1e-14)
    assert g("mc4_ex2_err_first") == pytest.approx(abs(first - math.sqrt(4.2)), rel=1e-9)
    assert g("mc4_ex2_err_second") == pytest.approx(abs(second - math.sqrt(4.2)), rel=1e-9)


def test_exercise_shifted_exponential():
    coeffs = series_coefficients(sp.exp(2 * x), 1, 2)
    np.testing.assert_allclose(a("mc4_ex3_coeffs"), coeffs, rtol=1e-14)
    assert g("mc4_ex3_at") == pytest.approx(polynomial_value(coeffs, 1, 1.1), rel=1e-14)
    assert g("mc4_ex3_true") == pytest.approx(math.exp(2.2), rel=1e-14)


def test_exercise_special_case_geometric_series():
    for xv, name in [(0.5, "mc4_ex4_half"), (1.5, "mc4_ex4_far")]:
        ratio = -(xv ** 2)
        closed = [(1 - ratio ** n) / (1 - ratio) for n in (5, 10, 20)]
        np.testing.assert_allclose(a(name), closed, rtol=1e-9)
    assert g("mc4_ex4_half_20") == pytest.approx(1 / 1.25, abs=1e-10)


def test_exercise_newton_on_the_cubic():
    root = brentq(lambda v: v ** 3 - 2 * v - 5, 2, 3, xtol=1e-15)
    iterates = a("mc4_ex5_iterates")
    assert iterates[1] == pytest.approx(2 - (8 - 4 - 5) / (12 - 2))
    assert g("mc4_ex5_x2") == pytest.approx(iterates[2]) and g("mc4_ex5_x3") == iterates[3]
    # quadratic convergence: e3 = g''/(2 g') e2^2 to leading order, at the root
    e2, e3 = iterates[2] - root, iterates[3] - root
    constant = 6 * root / (2 * (3 * root ** 2 - 2))
    assert e3 == pytest.approx(constant * e2 ** 2, rel=0.02)
    assert abs(e3) < 1e-9
    assert g("mc4_ex5_residual") == pytest.approx(abs(iterates[3] ** 3 - 2 * iterates[3] - 5),
                                                  rel=1e-6)


def test_exercise_two_dimensional_taylor():
    f = lambda v: v[0] * math.exp(v[1])
    grad, hess = _fd_jacobian_hessian(f, [1.0, 0.0])
    np.testing.assert_allclose(a("mc4_ex6_J").ravel(), grad, rtol=1e-7)
    np.testing.assert_allclose(a("mc4_ex6_H"), hess, atol=1e-6)
    step = np.array([0.1, 0.1])
    target = np.array([1.0, 0.0]) + step
    assert g("mc4_ex6_first") == pytest.approx(1 + grad @ step, rel=1e-7)
    assert g("mc4_ex6_second") == pytest.approx(1 + grad @ step + 0.5 * step @ hess @ step,
                                                rel=1e-7)
    assert g("mc4_ex6_true") == pytest.approx(f(target), rel=1e-14)
    assert g("mc4_ex6_err_second") == pytest.approx(abs(g("mc4_ex6_second") - f(target)),
                                                    rel=1e-5)
