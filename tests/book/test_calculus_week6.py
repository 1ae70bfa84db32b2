"""Course 2, week 6 (book/multivariate-calculus/week6-regression.md): every number the
page glues is checked here by a route other than the page's own.

The page fits straight lines from the weighted sums of the normal equations, walks
chi-squared downhill with a SymPy-derived Jacobian, and calls curve_fit. These tests
use numpy.polyfit (with its unscaled covariance), exact rational least squares in
SymPy, scipy.optimize.least_squares, hand-written Jacobians, central finite differences
of chi-squared, and the statistics the page quotes (Delta chi^2 = 1 on the one-sigma
ellipse, 1 - exp(-1/2) of the mass inside it, 1/sqrt(N) scaling). The data are copied
from the page's text.
"""
from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
import sympy as sp
from scipy import optimize, stats

from tests.book.glue_checks import GlueChecks, close
from tests.book.glued import _value, glued

PAGE = GlueChecks("book/multivariate-calculus/week6-regression")
num, vec = PAGE.num, PAGE.vec


def word(name: str):
    """A glued word, recorded as checked like num and vec."""
    PAGE.read.add(name)
    values = glued(PAGE.page)
    assert name in values, f"{PAGE.page} glues no value named {name!r}"
    return _value(values[name])


# ---------------------------------------------------------------- the sound data
CELSIUS = np.arange(15, 36, 2.0)
SPEED = np.array([340.8, 343.0, 340.1, 345.9, 345.2, 345.0, 346.6, 347.1, 349.8, 353.0, 353.3])
SIGMA = np.array([1.2, 0.9, 1.5, 1.1, 1.0, 1.8, 1.3, 1.6, 1.2, 2.0, 1.4])


def chi2_line(m, c, x=CELSIUS, y=SPEED, sigma=SIGMA):
    return sum(((yi - m * xi - c) / si) ** 2 for xi, yi, si in zip(x, y, sigma))


@functools.cache
def polyfit_line():
    """(m, c) and their covariance from numpy.polyfit with weights 1/sigma."""
    params, cov = np.polyfit(CELSIUS, SPEED, 1, w=1 / SIGMA, cov="unscaled")
    return params, cov


def test_trial_line():
    assert num("mc6_trial_m") == 0.5 and num("mc6_trial_c") == 333
    assert num("mc6_n_points") == len(SPEED)
    assert num("mc6_trial_chi2") == pytest.approx(chi2_line(0.5, 333), rel=1e-12)
    pulls = [abs(y - 0.5 * x - 333) / s for x, y, s in zip(CELSIUS, SPEED, SIGMA)]
    assert num("mc6_trial_largest_pull") == pytest.approx(max(pulls), rel=1e-12)


def test_best_line_is_polyfits():
    (m, c), _ = polyfit_line()
    assert num("mc6_m") == pytest.approx(m, rel=1e-10)
    assert num("mc6_c") == pytest.approx(c, rel=1e-12)
    chi2_min = chi2_line(m, c)
    assert num("mc6_chi2_min") == pytest.approx(chi2_min, rel=1e-9)
    assert num("mc6_dof") == len(SPEED) - 2
    assert num("mc6_chi2_reduced") == pytest.approx(chi2_min / (len(SPEED) - 2), rel=1e-9)
    assert num("mc6_speed_at_20") == pytest.approx(np.polyval([m, c], 20), rel=1e-12)
    h = 1e-6
    gradient = [(chi2_line(m + h, c) - chi2_line(m - h, c)) / (2 * h),
                (chi2_line(m, c + h) - chi2_line(m, c - h)) / (2 * h)]
    assert vec("mc6_grad_at_fit") == pytest.approx(gradient, abs=1e-5)


