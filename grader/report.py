"""The instructor's report: grades.csv and report.html, from the gradebook.

`write_report(root, output_dir)` reads the course gradebook (every student, every
assignment) and the graded notebooks in autograded/<student>/<id>/, and writes

* grades.csv: one row per student and assignment: whether they submitted, the score,
  the maximum, whether the submission is flagged for review (set by the grader when
  the screen found tampering), and the score of every test cell;
* report.html: one self-contained page (drawn by grader.report_page) with, per
  assignment, the spread of total scores, the pass rate of every test cell, the
  failure messages ("hints") students met most often, and the submissions to look
  at: flagged ones, and those that scored 0, with the grader's notes.

The gradebook is the record of scores. The graded notebooks add only what it does
not hold: the error each test cell showed, and the grader's notes cell.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from grader import course
from grader.batch import NOTES_CELL_TAG

HINTS_PER_CELL = 3      # failure messages listed per test cell, most frequent first


@dataclass
class TestCell:
    """An autograded test cell: nbgrader `grade` without `solution`."""
    name: str
    notebook: str
    points: float


@dataclass
class Row:
    """One student's result for one assignment (a line of grades.csv)."""
    student: str
    assignment: str
    max_score: float
    submitted: bool = False
    score: float | None = None
    flagged: bool = False
    cell_scores: dict[str, float] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)   # test cell -> its error messages
    notes: list[str] = field(default_factory=list)                 # from the grader's notes cell
    missing_notebooks: list[str] = field(default_factory=list)     # graded notebooks not found


@dataclass
class AssignmentReport:
    name: str
    max_score: float
    test_cells: list[TestCell]
    rows: list[Row]             # every student in the gradebook, submitted or not

    @property
    def submissions(self) -> list[Row]:
        return [row for row in self.rows if row.submitted]

    def passed(self, cell: TestCell) -> int:
        """How many submissions earned all of this cell's points."""
        return sum(1 for row in self.submissions
                   if row.cell_scores.get(cell.name, 0) >= cell.points)

    def top_failures(self, cell: TestCell, limit: int = HINTS_PER_CELL) -> list[tuple[str, int]]:
        """The most frequent failure messages of one test cell, with how many
        submissions met each; ties in alphabetical order, so the page is stable."""
        counts = Counter(message for row in self.submissions
                         for message in set(row.failures.get(cell.name, [])))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def to_look_at(self) -> list[Row]:
        """Submissions an instructor should open: flagged for review, or scored 0."""
        return [row for row in self.submissions if row.flagged or not row.score]


# ------------------------------------------------------------------ reading the course
def read_course(root: Path) -> list[AssignmentReport]:
    """Every assignment of the gradebook, with a row for every student."""
    reports = []
    with Gradebook(course.db_url(root)) as gb:
        students = sorted(student.id for student in gb.students)
        for assignment in gb.assignments:
            max_score = float(assignment.max_score or 0.0)
            cells = test_cells(root, assignment)
            by_student = {sub.student.id: sub for sub in assignment.submissions}
            rows = []
            for student in students:
                row = Row(student, assignment.name, max_score)
                if student in by_student:
                    read_submission(root, by_student[student], cells, row)
                rows.append(row)
            reports.append(AssignmentReport(assignment.name, max_score, cells, rows))
    return reports


def test_cells(root: Path, assignment) -> list[TestCell]:
    """The assignment's test cells from the gradebook, in the order of the released
    notebook (the gradebook keeps no order)."""
    cells = []
    for notebook in assignment.notebooks:
        answers = {cell.name for cell in notebook.solution_cells}
        found = {cell.name: TestCell(cell.name, notebook.name, float(cell.max_score))
                 for cell in notebook.grade_cells
                 if cell.cell_type == "code" and cell.name not in answers}
        order = released_order(root / course.RELEASE / assignment.name / f"{notebook.name}.ipynb")
        cells += sorted(found.values(), key=lambda c: (order.get(c.name, len(order)), c.name))
    return cells


def released_order(path: Path) -> dict[str, int]:
    """grade_id -> position in the released notebook (empty if it is not there)."""
    nb = read_notebook(path)
    if nb is None:
        return {}
    ids = [nbgrader_meta(cell).get("grade_id") for cell in nb.get("cells", [])]
    return {grade_id: index for index, grade_id in enumerate(ids) if grade_id}


