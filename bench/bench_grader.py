"""Grader speed: stock serial `nbgrader autograde` vs our batch (grader.batch), and the sandbox's cost.

One class of special_matrices submissions (the reference solution, with a wrong
submission from tests/grading/fixtures/ every seventh student, about 15 %), each
signed with its student's name so that every notebook is distinct (the batch grades
identical notebooks once). Three copies of the same course are graded in this run:

* stock: the plain nbgrader CLI, `nbgrader autograde special_matrices --force`, all
  students in one serial command, no sandbox (what an instructor gets out of the box);
* ours: grader.batch.autograde with its defaults (grader.batch.default_workers,
  sandbox on), as `make autograde` runs it;
* ours without the sandbox: the same batch and workers, sandbox=False, to price the
  sandbox alone.

Every student's score must agree between stock and ours before any time is printed.
Peak memory per kernel: each worker reads getrusage(RUSAGE_CHILDREN).ru_maxrss after
a job, the largest resident set of any process it started and waited for (the kernels).

MML_BENCH_GRADER_SIZE=30 make bench BENCH=grader   # a quick run (default 100)
"""
from __future__ import annotations

import concurrent.futures as futures
import os
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from bench.timing import Result
from grader import course
from grader.batch import autograde, default_workers, grade_job, worker_context
from tests.grading import harness

ASSIGNMENT = "special_matrices"
CLASS_SIZE = int(os.environ.get("MML_BENCH_GRADER_SIZE", "100"))
WRONG_EVERY = 7             # every 7th student hands in a wrong fixture: ~15 %
TARGET_SPEED_UP = 1.8       # stock / ours, on 2 cores
TARGET_SANDBOX_COST = 10.0  # per cent


def make_class(course_dir: Path, size: int) -> list[str]:
    """A released course with `size` distinct submissions; returns the students."""
    harness.make_course(course_dir, [ASSIGNMENT])
    reference = harness.reference_submission(ASSIGNMENT)
    wrongs = harness.wrong_submissions(ASSIGNMENT)
    students = []
    for number in range(size):
        student = f"student-{number:03d}"
        if number % WRONG_EVERY == WRONG_EVERY - 1:
            nb = wrongs[(number // WRONG_EVERY) % len(wrongs)].notebook(ASSIGNMENT)
        else:
            nb = reference
        harness.submit(course_dir, student, ASSIGNMENT, harness.signed(nb, student))
        students.append(student)
    return students


# ------------------------------------------------------------ peak memory of the kernels
def measured_grade_job(job):
    """grade_job, then the largest resident set (KiB on Linux) of any child this worker
    process has waited for so far: the kernels it ran."""
    result = grade_job(job)
    result.peak_child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result.peak_self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


class MeasuredPool(futures.ProcessPoolExecutor):
    """The batch's default pool (grader.batch.worker_context), running measured_grade_job instead
    of grade_job and keeping every future so the figures can be read afterwards."""
    def __init__(self, workers: int, finished: list):
        super().__init__(max_workers=workers, mp_context=worker_context())
        self.finished = finished

    def submit(self, fn, /, *args, **kwargs):
        assert fn is grade_job
        future = super().submit(measured_grade_job, *args, **kwargs)
        self.finished.append(future)
        return future


@dataclass
class Batch:
    """One grader.batch run, as measured."""
    seconds: float
    outcomes: list
    first_result: float     # seconds until the first student was finished (start-up cost)
    peak_mib: float         # the largest kernel's resident set
    worker_mib: float       # the largest grading worker's own resident set
    job_seconds: float      # mean time of one job inside a worker


def timed_batch(course_dir: Path, sandbox: bool, workers: int | None = None,
                check: bool = True) -> Batch:
    finished: list = []
    first: list[float] = []

    def progress(done, total, outcome):
        if not first:
            first.append(time.perf_counter() - start)

    start = time.perf_counter()
    outcomes = autograde(course_dir, ASSIGNMENT, workers=workers, sandbox=sandbox,
                         progress=progress, executor_factory=lambda n: MeasuredPool(n, finished))
    seconds = time.perf_counter() - start
    failed = [(o.student, o.infrastructure_error) for o in outcomes if o.infrastructure_error]
    assert not (check and failed), f"the grader failed on {failed}"
    results = [f.result() for f in finished if f.done() and not f.exception()]
    peak = max((getattr(r, "peak_child_kib", 0) for r in results), default=0) / 1024
    worker = max((getattr(r, "peak_self_kib", 0) for r in results), default=0) / 1024
    job = sum(r.seconds for r in results) / max(len(results), 1)
    return Batch(seconds, outcomes, first[0] if first else seconds, peak, worker, job)


def timed_stock(course_dir: Path) -> tuple[float, dict[str, float]]:
    """Seconds for plain `nbgrader autograde <id> --force` on the whole class, and its scores."""
    start = time.perf_counter()
    course.nbgrader(course_dir, "autograde", ASSIGNMENT, "--force", "--log-level=WARN")
    seconds = time.perf_counter() - start
    return seconds, gradebook_scores(course_dir)


def gradebook_scores(course_dir: Path) -> dict[str, float]:
    with Gradebook(course.sqlite_url(course_dir)) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}


RESULTS = Path(__file__).resolve().parent / "results" / "grader.json"


def write_figures(size: int, cores: int, workers: int, seconds: float, batch: Batch) -> None:
    """The figures the instructor's sizing page (book/instructors/) computes from."""
    import datetime
    import json
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "measured_on": datetime.date.today().isoformat(),
        "cores": cores,
        "workers": workers,
        "class_size": size,
        # Wall clock x cores / notebooks: what one notebook costs one core, start-up included.
        "core_seconds_per_submission": round(seconds * cores / size, 3),
        "peak_kernel_mib": round(batch.peak_mib, 1),
        "peak_worker_mib": round(batch.worker_mib, 1),
    }, indent=1) + "\n")
    print(f"figures for the sizing page written to {RESULTS.relative_to(RESULTS.parents[2])}")