def test_uncertainties_of_slope_and_intercept():
    (m, c), cov = polyfit_line()
    sigma_m, sigma_c = np.sqrt(np.diag(cov))
    assert num("mc6_sigma_m") == pytest.approx(sigma_m, rel=1e-9)
    assert num("mc6_sigma_c") == pytest.approx(sigma_c, rel=1e-9)
    assert num("mc6_rho") == pytest.approx(cov[0, 1] / (sigma_m * sigma_c), rel=1e-9)
    assert num("mc6_true_m") == 0.606
    assert num("mc6_true_m_pulls") == pytest.approx((m - 0.606) / sigma_m, rel=1e-9)
    # one sigma in m, with c following the valley floor, raises chi^2 by exactly 1
    assert num("mc6_delta_chi2_check") == pytest.approx(1, abs=1e-9)
    raised = chi2_line(m + sigma_m, c + cov[0, 1] / sigma_m) - chi2_line(m, c)
    assert num("mc6_delta_chi2_check") == pytest.approx(raised, abs=1e-9)


def test_simulated_repeats_agree_with_the_covariance():
    """Statistical checks: the page's 4,000 repeats against the formulas, with
    tolerances of several standard errors."""
    _, cov = polyfit_line()
    assert num("mc6_mc_repeats") == 4000
    assert num("mc6_mc_sigma_m") == pytest.approx(math.sqrt(cov[0, 0]), rel=0.05)
    assert num("mc6_mc_sigma_c") == pytest.approx(math.sqrt(cov[1, 1]), rel=0.05)
    assert num("mc6_mc_rho") == pytest.approx(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]), abs=0.005)
    assert num("mc6_mc_inside_share") == pytest.approx(100 * (1 - math.exp(-0.5)), abs=3)


def test_centring():
    weights = 1 / SIGMA**2
    x_mean = np.average(CELSIUS, weights=weights)
    assert num("mc6_x_mean_w") == pytest.approx(x_mean, rel=1e-12)
    (m, c_centred), cov = np.polyfit(CELSIUS - x_mean, SPEED, 1, w=1 / SIGMA, cov="unscaled")
    assert num("mc6_centred_m") == pytest.approx(m, rel=1e-10)
    assert num("mc6_centred_c") == pytest.approx(c_centred, rel=1e-12)
    assert num("mc6_centred_c") == pytest.approx(np.average(SPEED, weights=weights), rel=1e-12)
    assert num("mc6_centred_sigma_c") == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-9)
    assert num("mc6_centred_sigma_c") == pytest.approx(1 / math.sqrt(weights.sum()), rel=1e-9)
    assert num("mc6_centred_rho") == pytest.approx(0, abs=1e-9)
    (_, c), cov_raw = polyfit_line()
    assert num("mc6_centred_back_c") == pytest.approx(c, rel=1e-12)
    assert num("mc6_centred_gain") == pytest.approx(math.sqrt(cov_raw[1, 1] / cov[1, 1]), rel=1e-9)


def exact_line_fit(x, y, sigma):
    """Exact weighted least squares (SymPy Rationals): (m, c), covariance matrix."""
    A = sp.Matrix([[sp.nsimplify(xi), 1] for xi in x])
    W = sp.diag(*[1 / sp.nsimplify(s) ** 2 for s in sigma])
    Y = sp.Matrix([sp.nsimplify(yi) for yi in y])
    cov = (A.T * W * A).inv()
    return cov * A.T * W * Y, cov


def test_exercise_line_by_hand():
    x, y = [0, 1, 2, 3], [1, 3, 4, 7]
    (m, c), _ = exact_line_fit(x, y, [1] * 4)
    residuals = [yi - m * xi - c for xi, yi in zip(x, y)]
    assert num("mc6_ex_hand_m") == pytest.approx(float(m), rel=1e-12)
    assert num("mc6_ex_hand_c") == pytest.approx(float(c), rel=1e-12)
    assert close(vec("mc6_ex_hand_residuals"), residuals)
    assert num("mc6_ex_hand_chi2") == pytest.approx(float(sum(r**2 for r in residuals)), rel=1e-12)
    xbar, ybar = sp.Rational(sum(x), 4), sp.Rational(sum(y), 4)
    assert num("mc6_ex_hand_xbar") == float(xbar) and num("mc6_ex_hand_ybar") == float(ybar)
    sxy = sum((xi - xbar) * (yi - ybar) for xi, yi in zip(x, y))
    assert num("mc6_ex_hand_sxy") == pytest.approx(float(sxy), rel=1e-12)
    assert num("mc6_ex_hand_sxx") == pytest.approx(float(sum((xi - xbar) ** 2 for xi in x)), rel=1e-12)


