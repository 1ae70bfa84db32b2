"""Grade a whole class in parallel, safely, into one gradebook.

How one batch runs (`python -m grader autograde <id>`, `make autograde`):

1. Every folder submitted/<student>/<id>/ is inspected (grader.submissions) and its
   notebook rebuilt around the released cells and screened (grader.screening). The
   student's own files are only ever read.
2. Each gradable notebook becomes a job. A job runs the real `nbgrader autograde` in
   its own scratch course (a private copy of this assignment's gradebook, the student
   always called "student"), with the kernel in the sandbox (grader.sandbox). Jobs run
   in a pool of worker processes (by default half as many again as cores, see
   default_workers), or on a Dask cluster (grader.cluster, opt-in). Identical
   prepared notebooks (many blank releases, say) are run once and share the result.
3. The parent process alone writes the results into the course gradebook, one student
   at a time. Workers never open it, so SQLite never reports "database is locked" and
   a PostgreSQL gradebook (MML_GRADEBOOK_URL, see nbgrader_config.py) works the same
   way. Scratch courses always keep their own private SQLite gradebook.

A submission that cannot be graded (broken file, screened out, kernel died) is
recorded with score 0 and a one-line reason, which also heads the student's
feedback. Only a failure of the grading machinery itself counts as a failed job; it
is retried once in a fresh worker before it is reported.
"""
from __future__ import annotations

import concurrent.futures as futures
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from grader import course, screening
from grader.autograde import Outcome, execution_problems, last_error_line
from grader.submissions import Submission, find_submissions

SCRATCH_STUDENT = "student"
NOTES_CELL_TAG = "mml-grader-notes"
KERNEL_HOME = "kernel"      # in a job's scratch course: the sandboxed kernel's one folder


@dataclass
class Job:
    """Everything a worker needs to grade one notebook; plain data, so it can travel
    to another process (or another machine)."""
    student: str
    assignment: str
    notebook: str                   # the prepared notebook, as JSON text
    template: str                   # folder: nbgrader_config.py + gradebook.db for this assignment
    scratch: str                    # folder the job may use, removed afterwards
    timestamp: str | None = None
    sandbox: bool = True
    use_bwrap: bool = True


@dataclass
class Result:
    student: str
    grades: dict[str, dict[str, list]] = field(default_factory=dict)  # notebook -> id -> [auto_score, needs_manual]
    comments: dict[str, dict[str, str]] = field(default_factory=dict)
    graded_notebook: str | None = None      # JSON text of the executed notebook
    student_problem: str | None = None      # the notebook's fault: scored 0 with this reason
    infrastructure_error: str | None = None
    seconds: float = 0.0


# ------------------------------------------------------------------ the worker side
def grade_job(job: Job) -> Result:
    """Run nbgrader autograde for one prepared notebook in a private scratch course."""
    started = time.perf_counter()
    result = Result(job.student)
    scratch = Path(job.scratch)
    check_nbgrader_schema_once()
    try:
        # A job whose worker died (a cluster worker lost mid-batch) runs again from a
        # clean folder.
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(job.template, scratch)
        folder = scratch / course.SUBMITTED / SCRATCH_STUDENT / job.assignment
        folder.mkdir(parents=True)
        (folder / f"{job.assignment}.ipynb").write_text(job.notebook, encoding="utf-8")
        if job.timestamp:
            (folder / "timestamp.txt").write_text(job.timestamp)
        # The scratch course keeps its own SQLite gradebook even when the course's is
        # elsewhere (MML_GRADEBOOK_URL, read by the copied nbgrader_config.py).
        overrides = {"CourseDirectory": {"db_url": course.sqlite_url(scratch)},
                     # Once the last cell has run, nothing of the student's should: the
                     # kernel is stopped at once, instead of being asked to shut down
                     # and polled until it has (0.2 s per student, and no atexit hooks).
                     "Execute": {"shutdown_kernel": "immediate"}}
        if job.sandbox:
            for section, values in sandbox_overrides(scratch, job.use_bwrap).items():
                overrides.setdefault(section, {}).update(values)
        nbgrader = course.api(scratch, **overrides)
        run = nbgrader.autograde(job.assignment, SCRATCH_STUDENT, force=True, create=True)
        if not run["success"]:
            log = run.get("log", "")
            started = "before replying to kernel_info" not in log and "Kernel didn't respond" not in log
            if started and ("DeadKernelError" in log or "Kernel died" in log):
                result.student_problem = "the notebook's kernel died while it was graded " \
                                         "(did it exit, run out of memory or crash?)"
            else:
                result.infrastructure_error = last_error_line(log)
        read_scratch_results(scratch, job.assignment, result)
    except Exception:   # the worker must answer for every job it was given
        result.infrastructure_error = traceback.format_exc(limit=3).strip().splitlines()[-1]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        result.seconds = time.perf_counter() - started
    return result


