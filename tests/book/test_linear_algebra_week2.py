"""Course 1, week 2 (book/linear-algebra/week2-vectors-in-space.md): every number the
page glues is checked here by a route other than the page's own.

The page computes with NumPy dot products and the formulas it derives; these tests use
exact arithmetic (sympy: solving instead of projecting, Matrix.project, rank, det),
angles from atan2 instead of the dot product, scipy's cosine distance, and
scikit-learn's PCA for the line through the data. The givens of each exercise are
copied from the exercise text, so a page whose code drifts from its own text fails too.
"""
from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
import sympy as sp
from scipy.spatial import distance
from sklearn.decomposition import PCA

from tests.book.glue_checks import GlueChecks, close

PAGE = GlueChecks("book/linear-algebra/week2-vectors-in-space")
num, vec = PAGE.num, PAGE.vec

R, S = sp.Matrix([4, 1]), sp.Matrix([2, 3])


def angle_2d(v) -> float:
    """Direction of a 2-D vector, in radians, from atan2 (no dot product)."""
    return math.atan2(float(v[1]), float(v[0]))


def coordinates(r, basis) -> sp.Matrix:
    """Coordinates of r in `basis` by solving c1 b1 + ... + cn bn = r exactly."""
    return sp.Matrix.hstack(*[sp.Matrix(b) for b in basis]).LUsolve(sp.Matrix(r))


# ---------------------------------------------------------------- modulus and dot product
def test_given_vectors():
    assert close(vec("la2_r"), R) and close(vec("la2_s"), S)


def test_modulus_and_dot_product():
    assert num("la2_r_dot_r") == float(R.norm() ** 2)
    assert num("la2_norm_r") == pytest.approx(float(R.norm()), rel=1e-14)
    assert num("la2_norm_s") == pytest.approx(float(S.norm()), rel=1e-14)
    assert num("la2_r_dot_s") == float(R.dot(S))


VIEWER_A = [2, 1, -1, -2, 1, 0.5]
VIEWER_B = [1.5, 2, -0.5, -1, -1.5, 1]


def test_viewers_agreement_and_cosine_similarity():
    assert close(vec("la2_viewer_a"), VIEWER_A) and close(vec("la2_viewer_b"), VIEWER_B)
    assert num("la2_viewers_dot") == pytest.approx(sum(a * b for a, b in zip(VIEWER_A, VIEWER_B)))
    assert num("la2_viewers_cosine") == pytest.approx(1 - distance.cosine(VIEWER_A, VIEWER_B), rel=1e-12)


# ---------------------------------------------------------------- cosine
def test_angle_between_r_and_s_from_atan2():
    theta = angle_2d(S) - angle_2d(R)
    assert num("la2_theta_degrees") == pytest.approx(math.degrees(theta), rel=1e-12)
    assert num("la2_cos_theta") == pytest.approx(math.cos(theta), rel=1e-12)


def test_cosine_rule_side():
    assert num("la2_norm_r_minus_s_squared") == float((R - S).norm() ** 2)


# ---------------------------------------------------------------- projection
def test_projection_of_s_onto_r():
    theta = angle_2d(S) - angle_2d(R)
    assert num("la2_scalar_projection") == pytest.approx(float(S.norm()) * math.cos(theta), rel=1e-12)
    projection = S.project(R)
    assert close(vec("la2_vector_projection"), projection, tol=1e-4)
    assert num("la2_projection_fraction") == pytest.approx(float(R.dot(S) / R.dot(R)), rel=1e-14)
    assert close(vec("la2_residual"), S - projection, tol=1e-4)
    assert R.dot(S - projection) == 0
    assert num("la2_residual_dot_r") == pytest.approx(0, abs=1e-9)


def test_projections_for_obtuse_and_right_angles():
    for name, s in (("la2_obtuse_scalar_projection", [-2, 2]), ("la2_right_scalar_projection", [-1, 4])):
        theta = angle_2d(s) - angle_2d(R)
        assert num(name) == pytest.approx(math.hypot(*s) * math.cos(theta), abs=1e-12)


# ---------------------------------------------------------------- exercises: dot products
def test_modulus_exercise():
    a = sp.Matrix([1, -2, 2, 4])
    assert num("la2_ex_modulus_squared") == float(a.dot(a))
    assert num("la2_ex_modulus") == float(a.norm())
    unit = vec("la2_ex_unit")
    assert close(unit, a / a.norm())
    assert np.linalg.norm(unit) == pytest.approx(1)


def test_dot_and_angle_exercise():
    r, s = [-5, 3, 2, 8], [1, 2, -1, 0]
    assert num("la2_ex_dot") == float(sp.Matrix(r).dot(sp.Matrix(s)))
    assert num("la2_ex_dot_norm_r") == pytest.approx(float(sp.Matrix(r).norm()), rel=1e-14)
    assert num("la2_ex_dot_norm_s") == pytest.approx(float(sp.Matrix(s).norm()), rel=1e-14)
    assert num("la2_ex_dot_angle") == pytest.approx(math.degrees(math.acos(1 - distance.cosine(r, s))), rel=1e-12)
    assert num("la2_ex_dot_angle") > 90  # the solution calls it obtuse
    assert sp.Matrix([3, -1, 2]).dot(sp.Matrix([1, 5, 1])) == 0
    assert num("la2_ex_orthogonal_dot") == 0


