"""Course 2, week 3 (multivariate chain rule and neural networks): every derivative,
chain-rule product, gradient and worked answer the page glues, checked by a different
route than the page took: sympy differentiates the composed functions symbolically,
scipy.special.expit stands in for the page's logistic function, gradients are
recomputed by central finite differences of a per-example loop, and scipy.optimize
finds the optimum gradient descent should approach."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit

from tests.book.glued import array, number

PAGE = "book/multivariate-calculus/week3-chain-rule-and-neural-networks"


def g(name: str) -> float:
    return number(PAGE, name)


def a(name: str) -> np.ndarray:
    return array(PAGE, name)


t = sp.symbols("t")


# ---------------------------------------------------------------- the chain rule
def test_walk_derivative_matches_sympy():
    """df/dt for f(x, y) = x^2 y + sin y along x(t) = 1.5 (cos t, sin t)."""
    x, y = 1.5 * sp.cos(t), 1.5 * sp.sin(t)
    composed = x**2 * y + sp.sin(y)
    t0 = g("mc3_t0")
    exact = float(sp.diff(composed, t).subs(t, t0))
    assert g("mc3_dfdt") == pytest.approx(exact, rel=1e-12)
    assert g("mc3_dfdt_numeric") == pytest.approx(exact, rel=1e-7)


def test_walk_jacobian_and_velocity_match_sympy():
    X, Y = sp.symbols("x y")
    f = X**2 * Y + sp.sin(Y)
    t0 = g("mc3_t0")
    point = np.array([1.5 * np.cos(t0), 1.5 * np.sin(t0)])
    np.testing.assert_allclose(a("mc3_x0"), point, rtol=1e-12)
    gradient = [float(sp.diff(f, v).subs({X: point[0], Y: point[1]})) for v in (X, Y)]
    np.testing.assert_allclose(a("mc3_jac0"), gradient, rtol=1e-12)
    velocity = [float(sp.diff(c, t).subs(t, t0)) for c in (1.5 * sp.cos(t), 1.5 * sp.sin(t))]
    np.testing.assert_allclose(a("mc3_vel0"), velocity, rtol=1e-12, atol=1e-15)


def test_walk_angle_between_gradient_and_velocity():
    jac, vel = a("mc3_jac0"), a("mc3_vel0")
    # angle from the 2-D cross and dot products (atan2), not from arccos of the cosine
    angle = np.degrees(abs(np.arctan2(jac[0] * vel[1] - jac[1] * vel[0], jac @ vel)))
    assert g("mc3_angle_deg") == pytest.approx(angle, rel=1e-9)
    assert g("mc3_path_coeff") == pytest.approx(float(sp.Rational(3, 2)**3))


def test_chain_of_jacobians_matches_sympy():
    """f(x(u(t))) with u = (cos t, sin t), x = (u1 + u2, u1 u2, u2^2), f = x1^2 + x2 x3."""
    u1, u2 = sp.symbols("u1 u2")
    x_of_u = sp.Matrix([u1 + u2, u1 * u2, u2**2])
    x1, x2, x3 = sp.symbols("x1 x2 x3")
    f = x1**2 + x2 * x3
    t0 = sp.pi / 6
    assert g("mc3_chain_t0") == pytest.approx(float(t0))

    u_at = {u1: sp.cos(t0), u2: sp.sin(t0)}
    x_at = dict(zip((x1, x2, x3), x_of_u.subs(u_at)))
    J_f = sp.Matrix([f]).jacobian([x1, x2, x3]).subs(x_at)
    J_x = x_of_u.jacobian([u1, u2]).subs(u_at)
    J_u = sp.Matrix([sp.cos(t), sp.sin(t)]).diff(t).subs(t, t0)
    np.testing.assert_allclose(a("mc3_chain_x0"), np.array(x_of_u.subs(u_at), dtype=float).ravel())
    np.testing.assert_allclose(a("mc3_chain_Jf"), np.array(J_f, dtype=float), atol=1e-14)
    np.testing.assert_allclose(a("mc3_chain_Jx"), np.array(J_x, dtype=float), atol=1e-14)
    np.testing.assert_allclose(a("mc3_chain_Ju"), np.array(J_u, dtype=float), atol=1e-14)

    # df/du of the composition f(x(u)), differentiated directly, is the row J_f J_x
    f_of_u = f.subs({x1: x_of_u[0], x2: x_of_u[1], x3: x_of_u[2]})
    df_du = [float(sp.diff(f_of_u, v).subs(u_at)) for v in (u1, u2)]
    np.testing.assert_allclose(a("mc3_chain_Jf_Jx").ravel(), df_du, rtol=1e-12)

    # and df/dt of the whole composition, differentiated in one go
    f_of_t = f_of_u.subs({u1: sp.cos(t), u2: sp.sin(t)})
    exact = float(sp.diff(f_of_t, t).subs(t, t0))
    assert g("mc3_chain_dfdt") == pytest.approx(exact, rel=1e-12)
    assert g("mc3_chain_dfdt_numeric") == pytest.approx(exact, rel=1e-7)


# ---------------------------------------------------------------- neurons
def test_logistic_derivative_peak():
    # numerical maximum of a finite-difference derivative of scipy's logistic
    h = 1e-5
    slope = lambda z: (expit(z + h) - expit(z - h)) / (2 * h)
    best = minimize_scalar(lambda z: -slope(z), bounds=(-5, 5), method="bounded")
    assert abs(best.x) < 1e-3
    assert g("mc3_dsigma_max") == pytest.approx(slope(best.x), rel=1e-6)


def test_not_neuron():
    assert g("mc3_not_out0") == pytest.approx(expit(5.0), rel=1e-12)
    assert g("mc3_not_out1") == pytest.approx(expit(-5.0), rel=1e-12)
    assert g("mc3_not_out0") > 0.99 and g("mc3_not_out1") < 0.01


def test_xor_network_outputs_xor():
    inputs = [(0, 0), (0, 1), (1, 0), (1, 1)]
    expected = []
    for a1, a2 in inputs:   # the hand-set weights of the page, one example at a time
        h_or = expit(20 * a1 + 20 * a2 - 10)
        h_nand = expit(-20 * a1 - 20 * a2 + 30)
        expected.append(expit(20 * h_or + 20 * h_nand - 30))
    out = a("mc3_xor_out")
    np.testing.assert_allclose(out, expected, rtol=1e-9)
    np.testing.assert_array_equal(np.round(out), [a1 ^ a2 for a1, a2 in inputs])


def _bump_error(n_bumps: int, steepness: float) -> float:
    """Largest gap between sin x + 0.3 x and the hand-built bump network on [0, 2 pi]."""
    target = lambda x: np.sin(x) + 0.3 * x
    xs = np.linspace(0, 2 * np.pi, 400)
    cuts = np.linspace(0, 2 * np.pi, n_bumps + 1)
    total = np.zeros_like(xs)
    for k in range(n_bumps):
        left = -2.0 if k == 0 else cuts[k]
        right = 2 * np.pi + 2.0 if k == n_bumps - 1 else cuts[k + 1]
        height = target((cuts[k] + cuts[k + 1]) / 2)
        total += height * (expit(steepness * (xs - left)) - expit(steepness * (xs - right)))
    return float(np.max(np.abs(total - target(xs))))


def test_bump_network_errors():
    hidden = int(g("mc3_bump_hidden"))
    steepness = g("mc3_bump_steepness")
    assert g("mc3_bump_error") == pytest.approx(_bump_error(hidden // 2, steepness), rel=1e-9)
    assert g("mc3_bump_error_double") == pytest.approx(_bump_error(hidden, steepness), rel=1e-9)
    assert g("mc3_bump_hidden_double") == 2 * hidden
    assert g("mc3_bump_error_double") < g("mc3_bump_error")


# ---------------------------------------------------------------- training one neuron
def _toy_cost(params, x, y):
    return float(np.mean((expit(params[0] * x + params[1]) - y) ** 2))


def test_single_neuron_descent_reaches_the_scipy_optimum():
    x, y = a("mc3_toy_x"), a("mc3_toy_y")
    assert x.size == g("mc3_toy_n")
    start, end = a("mc3_toy_start"), a("mc3_toy_end")
    assert g("mc3_toy_cost_start") == pytest.approx(_toy_cost(start, x, y), rel=1e-12)
    assert g("mc3_toy_cost_end") == pytest.approx(_toy_cost(end, x, y), rel=1e-12)
    assert (g("mc3_toy_w_end"), g("mc3_toy_b_end")) == tuple(end)
    best = minimize(_toy_cost, x0=start, args=(x, y), method="BFGS", options={"gtol": 1e-12})
    assert best.fun <= g("mc3_toy_cost_end") + 1e-12
    np.testing.assert_allclose(end, best.x, atol=1e-4)
    assert g("mc3_toy_cost_end") == pytest.approx(best.fun, rel=1e-6)


# ---------------------------------------------------------------- the 2-4-1 network
NAMES = ("W1", "b1", "W2", "b2")


def _network_cost(params, X, Y):
    """Mean over examples of the summed squared output errors, one example at a time."""
    total = 0.0
    for k in range(X.shape[1]):
        hidden = expit(params["W1"] @ X[:, k] + params["b1"].ravel())
        output = expit(params["W2"] @ hidden + params["b2"].ravel())
        total += np.sum((output - Y[:, k]) ** 2)
    return total / X.shape[1]


def test_backpropagation_matches_finite_differences():
    X, Y = a("mc3_nn_X"), a("mc3_nn_Y")
    assert X.shape == (2, g("mc3_nn_n_points")) and Y.shape == (1, X.shape[1])
    params = {name: a(f"mc3_nn_init_{name}") for name in NAMES}
    assert sum(p.size for p in params.values()) == g("mc3_nn_n_params")
    assert g("mc3_nn_cost0") == pytest.approx(_network_cost(params, X, Y), rel=1e-12)
    h = 1e-5
    worst = 0.0
    for name in NAMES:
        glued_grad = a(f"mc3_nn_grad_{name}")
        assert glued_grad.shape == params[name].shape
        for index in np.ndindex(params[name].shape):
            up = {k: v.copy() for k, v in params.items()}
            down = {k: v.copy() for k, v in params.items()}
            up[name][index] += h
            down[name][index] -= h
            numeric = (_network_cost(up, X, Y) - _network_cost(down, X, Y)) / (2 * h)
            assert glued_grad[index] == pytest.approx(numeric, rel=1e-5, abs=1e-9), (name, index)
            worst = max(worst, abs(glued_grad[index] - numeric))
    assert g("mc3_nn_grad_worst") < 1e-8 and worst < 1e-8


def test_training_lowered_the_cost_and_classifies_the_disc():
    X, Y = a("mc3_nn_X"), a("mc3_nn_Y")
    np.testing.assert_array_equal(Y[0], (np.hypot(X[0], X[1]) < 1.2).astype(float))
    trained = {name: a(f"mc3_nn_trained_{name}") for name in NAMES}
    assert g("mc3_nn_cost_end") == pytest.approx(_network_cost(trained, X, Y), rel=1e-10)
    assert g("mc3_nn_cost_start") == pytest.approx(g("mc3_nn_cost0"))
    assert g("mc3_nn_cost_end") < 0.2 * g("mc3_nn_cost_start")
    hidden = expit(trained["W1"] @ X + trained["b1"])
    output = expit(trained["W2"] @ hidden + trained["b2"])
    accuracy = 100 * np.mean((output > 0.5) == (Y > 0.5))
    assert g("mc3_nn_accuracy_pct") == pytest.approx(accuracy)
    assert accuracy > 90


# ---------------------------------------------------------------- exercises
def test_exercise_chain_rule():
    x, y, z = t**2, 1 + t, sp.exp(-t)
    f = x * y**2 + z
    assert g("mc3_ex1_answer") == pytest.approx(float(sp.diff(f, t).subs(t, 1)), rel=1e-12)
    X, Y, Z = sp.symbols("x y z")
    F = X * Y**2 + Z
    jac = [float(sp.diff(F, v).subs({X: 1, Y: 2, Z: sp.exp(-1)})) for v in (X, Y, Z)]
    np.testing.assert_allclose(a("mc3_ex1_jac"), jac)


def test_exercise_jacobian_chain():
    u1, u2 = t, t**2
    f = (u1 + u2) ** 2 + (u1 - u2) ** 2
    exact = float(sp.diff(f, t).subs(t, 1))
    assert g("mc3_ex2_answer") == pytest.approx(exact)
    assert g("mc3_ex2_check") == pytest.approx(exact)


def test_exercise_layer():
    W = [[1, -2, 0.5], [0, 1, 1]]
    b = [0.5, -1]
    a0 = [1, 0.5, 2]
    expected = [expit(sum(w * x for w, x in zip(row, a0)) + bias) for row, bias in zip(W, b)]
    np.testing.assert_allclose(a("mc3_ex3_answer"), expected, rtol=1e-12)


def test_exercise_logic_neuron_is_and():
    out = a("mc3_ex4_answer")
    expected = [expit(10 * p + 10 * q - 15) for p, q in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    np.testing.assert_array_equal(np.round(out), [0, 0, 0, 1])


def test_exercise_single_neuron_gradient():
    cost = lambda w, b: (expit(w * 0.5 + b) - 1.0) ** 2
    h = 1e-6
    dw = (cost(2 + h, -1) - cost(2 - h, -1)) / (2 * h)
    db = (cost(2, -1 + h) - cost(2, -1 - h)) / (2 * h)
    assert g("mc3_ex5_dC_dw") == pytest.approx(dw, rel=1e-7)
    assert g("mc3_ex5_dC_db") == pytest.approx(db, rel=1e-7)
    assert g("mc3_ex5_z") == 0.0 and g("mc3_ex5_a") == pytest.approx(expit(0.0))


def test_exercise_backprop_through_two_neurons():
    w1, w2, b1, b2, a0, y = sp.symbols("w1 w2 b1 b2 a0 y")
    s = lambda z: 1 / (1 + sp.exp(-z))
    a1 = s(w1 * a0 + b1)
    a2 = s(w2 * a1 + b2)
    C = (a2 - y) ** 2
    values = {a0: 1, w1: sp.Rational(1, 2), b1: 0, w2: -1, b2: sp.Rational(1, 2), y: 0}
    assert g("mc3_ex6_a1") == pytest.approx(float(a1.subs(values)), rel=1e-12)
    assert g("mc3_ex6_a2") == pytest.approx(float(a2.subs(values)), rel=1e-12)
    assert g("mc3_ex6_dC_dw2") == pytest.approx(float(sp.diff(C, w2).subs(values)), rel=1e-12)
    assert g("mc3_ex6_dC_dw1") == pytest.approx(float(sp.diff(C, w1).subs(values)), rel=1e-12)
    assert g("mc3_ex6_delta2") == pytest.approx(float(sp.diff(C, b2).subs(values)), rel=1e-12)