def test_exercise_weighted_residuals_vanish():
    assert abs(num("mc6_ex_sums_r")) < 1e-9
    assert abs(num("mc6_ex_sums_xr")) < 1e-8


def test_exercise_compare_two_lines():
    (m, c), _ = polyfit_line()
    chi2_a, chi2_b = chi2_line(0.6, 332), chi2_line(0.55, 332.5)
    assert num("mc6_ex_compare_chi2_a") == pytest.approx(chi2_a, rel=1e-12)
    assert num("mc6_ex_compare_chi2_b") == pytest.approx(chi2_b, rel=1e-12)
    assert num("mc6_ex_compare_delta_a") == pytest.approx(chi2_a - chi2_line(m, c), rel=1e-8)
    assert num("mc6_ex_compare_delta_b") == pytest.approx(chi2_b - chi2_line(m, c), rel=1e-8)
    assert word("mc6_ex_compare_better") == ("the second" if chi2_b < chi2_a else "the first")


def test_exercise_centring_the_years():
    years = list(range(2016, 2024))
    prices = [12.41, 11.94, 12.98, 13.24, 13.71, 14.21, 14.30, 15.10]
    (m, c), cov = exact_line_fit(years, prices, [0.2] * 8)
    assert num("mc6_ex_centre_m") == pytest.approx(float(m), rel=1e-9)
    assert num("mc6_ex_centre_sigma_m") == pytest.approx(float(sp.sqrt(cov[0, 0])), rel=1e-9)
    assert num("mc6_ex_centre_c") == pytest.approx(float(c), rel=1e-8)
    assert num("mc6_ex_centre_sigma_c") == pytest.approx(float(sp.sqrt(cov[1, 1])), rel=1e-8)
    rho = float(cov[0, 1] / sp.sqrt(cov[0, 0] * cov[1, 1]))
    assert num("mc6_ex_centre_rho") == pytest.approx(rho, abs=1e-9)
    mean_year = sp.Rational(sum(years), len(years))
    assert num("mc6_ex_centre_mean_year") == float(mean_year)
    (m2, c2), cov2 = exact_line_fit([yr - mean_year for yr in years], prices, [0.2] * 8)
    assert num("mc6_ex_centre_m2") == pytest.approx(float(m2), rel=1e-12)
    assert num("mc6_ex_centre_c2") == pytest.approx(float(c2), rel=1e-12)
    assert num("mc6_ex_centre_sigma_c2") == pytest.approx(float(sp.sqrt(cov2[1, 1])), rel=1e-12)
    assert cov2[0, 1] == 0 and num("mc6_ex_centre_rho2") == 0


def test_exercise_four_times_the_data():
    _, cov = polyfit_line()
    _, cov4 = np.polyfit(np.tile(CELSIUS, 4), np.tile(SPEED, 4), 1, w=np.tile(1 / SIGMA, 4),
                         cov="unscaled")
    assert num("mc6_ex_more_ratio") == pytest.approx(math.sqrt(cov4[0, 0] / cov[0, 0]), rel=1e-9)
    assert num("mc6_ex_more_ratio") == pytest.approx(0.5, rel=1e-9)


# ---------------------------------------------------------------- the capacitor
SECONDS = np.arange(0, 10.01, 0.5)
VOLTS = np.array([4.960, 3.917, 3.161, 2.550, 2.071, 1.610, 1.251, 0.979, 0.849, 0.728,
                  0.529, 0.349, 0.279, 0.341, 0.218, 0.079, 0.128, 0.047, 0.052, 0.042, 0.017])
VOLTS_2 = np.array([5.053, 4.022, 2.997, 2.505, 2.099, 1.765, 1.464, 1.304, 1.091, 0.989,
                    0.883, 0.754, 0.715, 0.738, 0.661, 0.732, 0.716, 0.729, 0.628, 0.692, 0.572])
VOLT_SIGMA = 0.05
GUESS = np.array([3.0, 4.0])


