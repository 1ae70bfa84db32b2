"""The adversarial corpus: attacks and malformed submissions, one TOML file per kind in
tests/grading/attacks/, each turned into a real submission for any assignment.

    description = "what the student tries, in a sentence"
    base = "release"     # answers: the untouched release (earns 0) or "solution" (earns full marks)
    expect = "zero"      # the fair grade: "zero", or "full" (a harmless oddity must not cost marks)
    reason = "regex"     # optional: a line the student and instructor must be told

and one way of building the submission from the base notebook:

    first_answer = '''code'''   # replaces the first answer cell
    added_cell = '''code'''     # a cell the student added at the end
    edit = "name"               # a change to the notebook's structure (EDITS below)
    file = "name"               # a malformed file or folder (FILES below)
"""
from __future__ import annotations

import copy
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tests.grading import harness

ATTACKS = Path(__file__).resolve().parent / "attacks"


@dataclass
class Attack:
    name: str
    description: str
    base: str
    expect: str
    reason: str | None
    first_answer: str | None = None
    added_cell: str | None = None
    edit: str | None = None
    file: str | None = None


def attacks() -> list[Attack]:
    found = []
    for path in sorted(ATTACKS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found.append(Attack(path.stem, data["description"], data["base"], data["expect"],
                            data.get("reason"), data.get("first_answer"), data.get("added_cell"),
                            data.get("edit"), data.get("file")))
    return found


def base_notebook(attack: Attack, assignment: str) -> dict:
    if attack.base == "solution":
        return harness.reference_submission(assignment)
    return copy.deepcopy(harness.released_notebook(assignment))


def test_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if harness.nbgrader_meta(c).get("grade")
            and not harness.nbgrader_meta(c).get("solution")]


# ------------------------------------------------------------ structural edits
def edit_test_cells(nb):
    for cell in test_cells(nb):
        cell["source"] = "pass  # tests? what tests?"


def delete_test_cells(nb):
    nb["cells"] = [c for c in nb["cells"] if c not in test_cells(nb)]


def duplicate_test_cells(nb):
    doubled = []
    for cell in nb["cells"]:
        doubled.append(cell)
        if cell in test_cells(nb):
            twin = copy.deepcopy(cell)
            twin["id"] = cell["id"] + "-2"
            doubled.append(twin)
    nb["cells"] = doubled


def move_test_cells_first(nb):
    tests = test_cells(nb)
    nb["cells"] = tests + [c for c in nb["cells"] if c not in tests]


def raise_points(nb):
    for cell in test_cells(nb):
        cell["metadata"]["nbgrader"]["points"] = 1000


def test_cells_to_markdown(nb):
    for cell in test_cells(nb):
        cell["cell_type"] = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def answer_cell_becomes_test(nb):
    """Mark the answer cells as graded test cells worth points, hoping they count."""
    for cell in nb["cells"]:
        meta = harness.nbgrader_meta(cell)
        if meta.get("solution"):
            meta.update(grade=True, solution=False, points=50)
            cell["source"] = "pass"


def renamed_grade_ids(nb):
    for cell in test_cells(nb):
        cell["metadata"]["nbgrader"]["grade_id"] += "_mine"


def huge_outputs(nb):
    """About 50 MB of stored output: the notebook is huge, its answers are fine."""
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (50 * 1024 ** 2)}]


def duplicate_cell_ids(nb):
    for cell in nb["cells"]:
        cell["id"] = "same-id"


EDITS = {f.__name__: f for f in (edit_test_cells, delete_test_cells, duplicate_test_cells,
                                 move_test_cells_first, raise_points, test_cells_to_markdown,
                                 answer_cell_becomes_test, renamed_grade_ids, huge_outputs,
                                 duplicate_cell_ids)}


# ------------------------------------------------------------ malformed files and folders
def place(course_dir: Path, student: str, assignment: str, attack: Attack) -> str:
    """Put the attack's submission in submitted/; returns the student folder name used."""
    nb = base_notebook(attack, assignment)
    if attack.first_answer is not None:
        first = harness.solution_cell_ids(harness.released_notebook(assignment))[0]
        harness.cells_by_grade_id(nb)[first]["source"] = attack.first_answer.strip("\n")
    if attack.added_cell is not None:
        nb["cells"].append({"cell_type": "code", "id": "student-added", "metadata": {},
                            "execution_count": None, "outputs": [],
                            "source": attack.added_cell.strip("\n")})
    if attack.edit is not None:
        EDITS[attack.edit](nb)
    if attack.file is None:
        harness.submit(course_dir, student, assignment, nb)
        return student
    return FILES[attack.file](course_dir, student, assignment, nb)


def invalid_json(course_dir, student, assignment, nb):
    harness.submit(course_dir, student, assignment, json.dumps(nb).encode()[:-200])
    return student


def empty_file(course_dir, student, assignment, nb):
    harness.submit(course_dir, student, assignment, b"")
    return student


def binary_garbage(course_dir, student, assignment, nb):
    harness.submit(course_dir, student, assignment, bytes(range(256)) * 64)
    return student


def json_but_not_a_notebook(course_dir, student, assignment, nb):
    harness.submit(course_dir, student, assignment, b'{"answers": [1, 2, 3]}')
    return student


def nbformat3(course_dir, student, assignment, nb):
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {},
           "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "outputs": [],
                                      "language": "python"}]}]}
    harness.submit(course_dir, student, assignment, old)
    return student


def wrong_file_name(course_dir, student, assignment, nb):
    harness.submit(course_dir, student, assignment, nb, filename=f"{assignment}-final (2).ipynb")
    return student


def missing_notebook(course_dir, student, assignment, nb):
    folder = course_dir / "submitted" / student / assignment
    folder.mkdir(parents=True)
    (folder / "README.txt").write_text("I could not get JupyterLab to save, sorry!\n")
    return student


def extra_files(course_dir, student, assignment, nb):
    path = harness.submit(course_dir, student, assignment, nb)
    (path.parent / "numpy.py").write_text("def allclose(*a, **k):\n    return True\n")
    (path.parent / "notes.csv").write_text("a,b\n1,2\n")
    (path.parent / "big.bin").write_bytes(os.urandom(2 * 1024 ** 2))
    return student


def odd_folder_name(course_dir, student, assignment, nb):
    odd = f"{student} Zoë O'Brien; rm -rf ~ $(x)"
    harness.submit(course_dir, odd, assignment, nb)
    return odd


def symlink_to_the_source(course_dir, student, assignment, nb):
    """The notebook is a link to the instructor's source, solutions and all."""
    folder = course_dir / "submitted" / student / assignment
    folder.mkdir(parents=True)
    (folder / f"{assignment}.ipynb").symlink_to(course_dir / "source_solutions" / assignment
                                                / f"{assignment}.ipynb")
    return student


FILES = {f.__name__: f for f in (invalid_json, empty_file, binary_garbage, json_but_not_a_notebook,
                                 nbformat3, wrong_file_name, missing_notebook, extra_files,
                                 odd_folder_name, symlink_to_the_source)}
