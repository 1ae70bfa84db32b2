"""One graded batch per assignment, shared by the contract and the attack tests.

Each assignment's batch holds the reference solution, the untouched release, a corrupt
file, every wrong-submission fixture and every attack of the corpus: one course, one
release and one pool of grading workers per assignment, however many tests read it.
Tests that read an assignment's batch carry the xdist group named after the
assignment, so one worker grades it once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.autograde import Outcome
from tests.grading import attacks, harness


@dataclass
class Batch:
    course_dir: Path
    outcomes: dict[str, Outcome]            # by student folder name
    attacked: dict[str, Outcome | None]     # by attack name
    submitted_before: dict[str, str]        # file -> sha256, before grading
    submitted_after: dict[str, str]


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(assignment) -> Batch, each assignment's batch graded once per worker."""
    cache = {}

    def grade(assignment: str) -> Batch:
        if assignment not in cache:
            course_dir = harness.make_course(tmp_path_factory.mktemp(assignment), [assignment])
            harness.submit(course_dir, "solution", assignment, harness.reference_submission(assignment))
            harness.submit(course_dir, "release", assignment, harness.released_notebook(assignment))
            harness.submit(course_dir, "corrupt", assignment, b'{"cells": [')
            for wrong in harness.wrong_submissions(assignment):
                harness.submit(course_dir, f"wrong-{wrong.name}", assignment, wrong.notebook(assignment))
            students = {attack.name: attacks.place(course_dir, f"attack-{attack.name}", assignment, attack)
                        for attack in attacks.attacks()}
            before = digests(course_dir / "submitted")
            outcomes = harness.grade(course_dir, assignment)
            after = digests(course_dir / "submitted")
            cache[assignment] = Batch(course_dir, outcomes,
                                      {name: outcomes.get(s) for name, s in students.items()},
                                      before, after)
        return cache[assignment]
    return grade
