"""The plain nbgrader commands work in a clone of the course, with no wrapper:
generate_assignment, autograde, generate_feedback and export."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.grading import harness

ASSIGNMENT = "special_matrices"
pytestmark = pytest.mark.xdist_group("plain_nbgrader")


def nbgrader(course_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    run = subprocess.run(["nbgrader", *args], cwd=course_dir, env=env, capture_output=True, text=True)
    assert run.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{run.stdout}{run.stderr}"
    return run


def test_plain_nbgrader_round_trip(tmp_path):
    course_dir = tmp_path / "course"
    course_dir.mkdir()
    (course_dir / "nbgrader_config.py").write_bytes((harness.ROOT / "nbgrader_config.py").read_bytes())
    source = harness.ROOT / "source_solutions" / ASSIGNMENT
    (course_dir / "source_solutions").mkdir()
    os.symlink(source, course_dir / "source_solutions" / ASSIGNMENT)

    nbgrader(course_dir, "generate_assignment", ASSIGNMENT)
    released = course_dir / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert released.is_file()
    harness.submit(course_dir, "instructor", ASSIGNMENT, harness.source_notebook(ASSIGNMENT))
    harness.submit(course_dir, "blank", ASSIGNMENT, released.read_bytes())

    nbgrader(course_dir, "autograde", ASSIGNMENT)
    nbgrader(course_dir, "generate_feedback", ASSIGNMENT)
    nbgrader(course_dir, "export", "--to", "grades.csv")

    with open(course_dir / "grades.csv", newline="") as handle:
        scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(handle)}
    assert scores == {"instructor": 10.0, "blank": 0.0}
    for student in ("instructor", "blank"):
        assert (course_dir / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