def test_projection_exercise():
    r, s = sp.Matrix([3, -4, 0]), sp.Matrix([10, 5, -6])
    assert num("la2_ex_proj_dot") == float(r.dot(s))
    assert num("la2_ex_proj_norm_r") == float(r.norm())
    assert num("la2_ex_proj_scalar") == pytest.approx(float(s.project(r).norm()), rel=1e-14)
    assert num("la2_ex_proj_fraction") == pytest.approx(float(r.dot(s) / r.dot(r)), rel=1e-14)
    assert close(vec("la2_ex_proj_vector"), s.project(r))
    assert num("la2_ex_proj_back_scalar") == pytest.approx(float(r.project(s).norm()), rel=1e-12)


def test_properties_exercise_with_explicit_vectors():
    # Any pair with |r| = 3, |s| = 4 and r.s = 2 will do: build one and measure it.
    theta = math.acos(2 / (3 * 4))
    r = np.array([3.0, 0.0])
    s = 4 * np.array([math.cos(theta), math.sin(theta)])
    assert num("la2_ex_props_sum_squared") == pytest.approx(np.linalg.norm(r + s) ** 2, rel=1e-12)
    assert num("la2_ex_props_sum") == pytest.approx(np.linalg.norm(r + s), rel=1e-12)
    assert num("la2_ex_props_diff_squared") == pytest.approx(np.linalg.norm(r - s) ** 2, rel=1e-12)
    assert num("la2_ex_props_diff") == pytest.approx(np.linalg.norm(r - s), rel=1e-12)
    assert num("la2_ex_props_scaled_dot") == pytest.approx((2 * r) @ (3 * s), rel=1e-12)


# ---------------------------------------------------------------- changing basis
B1, B2, R_E = [3, 1], [-1, 3], [5, 3]


def test_change_to_orthogonal_basis_by_solving():
    assert close(vec("la2_r_e"), R_E)
    assert sp.Matrix(B1).dot(sp.Matrix(B2)) == 0
    assert num("la2_b1_dot_b2") == 0
    c = coordinates(R_E, [B1, B2])
    assert close(vec("la2_r_b"), c)
    assert num("la2_r_b1") == pytest.approx(float(c[0]), rel=1e-14)
    assert num("la2_r_b2") == pytest.approx(float(c[1]), rel=1e-14)
    assert num("la2_r_dot_b1") == float(sp.Matrix(R_E).dot(sp.Matrix(B1)))
    assert num("la2_r_dot_b2") == float(sp.Matrix(R_E).dot(sp.Matrix(B2)))
    assert num("la2_b1_squared") == float(sp.Matrix(B1).dot(sp.Matrix(B1)))
    assert num("la2_b2_squared") == float(sp.Matrix(B2).dot(sp.Matrix(B2)))
    assert close(vec("la2_r_b_reconstructed"), c[0] * sp.Matrix(B1) + c[1] * sp.Matrix(B2))


def test_non_orthogonal_basis_projections_fail_and_solving_works():
    b2 = sp.Matrix([1, 2])
    b1, r = sp.Matrix(B1), sp.Matrix(R_E)
    assert b1.dot(b2) != 0
    assert num("la2_skew_dot") == float(b1.dot(b2))
    wrong = [r.dot(b1) / b1.dot(b1), r.dot(b2) / b2.dot(b2)]
    assert close(vec("la2_skew_wrong"), wrong)
    rebuilt = wrong[0] * b1 + wrong[1] * b2
    assert close(vec("la2_skew_wrong_rebuilt"), rebuilt) and rebuilt != r
    c = coordinates(R_E, [B1, [1, 2]])
    assert close(vec("la2_skew_right"), c)
    assert close(vec("la2_skew_right_rebuilt"), c[0] * b1 + c[1] * b2)
    assert c[0] * b1 + c[1] * b2 == r


