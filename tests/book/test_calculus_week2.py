"""Course 2, week 2 (Multivariate calculus): every partial derivative, Jacobian, Hessian,
classification and worked answer the page glues is checked by another route than the
page took: finite differences where the page used SymPy, SymPy where it worked by hand,
SciPy's optimisers, root finders, integrators and ODE solver for minima, stationary
points, areas and descent paths, and explicit slicing where the page used np.gradient."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from matplotlib import cbook
from scipy import integrate, optimize

from tests.book import calculus_checks
from tests.book.calculus_checks import central_difference, hessian_fd, jacobian_fd, literal
from tests.book.glued import number

PAGE = "book/multivariate-calculus/week2-multivariate-derivatives"
x, y, z, t = sp.symbols("x y z t")
r, theta, phi = sp.symbols("r theta phi")
SYMBOLS = {"x": x, "y": y, "z": z, "t": t, "r": r, "theta": theta, "phi": phi}


def formula(name: str):
    return calculus_checks.formula(PAGE, name, SYMBOLS)


def as_array(name: str) -> np.ndarray:
    return np.asarray(literal(PAGE, name), dtype=float)


def numeric(expr, variables):
    """A NumPy function of one point (n,) from a SymPy expression or matrix."""
    f = sp.lambdify(variables, expr, "numpy")
    return lambda p: np.asarray(f(*p), dtype=float).ravel()


def assert_matches_fd(expr, question, variables, points, atol=1e-6):
    """A glued Jacobian row/matrix `expr` equals the finite-difference Jacobian of
    `question` (scalar or column of outputs) at each point."""
    glued_at = numeric(expr, variables)
    f = numeric(question, variables)
    for point in points:
        expected = jacobian_fd(f, point)
        np.testing.assert_allclose(np.atleast_2d(glued_at(point)).reshape(expected.shape),
                                   expected, atol=atol, rtol=1e-6)


# ---------------------------------------------------------------- the can
def test_can_mass_and_partial_derivatives():
    inputs = np.array([number(PAGE, f"mc2_can_{n}") for n in ("r", "h", "w", "rho")])
    assert inputs.tolist() == [3.3, 11.5, 0.01, 2.70]

    def mass(p):
        r_, h_, w_, rho_ = p
        return 2 * math.pi * r_**2 * w_ * rho_ + 2 * math.pi * r_ * h_ * w_ * rho_

    assert number(PAGE, "mc2_can_mass") == pytest.approx(mass(inputs))
    gradient = jacobian_fd(mass, inputs, h=1e-7)[0]
    for name, value in zip(("r", "h", "w", "rho"), gradient):
        assert number(PAGE, f"mc2_can_dm_d{name}") == pytest.approx(value, rel=1e-6)
    # Everyday units: a millimetre is 0.1 cm, a hundredth of a millimetre 0.001 cm.
    assert number(PAGE, "mc2_can_extra_mm_height") == pytest.approx(
        mass(inputs + [0, 0.1, 0, 0]) - mass(inputs), rel=1e-9)
    assert number(PAGE, "mc2_can_extra_mm_radius") == pytest.approx(
        mass(inputs + [0.1, 0, 0, 0]) - mass(inputs), rel=0.02)      # linear estimate vs exact
    assert number(PAGE, "mc2_can_extra_hundredth_mm_wall") == pytest.approx(
        mass(inputs + [0, 0, 0.001, 0]) - mass(inputs), rel=1e-9)
    # Elasticities: d ln m / d ln v, by central differences in the logarithm.
    for k, name in enumerate(("r", "h", "w")):
        def log_mass(u, k=k):
            p = inputs.copy()
            p[k] = math.exp(u)
            return math.log(mass(p))
        u0 = math.log(inputs[k])
        elasticity = (log_mass(u0 + 1e-6) - log_mass(u0 - 1e-6)) / 2e-6
        assert number(PAGE, f"mc2_can_elasticity_{name}") == pytest.approx(elasticity, rel=1e-6)


# ---------------------------------------------------------------- partial and total derivatives
def f_on_path(s):
    px, py, pz = np.cos(s), s**2, 2 * s
    return px**2 * py + py * np.sin(pz)


def test_total_derivative_along_the_path():
    expected = central_difference(f_on_path, [1.0])[0]
    for name in ("mc2_total_at_1", "mc2_total_direct_at_1", "mc2_total_fd_at_1"):
        assert number(PAGE, name) == pytest.approx(expected, rel=1e-7)
    derivative = sp.lambdify(t, formula("mc2_total_derivative"), "numpy")
    points = np.array([0.3, 1.1, 2.4])
    np.testing.assert_allclose(derivative(points), central_difference(f_on_path, points), rtol=1e-6)


def test_exercise_partial_differentiation():
    questions = {"a": (x**3 * y**2 - 4 * x * y + 2 * y, (x, y)),
                 "b": (x * sp.exp(y * z), (x, y, z)),
                 "c": (sp.sin(x * y) + x / y, (x, y))}
    for part, (question, variables) in questions.items():
        for v in variables:
            answer = formula(f"mc2_ex_partial_{part}_d{v}")
            assert sp.simplify(answer - sp.diff(question, v)) == 0, f"({part}) d/d{v}: {answer}"


def test_exercise_total_derivative():
    def along(s):
        return np.sin(s) * np.exp(s) + np.cos(s)**2
    answer = sp.lambdify(t, formula("mc2_ex_total_formula"), "numpy")
    points = np.array([0.0, 0.7, 1.0, 1.9])
    np.testing.assert_allclose(answer(points), central_difference(along, points), rtol=1e-7, atol=1e-9)
    assert number(PAGE, "mc2_ex_total_at_0") == pytest.approx(central_difference(along, [0.0])[0], abs=1e-8)
    assert number(PAGE, "mc2_ex_total_at_1") == pytest.approx(central_difference(along, [1.0])[0], rel=1e-7)


# ---------------------------------------------------------------- the Jacobian
G = (2 * x + y) * sp.exp(-(x**2 + y**2) / 2)


def test_jacobian_of_f_at_a_point():
    f = numeric(x**2 * y + y * sp.sin(z), (x, y, z))
    glued_J = np.array(formula("mc2_J_f_at_point"), dtype=float)
    np.testing.assert_allclose(glued_J, jacobian_fd(f, [1.0, 2.0, math.pi]), atol=1e-6)


def test_jacobian_of_g_and_its_peak():
    J = formula("mc2_J_g")
    assert_matches_fd(J, G, (x, y), [(-1.0, 1.0), (0.3, -0.8), (1.7, 0.2)])
    np.testing.assert_allclose(as_array("mc2_J_g_at_m1_1"),
                               jacobian_fd(numeric(G, (x, y)), [-1.0, 1.0])[0], atol=1e-8)
    g = numeric(G, (x, y))
    best = optimize.minimize(lambda p: -g(p), x0=[0.5, 0.5], method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-14})
    assert number(PAGE, "mc2_g_peak_x") == pytest.approx(best.x[0], abs=1e-6)
    assert number(PAGE, "mc2_g_peak_y") == pytest.approx(best.x[1], abs=1e-6)
    assert number(PAGE, "mc2_g_peak_value") == pytest.approx(-best.fun, rel=1e-9)


def test_exercise_calculating_the_jacobian():
    questions = {"a": (x**2 * y**3, (x, y), (1.0, -1.0)),
                 "b": (sp.exp(x) * sp.cos(y) + z**2, (x, y, z), (0.0, math.pi, 1.0)),
                 "c": (x * y * z + sp.log(1 + x**2), (x, y, z), (1.0, 2.0, 3.0))}
    for part, (question, variables, point) in questions.items():
        J = formula(f"mc2_ex_jac_{part}")
        assert_matches_fd(J, question, variables, [point, tuple(0.5 + np.arange(len(variables)))])
        at = np.array(formula(f"mc2_ex_jac_{part}_at"), dtype=float)
        np.testing.assert_allclose(at, jacobian_fd(numeric(question, variables), point), atol=1e-6)


# ---------------------------------------------------------------- the Jacobian applied
def warp(p):
    return np.array([p[0] + np.sin(p[1]) / 2, p[1] + np.sin(p[0]) / 2])


def test_linear_map_determinant():
    J = jacobian_fd(lambda p: np.array([2 * p[0] + 3 * p[1], 2 * p[0] - 2 * p[1]]), [0.3, -0.4])
    assert number(PAGE, "mc2_linear_det") == pytest.approx(np.linalg.det(J))
    assert number(PAGE, "mc2_linear_area_scale") == pytest.approx(abs(np.linalg.det(J)))


def test_warp_linearisation_and_area():
    x0 = np.array([1.0, 0.5])
    J0 = jacobian_fd(warp, x0)
    np.testing.assert_allclose(as_array("mc2_warp_J0"), J0, atol=1e-8)
    assert number(PAGE, "mc2_warp_det") == pytest.approx(np.linalg.det(J0), rel=1e-8)
    side = number(PAGE, "mc2_warp_side")
    # Area of the image of the square = integral of |det J| over it (the map is one-to-one).
    det = lambda v, u: abs(1 - 0.25 * math.cos(u) * math.cos(v))  # noqa: E731
    area, _ = integrate.dblquad(det, x0[0] - side / 2, x0[0] + side / 2,
                                x0[1] - side / 2, x0[1] + side / 2)
    assert number(PAGE, "mc2_warp_area_ratio") == pytest.approx(area / side**2, rel=1e-4)
    for name, s in [("mc2_warp_corner_error", side), ("mc2_warp_corner_error_half", side / 2)]:
        step = np.array([s, s]) / 2
        assert number(PAGE, name) == pytest.approx(
            np.linalg.norm(warp(x0 + step) - (warp(x0) + J0 @ step)), rel=1e-6)
    # The claim in the text: halving the step quarters the error (to within 10 per cent).
    ratio = number(PAGE, "mc2_warp_corner_error") / number(PAGE, "mc2_warp_corner_error_half")
    assert 3.6 < ratio < 4.4


def test_polar_jacobian_and_cell_areas():
    assert sp.simplify(formula("mc2_polar_det") - r) == 0
    polar = lambda p: np.array([p[0] * np.cos(p[1]), p[0] * np.sin(p[1])])  # noqa: E731
    for point in [(0.5, 0.3), (2.0, 2.0), (3.5, -1.0)]:
        assert np.linalg.det(jacobian_fd(polar, point)) == pytest.approx(point[0], rel=1e-6)
    d_r, d_theta = 0.5, math.pi / 8
    for r_start in (1, 3):
        exact, _ = integrate.dblquad(lambda rr, th: rr, 0, d_theta, r_start, r_start + d_r)
        assert number(PAGE, f"mc2_polar_cell_{r_start}") == pytest.approx(exact, rel=1e-9)
        assert number(PAGE, f"mc2_polar_estimate_{r_start}") == pytest.approx(
            r_start * d_r * d_theta, rel=1e-12)


def test_exercise_bigger_jacobians():
    spherical = sp.Matrix([r * sp.sin(theta) * sp.cos(phi), r * sp.sin(theta) * sp.sin(phi),
                           r * sp.cos(theta)])
    J = formula("mc2_ex_sph_J")
    assert_matches_fd(J, spherical, (r, theta, phi), [(2.0, math.pi / 3, math.pi / 4), (0.7, 2.0, -1.0)])
    det = sp.lambdify((r, theta, phi), formula("mc2_ex_sph_det"))
    f_sph = numeric(spherical, (r, theta, phi))
    for point in [(2.0, math.pi / 3, math.pi / 4), (1.3, 0.4, 2.5)]:
        assert det(*point) == pytest.approx(np.linalg.det(jacobian_fd(f_sph, point)), rel=1e-6)
    assert number(PAGE, "mc2_ex_sph_det_at") == pytest.approx(
        np.linalg.det(jacobian_fd(f_sph, (2.0, math.pi / 3, math.pi / 4))), rel=1e-6)

    uvw = sp.Matrix([x + 2 * y, 3 * y - z, x * z])
    assert_matches_fd(formula("mc2_ex_uvw_J"), uvw, (x, y, z), [(1.0, -1.0, 2.0), (0.2, 0.5, -3.0)])
    at = np.array(formula("mc2_ex_uvw_J_at"), dtype=float)
    J_fd = jacobian_fd(numeric(uvw, (x, y, z)), (1.0, -1.0, 2.0))
    np.testing.assert_allclose(at, J_fd, atol=1e-6)
    assert number(PAGE, "mc2_ex_uvw_det_at") == pytest.approx(np.linalg.det(J_fd), abs=1e-6)


# ---------------------------------------------------------------- the sandpit
CENTRES = [(1.0, 0.4), (-1.1, -0.9), (-0.9, 1.3)]
DEPTHS, WIDTHS = [1.0, 0.7, 0.55], [0.6, 0.5, 0.35]


def landscape(p):
    """The page's stated landscape, eq-mc2-sandpit, written out term by term."""
    value = 0.06 * (p[0]**2 + p[1]**2)
    for (cx, cy), depth, width in zip(CENTRES, DEPTHS, WIDTHS):
        value -= depth * math.exp(-((p[0] - cx)**2 + (p[1] - cy)**2) / width)
    return value


