"""Week 5 (eigenvalues and eigenvectors): every number the page glues, checked by a
different route than the page used: sympy for characteristic polynomials and exact
eigen-data, numpy.linalg.eig / scipy for eigenvectors, networkx for PageRank."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from scipy.linalg import null_space

from tests.book.glued import _value, glued

PAGE = "book/linear-algebra/week5-eigenvalues"


@pytest.fixture(scope="module")
def page():
    values = glued(PAGE)

    def get(name):
        assert name in values, f"{PAGE} glues no value named {name!r}"
        return _value(values[name])
    return get


def vector(value) -> np.ndarray:
    return np.asarray(value, dtype=float)


def assert_parallel(u, v, context=""):
    u, v = vector(u), vector(v)
    cosine = abs(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v))
    assert cosine == pytest.approx(1.0, abs=1e-6), f"{u} is not along {v} {context}"


def sympy_charpoly(M) -> list[float]:
    """Coefficients of det(lambda I - M), highest power first, by sympy (exact)."""
    lam = sp.symbols("lambda")
    poly = sp.Matrix(np.asarray(M).tolist()).applyfunc(sp.nsimplify).charpoly(lam)
    return [float(c) for c in poly.all_coeffs()]


def sympy_eigen(M) -> list[tuple[float, list[np.ndarray]]]:
    """[(eigenvalue, [basis vectors of its eigenspace])] by sympy, largest eigenvalue first."""
    result = sp.Matrix(np.asarray(M).tolist()).applyfunc(sp.nsimplify).eigenvects()
    pairs = [(complex(value), [np.array(v, dtype=complex).ravel() for v in vectors])
             for value, _, vectors in result]
    return sorted(pairs, key=lambda pair: -pair[0].real)


# ------------------------------------------------------------ what eigenvectors are

A_STRETCH = np.array([[2.0, 0.0], [0.0, 1.0]])
S = np.array([[2.0, 1.0], [1.0, 2.0]])


def test_stretch_images_and_turn_of_the_diagonal(page):
    assert vector(page("la5_stretch_e1_image")) == pytest.approx(np.einsum("ij,j->i", A_STRETCH, [1, 0]))
    assert vector(page("la5_stretch_e2_image")) == pytest.approx(np.einsum("ij,j->i", A_STRETCH, [0, 1]))
    image = vector(page("la5_stretch_diagonal_image"))
    assert image == pytest.approx([2.0, 1.0])
    d = np.array([1.0, 1.0])
    angle = np.degrees(np.arccos(d @ image / (np.linalg.norm(d) * np.linalg.norm(image))))
    assert page("la5_turn_diagonal") == pytest.approx(angle)


def test_eigen_angles_and_largest_turn_of_S(page):
    _, vectors = np.linalg.eig(S)
    angles = sorted(np.degrees(np.arctan2(v[1], v[0])) % 180 for v in vectors.T)
    assert vector(page("la5_S_eigen_angles")) == pytest.approx(angles, abs=0.26)
    # largest (unsigned) angle between a unit vector and its image, by brute force
    theta = np.linspace(0, np.pi, 20001)
    u = np.vstack([np.cos(theta), np.sin(theta)])
    w = S @ u
    turn = np.degrees(np.arccos(np.clip((u * w).sum(0) / np.linalg.norm(w, axis=0), -1, 1)))
    assert page("la5_S_max_turn") == pytest.approx(turn.max(), abs=1e-3)
    assert vector(page("la5_S_diag_image")) == pytest.approx(3 * np.array([1, 1]))
    assert vector(page("la5_S_antidiag_image")) == pytest.approx(np.array([1, -1]))


def test_exercise_selecting_eigenvectors_from_candidates(page):
    M = np.array([[4.0, -2.0], [1.0, 1.0]])
    values, vectors = np.linalg.eig(M)
    candidates = [[1, 0], [1, 1], [2, 1], [1, 2], [-2, -2]]
    eigen_found = 0
    for k, v in enumerate(candidates):
        v = np.array(v, dtype=float)
        assert vector(page(f"la5_ex_candidates_image_{k}")) == pytest.approx(M @ v)
        matches = [lam for lam, e in zip(values, vectors.T)
                   if abs(abs(v @ e) / np.linalg.norm(v) - 1) < 1e-9]
        if matches:
            eigen_found += 1
            assert page(f"la5_ex_candidates_is_eigen_{k}") == "yes", v
            assert page(f"la5_ex_candidates_lambda_{k}") == pytest.approx(matches[0].real)
        else:
            assert page(f"la5_ex_candidates_is_eigen_{k}") == "no", v
            assert page(f"la5_ex_candidates_lambda_{k}") == "none"
    assert eigen_found == 3


def test_exercise_eigenvectors_of_pictures(page):
    reflect = np.array([[0.0, -1.0], [-1.0, 0.0]])
    pairs = sympy_eigen(reflect)
    assert vector(page("la5_ex_pictures_reflect_lambdas")) == pytest.approx([p[0].real for p in pairs])
    assert_parallel(page("la5_ex_pictures_reflect_v0"), pairs[0][1][0].real)
    assert_parallel(page("la5_ex_pictures_reflect_v1"), pairs[1][1][0].real)

    shear = np.array([[1.0, 0.0], [1.0, 1.0]])
    (value, basis), = sympy_eigen(shear)
    assert page("la5_ex_pictures_shear_lambda") == pytest.approx(value.real)
    assert page("la5_ex_pictures_shear_n_directions") == len(basis) == 1
    assert_parallel(page("la5_ex_pictures_shear_v0"), basis[0].real)
    assert page("la5_ex_pictures_shear_kind") == "defective"


# ------------------------------------------------------------ calculating eigenvectors

def test_worked_example_S(page):
    assert page("la5_S_trace") == pytest.approx(np.trace(S))
    assert page("la5_S_det") == pytest.approx(np.linalg.det(S))
    assert vector(page("la5_S_charpoly")) == pytest.approx(sympy_charpoly(S))
    pairs = sympy_eigen(S)
    assert vector(page("la5_S_eigenvalues")) == pytest.approx([p[0].real for p in pairs])
    for k, (value, basis) in enumerate(pairs, start=1):
        assert page(f"la5_S_lambda{k}") == pytest.approx(value.real)
        assert_parallel(page(f"la5_S_v{k}"), basis[0].real)


def test_rotation_trace_and_determinant(page):
    R = sp.Matrix([[0, -1], [1, 0]])
    assert page("la5_R_trace") == R.trace()
    assert page("la5_R_det") == R.det()


def test_three_by_three_example(page):
    B = np.array([[2.0, 0.0, 0.0], [0.0, 3.0, 4.0], [0.0, 4.0, 9.0]])
    pairs = sympy_eigen(B)
    values = [p[0].real for p in pairs]
    assert vector(page("la5_B_eigenvalues")) == pytest.approx(values)
    assert vector(page("la5_B_charpoly")) == pytest.approx(sympy_charpoly(B))
    for k, (value, basis) in enumerate(pairs, start=1):
        assert page(f"la5_B_lambda{k}") == pytest.approx(value.real)
        assert_parallel(page(f"la5_B_v{k}"), basis[0].real)
    assert page("la5_B_trace") == pytest.approx(sum(values))
    assert page("la5_B_lambda_sum") == pytest.approx(sp.Matrix(B.tolist()).trace())
    assert page("la5_B_det") == pytest.approx(float(sp.Matrix(B.tolist()).det()))
    assert page("la5_B_lambda_product") == pytest.approx(np.prod(values))


def test_exercise_characteristic_polynomial(page):
    P = np.array([[1.0, 4.0], [2.0, 3.0]])
    assert vector(page("la5_ex_charpoly_coefficients")) == pytest.approx(sympy_charpoly(P))
    assert page("la5_ex_charpoly_trace") == pytest.approx(float(sp.Matrix([[1, 4], [2, 3]]).trace()))
    assert page("la5_ex_charpoly_det") == pytest.approx(float(sp.Matrix([[1, 4], [2, 3]]).det()))
    pairs = sympy_eigen(P)
    assert vector(page("la5_ex_charpoly_eigenvalues")) == pytest.approx([p[0].real for p in pairs])
    for k, (value, basis) in enumerate(pairs, start=1):
        assert page(f"la5_ex_charpoly_lambda{k}") == pytest.approx(value.real)
        assert vector(page(f"la5_ex_charpoly_row{k}")) == pytest.approx(P[0] - value.real * np.eye(2)[0])
        assert_parallel(page(f"la5_ex_charpoly_v{k}"), basis[0].real)


def test_exercise_repeated_and_complex_roots(page):
    Q = np.array([[3.0, -1.0], [1.0, 1.0]])
    W = np.array([[1.0, -2.0], [1.0, -1.0]])
    assert vector(page("la5_ex_special_roots_Q_charpoly")) == pytest.approx(sympy_charpoly(Q))
    assert vector(page("la5_ex_special_roots_W_charpoly")) == pytest.approx(sympy_charpoly(W))
    (value, basis), = sympy_eigen(Q)                      # one eigenvalue, one direction
    assert len(basis) == 1
    assert page("la5_ex_special_roots_Q_real_part") == pytest.approx(value.real)
    assert page("la5_ex_special_roots_Q_imag_part") == pytest.approx(0)
    assert_parallel(page("la5_ex_special_roots_Q_v"), basis[0].real)
    assert_parallel(page("la5_ex_special_roots_Q_shifted_row"), Q[0] - value.real * np.eye(2)[0])
    assert page("la5_ex_special_roots_Q_kind") == "defective"

    roots = np.linalg.eigvals(W)
    assert page("la5_ex_special_roots_W_kind") == "complex"
    assert page("la5_ex_special_roots_W_real_part") == pytest.approx(roots.real.max(), abs=1e-9)
    assert page("la5_ex_special_roots_W_imag_part") == pytest.approx(np.abs(roots.imag).max())
    assert page("la5_ex_special_roots_W_det") == pytest.approx(float(sp.Matrix([[1, -2], [1, -1]]).det()))
    period = page("la5_ex_special_roots_W_period")
    Ws = sp.Matrix([[1, -2], [1, -1]])
    assert Ws**period == sp.eye(2)
    assert all(Ws**k != sp.eye(2) for k in range(1, period))


# ------------------------------------------------------------ the eigenbasis

T = np.array([[3.0, 1.0], [0.0, 2.0]])


def test_diagonalisation_of_T(page):
    pairs = sympy_eigen(T)
    assert vector(page("la5_T_eigenvalues")) == pytest.approx([p[0].real for p in pairs])
    assert_parallel(page("la5_T_v1"), pairs[0][1][0].real)
    assert_parallel(page("la5_T_v2"), pairs[1][1][0].real)
    for k, (value, _) in enumerate(pairs, start=1):
        assert page(f"la5_T_lambda{k}") == pytest.approx(value.real)
        assert vector(page(f"la5_T_row{k}")) == pytest.approx(T[0] - value.real * np.eye(2)[0])
    C = vector(page("la5_T_C")).reshape(2, 2)
    C_inv = vector(page("la5_T_C_inv")).reshape(2, 2)
    D = np.diag(vector(page("la5_T_D")))
    assert np.linalg.solve(C, np.eye(2)) == pytest.approx(C_inv)
    assert C @ D @ C_inv == pytest.approx(T)
    assert page("la5_T_C_is_own_inverse") == bool(np.allclose(C @ C, np.eye(2)))


def test_tenth_power_of_T(page):
    n = page("la5_T_n")
    exact = sp.Matrix([[3, 1], [0, 2]]) ** n
    assert vector(page("la5_T_power")).reshape(2, 2) == pytest.approx(np.array(exact, dtype=float))
    assert page("la5_T_power_top_right") == exact[0, 1]
    assert page("la5_T_power_formula_check") == 3**n - 2**n


def test_iterates_turn_towards_the_dominant_eigenvector(page):
    def angle(n):   # T^n (0, 1) = (3^n - 2^n, 2^n), exactly
        x = sp.Matrix([[3, 1], [0, 2]]) ** n * sp.Matrix([0, 1])
        return np.degrees(np.arctan2(float(x[1]), float(x[0])))
    assert page("la5_iterate_angle_5") == pytest.approx(angle(5))
    assert page("la5_iterate_angle_15") == pytest.approx(angle(15))
    assert page("la5_iterate_ratio") == pytest.approx(angle(15) / angle(14))


def test_exercise_build_T_from_eigenvectors(page):
    T_ex = vector(page("la5_ex_build_T")).reshape(2, 2)
    values, vectors = np.linalg.eig(T_ex)
    for lam, v in [(2, [1, 2]), (3, [2, 3])]:
        k = np.argmin(np.abs(values - lam))
        assert values[k] == pytest.approx(lam)
        assert_parallel(vectors[:, k], v)
    C = np.array([[1.0, 2.0], [2.0, 3.0]])
    assert page("la5_ex_build_det_C") == pytest.approx(float(sp.Matrix([[1, 2], [2, 3]]).det()))
    assert vector(page("la5_ex_build_C_inv")).reshape(2, 2) == pytest.approx(
        np.array(sp.Matrix([[1, 2], [2, 3]]).inv(), dtype=float))
    assert vector(page("la5_ex_build_check1")) == pytest.approx(2 * C[:, 0])
    assert vector(page("la5_ex_build_check2")) == pytest.approx(3 * C[:, 1])


def test_exercise_fifth_power(page):
    T_ex = np.array(sp.Matrix([[1, 2], [2, 3]]) * sp.diag(2, 3) * sp.Matrix([[1, 2], [2, 3]]).inv(),
                    dtype=float)
    T5 = np.linalg.matrix_power(T_ex, 5)
    assert vector(page("la5_ex_power_D5")) == pytest.approx([2**5, 3**5])
    assert vector(page("la5_ex_power_T5")).reshape(2, 2) == pytest.approx(T5)
    assert vector(page("la5_ex_power_T5x")) == pytest.approx(T5 @ [1, 1])
    coords = np.linalg.solve([[1, 2], [2, 3]], [1, 1])
    assert vector(page("la5_ex_power_coords")) == pytest.approx(coords)
    values, vectors = np.linalg.eig(T_ex)
    assert_parallel(page("la5_ex_power_limit"), vectors[:, np.argmax(values)])


# ------------------------------------------------------------ PageRank

WEB = {"A": "BC", "B": "CE", "C": "A", "D": "ACE", "E": "CD"}
PAGES = list("ABCDE")


def graph(links) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from(links)
    G.add_edges_from((source, target) for source, targets in links.items() for target in targets)
    return G


def networkx_rank(links, alpha):
    ranks = nx.pagerank(graph(links), alpha=alpha, tol=1e-13, max_iter=100_000)
    return np.array([ranks[p] for p in links])


def transition(links) -> np.ndarray:
    """Column-stochastic link matrix, from networkx's Google matrix (row-stochastic) with no damping."""
    return nx.google_matrix(graph(links), alpha=1.0, nodelist=list(links)).T