class SchemaCheckedOnce:
    """Stands in for the `jsonschema` module inside nbgrader.nbgraderformat.common,
    whose one use of it is `jsonschema.validate(cell_metadata, schema)` for every cell.
    That call first validates nbgrader's schema itself against the JSON Schema
    metaschema, every time: about 0.15 s of CPU in a 1.3 s job. Here the schema is
    checked once and its validator kept, as jsonschema's documentation advises for
    repeated validation; a cell's metadata is validated exactly as before."""

    def __init__(self):
        self.validators = {}    # id(schema) -> (schema, validator); the schema is kept
                                # alive, so its id cannot be reused by another object

    def validate(self, instance, schema):
        import jsonschema
        entry = self.validators.get(id(schema))
        if entry is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = self.validators[id(schema)] = (schema, cls(schema))
        error = jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error


def check_nbgrader_schema_once() -> None:
    from nbgrader.nbgraderformat import common
    if not isinstance(common.jsonschema, SchemaCheckedOnce):
        common.jsonschema = SchemaCheckedOnce()


def sandbox_overrides(scratch: Path, use_bwrap: bool) -> dict:
    from grader import sandbox
    kernel_home = scratch / KERNEL_HOME
    runtime = scratch / "runtime"
    for folder in (kernel_home, runtime):
        folder.mkdir(parents=True, exist_ok=True)
    sandbox.install_kernel_spec(scratch / "jupyter", kernel_home, use_bwrap=use_bwrap)
    # jupyter_client finds kernel specs and runtime files through these variables.
    os.environ["JUPYTER_PATH"] = str(scratch / "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    return {"Execute": {"kernel_name": sandbox.KERNEL_NAME},
            # ZeroMQ over IPC sockets (files in the runtime folder): the sandboxed
            # kernel has no network interface at all, not even loopback.
            # The socket paths must be absolute: nbgrader and the kernel have different
            # working folders.
            "KernelManager": {"transport": "ipc", "ip": str(runtime / "kernel-ipc")}}


def read_scratch_results(scratch: Path, assignment: str, result: Result) -> None:
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(course.sqlite_url(scratch)) as gb:
        try:
            submission = gb.find_submission(assignment, SCRATCH_STUDENT)
        except MissingEntry:
            return
        for notebook in submission.notebooks:
            result.grades[notebook.name] = {g.name: [g.auto_score, g.needs_manual_grade]
                                            for g in notebook.grades}
            result.comments[notebook.name] = {c.name: c.auto_comment for c in notebook.comments}
    graded = scratch / course.AUTOGRADED / SCRATCH_STUDENT / assignment / f"{assignment}.ipynb"
    if graded.is_file():
        result.graded_notebook = graded.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the parent side
def prepare_template(root: Path, assignment: str, into: Path, plots: bool = False) -> Path:
    """A scratch course holding only this assignment in its gradebook (no students).
    With `plots`, it also holds matplotlib's font list for the bubblewrapped kernel."""
    template = into / "template"
    template.mkdir(parents=True)
    shutil.copy2(root / "nbgrader_config.py", template / "nbgrader_config.py")
    shutil.copytree(root / course.SOURCE / assignment, template / course.SOURCE / assignment)
    course.release(template, assignment, gradebook=course.sqlite_url(template))
    shutil.rmtree(template / course.RELEASE)
    if plots:
        build_font_list(template / KERNEL_HOME)
    return template


def build_font_list(kernel_home: Path) -> None:
    """matplotlib lists the machine's fonts the first time it is imported with a new
    config folder, and every sandboxed kernel has a new one (its MPLCONFIGDIR, see
    grader.sandbox): about 0.3 s of CPU per student. Built here once instead, with the
    kernel's environment, and copied into every job with the rest of the template. If
    this fails, each kernel builds its own list as before."""
    from grader import sandbox
    kernel_home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, **sandbox.kernel_home_environment(kernel_home))
    try:
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                       capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        pass


def released_notebook(root: Path, assignment: str) -> dict:
    return json.loads((root / course.RELEASE / assignment / f"{assignment}.ipynb").read_text())