def decay_chi2(a, volts=VOLTS):
    V0, tau = a
    return float(np.sum(((volts - V0 * np.exp(-SECONDS / tau)) / VOLT_SIGMA) ** 2))


def decay_jacobian(a):
    """dV/dV0 and dV/dtau, differentiated by hand; shape (N, 2)."""
    V0, tau = a
    e = np.exp(-SECONDS / tau)
    return np.column_stack([e, V0 * SECONDS * e / tau**2])


def decay_grad(a):
    V0, tau = a
    residuals = VOLTS - V0 * np.exp(-SECONDS / tau)
    return -2 * decay_jacobian(a).T @ residuals / VOLT_SIGMA**2


def fd_gradient(f, a, h=1e-6):
    a = np.asarray(a, dtype=float)
    return np.array([(f(a + h * e) - f(a - h * e)) / (2 * h) for e in np.eye(a.size)])


def fd_hessian(f, a, h=1e-4):
    return np.array([fd_gradient(lambda b: fd_gradient(f, b, h)[i], a, h) for i in range(len(a))])


@functools.cache
def decay_optimum() -> np.ndarray:
    result = optimize.least_squares(
        lambda a: (VOLTS - a[0] * np.exp(-SECONDS / a[1])) / VOLT_SIGMA, GUESS,
        method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    return result.x


def descent_steps(gamma, tol=1e-3):
    a, steps = GUESS.copy(), 0
    while np.linalg.norm(decay_grad(a)) > tol:
        a = a - gamma * decay_grad(a)
        steps += 1
    return steps, a


def test_steepest_descent_on_the_capacitor():
    assert close(vec("mc6_decay_guess"), GUESS)
    assert num("mc6_decay_guess_chi2") == pytest.approx(decay_chi2(GUESS), rel=1e-12)
    assert vec("mc6_decay_first_grad") == pytest.approx(fd_gradient(decay_chi2, GUESS), abs=6e-4)
    gamma = num("mc6_decay_gamma")
    assert gamma == 2e-4
    steps, end = descent_steps(gamma)
    assert abs(num("mc6_decay_steps") - steps) <= 1
    best = decay_optimum()
    assert num("mc6_decay_v0") == pytest.approx(best[0], abs=1e-5)
    assert num("mc6_decay_tau") == pytest.approx(best[1], abs=1e-5)
    assert num("mc6_decay_chi2") == pytest.approx(decay_chi2(best), rel=1e-9)
    assert num("mc6_decay_dof") == len(SECONDS) - 2
    assert num("mc6_decay_chi2_reduced") == pytest.approx(decay_chi2(best) / (len(SECONDS) - 2), rel=1e-9)


def test_step_size_limit_and_other_step_sizes():
    H = fd_hessian(decay_chi2, decay_optimum())
    assert num("mc6_decay_gamma_limit") == pytest.approx(2 / np.linalg.eigvalsh(H).max(), rel=1e-4)
    for name, gamma in [("small", 4e-5), ("edge", 3.5e-4)]:
        assert num(f"mc6_decay_gamma_{name}") == gamma
        assert abs(num(f"mc6_decay_steps_{name}") - descent_steps(gamma)[0]) <= 1


def test_gauss_newton():
    a, steps = GUESS.copy(), 0
    while True:
        J = decay_jacobian(a)
        step = np.linalg.lstsq(J, VOLTS - a[0] * np.exp(-SECONDS / a[1]), rcond=None)[0]
        a, steps = a + step, steps + 1
        if np.linalg.norm(step) < 1e-10:
            break
    assert num("mc6_gn_steps") == steps
    assert vec("mc6_gn_end") == pytest.approx(decay_optimum(), abs=1e-6)
    gap = max(abs(num("mc6_decay_v0") - decay_optimum()[0]), abs(num("mc6_decay_tau") - decay_optimum()[1]))
    assert num("mc6_gn_vs_descent") == pytest.approx(gap, rel=0.05, abs=1e-8)
    assert num("mc6_gn_vs_descent") < 1e-5


def test_curve_fit_results():
    best = decay_optimum()
    assert num("mc6_cf_v0") == pytest.approx(best[0], rel=1e-7)
    assert num("mc6_cf_tau") == pytest.approx(best[1], rel=1e-7)
    J = decay_jacobian(best) / VOLT_SIGMA
    cov = np.linalg.inv(J.T @ J)
    assert num("mc6_cf_sigma_v0") == pytest.approx(math.sqrt(cov[0, 0]), rel=1e-5)
    assert num("mc6_cf_sigma_tau") == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-5)
    assert num("mc6_cf_rho") == pytest.approx(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]), rel=1e-5)
    gap = max(abs(num("mc6_cf_v0") - num("mc6_decay_v0")), abs(num("mc6_cf_tau") - num("mc6_decay_tau")))
    assert num("mc6_cf_vs_descent") == pytest.approx(gap, rel=1e-6)
    assert num("mc6_cf_scale") == pytest.approx(decay_chi2(best) / (len(SECONDS) - 2), rel=1e-6)
    *_, info, _, _ = optimize.leastsq(
        lambda a: (VOLTS - a[0] * np.exp(-SECONDS / a[1])) / VOLT_SIGMA, GUESS, full_output=True)
    assert num("mc6_cf_nfev") == info["nfev"]