def test_sandpit_minima_are_the_landscapes_minima():
    minima = as_array("mc2_sandpit_minima")
    found = [optimize.minimize(landscape, c, method="Nelder-Mead",
                               options={"xatol": 1e-9, "fatol": 1e-13}) for c in CENTRES]
    found.sort(key=lambda res: res.fun)
    for glued_min, res in zip(minima, found):
        np.testing.assert_allclose(glued_min, res.x, atol=1e-5)
    depths = [number(PAGE, n) for n in ("mc2_sandpit_global_depth", "mc2_sandpit_local_depth_0",
                                        "mc2_sandpit_local_depth_1")]
    np.testing.assert_allclose(depths, [res.fun for res in found], rtol=1e-8)


def test_sandpit_walkers_end_where_the_gradient_flow_ends():
    starts = as_array("mc2_sandpit_start_points")
    grid = np.linspace(-2.4, 2.4, 6)
    expected_starts = np.array([(a, b) for b in grid for a in grid])
    np.testing.assert_allclose(starts, expected_starts)
    minima = as_array("mc2_sandpit_minima")

    # The gradient flow dp/ds = -grad f, with the gradient from SymPy (the page coded it by hand).
    depth = 0.06 * (x**2 + y**2) - sum(d * sp.exp(-((x - cx)**2 + (y - cy)**2) / w)
                                       for (cx, cy), d, w in zip(CENTRES, DEPTHS, WIDTHS))
    gradient = sp.lambdify((x, y), [sp.diff(depth, x), sp.diff(depth, y)])

    def flow(_, p):
        return [-g for g in gradient(*p)]

    ends = []
    for start in starts:
        solution = integrate.solve_ivp(flow, (0, 300), start, method="LSODA", rtol=1e-8, atol=1e-10)
        ends.append(int(np.argmin(np.linalg.norm(minima - solution.y[:, -1], axis=1))))
    assert literal(PAGE, "mc2_sandpit_end_minimum") == ends
    assert number(PAGE, "mc2_sandpit_starts") == len(starts)
    assert number(PAGE, "mc2_sandpit_global_count") == ends.count(0)
    assert number(PAGE, "mc2_sandpit_local_count") == len(ends) - ends.count(0)


