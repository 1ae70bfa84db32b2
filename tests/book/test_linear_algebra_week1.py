"""Course 1, week 1 (book/linear-algebra/week1-vectors-and-ml.md): every number the
page glues is checked here by a route other than the page's own.

The page solves with numpy.linalg, fits with Nelder-Mead and builds its histogram with
numpy; these tests use exact arithmetic (sympy), scipy.stats / scipy.optimize.curve_fit,
and plain-Python counting. The givens of each exercise are copied from the exercise
text, so a page whose code drifts from its own text fails too.
"""
from __future__ import annotations

import bisect
import statistics
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from scipy import optimize, stats

from tests.book.glue_checks import GlueChecks, close

PAGE = GlueChecks("book/linear-algebra/week1-vectors-and-ml")
num, vec = PAGE.num, PAGE.vec


def exact(value) -> sp.Rational:
    """A decimal given from the page's text as an exact rational."""
    return sp.Rational(str(value))


def sympy_solve(matrix, totals) -> list:
    A = sp.Matrix([[exact(x) for x in row] for row in matrix])
    b = sp.Matrix([exact(x) for x in totals])
    return list(A.LUsolve(b))


# ---------------------------------------------------------------- apples and bananas
def test_shop_prices_solve_both_receipts_exactly():
    apple, banana = sympy_solve([[2, 3], [5, 1]], [3.65, 4.25])
    assert num("la1_price_apple") == pytest.approx(float(apple), abs=1e-12)
    assert num("la1_price_banana") == pytest.approx(float(banana), abs=1e-12)


def test_shop_elimination_formula_numbers_are_cramers_determinants():
    u, v = exact(3.65), exact(4.25)
    assert num("la1_shop_denominator") == pytest.approx(float(sp.Matrix([[2, 3], [5, 1]]).det()))
    assert num("la1_shop_numerator_a") == pytest.approx(float(sp.Matrix([[u, 3], [v, 1]]).det()))
    assert num("la1_shop_numerator_b") == pytest.approx(float(sp.Matrix([[2, u], [5, v]]).det()))


# ---------------------------------------------------------------- heights
def heights_data():
    heights = vec("la1_heights")
    edges = vec("la1_hist_edges")
    counts = vec("la1_hist_counts")
    return heights, edges, counts


def test_simulated_heights_match_the_stated_set_up():
    heights, edges, counts = heights_data()
    assert len(heights) == num("la1_n_people")
    assert len(counts) == num("la1_n_bins") == len(edges) - 1
    assert np.allclose(np.diff(edges), num("la1_bin_width"))
    # recorded to a millimetre
    assert np.allclose(heights * 10, np.round(heights * 10))
    # a sample from N(true_mean, true_sd): its mean within 4 standard errors
    mean, sd = num("la1_true_mean"), num("la1_true_sd")
    assert abs(statistics.fmean(heights) - mean) < 4 * sd / np.sqrt(len(heights))
    assert abs(statistics.pstdev(heights) - sd) < 0.1 * sd


def test_histogram_counts_by_plain_python_counting():
    heights, edges, counts = heights_data()
    by_hand = [0] * len(counts)
    for h in heights:
        if edges[0] <= h <= edges[-1]:  # numpy's last bin includes its right edge
            k = min(bisect.bisect_right(list(edges), h) - 1, len(counts) - 1)
            by_hand[k] += 1
    assert by_hand == list(counts)


def test_sample_statistics():
    heights, _, _ = heights_data()
    assert num("la1_sample_mean") == pytest.approx(statistics.fmean(heights), rel=1e-12)
    assert num("la1_sample_sd") == pytest.approx(statistics.pstdev(heights), rel=1e-12)


def test_share_within_one_standard_deviation():
    share = stats.norm.cdf(1) - stats.norm.cdf(-1)
    assert num("la1_within_one_sd") == pytest.approx(share, rel=1e-12)


def chi2_scipy(mean, sd):
    """The page's error eq-la1-chi2, through scipy.stats."""
    heights, edges, counts = heights_data()
    centres = (edges[:-1] + edges[1:]) / 2
    expected = len(heights) * np.diff(edges) * stats.norm.pdf(centres, loc=mean, scale=sd)
    return float(np.sum((counts - expected) ** 2))


def test_first_guess_and_its_error():
    guess = vec("la1_guess")
    assert list(guess) == [num("la1_guess_mean"), num("la1_guess_sd")]
    assert num("la1_chi2_guess") == pytest.approx(chi2_scipy(*guess), rel=1e-9)


