"""What grading did for each student (Outcome), and the batch summary table.

The grading itself is in grader.batch. A broken, misnamed or never-ending submission
costs that student points, never the batch: the summary names the student and the
reason, and the exit status is non-zero only when the grading machinery failed.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from sqlalchemy.exc import SAWarning

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
    flagged: bool = False                               # screened out: for the instructor to review
    prepared: dict | None = field(default=None, repr=False)  # the notebook as it would be graded


def last_error_line(log: str) -> str:
    """The most telling [ERROR] line of an nbgrader log (its last one is usually a
    generic 'Please see the above traceback')."""
    errors = [line for line in log.splitlines()
              if line.startswith("[ERROR]") and "see the the above traceback" not in line
              and "see the above traceback" not in line]
    return (errors or log.strip().splitlines() or ["nbgrader failed"])[-1].strip()


def execution_problems(nb: dict) -> list[str]:
    """Reasons found in a graded notebook's outputs: cells stopped by the time limit."""
    reasons = []
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
    flagged = sum(1 for o in outcomes if o.flagged)
    with_reasons = sum(1 for o in outcomes if o.reasons and not o.infrastructure_error)
    lines.append(f"graded: {len(outcomes) - failed}   with a note: {with_reasons}   "
                 f"flagged for review: {flagged}   failed to grade: {failed}")
    return "\n".join(lines)
