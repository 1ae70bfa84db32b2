"""The sandpit labs' tools: landscapes (mml.widgets.landscapes), the find-the-phone game
(mml.widgets.sandpit) and gradient descent (mml.widgets.descent).

The analytic Jacobians and Hessians are checked against finite differences of f, the
minima the code finds against scipy.optimize run from many starts (with numerical
gradients, so it does not share the code's derivatives), and the widgets are driven as
a student drives them: every changed input must change the drawn figure or the message.
"""
from __future__ import annotations

import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Annotation
from scipy.optimize import minimize, root

from mml.widgets.descent import (RULES, STUDENT, DescentSandpit, draw_descent, fixed_step,
                                 newton_step, next_step, run_descent, start_grid, steepest_step)
from mml.widgets.landscapes import (LANDSCAPES, PART_1, PART_2, SEEDED, Bowl, Landscape,
                                    make_landscape)
from mml.widgets.sandpit import MODES, TOLERANCE, Sandpit, draw_sandpit, probe_report
from tests.conftest import ROOT
from tests.lab_notebooks import committed_without_outputs, run_lab

matplotlib.use("Agg")

# Every landscape of the labs, the random ones with a few seeds.
CASES = [(name, seed) for name in LANDSCAPES for seed in ((0, 1, 7) if name in SEEDED else (0,))]
CASE_IDS = [f"{name}-{seed}" for name, seed in CASES]


def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def random_points(landscape, count=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-landscape.half_width, landscape.half_width, size=(count, 2))


# ---------------------------------------------------------------- derivatives

def central_jacobian(f, p, h=1e-6):
    return np.array([(f(p + step) - f(p - step)) / (2 * h) for step in h * np.eye(2)])


def second_differences(f, p, h=1e-4):
    """The Hessian from values of f alone: (f(++) - f(+-) - f(-+) + f(--)) / 4h^2."""
    e = h * np.eye(2)
    return np.array([[(f(p + e[i] + e[j]) - f(p + e[i] - e[j]) - f(p - e[i] + e[j])
                       + f(p - e[i] - e[j])) / (4 * h * h) for j in range(2)] for i in range(2)])


@pytest.mark.parametrize("name, seed", CASES, ids=CASE_IDS)
def test_jacobian_matches_central_differences(name, seed):
    sand = make_landscape(name, seed)
    for p in random_points(sand, seed=seed):
        J = sand.jacobian(p)
        assert J.shape == (2,)
        scale = max(1.0, np.abs(J).max())
        assert J == pytest.approx(central_jacobian(sand.f, p), abs=1e-6 * scale), p


@pytest.mark.parametrize("name, seed", CASES, ids=CASE_IDS)
def test_hessian_matches_second_differences_of_f(name, seed):
    sand = make_landscape(name, seed)
    for p in random_points(sand, count=25, seed=seed + 1):
        H = sand.hessian(p)
        assert H.shape == (2, 2)
        assert H == pytest.approx(H.T), "a Hessian is symmetric"
        scale = max(1.0, np.abs(H).max())
        assert H == pytest.approx(second_differences(sand.f, p), abs=1e-4 * scale), p


@pytest.mark.parametrize("name", LANDSCAPES)
def test_a_grid_evaluates_like_single_points(name):
    sand = make_landscape(name, 3)
    points = random_points(sand, count=12).reshape(3, 4, 2)
    heights, J, H = sand.f(points), sand.jacobian(points), sand.hessian(points)
    assert heights.shape == (3, 4) and J.shape == (3, 4, 2) and H.shape == (3, 4, 2, 2)
    for index in np.ndindex(3, 4):
        assert heights[index] == pytest.approx(sand.f(points[index]))
        assert J[index] == pytest.approx(sand.jacobian(points[index]))
        assert H[index] == pytest.approx(sand.hessian(points[index]))


