"""Course 3, week 1 (statistics of data sets): every number the page glues is checked
against an independent computation: exact arithmetic (fractions, sympy), the standard
library's statistics module, scikit-learn's empirical covariance, SciPy, and the raw
scikit-image data rather than the course's loader."""
from __future__ import annotations

import functools
import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from scipy import stats
from skimage.data import lfw_subset
from sklearn.covariance import empirical_covariance
from sklearn.datasets import load_iris

from tests.book.glue_checks import GlueChecks

PAGE = GlueChecks("book/pca/week1-statistics-of-datasets")
CUPS = [3, 5, 6, 6, 8, 13]
value = PAGE.num       # a glued number, recorded as checked
matrix = PAGE.vec      # a glued vector or matrix, recorded as checked


def sympy_eigenvalues(rows) -> list[float]:
    """Eigenvalues of a small integer matrix, exactly, as sorted floats."""
    eigenvalues = sp.Matrix(rows).eigenvals()
    return sorted(float(ev) for ev, multiplicity in eigenvalues.items()
                  for _ in range(multiplicity))


@functools.cache
def faces_data() -> np.ndarray:
    """The 100 faces as a (100, 625) data matrix, read from scikit-image directly."""
    return lfw_subset()[:100].reshape(100, -1).astype(float)


@functools.cache
def petals_data() -> np.ndarray:
    return load_iris().data[:, 2:4]


# ---------------------------------------------------------------- the mean
def test_mean_of_the_cafe_data_and_its_balance_property():
    assert value("pca1_cups_n") == len(CUPS)
    assert value("pca1_cups_mean") == pytest.approx(float(Fraction(sum(CUPS), len(CUPS))))
    assert abs(value("pca1_cups_deviation_sum")) < 1e-12


def test_mean_of_the_iris_petals():
    petals = petals_data()
    expected = [math.fsum(petals[:, d]) / len(petals) for d in range(2)]
    assert value("pca1_iris_n") == 150
    assert matrix("pca1_mu_petals") == pytest.approx(expected, rel=1e-12)
    assert value("pca1_mu_petals_length") == pytest.approx(expected[0])
    assert value("pca1_mu_petals_width") == pytest.approx(expected[1])


def test_shape_and_brightness_of_the_mean_face():
    faces = faces_data()
    assert value("pca1_faces_n") == 100
    assert value("pca1_faces_d") == 625
    assert value("pca1_faces_side") == 25
    mean_face = np.array([math.fsum(column) / 100 for column in faces.T])
    assert value("pca1_mean_face_brightness") == pytest.approx(mean_face.mean(), rel=1e-12)
    assert value("pca1_mean_face_pixel_00") == pytest.approx(mean_face[0], rel=1e-12)
    nearest = min(math.dist(face, mean_face) for face in faces)
    assert value("pca1_mean_face_nearest_distance") == pytest.approx(nearest, rel=1e-10)


def test_exercise_mean_of_numbers():
    data = [2, 7, 3, 9, 4]
    assert value("pca1_ex_mean_numbers_sum") == sum(data)
    assert value("pca1_ex_mean_numbers") == pytest.approx(float(Fraction(sum(data), 5)))
    assert value("pca1_ex_mean_numbers_new_sum") == sum(data) + 11
    assert value("pca1_ex_mean_numbers_new") == pytest.approx(float(Fraction(sum(data) + 11, 6)))