def sign_runs(values) -> int:
    return len([key for key, _ in itertools.groupby(np.sign(values))])


def test_residual_check_with_and_without_a_level():
    def pulls2(a):
        return (VOLTS_2 - a[0] * np.exp(-SECONDS / a[1])) / VOLT_SIGMA

    def pulls3(a):
        return (VOLTS_2 - a[0] - (a[1] - a[0]) * np.exp(-SECONDS / a[2])) / VOLT_SIGMA
    fit2 = optimize.least_squares(pulls2, [5, 2], xtol=1e-15, ftol=1e-15, gtol=1e-15)
    fit3 = optimize.least_squares(pulls3, [0, 5, 2], xtol=1e-15, ftol=1e-15, gtol=1e-15)
    n = len(SECONDS)
    assert num("mc6_check_chi2nu_2") == pytest.approx(np.sum(fit2.fun**2) / (n - 2), rel=1e-6)
    assert num("mc6_check_chi2nu_3") == pytest.approx(np.sum(fit3.fun**2) / (n - 3), rel=1e-6)
    assert num("mc6_check_runs_2") == sign_runs(fit2.fun)
    assert num("mc6_check_runs_3") == sign_runs(fit3.fun)
    assert num("mc6_check_expected_runs") == 1 + (n - 1) / 2    # mean runs of n random signs
    # curve_fit stops on its default tolerances, a little early in the wrong model's
    # flat valley: agreement to 1e-4 (the page shows two decimals)
    assert num("mc6_check_tau_2") == pytest.approx(fit2.x[1], rel=1e-4)
    assert num("mc6_check_tau_3") == pytest.approx(fit3.x[2], rel=1e-6)
    assert num("mc6_check_level") == pytest.approx(fit3.x[0], rel=1e-6)
    cov3 = np.linalg.inv(fit3.jac.T @ fit3.jac)
    assert num("mc6_check_level_sigma") == pytest.approx(math.sqrt(cov3[0, 0]), rel=1e-4)


# ---------------------------------------------------------------- non-linear exercises
SAT_X = np.array([1.0, 2.0, 3.0, 4.0])
SAT_Y = np.array([1.20, 1.62, 1.85, 1.93])


def saturation_chi2(a):
    return float(np.sum(((SAT_Y - a[0] * (1 - np.exp(-a[1] * SAT_X))) / 0.1) ** 2))


def test_exercise_one_steepest_descent_step():
    start = np.array([2.0, 1.0])
    residuals = SAT_Y - 2 * (1 - np.exp(-SAT_X))
    assert vec("mc6_ex_step_residuals") == pytest.approx(residuals, abs=6e-5)
    assert num("mc6_ex_step_chi2") == pytest.approx(saturation_chi2(start), rel=1e-12)
    gradient = fd_gradient(saturation_chi2, start)
    assert vec("mc6_ex_step_grad") == pytest.approx(gradient, abs=6e-4)
    assert vec("mc6_ex_step_next") == pytest.approx(start - 0.001 * gradient, abs=6e-5)
    after = saturation_chi2(start - 0.001 * gradient)
    assert num("mc6_ex_step_next_chi2") == pytest.approx(after, rel=1e-6)
    assert after < saturation_chi2(start)