def test_best_fit_agrees_with_scipy_curve_fit():
    heights, edges, counts = heights_data()
    centres = (edges[:-1] + edges[1:]) / 2
    width = np.diff(edges)[0]

    def model(x, mean, sd):
        return len(heights) * width * stats.norm.pdf(x, loc=mean, scale=sd)

    (mean, sd), _ = optimize.curve_fit(model, centres, counts, p0=[165.0, 12.0])
    assert num("la1_best_mean") == pytest.approx(mean, abs=1e-3)
    assert num("la1_best_sd") == pytest.approx(abs(sd), abs=1e-3)
    assert num("la1_chi2_best") == pytest.approx(chi2_scipy(num("la1_best_mean"), num("la1_best_sd")), rel=1e-9)
    assert num("la1_chi2_best") <= chi2_scipy(mean, abs(sd)) * (1 + 1e-6)


def test_step_from_guess_to_best_fit():
    assert num("la1_step_mean") == pytest.approx(num("la1_best_mean") - num("la1_guess_mean"), abs=1e-12)
    assert num("la1_step_sd") == pytest.approx(num("la1_best_sd") - num("la1_guess_sd"), abs=1e-12)


# ---------------------------------------------------------------- exercise: line fit
LINE_X = [0, 1, 2, 3]
LINE_Y = [1, 2.5, 4.5, 5.5]
LINE_CANDIDATES = {"A": (1, 1), "B": (1.6, 1), "C": (2, 0.5)}


def sse_exact(m, c) -> Fraction:
    return sum((Fraction(str(y)) - (Fraction(str(m)) * x + Fraction(str(c)))) ** 2
               for x, y in zip(LINE_X, LINE_Y))


def test_line_fit_candidate_errors_and_best():
    errors = {name: sse_exact(*p) for name, p in LINE_CANDIDATES.items()}
    for name, value in errors.items():
        assert num(f"la1_ex_line_sse_{name}") == pytest.approx(float(value), abs=1e-12)
    assert num("la1_ex_line_best_index") == "ABC".index(min(errors, key=errors.get))


def test_line_fit_worked_predictions_for_candidate_a():
    m, c = LINE_CANDIDATES["A"]
    predictions = np.polyval([m, c], LINE_X)
    assert np.allclose(vec("la1_ex_line_pred_A"), predictions)
    assert np.allclose(vec("la1_ex_line_miss_A"), np.array(LINE_Y) - predictions)


def test_line_fit_least_squares_optimum_agrees_with_polyfit():
    m, c = np.polyfit(LINE_X, LINE_Y, 1)
    assert num("la1_ex_line_lstsq_m") == pytest.approx(m, abs=1e-10)
    assert num("la1_ex_line_lstsq_c") == pytest.approx(c, abs=1e-10)
    assert np.allclose(vec("la1_ex_line_lstsq"), [m, c], atol=1e-4)
    assert num("la1_ex_line_sse_lstsq") == pytest.approx(float(sse_exact(round(m, 10), round(c, 10))), abs=1e-9)


# ---------------------------------------------------------------- exercise: bells
BELLS = {"A": (170, 5), "B": (160, 5), "C": (170, 10)}


def test_bell_peaks_and_their_ratio():
    for name, (mean, sd) in BELLS.items():
        assert num(f"la1_ex_bell_peak_{name}") == pytest.approx(stats.norm.pdf(mean, mean, sd), rel=1e-12)
    assert num("la1_ex_bell_peak_ratio") == pytest.approx(
        stats.norm.pdf(0, scale=BELLS["A"][1]) / stats.norm.pdf(0, scale=BELLS["C"][1]))


def test_bell_steps_in_parameter_space():
    assert list(vec("la1_ex_bell_step_B")) == [b - a for a, b in zip(BELLS["A"], BELLS["B"])]
    assert list(vec("la1_ex_bell_step_C")) == [c - a for a, c in zip(BELLS["A"], BELLS["C"])]
    assert num("la1_ex_bell_shift") == BELLS["A"][0] - BELLS["B"][0]
    assert num("la1_ex_bell_width_ratio") == BELLS["C"][1] / BELLS["A"][1]


def test_bell_errors_on_the_heights_and_the_best_one():
    errors = {name: chi2_scipy(*p) for name, p in BELLS.items()}
    for name, value in errors.items():
        assert num(f"la1_ex_bell_chi2_{name}") == pytest.approx(value, rel=1e-9)
    assert num("la1_ex_bell_best_index") == "ABC".index(min(errors, key=errors.get))


# ---------------------------------------------------------------- exercise: receipts
def test_second_shop_prices_and_elimination_step():
    apple, banana = sympy_solve([[3, 2], [1, 4]], [2.60, 2.70])
    assert num("la1_ex_shop2_apple") == pytest.approx(float(apple), abs=1e-12)
    assert num("la1_ex_shop2_banana") == pytest.approx(float(banana), abs=1e-12)
    assert num("la1_ex_shop2_det") == pytest.approx(float(sp.Matrix([[3, 2], [1, 4]]).det()))
    # 3 x (a + 4b = 2.70) - (3a + 2b = 2.60)
    a, b = sp.symbols("a b")
    lhs = sp.expand(3 * (a + 4 * b) - (3 * a + 2 * b))
    assert lhs.coeff(a) == 0
    assert num("la1_ex_shop2_elim_b") == pytest.approx(float(lhs.coeff(b)))
    assert num("la1_ex_shop2_elim_total") == pytest.approx(float(3 * exact(2.70) - exact(2.60)), abs=1e-12)