def run() -> list[Result]:
    size = CLASS_SIZE
    cores, workers = os.cpu_count() or 1, default_workers()
    with tempfile.TemporaryDirectory(prefix="mml-bench-grader-") as folder:
        folder = Path(folder)
        students = make_class(folder / "ours", size)
        for name in ("stock", "no-sandbox"):
            shutil.copytree(folder / "ours", folder / name)

        batch = timed_batch(folder / "ours", sandbox=True)
        stock, stock_scores = timed_stock(folder / "stock")
        no_sandbox = timed_batch(folder / "no-sandbox", sandbox=False, workers=workers)

    ours, bare = batch.seconds, no_sandbox.seconds
    ours_scores = {o.student: o.score for o in batch.outcomes}
    bare_scores = {o.student: o.score for o in no_sandbox.outcomes}
    disagree = sorted(s for s in students if stock_scores.get(s) != ours_scores.get(s))
    bare_disagree = sorted(s for s in students if bare_scores.get(s) != ours_scores.get(s))
    wrong = sum(1 for s in students if ours_scores[s] < 10)
    print(f"{size} submissions ({wrong} wrong fixtures), {workers} workers on {cores} cores, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"score disagreements, stock vs ours: {len(disagree)}; ours with vs without the "
          f"sandbox: {len(bare_disagree)}")
    assert not disagree, "stock and ours disagree on " + ", ".join(
        f"{s}: {stock_scores.get(s)} vs {ours_scores.get(s)}" for s in disagree)
    assert not bare_disagree, f"the sandbox changed the scores of {bare_disagree}"

    speed_up = stock / ours
    sandbox_cost = (ours - bare) / bare * 100
    print(f"stock serial nbgrader autograde: {stock:.1f} s; ours (batch, sandbox on): {ours:.1f} s")
    print(f"speed-up stock/ours: {speed_up:.2f}x (target >= {TARGET_SPEED_UP}x on 2 cores: "
          f"{'met' if speed_up >= TARGET_SPEED_UP else 'NOT met'})")
    print(f"sandbox overhead: {ours:.1f} s on vs {bare:.1f} s off = {sandbox_cost:+.1f} % "
          f"(target <= {TARGET_SANDBOX_COST:.0f} %: "
          f"{'met' if sandbox_cost <= TARGET_SANDBOX_COST else 'NOT met'})")
    print(f"seconds per submission: ours {ours / size:.2f} (wall clock, {workers} workers on {cores} cores), "
          f"stock {stock / size:.2f}; one job inside a worker takes {batch.job_seconds:.2f} s "
          f"({no_sandbox.job_seconds:.2f} s without the sandbox)")
    print(f"start-up (a template course, the worker pool, the first kernel): the first student "
          f"was finished {batch.first_result:.1f} s after the start ({no_sandbox.first_result:.1f} s "
          "without the sandbox)")
    print(f"peak MiB per kernel: {batch.peak_mib:.0f} with the sandbox, {no_sandbox.peak_mib:.0f} without; "
          f"per grading worker: {batch.worker_mib:.0f}")
    write_figures(size, cores, workers, ours, batch)
    return [Result(f"{size} submissions, ours ({workers} workers, sandbox)", ours,
                   "stock serial nbgrader autograde", stock,
                   target=f"ratio <= {1 / TARGET_SPEED_UP:.2f}, i.e. stock/ours >= {TARGET_SPEED_UP}"),
            Result("ours, sandbox on", ours, "ours, sandbox off", bare,
                   target=f"ratio <= {1 + TARGET_SANDBOX_COST / 100:.2f}"),
            Result("per submission, ours", ours / size, "per submission, stock", stock / size)]