# ---------------------------------------------------------------- the Hessian
def kind_from_eigenvalues(H) -> str:
    eigenvalues = np.linalg.eigvalsh(H)
    if np.all(eigenvalues > 0):
        return "minimum"
    if np.all(eigenvalues < 0):
        return "maximum"
    return "saddle point"


def stationary_points(f, box=2.0, n=9):
    """Zeros of the gradient of f found by SciPy's root finder from a grid of starts."""
    points = []
    for a in np.linspace(-box, box, n):
        for b in np.linspace(-box, box, n):
            sol = optimize.root(lambda p: jacobian_fd(f, p)[0], [a, b], tol=1e-12)
            if sol.success and np.max(np.abs(jacobian_fd(f, sol.x)[0])) < 1e-8:
                if not any(np.allclose(sol.x, q, atol=1e-5) for q in points):
                    points.append(sol.x)
    return sorted(points, key=lambda q: (round(q[0], 6), round(q[1], 6)))


def test_the_three_kinds_of_stationary_point():
    kinds = {"minimum": lambda p: p[0]**2 + p[1]**2, "maximum": lambda p: -p[0]**2 - p[1]**2,
             "saddle": lambda p: p[0]**2 - p[1]**2}
    for name, f in kinds.items():
        H = hessian_fd(f, [0.0, 0.0])
        assert number(PAGE, f"mc2_kind_{name}_det") == pytest.approx(np.linalg.det(H), rel=1e-5)
        assert number(PAGE, f"mc2_kind_{name}_fxx") == pytest.approx(H[0, 0], rel=1e-5)
        assert kind_from_eigenvalues(H).startswith(name)


