"""The sandpit: find the phone lost at the deepest point of hidden sand.

Three layers, so each can be used and tested alone:

* `probe_report(landscape, point, mode)` -- pure: what a probe at `point` tells the
  player (the height, and with the instruments of the mode the Jacobian and the
  Hessian), and the game's verdict: found the phone, stuck at the bottom of a
  shallower hollow, on level sand, or still searching.
* `draw_sandpit(landscape, probes, mode, reveal)` -- a matplotlib figure: the sandpit
  with the probes (and their gradient arrows or curvature crosses) on the left, the
  heights probed so far on the right. The book's static figures use it.
* `Sandpit` -- the ipywidgets game of the labs: number boxes for the point, a
  "Probe here" button, a menu of landscapes, the instrument (mode), new game and reveal.

The landscapes themselves live in `mml.widgets.landscapes`.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import Ellipse

from mml.plotting import COLORS, arrow
from mml.widgets._figure import draw_into, paragraph
from mml.widgets.landscapes import PART_1, SEEDED, Landscape, make_landscape

MODES = ("depth only", "Jacobian", "Hessian")
TOLERANCE = 0.1           # a probe this close to the lowest point finds the phone
SAND = "#eadfbf"
CURVATURE = "#3d1f5c"     # a dark violet that shows on the sand and on the contour map
HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]


def _number(x: float) -> str:
    """3 significant figures, no '-0', a real minus sign."""
    text = f"{x:.3g}"
    text = "0" if text == "-0" else text
    return text.replace("-", "\u2212")


def _point(p) -> str:
    return "(" + ", ".join(_number(v) for v in p) + ")"


@dataclass(frozen=True)
class Probe:
    """What one probe of the sand finds.

    point: (2,)  height: f there  jacobian: (2,)  hessian: (2, 2)
    curvatures: (2,) eigenvalues of the Hessian, ascending; directions: (2, 2) their
    unit eigenvectors in columns.
    status: "found" (within the tolerance of the lowest point), "stuck" (within it of a
    shallower local minimum), "level" (the Jacobian is tiny, but no minimum is near:
    a plateau or a saddle) or "searching".
    message: sentences for the player; what they reveal depends on the mode.
    """

    point: np.ndarray
    height: float
    jacobian: np.ndarray
    hessian: np.ndarray
    curvatures: np.ndarray
    directions: np.ndarray
    status: str
    mode: str
    message: str

    @property
    def slope(self) -> float:
        """|J|, the steepness of the sand."""
        return float(np.linalg.norm(self.jacobian))

    @property
    def bowl_shaped(self) -> bool:
        """The Hessian is positive definite: the sand curves up in every direction."""
        return bool(self.curvatures[0] > 0)

    @property
    def newton_point(self) -> np.ndarray | None:
        """p - H^-1 J, the bottom of the local quadratic bowl (None if not a bowl)."""
        if not self.bowl_shaped:
            return None
        return self.point - np.linalg.solve(self.hessian, self.jacobian)


def _shape(curvatures: np.ndarray) -> str:
    low, high = curvatures
    if low > 0:
        return "curves up in every direction (a bowl)"
    if high < 0:
        return "curves down in every direction (a hump)"
    return "curves up one way and down the other (a saddle)"


def probe_report(landscape: Landscape, point, mode: str = "depth only",
                 tolerance: float = TOLERANCE) -> Probe:
    """Probe `landscape` at `point` (2,) and report what the instruments of `mode` show.

    The verdict compares the point with the landscape's minima (found by the code): it is
    "found" within `tolerance` of the lowest point, "stuck" within `tolerance` of another
    local minimum, "level" where |J| is under 5 % of the landscape's typical slope.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    p = np.asarray(point, dtype=float)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise ValueError(f"a probe needs one point (x, y), got {point!r}")
    if not landscape.contains(p):
        raise ValueError(f"{_point(p)} is outside the sandpit: x and y must lie between "
                         f"{_number(-landscape.half_width)} and {_number(landscape.half_width)}")
    height = landscape.f(p)
    J = landscape.jacobian(p)
    H = landscape.hessian(p)
    curvatures, directions = np.linalg.eigh(H)

    minima = landscape.minima
    distances = np.linalg.norm(minima.points - p, axis=1)
    nearest = int(np.argmin(distances))
    if distances[0] <= tolerance:
        status = "found"
    elif distances[nearest] <= tolerance:
        status = "stuck"
    elif np.linalg.norm(J) < 0.05 * landscape.typical_slope:
        status = "level"
    else:
        status = "searching"

    sentences = [f"Height of the sand at {_point(p)}: <b>f = {_number(height)}</b>."]
    if mode in ("Jacobian", "Hessian"):
        sentences.append(f"Jacobian J = {_point(J)}, |J| = {_number(np.linalg.norm(J))}; "
                         "downhill is \u2212J (the red arrow).")
    if mode == "Hessian":
        sentences.append(f"Hessian eigenvalues {_number(curvatures[0])} and "
                         f"{_number(curvatures[1])}: the sand {_shape(curvatures)}.")
        if curvatures[0] > 0:
            target = p - np.linalg.solve(H, J)
            sentences.append(f"The bottom of that local bowl, p \u2212 H\u207b\u00b9J, is at "
                             f"{_point(target)} (the cross).")
    verdict = {
        "found": (f"<b>Found it!</b> The phone lies at {_point(minima.best)}, height "
                  f"{_number(minima.heights[0])}: the lowest point of the sandpit."),
        "stuck": ("<b>Stuck in a hollow.</b> The sand is (nearly) level here and rises all "
                  "round: this is the bottom of a hollow, but not the deepest one. The phone "
                  "is somewhere else."),
        "level": ("The sand is almost level here, so the slope gives little clue where to "
                  "go, yet this is not the bottom of a hollow."),
        "searching": "",
    }[status]
    if verdict:
        sentences.append(verdict)
    return Probe(point=p, height=height, jacobian=J, hessian=H, curvatures=curvatures,
                 directions=directions, status=status, mode=mode, message=" ".join(sentences))