def test_landscapes_are_refused_by_unknown_name_and_seeds_matter():
    with pytest.raises(ValueError):
        make_landscape("quicksand")
    for name in SEEDED:
        assert make_landscape(name, 1).f(np.zeros(2)) != make_landscape(name, 2).f(np.zeros(2))
    for name in set(LANDSCAPES) - set(SEEDED):
        assert make_landscape(name, 1).f(np.zeros(2)) == make_landscape(name, 2).f(np.zeros(2))
    assert set(PART_1) | set(PART_2) == set(LANDSCAPES) and not set(PART_1) & set(PART_2)


# ---------------------------------------------------------------- minima

def nelder_mead(f, start, size=0.005):
    """scipy's derivative-free Nelder-Mead from a small simplex at `start` (the default
    simplex, 5 % of the coordinates, can straddle a small rock on rocky sand, and even a
    0.02 simplex walks out of a shallow hollow of very rocky sand)."""
    simplex = start + size * np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    return minimize(f, start, method="Nelder-Mead",
                    options={"initial_simplex": simplex, "xatol": 1e-9, "fatol": 1e-14,
                             "maxiter": 4000}).x


@pytest.mark.parametrize("name, seed", CASES, ids=CASE_IDS)
def test_the_global_minimum_beats_scipy_from_many_starts(name, seed):
    """200 bounded L-BFGS-B runs with numerical gradients (scipy's own finite
    differences, not the landscape's Jacobian) find nothing lower than the phone, and
    the best of them lands on it."""
    sand = make_landscape(name, seed)
    w = sand.half_width
    results = [minimize(sand.f, start, method="L-BFGS-B", bounds=[(-w, w)] * 2)
               for start in random_points(sand, count=200, seed=100 + seed)]
    best = min(results, key=lambda r: r.fun)
    phone, depth = sand.global_minimum, sand.minima.heights[0]
    assert depth <= best.fun + 1e-9, f"scipy found {best.fun} at {best.x}, below {depth} at {phone}"
    assert best.x == pytest.approx(phone, abs=1e-3)


@pytest.mark.parametrize("name, seed", CASES, ids=CASE_IDS)
def test_every_listed_minimum_is_a_local_minimum(name, seed):
    """Judged from values of f alone: lower than every point on a small ring around it,
    and polished by scipy (Nelder-Mead, no derivatives) back onto itself."""
    sand = make_landscape(name, seed)
    minima = sand.minima
    assert np.all(np.diff(minima.heights) >= 0), "deepest first"
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    ring = 1e-3 * np.column_stack([np.cos(angles), np.sin(angles)])
    for p, height in zip(minima.points, minima.heights):
        assert height == pytest.approx(sand.f(p))
        assert np.all(sand.f(p + ring) > height), p
        polished = nelder_mead(sand.f, p + 0.003)
        assert polished == pytest.approx(p, abs=1e-4)
    pairs = np.linalg.norm(minima.points[:, None] - minima.points[None], axis=-1)
    assert np.all(pairs[~np.eye(len(pairs), dtype=bool)] > 1e-4), "each minimum is listed once"


def test_minima_with_known_closed_forms():
    # single well: a bowl and a hollow sharing one centre; its lowest point is that centre
    single = make_landscape("single well")
    assert single.global_minimum == pytest.approx([0.9, -0.7], abs=1e-7)
    assert single.minima.heights[0] == pytest.approx(-1.2)
    assert len(single.minima.heights) == 1
    # Rosenbrock's valley k((a - u)^2 + b(v - u^2)^2), (u, v) = p / s, bottoms out at s(a, a^2)
    valley = make_landscape("long valley")
    assert valley.global_minimum == pytest.approx([1.5, 1.5], abs=1e-6)
    assert valley.minima.heights[0] == pytest.approx(0.0, abs=1e-12)


def test_the_multiple_landscapes_have_several_hollows():
    for name in ("multiple minima", "twin hollows", "needle in the sand", "rocky", "very rocky"):
        assert len(make_landscape(name).minima.heights) >= 2, name