def test_web_pagerank_is_networkx_pagerank(page):
    rank = networkx_rank(WEB, alpha=1.0)
    assert vector(page("la5_web_rank")) == pytest.approx(rank, abs=1e-4)
    order = [PAGES[i] for i in np.argsort(rank)[::-1]]
    assert page("la5_web_order") == ", ".join(order)
    assert page("la5_web_top") == order[0]
    assert page("la5_web_bottom") == order[-1]
    assert page("la5_web_top_share") == pytest.approx(100 * rank.max(), abs=1e-6)
    assert page("la5_web_bottom_share") == pytest.approx(100 * rank.min(), abs=1e-6)
    G = graph(WEB)
    assert page("la5_web_top_inlinks") == G.in_degree(order[0])
    assert page("la5_web_D_outlinks") == G.out_degree("D") == max(d for _, d in G.out_degree())
    assert page("la5_web_residual") < 1e-12


def test_web_second_eigenvalue_and_power_iteration(page):
    L = transition(WEB)
    assert page("la5_web_second_eigenvalue") == pytest.approx(np.sort(np.abs(np.linalg.eigvals(L)))[-2])
    rank = networkx_rank(WEB, alpha=1.0)
    start = np.full(5, 0.2)
    for steps in (10, 40):
        gap = np.abs(np.linalg.matrix_power(L, steps) @ start - rank).max()
        assert page(f"la5_power_gap_{steps}") == pytest.approx(gap, rel=1e-3, abs=1e-9)
    assert page("la5_surfer_clicks") >= 10_000
    assert page("la5_surfer_max_gap") < 0.02


