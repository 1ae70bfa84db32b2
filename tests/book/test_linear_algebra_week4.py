"""Week 4 of Linear Algebra (linear mappings): every number the page glues, checked by
a different route than the page used to compute it.

The page builds its Gram-Schmidt bases step by step and its reflections as
E T_E E^T; these tests use sympy's GramSchmidt, NumPy's QR, cross products, the
Householder formula, ray-plane intersections and scipy's rotations instead.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy.spatial.transform import Rotation

from tests.book.glue_checks import GlueChecks
from tests.book.latex import (assert_every_latex_checked, assert_matrices, final_values,
                              glued_latex, matrices, reciprocal_factors, tex_value, tuples)

PAGE = "book/linear-algebra/week4-linear-mappings"
page = GlueChecks(PAGE)

# Data the page states in its prose (inputs, not results).
FRIEND = np.array([[3, 1], [1, 2]])            # columns b1 = (3, 1), b2 = (1, 2)
FRIEND_VECTOR = np.array([1, 2])
QUARTER_TURN = Rotation.from_euler("z", 90, degrees=True).as_matrix()[:2, :2]
GS_VECTORS = [(1, 1, 1), (2, 0, 1), (3, 1, -1)]
EX_GS_VECTORS = [(1, 0, 1), (1, 1, 0), (0, 1, 1)]


def householder(normal) -> np.ndarray:
    """Reflection in the hyperplane perpendicular to `normal`: I - 2 n n^T / n.n."""
    n = np.asarray(normal, dtype=float)
    return np.eye(len(n)) - 2 * np.outer(n, n) / (n @ n)


def qr_basis(vectors) -> np.ndarray:
    """Orthonormal basis of the vectors (as columns), with the Gram-Schmidt signs."""
    Q, R = np.linalg.qr(np.array(vectors, dtype=float).T)
    return Q * np.sign(np.diag(R))


def shadow_on_ground(point, sun) -> np.ndarray:
    """Where the ray from `point` along `sun` meets the plane z = 0 (solved with sympy)."""
    lam = sp.symbols("lam")
    (solution,) = sp.solve(sp.Eq(point[2] + lam * sp.nsimplify(sun[2]), 0), lam)
    hit = [sp.nsimplify(point[k]) + solution * sp.nsimplify(sun[k]) for k in range(3)]
    return np.array(hit[:2], dtype=float)


def shadow_matrix_by_rays(sun) -> np.ndarray:
    """The 2x3 shadow matrix, column by column: the shadows of the three basis vectors."""
    return np.column_stack([shadow_on_ground(e, sun) for e in np.eye(3, dtype=int)])


def perimeter(points) -> float:
    """Perimeter of the closed polygon through the columns of `points`."""
    corners = list(zip(*points))
    return sum(math.dist(corners[k], corners[(k + 1) % len(corners)]) for k in range(len(corners)))


# ---------------------------------------------------------------- Einstein summation

def test_product_and_operation_count():
    A = [[1, 2, 0], [3, -1, 4]]
    B = [[2, 1, 0, 1], [0, 3, 1, -1], [1, 0, 2, 2]]
    expected = sp.Matrix(A) * sp.Matrix(B)
    assert np.allclose(page.vec("la4_AB"), np.array(expected, dtype=float))
    assert page.num("la4_entries_AB") == expected.rows * expected.cols
    assert page.num("la4_inner") == len(B)
    assert page.num("la4_loop_products") == expected.rows * expected.cols * len(B)


# ---------------------------------------------------------------- non-square projections

def test_camera_rows_are_an_orthonormal_basis_of_the_screen():
    P = page.vec("la4_camera")
    assert P.shape == (2, 3)
    assert np.allclose(P @ P.T, np.eye(2))
    assert np.allclose(page.vec("la4_camera_gram"), np.eye(2))
    assert np.allclose(P @ np.ones(3), 0), "the viewing direction (1, 1, 1) should vanish"
    assert np.allclose(page.vec("la4_camera_view"), 0)
    # The rows are the stated directions, normalised.
    assert np.allclose(P[0], np.array([1, -1, 0]) / math.sqrt(2))
    assert np.allclose(P[1], np.array([-1, -1, 2]) / math.sqrt(6))


def test_shadow_matrix_and_the_pole():
    sun = np.array([2, 1, -4]) / math.sqrt(21)
    assert np.allclose(page.vec("la4_shadow_matrix"), shadow_matrix_by_rays(sun))
    assert np.allclose(page.vec("la4_pole_shadow"), shadow_on_ground((1, -0.5, 2), sun))


# ---------------------------------------------------------------- changing basis

def test_friend_coordinates_and_back():
    B = sp.Matrix(FRIEND)
    assert np.allclose(page.vec("la4_r_ours"), np.array(B * sp.Matrix(FRIEND_VECTOR), dtype=float).ravel())
    assert np.allclose(page.vec("la4_r_back"), FRIEND_VECTOR)
    assert np.allclose(page.vec("la4_B_inv"), np.array(B.inv(), dtype=float))


def test_rotation_in_the_friends_basis():
    R_B = page.vec("la4_R_B")
    # Column j of R_B holds the friend's coordinates of R b_j.
    expected = np.column_stack([np.linalg.lstsq(FRIEND, QUARTER_TURN @ FRIEND[:, j], rcond=None)[0]
                                for j in range(2)])
    assert np.allclose(R_B, expected)
    # A change of basis keeps trace and determinant.
    assert np.trace(R_B) == pytest.approx(np.trace(QUARTER_TURN), abs=1e-12)
    assert np.linalg.det(R_B) == pytest.approx(1.0)
    ours = FRIEND @ FRIEND_VECTOR
    assert np.allclose(page.vec("la4_rotated_ours"), QUARTER_TURN @ ours)
    friend_answer = np.linalg.lstsq(FRIEND, QUARTER_TURN @ ours, rcond=None)[0]
    assert np.allclose(page.vec("la4_rotated_friend"), friend_answer)
    assert np.allclose(page.vec("la4_rotated_check"), friend_answer)


# ---------------------------------------------------------------- orthogonal matrices

def test_orthogonal_maps_keep_the_perimeter():
    theta = math.radians(35)
    kite = 0.8 * np.array([[0.2, 1.4, 1.4, 1.9, 1.4, 1.4, 0.2],
                           [0.1, 0.1, -0.15, 0.35, 0.85, 0.6, 0.6]])
    general = np.array([[1.3, 0.5], [0.2, 0.8]])
    assert page.num("la4_perimeter_kite") == pytest.approx(perimeter(kite))
    rotation, mirror, other = page.vec("la4_perimeters")
    assert rotation == pytest.approx(perimeter(kite))
    assert mirror == pytest.approx(perimeter(kite))
    assert other == pytest.approx(perimeter(general @ kite))
    mirror_matrix = householder([-math.sin(theta), math.cos(theta)])  # mirror at 35 degrees
    dets = page.vec("la4_ortho_dets")
    assert dets[0] == pytest.approx(1.0)
    assert dets[1] == pytest.approx(float(np.linalg.det(mirror_matrix)))
    assert dets[2] == pytest.approx(float(sp.Matrix([[sp.Rational(13, 10), sp.Rational(1, 2)],
                                                     [sp.Rational(1, 5), sp.Rational(4, 5)]]).det()))


def test_random_orthogonal_matrix_properties():
    assert abs(page.num("la4_Q_det")) == pytest.approx(1.0)
    assert page.num("la4_Q_length_change") < 1e-12
    assert page.num("la4_Q_inverse_error") < 1e-12


# ---------------------------------------------------------------- Gram-Schmidt

def test_gram_schmidt_example_matches_sympy():
    vectors = [sp.Matrix(v) for v in GS_VECTORS]
    orthogonal = sp.GramSchmidt(vectors)                    # u1, u2, u3, not normalised
    orthonormal = sp.GramSchmidt(vectors, orthonormal=True)
    assert np.allclose(page.vec("la4_gs_u2"), np.array(orthogonal[1], dtype=float).ravel())
    assert np.allclose(page.vec("la4_gs_u3"), np.array(orthogonal[2], dtype=float).ravel())
    expected = np.column_stack([np.array(e.evalf(), dtype=float).ravel() for e in orthonormal])
    assert np.allclose(page.vec("la4_gs_E"), expected)
    assert np.allclose(page.vec("la4_gs_E"), qr_basis(GS_VECTORS))
    assert np.allclose(page.vec("la4_gs_gram"), np.eye(3))


# ---------------------------------------------------------------- reflections

def test_reflection_in_the_plane_of_v1_and_v2():
    normal = np.cross(GS_VECTORS[0], GS_VECTORS[1])
    expected = householder(normal)
    T = page.vec("la4_reflection")
    assert np.allclose(T, expected)
    assert page.num("la4_reflection_det") == pytest.approx(-1.0)
    assert page.num("la4_reflection_symmetry_error") < 1e-12
    point = page.vec("la4_point")
    assert np.allclose(page.vec("la4_point_image"), expected @ point)
    assert np.allclose(page.vec("la4_point_image_twice"), point)


def test_reflection_in_a_line():
    angle = math.atan2(1, 2)                   # the mirror line along (2, 1)
    expected = np.array([[math.cos(2 * angle), math.sin(2 * angle)],
                         [math.sin(2 * angle), -math.cos(2 * angle)]])
    assert np.allclose(page.vec("la4_reflection_2d"), expected)


# ---------------------------------------------------------------- exercises

def test_exercise_nonsquare():
    A = np.array([[1, 0, 2], [-1, 3, 1]])
    B = np.array([[3, 1], [2, 1], [1, 0]])
    AB, BA = page.vec("la4_ex_AB"), page.vec("la4_ex_BA")
    assert AB.shape == (2, 2) and BA.shape == (3, 3)
    assert np.allclose(AB, np.einsum("ij,jk->ik", A, B))
    assert np.allclose(BA, np.einsum("ij,jk->ik", B, A))
    assert page.num("la4_ex_trace_AB") == pytest.approx(np.einsum("ij,ji->", A, B))
    assert page.num("la4_ex_trace_BA") == page.num("la4_ex_trace_AB")


def test_exercise_einstein():
    u, M, w = [1, -1, 2], [[2, 0, 1], [1, 3, 0], [0, -1, 4]], [3, 1, 1]
    bilinear = sum(u[i] * M[i][j] * w[j] for i in range(3) for j in range(3))
    assert page.num("la4_ex_bilinear") == bilinear
    assert np.allclose(page.vec("la4_ex_Mw"), [sum(M[i][j] * w[j] for j in range(3)) for i in range(3)])
    assert page.num("la4_ex_trace_M") == sum(M[i][i] for i in range(3))


def test_exercise_shadow():
    sun = np.array([-3, 2, -6]) / 7
    assert np.allclose(page.vec("la4_ex_shadow_matrix"), shadow_matrix_by_rays(sun))
    shadows = page.vec("la4_ex_shadows")
    for column, point in enumerate([(6, 3, 3), (-2, 1, 4)]):
        assert np.allclose(shadows[:, column], shadow_on_ground(point, sun))


def test_exercise_basis():
    B = np.array([[3, -4], [4, 3]]) / 5
    assert np.allclose(page.vec("la4_ex_orthonormal_gram"), np.eye(2))
    assert np.allclose(page.vec("la4_ex_orthonormal_coords"), np.linalg.solve(B, [5, 10]))
    C = np.array([[2, 1], [1, 1]])
    assert np.allclose(page.vec("la4_ex_slanted_coords"), np.linalg.solve(C, [3, 4]))


def test_exercise_changed_basis():
    F = np.diag([1, -1])
    B = np.array([[1, 1], [1, -1]])
    F_B = page.vec("la4_ex_F_B")
    assert np.allclose(B @ F_B, F @ B), "F_B should describe F in the basis B: B F_B = F B"
    assert np.allclose(F_B, [[0, 1], [1, 0]])   # swapping b1 and b2 (stated on the page)


def test_exercise_orthogonal():
    Q = np.array([[2, 2, 1], [-2, 1, 2], [1, -2, 2]]) / 3
    assert np.allclose(page.vec("la4_ex_QTQ"), np.eye(3))
    assert page.num("la4_ex_Q_det") == pytest.approx(np.linalg.det(Q))
    assert np.allclose(page.vec("la4_ex_Q_solution"), np.linalg.solve(Q, [3, 0, 3]))


def test_exercise_gram_schmidt():
    assert np.allclose(page.vec("la4_ex_gs_E"), qr_basis(EX_GS_VECTORS))


def test_exercise_reflect():
    T = householder(np.cross(EX_GS_VECTORS[0], EX_GS_VECTORS[1]))
    assert np.allclose(page.vec("la4_ex_reflection"), T)
    assert np.allclose(page.vec("la4_ex_reflected_point"), T @ [1, 2, 3])


# ---------------------------------------------------------------- the worked steps shown as maths
# Numbers the page shows inside glued LaTeX, parsed back and compared with the same
# independent routes as above.

def shown_tuple(name: str) -> np.ndarray:
    (values,) = tuples(glued_latex(PAGE, name))
    return values


def test_shown_vectors():
    sun = np.array([2, 1, -4]) / math.sqrt(21)
    ours = FRIEND @ FRIEND_VECTOR
    friend_answer = np.linalg.lstsq(FRIEND, QUARTER_TURN @ ours, rcond=None)[0]
    T = householder(np.cross(GS_VECTORS[0], GS_VECTORS[1]))
    expected = {
        "la4_camera_view_tex": [0, 0],
        "la4_pole_shadow_tex": shadow_on_ground((1, -0.5, 2), sun),
        "la4_r_ours_tex": ours,
        "la4_r_back_tex": FRIEND_VECTOR,
        "la4_rotated_friend_tex": friend_answer,
        "la4_rotated_ours_tex": QUARTER_TURN @ ours,
        "la4_rotated_check_tex": friend_answer,
        "la4_point_image_tex": T @ page.vec("la4_point"),
        "la4_point_image_twice_tex": page.vec("la4_point"),
        "la4_ex_Mw_tex": np.array([[2, 0, 1], [1, 3, 0], [0, -1, 4]]) @ [3, 1, 1],
        "la4_ex_orthonormal_coords_tex": np.linalg.solve(np.array([[3, -4], [4, 3]]) / 5, [5, 10]),
        "la4_ex_slanted_projections_tex": np.array([[2, 1], [1, 1]]).T @ [3, 4],
    }
    for name, values in expected.items():
        assert np.allclose(shown_tuple(name), values), name
    assert np.allclose(shown_tuple("la4_point_tex"), page.vec("la4_point"))


def test_shown_projections():
    assert_matrices(PAGE, "la4_camera_tex",
                    [[np.array([1, -1, 0]) / math.sqrt(2), np.array([-1, -1, 2]) / math.sqrt(6)]],
                    atol=6e-4)
    sun = np.array([2, 1, -4]) / math.sqrt(21)
    pole = np.array([1, -0.5, 2])
    assert_matrices(PAGE, "la4_shadow_tex",
                    [shadow_matrix_by_rays(sun), pole, shadow_on_ground(pole, sun)])


def test_shown_change_of_basis():
    B = sp.Matrix(FRIEND)
    ours = FRIEND @ FRIEND_VECTOR
    assert_matrices(PAGE, "la4_basis_tex", [B, B, FRIEND_VECTOR, ours])
    back = glued_latex(PAGE, "la4_basis_back_tex")
    assert reciprocal_factors(back) == [float(B.det())]
    assert_matrices(PAGE, "la4_basis_back_tex", [B.det() * B.inv(), np.linalg.solve(FRIEND, ours)])
    R_B = np.column_stack([np.linalg.lstsq(FRIEND, QUARTER_TURN @ FRIEND[:, j], rcond=None)[0]
                           for j in range(2)])
    assert reciprocal_factors(glued_latex(PAGE, "la4_R_B_tex")) == [float(B.det())]
    assert_matrices(PAGE, "la4_R_B_tex", [B.det() * B.inv(), QUARTER_TURN, B, R_B])


def test_shown_gram_schmidt_steps():
    v = [np.array(x, dtype=float) for x in GS_VECTORS]
    orthogonal = sp.GramSchmidt([sp.Matrix(x) for x in GS_VECTORS])
    u = [np.array(x.evalf(), dtype=float).ravel() for x in orthogonal]
    E = qr_basis(GS_VECTORS)
    step1 = glued_latex(PAGE, "la4_gs_step1_tex")
    assert reciprocal_factors(step1) == pytest.approx([np.linalg.norm(v[0])])
    assert_matrices(PAGE, "la4_gs_step1_tex", [v[0]])
    step2 = glued_latex(PAGE, "la4_gs_step2_tex")
    assert reciprocal_factors(step2) == pytest.approx([np.linalg.norm(u[1])])
    assert_matrices(PAGE, "la4_gs_step2_tex", [v[1], v[1] - u[1], u[1], u[1]])
    step3 = glued_latex(PAGE, "la4_gs_step3_tex")
    assert reciprocal_factors(step3) == pytest.approx([np.linalg.norm(u[2])])
    along = [(v[2] @ E[:, k]) * E[:, k] for k in range(2)]
    assert_matrices(PAGE, "la4_gs_step3_tex", [v[2], along[0], along[1], u[2], u[2]])
    assert final_values(glued_latex(PAGE, "la4_gs_dot2_tex")) == pytest.approx(
        {r"\mathbf{v}_2\cdot\mathbf{e}_1": v[1] @ E[:, 0]})
    dots3 = glued_latex(PAGE, "la4_gs_dots3_tex").strip("$").split(r"\text{ and }")
    assert [tex_value(d.split("=")[1]) for d in dots3] == pytest.approx([v[2] @ E[:, 0], v[2] @ E[:, 1]])


def test_shown_reflections():
    normal = np.cross(GS_VECTORS[0], GS_VECTORS[1])
    latex = glued_latex(PAGE, "la4_reflection_tex")
    # The last 1/... is the normaliser of n (the others are entries of T).
    assert reciprocal_factors(latex)[-1] == pytest.approx(np.linalg.norm(normal))
    assert_matrices(PAGE, "la4_reflection_tex", [householder(normal), normal])
    angle = math.atan2(1, 2)
    assert_matrices(PAGE, "la4_reflection_2d_tex", [[[math.cos(2 * angle), math.sin(2 * angle)],
                                                      [math.sin(2 * angle), -math.cos(2 * angle)]]])
    shown_det = glued_latex(PAGE, "la4_reflection_2d_tex").split(r"\det T =")[1].strip(" .$")
    assert tex_value(shown_det) == pytest.approx(-1)


def test_shown_exercise_products_and_shadows():
    A = np.array([[1, 0, 2], [-1, 3, 1]])
    B = np.array([[3, 1], [2, 1], [1, 0]])
    assert_matrices(PAGE, "la4_ex_AB_tex", [A, B, np.einsum("ij,jk->ik", A, B)])
    assert_matrices(PAGE, "la4_ex_BA_tex", [B, A, np.einsum("ij,jk->ik", B, A)])
    sun = np.array([-3, 2, -6]) / 7
    points = np.array([[6, -2], [3, 1], [3, 4]])
    shadows = np.column_stack([shadow_on_ground(p, sun) for p in points.T])
    assert_matrices(PAGE, "la4_ex_shadow_tex", [shadow_matrix_by_rays(sun), points, shadows])


def test_shown_exercise_bases():
    assert_matrices(PAGE, "la4_ex_orthonormal_gram_tex", [np.eye(2)])
    C = np.array([[2, 1], [1, 1]])
    assert page.num("la4_ex_slanted_det") == pytest.approx(np.linalg.det(C))
    assert_matrices(PAGE, "la4_ex_slanted_tex", [np.linalg.inv(C), np.linalg.solve(C, [3, 4])])
    F, B = np.diag([1, -1]), np.array([[1, 1], [1, -1]])
    assert page.num("la4_ex_F_B_det") == pytest.approx(np.linalg.det(B))
    assert_matrices(PAGE, "la4_ex_F_B_tex", [np.linalg.inv(B), F, B, np.linalg.solve(B, F @ B)])


def test_shown_exercise_orthogonal():
    Q = np.array([[2, 2, 1], [-2, 1, 2], [1, -2, 2]]) / 3
    assert_matrices(PAGE, "la4_ex_QTQ_tex", [np.eye(3)])
    latex = glued_latex(PAGE, "la4_ex_Q_solution_tex")
    assert r"\frac13" in latex, "the solution shows Q^T as one third of an integer matrix"
    assert_matrices(PAGE, "la4_ex_Q_solution_tex", [3 * Q.T, [3, 0, 3], np.linalg.solve(Q, [3, 0, 3])])


def test_shown_exercise_gram_schmidt_and_reflection():
    vectors = [sp.Matrix(x) for x in EX_GS_VECTORS]
    u = [np.array(x, dtype=float).ravel() for x in sp.GramSchmidt(vectors)]
    assert_matrices(PAGE, "la4_ex_gs_steps_tex", [u[1]])
    assert_matrices(PAGE, "la4_ex_gs_steps3_tex", [u[2]])
    E = qr_basis(EX_GS_VECTORS)
    latex = glued_latex(PAGE, "la4_ex_gs_basis_tex")
    factors = reciprocal_factors(latex)
    shown = matrices(latex)
    assert len(shown) == 3 == len(factors)
    for k in range(3):
        assert np.allclose(shown[k].ravel() / factors[k], E[:, k]), f"e{k + 1} as shown"
    parts = glued_latex(PAGE, "la4_ex_gs_dots_tex").strip("$").split(r",\ ")
    dots = [tex_value(part.split("=")[1]) for part in parts]
    v = [np.array(x, dtype=float) for x in EX_GS_VECTORS]
    assert dots == pytest.approx([v[1] @ E[:, 0], v[2] @ E[:, 0], v[2] @ E[:, 1]])
    assert_matrices(PAGE, "la4_ex_gs_gram_tex", [np.eye(3)])
    T = householder(np.cross(EX_GS_VECTORS[0], EX_GS_VECTORS[1]))
    assert_matrices(PAGE, "la4_ex_reflection_tex", [T, [1, 2, 3], T @ [1, 2, 3]])


def test_every_glued_value_is_checked():
    page.assert_every_value_checked(globals())   # runs every other test first
    assert_every_latex_checked(PAGE)
