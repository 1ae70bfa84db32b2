"""The instructor report (grader.report), checked against the gradebook itself.

One small course is graded once for the module: special_matrices (the quickest
assignment to grade) with the reference solution, the untouched release (twice: blank
submissions are common, and then one failure message outnumbers the others) and two
wrong submissions, which all run; a corrupt notebook (scored 0 with a note) and a
tampering one (flagged), which never run; a student whose graded notebook is missing
and one who never submitted. A second assignment in the gradebook has no submissions.
Every expectation below is computed again here from the gradebook and the graded
notebooks, not taken from the report's own code.
"""
from __future__ import annotations

import base64
import csv
import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from nbgrader.api import Gradebook, MissingEntry

from grader import course, report
from grader.__main__ import main as grader_main
from tests.grading import harness

pytestmark = pytest.mark.xdist_group("report")

ASSIGNMENT = "special_matrices"
NOBODY_SUBMITS = "next_week"                  # in the gradebook only (releasing costs seconds)
ODD_NAME = 'Zoë <b>"O\'Brien" &amp; co'   # a student id as odd as a folder name allows (no /)
LOST = "lost-notebook"                        # in the gradebook, but nothing in autograded/
ABSENT = "never-submitted"


def tampering_notebook() -> dict:
    nb = harness.reference_submission(ASSIGNMENT)
    cell = harness.cells_by_grade_id(nb)["fixRowTwo"]
    cell["source"] = "import os\n" + harness.source_text(cell)
    return nb


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    root = harness.make_course(tmp_path_factory.mktemp("report-course"), [ASSIGNMENT])
    harness.submit(root, "solution", ASSIGNMENT, harness.reference_submission(ASSIGNMENT))
    harness.submit(root, "release", ASSIGNMENT, harness.released_notebook(ASSIGNMENT))
    harness.submit(root, "release-again", ASSIGNMENT, harness.released_notebook(ASSIGNMENT))
    wrongs = {w.name: w for w in harness.wrong_submissions(ASSIGNMENT)}
    # Two mistakes that fail test_fixRowTwo_adds_row_three, each with its own message.
    for name in ("never_adds_row_three", "adds_row_three_without_re_eliminating"):
        harness.submit(root, f"wrong-{name}", ASSIGNMENT, wrongs[name].notebook(ASSIGNMENT))
    harness.submit(root, ODD_NAME, ASSIGNMENT, b'{"cells": [')
    harness.submit(root, "tamperer", ASSIGNMENT, tampering_notebook())
    harness.grade(root, ASSIGNMENT)
    with Gradebook(course.db_url(root)) as gb:
        gb.add_assignment(NOBODY_SUBMITS)
        gb.add_notebook(NOBODY_SUBMITS, NOBODY_SUBMITS)
        gb.add_grade_cell("test_q1", NOBODY_SUBMITS, NOBODY_SUBMITS, max_score=2, cell_type="code")
        gb.add_student(ABSENT)
        gb.add_student(LOST)
        gb.add_submission(ASSIGNMENT, LOST)
    return root


@pytest.fixture(scope="module")
def written(graded_course) -> dict[str, Path]:
    return report.write_report(graded_course, graded_course / "report")


@pytest.fixture(scope="module")
def page(written) -> BeautifulSoup:
    return BeautifulSoup(written["report.html"].read_text(encoding="utf-8"), "html.parser")


def section(page: BeautifulSoup, assignment: str):
    found = [s for s in page.find_all("section") if s.h2.get_text() == assignment]
    assert len(found) == 1, f"one section for {assignment}"
    return found[0]


def gradebook_truth(root: Path) -> dict:
    """(student, assignment) -> what the gradebook holds; None when not submitted."""
    truth = {}
    with Gradebook(course.db_url(root)) as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    truth[student.id, assignment.name] = None
                    continue
                truth[student.id, assignment.name] = {
                    "score": sub.score, "max_score": sub.max_score,
                    "flagged": any(nb.flagged for nb in sub.notebooks),
                    "cells": {g.name: (g.score, g.max_score) for nb in sub.notebooks
                              for g in nb.grades}}
    return truth


def test_cli_writes_both_files_and_prints_their_paths(graded_course, tmp_path, capsys):
    output = tmp_path / "out"
    assert grader_main(["--root", str(graded_course), "report", "--output", str(output)]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in printed) == ["grades.csv", "report.html"]
    assert all(Path(p).parent == output and Path(p).stat().st_size > 0 for p in printed)


