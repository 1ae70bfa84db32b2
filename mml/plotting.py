"""One look for every figure in the course.

Pages and assignments call `use_course_style()` once, then draw with plain
matplotlib; the helpers here cover what linear-algebra figures draw again and
again (axes through the origin, arrows for vectors, a transformed grid).
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "red": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}


def use_course_style() -> None:
    """Set matplotlib defaults shared by all figures (sizes, fonts, colours)."""
    mpl.rcParams.update({
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "savefig.bbox": "tight",
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.prop_cycle": mpl.cycler(color=[COLORS[c] for c in
                                             ("blue", "orange", "green", "red", "purple", "sky")]),
        "legend.frameon": False,
    })


def plane(ax: plt.Axes, lim: float | tuple[float, float, float, float] = 4.0) -> plt.Axes:
    """Square 2-D axes with the x and y axes drawn through the origin.

    lim: a half-width (axes run from -lim to lim) or (xmin, xmax, ymin, ymax).
    """
    xmin, xmax, ymin, ymax = (-lim, lim, -lim, lim) if np.isscalar(lim) else lim
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axhline(0, color=COLORS["grey"], lw=0.8, zorder=0)
    ax.axvline(0, color=COLORS["grey"], lw=0.8, zorder=0)
    return ax


def arrow(ax: plt.Axes, v, origin=(0.0, 0.0), color: str = COLORS["blue"],
          label: str | None = None, **kwargs) -> None:
    """Draw the 2-D vector `v` (shape (2,)) as an arrow starting at `origin`.

    `label` is written just beyond the arrow's tip.
    """
    v = np.asarray(v, dtype=float)
    origin = np.asarray(origin, dtype=float)
    ax.annotate("", xy=origin + v, xytext=origin,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=2, shrinkA=0, shrinkB=0,
                                mutation_scale=15, **kwargs))
    if label is not None:
        tip = origin + v
        offset = 0.08 * v / max(np.linalg.norm(v), 1e-12)
        ax.annotate(label, xy=tip + offset, color=color, fontsize=12,
                    ha="left" if v[0] >= 0 else "right",
                    va="bottom" if v[1] >= 0 else "top")


def transformed_grid(ax: plt.Axes, M, lim: int = 3, color: str = COLORS["sky"],
                     **kwargs) -> None:
    """Draw the integer grid lines of [-lim, lim]^2 after the 2x2 matrix `M` acts on them."""
    M = np.asarray(M, dtype=float)
    t = np.linspace(-lim, lim, 2)
    for k in range(-lim, lim + 1):
        for line in (np.array([t, np.full_like(t, k)]), np.array([np.full_like(t, k), t])):
            image = M @ line
            ax.plot(image[0], image[1], color=color, lw=0.8, **kwargs)


def right_angle(ax: plt.Axes, corner, u, v, size: float = 0.25,
                color: str = COLORS["black"], **kwargs) -> None:
    """Mark a right angle at `corner` between the 2-D directions `u` and `v` with a
    small square of side `size` (data units)."""
    corner = np.asarray(corner, dtype=float)
    u = size * np.asarray(u, dtype=float) / np.linalg.norm(u)
    v = size * np.asarray(v, dtype=float) / np.linalg.norm(v)
    square = np.array([corner + u, corner + u + v, corner + v])
    ax.plot(square[:, 0], square[:, 1], color=color, lw=kwargs.pop("lw", 1.0), **kwargs)


def angle_arc(ax: plt.Axes, u, v, radius: float = 0.6, origin=(0.0, 0.0),
              color: str = COLORS["black"], label: str | None = None, **kwargs) -> None:
    """Draw the arc of the (smaller) angle between the 2-D vectors `u` and `v` drawn
    from `origin`, with an optional `label` just outside the middle of the arc."""
    origin = np.asarray(origin, dtype=float)
    a, b = np.arctan2(u[1], u[0]), np.arctan2(v[1], v[0])
    if (b - a) % (2 * np.pi) > np.pi:  # go the short way round
        a, b = b, a
    t = np.linspace(a, a + (b - a) % (2 * np.pi), 50)
    ax.plot(origin[0] + radius * np.cos(t), origin[1] + radius * np.sin(t), color=color,
            lw=kwargs.pop("lw", 1.2), **kwargs)
    if label is not None:
        middle = t[len(t) // 2]
        ax.text(origin[0] + 1.35 * radius * np.cos(middle), origin[1] + 1.35 * radius * np.sin(middle),
                label, color=color, ha="center", va="center", fontsize=13)


def unit_square(ax: plt.Axes, M=np.eye(2), color: str = COLORS["orange"], alpha: float = 0.25,
                **kwargs) -> None:
    """Fill the image of the unit square [0, 1]^2 under the 2x2 matrix `M` (a parallelogram
    with sides M e1 and M e2) and outline it."""
    corners = np.asarray(M, dtype=float) @ np.array([[0, 1, 1, 0], [0, 0, 1, 1]])
    ax.fill(corners[0], corners[1], color=color, alpha=alpha, lw=0, **kwargs)
    closed = np.hstack([corners, corners[:, :1]])
    ax.plot(closed[0], closed[1], color=color, lw=1.5)