# ---------------------------------------------------------------- probing

def test_probing_the_phone_finds_it_and_other_hollows_are_stuck():
    for name, seed in CASES:
        sand = make_landscape(name, seed)
        assert probe_report(sand, sand.global_minimum + [0.6 * TOLERANCE, 0]).status == "found"
        for p in sand.minima.points[1:]:
            probe = probe_report(sand, p, "Jacobian")
            assert probe.status == "stuck", (name, p)
            assert "not the deepest" in probe.message


def test_a_probe_reports_what_its_mode_allows():
    sand = make_landscape("multiple minima")
    p = np.array([0.5, -1.0])
    depth, jac, hess = (probe_report(sand, p, mode) for mode in MODES)
    f_text = f"{sand.f(p):.3g}".replace("-", "\u2212")
    for probe in (depth, jac, hess):
        assert probe.status == "searching"
        assert f_text in probe.message
        assert probe.jacobian == pytest.approx(central_jacobian(sand.f, p), abs=1e-6)
    assert "Jacobian" not in depth.message and "Hessian" not in depth.message
    assert "Jacobian" in jac.message and "Hessian" not in jac.message
    assert "Hessian eigenvalues" in hess.message
    eigenvalues = np.linalg.eigvalsh(second_differences(sand.f, p))
    assert hess.curvatures == pytest.approx(eigenvalues, abs=1e-4)


def test_a_saddle_between_hollows_is_level_sand_and_called_a_saddle():
    sand = make_landscape("multiple minima")
    # the saddle between the two deepest hollows, found by scipy as a zero of J
    a, b = sand.minima.points[:2]
    saddle = root(sand.jacobian, (a + b) / 2).x
    eigenvalues = np.linalg.eigvalsh(second_differences(sand.f, saddle))
    assert eigenvalues[0] < 0 < eigenvalues[1], "scipy's stationary point should be a saddle"
    probe = probe_report(sand, saddle, "Hessian")
    assert probe.status == "level"
    assert "saddle" in probe.message
    assert probe.newton_point is None


def test_the_newton_point_of_a_quadratic_bowl_is_its_bottom():
    centre = np.array([0.7, -1.1])
    A = np.array([[2.0, 0.6], [0.6, 0.5]])
    bowl = Landscape("bowl", "a quadratic bowl", (Bowl(centre, A),))
    for p in random_points(bowl, count=10):
        probe = probe_report(bowl, p, "Hessian")
        assert probe.newton_point == pytest.approx(centre)
        assert probe.bowl_shaped


@pytest.mark.parametrize("point", [(3.5, 0.0), (0.0, -3.01), (np.nan, 0.0), (1.0, 2.0, 3.0)])
def test_probes_outside_the_sandpit_are_refused(point):
    with pytest.raises(ValueError):
        probe_report(make_landscape("single well"), point)


def arrows(ax):
    return [t for t in ax.texts if isinstance(t, Annotation) and t.arrow_patch is not None]


def test_the_drawing_shows_the_instruments_of_the_mode():
    sand = make_landscape("multiple minima")
    points = [(-2.0, 2.0), (0.5, -1.0), (1.0, 0.0)]
    for mode in MODES:
        probes = [probe_report(sand, p, mode) for p in points]
        fig = draw_sandpit(sand, probes, mode)
        try:
            ax_map, ax_history = fig.axes[:2]
            assert len(arrows(ax_map)) == (0 if mode == "depth only" else len(points))
            crosses = [line for line in ax_map.get_lines() if len(line.get_xdata()) == 2
                       and line.get_linestyle() in ("-", "--")]
            assert len(crosses) == (2 * len(points) if mode == "Hessian" else 0)
            history = ax_history.get_lines()[0]
            assert list(history.get_ydata()) == pytest.approx([sand.f(np.array(p)) for p in points])
        finally:
            plt.close(fig)