def read_submission(root: Path, submission, cells: list[TestCell], row: Row) -> None:
    """Fill `row` from the gradebook's record and the graded notebooks."""
    row.submitted = True
    row.score = float(submission.score or 0.0)
    names = {cell.name for cell in cells}
    for notebook in submission.notebooks:
        row.flagged = row.flagged or bool(notebook.flagged)
        row.cell_scores.update({grade.name: float(grade.score or 0.0)
                                for grade in notebook.grades if grade.name in names})
        path = root / course.AUTOGRADED / row.student / row.assignment / f"{notebook.name}.ipynb"
        graded = read_notebook(path)
        if graded is None:
            row.missing_notebooks.append(notebook.name)
            continue
        row.notes += grader_notes(graded)
        for grade_id, messages in failure_messages(graded).items():
            if grade_id in names:
                row.failures.setdefault(grade_id, []).extend(messages)


def read_notebook(path: Path) -> dict | None:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return nb if isinstance(nb, dict) else None


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def source_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def is_test_cell(cell: dict) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def failure_message(output: dict) -> str:
    """`ename: evalue` of an error output: what the student saw under a failed test
    (for our tests, the hint the test's author wrote in the assert)."""
    ename, evalue = output.get("ename") or "Error", str(output.get("evalue") or "").strip()
    return f"{ename}: {evalue}" if evalue else ename


def failure_messages(nb: dict) -> dict[str, list[str]]:
    """grade_id -> the error messages shown by that test cell in a graded notebook."""
    found: dict[str, list[str]] = {}
    for cell in nb.get("cells", []):
        if is_test_cell(cell):
            errors = [failure_message(output) for output in cell.get("outputs", [])
                      if output.get("output_type") == "error"]
            if errors:
                found[nbgrader_meta(cell).get("grade_id", "")] = errors
    return found


def grader_notes(nb: dict) -> list[str]:
    """The bullet points of the grader's notes cell (grader.batch puts it first)."""
    cells = nb.get("cells", [])
    if not cells or NOTES_CELL_TAG not in cells[0].get("metadata", {}).get("tags", []):
        return []
    return [line[2:].strip() for line in source_text(cells[0]).splitlines()
            if line.startswith("- ")]


# ------------------------------------------------------------------ writing
def number(value: float | None) -> str:
    """3.0 -> '3', 2.5 -> '2.5', None -> '' (no submission: no score, rather than 0)."""
    return "" if value is None else f"{value:g}"


def write_csv(reports: list[AssignmentReport], path: Path) -> None:
    """grades.csv: one row per (student, assignment); one column per test cell, left
    empty on the rows of other assignments."""
    cell_columns = list(dict.fromkeys(cell.name for report in reports for cell in report.test_cells))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "submitted", "score", "max_score", "flagged",
                         *cell_columns])
        for report in reports:
            own = {cell.name for cell in report.test_cells}
            for row in report.rows:
                cells = [number(row.cell_scores.get(name)) if name in own and row.submitted else ""
                         for name in cell_columns]
                writer.writerow([row.student, row.assignment, row.submitted, number(row.score),
                                 number(row.max_score), row.flagged, *cells])


def write_report(root: Path, output_dir: Path) -> dict[str, Path]:
    """Write grades.csv and report.html into `output_dir`; returns {file name: path}."""
    from grader import report_page    # matplotlib: only when a page is drawn
    root = Path(root).resolve()
    if course.db_url(root) == course.sqlite_url(root) and not (root / course.GRADEBOOK).is_file():
        # Opening a missing gradebook file would create an empty one: say so instead.
        # (A database server, MML_GRADEBOOK_URL, is the instructor's to set up.)
        raise FileNotFoundError(f"no {course.GRADEBOOK} in {root}: release and grade an assignment first")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    reports = read_course(root)
    written = {"grades.csv": output_dir / "grades.csv", "report.html": output_dir / "report.html"}
    write_csv(reports, written["grades.csv"])
    page = report_page.render(reports, course_name=root.name, csv_name="grades.csv")
    written["report.html"].write_text(page, encoding="utf-8")
    return written
