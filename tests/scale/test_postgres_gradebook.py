"""The same grading with the gradebook in PostgreSQL (MML_GRADEBOOK_URL) as in the
default SQLite file: one batch graded in parallel into each, identical scores, and
plain `nbgrader export` reads the PostgreSQL gradebook too."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader import course, report
from grader.batch import SCRATCH_STUDENT, autograde
from tests.grading import harness
from tests.scale import postgres

ASSIGNMENT = "special_matrices"
pytestmark = pytest.mark.xdist_group("postgres_gradebook")


def make_class(course_dir: Path) -> Path:
    """A course with the reference solution, the untouched release, three wrong
    submissions and a corrupt file."""
    harness.make_course(course_dir, [ASSIGNMENT])
    harness.submit(course_dir, "solution", ASSIGNMENT, harness.reference_submission(ASSIGNMENT))
    harness.submit(course_dir, "release", ASSIGNMENT, harness.released_notebook(ASSIGNMENT))
    harness.submit(course_dir, "corrupt", ASSIGNMENT, b'{"cells": [')
    for wrong in harness.wrong_submissions(ASSIGNMENT)[:3]:
        harness.submit(course_dir, f"wrong-{wrong.name}", ASSIGNMENT, wrong.notebook(ASSIGNMENT))
    return course_dir


def gradebook_scores(url: str) -> dict[str, tuple]:
    """student -> (score, max_score, {cell: score}), read straight from a gradebook."""
    scores = {}
    with Gradebook(url) as gb:
        for student in gb.students:
            submission = gb.find_submission(ASSIGNMENT, student.id)
            cells = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            scores[student.id] = (submission.score, submission.max_score, cells)
    return scores


@pytest.fixture(scope="module")
def graded(tmp_path_factory, postgres_server):
    """The same class graded (2 workers) into SQLite and into PostgreSQL."""
    sqlite_course = make_class(tmp_path_factory.mktemp("sqlite-course"))
    sqlite_outcomes = autograde(sqlite_course, ASSIGNMENT, workers=2)
    postgres_url = postgres_server.create_database("mml_gradebook")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MML_GRADEBOOK_URL", postgres_url)
        postgres_course = make_class(tmp_path_factory.mktemp("postgres-course"))
        assert course.db_url(postgres_course) == postgres_url
        postgres_outcomes = autograde(postgres_course, ASSIGNMENT, workers=2)
    return {"sqlite": (sqlite_course, course.db_url(sqlite_course), sqlite_outcomes),
            "postgres": (postgres_course, postgres_url, postgres_outcomes)}


def test_sqlite_stays_the_default(graded):
    sqlite_course, url, _ = graded["sqlite"]
    assert "MML_GRADEBOOK_URL" not in os.environ
    assert url == f"sqlite:///{sqlite_course.resolve() / 'gradebook.db'}"
    assert (sqlite_course / "gradebook.db").is_file()


def test_postgres_scores_match_sqlite_exactly(graded):
    in_sqlite = gradebook_scores(graded["sqlite"][1])
    in_postgres = gradebook_scores(graded["postgres"][1])
    assert in_postgres == in_sqlite
    # ...and they are the real grades of this class, not two empty gradebooks.
    solution_score, max_score, _ = in_postgres["solution"]
    assert len(in_postgres) == 6 and max_score > 0 and solution_score == max_score
    assert in_postgres["release"][0] == 0 and in_postgres["corrupt"][0] == 0
    wrong = [scores[0] for student, scores in in_postgres.items() if student.startswith("wrong-")]
    assert len(wrong) == 3 and all(score < max_score for score in wrong)


def test_batch_reports_the_same_outcomes(graded):
    def summary(outcomes):
        return {o.student: (o.score, o.max_score, o.cell_scores, o.reasons, o.infrastructure_error)
                for o in outcomes}
    assert summary(graded["postgres"][2]) == summary(graded["sqlite"][2])
    assert all(o.infrastructure_error is None for o in graded["postgres"][2])


def test_postgres_course_has_no_sqlite_gradebook_and_no_scratch_students(graded):
    postgres_course, url, _ = graded["postgres"]
    # Everything, release included, went to PostgreSQL; the workers' scratch courses
    # kept their private SQLite gradebooks (their student is always "student").
    assert not (postgres_course / "gradebook.db").exists()
    with Gradebook(url) as gb:
        students = sorted(s.id for s in gb.students)
        assignments = [a.name for a in gb.assignments]
    assert SCRATCH_STUDENT not in students
    assert students == sorted(gradebook_scores(graded["sqlite"][1]))
    assert assignments == [ASSIGNMENT]


def test_plain_nbgrader_export_reads_postgres(graded):
    postgres_course, url, _ = graded["postgres"]
    env = dict(os.environ, MML_GRADEBOOK_URL=url,
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    run = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", "grades.csv"],
                         cwd=postgres_course, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    with open(postgres_course / "grades.csv", newline="") as handle:
        exported = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(handle)}
    expected = {student: scores[0] for student, scores in gradebook_scores(graded["sqlite"][1]).items()}
    assert exported == expected
    assert not (postgres_course / "gradebook.db").exists()


def test_instructor_report_reads_postgres(graded, tmp_path, monkeypatch):
    postgres_course, url, _ = graded["postgres"]
    monkeypatch.setenv("MML_GRADEBOOK_URL", url)
    written = report.write_report(postgres_course, tmp_path / "report")
    with open(written["grades.csv"], newline="") as handle:
        reported = {row["student"]: float(row["score"]) for row in csv.DictReader(handle)}
    expected = {student: scores[0] for student, scores in gradebook_scores(graded["sqlite"][1]).items()}
    assert reported == expected


def test_missing_postgres_binaries_are_named(monkeypatch, tmp_path):
    # Where Debian's postgresql package is not installed the fixture fails with this
    # message (never a skip).
    monkeypatch.setattr(postgres, "BINARIES", str(tmp_path / "*" / "bin"))
    with pytest.raises(postgres.PostgresMissing, match="install Debian's 'postgresql' package"):
        postgres.find_binaries()
