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

from tests.book.glued import array, number

PAGE = "book/linear-algebra/week3-matrices"

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
    assert np.allclose(array(PAGE, "la3_apples_solution"), expected)
    assert number(PAGE, "la3_apple_price") == pytest.approx(expected[0])
    assert number(PAGE, "la3_banana_price") == pytest.approx(expected[1])


def test_apples_elimination_multiplier_and_echelon_form():
    echelon, L = echelon_without_swaps(APPLES, RECEIPTS)
    assert number(PAGE, "la3_apples_multiplier") == pytest.approx(float(L[1, 0]))
    assert np.allclose(array(PAGE, "la3_apples_echelon"), as_float(echelon))


def test_apples_determinant_and_inverse():
    assert number(PAGE, "la3_apples_det") == pytest.approx(float(APPLES.det()))
    inverse = np.linalg.inv(as_float(APPLES))
    assert np.allclose(array(PAGE, "la3_apples_inv"), inverse)
    assert np.allclose(array(PAGE, "la3_apples_inv") @ as_float(RECEIPTS).ravel(),
                       exact_solution(APPLES, RECEIPTS))


# ---------------------------------------------------------------- transformations

def test_M_sends_r_to_the_mixture_of_its_columns():
    M = sp.Matrix([[2, -1], [1, 1]])
    assert np.allclose(array(PAGE, "la3_M_r"), as_float(M * sp.Matrix([2, 1])).ravel())


def test_rotation_by_30_degrees():
    expected = Rotation.from_euler("z", 30, degrees=True).as_matrix()[:2, :2]
    assert np.allclose(array(PAGE, "la3_R30"), expected)


def test_composition_order_matters():
    S, R = sp.Matrix([[1, 1], [0, 1]]), sp.Matrix([[0, -1], [1, 0]])
    RS, SR = array(PAGE, "la3_RS"), array(PAGE, "la3_SR")
    assert np.allclose(RS, as_float(R * S))
    assert np.allclose(SR, as_float(S * R))
    assert not np.allclose(RS, SR), "the page's point is that the two orders differ"


# ---------------------------------------------------------------- the three-product shop

def test_shop_multipliers_are_those_of_the_LU_decomposition():
    _, L = echelon_without_swaps(SHOP, SHOP_RECEIPTS)
    assert number(PAGE, "la3_m21") == pytest.approx(float(L[1, 0]))
    assert number(PAGE, "la3_m31") == pytest.approx(float(L[2, 0]))
    assert number(PAGE, "la3_m32") == pytest.approx(float(L[2, 1]))


def test_shop_row_echelon_form():
    echelon, _ = echelon_without_swaps(SHOP, SHOP_RECEIPTS)
    assert np.allclose(array(PAGE, "la3_shop_echelon"), as_float(echelon))


def test_shop_prices_and_reduced_row_echelon_form():
    prices = exact_solution(SHOP, SHOP_RECEIPTS)
    assert np.allclose(array(PAGE, "la3_shop_prices"), prices)
    reduced, _ = SHOP.row_join(SHOP_RECEIPTS).rref()
    assert np.allclose(array(PAGE, "la3_shop_reduced"), as_float(reduced))


def test_shop_inverse_by_gauss_jordan():
    inverse = np.linalg.inv(as_float(SHOP))
    assert np.allclose(array(PAGE, "la3_A3_inv"), inverse)
    assert np.allclose(array(PAGE, "la3_A3_inv_s").ravel(),
                       np.linalg.solve(as_float(SHOP), as_float(SHOP_RECEIPTS).ravel()))


def test_product_of_pivots_is_the_determinant():
    assert number(PAGE, "la3_shop_pivot_product") == pytest.approx(float(SHOP.det(method="berkowitz")))


# ---------------------------------------------------------------- determinants

def test_parallelogram_area_is_ad_minus_bc():
    a, b, c, d = 3, 1, 1, 2
    # Cross product of the two sides (a, c) and (b, d), in 3-D.
    area = np.linalg.norm(np.cross([a, c, 0], [b, d, 0]))
    assert number(PAGE, "la3_parallelogram_area") == pytest.approx(area)
    assert number(PAGE, "la3_box_area") == (a + b) * (c + d)
    assert number(PAGE, "la3_box_area") - number(PAGE, "la3_pieces_area") == pytest.approx(area)


def test_swapping_columns_flips_the_sign_of_the_determinant():
    keep = sp.Matrix([[sp.Rational(3, 2), sp.Rational(2, 5)], [sp.Rational(3, 10), sp.Rational(6, 5)]])
    assert number(PAGE, "la3_det_keep") == pytest.approx(float(keep.det()))
    assert number(PAGE, "la3_det_flip") == pytest.approx(-float(keep.det()))


def test_measured_area_ratios_equal_the_absolute_determinants():
    examples = [sp.Matrix([[2, 0], [0, sp.Rational(3, 2)]]),
                sp.Matrix([[1, sp.Rational(3, 2)], [0, 1]]),
                sp.Matrix([[1, sp.Rational(4, 5)], [sp.Rational(3, 5), sp.Rational(9, 10)]])]
    expected = [abs(float(m.det())) for m in examples]
    assert np.allclose(array(PAGE, "la3_area_ratios"), expected, rtol=1e-9)
    assert np.allclose(np.abs(array(PAGE, "la3_area_dets")), expected)
    assert number(PAGE, "la3_shear_area_ratio") == pytest.approx(1.0)


