"""Visualising matrices and eigen: what a 2x2 matrix does to the plane, and which
directions it leaves on their own span.

Three layers, so each can be used and tested alone:

* `eigen_picture_data(A)` -- pure mathematics: the unit square, a fan of unit vectors,
  their images under A, the real eigenvalues and unit eigenvectors, and a sentence
  describing the case (two eigen-directions, every vector, one repeated direction,
  or complex eigenvalues). No plotting, no widgets.
* `draw_eigen_picture(picture)` -- a matplotlib figure of that data, "before" and
  "after" side by side. The book's static figures use it.
* `EigenVisualiser` -- the ipywidgets tool of the lab: four number boxes and a menu of
  examples; every change recomputes the picture and redraws the figure in an
  `ipywidgets.Output` with the inline backend (plain JupyterLab 4 + ipywidgets 8).
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import hsv_to_rgb
from IPython import get_ipython
from IPython.display import display

from mml.plotting import COLORS, arrow, plane, use_course_style

# Eigenvalues closer than this (relative to the size of the entries) count as repeated,
# and a discriminant more negative than this counts as complex.
TOLERANCE = 1e-9

# The unit square as a closed polygon, corners in columns: shape (2, 5).
UNIT_SQUARE = np.array([[0.0, 1.0, 1.0, 0.0, 0.0],
                        [0.0, 0.0, 1.0, 1.0, 0.0]])


@dataclass(frozen=True)
class EigenPicture:
    """Everything the eigen picture of a 2x2 matrix draws.

    matrix:        (2, 2) the matrix A
    square:        (2, 5) corners of the unit square (closed polygon)
    square_image:  (2, 5) A @ square
    fan:           (2, K) unit vectors at evenly spaced angles
    fan_image:     (2, K) A @ fan
    eigenvalues:   (2,) complex: both eigenvalues, with multiplicity, larger real part first
    real_eigenvalues: (m,) the real eigenvalue of each drawn eigenvector (m = 0, 1 or 2)
    eigenvectors:  (2, m) unit eigenvectors in columns, first non-zero entry positive
    kind:          "distinct" (two real eigen-directions), "scalar" (A = lambda I: every
                   vector), "defective" (repeated eigenvalue, one direction) or "complex"
    message:       one sentence for the student describing the case
    """

    matrix: np.ndarray
    square: np.ndarray
    square_image: np.ndarray
    fan: np.ndarray
    fan_image: np.ndarray
    eigenvalues: np.ndarray
    real_eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    kind: str
    message: str

    @property
    def eigen_images(self) -> np.ndarray:
        """(2, m) the image A v = lambda v of each drawn eigenvector."""
        return self.eigenvectors * self.real_eigenvalues


def _number(x: float) -> str:
    """A short, readable number: 3 significant figures, no '-0'."""
    text = f"{x:.3g}"
    return "0" if text == "-0" else text


def _vector(v: np.ndarray) -> str:
    return "(" + ", ".join(_number(x) for x in v) + ")"


def _unit_with_sign_convention(v: np.ndarray) -> np.ndarray:
    """v / |v|, flipped so that its first clearly non-zero entry is positive."""
    v = v / np.linalg.norm(v)
    first = v[0] if abs(v[0]) > 1e-12 else v[1]
    return -v if first < 0 else v


def _null_direction(B: np.ndarray) -> np.ndarray:
    """A unit vector v with B v = 0, for a 2x2 matrix B of rank one.

    Any non-zero row r of B must be perpendicular to v, so v is r turned by 90 degrees;
    the longer row is used because it is the more accurate one.
    """
    row = B[np.argmax(np.linalg.norm(B, axis=1))]
    return _unit_with_sign_convention(np.array([-row[1], row[0]]))


def _what_happens(lam: float) -> str:
    if abs(lam) < 1e-12:
        return "squashed to the origin"
    if lam < 0:
        return "flipped" + ("" if abs(lam + 1) < 1e-12 else " and scaled")
    if abs(lam - 1) < 1e-12:
        return "left unchanged"
    return "stretched" if lam > 1 else "shrunk"


def eigen_picture_data(A, fan_size: int = 16) -> EigenPicture:
    """What the eigen picture of the 2x2 matrix `A` shows (pure: no drawing).

    The eigenvalues are the roots of the characteristic polynomial
    lambda^2 - tr(A) lambda + det(A), i.e. tr/2 +- sqrt(disc) with
    disc = ((a - d) / 2)^2 + b c (written this way to avoid cancellation); each
    eigenvector spans the null space of A - lambda I.
    """
    A = np.asarray(A, dtype=float)
    if A.shape != (2, 2):
        raise ValueError(f"A must be a 2x2 matrix, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("the entries of A must be finite numbers")
    (a, b), (c, d) = A
    scale = max(np.abs(A).max(), 1.0)
    half_trace = (a + d) / 2
    disc = ((a - d) / 2) ** 2 + b * c

    angles = np.linspace(0, 2 * np.pi, fan_size, endpoint=False)
    fan = np.vstack([np.cos(angles), np.sin(angles)])

    if disc < -TOLERANCE * scale**2:
        root = np.sqrt(-disc)
        eigenvalues = np.array([half_trace + 1j * root, half_trace - 1j * root])
        real_eigenvalues, eigenvectors, kind = np.empty(0), np.empty((2, 0)), "complex"
        message = (f"Complex eigenvalues {_number(half_trace)} \u00b1 {_number(root)}i: every "
                   "vector is turned off its own span, so there is no real eigenvector to draw.")
    elif disc <= TOLERANCE * scale**2:
        lam = half_trace
        eigenvalues = np.array([lam, lam], dtype=complex)
        B = A - lam * np.eye(2)
        if np.abs(B).max() <= TOLERANCE * scale:
            real_eigenvalues, eigenvectors, kind = np.array([lam, lam]), np.eye(2), "scalar"
            message = (f"A is {_number(lam)} times the identity: every vector is an eigenvector "
                       f"with \u03bb = {_number(lam)}, {_what_happens(lam)}.")
        else:
            v = _null_direction(B)
            real_eigenvalues, eigenvectors, kind = np.array([lam]), v[:, None], "defective"
            message = (f"Repeated eigenvalue \u03bb = {_number(lam)} with only one "
                       f"eigen-direction, along {_vector(v)}; every other vector is sheared "
                       "off its span.")
    else:
        root = np.sqrt(disc)
        lams = np.array([half_trace + root, half_trace - root])
        vectors = [_null_direction(A - lam * np.eye(2)) for lam in lams]
        eigenvalues = lams.astype(complex)
        real_eigenvalues, eigenvectors, kind = lams, np.column_stack(vectors), "distinct"
        message = "Two eigen-directions: " + "; ".join(
            f"\u03bb{sub} = {_number(lam)} along {_vector(v)} ({_what_happens(lam)})"
            for sub, lam, v in zip("\u2081\u2082", lams, vectors)) + "."

    return EigenPicture(matrix=A, square=UNIT_SQUARE.copy(), square_image=A @ UNIT_SQUARE,
                        fan=fan, fan_image=A @ fan, eigenvalues=eigenvalues,
                        real_eigenvalues=real_eigenvalues, eigenvectors=eigenvectors,
                        kind=kind, message=message)


def _tip_label(ax, tip: np.ndarray, text: str, colour: str) -> None:
    """Write `text` just beyond the tip of the arrow to `tip`, on a pale background so
    that the lines it crosses do not hide it."""
    outward = 10 * tip / np.linalg.norm(tip)
    ax.annotate(text, xy=tip, xytext=outward, textcoords="offset points", color=colour,
                fontsize=12, ha="left" if tip[0] >= 0 else "right",
                va="bottom" if tip[1] >= 0 else "top", zorder=5,
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))


def _panel_limit(picture: EigenPicture) -> float:
    """Half-width of square axes that hold the square, the fan and their images."""
    points = np.hstack([picture.square, picture.square_image, picture.fan, picture.fan_image])
    return max(1.6, 1.15 * np.abs(points).max())


def draw_eigen_picture(picture: EigenPicture, axes=None, title: bool = False,
                       show_eigen: bool = True):
    """Draw `picture`: the plane before (left) and after (right) the matrix acts.

    Each fan vector and its image share a colour; eigen-directions are dashed lines,
    with the unit eigenvector v on the left and its image lambda v on the right.
    axes: a pair of matplotlib axes to draw into (a new 1x2 figure if None).
    title: write the picture's message above the figure.
    show_eigen: draw the eigen-directions (False for a "find them yourself" puzzle).
    Returns the figure.
    """
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(9.6, 4.8))
    else:
        fig = axes[0].figure
    lim = _panel_limit(picture)
    # Hues round the colour wheel, muted: neighbouring vectors get neighbouring
    # colours, so each vector can be matched with its image.
    hues = np.linspace(0, 1, picture.fan.shape[1], endpoint=False)
    colours = hsv_to_rgb(np.column_stack([hues, np.full_like(hues, 0.55), np.full_like(hues, 0.8)]))
    eigen_colours = [COLORS["red"], COLORS["green"]]
    panels = [("before: unit square and unit vectors", picture.square, picture.fan,
               picture.eigenvectors, r"$\mathbf{{v}}{sub}$"),
              ("after: their images under A", picture.square_image, picture.fan_image,
               picture.eigen_images, r"$\lambda{sub}\mathbf{{v}}{sub}$")]
    for ax, (name, square, fan, eigen, symbol) in zip(axes, panels):
        plane(ax, lim)
        ax.fill(square[0], square[1], color=COLORS["sky"], alpha=0.25, zorder=1)
        ax.plot(square[0], square[1], color=COLORS["blue"], lw=1.5, zorder=2)
        ax.quiver(np.zeros(fan.shape[1]), np.zeros(fan.shape[1]), fan[0], fan[1],
                  color=colours, angles="xy", scale_units="xy", scale=1, width=0.006,
                  alpha=0.8, zorder=3)
        if show_eigen and picture.kind != "scalar":
            for k in range(picture.eigenvectors.shape[1]):
                direction = picture.eigenvectors[:, k]
                ends = np.outer(direction, [-2 * lim, 2 * lim])
                ax.plot(ends[0], ends[1], ls="--", lw=1.2, color=eigen_colours[k], zorder=2)
                if np.linalg.norm(eigen[:, k]) > 1e-9:
                    sub = f"_{k + 1}" if picture.eigenvectors.shape[1] > 1 else ""
                    label = symbol.format(sub=sub)
                    arrow(ax, eigen[:, k], color=eigen_colours[k], zorder=4)
                    _tip_label(ax, eigen[:, k], label, eigen_colours[k])
        ax.set_title(name, fontsize=11)
    if title:
        fig.suptitle(picture.message, fontsize=10, wrap=True)
    return fig


# The menu of examples in the lab: label -> matrix. CUSTOM is shown while the boxes
# hold a matrix of the student's own.
CUSTOM = "custom"
EXAMPLES = {
    "stretch along x": [[2.0, 0.0], [0.0, 1.0]],
    "uniform scaling": [[1.5, 0.0], [0.0, 1.5]],
    "symmetric": [[2.0, 1.0], [1.0, 2.0]],
    "shear": [[1.0, 1.0], [0.0, 1.0]],
    "rotation by 90\u00b0": [[0.0, -1.0], [1.0, 0.0]],
    "rotation by 180\u00b0": [[-1.0, 0.0], [0.0, -1.0]],
    "reflection in y = x": [[0.0, 1.0], [1.0, 0.0]],
    "projection onto x": [[1.0, 0.0], [0.0, 0.0]],
    "spiral (complex \u03bb)": [[0.8, -0.6], [0.6, 0.8]],
}


class EigenVisualiser:
    """The lab's tool: edit the 2x2 matrix, watch the picture.

    Display it as the last expression of a cell (or with `display(vis)`).
    Programmatic use (tests, demos):
        vis = EigenVisualiser([[2, 1], [1, 2]])
        vis.set_matrix([[0, -1], [1, 0]])   # redraws once
        vis.picture.kind, vis.message.value, vis.figure
    """

    def __init__(self, matrix=((2.0, 1.0), (1.0, 2.0))):
        A = np.asarray(matrix, dtype=float)
        self.entries = [widgets.FloatText(value=float(A.flat[k]), step=0.1,
                                          layout=widgets.Layout(width="5.5em"))
                        for k in range(4)]
        self.examples = widgets.Dropdown(
            options=[CUSTOM, *EXAMPLES], value=CUSTOM, description="Example:",
            layout=widgets.Layout(width="20em"))
        self.message = widgets.HTML()
        self.output = widgets.Output()
        self.picture: EigenPicture | None = None
        self.figure = None
        self._holding = False

        grid = widgets.GridBox(self.entries, layout=widgets.Layout(
            grid_template_columns="repeat(2, 5.8em)", grid_gap="4px", padding="0 6px",
            border_left="2px solid #333", border_right="2px solid #333"))
        matrix_box = widgets.HBox([widgets.HTML("<b>A =</b>"), grid],
                                  layout=widgets.Layout(align_items="center", grid_gap="8px"))
        controls = widgets.HBox([matrix_box, self.examples],
                                layout=widgets.Layout(align_items="center", grid_gap="2em"))
        self.widget = widgets.VBox([controls, self.message, self.output])

        for entry in self.entries:
            entry.observe(self._on_entry, names="value")
        self.examples.observe(self._on_example, names="value")
        self.redraw()

    @property
    def matrix(self) -> np.ndarray:
        """(2, 2) the matrix currently in the boxes."""
        return np.array([entry.value for entry in self.entries], dtype=float).reshape(2, 2)

    def set_matrix(self, matrix) -> None:
        """Put `matrix` (2x2) in the boxes and redraw once."""
        A = np.asarray(matrix, dtype=float)
        if A.shape != (2, 2):
            raise ValueError(f"matrix must be 2x2, got shape {A.shape}")
        self._holding = True
        try:
            for entry, value in zip(self.entries, A.flat):
                entry.value = float(value)
        finally:
            self._holding = False
        self.redraw()

    def redraw(self) -> None:
        """Recompute the picture from the boxes; update the message and the figure."""
        self.picture = eigen_picture_data(self.matrix)
        self.message.value = f"<p style='font-size:110%; margin:4px 0'>{self.picture.message}</p>"
        # The course's figure style, without changing the student's own matplotlib settings.
        with mpl.rc_context():
            use_course_style()
            figure = draw_eigen_picture(self.picture)
            # Closed at once, so pyplot's inline backend never shows it a second time;
            # a closed figure still renders when displayed.
            plt.close(figure)
            self.figure = figure
            if get_ipython() is None:  # plain Python (a script, a test): nowhere to show it
                return
            with self.output:
                self.output.clear_output(wait=True)
                display(figure)

    def _on_entry(self, change) -> None:
        if self._holding:
            return
        example = EXAMPLES.get(self.examples.value)
        if example is not None and not np.allclose(self.matrix, example):
            self._holding = True
            self.examples.value = CUSTOM
            self._holding = False
        self.redraw()

    def _on_example(self, change) -> None:
        if change["new"] in EXAMPLES and not self._holding:
            self.set_matrix(EXAMPLES[change["new"]])

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
