"""Drawing a figure into an `ipywidgets.Output`, shared by the lab tools.

The tools draw with plain matplotlib and pyplot's inline backend (JupyterLab 4 with
ipywidgets 8 and no frontend extension): each redraw makes a new figure in the
course style, closes it at once so the inline backend never shows it a second time
(a closed figure still renders when displayed), and displays it inside the tool's
Output area, replacing the previous one.
"""
from __future__ import annotations

from typing import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import display

from mml.plotting import use_course_style


def draw_into(output, draw: Callable[[], "mpl.figure.Figure"]):
    """Call `draw()` in the course style (without touching the student's own
    matplotlib settings), show the figure in `output` when a kernel is running, and
    return the figure. In plain Python (a script, a test) there is nowhere to show it."""
    with mpl.rc_context():
        use_course_style()
        figure = draw()
        plt.close(figure)
    if get_ipython() is not None:
        with output:
            output.clear_output(wait=True)
            display(figure)
    return figure


def paragraph(text: str) -> str:
    """The HTML of a message line under a tool's controls."""
    return f"<p style='font-size:110%; margin:4px 0; line-height:1.4'>{text}</p>"
