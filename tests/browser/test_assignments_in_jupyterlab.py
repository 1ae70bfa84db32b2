"""Each released assignment, worked in JupyterLab 4 in real Chromium as a student would:
Run All on the untouched notebook stops at the nbgrader placeholder without killing the
kernel; a typical mistake typed in makes a visible test fail with its student-facing
message; the reference solution typed in passes the visible tests and nbgrader's
Validate button reports success.

What the page should show is worked out from the notebooks themselves (where the first
placeholder is, which test cells a mistake must fail), not by running them a second
time outside the browser."""
from __future__ import annotations

import re
import shutil

import pytest

from tests.browser import notebook_ui as ui
from tests.browser.jupyterlab import JupyterLab
from tests.grading import harness

ASSIGNMENTS = harness.assignment_ids()
# Three xdist groups, so that three workers can share the 21 assignments; each worker
# that runs any of them starts one JupyterLab server (the module-scoped `lab`).
LAB_GROUPS = 3
# How a failed assert with a message for the student ends its traceback.
ASSERT_WITH_MESSAGE = re.compile(r"^AssertionError: *\S", re.MULTILINE)


def per_assignment():
    return [pytest.param(a, id=a, marks=pytest.mark.xdist_group(f"jupyterlab-{i % LAB_GROUPS}"))
            for i, a in enumerate(ASSIGNMENTS)]


def first_placeholder(nb: dict) -> int:
    """Index of the first answer cell that still raises nbgrader's placeholder."""
    return next(i for i, c in enumerate(nb["cells"])
                if c["cell_type"] == "code" and harness.nbgrader_meta(c).get("solution")
                and "NotImplementedError" in harness.source_text(c))


def first_error(page) -> tuple[int, str] | None:
    """(index, traceback text) of the first cell that shows an error, or None."""
    for index in range(ui.cells(page).count()):
        shown = ui.error_text(page, index)
        if shown:
            return index, shown
    return None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("jupyterlab")
    server = JupyterLab(root).start()
    yield server
    server.stop()


def student_copy(lab: JupyterLab, assignment: str, who: str) -> str:
    """A fresh copy of the released assignment folder in the server's root; its path."""
    folder = lab.root / who / assignment
    shutil.copytree(harness.ROOT / "assignments" / assignment, folder)
    return f"{who}/{assignment}/{assignment}.ipynb"


def type_solutions(page, nb: dict, typed: dict[int, str]) -> None:
    """Type the solution cells of `nb` into the open notebook; `typed` (cell index ->
    text) remembers what is already there, so only the cells that differ are retyped."""
    for index, cell in enumerate(nb["cells"]):
        text = harness.source_text(cell)
        if harness.nbgrader_meta(cell).get("solution") and typed.get(index) != text:
            ui.set_source(page, index, text)
            typed[index] = text


def grade_id(nb: dict, index: int) -> str | None:
    return harness.nbgrader_meta(nb["cells"][index]).get("grade_id")


@pytest.mark.parametrize("assignment", per_assignment())
def test_a_student_works_the_assignment_in_jupyterlab(tab, lab, assignment):
    path = student_copy(lab, assignment, "student")
    released = harness.released_notebook(assignment)
    placeholder = first_placeholder(released)
    ui.open_notebook(tab, lab, path)

    # 1. Run All on the untouched notebook: it stops with the placeholder's
    #    NotImplementedError (in the answer cell's first caller, at or after the answer
    #    cell), every code cell up to there has run, and the kernel survives.
    ui.run_all(tab)
    assert not ui.kernel_died(tab)
    error = first_error(tab)
    assert error and error[0] >= placeholder, f"first error shown: {error}"
    assert "NotImplementedError" in error[1], error[1][-500:]
    code_cells_up_to_it = sum(1 for c in released["cells"][:error[0] + 1] if c["cell_type"] == "code")
    prompts = ui.execution_counts(tab)[:code_cells_up_to_it]
    assert all(p not in ("[ ]:", "[*]:") for p in prompts), f"cells before the error did not run: {prompts}"

    # 2. A typical mistake typed in: the first error on the page is a visible test that
    #    the mistake must fail, showing its failed assert's message for the student.
    #    (Some mistakes are caught only by hidden tests: the first fixture a visible
    #    test catches is the one shown.)
    tried, typed = {}, {}
    for wrong in harness.wrong_submissions(assignment):
        type_solutions(tab, wrong.notebook(assignment), typed)
        ui.run_all(tab)
        assert not ui.kernel_died(tab)
        error = first_error(tab)
        tried[wrong.name] = error and (grade_id(released, error[0]), error[1][-300:])
        if (error and grade_id(released, error[0]) in wrong.must_fail
                and ASSERT_WITH_MESSAGE.search(error[1])):
            break
    else:
        pytest.fail(f"no fixture of {assignment} fails a visible test in JupyterLab: {tried}")

    # 3. The reference solution typed in: no cell fails, and Validate reports success.
    type_solutions(tab, harness.reference_submission(assignment), typed)
    ui.save(tab)
    ui.run_all(tab)
    assert not ui.kernel_died(tab)
    errors = {i: ui.error_text(tab, i) for i in range(ui.cells(tab).count())}
    assert not any(errors.values()), {i: e[:300] for i, e in errors.items() if e}
    assert all(p not in ("[ ]:", "[*]:") for p in ui.execution_counts(tab))
    verdict = ui.validate(tab)
    assert "Success" in verdict and "passes all the tests" in verdict, verdict
