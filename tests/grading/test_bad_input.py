"""`make autograde` on a batch with broken, misnamed, empty and never-ending submissions:
each gets a clear line naming the student and the reason and a recorded score, the
others are graded, no student file is changed, and the exit status is 0."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from grader import course
from grader.batch import default_workers
from tests.grading import harness

ASSIGNMENT = "special_matrices"
LOOP_TIMEOUT = 4    # seconds per cell in this test's course
pytestmark = pytest.mark.xdist_group("bad_input")


def file_digests(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    course_dir = harness.make_course(tmp_path_factory.mktemp("bad-input"), [ASSIGNMENT])
    # The course's own nbgrader_config.py stops the loop; here with a shorter limit than
    # the repository's 30 s (checked below), so the test does not spin a core for 30 s.
    with open(course_dir / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Execute.timeout = {LOOP_TIMEOUT}\n")
    reference = harness.reference_submission(ASSIGNMENT)
    harness.submit(course_dir, "ada", ASSIGNMENT, reference)
    harness.submit(course_dir, "brook", ASSIGNMENT, reference, filename="special_matrices (1).ipynb")
    harness.submit(course_dir, "chen", ASSIGNMENT, b"this is not JSON at all")
    harness.submit(course_dir, "dana", ASSIGNMENT, b"")
    (course_dir / "submitted" / "eli" / ASSIGNMENT).mkdir(parents=True)   # handed in nothing
    looping = harness.reference_submission(ASSIGNMENT)
    harness.cells_by_grade_id(looping)["fixRowTwo"]["source"] = (
        "while True:  # left in while experimenting\n    pass\n")
    harness.submit(course_dir, "finn", ASSIGNMENT, looping)

    before = file_digests(course_dir / "submitted")
    run = subprocess.run([sys.executable, "-m", "grader", "--root", str(course_dir),
                          "autograde", ASSIGNMENT], capture_output=True, text=True)
    after = file_digests(course_dir / "submitted")
    return course_dir, run, before, after


def summary_line(run, student):
    lines = [line for line in run.stdout.splitlines() if line.startswith(student + " ")]
    assert len(lines) == 1, f"expected one summary line for {student}:\n{run.stdout}"
    return lines[0]


def test_exit_status_is_zero_when_only_student_work_failed(batch):
    _, run, _, _ = batch
    assert run.returncode == 0, run.stdout + run.stderr
    assert "failed to grade: 0" in run.stdout


def test_the_batch_says_how_many_notebooks_it_grades_at_once(batch):
    _, run, _, _ = batch
    assert f"Grading {default_workers()} notebooks at a time" in run.stdout, run.stdout[:500]
    assert default_workers() > (os.cpu_count() or 1)     # a job leaves its core idle at times


def test_every_student_has_a_recorded_score(batch):
    course_dir, _, _, _ = batch
    with Gradebook(course.db_url(course_dir)) as gb:
        scores = {s.student.id: (s.score, s.max_score) for s in gb.assignment_submissions(ASSIGNMENT)}
    assert scores["ada"] == (10, 10)
    assert scores["brook"] == (10, 10)
    for student in ("chen", "dana", "eli"):
        assert scores[student] == (0, 10), f"{student} should be recorded with 0/10"
    # The looping cell is stopped, the rest of finn's notebook still counts.
    assert 0 < scores["finn"][0] < 10


@pytest.mark.parametrize("student, reason", [
    ("brook", r"graded 'special_matrices \(1\)\.ipynb' as 'special_matrices\.ipynb'"),
    ("chen", r"not valid notebook JSON"),
    ("dana", r"empty file"),
    ("eli", r"no notebook named 'special_matrices\.ipynb'"),
    ("finn", r"'fixRowTwo' ran past the time limit and was stopped"),
])
def test_each_problem_gets_a_clear_line_naming_the_student(batch, student, reason):
    _, run, _, _ = batch
    assert re.search(reason, summary_line(run, student))


def test_the_configured_timeout_is_what_stopped_the_loop(batch):
    course_dir, _, _, _ = batch
    assert course.load_config(harness.ROOT).Execute.timeout == 30, (
        "nbgrader_config.py sets the per-cell timeout explicitly")
    assert course.load_config(course_dir).Execute.timeout == LOOP_TIMEOUT
    graded = course_dir / "autograded" / "finn" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cell = harness.cells_by_grade_id(json.loads(graded.read_text()))["fixRowTwo"]
    errors = [o.get("ename") for o in cell["outputs"] if o["output_type"] == "error"]
    assert "CellTimeoutError" in errors, f"the looping cell should be stopped by the timeout: {errors}"


def test_no_submitted_file_is_modified_or_lost(batch):
    _, _, before, after = batch
    assert before and before == after