def test_the_sand_is_hidden_until_revealed():
    sand = make_landscape("twin hollows")
    hidden, shown = draw_sandpit(sand, reveal=False), draw_sandpit(sand, reveal=True)
    try:
        assert not hidden.axes[0].collections
        assert shown.axes[0].collections, "the revealed map has filled contours"
        stars = [line for line in shown.axes[0].get_lines() if line.get_marker() == "*"]
        assert len(stars) == 1 and stars[0].get_xydata()[0] == pytest.approx(sand.global_minimum)
    finally:
        plt.close(hidden)
        plt.close(shown)


# ---------------------------------------------------------------- the game widget

def test_typing_a_point_and_pressing_probe_draws_it():
    game = Sandpit()
    assert game.status == "new" and game.probes == []
    before_png, before_message = png_bytes(game.figure), game.message.value
    game.x_box.value, game.y_box.value = -1.5, 2.0
    game.probe_button.click()
    assert len(game.probes) == 1
    assert game.probes[0].point == pytest.approx([-1.5, 2.0])
    assert game.message.value != before_message and "Probe 1" in game.message.value
    assert png_bytes(game.figure) != before_png


def test_changing_the_instrument_changes_the_picture_and_the_message():
    game = Sandpit(landscape="multiple minima")
    game.probe(-2.0, 2.0)
    game.probe(0.5, -1.0)
    seen_png, seen_messages = set(), set()
    for mode in MODES:
        game.mode_buttons.value = mode          # as a click on the instrument buttons
        assert all(probe.mode == mode for probe in game.probes)
        seen_png.add(png_bytes(game.figure))
        seen_messages.add(game.message.value)
    assert len(seen_png) == 3 and len(seen_messages) == 3


def test_finding_the_phone_reveals_the_sand():
    game = Sandpit(landscape="single well", mode="Jacobian")
    game.probe(-2.0, 2.0)
    assert game.status == "searching" and not game.reveal_box.value
    phone = game.landscape.global_minimum
    game.probe(*(phone + [0.05, -0.05]))
    assert game.status == "found"
    assert game.reveal_box.value, "finding the phone should reveal the sand"
    assert "Found it!" in game.message.value


def test_getting_stuck_is_announced():
    game = Sandpit(landscape="multiple minima", mode="Hessian")
    hollow = game.landscape.minima.points[1]
    game.probe(*hollow)
    assert game.status == "stuck"
    assert "Stuck" in game.message.value


def test_a_new_landscape_or_seed_starts_a_new_game():
    game = Sandpit(landscape="single well")
    game.probe(1.0, 1.0)
    png = png_bytes(game.figure)
    game.landscape_menu.value = "random"
    assert game.probes == [] and game.status == "new"
    assert not game.seed_box.disabled
    phone = game.landscape.global_minimum.copy()
    png_random = png_bytes(game.figure)
    assert png_random != png
    game.reveal_box.value = True
    revealed = png_bytes(game.figure)
    assert revealed != png_random
    game.seed_box.value = 5
    assert not np.allclose(game.landscape.global_minimum, phone), "a new seed is new sand"
    assert not game.reveal_box.value, "a new game hides the sand again"
    game.landscape_menu.value = "rocky"
    game.landscape_menu.value = "multiple minima"
    assert game.seed_box.disabled, "the seed only matters for the random landscapes"


def test_new_game_and_probe_many():
    game = Sandpit(landscapes=PART_2, mode="Hessian")
    assert game.landscape.name == PART_2[0]
    probes = game.probe_many([(0.0, 0.0), (1.0, 1.0), (-1.0, 2.0)])
    assert len(probes) == len(game.probes) == 3
    assert game.x_box.value == -1.0 and game.y_box.value == 2.0
    assert "Probe 3" in game.message.value
    game.new_button.click()
    assert game.probes == [] and game.status == "new"


def test_the_game_displays_as_an_ipywidget():
    bundle = Sandpit()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---------------------------------------------------------------- step rules and walks

