"""A cartoon bear made of polygons, for the reflection exercises of Linear Algebra week 4.

Every part of the bear is a closed polygon: an array of shape (2, k) whose columns are
its corners, so a 2x2 matrix T moves the whole bear with one product, `T @ polygon`.
The bear waves its right paw and holds a fish in its left one, so a reflected bear is
easy to tell from the original.

    from mml.bear import draw_bear
    fig, ax = plt.subplots()
    draw_bear(ax, offset=(-3, 1))                  # the bear, standing at (-3, 1)
    draw_bear(ax, T, offset=(-3, 1), faded=True)   # its image under the 2x2 matrix T
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon

from mml.plotting import COLORS

FUR = "#8B5A2B"
MUZZLE = "#E8C39E"
DARK = "#2B1B0E"
FISH = COLORS["sky"]


def ellipse(centre, width, height, angle=0.0, corners=48) -> np.ndarray:
    """Corners of an ellipse with semi-axes `width`, `height`, turned by `angle` radians: (2, corners)."""
    t = np.linspace(0, 2 * np.pi, corners, endpoint=False)
    c, s = np.cos(angle), np.sin(angle)
    turn = np.array([[c, -s], [s, c]])
    return turn @ np.array([width * np.cos(t), height * np.sin(t)]) + np.reshape(centre, (2, 1))


def _polygon(*points) -> np.ndarray:
    return np.array(points, dtype=float).T


def bear_parts() -> list[tuple[np.ndarray, str]]:
    """The bear as (polygon, colour) pairs, drawn in this order (back to front).

    The bear stands about 5.5 units tall with its feet near y = -2.6 and its body
    centred on the y axis; the polygons are (2, k) arrays of corner coordinates.
    """
    fish = _polygon((-2.15, 0.35), (-1.75, 0.75), (-1.35, 0.85), (-0.95, 0.7),
                    (-0.7, 0.45), (-0.45, 0.75), (-0.45, 0.05), (-0.7, 0.3),
                    (-0.95, 0.05), (-1.35, -0.05), (-1.75, 0.0))
    return [
        (ellipse((-0.75, 2.95), 0.42, 0.42), FUR),            # ears
        (ellipse((0.75, 2.95), 0.42, 0.42), FUR),
        (ellipse((-0.75, 2.95), 0.22, 0.22), MUZZLE),
        (ellipse((0.75, 2.95), 0.22, 0.22), MUZZLE),
        (ellipse((-0.55, -2.2), 0.5, 0.45), FUR),             # feet
        (ellipse((0.55, -2.2), 0.5, 0.45), FUR),
        (ellipse((0.0, -0.6), 1.25, 1.55), FUR),              # body
        (ellipse((0.0, -0.75), 0.78, 1.05), MUZZLE),          # belly
        (ellipse((1.45, 0.75), 0.32, 0.95, angle=-0.6), FUR),  # right arm, raised to wave
        (ellipse((1.95, 1.5), 0.33, 0.33), FUR),              # right paw
        (ellipse((-1.3, -0.1), 0.3, 0.85, angle=-0.35), FUR),  # left arm, holding the fish
        (fish, FISH),
        (ellipse((-1.05, 0.5), 0.06, 0.06), DARK),             # fish's eye
        (ellipse((-1.55, 0.5), 0.3, 0.28), FUR),              # left paw over the fish
        (ellipse((0.0, 2.1), 1.1, 1.0), FUR),                 # head
        (ellipse((0.05, 1.75), 0.5, 0.38), MUZZLE),           # muzzle
        (_polygon((-0.1, 1.95), (0.2, 1.95), (0.05, 1.78)), DARK),  # nose
        (ellipse((-0.38, 2.4), 0.1, 0.13), DARK),             # eyes
        (ellipse((0.42, 2.4), 0.1, 0.13), DARK),
        (ellipse((0.55, 2.7), 0.2, 0.05, angle=-0.25), DARK),  # one raised eyebrow
    ]


def draw_bear(ax: plt.Axes, T=None, offset=(0.0, 0.0), faded: bool = False, **kwargs) -> None:
    """Draw the bear on `ax`: moved by `offset`, then mapped by the 2x2 matrix `T` (default: identity).

    A linear map keeps the origin fixed, so a bear centred on the origin would overlap
    its own reflection: `offset` stands it somewhere else first. `faded=True` draws it
    half transparent, for showing a bear next to its image. Extra keyword arguments go
    to every matplotlib Polygon.
    """
    T = np.eye(2) if T is None else np.asarray(T, dtype=float)
    shift = np.reshape(np.asarray(offset, dtype=float), (2, 1))
    style = dict(edgecolor=DARK, linewidth=0.8, alpha=0.45 if faded else 1.0)
    style.update(kwargs)
    for corners, colour in bear_parts():
        ax.add_patch(Polygon((T @ (corners + shift)).T, closed=True, facecolor=colour, **style))
