"""Each released assignment, worked in JupyterLab 4 in real Chromium as a student would:
Run All on the untouched notebook stops at the nbgrader placeholder without killing the
kernel; a typical mistake typed in makes a visible test fail with its student-facing
message; the reference solution typed in passes the visible tests and nbgrader's
Validate button reports success."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.browser import notebook_ui as ui
from tests.browser.jupyterlab import JupyterLab
from tests.grading import harness

ASSIGNMENTS = harness.assignment_ids()
# Three xdist groups, so that three workers can share the 21 assignments; each worker
# that runs any of them starts one JupyterLab server (the module-scoped `lab`).
LAB_GROUPS = 3


def per_assignment():
    return [pytest.param(a, id=a, marks=pytest.mark.xdist_group(f"jupyterlab-{i % LAB_GROUPS}"))
            for i, a in enumerate(ASSIGNMENTS)]


@dataclass
class FirstError:
    index: int       # cell index in the notebook
    ename: str
    evalue: str


def first_error(nb: dict, folder) -> FirstError | None:
    """Run the notebook headless the way Run All does (stop at the first error)."""
    node = nbformat.reads(json.dumps(nb), as_version=4)
    client = NotebookClient(node, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()
    except CellExecutionError:
        for index, cell in enumerate(node.cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    return FirstError(index, output["ename"], output["evalue"])
        raise
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


def type_solutions(page, nb: dict) -> None:
    """Type every solution cell of `nb` into the open notebook."""
    for index, cell in enumerate(nb["cells"]):
        if harness.nbgrader_meta(cell).get("solution"):
            ui.set_source(page, index, harness.source_text(cell))


def first_caught_mistake(assignment: str, folder) -> tuple[dict, FirstError]:
    """The first wrong-submission fixture a visible test catches, and the message that
    test gives when the notebook is run headless."""
    for wrong in harness.wrong_submissions(assignment):
        nb = wrong.notebook(assignment)
        expected = first_error(nb, folder)
        if expected and expected.ename == "AssertionError" and expected.evalue:
            return nb, expected
    pytest.fail(f"no fixture of {assignment} fails a visible test with a message")


@pytest.mark.parametrize("assignment", per_assignment())
def test_a_student_works_the_assignment_in_jupyterlab(tab, lab, assignment):
    path = student_copy(lab, assignment, "student")
    folder = lab.root / "student" / assignment
    released = harness.released_notebook(assignment)
    placeholder = first_error(released, folder)
    mistaken_nb, mistake = first_caught_mistake(assignment, folder)
    ui.open_notebook(tab, lab, path)

    # 1. Run All on the untouched notebook: it stops at the first placeholder, and
    #    every code cell before it has run; the kernel survives.
    assert placeholder and placeholder.ename == "NotImplementedError"
    ui.run_all(tab)
    assert not ui.kernel_died(tab)
    assert "NotImplementedError" in ui.error_text(tab, placeholder.index)
    code_cells_before = sum(1 for c in released["cells"][:placeholder.index + 1] if c["cell_type"] == "code")
    prompts = ui.execution_counts(tab)[:code_cells_before]
    assert all(p not in ("[ ]:", "[*]:") for p in prompts), f"cells before the placeholder did not run: {prompts}"

    # 2. A typical mistake typed in: the visible test shows its student-facing message.
    type_solutions(tab, mistaken_nb)
    ui.run_all(tab)
    assert not ui.kernel_died(tab)
    shown = ui.error_text(tab, mistake.index)
    assert "AssertionError" in shown and mistake.evalue.strip().splitlines()[0] in shown, shown

    # 3. The reference solution typed in: no cell fails, and Validate reports success.
    type_solutions(tab, harness.reference_submission(assignment))
    ui.save(tab)
    ui.run_all(tab)
    assert not ui.kernel_died(tab)
    errors = {i: ui.error_text(tab, i) for i in range(ui.cells(tab).count())}
    assert not any(errors.values()), {i: e[:300] for i, e in errors.items() if e}
    assert all(p not in ("[ ]:", "[*]:") for p in ui.execution_counts(tab))
    verdict = ui.validate(tab)
    assert "Success" in verdict and "passes all the tests" in verdict, verdict