def bowl_landscape():
    return Landscape("bowl", "a quadratic bowl",
                     (Bowl(np.array([0.5, -0.4]), np.array([[1.5, 0.4], [0.4, 0.3]])),))


def test_newton_reaches_the_bottom_of_a_quadratic_bowl_in_one_step():
    bowl = bowl_landscape()
    run = run_descent(bowl, newton_step, (-2.0, 2.0))
    assert run.path[1] == pytest.approx([0.5, -0.4])
    assert run.reason == "converged" and run.steps == 1 and run.outcome == "found"


def test_steepest_descent_converges_and_too_big_a_scaling_leaves_the_pit():
    bowl = bowl_landscape()
    # the largest curvature of this bowl is about 1.6: gamma below 2 / 1.6 converges
    calm = run_descent(bowl, lambda f, J, H: steepest_step(f, J, H, gamma=0.5), (-2.0, 2.0), 500)
    assert calm.reason == "converged" and calm.outcome == "found"
    assert np.all(np.diff(calm.heights) <= 1e-12), "with a small enough gamma every step goes down"
    wild = run_descent(bowl, lambda f, J, H: steepest_step(f, J, H, gamma=3.0), (-2.0, 2.0), 500)
    assert wild.reason == "left the sandpit"
    assert np.abs(wild.end).max() == pytest.approx(bowl.half_width), "the walk stops at the edge"


def test_a_fixed_step_hops_about_the_bottom_without_stopping():
    run = run_descent(make_landscape("single well"), fixed_step, (-2.0, 2.0), max_steps=150)
    assert run.reason == "max steps" and run.steps == 150
    lengths = np.linalg.norm(np.diff(run.path, axis=0), axis=1)
    assert lengths == pytest.approx(np.full(150, 0.1))
    assert run.outcome == "found"


@pytest.mark.parametrize("name", LANDSCAPES)
def test_the_reference_rule_ends_at_a_minimum_that_scipy_confirms(name):
    sand = make_landscape(name)
    for start in start_grid(sand, 3):
        run = run_descent(sand, next_step, start, max_steps=200)
        assert run.reason == "converged", (start, run.reason)
        polished = nelder_mead(sand.f, run.end)
        assert run.end == pytest.approx(polished, abs=1e-4)
        assert run.outcome in ("found", "stuck")


def test_the_reference_rule_finds_the_phone_on_single_well_from_everywhere_and_quickly():
    sand = make_landscape("single well")
    runs = [run_descent(sand, next_step, start) for start in start_grid(sand)]
    assert all(run.outcome == "found" for run in runs)
    slow = [run_descent(sand, lambda f, J, H: steepest_step(f, J, H, gamma=0.1), start)
            for start in start_grid(sand)]
    assert np.mean([r.steps for r in runs]) < np.mean([r.steps for r in slow]) / 3


def test_the_reference_rule_is_newton_in_a_bowl_and_capped():
    H = np.array([[2.0, 0.3], [0.3, 1.0]])
    J = np.array([0.1, -0.05])
    assert next_step(0.0, J, H) == pytest.approx(-np.linalg.solve(H, J))
    far = next_step(0.0, 100 * J, H)
    assert np.linalg.norm(far) == pytest.approx(0.3)
    assert far == pytest.approx(-0.3 * np.linalg.solve(H, J) / np.linalg.norm(np.linalg.solve(H, J)))
    saddle = np.diag([2.0, -1.0])
    step = next_step(0.0, J, saddle)
    assert step @ J < 0, "on a saddle the step still goes downhill"