def autograde(root: Path, assignment: str, workers: int | None = None, sandbox: bool = True,
              progress=None, executor_factory=None) -> list[Outcome]:
    """Grade submitted/*/<assignment>/ into the course gradebook; one Outcome per student.

    `executor_factory(workers)` may return any concurrent.futures-style executor (the
    default is a local process pool); `progress(done, total, outcome)` is called as
    each student is finished.
    """
    from nbgrader.api import Gradebook

    from grader import sandbox as sandbox_module
    root = root.resolve()
    if not course.is_in_gradebook(root, assignment):
        course.release(root, assignment)
    workers = workers or default_workers()
    use_bwrap = sandbox and sandbox_module.bwrap_works()
    released = released_notebook(root, assignment)
    submissions = find_submissions(root / course.SUBMITTED, assignment)
    outcomes: dict[str, Outcome] = {}
    # Identical prepared notebooks (the untouched release handed in by many, or a
    # notebook whose tampering the rebuild undid) are run once and share the result.
    jobs: dict[str, Job] = {}
    sharing: dict[str, list[str]] = {}      # notebook digest -> students

    # One gradebook session for the whole batch, in this process only.
    with tempfile.TemporaryDirectory(prefix="mml-batch-") as work, \
            Gradebook(course.db_url(root)) as gradebook:
        work = Path(work)
        template = prepare_template(root, assignment, work,
                                    plots=use_bwrap and "matplotlib" in json.dumps(released))
        for number, sub in enumerate(submissions):
            outcome, job = plan(sub, released, template, work / f"job-{number}", sandbox, use_bwrap)
            outcomes[sub.student] = outcome
            if job is None:
                record(gradebook, root, sub, outcome, None, released)
                tell_progress(progress, outcomes, len(submissions), outcome)
            else:
                digest = hashlib.sha256(job.notebook.encode()).hexdigest()
                jobs.setdefault(digest, job)
                sharing.setdefault(digest, []).append(sub.student)
        by_student = {s.student: s for s in submissions}
        digest_of = {job.student: digest for digest, job in jobs.items()}
        for result in run_jobs(list(jobs.values()), workers, executor_factory):
            for student in sharing[digest_of[result.student]]:
                outcome = outcomes[student]
                if result.student_problem:
                    outcome.reasons.append(result.student_problem)
                if result.graded_notebook:
                    outcome.reasons += execution_problems(json.loads(result.graded_notebook))
                outcome.infrastructure_error = result.infrastructure_error
                record(gradebook, root, by_student[student], outcome, result, released)
                tell_progress(progress, outcomes, len(submissions), outcome)
    return [outcomes[s.student] for s in submissions]


def tell_progress(progress, outcomes, total, outcome):
    """Call the progress callback with how many students are finished so far."""
    if progress:
        progress(sum(1 for o in outcomes.values() if o.max_score is not None), total, outcome)


def plan(sub: Submission, released: dict, template: Path, scratch: Path, sandbox: bool,
         use_bwrap: bool) -> tuple[Outcome, Job | None]:
    """The Outcome so far for one submission, and its Job if it is to be run."""
    outcome = Outcome(sub.student)
    if sub.problem:
        outcome.reasons.append(sub.problem)
    outcome.reasons += sub.notes
    if not sub.gradable:
        return outcome, None
    prepared = screening.prepare(json.loads(sub.notebook.read_bytes()), released)
    outcome.reasons += prepared.notes
    if prepared.findings:
        outcome.flagged = True
        outcome.reasons.append("not run: the answers reach for the grading machinery ("
                               + "; ".join(prepared.findings) + "); scored 0 for the "
                               "instructor to review")
        outcome.prepared = prepared.notebook
        return outcome, None
    timestamp = sub.folder / "timestamp.txt"
    job = Job(sub.student, sub.assignment, json.dumps(prepared.notebook), str(template),
              str(scratch), timestamp.read_text().strip() if timestamp.is_file() else None,
              sandbox, use_bwrap)
    return outcome, job


