"""Gradient descent in a sandpit: a walker that follows a step rule downhill.

The student writes the step rule, `next_step(f, J, H)`: given the height f (a float),
the Jacobian J (2,) and the Hessian H (2, 2) at the walker's position, it returns the
step (2,) to take. Four rules are provided for comparison:

* `fixed_step`     a step of fixed length straight downhill, along -J / |J|
* `steepest_step`  steepest descent with a scaling, -gamma J
* `newton_step`    Newton's step to the bottom of the local quadratic model, -H^-1 J
* `next_step`      the reference hybrid: Newton's step where H is positive definite
                   (the sand is a bowl), steepest descent scaled by the curvature
                   otherwise; both capped in length

Three layers, as in the other tools:

* `run_descent(landscape, next_step, start)` -- pure: the walk, the number of steps,
  why it stopped and where it ended (the phone, another hollow, or neither).
* `draw_descent(landscape, runs)` -- the path(s) on the revealed contour map, and the
  height at each step.
* `DescentSandpit` -- the lab's ipywidgets tool: the landscape, the start, the step rule,
  the number of steps, one start or a grid of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from mml.plotting import COLORS
from mml.widgets._figure import draw_into, paragraph
from mml.widgets.landscapes import LANDSCAPES, SEEDED, Landscape, make_landscape
from mml.widgets.sandpit import TOLERANCE, _number, _point, sand_map

StepRule = Callable[[float, np.ndarray, np.ndarray], np.ndarray]


# ---------------------------------------------------------------- step rules

def fixed_step(f: float, J: np.ndarray, H: np.ndarray, length: float = 0.1) -> np.ndarray:
    """A step of the same `length` every time, straight downhill."""
    slope = np.linalg.norm(J)
    return np.zeros(2) if slope == 0 else -length * J / slope


def steepest_step(f: float, J: np.ndarray, H: np.ndarray, gamma: float = 0.3) -> np.ndarray:
    """Steepest descent: -gamma J, long where the sand is steep, short where it is level."""
    return -gamma * J


def newton_step(f: float, J: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Newton's step -H^-1 J: to the stationary point of the local quadratic model, which
    is its lowest point only where H is positive definite (a least-squares solution
    where H is singular)."""
    return np.linalg.lstsq(H, -J, rcond=None)[0]


def next_step(f: float, J: np.ndarray, H: np.ndarray, max_length: float = 0.3) -> np.ndarray:
    """The reference hybrid. Where H is positive definite (the sand is a bowl), Newton's
    step -H^-1 J; elsewhere steepest descent -gamma J with gamma = 1 / (the largest
    curvature |lambda| of H, at least 1), a step that cannot overshoot the local
    curvature. Either way at most `max_length` long, so that a quadratic model that
    only holds nearby cannot throw the walker across the sandpit."""
    curvatures = np.linalg.eigvalsh(H)
    if curvatures[0] > 0:
        step = -np.linalg.solve(H, J)
    else:
        step = -J / max(np.abs(curvatures).max(), 1.0)
    length = np.linalg.norm(step)
    return step if length <= max_length else step * (max_length / length)


RULES = {
    "fixed step": fixed_step,
    "steepest descent": steepest_step,
    "Newton": newton_step,
    "hybrid (reference)": next_step,
}
STUDENT = "your next_step"


# ---------------------------------------------------------------- the walk

@dataclass(frozen=True)
class DescentRun:
    """One walk.

    path: (n + 1, 2) the start and the point after each step; heights: (n + 1,)
    reason: why it stopped: "converged" (the step became tiny), "max steps" or
    "left the sandpit" (the last point is where it crossed the edge).
    outcome: "found" (ends within the tolerance of the lowest point), "stuck" (within it
    of another hollow) or "lost" (near no minimum).
    """

    path: np.ndarray
    heights: np.ndarray
    reason: str
    outcome: str
    message: str

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def end(self) -> np.ndarray:
        return self.path[-1]


def _checked_step(rule: StepRule, landscape: Landscape, p: np.ndarray) -> np.ndarray:
    """Call the rule at p (on copies, so it cannot change the walker's state) and check
    that it returned two finite numbers."""
    step = rule(float(landscape.f(p)), landscape.jacobian(p).copy(), landscape.hessian(p).copy())
    step = np.asarray(step, dtype=float)
    if step.size != 2:
        raise ValueError(f"next_step must return the step as 2 numbers (its x and y parts); "
                         f"it returned an array of shape {step.shape}")
    step = step.reshape(2)
    if not np.all(np.isfinite(step)):
        raise ValueError(f"next_step returned {step} at {p}: the step must be finite")
    return step


