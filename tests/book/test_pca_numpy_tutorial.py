"""Course 3, the NumPy tutorial lab: the values the page glues are checked against
plain Python, sympy, SciPy and the raw data, not against NumPy doing the same thing."""
from __future__ import annotations

import ast
import math
import statistics

import numpy as np
import pytest
import sympy as sp
from scipy import stats
from skimage.data import lfw_subset
from sklearn.datasets import load_iris

from tests.book.glue_checks import GlueChecks
from tests.book.glued import glued

PAGE = GlueChecks("book/pca/numpy-tutorial")
value = PAGE.num       # a glued number, recorded as checked
array = PAGE.vec       # a glued vector or matrix, recorded as checked


def text(name: str) -> str:
    """The text/plain of a glued value that is not a number (a bool, a string)."""
    PAGE.read.add(name)
    return glued(PAGE.page)[name]


def test_faces_become_a_data_matrix():
    images = lfw_subset()[:100]
    assert value("np_faces_rows") == len(images)
    assert value("np_faces_cols") == images.shape[1] * images.shape[2]


def test_dtype_pitfalls():
    assert value("np_truncated") == int(2.7)
    assert value("np_uint8_sum") == (200 + 100) % 256
    assert value("np_float_sum") == 300


def test_vectorised_dot_product_is_correct_and_faster():
    # the page's vectors, and their dot product by compensated summation in plain Python
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(100_000), rng.standard_normal(100_000)
    exact = math.fsum(a * b for a, b in zip(x.tolist(), y.tolist()))
    assert value("np_dot_numpy") == pytest.approx(exact, rel=1e-9)
    assert value("np_dot_loop") == pytest.approx(exact, rel=1e-9)
    assert value("np_speedup") == pytest.approx(value("np_time_loop_ms") / value("np_time_numpy_ms"))
    assert value("np_speedup") > 1, "the vectorised dot product should beat the Python loop"


def test_broadcasting_results():
    assert value("np_centred_max_mean") < 1e-12
    expected = [[r + c for c in range(4)] for r in (0, 10, 20)]
    assert array("np_outer_sum").tolist() == expected


def test_brightest_face():
    brightness = [statistics.fmean(image.ravel()) for image in lfw_subset()[:100]]
    brightest = max(range(100), key=brightness.__getitem__)
    assert value("np_brightest_face") == brightest
    assert value("np_brightest_value") == pytest.approx(brightness[brightest])
    all_pixels = np.concatenate([image.ravel() for image in lfw_subset()[:100]])
    assert value("np_overall_mean") == pytest.approx(math.fsum(all_pixels) / all_pixels.size)


def test_matrix_products():
    A, v = sp.Matrix([[2, 1], [1, 3]]), sp.Matrix([1, -1])
    assert array("np_Av").tolist() == [float(e) for e in A * v]
    assert value("np_vv") == float(v.dot(v))
    assert array("np_AA").tolist() == np.array(A * A, dtype=float).tolist()


def test_linear_algebra_results():
    A = sp.Matrix([[2, 1], [1, 3]])
    solution = A.LUsolve(sp.Matrix([3, 5]))
    assert array("np_solve") == pytest.approx([float(s) for s in solution])
    assert value("np_solve_x0") == pytest.approx(float(solution[0]))
    assert value("np_solve_x1") == pytest.approx(float(solution[1]))
    assert array("np_eigh_values") == pytest.approx(sorted(float(e) for e in A.eigenvals()))
    assert value("np_norm_b") == pytest.approx(math.hypot(3, 5))


def test_pitfall_values():
    assert value("np_cov_wrong_shape") == 500
    assert value("np_pitfall_shape") == 3
    assert value("np_floor_neg") == -7 // 2
    assert array("np_view_result").tolist() == [[0, 0, 0], [3, 4, 5]]


def test_exercise_shapes():
    assert value("np_ex_shapes_m") == 4
    assert value("np_ex_shapes_s") == 50
    assert text("np_ex_shapes_failed") == "True"
    assert value("np_ex_shapes_fixed") == 50


def test_exercise_standardise():
    iris = load_iris().data
    assert value("np_ex_standardise_mean") < 1e-12
    assert array("np_ex_standardise_std") == pytest.approx(np.ones(4))
    assert array("np_ex_standardise_first") == pytest.approx(stats.zscore(iris)[0])


def test_exercise_views_and_copies():
    assert array("np_ex_views_result").tolist() == [0, 5, 5, 0]
    assert value("np_ex_views_v0") == 0 and value("np_ex_views_v1") == 5
    assert ast.literal_eval(text("np_ex_views_printout")) == "[0. 5. 5. 0.]"


def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
