"""The batch grader on a Dask cluster: a real scheduler and two worker processes on
loopback, one of them killed mid-batch; every submission is still graded, and
recorded, exactly once."""
from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from grader import cluster, course
from grader.__main__ import main
from grader.batch import autograde
from tests.grading import harness

ASSIGNMENT = "special_matrices"
pytestmark = pytest.mark.xdist_group("dask_cluster")


def make_class(course_dir, solutions: int, releases: int) -> dict[str, str]:
    """The reference solution, signed by each student (so each is a job of its own),
    and identical copies of the untouched release (one job, shared); student -> kind."""
    harness.make_course(course_dir, [ASSIGNMENT])
    kinds = {}
    for number in range(solutions):
        kinds[f"solution-{number}"] = "solution"
        harness.submit(course_dir, f"solution-{number}", ASSIGNMENT,
                       harness.signed(harness.reference_submission(ASSIGNMENT), f"solution-{number}"))
    for number in range(releases):
        kinds[f"release-{number}"] = "release"
        harness.submit(course_dir, f"release-{number}", ASSIGNMENT, harness.released_notebook(ASSIGNMENT))
    return kinds


def gradebook_submissions(course_dir) -> list[tuple[str, float, float]]:
    with Gradebook(course.db_url(course_dir)) as gb:
        return [(s.student.id, s.score, s.max_score)
                for s in gb.find_assignment(ASSIGNMENT).submissions]


def test_batch_on_a_cluster_survives_losing_a_worker(tmp_path, dask_cluster):
    kinds = make_class(tmp_path / "course", solutions=6, releases=2)
    recorded = []           # the students, in the order the parent recorded them
    killed_after, lost = [], []

    def progress(done, total, outcome):
        recorded.append(outcome.student)
        if done >= 2 and not killed_after:
            lost.extend(dask_cluster.kill_busy_worker("grade_job"))
            killed_after.append(done)

    dask_cluster.record_tasks()
    outcomes = autograde(tmp_path / "course", ASSIGNMENT, workers=2, progress=progress,
                         executor_factory=cluster.executor_factory(dask_cluster.address))

    # A worker really died in the middle of grading a notebook, with most of the batch
    # still to grade.
    assert killed_after and killed_after[0] < len(kinds) and lost
    assert sum(worker.returncode is not None for worker in dask_cluster.workers) == 1
    # One Outcome per student, none twice, no grading machinery failure.
    assert sorted(o.student for o in outcomes) == sorted(kinds)
    assert not [o.infrastructure_error for o in outcomes if o.infrastructure_error]
    # Recorded once per student, and exactly one submission each in the gradebook.
    assert sorted(recorded) == sorted(kinds)
    submissions = gradebook_submissions(tmp_path / "course")
    assert sorted(student for student, _, _ in submissions) == sorted(kinds)
    max_score = submissions[0][2]
    assert max_score > 0
    for student, score, maximum in submissions:
        expected = maximum if kinds[student] == "solution" else 0
        assert score == expected, f"{student} ({kinds[student]}) scored {score}/{maximum}"
    # The jobs ran on the cluster: every notebook's job finished on a Dask worker, and
    # the jobs lost with the killed worker were run again on the other one.
    finished = dask_cluster.finished_tasks("grade_job")
    assert len({task["key"] for task in finished}) == 6 + 1     # the releases share one job
    assert set(lost) <= {task["key"] for task in finished}


def test_command_line_scheduler_option(tmp_path, dask_cluster, capsys):
    kinds = make_class(tmp_path / "course", solutions=1, releases=1)
    dask_cluster.record_tasks()
    status = main(["--root", str(tmp_path / "course"), "autograde", ASSIGNMENT,
                   "--scheduler", dask_cluster.address])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert f"Grading on the Dask cluster at {dask_cluster.address} (2 worker(s))" in printed
    assert len(dask_cluster.finished_tasks("grade_job")) == len(kinds)
    scores = {student: (score, maximum) for student, score, maximum in gradebook_submissions(tmp_path / "course")}
    assert scores["solution-0"][0] == scores["solution-0"][1] > 0 and scores["release-0"][0] == 0


def test_scheduler_address_from_command_line_or_environment(monkeypatch):
    monkeypatch.delenv(cluster.SCHEDULER_ENV, raising=False)
    assert cluster.scheduler_address(None) is None          # local processes by default
    monkeypatch.setenv(cluster.SCHEDULER_ENV, "tcp://10.0.0.5:8786")
    assert cluster.scheduler_address(None) == "tcp://10.0.0.5:8786"
    assert cluster.scheduler_address("tcp://127.0.0.1:9999") == "tcp://127.0.0.1:9999"