def run_descent(landscape: Landscape, rule: StepRule, start, max_steps: int = 100,
                min_step: float = 1e-5, tolerance: float = TOLERANCE) -> DescentRun:
    """Walk from `start` (2,) taking the steps `rule(f, J, H)` returns, until a step is
    shorter than `min_step`, `max_steps` have been taken, or a step leaves the sandpit
    (the walk then ends where it crosses the edge)."""
    p = np.asarray(start, dtype=float)
    if p.shape != (2,) or not landscape.contains(p):
        raise ValueError(f"the start must be a point inside the sandpit, got {start!r}")
    path = [p]
    reason = "max steps"
    w = landscape.half_width
    for _ in range(max_steps):
        step = _checked_step(rule, landscape, p)
        if np.linalg.norm(step) < min_step:
            reason = "converged"
            break
        q = p + step
        if not landscape.contains(q):
            # the fraction of the step that reaches the nearest edge it crosses
            with np.errstate(divide="ignore", invalid="ignore"):
                reach = np.where(step != 0, (np.sign(step) * w - p) / step, np.inf)
            path.append(p + np.min(reach) * step)
            reason = "left the sandpit"
            break
        p = q
        path.append(p)
    path = np.array(path)
    heights = landscape.f(path)

    minima = landscape.minima
    distances = np.linalg.norm(minima.points - path[-1], axis=1)
    if distances[0] <= tolerance:
        outcome = "found"
    elif distances.min() <= tolerance:
        outcome = "stuck"
    else:
        outcome = "lost"
    steps = len(path) - 1
    stopped = {"converged": f"stopped after {steps} steps, when the step became tiny",
               "max steps": f"used all {steps} steps",
               "left the sandpit": f"left the sandpit at step {steps}"}[reason]
    where = {"found": "<b>found the phone</b> (the lowest point)",
             "stuck": "ended in a hollow that is <b>not the deepest</b>",
             "lost": "ended <b>away from any hollow's bottom</b>"}[outcome]
    message = (f"From {_point(path[0])} the walker {stopped}, and {where}: at {_point(path[-1])}, "
               f"height {_number(heights[-1])} (the phone: {_point(minima.best)}, "
               f"height {_number(minima.heights[0])}).")
    return DescentRun(path=path, heights=heights, reason=reason, outcome=outcome, message=message)


def start_grid(landscape: Landscape, count: int = 5) -> np.ndarray:
    """(count**2, 2) evenly spread starting points, inside the sandpit's edge."""
    side = np.linspace(-0.8, 0.8, count) * landscape.half_width
    X, Y = np.meshgrid(side, side)
    return np.column_stack([X.ravel(), Y.ravel()])


# ---------------------------------------------------------------- drawing

OUTCOME_COLOURS = {"found": COLORS["red"], "stuck": COLORS["sky"], "lost": COLORS["grey"]}