def test_quartic_stationary_points_and_their_kinds():
    def quartic(p):
        return p[0]**4 + p[1]**4 - 4 * p[0] * p[1] + 1
    points = stationary_points(quartic)
    np.testing.assert_allclose(as_array("mc2_quartic_points"), points, atol=1e-6)
    kinds = [kind_from_eigenvalues(hessian_fd(quartic, q)) for q in points]
    assert literal(PAGE, "mc2_quartic_kinds") == kinds
    H0, H1 = hessian_fd(quartic, [0.0, 0.0]), hessian_fd(quartic, [1.0, 1.0])
    assert number(PAGE, "mc2_quartic_det_0") == pytest.approx(np.linalg.det(H0), rel=1e-5)
    assert number(PAGE, "mc2_quartic_det_1") == pytest.approx(np.linalg.det(H1), rel=1e-5)
    assert number(PAGE, "mc2_quartic_fxx_1") == pytest.approx(H1[0, 0], rel=1e-5)
    assert literal(PAGE, "mc2_quartic_kind_0") == kind_from_eigenvalues(H0)
    assert literal(PAGE, "mc2_quartic_kind_1") == kind_from_eigenvalues(H1)
    assert number(PAGE, "mc2_quartic_value_1") == pytest.approx(quartic([1.0, 1.0]))