def test_damped_web_pagerank_is_networkx_pagerank(page):
    rank = networkx_rank(WEB, alpha=0.85)
    assert vector(page("la5_web_rank_damped")) == pytest.approx(rank, abs=1e-4)
    assert page("la5_web_order_damped") == ", ".join(PAGES[i] for i in np.argsort(rank)[::-1])


def test_trap_without_and_with_damping(page):
    trap = dict(WEB, D="ACEF", F="F")
    L = transition(trap)
    start = np.full(6, 1 / 6)
    assert vector(page("la5_trap_undamped")) == pytest.approx(
        np.linalg.matrix_power(L, 1000) @ start, abs=1e-4)
    assert page("la5_trap_undamped_F") == pytest.approx(100 * (np.linalg.matrix_power(L, 1000) @ start)[-1])
    assert page("la5_trap_undamped_F_50") == pytest.approx(100 * (np.linalg.matrix_power(L, 50) @ start)[-1])
    assert page("la5_trap_second_eigenvalue") == pytest.approx(np.sort(np.abs(np.linalg.eigvals(L)))[-2])
    assert page("la5_trap_damping") == 0.85
    damped = networkx_rank(trap, alpha=0.85)
    assert vector(page("la5_trap_damped")) == pytest.approx(damped, abs=1e-4)
    assert page("la5_trap_damped_F") == pytest.approx(100 * damped[-1], abs=1e-6)
    assert page("la5_trap_damped_min") == pytest.approx(100 * damped.min(), abs=1e-6)
    assert page("la5_trap_iterated_damped_gap") < 1e-10