def test_a_rule_is_called_with_the_height_jacobian_and_hessian_where_the_walker_stands():
    sand = make_landscape("rocky", 2)
    calls = []

    def spy(f, J, H):
        calls.append((f, J, H))
        return -0.05 * J

    run = run_descent(sand, spy, (1.0, -1.0), max_steps=20)
    assert len(calls) == run.steps == 20
    for (f, J, H), p in zip(calls, run.path):
        assert isinstance(f, float) and J.shape == (2,) and H.shape == (2, 2)
        assert f == pytest.approx(sand.f(p))
        assert J == pytest.approx(central_jacobian(sand.f, p), abs=1e-5)
        assert H == pytest.approx(second_differences(sand.f, p), abs=1e-3)
    assert run.path[1:] == pytest.approx(run.path[:-1] - 0.05 * np.array([c[1] for c in calls]))


@pytest.mark.parametrize("bad", [lambda f, J, H: np.zeros(3), lambda f, J, H: np.full(2, np.nan),
                                 lambda f, J, H: "down"])
def test_malformed_steps_are_refused(bad):
    with pytest.raises(ValueError):
        run_descent(make_landscape("single well"), bad, (0.0, 0.0))


def test_steps_as_column_or_list_are_accepted():
    sand = make_landscape("single well")
    column = run_descent(sand, lambda f, J, H: (-0.3 * J).reshape(2, 1), (-2.0, 2.0))
    as_list = run_descent(sand, lambda f, J, H: list(-0.3 * J), (-2.0, 2.0))
    assert column.path == pytest.approx(as_list.path)


# ---------------------------------------------------------------- the descent widget

def student_rule(f, J, H):
    return -0.1 * J


def test_the_descent_tool_runs_the_students_rule_first():
    tool = DescentSandpit(student_rule)
    assert tool.rule_menu.value == STUDENT
    assert tool.rule_menu.options == (STUDENT, *RULES)
    expected = run_descent(tool.landscape, student_rule, (-2.0, 2.0))
    assert tool.run.path == pytest.approx(expected.path)
    assert "From (" in tool.message.value


@pytest.mark.parametrize("change", [
    lambda tool: setattr(tool.rule_menu, "value", "Newton"),
    lambda tool: setattr(tool.x_box, "value", 1.5),
    lambda tool: setattr(tool.landscape_menu, "value", "long valley"),
    lambda tool: setattr(tool.steps_slider, "value", 10),
    lambda tool: setattr(tool.many_box, "value", True),
])
def test_every_control_of_the_descent_tool_changes_the_picture(change):
    tool = DescentSandpit(student_rule)
    before_png, before_message = png_bytes(tool.figure), tool.message.value
    change(tool)
    assert png_bytes(tool.figure) != before_png
    assert tool.message.value != before_message


def test_many_starts_are_counted():
    tool = DescentSandpit(landscape="multiple minima")
    tool.set_rule("hybrid (reference)")
    tool.many_box.value = True
    assert len(tool.runs) == 26
    outcomes = [run.outcome for run in tool.runs[1:]]
    found = outcomes.count("found")
    assert f"{found} found the phone" in tool.message.value
    assert 0 < found < 25, "on several hollows some starts end in the wrong one"


def test_a_new_rule_replaces_the_old_one_and_errors_are_reported_not_raised():
    tool = DescentSandpit(student_rule)
    before = tool.run.path.copy()
    tool.set_step_function(lambda f, J, H: -0.5 * J)
    assert tool.rule_menu.value == STUDENT
    assert not np.allclose(tool.run.path[:3], before[:3])

    def broken(f, J, H):
        return J @ np.ones(3)        # a shape mistake a student might make

    tool.set_step_function(broken)
    assert tool.error is not None and tool.run is None
    assert "failed" in tool.message.value and "ValueError" in tool.message.value
    tool.set_rule("Newton")          # the other rules still work
    assert tool.error is None and tool.run is not None


def test_the_descent_drawing_shows_every_walk():
    sand = make_landscape("twin hollows")
    runs = [run_descent(sand, next_step, s) for s in start_grid(sand, 3)]
    fig = draw_descent(sand, runs)
    try:
        ax_map, ax_heights = fig.axes[:2]
        drawn = [line.get_xydata() for line in ax_map.get_lines()]
        for run in runs:
            assert any(len(xy) == len(run.path) and np.allclose(xy, run.path) for xy in drawn)
        assert ax_heights.get_lines()[0].get_ydata() == pytest.approx(runs[0].heights)
    finally:
        plt.close(fig)