def test_exercise_which_models_are_linear_in_their_parameters():
    a, b, x = sp.symbols("a b x")
    models = {"a": a + b * x**2, "b": a * sp.exp(b * x), "c": a * sp.sin(x) + b * sp.cos(x),
              "d": a / (1 + b * x)}
    # linear in (a, b) exactly when every second derivative with respect to them vanishes
    linear = [label for label, expr in models.items()
              if all(sp.simplify(sp.diff(expr, p, q)) == 0 for p in (a, b) for q in (a, b))]
    assert word("mc6_ex_linear_answer") == ", ".join(f"({label})" for label in linear)


def test_exercise_gauss_newton_on_a_line():
    (m, c), _ = polyfit_line()
    assert vec("mc6_ex_gn_line") == pytest.approx([m, c], abs=6e-7)

# ---------------------------------------------------------------- formulas typed in the prose
def test_formulas_typed_in_the_text():
    """Every derivative, Hessian, closed-form fit and covariance the page types in its
    prose (copied here as written) against finite differences of chi-squared,
    numpy.polyfit and scipy.stats."""
    rng = np.random.default_rng(6)
    x, y, s = CELSIUS, SPEED, SIGMA
    w = 1 / s**2
    S, Sx, Sy, Sxx, Sxy = w.sum(), (w * x).sum(), (w * y).sum(), (w * x * x).sum(), (w * x * y).sum()
    Delta = S * Sxx - Sx**2
    # the gradient (eq-mc6-gradient-zero) and the Hessian 2 [[Sxx, Sx], [Sx, S]]
    for m, c in zip(rng.uniform(0, 1, 4), rng.uniform(320, 350, 4)):
        typed = [-2 * np.sum(x * (y - m * x - c) / s**2), -2 * np.sum((y - m * x - c) / s**2)]
        assert typed == pytest.approx(fd_gradient(lambda a: chi2_line(*a), [m, c], 1e-5), rel=1e-6)
        assert fd_hessian(lambda a: chi2_line(*a), [m, c], 1e-3) == pytest.approx(
            2 * np.array([[Sxx, Sx], [Sx, S]]), rel=1e-5)
    # the solution of the normal equations and its covariance (eq-mc6-covariance)
    (m_fit, c_fit), cov = polyfit_line()
    assert (S * Sxy - Sx * Sy) / Delta == pytest.approx(m_fit, rel=1e-10)
    assert (Sxx * Sy - Sx * Sxy) / Delta == pytest.approx(c_fit, rel=1e-10)
    assert np.array([[S, -Sx], [-Sx, Sxx]]) / Delta == pytest.approx(cov, rel=1e-8)
    assert [math.sqrt(S / Delta), math.sqrt(Sxx / Delta)] == pytest.approx(np.sqrt(np.diag(cov)))
    assert -Sx / math.sqrt(S * Sxx) == pytest.approx(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]))
    # equal sigmas: m = sum (x - xbar)(y - ybar) / sum (x - xbar)^2, c = ybar - m xbar
    (m_eq, c_eq) = np.polyfit(x, y, 1)
    m_typed = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    assert [m_typed, y.mean() - m_typed * x.mean()] == pytest.approx([m_eq, c_eq], rel=1e-10)
    # the share of fits inside the Delta chi^2 = 1 ellipse: 1 - e^{-1/2}, about 39.3 %
    assert 1 - math.exp(-0.5) == pytest.approx(stats.chi2.cdf(1, df=2), rel=1e-12)
    assert round(100 * stats.chi2.cdf(1, df=2), 1) == 39.3
    # centring (eq-mc6-decoupled): m = S_x'y / S_x'x', c' = S_y / S, cov(m, c') = 0, c = c' - m xbar_w
    xbar_w = Sx / S
    xc = x - xbar_w
    (m_c, c_c), cov_c = np.polyfit(xc, y, 1, w=1 / s, cov="unscaled")
    assert (w * xc * y).sum() / (w * xc * xc).sum() == pytest.approx(m_c, rel=1e-10)
    assert Sy / S == pytest.approx(c_c, rel=1e-12)
    assert 1 / math.sqrt(S) == pytest.approx(math.sqrt(cov_c[1, 1]), rel=1e-10)   # sigma of c'
    assert cov_c[0, 1] == pytest.approx(0, abs=1e-12 * cov_c[1, 1])
    assert c_c - m_c * xbar_w == pytest.approx(c_fit, rel=1e-10)
    # the capacitor: J = [e^{-t/tau}, V0 t e^{-t/tau} / tau^2], grad chi^2 = -2 J^T W r,
    # Hessian 2 sum (J_k J_l - r d2y/da_k da_l) / sigma^2, roughly 2 J^T W J near the fit
    def volts_model(a): return a[0] * np.exp(-SECONDS / a[1])
    V0, tau, t = sp.symbols("V0 tau t")
    second = sp.lambdify((t, V0, tau), sp.hessian(V0 * sp.exp(-t / tau), (V0, tau)))
    for a in [GUESS, *rng.uniform([3, 1.5], [6, 4], (3, 2))]:
        e = np.exp(-SECONDS / a[1])
        J = np.column_stack([e, a[0] * SECONDS * e / a[1] ** 2])
        J_fd = np.column_stack([(volts_model(a + h) - volts_model(a - h)) / 2e-6
                                for h in (np.array([1e-6, 0]), np.array([0, 1e-6]))])
        assert J == pytest.approx(J_fd, rel=1e-6, abs=1e-9)
        r = VOLTS - volts_model(a)
        grad = -2 * J.T @ r / VOLT_SIGMA**2
        assert grad == pytest.approx(fd_gradient(decay_chi2, a), rel=1e-6)
        d2y = np.array([np.broadcast_to(np.array(second(ti, *a), dtype=float), (2, 2))
                        for ti in SECONDS])
        exact = 2 * (J.T @ J - np.einsum("i,ikl->kl", r, d2y)) / VOLT_SIGMA**2
        assert exact == pytest.approx(fd_hessian(decay_chi2, a), rel=1e-4)
    a_fit = decay_optimum()
    e = np.exp(-SECONDS / a_fit[1])
    J = np.column_stack([e, a_fit[0] * SECONDS * e / a_fit[1] ** 2])
    assert 2 * J.T @ J / VOLT_SIGMA**2 == pytest.approx(fd_hessian(decay_chi2, a_fit), rel=0.05)
    # the exercise's saturation model y = a (1 - e^{-bx}): dy/da = 1 - e^{-bx}, dy/db = a x e^{-bx}
    for a_, b_ in rng.uniform(0.5, 3, (3, 2)):
        def sat(p): return p[0] * (1 - np.exp(-p[1] * SAT_X))
        typed = np.column_stack([1 - np.exp(-b_ * SAT_X), a_ * SAT_X * np.exp(-b_ * SAT_X)])
        fd_cols = np.column_stack([(sat([a_ + 1e-6, b_]) - sat([a_ - 1e-6, b_])) / 2e-6,
                                   (sat([a_, b_ + 1e-6]) - sat([a_, b_ - 1e-6])) / 2e-6])
        assert typed == pytest.approx(fd_cols, rel=1e-6, abs=1e-9)


def test_numbers_typed_in_captions_and_alt_text():
    """The capacitor's minimum, typed in the alt text as "near (5, 2.2)" (from least_squares),
    and the first Gauss-Newton step."""
    V0, tau = decay_optimum()
    assert round(V0) == 5 and round(tau, 1) == 2.2
    # "first overshoots below the valley to tau near 0.9": one Gauss-Newton step from the guess
    J = decay_jacobian(GUESS)
    first = GUESS + np.linalg.solve(J.T @ J, J.T @ (VOLTS - GUESS[0] * np.exp(-SECONDS / GUESS[1])))
    assert round(first[1], 1) == 0.9


def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