def draw_descent(landscape: Landscape, runs, axes=None, title: str | None = None):
    """The walks `runs` (a sequence of DescentRun; the first is drawn boldly, any others
    faintly and coloured by outcome) on the revealed sandpit, and the height at each step
    of the first walk. Returns the figure."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.9), gridspec_kw={"width_ratios": [1.25, 1]})
        fig.subplots_adjust(wspace=0.3)
    else:
        fig = axes[0].figure
    ax_map, ax_heights = axes
    sand_map(ax_map, landscape, reveal=True, title=title or f"gradient descent: {landscape.name}")
    for run in runs[1:]:
        colour = OUTCOME_COLOURS[run.outcome]
        ax_map.plot(run.path[:, 0], run.path[:, 1], color=colour, lw=1, alpha=0.8, zorder=4)
        ax_map.plot(*run.path[0], "o", color=colour, ms=3, zorder=4)
    if runs:
        main = runs[0]
        ax_map.plot(main.path[:, 0], main.path[:, 1], "-o", color="white", lw=3.2, ms=4.5,
                    zorder=5)
        ax_map.plot(main.path[:, 0], main.path[:, 1], "-o", color=COLORS["orange"], lw=1.6, ms=3,
                    zorder=6, label="the walk")
        ax_map.plot(*main.path[0], "o", color="black", ms=8, mec="white", zorder=7)
        ax_map.plot(*main.path[-1], "s", color=COLORS["orange"], ms=8, mec="black", zorder=8)

        ax_heights.plot(np.arange(main.steps + 1), main.heights, "-o", color=COLORS["orange"],
                        lw=1.5, ms=3, label="height of the walker")
        ax_heights.axhline(landscape.minima.heights[0], color=COLORS["red"], ls="--", lw=1.2,
                           label="the phone")
        ax_heights.set_xlim(0, max(main.steps, 5))
        ax_heights.legend(fontsize=9, loc="upper right")
    ax_heights.set_xlabel("step")
    ax_heights.set_ylabel("height $f$")
    ax_heights.set_title("height at each step", fontsize=11)
    return fig


# ---------------------------------------------------------------- the tool

class DescentSandpit:
    """The lab's tool: watch a step rule walk downhill on the sandpit's landscapes.

    Programmatic use (tests, demos):
        tool = DescentSandpit(next_step=my_rule)   # the menu gets "your next_step"
        tool.set_start(-2, 2); tool.set_rule("Newton"); tool.set_landscape("rocky", seed=1)
        tool.set_step_function(better_rule)        # after editing your rule
        tool.run.outcome, tool.message.value, tool.figure
    """

    def __init__(self, next_step: StepRule | None = None, landscape: str = "single well",
                 seed: int = 0, start=(-2.0, 2.0), max_steps: int = 100, landscapes=LANDSCAPES):
        self._rules = dict(RULES)
        if next_step is not None:
            self._rules = {STUDENT: next_step, **RULES}
        self.run: DescentRun | None = None
        self.runs: list[DescentRun] = []
        self.error: str | None = None
        self.figure = None
        self._holding = False

        box = widgets.Layout(width="11em")
        self.landscape_menu = widgets.Dropdown(options=tuple(landscapes), value=landscape,
                                               description="Sand:", layout=widgets.Layout(width="17em"))
        self.seed_box = widgets.BoundedIntText(value=seed, min=0, max=9999, description="Seed:",
                                               layout=box)
        self.rule_menu = widgets.Dropdown(options=tuple(self._rules), description="Step rule:",
                                          layout=widgets.Layout(width="17em"))
        w = make_landscape(landscape, seed).half_width
        self.x_box = widgets.BoundedFloatText(value=float(start[0]), min=-w, max=w, step=0.1,
                                              description="start x:", layout=box,
                                              style={"description_width": "initial"})
        self.y_box = widgets.BoundedFloatText(value=float(start[1]), min=-w, max=w, step=0.1,
                                              description="start y:", layout=box,
                                              style={"description_width": "initial"})
        self.steps_slider = widgets.IntSlider(value=max_steps, min=5, max=500, step=5,
                                              description="Max steps:", continuous_update=False)
        self.many_box = widgets.Checkbox(value=False, description="also from 25 other starts",
                                         indent=False)
        self.run_button = widgets.Button(description="Run again", icon="play")
        self.message = widgets.HTML()
        self.output = widgets.Output()
        self.widget = widgets.VBox([
            widgets.HBox([self.landscape_menu, self.seed_box, self.rule_menu],
                         layout=widgets.Layout(align_items="center", grid_gap="1em")),
            widgets.HBox([self.x_box, self.y_box, self.steps_slider],
                         layout=widgets.Layout(align_items="center", grid_gap="0.5em")),
            widgets.HBox([self.many_box, self.run_button],
                         layout=widgets.Layout(align_items="center", grid_gap="1em")),
            self.message, self.output])

        for control in (self.landscape_menu, self.seed_box, self.rule_menu, self.x_box,
                        self.y_box, self.steps_slider, self.many_box):
            control.observe(self._on_change, names="value")
        self.run_button.on_click(lambda _: self.redraw())
        self.redraw()

    @property
    def landscape(self) -> Landscape:
        return make_landscape(self.landscape_menu.value, self.seed_box.value)

    @property
    def rule(self) -> StepRule:
        return self._rules[self.rule_menu.value]

    @property
    def start(self) -> np.ndarray:
        return np.array([self.x_box.value, self.y_box.value])

    def set_step_function(self, rule: StepRule) -> None:
        """Use `rule` as "your next_step" (for instance after you have edited it), and run it."""
        self._rules = {STUDENT: rule, **RULES}
        self._holding = True
        try:
            self.rule_menu.options = tuple(self._rules)
            self.rule_menu.value = STUDENT
        finally:
            self._holding = False
        self.redraw()

    def set_rule(self, name: str) -> None:
        self.rule_menu.value = name

    def set_start(self, x: float, y: float) -> None:
        self._holding = True
        try:
            self.x_box.value, self.y_box.value = float(x), float(y)
        finally:
            self._holding = False
        self.redraw()

    def set_landscape(self, name: str, seed: int | None = None) -> None:
        self._holding = True
        try:
            self.landscape_menu.value = name
            if seed is not None:
                self.seed_box.value = seed
        finally:
            self._holding = False
        self.redraw()

    def redraw(self) -> None:
        """Run the walk(s) with the current settings; update the message and the figure."""
        landscape = self.landscape
        self.seed_box.disabled = landscape.name not in SEEDED
        starts = [self.start]
        if self.many_box.value:
            starts += list(start_grid(landscape))
        try:
            self.runs = [run_descent(landscape, self.rule, s, self.steps_slider.value)
                         for s in starts]
            self.error = None
        except Exception as exc:  # the student's rule may fail in any way: say how
            self.runs, self.error = [], f"{type(exc).__name__}: {exc}"
        self.run = self.runs[0] if self.runs else None
        self.message.value = paragraph(self._message())
        self.figure = draw_into(self.output, lambda: draw_descent(landscape, self.runs))

    def _message(self) -> str:
        if self.error is not None:
            return (f"<b>The step rule '{self.rule_menu.value}' failed:</b> {self.error}. "
                    "Fix it, run its cell again, then call <code>set_step_function</code>.")
        text = self.run.message
        if len(self.runs) > 1:
            others = self.runs[1:]
            counts = {k: sum(r.outcome == k for r in others) for k in OUTCOME_COLOURS}
            mean_steps = np.mean([r.steps for r in others])
            text += (f" From the {len(others)} other starts: {counts['found']} found the phone "
                     f"(red paths), {counts['stuck']} got stuck in another hollow (blue), "
                     f"{counts['lost']} ended elsewhere (grey); {mean_steps:.0f} steps on average.")
        return text

    def _on_change(self, change) -> None:
        if not self._holding:
            self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