def test_exercise_calculating_hessians():
    a = x**3 * sp.exp(y) - 2 * x * y**2
    H_a = formula("mc2_ex_hess_a")
    assert sp.simplify(H_a - sp.hessian(a, (x, y))) == sp.zeros(2, 2)
    np.testing.assert_allclose(np.array(formula("mc2_ex_hess_a_at"), dtype=float),
                               hessian_fd(numeric(a, (x, y)), [1.0, 0.0]), atol=1e-5)
    b = x * y * z + y**2 * sp.sin(z) + z**3
    H_b = formula("mc2_ex_hess_b")
    assert H_b == H_b.T, "a Hessian is symmetric"
    for point in [(0.5, -1.0, 2.0), (1.2, 0.3, -0.7)]:
        np.testing.assert_allclose(np.array(H_b.subs(dict(zip((x, y, z), point))), dtype=float),
                                   hessian_fd(numeric(b, (x, y, z)), point), atol=1e-5)

    def c(p):
        return p[0]**3 - 3 * p[0] + p[1]**2 - 2 * p[1]
    points = stationary_points(c)
    np.testing.assert_allclose(as_array("mc2_ex_hess_c_points"), points, atol=1e-6)
    for k, q in enumerate(points):
        H = hessian_fd(c, q)
        assert number(PAGE, f"mc2_ex_hess_c_det_{k}") == pytest.approx(np.linalg.det(H), rel=1e-5)
        assert literal(PAGE, f"mc2_ex_hess_c_kind_{k}") == kind_from_eigenvalues(H)
        assert number(PAGE, f"mc2_ex_hess_c_value_{k}") == pytest.approx(c(q))


# ---------------------------------------------------------------- reality is hard
def test_numerical_jacobians_agree_with_exact_ones():
    exact_g = np.array(sp.Matrix([G]).jacobian([x, y]).subs({x: -1, y: 1}), dtype=float).ravel()
    np.testing.assert_allclose(as_array("mc2_numjac_g"), exact_g, atol=1e-9)
    assert number(PAGE, "mc2_numjac_error") == pytest.approx(
        np.max(np.abs(as_array("mc2_numjac_g") - exact_g)), rel=1e-3, abs=1e-15)
    exact_warp = np.array([[1, 0.5 * math.cos(0.5)], [0.5 * math.cos(1.0), 1]])
    np.testing.assert_allclose(as_array("mc2_numjac_warp"), exact_warp, atol=1e-9)


def test_step_size_trade_off():
    eps = np.finfo(float).eps
    assert number(PAGE, "mc2_eps") == eps
    assert number(PAGE, "mc2_theory_h_forward") == pytest.approx(math.sqrt(2 * eps), rel=1e-12)
    assert number(PAGE, "mc2_theory_h_central") == pytest.approx(
        (3 * eps * math.sin(1) / math.cos(1))**(1 / 3), rel=1e-12)
    # The measured optima sit near the theory's, within a factor of ten.
    for kind in ("forward", "central"):
        ratio = number(PAGE, f"mc2_best_h_{kind}") / number(PAGE, f"mc2_theory_h_{kind}")
        assert 0.1 < ratio < 10, kind
    # Best errors: about sqrt(eps) for forward, eps^(2/3) for central.
    assert 1e-10 < number(PAGE, "mc2_best_err_forward") < 1e-7
    assert 1e-14 < number(PAGE, "mc2_best_err_central") < 1e-10
    assert number(PAGE, "mc2_best_err_ratio") == pytest.approx(
        number(PAGE, "mc2_best_err_forward") / number(PAGE, "mc2_best_err_central"))
    tiny = 1e-15
    assert number(PAGE, "mc2_err_forward_tiny_h") == pytest.approx(
        abs((math.sin(1 + tiny) - math.sin(1)) / tiny - math.cos(1)), rel=1e-12)


