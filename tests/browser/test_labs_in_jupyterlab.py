"""Each widget lab, opened in JupyterLab 4 in real Chromium as a student would: Run All
executes without an error or a dead kernel, the tool renders with its figure, and
changing one of its inputs (a slider, a menu, a number box and a button) changes both
the figure and the message the tool shows. A screenshot of each tool after the change
is saved in test-artifacts/screenshots/lab-<name>.png."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Callable

import pytest

from tests.browser import notebook_ui as ui
from tests.browser.jupyterlab import JupyterLab
from tests.conftest import ROOT

# Its own group: one worker runs all the labs against one server, while another worker
# can work through the assignments in theirs.
pytestmark = pytest.mark.xdist_group("widget-labs")

WIDGET_TIMEOUT_MS = 120_000
# The figure a tool draws into its ipywidgets.Output, and the messages it writes.
FIGURE = ".jp-NotebookPanel:not(.lm-mod-hidden) .widget-output img"
MESSAGES = ".jp-NotebookPanel:not(.lm-mod-hidden) .widget-html"


def control(page, kind: str, label: str):
    """The input of the ipywidget of class `widget-<kind>` whose description is `label`."""
    box = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) .widget-{kind}").filter(
        has=page.locator("label", has_text=label))
    return box.first


def move_slider(page, label: str, presses: int = 1) -> None:
    """Nudge a slider with the keyboard, as a student can (arrow keys on its handle)."""
    handle = control(page, "slider", label).locator(".noUi-handle")
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")


def choose(page, label: str, option: str | None = None, index: int | None = None) -> None:
    menu = control(page, "dropdown", label).locator("select")
    menu.select_option(option) if option is not None else menu.select_option(index=index)


def type_number(page, label: str, value: float) -> None:
    box = control(page, "text", label).locator("input")
    box.fill(str(value))
    box.press("Enter")


@dataclass(frozen=True)
class Lab:
    notebook: str
    play: Callable          # what the student does with the tool once it is drawn


def play_sandpit(page):
    type_number(page, "x:", 1.5)
    type_number(page, "y:", -1.0)
    page.get_by_role("button", name="Probe here").click()


def play_sandpit_part2(page):
    choose(page, "Sand:", "many hollows")


def play_taylor(page):
    move_slider(page, "Order n:", 2)


def play_descent(page):
    choose(page, "Step rule:", "Newton")


def play_eigen(page):
    choose(page, "Example:", index=1)     # the first example after "custom"


LABS = {
    "eigen_visualiser": Lab("eigen_visualiser.ipynb", play_eigen),
    "sandpit": Lab("sandpit.ipynb", play_sandpit),
    "sandpit_part2": Lab("sandpit_part2.ipynb", play_sandpit_part2),
    "taylor_series": Lab("taylor_series.ipynb", play_taylor),
    "gradient_descent_sandpit": Lab("gradient_descent_sandpit.ipynb", play_descent),
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("jupyterlab-labs")
    shutil.copytree(ROOT / "labs", root / "labs")
    server = JupyterLab(root).start()
    yield server
    server.stop()


def shown(page) -> tuple[str, str]:
    """The source of the tool's figure and the text of its messages."""
    figure = page.locator(FIGURE).first
    return figure.get_attribute("src"), " | ".join(page.locator(MESSAGES).all_inner_texts())


@pytest.mark.parametrize("name", LABS)
def test_a_student_plays_with_the_lab_in_jupyterlab(tab, lab, artifacts, name):
    ui.open_notebook(tab, lab, f"labs/{LABS[name].notebook}")
    ui.run_all(tab)
    assert not ui.kernel_died(tab)
    errors = {i: ui.error_text(tab, i) for i in range(ui.cells(tab).count())}
    assert not any(errors.values()), {i: e[:300] for i, e in errors.items() if e}
    assert all(p not in ("[ ]:", "[*]:") for p in ui.execution_counts(tab))

    tab.locator(FIGURE).first.wait_for(timeout=WIDGET_TIMEOUT_MS)
    before = shown(tab)
    assert before[0].startswith("data:image/png") or before[0].startswith("blob:"), before[0][:40]
    LABS[name].play(tab)
    # The kernel redraws: a new figure replaces the old one, and the message changes.
    tab.wait_for_function("""([selector, old]) => {
        const img = document.querySelector(selector);
        return img && img.getAttribute('src') !== old; }""", arg=[FIGURE, before[0]],
        timeout=WIDGET_TIMEOUT_MS)
    tab.wait_for_function("""([selector, old]) => [...document.querySelectorAll(selector)]
        .map(e => e.innerText).join(' | ') !== old""", arg=[MESSAGES, before[1]],
        timeout=WIDGET_TIMEOUT_MS)
    after = shown(tab)
    assert after[0] != before[0] and after[1] != before[1]
    ui.wait_for_kernel_idle(tab)      # a slider moved twice redraws twice
    tab.locator(FIGURE).first.scroll_into_view_if_needed()
    tab.screenshot(path=artifacts / "screenshots" / f"lab-{name}.png")
