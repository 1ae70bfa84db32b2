"""Shared by the tests of the calculus pages: read back glued formulas and literals,
and differentiate numerically (the independent route the tests check the pages by)."""
from __future__ import annotations

import ast

import numpy as np
import sympy as sp

from tests.book.glued import glued


def formula(page: str, name: str, symbols: dict[str, sp.Symbol]) -> sp.Expr | sp.Matrix:
    """A formula (or matrix) the page glued with mml.inline.inline_math."""
    values = glued(page)
    assert name in values, f"{page} glues no formula named {name!r}"
    return sp.sympify(values[name], locals=symbols)


def literal(page: str, name: str):
    """A word, list or tuple the page glued (a Python literal)."""
    values = glued(page)
    assert name in values, f"{page} glues no value named {name!r}"
    return ast.literal_eval(values[name])


def central_difference(f, points, h: float = 1e-6) -> np.ndarray:
    """f'(x) at each of `points` by (f(x + h) - f(x - h)) / 2h; f maps arrays elementwise."""
    points = np.asarray(points, dtype=float)
    return (f(points + h) - f(points - h)) / (2 * h)


def jacobian_fd(f, point, h: float = 1e-6) -> np.ndarray:
    """Central-difference Jacobian (m, n) of f: R^n -> R^m (a scalar f gives (1, n))."""
    point = np.asarray(point, dtype=float)
    columns = []
    for axis in range(point.size):
        step = np.zeros_like(point)
        step[axis] = h
        columns.append((np.atleast_1d(f(point + step)) - np.atleast_1d(f(point - step))) / (2 * h))
    return np.stack(columns, axis=-1)


def hessian_fd(f, point, h: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian (n, n) of a scalar f: R^n -> R."""
    return jacobian_fd(lambda p: jacobian_fd(f, p, h)[0], point, h)
