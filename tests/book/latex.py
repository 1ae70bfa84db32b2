"""Read the numbers inside the LaTeX a page glued.

Worked steps (an elimination, a product of matrices) are glued as display maths
(mml.glue.glue_math / glue_inline). The numbers the reader sees there are checked by
parsing them back out of the glued text/latex, so a test can compare them with an
independent computation just like the plain glued numbers.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
import sympy as sp

from tests.book.glued import EXECUTED

MATRIX = re.compile(r"\\left\[\\begin\{array\}\{[c|]*\}(.*?)\\end\{array\}\\right\]", re.DOTALL)
TUPLE = re.compile(r"\(([^()]*,[^()]*)\)")
SQRT = re.compile(r"\\sqrt\{([^{}]*)\}")
FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")


def glued_latex(page: str, name: str) -> str:
    """The LaTeX source `page` glued under `name`."""
    path = EXECUTED / f"{page}.glue.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first ('make book').")
    data = json.loads(path.read_text())
    assert name in data, f"{page} glues nothing named {name!r}"
    latex = data[name]["data"].get("text/latex")
    assert latex is not None, f"{name!r} on {page} is not glued as LaTeX"
    READ.setdefault(page, set()).add(name)
    return latex


def tex_value(text: str) -> float:
    """A number as the page writes it: 3, -0.5, \\frac{2}{3}, - \\frac{\\sqrt{6}}{3}."""
    expr = SQRT.sub(r"sqrt(\1)", text.strip())
    expr = FRAC.sub(r"((\1)/(\2))", expr)
    return float(sp.sympify(expr))


def matrices(latex: str) -> list[np.ndarray]:
    """Every matrix (a bracketed array environment) in `latex`, in order; a column of
    numbers comes back with shape (n, 1)."""
    found = []
    for body in MATRIX.findall(latex):
        rows = [row for row in body.split(r"\\") if row.strip()]
        found.append(np.array([[tex_value(cell) for cell in row.split("&")] for row in rows]))
    return found


def tuples(latex: str) -> list[np.ndarray]:
    """Every vector written in a line, (1, -0.5, 2), in `latex`."""
    return [np.array([tex_value(x) for x in body.split(",")]) for body in TUPLE.findall(latex)]


def assert_matrices(page: str, name: str, expected: list, atol: float = 1e-9) -> None:
    """The matrices shown in the glued LaTeX `name` are `expected`, in order."""
    shown = matrices(glued_latex(page, name))
    assert len(shown) == len(expected), f"{name}: shows {len(shown)} matrices, expected {len(expected)}"
    for k, (got, want) in enumerate(zip(shown, expected)):
        want = np.array(want, dtype=float)
        want = want.reshape(-1, 1) if want.ndim == 1 else want
        assert got.shape == want.shape, f"{name}, matrix {k}: shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want, atol=atol), f"{name}, matrix {k}: shows {got}, expected {want}"


def final_values(latex: str) -> dict[str, float]:
    """For a display like 'c = 1, \\qquad b = 2 - c = 1': each clause's variable and the
    number after its last '=' sign."""
    body = latex.strip("$").replace(r"\displaystyle", "")
    values = {}
    for clause in re.split(r"\\qquad|\\quad", body):
        if "=" in clause:
            name = clause.split("=")[0].strip()
            values[name] = tex_value(clause.split("=")[-1].strip().rstrip(".,"))
    return values


def reciprocal_factors(latex: str) -> list[float]:
    """The denominators of every \\frac{1}{...} in `latex` (e.g. 5 for 1/5, 1.732 for 1/sqrt3)."""
    expr = SQRT.sub(r"sqrt(\1)", latex)
    return [tex_value(d) for d in re.findall(r"\\frac\{1\}\{([^{}]*)\}", expr)]


# Names whose LaTeX a test has read, per page: lets a test file prove it checks every
# formula its page glues (see assert_every_latex_checked).
READ: dict[str, set[str]] = {}


def assert_every_latex_checked(page: str) -> None:
    """Every name `page` glued as LaTeX has been read by glued_latex. Call it after all
    other tests of the page have run in this process (GlueChecks.assert_every_value_checked
    runs them first)."""
    data = json.loads((EXECUTED / f"{page}.glue.json").read_text())
    names = {name for name, entry in data.items() if "text/latex" in entry["data"]}
    unchecked = names - READ.get(page, set())
    assert not unchecked, f"formulas glued but never checked: {sorted(unchecked)}"
