"""Grader soak: one batch of 500 special_matrices submissions, 10 % of them faulty; every one accounted for.

The class is bench_grader's (signed reference solutions, a wrong fixture every
seventh student) with about one submission in ten replaced by a fault, in turn:
invalid JSON, an empty file, a misnamed notebook, a folder with no notebook, an
answer screened out for tampering (it imports subprocess), a huge print (20 MB), and
an infinite loop in one answer cell (at most 2 of those: each costs the 30-second
cell timeout). At least one of each kind is placed, whatever the class size.

The whole class is graded by grader.batch.autograde with its defaults (one worker per
core, sandbox on). Printed: the batch summary's totals (graded, with a note, flagged,
failed to grade: must be 0), and that every submission has exactly one outcome and
one gradebook entry; also each fault's score against what it should earn.

MML_BENCH_SOAK_SIZE=60 make bench BENCH=grader_soak   # a quick run (default 500)
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from nbgrader.api import Gradebook

from bench.bench_grader import ASSIGNMENT, make_class, timed_batch
from bench.timing import Result
from grader import course
from grader.autograde import summary_table
from tests.grading import harness

CLASS_SIZE = int(os.environ.get("MML_BENCH_SOAK_SIZE", "500"))
FAULT_SHARE = 0.10
MAX_LOOPS = 2
FULL = 10


def signed_reference(student: str) -> dict:
    return harness.signed(harness.reference_submission(ASSIGNMENT), student)


def invalid_json(course_dir, student):
    harness.submit(course_dir, student, ASSIGNMENT,
                   json.dumps(signed_reference(student)).encode()[:-200])


def empty_file(course_dir, student):
    harness.submit(course_dir, student, ASSIGNMENT, b"")


def wrong_file_name(course_dir, student):
    harness.submit(course_dir, student, ASSIGNMENT, signed_reference(student),
                   filename=f"{ASSIGNMENT}-final (2).ipynb")


def missing_notebook(course_dir, student):
    folder = course_dir / course.SUBMITTED / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "README.txt").write_text("My notebook would not save, sorry!\n")


def tampering(course_dir, student):
    nb = signed_reference(student)
    first = harness.solution_cell_ids(nb)[0]
    harness.cells_by_grade_id(nb)[first]["source"] = (
        "import subprocess\nsubprocess.run(['sh', '-c', 'cat ../../source_solutions/*/*.ipynb'])\n")
    harness.submit(course_dir, student, ASSIGNMENT, nb)


def huge_print(course_dir, student):
    nb = signed_reference(student)
    nb["cells"].append({"cell_type": "code", "id": "student-added", "metadata": {},
                        "execution_count": None, "outputs": [],
                        "source": "for _ in range(20):\n    print('x' * 1024 ** 2)"})
    harness.submit(course_dir, student, ASSIGNMENT, nb)


def infinite_loop(course_dir, student):
    nb = signed_reference(student)
    harness.cells_by_grade_id(nb)["fixRowTwo"]["source"] = "while True:\n    pass\n"
    harness.submit(course_dir, student, ASSIGNMENT, nb)


# Each fault, and the score it must earn: 0, full marks, or "partial" (0 < score < full).
FAULTS = {invalid_json: 0, empty_file: 0, wrong_file_name: FULL, missing_notebook: 0,
          tampering: 0, huge_print: FULL, infinite_loop: "partial"}


def place_faults(course_dir: Path, students: list[str]) -> dict[str, str]:
    """Replace about a tenth of the submissions (spread evenly) by faults; student -> fault."""
    kinds = list(FAULTS)
    count = max(round(len(students) * FAULT_SHARE), len(kinds))
    step = len(students) / count
    placed, loops = {}, 0
    for k in range(count):
        student = students[int(k * step + step / 2)]
        fault = kinds[k % len(kinds)]
        if fault is infinite_loop:
            loops += 1
            if loops > MAX_LOOPS:
                fault = huge_print
        folder = course_dir / course.SUBMITTED / student / ASSIGNMENT
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        fault(course_dir, student)
        placed[student] = fault.__name__
    return placed


def as_expected(score: float, expected) -> bool:
    return 0 < score < FULL if expected == "partial" else score == expected


def run() -> list[Result]:
    size = CLASS_SIZE
    expected = {f.__name__: score for f, score in FAULTS.items()}
    with tempfile.TemporaryDirectory(prefix="mml-bench-soak-") as folder:
        course_dir = Path(folder) / "course"
        students = make_class(course_dir, size)
        faults = place_faults(course_dir, students)
        submitted = sorted(p.name for p in (course_dir / course.SUBMITTED).iterdir())
        batch = timed_batch(course_dir, sandbox=True, check=False)
        with Gradebook(course.db_url(course_dir)) as gb:
            in_gradebook = sorted(s.student.id for s in gb.assignment_submissions(ASSIGNMENT))

    outcomes, seconds = batch.outcomes, batch.seconds
    by_student = {o.student: o for o in outcomes}
    print(summary_table(ASSIGNMENT, outcomes).splitlines()[-1])
    print(f"submissions: {len(submitted)} ({len(faults)} faults: "
          + ", ".join(f"{sum(1 for f in faults.values() if f == k)} {k}" for k in expected)
          + f"); outcomes: {len(outcomes)}; in the gradebook: {len(in_gradebook)}")
    accounted = (sorted(by_student) == submitted and len(outcomes) == len(submitted)
                 and in_gradebook == submitted)
    print(f"every submission accounted for (one outcome and one gradebook entry each): "
          f"{'yes' if accounted else 'NO'}")
    unexpected = [f"{s} ({kind}): {by_student[s].score}" for s, kind in faults.items()
                  if not as_expected(by_student[s].score, expected[kind])]
    print(f"faults not scored as they should be: {len(unexpected)}"
          + (f" ({'; '.join(unexpected)})" if unexpected else ""))
    print(f"{size} submissions in {seconds:.0f} s: {seconds / size:.2f} s per submission "
          f"(one job inside a worker: {batch.job_seconds:.2f} s), peak MiB per kernel "
          f"{batch.peak_mib:.0f}, "
          "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    failed = [f"{o.student}: {o.infrastructure_error}" for o in outcomes if o.infrastructure_error]
    assert not failed, "the grader failed on " + "; ".join(failed)
    assert accounted, "some submission has no outcome or no gradebook entry, or two"
    assert not unexpected, "some fault was not scored as it should be"
    return [Result(f"{size} submissions, {len(faults)} faulty, per submission", seconds / size,
                   "one job inside a worker", batch.job_seconds)]
