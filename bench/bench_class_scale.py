"""Class scale: a batch of 200 submissions graded on a two-worker Dask cluster vs local worker processes (2 workers).

The class is special_matrices: the reference solution, with a wrong submission (the
test fixtures, in turn) every fifth student. Every notebook carries its student's
name in a comment, as real notebooks differ: the batch grades identical notebooks
only once. The same class is
graded twice, into two fresh courses, by grader.batch.autograde with the sandbox on,
as `make autograde` does:

* the baseline: the default local pool, 2 worker processes;
* ours: a Dask cluster started on this machine (distributed.LocalCluster: a scheduler
  and 2 worker processes of one thread each, on 127.0.0.1), through grader.cluster.

The cluster is started before the clock starts (a cluster normally stands ready),
while the local pool is started by each batch, as it is in real use. The difference
divided by the class size is what the cluster adds per submission (scheduling,
sending the job and its result over TCP); negative if it saves time.

MML_BENCH_CLASS_SIZE=20 make bench BENCH=class_scale   # a quick run
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.timing import Result
from grader import cluster
from grader.batch import autograde
from tests.grading import harness

ASSIGNMENT = "special_matrices"
WORKERS = 2
CLASS_SIZE = int(os.environ.get("MML_BENCH_CLASS_SIZE", "200"))


def make_class(course_dir: Path, size: int) -> dict[str, bool]:
    """A course with `size` submissions; student -> True if it is the reference solution."""
    harness.make_course(course_dir, [ASSIGNMENT])
    reference = harness.reference_submission(ASSIGNMENT)
    wrongs = harness.wrong_submissions(ASSIGNMENT)
    is_reference = {}
    for number in range(size):
        student = f"student-{number:03d}"
        if number % 5 == 4:
            wrong = wrongs[(number // 5) % len(wrongs)]
            harness.submit(course_dir, student, ASSIGNMENT, harness.signed(wrong.notebook(ASSIGNMENT), student))
            is_reference[student] = False
        else:
            harness.submit(course_dir, student, ASSIGNMENT, harness.signed(reference, student))
            is_reference[student] = True
    return is_reference


def timed_batch(course_dir: Path, is_reference: dict[str, bool], executor_factory=None) -> float:
    """Seconds to grade the whole class, after checking every grade is right."""
    start = time.perf_counter()
    outcomes = autograde(course_dir, ASSIGNMENT, workers=WORKERS, executor_factory=executor_factory)
    seconds = time.perf_counter() - start
    failed = [o.student for o in outcomes if o.infrastructure_error]
    assert not failed, f"the grader failed on {failed}"
    assert len(outcomes) == len(is_reference)
    for o in outcomes:
        assert (o.score == o.max_score) == is_reference[o.student], f"{o.student} scored {o.score}"
    return seconds


def run() -> list[Result]:
    from distributed import LocalCluster
    size = CLASS_SIZE
    with tempfile.TemporaryDirectory(prefix="mml-bench-class-") as folder:
        folder = Path(folder)
        local_class = make_class(folder / "local", size)
        dask_class = make_class(folder / "dask", size)
        local = timed_batch(folder / "local", local_class)
        with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as dask_cluster:
            on_cluster = timed_batch(folder / "dask", dask_class,
                                     cluster.executor_factory(dask_cluster.scheduler_address))
    print(f"{size} submissions: local pool {local:.1f} s, Dask cluster {on_cluster:.1f} s, "
          f"ratio {on_cluster / local:.2f}; the cluster adds {(on_cluster - local) / size * 1000:+.0f} ms "
          "per submission")
    return [Result(f"{size} submissions, Dask cluster ({WORKERS} workers)", on_cluster,
                   f"local process pool ({WORKERS} workers)", local),
            Result("per submission, Dask cluster", on_cluster / size,
                   "per submission, local process pool", local / size)]