def test_exercise_running_mean_matches_the_mean_of_an_actual_data_set():
    # three points whose mean is (1, 2), then the fourth point (4, 1)
    points = np.array([[0.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
    assert points.mean(axis=0) == pytest.approx([1.0, 2.0])
    expected = np.vstack([points, [4.0, 1.0]]).mean(axis=0)
    assert matrix("pca1_ex_running_new") == pytest.approx(expected)


# ---------------------------------------------------------------- variance
def test_variance_of_the_cafe_data():
    assert value("pca1_cups_var") == pytest.approx(statistics.pvariance(CUPS))
    assert value("pca1_cups_std") == pytest.approx(statistics.pstdev(CUPS))
    assert value("pca1_cups_var_unbiased") == pytest.approx(statistics.variance(CUPS))
    mean_square = Fraction(sum(c * c for c in CUPS), len(CUPS))
    assert value("pca1_cups_mean_square") == pytest.approx(float(mean_square))
    # the "mean of squares minus square of mean" formula derived on the page
    assert float(mean_square - Fraction(sum(CUPS), len(CUPS)) ** 2) == pytest.approx(
        value("pca1_cups_var"))


def test_the_two_spread_data_sets_differ_as_the_figure_says():
    assert value("pca1_spread_std_narrow") < value("pca1_spread_std_wide")
    assert 4 < value("pca1_spread_mean") < 6


def test_pixel_standard_deviations():
    faces = faces_data()
    stds = np.array([statistics.pstdev(column) for column in faces.T])
    assert value("pca1_std_face_min") == pytest.approx(stds.min(), rel=1e-9)
    assert value("pca1_std_face_max") == pytest.approx(stds.max(), rel=1e-9)


# ---------------------------------------------------------------- SPD matrices
def test_eigenvalues_of_the_three_examples():
    for name, rows in [("A1", [[2, 1], [1, 2]]), ("A2", [[1, 1], [1, 1]]),
                       ("A3", [[1, 2], [2, 1]])]:
        expected = sympy_eigenvalues(rows)
        assert matrix(f"pca1_spd_eig_{name}") == pytest.approx(expected, abs=1e-12), name
        assert value(f"pca1_spd_eig_{name}_lo") == pytest.approx(expected[0], abs=1e-12), name
        assert value(f"pca1_spd_eig_{name}_hi") == pytest.approx(expected[1], abs=1e-12), name


def test_exercise_which_matrices_are_positive_definite():
    for name, rows in [("B1", [[4, -2], [-2, 3]]), ("B2", [[1, 3], [3, 2]]),
                       ("B3", [[4, -6], [-6, 9]])]:
        expected = sympy_eigenvalues(rows)
        assert value(f"pca1_ex_spd_{name}_lo") == pytest.approx(expected[0], abs=1e-12), name
        assert value(f"pca1_ex_spd_{name}_hi") == pytest.approx(expected[1], abs=1e-12), name


def test_exercise_quadratic_form_of_B2():
    x = sp.Matrix([1, -1])
    assert value("pca1_ex_spd_B2_form") == float((x.T * sp.Matrix([[1, 3], [3, 2]]) * x)[0])


# ---------------------------------------------------------------- covariance
def test_the_two_clouds_have_the_covariances_the_figure_claims():
    assert matrix("pca1_same_var_left") == pytest.approx(np.eye(2), abs=1e-12)
    assert matrix("pca1_same_var_right") == pytest.approx(np.array([[1, 0.8], [0.8, 1]]), abs=1e-12)


def test_face_covariance_has_rank_n_minus_one():
    faces = faces_data()
    centred = faces - faces.mean(axis=0)
    assert value("pca1_faces_cov_rank") == np.linalg.matrix_rank(centred) == 99
    assert abs(value("pca1_faces_cov_min_eig")) < 1e-12
    total_variance = sum(statistics.pvariance(column) for column in faces.T)
    assert value("pca1_faces_total_variance") == pytest.approx(total_variance, rel=1e-9)
    mean_sq_distance = np.mean([math.dist(face, faces.mean(axis=0)) ** 2 for face in faces])
    assert value("pca1_faces_mean_sq_distance") == pytest.approx(mean_sq_distance, rel=1e-9)


def test_covariance_matrix_of_the_petals():
    petals = petals_data()
    S = empirical_covariance(petals)          # divides by N
    assert matrix("pca1_S_petals") == pytest.approx(S, rel=1e-12)
    assert value("pca1_petal_var_length") == pytest.approx(statistics.pvariance(petals[:, 0]))
    assert value("pca1_petal_var_width") == pytest.approx(statistics.pvariance(petals[:, 1]))
    assert value("pca1_petal_cov") == pytest.approx(S[0, 1])
    assert value("pca1_petal_corr") == pytest.approx(stats.pearsonr(*petals.T).statistic)


def test_eigenvalues_and_top_direction_of_the_petal_covariance():
    petals = petals_data()
    # closed forms for a symmetric 2 x 2 matrix [[a, c], [c, b]]
    (a, c), (_, b) = empirical_covariance(petals)
    half_gap = math.sqrt(((a - b) / 2) ** 2 + c ** 2)
    largest, smallest = (a + b) / 2 + half_gap, (a + b) / 2 - half_gap
    assert value("pca1_petal_eig_max") == pytest.approx(largest)
    assert value("pca1_petal_eig_min") == pytest.approx(smallest)
    assert value("pca1_petal_top_angle") == pytest.approx(
        math.degrees(0.5 * math.atan2(2 * c, a - b)))
    # the projected variance peaks at the largest eigenvalue (on a half-degree grid)
    assert value("pca1_petal_max_directional") <= largest + 1e-12
    assert value("pca1_petal_max_directional") == pytest.approx(largest, rel=1e-4)


def test_pixel_correlations_quoted_for_the_cheek_pixel():
    faces = faces_data()
    row, col = 13, 7
    pixel = faces[:, row * 25 + col]
    correlations = [stats.pearsonr(pixel, other).statistic for other in faces.T]
    assert value("pca1_pixel_corr_neighbour") == pytest.approx(correlations[row * 25 + col + 1])
    assert value("pca1_pixel_corr_mirror") == pytest.approx(correlations[row * 25 + 24 - col])
    assert value("pca1_pixel_corr_min") == pytest.approx(min(correlations))


def test_exercise_covariance_of_four_points():
    points = [[1, 2], [3, 4], [5, 4], [3, 6]]
    assert matrix("pca1_ex_cov_points") == pytest.approx(np.array(points, dtype=float))
    X = sp.Matrix(points)
    mean = sp.Matrix([[sum(X[:, d]) / 4 for d in range(2)]])
    deviations = X - sp.ones(4, 1) * mean
    S = deviations.T * deviations / 4
    assert matrix("pca1_ex_cov_mean") == pytest.approx([float(m) for m in mean])
    assert matrix("pca1_ex_cov_deviations") == pytest.approx(np.array(deviations, dtype=float))
    assert matrix("pca1_ex_cov_S") == pytest.approx(np.array(S, dtype=float))
    assert value("pca1_ex_cov_corr") == pytest.approx(float(S[0, 1] / sp.sqrt(S[0, 0] * S[1, 1])))


def test_exercise_directional_variances():
    S = sp.Matrix([[3, 1], [1, 2]])
    u = sp.Matrix([1, 1]) / sp.sqrt(2)
    w = sp.Matrix([1, -1]) / sp.sqrt(2)
    assert value("pca1_ex_dir_u") == pytest.approx(float((u.T * S * u)[0]))
    assert value("pca1_ex_dir_w") == pytest.approx(float((w.T * S * w)[0]))
    assert value("pca1_ex_dir_max") == pytest.approx(float((5 + sp.sqrt(5)) / 2))
    assert value("pca1_ex_dir_min") == pytest.approx(float((5 - sp.sqrt(5)) / 2))


# ---------------------------------------------------------------- affine maps
def test_mean_commutes_with_shifts_and_linear_maps():
    assert value("pca1_affine_demo_error") < 1e-12
    assert value("pca1_faces_edit_error") < 1e-12


def test_contrast_scales_the_total_variance_by_alpha_squared():
    faces = faces_data()
    alpha, beta = value("pca1_faces_edit_alpha"), value("pca1_faces_edit_beta")
    edited = alpha * faces + beta
    ratio = (sum(statistics.pvariance(c) for c in edited.T)
             / sum(statistics.pvariance(c) for c in faces.T))
    assert value("pca1_faces_edit_var_ratio") == pytest.approx(ratio, rel=1e-9)
    assert value("pca1_faces_edit_var_ratio") == pytest.approx(alpha ** 2, rel=1e-9)


def test_covariance_of_the_transformed_cloud_is_A_S_A_transpose():
    A = matrix("pca1_affine_cov_A")
    assert A == pytest.approx(np.array([[1.5, 0.5], [-0.4, 1.2]]))
    S_before = matrix("pca1_affine_cov_S_before")
    assert S_before == pytest.approx(np.array([[1.0, 0.3], [0.3, 0.5]]), abs=1e-12)
    expected = sp.Matrix([[1.5, 0.5], [-0.4, 1.2]]) * sp.Matrix([[1, 0.3], [0.3, 0.5]]) \
        * sp.Matrix([[1.5, 0.5], [-0.4, 1.2]]).T
    assert matrix("pca1_affine_cov_S_after") == pytest.approx(np.array(expected, dtype=float))
    assert matrix("pca1_affine_cov_S_predicted") == pytest.approx(np.array(expected, dtype=float))
    assert value("pca1_affine_cov_error") < 1e-12


def test_standardised_and_whitened_petals():
    petals = petals_data()
    rho = stats.pearsonr(*petals.T).statistic
    assert matrix("pca1_standardised_cov") == pytest.approx(np.array([[1, rho], [rho, 1]]), rel=1e-12)
    assert matrix("pca1_whitened_cov") == pytest.approx(np.eye(2), abs=1e-12)


def test_exercise_affine_mean_and_covariance():
    A = sp.Matrix([[2, 0], [1, -1]])
    S = sp.Matrix([[4, 1], [1, 2]])
    mu, b = sp.Matrix([1, -2]), sp.Matrix([3, 1])
    assert matrix("pca1_ex_affine_mean") == pytest.approx(np.array(A * mu + b, dtype=float).ravel())
    assert matrix("pca1_ex_affine_AS") == pytest.approx(np.array(A * S, dtype=float))
    assert matrix("pca1_ex_affine_cov") == pytest.approx(np.array(A * S * A.T, dtype=float))
    assert value("pca1_ex_affine_sum_var") == float((sp.Matrix([[1, 1]]) * S * sp.Matrix([1, 1]))[0])


def test_exercise_celsius_to_fahrenheit():
    # an actual data set with mean 12 and standard deviation 5, converted value by value
    celsius = [7, 17]
    assert statistics.mean(celsius) == 12 and statistics.pstdev(celsius) == 5
    fahrenheit = [Fraction(9, 5) * c + 32 for c in celsius]
    assert value("pca1_ex_temp_mean") == pytest.approx(float(statistics.mean(fahrenheit)))
    assert value("pca1_ex_temp_var") == pytest.approx(float(statistics.pvariance(fahrenheit)))
    assert value("pca1_ex_temp_std") == pytest.approx(statistics.pstdev([float(f) for f in fahrenheit]))


def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