# ---------------------------------------------------------------- drawing

def height_levels(landscape: Landscape, count: int = 21) -> np.ndarray:
    """Contour levels from the lowest height to the 90th percentile of the sandpit,
    closer together near the bottom, where the hollows are."""
    Z = landscape.grid()[2]
    low, high = Z.min(), np.quantile(Z, 0.9)
    return low + (high - low) * np.linspace(0, 1, count)**1.5


def _arrow_vector(landscape: Landscape, J: np.ndarray) -> np.ndarray:
    """-J drawn with a length that grows with |J| and never exceeds 1.2."""
    slope = np.linalg.norm(J)
    if slope == 0:
        return np.zeros(2)
    return -J / slope * 1.2 * slope / (slope + 0.5 * landscape.typical_slope)


def _curvature_cross(ax, landscape: Landscape, probe: Probe, rise: float) -> None:
    """The Hessian's eigen-directions at the probe, each as long as the distance over
    which the local quadratic model rises (solid) or falls (dashed) by `rise`, capped;
    where the sand is a bowl, the ellipse through their ends."""
    lengths = np.clip(np.sqrt(2 * rise / np.maximum(np.abs(probe.curvatures), 1e-12)), 0.08, 0.8)
    for k in range(2):
        ends = probe.point[:, None] + np.outer(probe.directions[:, k], [-lengths[k], lengths[k]])
        ax.plot(ends[0], ends[1], color=CURVATURE, lw=1.8, path_effects=HALO,
                ls="-" if probe.curvatures[k] > 0 else "--", zorder=4)
    if probe.bowl_shaped:
        angle = np.degrees(np.arctan2(probe.directions[1, 0], probe.directions[0, 0]))
        ax.add_patch(Ellipse(probe.point, 2 * lengths[0], 2 * lengths[1], angle=angle,
                             fill=False, color=CURVATURE, lw=1, zorder=4))


def sand_map(ax, landscape: Landscape, reveal: bool, title: str | None = None):
    """Set up `ax` as the sandpit: plain sand, or with `reveal` the contour map, the phone
    (a star) and the other hollows (crosses). Returns the colour map and norm that
    colour heights the same way as the contours."""
    w = landscape.half_width
    levels = height_levels(landscape)
    cmap = plt.get_cmap("cividis")
    norm = BoundaryNorm(levels, cmap.N, extend="max")
    ax.set_facecolor(SAND)
    if reveal:
        X, Y, Z = landscape.grid()
        ax.contourf(X, Y, Z, levels=levels, cmap=cmap, norm=norm, extend="max")
        ax.contour(X, Y, Z, levels=levels, colors="white", linewidths=0.3)
        others = landscape.minima.points[1:]
        ax.plot(others[:, 0], others[:, 1], "X", color=COLORS["sky"], ms=9, mec="white",
                label="other hollows", zorder=3, ls="none")
        ax.plot(*landscape.global_minimum, "*", color=COLORS["red"], ms=18, mec="white",
                label="the phone", zorder=9, ls="none")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=9)
        ax.grid(False)
    else:
        ax.grid(True, color="white", alpha=0.8)
    ax.set_xlim(-w, w)
    ax.set_ylim(-w, w)
    ax.set_aspect("equal")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    if title is None:
        title = f"the sandpit: {landscape.name}" + ("" if reveal else " (sand hidden)")
    ax.set_title(title, fontsize=11)
    return cmap, norm


