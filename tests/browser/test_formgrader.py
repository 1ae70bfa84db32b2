"""The instructor's view: nbgrader's formgrader, served by JupyterLab from a course
directory like this repository, lists every assignment and shows an autograded
submission with its score."""
from __future__ import annotations

import pytest

from tests.browser.jupyterlab import JupyterLab
from tests.browser.visit import new_context
from tests.grading import harness

pytestmark = pytest.mark.xdist_group("formgrader")
ASSIGNMENT = "special_matrices"


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    course_dir = harness.make_course(tmp_path_factory.mktemp("course"), harness.assignment_ids())
    harness.submit(course_dir, "ada", ASSIGNMENT, harness.reference_submission(ASSIGNMENT))
    outcome = harness.grade(course_dir, ASSIGNMENT)["ada"]
    assert outcome.score == outcome.max_score > 0
    server = JupyterLab(course_dir).start()
    yield server, outcome
    server.stop()


@pytest.fixture
def tab(browser, course_lab):
    lab, _ = course_lab
    # The formgrader's pages fetch its API with XHRs that carry no token of their own.
    context = new_context(browser, viewport={"width": 1400, "height": 1000},
                                  extra_http_headers={"Authorization": f"token {lab.token}"})
    page = context.new_page()
    yield page
    context.close()


def test_formgrader_lists_every_assignment(tab, course_lab):
    lab, _ = course_lab
    tab.goto(lab.url("formgrader/manage_assignments"))
    tab.wait_for_selector("table.dataTable tbody td.name", timeout=60_000)
    listed = tab.locator("table.dataTable tbody td.name").all_inner_texts()
    assert sorted(name.strip() for name in listed) == harness.assignment_ids()


def test_formgrader_shows_the_autograded_submission(tab, course_lab):
    lab, outcome = course_lab
    tab.goto(lab.url(f"formgrader/manage_submissions/{ASSIGNMENT}"))
    tab.wait_for_selector("table.dataTable tbody td", timeout=60_000)
    row = tab.locator("table.dataTable tbody tr", has_text="ada")
    assert row.count() == 1
    text = row.inner_text()
    assert "graded" in text.lower() or f"{outcome.score:g}" in text, text

    tab.goto(lab.url(f"formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}"))
    tab.wait_for_selector("table.dataTable tbody td a", timeout=60_000)
    tab.locator("table.dataTable tbody td a").first.click()
    tab.wait_for_selector(".cell", timeout=60_000)
    assert "fixRowTwo" in tab.locator("body").inner_text()
    # Each graded cell has a score box; the formgrader shows the autograded score in it
    # (as the placeholder, until the instructor overrides it).
    tab.wait_for_function("""() => {
        const boxes = [...document.querySelectorAll('input.score')];
        return boxes.length > 0 && boxes.every(box => (box.value || box.placeholder) !== '');
    }""", timeout=60_000)
    scores = tab.eval_on_selector_all(
        "input.score", "boxes => boxes.map(box => Number(box.value || box.placeholder))")
    assert len(scores) == len(outcome.cell_scores)
    assert sum(scores) == outcome.max_score, f"the formgrader shows {scores}"