def test_exercise_step_size():
    errors = []
    for k, h in enumerate([0.1, 1e-4, 1e-12]):
        estimate = (math.exp(h) - 1) / h
        assert number(PAGE, f"mc2_ex_fd_estimate_{k}") == pytest.approx(estimate, rel=1e-14)
        assert number(PAGE, f"mc2_ex_fd_error_{k}") == pytest.approx(abs(estimate - 1), rel=1e-9)
        errors.append(abs(estimate - 1))
    # The solution's claims: truncation halves... h/2 for large steps; round-off wins at 1e-12.
    assert errors[0] == pytest.approx(0.1 / 2, rel=0.05)
    assert errors[1] == pytest.approx(1e-4 / 2, rel=0.01)
    assert errors[2] > errors[1]
    assert number(PAGE, "mc2_ex_fd_ratio_01") == pytest.approx(errors[0] / errors[1])
    assert number(PAGE, "mc2_ex_fd_central_error") < 1e-9


# ---------------------------------------------------------------- derivatives of data
def test_terrain_spacing_and_slopes():
    dem = cbook.get_sample_data("jacksboro_fault_dem.npz")
    z_ = dem["elevation"].astype(float)
    arc = float(dem["dx"])
    lat = math.radians(0.5 * (float(dem["ymin"]) + float(dem["ymax"])))
    earth = 6_371_000.0
    # Great-circle (haversine) distances between neighbouring samples.
    def haversine(dlat, dlon):
        a = math.sin(dlat / 2)**2 + math.cos(lat)**2 * math.sin(dlon / 2)**2
        return 2 * earth * math.asin(math.sqrt(a))
    assert number(PAGE, "mc2_dem_dy") == pytest.approx(haversine(math.radians(arc), 0), rel=1e-6)
    assert number(PAGE, "mc2_dem_dx") == pytest.approx(haversine(0, math.radians(arc)), rel=1e-4)
    assert number(PAGE, "mc2_dem_arcsec") == pytest.approx(3.0)

    dy_m, dx_m = number(PAGE, "mc2_dem_dy"), number(PAGE, "mc2_dem_dx")

    def derivative(values, spacing, axis):
        """Central differences inside, one-sided at the two edges, written out."""
        v = np.moveaxis(values, axis, 0)
        d = np.empty_like(v)
        d[1:-1] = (v[2:] - v[:-2]) / (2 * spacing)
        d[0] = (v[1] - v[0]) / spacing
        d[-1] = (v[-1] - v[-2]) / spacing
        return np.moveaxis(d, 0, axis)

    slope = np.hypot(derivative(z_, dy_m, 0), derivative(z_, dx_m, 1))
    assert number(PAGE, "mc2_dem_max_slope_percent") == pytest.approx(100 * slope.max(), rel=1e-9)
    assert number(PAGE, "mc2_dem_max_slope_degrees") == pytest.approx(
        math.degrees(math.atan(slope.max())), rel=1e-9)
    assert number(PAGE, "mc2_dem_mean_slope_percent") == pytest.approx(100 * slope.mean(), rel=1e-9)
    assert number(PAGE, "mc2_dem_noise_slope_percent") == pytest.approx(100 * 0.5 / (2 * dx_m))

    row = int(number(PAGE, "mc2_dem_profile_row"))
    wide = int(number(PAGE, "mc2_dem_wide_cells"))
    profile = z_[row]
    np.testing.assert_array_equal(as_array("mc2_dem_profile"), profile)
    narrow = derivative(profile, dx_m, 0)[wide:-wide]
    far = np.array([(profile[i + wide] - profile[i - wide]) / (2 * wide * dx_m)
                    for i in range(wide, profile.size - wide)])
    np.testing.assert_allclose(as_array("mc2_dem_slope_wide"), far, rtol=1e-12)
    assert number(PAGE, "mc2_dem_rms_narrow") == pytest.approx(100 * np.sqrt(np.mean(narrow**2)))
    assert number(PAGE, "mc2_dem_rms_wide") == pytest.approx(100 * np.sqrt(np.mean(far**2)))
    assert number(PAGE, "mc2_dem_rms_wide") < number(PAGE, "mc2_dem_rms_narrow")
