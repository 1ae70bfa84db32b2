"""Set-up shared by every page of the book (called from each page's hidden first cell)."""
import numpy as np

from mml.plotting import use_course_style


def setup_page() -> None:
    """Course figure style, and NumPy printing that reads well on a page.

    legacy="1.25" prints a NumPy scalar as `3.6` rather than `np.float64(3.6)`,
    which also lets myst-nb's {glue:text} format glued NumPy numbers.
    """
    use_course_style()
    np.set_printoptions(legacy="1.25", precision=4, suppress=True)