def test_three_fruit_prices_and_elimination_steps():
    a, b, c = sp.symbols("a b c")
    eqs = [sp.Eq(a + b + c, exact(2.55)), sp.Eq(2 * a + b + 3 * c, exact(6.60)),
           sp.Eq(a + 3 * b + 2 * c, exact(4.95))]
    solution = sp.solve(eqs, [a, b, c])
    for name, symbol in (("apple", a), ("banana", b), ("cherry", c)):
        assert num(f"la1_ex_fruit3_{name}") == pytest.approx(float(solution[symbol]), abs=1e-12)
    # (eq3 - eq1) - (eq2 - 2 eq1) has only b left
    last = sp.expand((eqs[2].lhs - eqs[0].lhs) - (eqs[1].lhs - 2 * eqs[0].lhs))
    last_total = (eqs[2].rhs - eqs[0].rhs) - (eqs[1].rhs - 2 * eqs[0].rhs)
    assert last.coeff(a) == 0 and last.coeff(c) == 0
    assert num("la1_ex_fruit3_last_b") == pytest.approx(float(last.coeff(b)))
    assert num("la1_ex_fruit3_last_total") == pytest.approx(float(last_total), abs=1e-12)


def test_inconsistent_receipts():
    A = sp.Matrix([[2, 3], [4, 6]])
    assert num("la1_ex_stuck_det") == pytest.approx(float(A.det()), abs=1e-12)
    assert num("la1_ex_stuck_rank") == A.rank()
    a, b = sp.symbols("a b")
    assert sp.linsolve((A, sp.Matrix([exact(3.65), exact(7.00)])), a, b) == sp.EmptySet
    consistent = exact(num("la1_ex_stuck_consistent_total"))
    assert consistent == 2 * exact(3.65)
    # with the consistent total there is a whole line of solutions
    assert sp.linsolve((A, sp.Matrix([exact(3.65), consistent])), a, b).free_symbols
    assert num("la1_ex_stuck_halved_total") == pytest.approx(float(exact(7.00) / 2))


# ---------------------------------------------------------------- vector operations
def test_sum_and_difference_in_the_text():
    r, s = sp.Matrix([3, 2]), sp.Matrix([-1, 2])
    assert close(vec("la1_r"), r) and close(vec("la1_s"), s)
    assert close(vec("la1_r_plus_s"), r + s)
    assert close(vec("la1_r_minus_s"), r - s)


def test_vector_operations_exercise():
    u, w = sp.Matrix([1, 3]), sp.Matrix([4, -2])
    assert close(vec("la1_ex_ops_sum"), u + w)
    assert close(vec("la1_ex_ops_diff"), u - w)
    assert close(vec("la1_ex_ops_half"), -sp.Rational(1, 2) * w)
    assert close(vec("la1_ex_ops_combo"), 2 * u - 3 * w)


HOUSES = {"A": [120, 2, 1, 150], "B": [75, 1, 1, 98], "C": [180, 4, 2, 265], "D": [95, 3, 1, 130]}


def test_houses_exercise():
    rows = {name: sp.Matrix(values) for name, values in HOUSES.items()}
    assert close(vec("la1_ex_houses_diff"), rows["C"] - rows["A"])
    assert np.allclose(vec("la1_ex_houses_mid"), [float(x) for x in (rows["A"] + rows["C"]) / 2])
    mean = [statistics.fmean(column) for column in zip(*HOUSES.values())]
    assert np.allclose(vec("la1_ex_houses_mean"), mean)


def test_points_and_combination_exercise():
    a, b = sp.Matrix([2, -1, 4]), sp.Matrix([5, 3, 4])
    assert close(vec("la1_ex_ab"), b - a)
    assert np.allclose(vec("la1_ex_ab_mid"), [float(x) for x in (a + b) / 2])
    alpha, beta = sp.symbols("alpha beta")
    solution = sp.solve(alpha * sp.Matrix([1, 2]) + beta * sp.Matrix([3, -1]) - sp.Matrix([7, 0]),
                        [alpha, beta])
    assert num("la1_ex_comb_alpha") == pytest.approx(float(solution[alpha]), abs=1e-12)
    assert num("la1_ex_comb_beta") == pytest.approx(float(solution[beta]), abs=1e-12)


# ---------------------------------------------------------------- coverage of the glue
def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