def default_workers() -> int:
    """How many notebooks a batch grades at once: half as many again as there are cores.
    A job leaves its core idle for about a quarter of its time (the kernel starting up,
    messages in flight, the kernel being stopped), and the extra workers fill those gaps.
    On 2 cores, 40 special_matrices submissions took 24-26 s with 2 workers, 19-20 s with
    3 and 19 s with 4; more workers than that only cost memory (a kernel each)."""
    cores = os.cpu_count() or 1
    return cores + max(1, cores // 2)


def run_jobs(jobs: list[Job], workers: int, executor_factory=None):
    """Yield a Result for every job, as they finish. A job whose worker died, or that
    failed for the grader's reasons, is tried once more in a fresh pool."""
    factory = executor_factory or local_pool
    pending, attempt = list(jobs), 0
    while pending and attempt < 2:
        attempt += 1
        retry = []
        with factory(min(workers, len(pending))) as executor:
            running = {executor.submit(grade_job, job): job for job in pending}
            for future in futures.as_completed(running):
                job = running[future]
                try:
                    result = future.result()
                except Exception as error:      # the worker process itself died
                    result = Result(job.student, infrastructure_error=f"grading worker died: {error!r}")
                if result.infrastructure_error and attempt == 1:
                    retry.append(job)
                else:
                    yield result
        pending = retry


def worker_context():
    """How grading workers are started: forked from a server process that Python starts
    fresh and that imports the grader and nbgrader once ('forkserver'). A worker starts
    clean, with no copy of the parent's database handles (as with 'spawn'), but in
    milliseconds instead of the 1.6 s each spawned worker spent importing nbgrader."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["grader.batch", "nbgrader.apps"])
    return context


def local_pool(workers: int):
    return futures.ProcessPoolExecutor(max_workers=workers, mp_context=worker_context())


def record(gb, root: Path, sub: Submission, outcome: Outcome, result: Result | None,
           released: dict) -> None:
    """Write one student's grades into the course gradebook `gb` and their graded
    notebook into autograded/ (the parent is the gradebook's only writer)."""
    from nbgrader.utils import parse_utc
    timestamp = None
    stamp = sub.folder / "timestamp.txt"
    if stamp.is_file():
        try:
            timestamp = parse_utc(stamp.read_text().strip())
        except Exception:
            outcome.reasons.append("timestamp.txt is unreadable and was ignored")
    failed = result is None or result.infrastructure_error is not None
    gb.update_or_create_student(sub.student)
    submission = gb.update_or_create_submission(sub.assignment, sub.student,
                                                timestamp=timestamp)
    for notebook in submission.notebooks:
        scores = {} if result is None else result.grades.get(notebook.name, {})
        comments = {} if result is None else result.comments.get(notebook.name, {})
        for grade in notebook.grades:
            auto_score, needs_manual = scores.get(grade.name, [0, False])
            grade.auto_score = auto_score
            grade.needs_manual_grade = needs_manual if not failed else False
        for comment in notebook.comments:
            comment.auto_comment = comments.get(comment.name)
        notebook.flagged = bool(getattr(outcome, "flagged", False))
    gb.db.commit()
    record_back = gb.find_submission(sub.assignment, sub.student)
    outcome.score, outcome.max_score = record_back.score, record_back.max_score
    outcome.cell_scores = {g.name: g.score for nb in record_back.notebooks for g in nb.grades}
    write_graded_notebook(root, sub, outcome, result, released)


def write_graded_notebook(root: Path, sub: Submission, outcome: Outcome,
                          result: Result | None, released: dict) -> None:
    """autograded/<student>/<id>/<id>.ipynb: the executed notebook, or (when nothing
    could run) the notebook as it would have been graded; headed by the grader's
    notes, so that the feedback tells the student what happened."""
    folder = root / course.AUTOGRADED / sub.student / sub.assignment
    folder.mkdir(parents=True, exist_ok=True)
    if result is not None and result.graded_notebook:
        nb = json.loads(result.graded_notebook)
    else:
        nb = getattr(outcome, "prepared", None) or json.loads(json.dumps(released))
    reasons = list(outcome.reasons)
    if outcome.infrastructure_error:
        reasons.append("the grader could not grade this notebook; your instructor has been told")
    nb["cells"] = [c for c in nb["cells"] if NOTES_CELL_TAG not in c.get("metadata", {}).get("tags", [])]
    if reasons:
        text = "**Notes from the grader**\n\n" + "\n".join(f"- {r}" for r in reasons)
        nb["cells"].insert(0, {"cell_type": "markdown", "id": "mml-grader-notes",
                               "metadata": {"tags": [NOTES_CELL_TAG]}, "source": text})
    (folder / f"{sub.assignment}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    # The two files nbgrader's own autograde carries over: the submission time, and
    # the exchange's secret that release_feedback/fetch_feedback match feedback by.
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (sub.folder / name).is_file():
            shutil.copy2(sub.folder / name, folder / name)


# ------------------------------------------------------------------ progress on a terminal
def progress_bar(stream=sys.stderr):
    """A progress callback: a bar on a terminal, a line per student otherwise."""
    started = time.perf_counter()

    def show(done, total, outcome):
        elapsed = time.perf_counter() - started
        rate = f"{elapsed / done:.1f} s/submission" if done else ""
        if stream.isatty():
            width = 30
            filled = int(width * done / max(total, 1))
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate}   ")
            if done == total:
                stream.write("\n")
        else:
            stream.write(f"[{done}/{total}] {outcome.student} {rate}\n")
        stream.flush()
    return show