def test_csv_has_a_row_per_student_and_assignment_matching_the_gradebook(graded_course, written):
    truth = gradebook_truth(graded_course)
    with written["grades.csv"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["student"], r["assignment"]) for r in rows} == set(truth)
    assert len(rows) == len(truth)
    test_cells = harness.test_cell_ids(harness.released_notebook(ASSIGNMENT))
    assert set(test_cells) <= set(rows[0])
    for row in rows:
        expected = truth[row["student"], row["assignment"]]
        if expected is None:
            assert row["submitted"] == "False" and row["score"] == ""
            continue
        assert row["submitted"] == "True"
        assert float(row["score"]) == pytest.approx(expected["score"])
        assert float(row["max_score"]) == pytest.approx(expected["max_score"])
        assert row["flagged"] == str(expected["flagged"])
        for cell in test_cells:
            assert float(row[cell]) == pytest.approx(expected["cells"][cell][0]), (row["student"], cell)
    by_student = {r["student"]: r for r in rows if r["assignment"] == ASSIGNMENT}
    assert by_student["tamperer"]["flagged"] == "True"
    assert float(by_student["solution"]["score"]) == float(by_student["solution"]["max_score"]) > 0
    assert float(by_student[ODD_NAME]["score"]) == 0
    assert all(r["submitted"] == "False" for r in rows if r["assignment"] == NOBODY_SUBMITS)


def test_page_pass_rates_match_the_gradebook(graded_course, page):
    truth = {key: value for key, value in gradebook_truth(graded_course).items()
             if key[1] == ASSIGNMENT and value is not None}
    rows = {tr["data-cell"]: tr for tr in section(page, ASSIGNMENT).find_all("tr", attrs={"data-cell": True})}
    test_cells = harness.test_cell_ids(harness.released_notebook(ASSIGNMENT))
    assert list(rows) == test_cells
    rates = []
    for cell in test_cells:
        passed = sum(1 for sub in truth.values() if sub["cells"][cell][0] >= sub["cells"][cell][1])
        shown = rows[cell].find("td", class_="passed").get_text()
        assert shown == f"{passed} of {len(truth)} ({100 * passed / len(truth):.0f}%)", cell
        rates.append(passed)
    assert len(set(rates)) > 1, "the batch should tell the test cells apart"


def error_messages(root: Path) -> dict[str, Counter]:
    """test cell -> Counter of `ename: evalue`, one count per graded notebook."""
    counts: dict[str, Counter] = {}
    for path in (root / course.AUTOGRADED).glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
            messages = {o["ename"] + (f": {o['evalue'].strip()}" if o["evalue"].strip() else "")
                        for o in errors}
            counts.setdefault(meta["grade_id"], Counter()).update(messages)
    return counts


def test_most_frequent_hint_is_the_most_frequent_error_in_the_graded_notebooks(graded_course, page):
    counts = error_messages(graded_course)
    rows = {tr["data-cell"]: tr for tr in section(page, ASSIGNMENT).find_all("tr", attrs={"data-cell": True})}
    assert any(len(set(c.values())) > 1 for c in counts.values()), (
        "some test cell should show messages of different frequencies, or the order is untested")
    for cell, tr in rows.items():
        listed = [(li.find("code").get_text(), int(li.find(class_="count").get_text().rstrip("×")))
                  for li in tr.find_all("li")]
        if cell not in counts:
            assert not listed
            continue
        top_count = counts[cell].most_common(1)[0][1]
        first_message, first_count = listed[0]
        assert first_count == top_count == counts[cell][first_message], cell
        assert all(counts[cell][message] == count for message, count in listed), cell


def test_flagged_and_zero_scores_are_listed_with_the_graders_notes(page):
    look_at = section(page, ASSIGNMENT).find("table", class_="look-at")
    rows = {tr.find("td").get_text(): tr for tr in look_at.find("tbody").find_all("tr")}
    assert {"tamperer", ODD_NAME, "release", LOST} <= set(rows)
    assert "solution" not in rows
    assert "flagged" in rows["tamperer"].get_text()
    assert "reach for the grading machinery" in rows["tamperer"].get_text()
    assert "not valid notebook JSON" in rows[ODD_NAME].get_text()
    assert "flagged" not in rows[ODD_NAME].get_text()


def test_names_are_escaped_and_missing_pieces_are_said(written, page):
    text = written["report.html"].read_text(encoding="utf-8")
    assert ODD_NAME not in text and html.escape(ODD_NAME) in text
    assert LOST in section(page, ASSIGNMENT).find(class_="missing").get_text()
    assert "No submissions yet" in section(page, NOBODY_SUBMITS).get_text()
    assert not section(page, NOBODY_SUBMITS).find("img")


def test_page_is_self_contained_with_inline_images(written, page):
    text = written["report.html"].read_text(encoding="utf-8")
    links = [tag.get(attr) for tag in page.find_all(True) for attr in ("src", "href") if tag.get(attr)]
    external = [link for link in links if re.match(r"\s*(https?:|//)", link) or "://" in link]
    assert not external, external
    assert "url(" not in text and "@import" not in text and not page.find("script")
    images = section(page, ASSIGNMENT).find_all("img")
    assert len(images) == 2
    for image in images:
        assert image["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(image["src"].split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
