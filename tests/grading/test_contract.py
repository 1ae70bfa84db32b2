"""The grading contract, proved for every assignment in source_solutions/ through the
real nbgrader autograde:

* the reference solution scores full marks;
* the untouched student version scores 0, and a corrupt notebook in the same batch
  neither stops the batch nor goes unrecorded;
* every wrong-submission fixture scores less than full marks and fails the cells it
  should;
* released files carry no solution and no hidden test;
* assignments/ is exactly what nbgrader generate_assignment makes from the source.

A new assignment joins simply by existing (and bringing its fixtures).
"""
from __future__ import annotations

import json

import pytest

from tests.grading import harness

ASSIGNMENTS = harness.assignment_ids()


def per_assignment(ids=ASSIGNMENTS):
    # One xdist group per assignment: its batch is graded once, by one worker.
    return [pytest.param(a, id=a, marks=pytest.mark.xdist_group(a)) for a in ids]


def test_there_are_assignments():
    assert "special_matrices" in ASSIGNMENTS


@pytest.mark.parametrize("assignment", per_assignment())
def test_reference_solution_scores_full_marks(graded, assignment):
    outcome = graded(assignment).outcomes["solution"]
    failed = [cell for cell, score in outcome.cell_scores.items() if not score]
    assert outcome.max_score > 0
    assert outcome.score == outcome.max_score, f"the solution fails {failed}: {outcome.reasons}"


@pytest.mark.parametrize("assignment", per_assignment())
def test_untouched_release_scores_zero(graded, assignment):
    outcome = graded(assignment).outcomes["release"]
    passed = [cell for cell, score in outcome.cell_scores.items() if score]
    assert outcome.infrastructure_error is None
    assert outcome.score == 0, f"the blank student version earns points in {passed}"


@pytest.mark.parametrize("assignment", per_assignment())
def test_corrupt_notebook_is_recorded_as_zero_and_batch_goes_on(graded, assignment):
    outcomes = graded(assignment).outcomes
    corrupt = outcomes["corrupt"]
    assert corrupt.score == 0 and corrupt.max_score == outcomes["solution"].max_score
    assert any("not valid notebook JSON" in reason for reason in corrupt.reasons)
    assert corrupt.infrastructure_error is None


@pytest.mark.parametrize("assignment", per_assignment())
def test_at_least_three_wrong_submission_fixtures(assignment):
    wrongs = harness.wrong_submissions(assignment)
    assert len(wrongs) >= 3, f"{assignment} needs at least three realistic wrong submissions"
    source = harness.source_notebook(assignment)
    for wrong in wrongs:
        assert set(wrong.cells) <= set(harness.solution_cell_ids(source)), (
            f"{wrong.name} replaces cells that are not solution cells")
        assert wrong.must_fail and set(wrong.must_fail) <= set(harness.test_cell_ids(source)), (
            f"{wrong.name} must name test cells of {assignment} that it fails")


def wrong_cases():
    return [pytest.param(a, w, id=f"{a}:{w.name}", marks=pytest.mark.xdist_group(a))
            for a in ASSIGNMENTS for w in harness.wrong_submissions(a)]


@pytest.mark.parametrize("assignment, wrong", wrong_cases())
def test_wrong_submission_loses_marks_where_it_should(graded, assignment, wrong):
    outcome = graded(assignment).outcomes[f"wrong-{wrong.name}"]
    assert outcome.infrastructure_error is None
    assert outcome.score < outcome.max_score, f"'{wrong.description}' still earns full marks"
    still_passing = [cell for cell in wrong.must_fail if outcome.cell_scores.get(cell)]
    assert not still_passing, f"'{wrong.description}' should fail {still_passing}"


@pytest.mark.parametrize("assignment", per_assignment())
def test_release_carries_no_solution_and_no_hidden_test(assignment):
    secrets = harness.instructor_only_lines(harness.source_notebook(assignment))
    assert secrets, "the source should have solutions and hidden tests to keep secret"
    released_files = sorted((harness.ROOT / "assignments" / assignment).rglob("*"))
    for path in released_files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            # Compare against cell sources, not the JSON escaping of them.
            text = "\n".join(harness.source_text(c) for c in json.loads(text)["cells"])
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text, f"{path.name} still contains '{marker}'"
        released_lines = {line.strip() for line in text.split("\n")}
        leaked = sorted(secrets & released_lines)
        assert not leaked, f"{path.name} leaks instructor-only lines: {leaked[:3]}"


@pytest.mark.parametrize("assignment", per_assignment())
def test_committed_release_equals_fresh_generate_assignment(graded, assignment):
    course_dir = graded(assignment).course_dir
    fresh = course_dir / "assignments" / assignment
    committed = harness.ROOT / "assignments" / assignment
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert fresh_files == committed_files, "assignments/ has different files: run 'make release'"
    for name in fresh_files:
        assert (fresh / name).read_bytes() == (committed / name).read_bytes(), (
            f"assignments/{assignment}/{name} differs from a fresh generate_assignment: "
            "run 'make release' and commit the result")
