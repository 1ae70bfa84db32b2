"""Week 3 of Linear Algebra (matrices): every number the page glues, checked by a
different route than the page used to compute it.

The page eliminates step by step with its own row operations; these tests use sympy's
exact LU decomposition, inverse, rank and solvers, scipy's rotations, and geometry
(Heron's formula, Householder reflections) instead.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy.spatial.transform import Rotation

from tests.book.glue_checks import GlueChecks
from tests.book.latex import (assert_every_latex_checked, assert_matrices, final_values,
                              glued_latex, reciprocal_factors, tex_value, tuples)

PAGE = "book/linear-algebra/week3-matrices"
page = GlueChecks(PAGE)

# The data the page states in its prose (inputs, not results).
APPLES = sp.Matrix([[2, 3], [10, 1]])
RECEIPTS = sp.Matrix([8, 12])
SHOP = sp.Matrix([[1, 1, 2], [2, 3, 5], [1, 3, 7]])
SHOP_RECEIPTS = sp.Matrix([5, 12, 12])
DEPENDENT = sp.Matrix([[1, 1, 2], [1, 2, 3], [2, 3, 5]])
DEPENDENT_RECEIPTS = sp.Matrix([4, 6, 9])


def as_float(matrix: sp.Matrix) -> np.ndarray:
    return np.array(matrix.tolist(), dtype=float)


def exact_solution(A: sp.Matrix, s: sp.Matrix) -> np.ndarray:
    (solution,) = sp.linsolve((A, s))
    return np.array(solution, dtype=float)


def echelon_without_swaps(A: sp.Matrix, s: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix]:
    """[U | L^-1 s] and L from sympy's LU decomposition (which swaps rows only for a
    zero pivot): U is the row echelon form that elimination reaches, and the entries of
    L below the diagonal are the multipliers."""
    L, U, swaps = A.LUdecomposition()
    assert swaps == [], "the page's examples need no row swaps"
    return U.row_join(L.solve(s)), L


# ---------------------------------------------------------------- apples and bananas

def test_apple_and_banana_prices_solve_the_receipts():
    expected = exact_solution(APPLES, RECEIPTS)
    assert np.allclose(page.vec("la3_apples_solution"), expected)
    assert page.num("la3_apple_price") == pytest.approx(expected[0])
    assert page.num("la3_banana_price") == pytest.approx(expected[1])


def test_apples_elimination_multiplier_and_echelon_form():
    echelon, L = echelon_without_swaps(APPLES, RECEIPTS)
    assert page.num("la3_apples_multiplier") == pytest.approx(float(L[1, 0]))
    assert np.allclose(page.vec("la3_apples_echelon"), as_float(echelon))


def test_apples_determinant_and_inverse():
    assert page.num("la3_apples_det") == pytest.approx(float(APPLES.det()))
    inverse = np.linalg.inv(as_float(APPLES))
    assert np.allclose(page.vec("la3_apples_inv"), inverse)
    assert np.allclose(page.vec("la3_apples_inv") @ as_float(RECEIPTS).ravel(),
                       exact_solution(APPLES, RECEIPTS))


# ---------------------------------------------------------------- transformations

def test_M_sends_r_to_the_mixture_of_its_columns():
    M = sp.Matrix([[2, -1], [1, 1]])
    assert np.allclose(page.vec("la3_M_r"), as_float(M * sp.Matrix([2, 1])).ravel())


def test_rotation_by_30_degrees():
    expected = Rotation.from_euler("z", 30, degrees=True).as_matrix()[:2, :2]
    assert np.allclose(page.vec("la3_R30"), expected)


def test_composition_order_matters():
    S, R = sp.Matrix([[1, 1], [0, 1]]), sp.Matrix([[0, -1], [1, 0]])
    RS, SR = page.vec("la3_RS"), page.vec("la3_SR")
    assert np.allclose(RS, as_float(R * S))
    assert np.allclose(SR, as_float(S * R))
    assert not np.allclose(RS, SR), "the page's point is that the two orders differ"


# ---------------------------------------------------------------- the three-product shop

def test_shop_multipliers_are_those_of_the_LU_decomposition():
    _, L = echelon_without_swaps(SHOP, SHOP_RECEIPTS)
    assert page.num("la3_m21") == pytest.approx(float(L[1, 0]))
    assert page.num("la3_m31") == pytest.approx(float(L[2, 0]))
    assert page.num("la3_m32") == pytest.approx(float(L[2, 1]))


def test_shop_row_echelon_form():
    echelon, _ = echelon_without_swaps(SHOP, SHOP_RECEIPTS)
    assert np.allclose(page.vec("la3_shop_echelon"), as_float(echelon))


def test_shop_prices_and_reduced_row_echelon_form():
    prices = exact_solution(SHOP, SHOP_RECEIPTS)
    assert np.allclose(page.vec("la3_shop_prices"), prices)
    reduced, _ = SHOP.row_join(SHOP_RECEIPTS).rref()
    assert np.allclose(page.vec("la3_shop_reduced"), as_float(reduced))


def test_shop_inverse_by_gauss_jordan():
    inverse = np.linalg.inv(as_float(SHOP))
    assert np.allclose(page.vec("la3_A3_inv"), inverse)
    assert np.allclose(page.vec("la3_A3_inv_s").ravel(),
                       np.linalg.solve(as_float(SHOP), as_float(SHOP_RECEIPTS).ravel()))


def test_product_of_pivots_is_the_determinant():
    assert page.num("la3_shop_pivot_product") == pytest.approx(float(SHOP.det(method="berkowitz")))


# ---------------------------------------------------------------- determinants

def test_parallelogram_area_is_ad_minus_bc():
    a, b, c, d = 3, 1, 1, 2
    # Cross product of the two sides (a, c) and (b, d), in 3-D.
    area = np.linalg.norm(np.cross([a, c, 0], [b, d, 0]))
    assert page.num("la3_parallelogram_area") == pytest.approx(area)
    assert page.num("la3_box_area") == (a + b) * (c + d)
    assert page.num("la3_box_area") - page.num("la3_pieces_area") == pytest.approx(area)


def test_swapping_columns_flips_the_sign_of_the_determinant():
    keep = sp.Matrix([[sp.Rational(3, 2), sp.Rational(2, 5)], [sp.Rational(3, 10), sp.Rational(6, 5)]])
    assert page.num("la3_det_keep") == pytest.approx(float(keep.det()))
    assert page.num("la3_det_flip") == pytest.approx(-float(keep.det()))


def test_measured_area_ratios_equal_the_absolute_determinants():
    examples = [sp.Matrix([[2, 0], [0, sp.Rational(3, 2)]]),
                sp.Matrix([[1, sp.Rational(3, 2)], [0, 1]]),
                sp.Matrix([[1, sp.Rational(4, 5)], [sp.Rational(3, 5), sp.Rational(9, 10)]])]
    expected = [abs(float(m.det())) for m in examples]
    assert np.allclose(page.vec("la3_area_ratios"), expected, rtol=1e-9)
    assert np.allclose(np.abs(page.vec("la3_area_dets")), expected)
    assert page.num("la3_shear_area_ratio") == pytest.approx(1.0)


def test_singular_C_sends_its_null_direction_to_zero():
    C = sp.Matrix([[1, 2], [sp.Rational(1, 2), 1]])
    (null_vector,) = C.nullspace()
    assert null_vector.T * sp.Matrix([1, 2]) == sp.Matrix([0]), "the page's (2, -1) spans the null space"
    assert np.allclose(page.vec("la3_C_null_image"), 0)
    assert page.num("la3_C_det") == pytest.approx(0.0, abs=1e-12)


def test_dependent_receipts_are_inconsistent():
    assert sp.linsolve((DEPENDENT, DEPENDENT_RECEIPTS)) == sp.EmptySet
    echelon = page.vec("la3_singular_echelon")
    assert np.allclose(echelon[2, :3], 0), "the last row should have no pivot"
    assert page.num("la3_singular_last_rhs") == pytest.approx(echelon[2, 3])
    assert page.num("la3_singular_last_rhs") != 0
    # Same row space as the original augmented matrix: elimination lost nothing.
    augmented = DEPENDENT.row_join(DEPENDENT_RECEIPTS)
    assert np.linalg.matrix_rank(np.vstack([echelon, as_float(augmented)])) == augmented.rank()
    assert DEPENDENT.det() == 0
    assert page.num("la3_B3_det") == pytest.approx(0.0)
    assert page.num("la3_B_rank") == int(DEPENDENT.rank())


def test_rounding_hides_the_zero_determinant():
    exact = DEPENDENT / 10
    assert exact.det() == 0
    det = page.num("la3_det_tenths")
    assert abs(det) < 1e-12, "the computed determinant should be tiny"
    assert page.num("la3_inv_tenths_size") > 1e12, "the bogus inverse should be huge"


# ---------------------------------------------------------------- exercises

def test_exercise_apply():
    A, r = sp.Matrix([[1, 2], [-1, 4]]), sp.Matrix([3, -2])
    expected = as_float(A * r).ravel()
    assert np.allclose(page.vec("la3_ex_apply_answer"), expected)
    assert np.allclose(page.vec("la3_ex_apply_mixture"), expected)


def test_exercise_columns():
    T = sp.Matrix([[3, -1], [1, 2]])
    assert np.allclose(page.vec("la3_ex_cols_image"), as_float(T * sp.Matrix([2, 3])).ravel())
    assert np.allclose(page.vec("la3_ex_cols_preimage"), exact_solution(T, sp.Matrix([5, 4])))
    assert page.num("la3_ex_cols_det") == pytest.approx(float(T.det()))


def householder(normal) -> np.ndarray:
    """Reflection in the line (plane) perpendicular to `normal`: I - 2 n n^T / n.n."""
    n = np.asarray(normal, dtype=float)
    return np.eye(len(n)) - 2 * np.outer(n, n) / (n @ n)


def test_exercise_compose():
    # Rotate, then mirror in the x-axis: the mirror in y = -x, whose normal is (1, 1).
    assert np.allclose(page.vec("la3_ex_compose_FR"), householder([1, 1]))
    # Mirror, then rotate: the mirror in y = x, whose normal is (1, -1).
    assert np.allclose(page.vec("la3_ex_compose_RF"), householder([1, -1]))
    assert page.num("la3_ex_compose_det") == -1


def test_exercise_solve():
    A, s = sp.Matrix([[2, 1, 1], [4, 3, 3], [-2, 2, 3]]), sp.Matrix([3, 7, 2])
    assert np.allclose(page.vec("la3_ex_solve_answer"), exact_solution(A, s))
    echelon, _ = echelon_without_swaps(A, s)
    assert np.allclose(page.vec("la3_ex_solve_echelon"), as_float(echelon))
    assert page.num("la3_ex_solve_pivot_product") == pytest.approx(float(A.det()))


def test_exercise_inverse():
    A = sp.Matrix([[1, 0, 2], [2, 1, 5], [0, 1, 2]])
    inverse = A.inv(method="ADJ")
    assert np.allclose(page.vec("la3_ex_inverse"), as_float(inverse))
    assert np.allclose(page.vec("la3_ex_inverse_sol1").ravel(), exact_solution(A, sp.Matrix([1, 3, 1])))
    assert np.allclose(page.vec("la3_ex_inverse_sol2").ravel(), exact_solution(A, sp.Matrix([0, 1, 3])))
    assert page.num("la3_ex_inverse_det") == pytest.approx(float(A.det()))


def test_exercise_singular_k():
    k = page.num("la3_ex_singular_k")

    def matrix(value):
        return np.array([[1, 2, 0], [3, value, 1], [2, 1, 1]], dtype=float)

    assert np.linalg.matrix_rank(matrix(k)) == 2, "for the page's k the matrix should be singular"
    assert np.linalg.matrix_rank(matrix(k + 0.5)) == 3
    assert np.allclose(page.vec("la3_ex_singular_matrix"), matrix(k))
    x, y = page.vec("la3_ex_singular_combo")
    assert np.allclose(x * matrix(k)[:, 0] + y * matrix(k)[:, 1], matrix(k)[:, 2])


def heron(p, q, r) -> float:
    a, b, c = (math.dist(p, q), math.dist(q, r), math.dist(r, p))
    half = (a + b + c) / 2
    return math.sqrt(half * (half - a) * (half - b) * (half - c))


def test_exercise_area():
    T = np.array([[2, 1], [1, 3]])
    corners = [np.array(c) for c in ((0, 0), (2, 0), (1, 3))]
    before = heron(*corners)
    after = heron(*(T @ c for c in corners))
    assert page.num("la3_ex_area_before") == pytest.approx(before)
    assert page.num("la3_ex_area_after") == pytest.approx(after)
    assert page.num("la3_ex_area_check") == pytest.approx(after)
    assert page.num("la3_ex_area_det") == pytest.approx(after / before)


# ---------------------------------------------------------------- the worked steps shown as maths
# The page shows its elimination steps, products and inverses as glued LaTeX; the
# numbers in them are parsed back and compared with sympy's LU decomposition (whose L
# holds the multipliers and whose U is the row echelon form) and inverses.

def first_elimination_step(A: sp.Matrix) -> sp.Matrix:
    """The elementary matrix that clears column 0 below the first pivot: I - l e1^T."""
    L, _, _ = A.LUdecomposition()
    step = sp.eye(A.rows)
    step[1:, 0] = -L[1:, 0]
    return step


def test_shown_transformations_and_products():
    S, R, M = sp.Matrix([[1, 1], [0, 1]]), sp.Matrix([[0, -1], [1, 0]]), sp.Matrix([[2, -1], [1, 1]])
    assert_matrices(PAGE, "la3_R30_tex", [Rotation.from_euler("z", 30, degrees=True).as_matrix()[:2, :2]],
                    atol=6e-4)
    assert_matrices(PAGE, "la3_S_R_tex", [S, R])
    assert_matrices(PAGE, "la3_RS_SR_tex", [R * S, S * R])
    (shown,) = tuples(glued_latex(PAGE, "la3_M_r_tex"))
    assert np.allclose(shown, as_float(M * sp.Matrix([2, 1])).ravel())


def test_shown_apples_elimination_and_back_substitution():
    echelon, _ = echelon_without_swaps(APPLES, RECEIPTS)
    assert_matrices(PAGE, "la3_apples_elim_tex", [APPLES.row_join(RECEIPTS), echelon])
    prices = exact_solution(APPLES, RECEIPTS)
    shown = final_values(glued_latex(PAGE, "la3_apples_back_tex"))
    assert shown == pytest.approx({"a": prices[0], "b": prices[1]})


def test_shown_shop_elimination_and_back_substitution():
    augmented = SHOP.row_join(SHOP_RECEIPTS)
    echelon, _ = echelon_without_swaps(SHOP, SHOP_RECEIPTS)
    assert_matrices(PAGE, "la3_shop_stage01_tex", [augmented, first_elimination_step(SHOP) * augmented])
    assert_matrices(PAGE, "la3_shop_stage12_tex", [echelon])
    left, right = glued_latex(PAGE, "la3_c_line_tex").strip("$").split("=")
    assert tex_value(left.replace(r"\,c", "")) == float(echelon[2, 2])
    assert tex_value(right) == float(echelon[2, 3])
    prices = exact_solution(SHOP, SHOP_RECEIPTS)
    assert final_values(glued_latex(PAGE, "la3_shop_back_tex")) == pytest.approx(
        {"a": prices[0], "b": prices[1], "c": prices[2]})
    pivots = [tex_value(p) for p in glued_latex(PAGE, "la3_shop_pivots_tex").strip("$").split(r"\times")]
    assert pivots == [float(echelon[k, k]) for k in range(3)]


def test_shown_gauss_jordan():
    L, U, _ = SHOP.LUdecomposition()
    forward = U.row_join(L.inv())
    assert_matrices(PAGE, "la3_gj_forward_tex", [SHOP.row_join(sp.eye(3)), forward])
    scaled = sp.diag(*[1 / U[k, k] for k in range(3)]) * forward
    assert_matrices(PAGE, "la3_gj_backward_tex", [scaled, sp.eye(3).row_join(SHOP.inv(method="ADJ"))])
    inverse = SHOP.inv(method="ADJ")
    assert_matrices(PAGE, "la3_A3_inv_tex", [inverse, inverse, SHOP_RECEIPTS,
                                              exact_solution(SHOP, SHOP_RECEIPTS)])


def test_shown_apples_inverse_formula():
    latex = glued_latex(PAGE, "la3_apples_inv_tex")
    assert reciprocal_factors(latex) == [float(APPLES.det())]
    assert_matrices(PAGE, "la3_apples_inv_tex", [APPLES.adjugate(), exact_solution(APPLES, RECEIPTS)])


def test_shown_determinant_pictures():
    assert_matrices(PAGE, "la3_D_tex", [[[3, 1], [1, 2]]])
    assert_matrices(PAGE, "la3_C_null_tex", [[0, 0]])


def test_shown_inconsistent_elimination():
    echelon, _ = echelon_without_swaps(DEPENDENT, DEPENDENT_RECEIPTS)
    assert_matrices(PAGE, "la3_singular_B_tex", [DEPENDENT])
    assert_matrices(PAGE, "la3_singular_tex", [DEPENDENT.row_join(DEPENDENT_RECEIPTS), echelon])


def test_shown_exercise_steps_transformations():
    A, r = sp.Matrix([[1, 2], [-1, 4]]), sp.Matrix([3, -2])
    assert_matrices(PAGE, "la3_ex_apply_tex", [A, r, A * r])
    (mixture,) = tuples(glued_latex(PAGE, "la3_ex_apply_mixture_tex"))
    assert np.allclose(mixture, as_float(A * r).ravel())
    T = sp.Matrix([[3, -1], [1, 2]])
    assert_matrices(PAGE, "la3_ex_cols_tex", [T, T * sp.Matrix([2, 3])])
    (image,) = tuples(glued_latex(PAGE, "la3_ex_cols_image_tex"))
    assert np.allclose(image, as_float(T * sp.Matrix([2, 3])).ravel())
    pre = glued_latex(PAGE, "la3_ex_cols_pre_tex")
    assert reciprocal_factors(pre) == [float(T.det())]
    assert_matrices(PAGE, "la3_ex_cols_pre_tex", [T.det() * T.inv(), exact_solution(T, sp.Matrix([5, 4]))])
    F, R = sp.Matrix([[1, 0], [0, -1]]), sp.Matrix([[0, -1], [1, 0]])
    assert_matrices(PAGE, "la3_ex_compose_FR_tex", [F, R, householder([1, 1])])
    assert_matrices(PAGE, "la3_ex_compose_RF_tex", [R, F, householder([1, -1])])


def test_shown_exercise_steps_elimination():
    A, s = sp.Matrix([[2, 1, 1], [4, 3, 3], [-2, 2, 3]]), sp.Matrix([3, 7, 2])
    echelon, _ = echelon_without_swaps(A, s)
    augmented = A.row_join(s)
    assert_matrices(PAGE, "la3_ex_solve_tex", [augmented, first_elimination_step(A) * augmented, echelon])
    x, y, z = exact_solution(A, s)
    shown = final_values(glued_latex(PAGE, "la3_ex_solve_back_tex"))
    assert shown == pytest.approx({"x": x, "y": y, "z": z})

    A = sp.Matrix([[1, 0, 2], [2, 1, 5], [0, 1, 2]])
    L, U, _ = A.LUdecomposition()
    assert_matrices(PAGE, "la3_ex_inverse_fwd_tex", [A.row_join(sp.eye(3)), U.row_join(L.inv())])
    assert_matrices(PAGE, "la3_ex_inverse_tex", [sp.eye(3).row_join(A.inv(method="ADJ"))])
    rhs1, rhs2 = sp.Matrix([1, 3, 1]), sp.Matrix([0, 1, 3])
    assert_matrices(PAGE, "la3_ex_inverse_sol_tex",
                    [rhs1, exact_solution(A, rhs1), rhs2, exact_solution(A, rhs2)])


def test_shown_exercise_steps_singular():
    k = sp.symbols("k")
    matrix = sp.Matrix([[1, 2, 0], [3, k, 1], [2, 1, 1]])
    shown = glued_latex(PAGE, "la3_ex_singular_det_tex").strip("$").split("=")[1]
    assert sp.simplify(sp.sympify(shown) - matrix.det(method="berkowitz")) == 0
    value = page.num("la3_ex_singular_k")
    assert_matrices(PAGE, "la3_ex_singular_matrix_tex", [matrix.subs(k, value)])
    combo = glued_latex(PAGE, "la3_ex_singular_combo_tex").strip("$").split("=")[1]
    first, rest = combo.split(r"\,\text{column 1}")
    second = rest.replace(r"\,\text{column 2}", "").replace(" ", "")

    def coefficient(text):
        return {"": 1.0, "+": 1.0, "-": -1.0}.get(text.strip(), None) or tex_value(text)

    numeric = np.array(matrix.subs(k, value), dtype=float)
    weights = np.linalg.lstsq(numeric[:, :2], numeric[:, 2], rcond=None)[0]
    assert [coefficient(first), coefficient(second)] == pytest.approx(list(weights))


def test_shown_exercise_area_corners():
    T = sp.Matrix([[2, 1], [1, 3]])
    assert_matrices(PAGE, "la3_ex_area_corners_tex", [T * sp.Matrix([2, 0]), T * sp.Matrix([1, 3])])


def test_every_glued_value_is_checked():
    page.assert_every_value_checked(globals())   # runs every other test first
    assert_every_latex_checked(PAGE)
