"""The adversarial corpus (tests/grading/attacks/*.toml) against every assignment.

Each assignment's batch (conftest.py) holds a submission per attack. For each attack:
the points awarded are at most the points earned (0 for an attack on the untouched
release; full marks for a harmless oddity on a correct notebook), the batch grades it
without an infrastructure error, the student is told the reason, and the submitted
files are byte-identical afterwards.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.grading import attacks, harness

ASSIGNMENTS = harness.assignment_ids()
ATTACKS = attacks.attacks()


def cases():
    return [pytest.param(a, attack, id=f"{a}:{attack.name}",
                         marks=pytest.mark.xdist_group(a))
            for a in ASSIGNMENTS for attack in ATTACKS]


def test_the_corpus_has_at_least_25_kinds():
    assert len(ATTACKS) >= 25
    for attack in ATTACKS:
        ways = [attack.first_answer, attack.added_cell, attack.edit, attack.file]
        assert sum(w is not None for w in ways) == 1, f"{attack.name}: give exactly one way"
        assert attack.base in ("release", "solution") and attack.expect in ("zero", "full")
        assert attack.edit is None or attack.edit in attacks.EDITS
        assert attack.file is None or attack.file in attacks.FILES


@pytest.mark.parametrize("assignment, attack", cases())
def test_attack_earns_no_unearned_point(graded, assignment, attack):
    outcomes = graded(assignment).attacked
    outcome = outcomes[attack.name]
    assert outcome is not None, "the batch has no outcome for this submission"
    assert outcome.infrastructure_error is None, outcome.infrastructure_error
    full = graded(assignment).outcomes["solution"].max_score
    assert outcome.max_score == full, "the points on offer must not change"
    if attack.expect == "zero":
        passed = [cell for cell, score in outcome.cell_scores.items() if score]
        assert outcome.score == 0, f"'{attack.description}' earned points in {passed}"
    else:
        assert outcome.score == full, (f"'{attack.description}' must not cost marks: "
                                       f"{outcome.cell_scores} {outcome.reasons}")
    if attack.reason:
        told = " | ".join(outcome.reasons)
        assert any(re.search(attack.reason, r) for r in outcome.reasons), (
            f"the student should be told /{attack.reason}/, got: {told}")


@pytest.mark.parametrize("assignment", [pytest.param(a, marks=pytest.mark.xdist_group(a))
                                        for a in ASSIGNMENTS])
def test_batch_completes_and_leaves_submissions_untouched(graded, assignment):
    batch = graded(assignment)
    assert all(batch.attacked[a.name] is not None for a in ATTACKS)
    assert batch.submitted_before and batch.submitted_before == batch.submitted_after, (
        "a submitted file was changed or lost")


@pytest.mark.parametrize("assignment", [pytest.param(a, marks=pytest.mark.xdist_group(a))
                                        for a in ASSIGNMENTS])
def test_graded_notebooks_stay_small_and_output_is_capped(graded, assignment):
    course_dir = graded(assignment).course_dir
    notebook = course_dir / "autograded" / "attack-megabyte_print" / assignment / f"{assignment}.ipynb"
    text = notebook.read_text()
    assert len(text) < 3 * 1024 ** 2, f"the 20 MB print reached the graded notebook ({len(text)} bytes)"
    assert "output cut by the grader" in text
    hog = json.loads((course_dir / "autograded" / "attack-memory_hog" / assignment
                      / f"{assignment}.ipynb").read_text())
    errors = [o.get("ename") for c in hog["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert "MemoryError" in errors, "the memory limit should stop a 6 GiB allocation"