# ---------------------------------------------------------------- the lab notebooks

LABS = {name: ROOT / "labs" / f"{name}.ipynb"
        for name in ("sandpit", "sandpit_part2", "gradient_descent_sandpit")}
STATUSES = ("found", "stuck", "level", "searching")
NUMBER = r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?"


def numbers_between(text: str, start: str, end: str | None = None) -> np.ndarray:
    """The numbers printed after the label `start` and before the label `end`."""
    block = text.split(start, 1)[1]
    if end is not None:
        block = block.split(end, 1)[0]
    return np.array([float(v) for v in re.findall(NUMBER, block)])


@pytest.mark.parametrize("lab", LABS)
def test_the_lab_notebook_is_committed_without_outputs(lab):
    assert committed_without_outputs(LABS[lab])


def check_a_clean_run(run):
    """No error and no stderr; the tool appeared and drew into its Output area."""
    assert not run.errors(), run.errors()
    assert run.shows_a_widget(), "the tool's cell should display the widget"
    assert run.figures_in_output_widgets(), "the tool's Output area holds no figure"


def test_the_sandpit_lab_runs_headless():
    run = run_lab(LABS["sandpit"])
    check_a_clean_run(run)
    # The cell that checks the instrument: central differences agree with the game's J.
    printed = run.printed(5)
    estimate = numbers_between(printed, "central differences:", "the game's Jacobian:")
    exact = numbers_between(printed, "the game's Jacobian:")
    assert estimate.shape == exact.shape == (2,)
    assert estimate == pytest.approx(exact, abs=1e-6)
    # The cell that plays from code made ten probes, and the game's message says so.
    verdict = re.search(r"after (\d+) probes the game says: (\w+)", run.printed(7))
    assert verdict and verdict[1] == "10" and verdict[2] in STATUSES, run.printed(7)
    assert any("Probe 10." in value for value in run.html_values())


def test_the_sandpit_part2_lab_runs_headless():
    run = run_lab(LABS["sandpit_part2"])
    check_a_clean_run(run)
    # Explore (a 4 x 4 grid) then exploit (6 more probes).
    verdict = re.search(r"(\d+) probes; the game says: (\w+)", run.printed(4))
    assert verdict and verdict[1] == "22" and verdict[2] in STATUSES, run.printed(4)
    # Reality is hard: the Hessian estimated from central differences of J.
    printed = run.printed(6)
    estimate = numbers_between(printed, "central differences of J:", "the game's Hessian:").reshape(2, 2)
    exact = numbers_between(printed, "the game's Hessian:").reshape(2, 2)
    assert estimate == pytest.approx(exact, rel=1e-4, abs=1e-4 * max(1.0, np.abs(exact).max()))


def test_the_gradient_descent_lab_runs_headless():
    run = run_lab(LABS["gradient_descent_sandpit"])
    check_a_clean_run(run)
    # The rule as committed is steepest descent with gamma = 0.1; from (-2, 2) on the
    # single well it reaches the phone.
    verdict = re.search(r"(\w+) after (\d+) steps", run.printed(5))
    assert verdict and verdict[1] == "found", run.printed(5)
    assert any("found the phone" in value for value in run.html_values())
    # The scoreboard lists the student's rule and every ready-made one, out of 25 starts.
    board = run.printed(8)
    rows = re.findall(r"^(.+?)\s+found the phone from\s+(\d+) of (\d+) starts", board, re.M)
    assert [name.strip() for name, _, _ in rows] == [STUDENT, *RULES], board
    assert all(int(total) == len(start_grid(make_landscape("multiple minima")))
               and 0 <= int(found) <= int(total) for _, found, total in rows)