def test_exercise_three_page_web(page):
    links = {"X": "YZ", "Y": "Z", "Z": "X"}
    assert vector(page("la5_ex_pagerank_L")).reshape(3, 3) == pytest.approx(transition(links))
    rank = networkx_rank(links, alpha=1.0)
    assert vector(page("la5_ex_pagerank_rank")) == pytest.approx(rank, abs=1e-4)
    assert vector(page("la5_ex_pagerank_ratios")) == pytest.approx(rank / rank.min(), abs=1e-3)
    top = [p for p, r in zip(links, rank) if r > rank.max() - 1e-6]
    assert page("la5_ex_pagerank_top") == " and ".join(top)
    assert vector(page("la5_ex_pagerank_d0")) == pytest.approx(networkx_rank(links, alpha=0.0), abs=1e-4)


# ------------------------------------------------------------ the lab figures

def test_lab_figure_numbers(page):
    A = np.array([[1.0, 1.0], [0.5, 1.5]])
    values, vectors = np.linalg.eig(A)
    order = np.argsort(values)[::-1]
    assert vector(page("la5_lab_eigenvalues")) == pytest.approx(values[order])
    assert_parallel(page("la5_lab_v1"), vectors[:, order[0]])
    assert_parallel(page("la5_lab_v2"), vectors[:, order[1]])
    spiral = np.array([[0.8, -0.6], [0.6, 0.8]])
    spiral_values = np.linalg.eigvals(spiral)
    assert page("la5_lab_spiral_kind") == "complex"
    assert np.abs(spiral_values.imag).min() > 0
    assert page("la5_lab_spiral_modulus") == pytest.approx(np.abs(spiral_values[0]))
    assert page("la5_lab_spiral_angle") == pytest.approx(np.degrees(np.abs(np.angle(spiral_values[0]))))
