"""Grade every submission of one assignment, and say plainly what happened to each.

For each folder submitted/<student>/<assignment>/ we check the submission
(grader.submissions), stage a copy, and run the real `nbgrader autograde` on it for
that student. A broken, misnamed or never-ending submission costs that student
points, never the batch: the summary names the student and the reason, and the exit
status is non-zero only when the grading machinery itself failed.
"""
from __future__ import annotations

import json
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from grader import course
from grader.submissions import Submission, find_submissions, stage

# nbgrader 0.9's gradebook code trips a harmless SQLAlchemy 2 autoflush warning each
# time it creates a submission; it would only bury the batch summary.
warnings.filterwarnings("ignore", category=SAWarning)


@dataclass
class Outcome:
    """What grading did for one student."""
    student: str
    score: float | None = None
    max_score: float | None = None
    reasons: list[str] = field(default_factory=list)   # told to the student and instructor
    infrastructure_error: str | None = None             # the grader failed, not the student
    cell_scores: dict[str, float] = field(default_factory=dict)


def autograde(root: Path, assignment: str) -> list[Outcome]:
    """Grade submitted/*/<assignment>/ into the gradebook; one Outcome per student."""
    if not course.is_in_gradebook(root, assignment):
        course.release(root, assignment)
    submissions = find_submissions(root / course.SUBMITTED, assignment)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="mml-grading-") as staging:
        # nbgrader reads the staged copies; the students' own folders stay untouched.
        nbgrader = course.api(root, CourseDirectory={"submitted_directory": staging})
        for sub in submissions:
            stage(sub, Path(staging))
            outcomes.append(grade_one(root, nbgrader, sub))
    return outcomes


def grade_one(root: Path, nbgrader, sub: Submission) -> Outcome:
    outcome = Outcome(sub.student)
    if sub.problem:
        outcome.reasons.append(sub.problem)
    outcome.reasons += sub.notes
    if sub.gradable:
        result = nbgrader.autograde(sub.assignment, sub.student, force=True, create=True)
        if not result["success"]:
            # A kernel can fail to start on a busy machine (for example two kernels
            # racing for the same TCP port): that is the grader's failure, not the
            # student's, so try once more before reporting it.
            result = nbgrader.autograde(sub.assignment, sub.student, force=True, create=True)
        if not result["success"]:
            outcome.infrastructure_error = last_error_line(result.get("log", ""))
    else:
        record_zero(root, sub)
    read_scores(root, sub, outcome)
    outcome.reasons += execution_problems(root, sub)
    return outcome


def record_zero(root: Path, sub: Submission) -> None:
    """Record a submission with nothing gradable in it: every graded cell scores 0."""
    with Gradebook(course.db_url(root)) as gb:
        gb.update_or_create_student(sub.student)
        submission = gb.update_or_create_submission(sub.assignment, sub.student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gb.db.commit()


def last_error_line(log: str) -> str:
    """The most telling [ERROR] line of an nbgrader log (its last one is usually a
    generic 'Please see the above traceback')."""
    errors = [line for line in log.splitlines()
              if line.startswith("[ERROR]") and "see the the above traceback" not in line
              and "see the above traceback" not in line]
    return (errors or log.strip().splitlines() or ["nbgrader failed"])[-1].strip()


def read_scores(root: Path, sub: Submission, outcome: Outcome) -> None:
    with Gradebook(course.db_url(root)) as gb:
        try:
            record = gb.find_submission(sub.assignment, sub.student)
        except MissingEntry:
            return
        outcome.score, outcome.max_score = record.score, record.max_score
        for notebook in record.notebooks:
            for grade in notebook.grades:
                outcome.cell_scores[grade.name] = grade.score


def execution_problems(root: Path, sub: Submission) -> list[str]:
    """Reasons found in the graded notebook's outputs: cells stopped by the time limit."""
    graded = root / course.AUTOGRADED / sub.student / sub.assignment / f"{sub.assignment}.ipynb"
    if not graded.is_file():
        return []
    reasons = []
    nb = json.loads(graded.read_text())
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index}")
                reasons.append(f"'{name}' ran past the time limit and was stopped")
    return reasons


def summary_table(assignment: str, outcomes: list[Outcome]) -> str:
    """A plain-text table: one line per student, then the totals."""
    lines = [f"Autograded '{assignment}': {len(outcomes)} submission(s)",
             f"{'student':24s} {'score':>11s}  notes"]
    for o in outcomes:
        score = "-" if o.score is None else f"{o.score:g}/{o.max_score:g}"
        notes = "; ".join(o.reasons + ([f"GRADER ERROR: {o.infrastructure_error}"]
                                       if o.infrastructure_error else []))
        lines.append(f"{o.student:24s} {score:>11s}  {notes}")
    failed = sum(1 for o in outcomes if o.infrastructure_error)
    lines.append(f"graded: {len(outcomes) - failed}   failed to grade: {failed}")
    return "\n".join(lines)
