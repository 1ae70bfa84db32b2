"""Glue helpers for book pages: numbers at full precision for the tests, LaTeX for display.

myst-nb's `glue` stores the text/plain repr of a value, and the page tests read it back
(tests/book/glued.py). `setup_page()` prints arrays rounded to 4 decimals, so arrays are
glued here as plain lists, which keep every digit. Worked steps with numbers in them
(a matrix, an elimination step) are glued as LaTeX: paste with the {glue:math}
directive for a display equation or the {glue:} role inline.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from IPython.display import Math
from myst_nb import glue


def number_tex(x) -> str:
    """LaTeX for one number: exact sympy numbers as fractions, others with at most 3 decimals."""
    if isinstance(x, sp.Basic):
        return sp.latex(x)
    text = f"{float(x):.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def term_tex(coefficient, symbol: str) -> str:
    """A coefficient times a symbol, written without a coefficient of one: 2c, c, -c."""
    if coefficient == 1:
        return symbol
    if coefficient == -1:
        return "-" + symbol
    return number_tex(coefficient) + symbol


def matrix_tex(M, bar: int | None = None) -> str:
    """LaTeX for a matrix (sympy, NumPy or nested lists; a 1-D array becomes a column).
    `bar` draws the vertical line of an augmented matrix after that many columns."""
    if isinstance(M, sp.MatrixBase):
        rows = M.tolist()
    else:
        M = np.asarray(M)
        rows = (M.reshape(-1, 1) if M.ndim == 1 else M).tolist()
    width = len(rows[0])
    spec = "c" * width if bar is None else "c" * bar + "|" + "c" * (width - bar)
    body = r" \\ ".join(" & ".join(number_tex(x) for x in row) for row in rows)
    return rf"\left[\begin{{array}}{{{spec}}} {body} \end{{array}}\right]"


def tuple_tex(v) -> str:
    """LaTeX for a vector written in a line: (1, -0.5, 2)."""
    return "(" + ", ".join(number_tex(x) for x in np.ravel(v)) + ")"


class InlineTeX:
    """LaTeX pasted inline with {glue:}`name` (IPython's Math adds \\displaystyle)."""

    def __init__(self, latex: str):
        self.latex = latex

    def _repr_latex_(self) -> str:
        return f"${self.latex}$"


def glue_math(name: str, latex: str) -> None:
    """Glue a display equation, pasted with the {glue:math} directive."""
    glue(name, Math(latex), display=False)


def glue_inline(name: str, latex: str) -> None:
    """Glue inline maths, pasted with the {glue:} role."""
    glue(name, InlineTeX(latex), display=False)


def glue_values(name: str, values) -> None:
    """Glue numbers (an array of any shape) for the tests, as a full-precision list."""
    glue(name, np.asarray(values, dtype=float).tolist(), display=False)


def glue_vector(name: str, v) -> None:
    """Glue a vector twice: its numbers under `name` (for the tests) and an inline tuple
    under `name_tex` (for the prose, pasted with {glue:}`name_tex`)."""
    glue_values(name, v)
    glue_inline(name + "_tex", tuple_tex(v))