def draw_sandpit(landscape: Landscape, probes=(), mode: str = "depth only", reveal: bool = False,
                 axes=None, labels: int = 10):
    """Draw the sandpit with `probes` (a sequence of Probe) as `mode` shows them.

    Left: the sandpit, hidden sand unless `reveal` (then the contour map, the phone as a
    star and the other hollows as crosses); each probe is a dot coloured by its height,
    the last `labels` of them labelled. Jacobian mode adds -J as a red arrow at each
    probe; Hessian mode adds the curvature cross (and the Newton point of the last probe).
    Right: the height of each probe in order, and the best so far.
    axes: a pair of axes to draw into (a new figure if None). Returns the figure.
    """
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.9), gridspec_kw={"width_ratios": [1.25, 1]})
        fig.subplots_adjust(wspace=0.3)
    else:
        fig = axes[0].figure
    ax_map, ax_history = axes
    levels = height_levels(landscape)
    cmap, norm = sand_map(ax_map, landscape, reveal)
    rise = 0.05 * (levels[-1] - levels[0])
    for k, probe in enumerate(probes):
        last = k == len(probes) - 1
        if mode in ("Jacobian", "Hessian") and probe.slope > 0:
            arrow(ax_map, _arrow_vector(landscape, probe.jacobian), origin=probe.point,
                  color=COLORS["red"], zorder=5)
        if mode == "Hessian":
            _curvature_cross(ax_map, landscape, probe, rise)
            if last and probe.newton_point is not None and landscape.contains(probe.newton_point):
                target = probe.newton_point
                ax_map.plot([probe.point[0], target[0]], [probe.point[1], target[1]], ":",
                            color=CURVATURE, lw=1.2, zorder=4)
                ax_map.plot(*target, "P", color=CURVATURE, ms=10, mec="white", zorder=6)
        ax_map.scatter(*probe.point, s=110 if last else 55, c=[cmap(norm(probe.height))],
                       edgecolors="black", linewidths=2 if last else 0.8, zorder=7)
        if k >= len(probes) - labels:
            ax_map.annotate(_number(probe.height), probe.point, xytext=(6, 5),
                            textcoords="offset points", fontsize=8, zorder=8,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    heights = np.array([probe.height for probe in probes])
    numbers = np.arange(1, len(probes) + 1)
    if len(probes):
        ax_history.plot(numbers, heights, "o-", color=COLORS["blue"], lw=1, ms=5, label="probe")
        ax_history.step(numbers, np.minimum.accumulate(heights), where="post",
                        color=COLORS["orange"], lw=2, label="lowest so far")
    if reveal:
        ax_history.axhline(landscape.minima.heights[0], color=COLORS["red"], ls="--", lw=1.2,
                           label="the phone")
    ax_history.set_xlim(0.5, max(len(probes), 5) + 0.5)
    ax_history.xaxis.get_major_locator().set_params(integer=True)
    ax_history.set_xlabel("probe number")
    ax_history.set_ylabel("height $f$")
    ax_history.set_title("heights probed", fontsize=11)
    if len(probes) or reveal:
        ax_history.legend(fontsize=9, loc="upper right")
    return fig


# ---------------------------------------------------------------- the game

class Sandpit:
    """The lab's game: probe the hidden sand and find the phone.

    Display it as the last expression of a cell. Programmatic use (tests, demos):
        game = Sandpit(mode="Jacobian")
        game.probe(1.0, -0.5)                 # returns the Probe; redraws once
        game.set_mode("Hessian"); game.set_landscape("rocky", seed=3)
        game.status, game.message.value, game.figure, game.probes
    landscapes: the names in the menu (Part 1's by default).
    """

    def __init__(self, landscape: str | None = None, mode: str = "depth only", seed: int = 0,
                 landscapes=PART_1, tolerance: float = TOLERANCE):
        landscapes = tuple(landscapes)
        landscape = landscapes[0] if landscape is None else landscape
        if landscape not in landscapes:
            raise ValueError(f"landscape must be one of {landscapes}, got {landscape!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.tolerance = tolerance
        self.probes: list[Probe] = []
        self.figure = None
        self._holding = False

        box = widgets.Layout(width="11em")
        self.landscape_menu = widgets.Dropdown(options=landscapes, value=landscape,
                                               description="Sand:", layout=widgets.Layout(width="17em"))
        self.seed_box = widgets.BoundedIntText(value=seed, min=0, max=9999, description="Seed:",
                                               layout=box)
        self.mode_buttons = widgets.ToggleButtons(options=MODES, value=mode, description="Instrument:",
                                                  style={"button_width": "7.5em"})
        w = make_landscape(landscape, seed).half_width
        self.x_box = widgets.BoundedFloatText(value=0.0, min=-w, max=w, step=0.1, description="x:",
                                              layout=box,
                                              style={"description_width": "initial"})
        self.y_box = widgets.BoundedFloatText(value=0.0, min=-w, max=w, step=0.1, description="y:",
                                              layout=box,
                                              style={"description_width": "initial"})
        self.probe_button = widgets.Button(description="Probe here", button_style="primary",
                                           icon="crosshairs")
        self.new_button = widgets.Button(description="New game", icon="refresh")
        self.reveal_box = widgets.Checkbox(value=False, description="Reveal the sand", indent=False)
        self.description = widgets.HTML()
        self.message = widgets.HTML()
        self.output = widgets.Output()
        self.widget = widgets.VBox([
            widgets.HBox([self.landscape_menu, self.seed_box, self.reveal_box],
                         layout=widgets.Layout(align_items="center", grid_gap="1em")),
            self.description,
            self.mode_buttons,
            widgets.HBox([self.x_box, self.y_box, self.probe_button, self.new_button],
                         layout=widgets.Layout(align_items="center", grid_gap="0.5em")),
            self.message, self.output])

        self.landscape_menu.observe(self._on_sand, names="value")
        self.seed_box.observe(self._on_sand, names="value")
        self.mode_buttons.observe(self._on_view, names="value")
        self.reveal_box.observe(self._on_view, names="value")
        self.probe_button.on_click(lambda _: self.probe(self.x_box.value, self.y_box.value))
        self.new_button.on_click(lambda _: self.new_game())
        self.new_game()

    # -- state
    @property
    def landscape(self) -> Landscape:
        return make_landscape(self.landscape_menu.value, self.seed_box.value)

    @property
    def mode(self) -> str:
        return self.mode_buttons.value

    @property
    def status(self) -> str:
        """The verdict of the last probe ("found", "stuck", "level", "searching"), or
        "new" before the first probe."""
        return self.probes[-1].status if self.probes else "new"

    # -- actions
    def probe(self, x: float, y: float, redraw: bool = True) -> Probe:
        """Probe the sand at (x, y) and put the number boxes there. Redraw once, or not at
        all with redraw=False (quicker in a loop; call `redraw()` at the end)."""
        return self.probe_many([(x, y)], redraw)[0]

    def probe_many(self, points, redraw: bool = True) -> list[Probe]:
        """Probe every point of `points` (n, 2) in turn; redraw once at the end (unless
        redraw=False)."""
        probes = [probe_report(self.landscape, p, self.mode, self.tolerance)
                  for p in np.asarray(points, dtype=float).reshape(-1, 2)]
        self.probes.extend(probes)
        if probes:
            self._holding = True
            try:
                self.x_box.value, self.y_box.value = (float(v) for v in probes[-1].point)
                if any(probe.status == "found" for probe in probes):
                    self.reveal_box.value = True
            finally:
                self._holding = False
        if redraw:
            self.redraw()
        return probes

    def new_game(self) -> None:
        """Forget the probes and hide the sand again."""
        self.probes = []
        self._holding = True
        self.reveal_box.value = False
        self._holding = False
        self.redraw()

    def set_mode(self, mode: str) -> None:
        self.mode_buttons.value = mode

    def set_landscape(self, name: str, seed: int | None = None) -> None:
        """Start a new game on the landscape `name` (and `seed`, for the random ones)."""
        self._holding = True
        try:
            self.landscape_menu.value = name
            if seed is not None:
                self.seed_box.value = seed
        finally:
            self._holding = False
        self.new_game()

    def reveal(self, show: bool = True) -> None:
        self.reveal_box.value = show

    # -- drawing
    def redraw(self) -> None:
        """Update the texts and the figure from the current state."""
        landscape = self.landscape
        self.seed_box.disabled = landscape.name not in SEEDED
        self.description.value = f"<i>{landscape.description}</i>"
        # The instruments of the current mode, applied to every probe so far.
        self.probes = [probe_report(landscape, p.point, self.mode, self.tolerance)
                       for p in self.probes]
        self.message.value = paragraph(self._message())
        self.figure = draw_into(self.output, lambda: draw_sandpit(
            landscape, self.probes, self.mode, reveal=self.reveal_box.value))

    def _message(self) -> str:
        if not self.probes:
            w = self.landscape.half_width
            return (f"A phone lies at the lowest point of this sand. Type a point (x and y "
                    f"between {_number(-w)} and {_number(w)}) and press <b>Probe here</b>.")
        best = min(range(len(self.probes)), key=lambda k: self.probes[k].height)
        return (f"Probe {len(self.probes)}. {self.probes[-1].message} "
                f"Lowest so far: {_number(self.probes[best].height)} (probe {best + 1}).")

    def _on_sand(self, change) -> None:
        if not self._holding:
            self.new_game()

    def _on_view(self, change) -> None:
        if not self._holding:
            self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