def test_singular_C_sends_its_null_direction_to_zero():
    C = sp.Matrix([[1, 2], [sp.Rational(1, 2), 1]])
    (null_vector,) = C.nullspace()
    assert null_vector.T * sp.Matrix([1, 2]) == sp.Matrix([0]), "the page's (2, -1) spans the null space"
    assert np.allclose(array(PAGE, "la3_C_null_image"), 0)
    assert number(PAGE, "la3_C_det") == pytest.approx(0.0, abs=1e-12)


def test_dependent_receipts_are_inconsistent():
    assert sp.linsolve((DEPENDENT, DEPENDENT_RECEIPTS)) == sp.EmptySet
    echelon = array(PAGE, "la3_singular_echelon")
    assert np.allclose(echelon[2, :3], 0), "the last row should have no pivot"
    assert number(PAGE, "la3_singular_last_rhs") == pytest.approx(echelon[2, 3])
    assert number(PAGE, "la3_singular_last_rhs") != 0
    # Same row space as the original augmented matrix: elimination lost nothing.
    augmented = DEPENDENT.row_join(DEPENDENT_RECEIPTS)
    assert np.linalg.matrix_rank(np.vstack([echelon, as_float(augmented)])) == augmented.rank()
    assert DEPENDENT.det() == 0
    assert number(PAGE, "la3_B3_det") == pytest.approx(0.0)
    assert number(PAGE, "la3_B_rank") == int(DEPENDENT.rank())


def test_rounding_hides_the_zero_determinant():
    exact = DEPENDENT / 10
    assert exact.det() == 0
    det = number(PAGE, "la3_det_tenths")
    assert abs(det) < 1e-12, "the computed determinant should be tiny"
    assert number(PAGE, "la3_inv_tenths_size") > 1e12, "the bogus inverse should be huge"


# ---------------------------------------------------------------- exercises

def test_exercise_apply():
    A, r = sp.Matrix([[1, 2], [-1, 4]]), sp.Matrix([3, -2])
    expected = as_float(A * r).ravel()
    assert np.allclose(array(PAGE, "la3_ex_apply_answer"), expected)
    assert np.allclose(array(PAGE, "la3_ex_apply_mixture"), expected)


def test_exercise_columns():
    T = sp.Matrix([[3, -1], [1, 2]])
    assert np.allclose(array(PAGE, "la3_ex_cols_image"), as_float(T * sp.Matrix([2, 3])).ravel())
    assert np.allclose(array(PAGE, "la3_ex_cols_preimage"), exact_solution(T, sp.Matrix([5, 4])))
    assert number(PAGE, "la3_ex_cols_det") == pytest.approx(float(T.det()))


def householder(normal) -> np.ndarray:
    """Reflection in the line (plane) perpendicular to `normal`: I - 2 n n^T / n.n."""
    n = np.asarray(normal, dtype=float)
    return np.eye(len(n)) - 2 * np.outer(n, n) / (n @ n)


def test_exercise_compose():
    # Rotate, then mirror in the x-axis: the mirror in y = -x, whose normal is (1, 1).
    assert np.allclose(array(PAGE, "la3_ex_compose_FR"), householder([1, 1]))
    # Mirror, then rotate: the mirror in y = x, whose normal is (1, -1).
    assert np.allclose(array(PAGE, "la3_ex_compose_RF"), householder([1, -1]))
    assert number(PAGE, "la3_ex_compose_det") == -1


def test_exercise_solve():
    A, s = sp.Matrix([[2, 1, 1], [4, 3, 3], [-2, 2, 3]]), sp.Matrix([3, 7, 2])
    assert np.allclose(array(PAGE, "la3_ex_solve_answer"), exact_solution(A, s))
    echelon, _ = echelon_without_swaps(A, s)
    assert np.allclose(array(PAGE, "la3_ex_solve_echelon"), as_float(echelon))
    assert number(PAGE, "la3_ex_solve_pivot_product") == pytest.approx(float(A.det()))


def test_exercise_inverse():
    A = sp.Matrix([[1, 0, 2], [2, 1, 5], [0, 1, 2]])
    inverse = A.inv(method="ADJ")
    assert np.allclose(array(PAGE, "la3_ex_inverse"), as_float(inverse))
    assert np.allclose(array(PAGE, "la3_ex_inverse_sol1").ravel(), exact_solution(A, sp.Matrix([1, 3, 1])))
    assert np.allclose(array(PAGE, "la3_ex_inverse_sol2").ravel(), exact_solution(A, sp.Matrix([0, 1, 3])))
    assert number(PAGE, "la3_ex_inverse_det") == pytest.approx(float(A.det()))


def test_exercise_singular_k():
    k = number(PAGE, "la3_ex_singular_k")

    def matrix(value):
        return np.array([[1, 2, 0], [3, value, 1], [2, 1, 1]], dtype=float)

    assert np.linalg.matrix_rank(matrix(k)) == 2, "for the page's k the matrix should be singular"
    assert np.linalg.matrix_rank(matrix(k + 0.5)) == 3
    assert np.allclose(array(PAGE, "la3_ex_singular_matrix"), matrix(k))
    x, y = array(PAGE, "la3_ex_singular_combo")
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
    assert number(PAGE, "la3_ex_area_before") == pytest.approx(before)
    assert number(PAGE, "la3_ex_area_after") == pytest.approx(after)
    assert number(PAGE, "la3_ex_area_check") == pytest.approx(after)
    assert number(PAGE, "la3_ex_area_det") == pytest.approx(after / before)
