"""Numerical derivatives, to check derivatives worked out by hand (assignments' tests,
benchmarks).

A central difference nudges one number up and down by h and divides the change of
the function by 2h; its error shrinks like h**2, against h for a one-sided difference.
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def central_differences(function: Callable[[], float], parameter: np.ndarray,
                        h: float = 1e-6) -> np.ndarray:
    """The derivative of `function()` with respect to every entry of `parameter`.

    `function` takes no arguments and reads `parameter` (a float array that it sees, for
    example a network's weight matrix); each entry is nudged in place and put back.
    Returns an array of `parameter`'s shape.
    """
    slope = np.zeros(parameter.shape)
    for index in np.ndindex(parameter.shape):
        saved = parameter[index]
        parameter[index] = saved + h
        up = function()
        parameter[index] = saved - h
        down = function()
        parameter[index] = saved
        slope[index] = (up - down) / (2 * h)
    return slope
