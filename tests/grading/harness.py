"""Build throw-away nbgrader courses and submissions for the grading-contract tests.

A wrong-submission fixture is a small TOML file in tests/grading/fixtures/<assignment>/:

    description = "what the student got wrong, in a sentence"
    must_fail = ["test_cell_grade_id", ...]     # test cells this mistake must fail
    [cells]
    solution_cell_grade_id = '''
    def f(x):
        ...  # the student's wrong code
    '''

The submission is the released notebook with every solution cell filled in from the
instructor's source, except the cells the fixture replaces.
"""
from __future__ import annotations

import copy
import json
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader import course
from grader.autograde import Outcome
from grader.batch import autograde

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def assignment_ids() -> list[str]:
    return course.assignment_ids(ROOT)


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def cells_by_grade_id(nb: dict) -> dict[str, dict]:
    return {nbgrader_meta(c)["grade_id"]: c for c in nb["cells"] if "grade_id" in nbgrader_meta(c)}


def source_text(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def without_solution_markers(text: str) -> str:
    return "\n".join(line for line in text.split("\n")
                     if line.strip() not in SOLUTION_MARKERS)


def source_notebook(assignment: str) -> dict:
    return read_notebook(ROOT / course.SOURCE / assignment / f"{assignment}.ipynb")


def released_notebook(assignment: str) -> dict:
    return read_notebook(ROOT / course.RELEASE / assignment / f"{assignment}.ipynb")


def solution_cell_ids(nb: dict) -> list[str]:
    return [gid for gid, c in cells_by_grade_id(nb).items() if nbgrader_meta(c).get("solution")]


def test_cell_ids(nb: dict) -> list[str]:
    return [gid for gid, c in cells_by_grade_id(nb).items() if nbgrader_meta(c).get("grade")]


def reference_submission(assignment: str) -> dict:
    """The released notebook with every solution cell answered as in the source."""
    nb = copy.deepcopy(released_notebook(assignment))
    answers = cells_by_grade_id(source_notebook(assignment))
    for grade_id, cell in cells_by_grade_id(nb).items():
        if nbgrader_meta(cell).get("solution"):
            cell["source"] = without_solution_markers(source_text(answers[grade_id]))
    return nb


def signed(nb: dict, student: str) -> dict:
    """A copy of `nb` with the student's name in a comment at the end of its first
    code answer cell. Real students' notebooks differ; identical ones would be graded
    once and share the result (grader.batch)."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and nbgrader_meta(c).get("solution"))
    cell["source"] = source_text(cell) + f"\n# {student}"
    return nb


@dataclass
class WrongSubmission:
    name: str
    description: str
    must_fail: list[str]
    cells: dict[str, str]

    def notebook(self, assignment: str) -> dict:
        nb = reference_submission(assignment)
        by_id = cells_by_grade_id(nb)
        for grade_id, code in self.cells.items():
            by_id[grade_id]["source"] = code.strip("\n")
        return nb


def wrong_submissions(assignment: str) -> list[WrongSubmission]:
    found = []
    for path in sorted((FIXTURES / assignment).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found.append(WrongSubmission(path.stem, data["description"], list(data["must_fail"]),
                                     dict(data["cells"])))
    return found


def make_course(directory: Path, assignments: list[str]) -> Path:
    """A fresh course directory holding these assignments, released, with a new gradebook."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", directory / "nbgrader_config.py")
    for assignment in assignments:
        shutil.copytree(ROOT / course.SOURCE / assignment, directory / course.SOURCE / assignment)
        course.release(directory, assignment)
    return directory


def submit(course_dir: Path, student: str, assignment: str, content: dict | bytes,
           filename: str | None = None) -> Path:
    """Place one student's notebook (a notebook dict, or raw bytes) in submitted/."""
    folder = course_dir / course.SUBMITTED / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (filename or f"{assignment}.ipynb")
    data = content if isinstance(content, bytes) else json.dumps(content, indent=1).encode()
    path.write_bytes(data)
    return path


def grade(course_dir: Path, assignment: str) -> dict[str, Outcome]:
    return {o.student: o for o in autograde(course_dir, assignment)}


SECRET_REGIONS = {"### BEGIN SOLUTION": "### END SOLUTION",
                  "### BEGIN HIDDEN TESTS": "### END HIDDEN TESTS"}


def split_secret_lines(text: str) -> tuple[set[str], set[str]]:
    """(lines inside solution/hidden-test regions, lines outside them), stripped."""
    secret, public, end_marker = set(), set(), None
    for line in text.split("\n"):
        stripped = line.strip()
        if end_marker is None and stripped in SECRET_REGIONS:
            end_marker = SECRET_REGIONS[stripped]
        elif stripped == end_marker:
            end_marker = None
        else:
            (secret if end_marker else public).add(stripped)
    return secret, public


def instructor_only_lines(source: dict) -> set[str]:
    """Distinctive lines that appear only inside the source's secret regions."""
    secret, public = set(), set()
    for cell in source["cells"]:
        inside, outside = split_secret_lines(source_text(cell))
        secret |= inside
        public |= outside
    return {line for line in secret - public if len(line) > 15 and not line.startswith("#")}