BASIS_EXERCISES = {
    "la2_ex_cb2": ([2, 4], [[1, 1], [1, -1]]),
    "la2_ex_cb3": ([5, 0, 6], [[2, 1, 0], [1, -2, 0], [0, 0, 3]]),
    "la2_ex_cb4": ([4, 2, 0, 6], [[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]),
}


def test_basis_change_exercises():
    for prefix, (r, basis) in BASIS_EXERCISES.items():
        check_basis_change(prefix, r, basis)


def check_basis_change(prefix, r, basis):
    vectors = [sp.Matrix(b) for b in basis]
    gram = sp.Matrix.hstack(*vectors).T * sp.Matrix.hstack(*vectors)
    off_diagonal = [abs(gram[i, j]) for i in range(len(basis)) for j in range(len(basis)) if i != j]
    assert max(off_diagonal) == 0
    assert num(f"{prefix}_max_cross_dot") == 0
    assert close(vec(f"{prefix}_r_dots"), [sp.Matrix(r).dot(b) for b in vectors])
    assert close(vec(f"{prefix}_b_squares"), [gram[i, i] for i in range(len(basis))])
    c = coordinates(r, basis)
    assert close(vec(f"{prefix}_coordinates"), c)
    assert close(vec(f"{prefix}_rebuilt"), sum((ci * b for ci, b in zip(c, vectors)), sp.zeros(len(r), 1)))


def test_basis_trap_exercise():
    b1, b2, r = sp.Matrix([1, 0]), sp.Matrix([1, 1]), sp.Matrix([3, 2])
    assert num("la2_ex_trap_dot") == float(b1.dot(b2))
    wrong = [r.dot(b1) / b1.dot(b1), r.dot(b2) / b2.dot(b2)]
    assert close(vec("la2_ex_trap_wrong"), wrong)
    assert close(vec("la2_ex_trap_wrong_rebuilt"), wrong[0] * b1 + wrong[1] * b2)
    assert close(vec("la2_ex_trap_right"), coordinates(r, [b1, b2]))


# ---------------------------------------------------------------- independence
def test_rank_and_determinant_of_the_plane_example():
    b1, b2 = sp.Matrix([1, 0, 1]), sp.Matrix([0, 2, 1])
    dependent = sp.Matrix.hstack(b1, b2, sp.Matrix([2, 2, 3]))
    independent = sp.Matrix.hstack(b1, b2, sp.Matrix([0, 2, 3]))
    assert num("la2_dep_rank") == dependent.rank() == 2
    assert num("la2_ind_rank") == independent.rank() == 3
    assert num("la2_dep_det") == pytest.approx(float(dependent.det()), abs=1e-12)
    assert num("la2_ind_det") == pytest.approx(float(independent.det()), abs=1e-12)
    x, y = sp.symbols("x y")
    solution = sp.solve(list(x * b1 + y * b2 - sp.Matrix([2, 2, 3])), [x, y])
    assert close(vec("la2_dep_coefficients"), [solution[x], solution[y]])


def test_linear_dependency_exercises():
    a, b, c = sp.Matrix([1, 0, 2]), sp.Matrix([0, 1, 1]), sp.Matrix([2, 3, 7])
    x, y = sp.symbols("x y")
    solution = sp.solve(list(x * a + y * b - c), [x, y])
    assert close(vec("la2_ex_ld_coefficients"), [solution[x], solution[y]])
    assert num("la2_ex_ld_rank") == sp.Matrix.hstack(a, b, c).rank()

    three = sp.Matrix([[1, 3, 0], [2, -1, 1], [-1, 2, 1]])  # columns [1,2,-1], [3,-1,2], [0,1,1]
    assert num("la2_ex_li_det") == pytest.approx(float(three.det()), abs=1e-12)
    assert num("la2_ex_li_rank") == three.rank()
    assert num("la2_ex_li_dot12") == float(three[:, 0].dot(three[:, 1]))

    four = [sp.Matrix(v) for v in ([1, 2, 0], [0, 1, 3], [2, 0, 1], [-1, 4, 5])]
    assert num("la2_ex_four_rank") == sp.Matrix.hstack(*four).rank()
    assert close(vec("la2_ex_four_coefficients"), coordinates([-1, 4, 5], [[1, 2, 0], [0, 1, 3], [2, 0, 1]]))


# ---------------------------------------------------------------- line through data
def test_line_fit_coordinates_agree_with_scikit_learn_pca():
    points = vec("la2_app_points")
    assert points.shape == (num("la2_app_n_points"), 2)
    centre = [statistics.fmean(points[:, 0]), statistics.fmean(points[:, 1])]
    assert close(vec("la2_app_centre"), centre, tol=0.006)  # printed to 2 decimals

    pca = PCA(n_components=2).fit(points)
    direction = pca.components_[0] * np.sign(pca.components_[0, 0])
    assert close(vec("la2_app_direction"), direction, tol=1e-4)
    assert num("la2_app_angle") == pytest.approx(math.degrees(math.atan2(direction[1], direction[0])), abs=1e-9)
    scores = pca.transform(points)
    assert num("la2_app_along_sd") == pytest.approx(scores[:, 0].std(), rel=1e-9)
    assert num("la2_app_across_sd") == pytest.approx(scores[:, 1].std(), rel=1e-9)
    assert num("la2_app_share_across") == pytest.approx(pca.explained_variance_ratio_[1], rel=1e-9)
    assert num("la2_app_direction_dot_normal") == pytest.approx(0, abs=1e-12)


def test_line_fit_recovers_the_simulation_settings():
    # What the prose claims: the fitted angle is close to the simulated one, and the
    # spreads along and across are near the simulated spread and noise.
    assert num("la2_app_angle") == pytest.approx(num("la2_app_true_angle"), abs=2.0)
    assert num("la2_app_across_sd") == pytest.approx(num("la2_app_noise_sd"), rel=0.25)
    assert num("la2_app_along_sd") == pytest.approx(num("la2_app_spread_sd"), rel=0.25)


# ---------------------------------------------------------------- coverage of the glue
def test_every_glued_value_is_checked():
    PAGE.assert_every_value_checked(globals())
