"""Read a page's glued values while recording which ones a test file checks, so that
the file can prove it checks every number the page glues (and nothing it no longer
glues).

    page = GlueChecks("book/linear-algebra/week2-vectors-in-space")
    page.num("la2_norm_r")             # a glued number, as a float
    page.vec("la2_r_b")                # a glued vector or list, as a float array

    def test_every_glued_value_is_checked():
        page.assert_every_value_checked(globals())
"""
from __future__ import annotations

import numpy as np

from tests.book.glued import array, glued, number


def close(values: np.ndarray, expected, tol: float = 1e-12) -> bool:
    """`values` (floats read from a page) equal `expected` (a sympy Matrix, list...)
    element by element, with the same number of elements."""
    expected = np.array([float(x) for x in expected])
    return values.shape == expected.shape and bool(np.allclose(values, expected, rtol=0, atol=tol))


class GlueChecks:
    def __init__(self, page: str):
        self.page = page
        self.read: set[str] = set()

    def num(self, name: str) -> float:
        self.read.add(name)
        return number(self.page, name)

    def vec(self, name: str) -> np.ndarray:
        self.read.add(name)
        return array(self.page, name)

    def assert_every_value_checked(self, test_module_globals: dict) -> None:
        """Run every other test_* function of the calling module (they are quick), so
        the record is complete however pytest-xdist shares tests between workers; then
        compare the names read with the names glued. Names ending in `_tex` are display
        copies (LaTeX) of numbers glued and checked under other names."""
        for name, test in sorted(test_module_globals.items()):
            if name.startswith("test_") and name != "test_every_glued_value_is_checked":
                test()
        names = {name for name in glued(self.page) if not name.endswith("_tex")}
        assert names - self.read == set(), f"glued but never checked: {sorted(names - self.read)}"
        assert self.read - names == set(), f"checked but no longer glued: {sorted(self.read - names)}"
