"""Command line: python -m grader {release,autograde,feedback,grades,report} ..."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grader import course
from grader import batch, cluster, feedback, report, sandbox
from grader.autograde import summary_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the course directory (where nbgrader_config.py is)")
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="regenerate student versions in assignments/")
    rel.add_argument("assignments", nargs="*", help="ids (default: every assignment)")
    auto = commands.add_parser("autograde", help="grade submitted/*/<id>/")
    auto.add_argument("assignment")
    auto.add_argument("--workers", type=int, default=None,
                      help="notebooks graded at once (default: 1.5 per core, at least one more than cores)")
    auto.add_argument("--no-sandbox", action="store_true",
                      help="run kernels without the sandbox (for comparison only)")
    auto.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                      help="grade on this Dask cluster instead of local processes "
                           f"(default: ${cluster.SCHEDULER_ENV} if set; see grader/cluster.py)")
    fb = commands.add_parser("feedback", help="HTML feedback for graded submissions")
    fb.add_argument("assignment")
    fb.add_argument("--student", action="append", default=None, metavar="ID",
                    help="only this student (repeat for more; default: every graded student)")
    grades = commands.add_parser("grades", help="export all grades as CSV")
    grades.add_argument("--output", default="grades.csv")
    rep = commands.add_parser("report", help="grades.csv and report.html (plots) for the instructor")
    rep.add_argument("--output", type=Path, default=None,
                     help="folder to write into (default: report/ in the course directory)")
    args = parser.parse_args(argv)
    root = args.root.resolve()

    if args.command == "release":
        for assignment in args.assignments or course.assignment_ids(root):
            course.release(root, assignment)
            print(f"released {assignment} -> {course.RELEASE}/{assignment}/")
        return 0
    if args.command == "autograde":
        layers = sandbox.active_layers() if not args.no_sandbox else ["none (--no-sandbox)"]
        print("Sandbox layers active: " + "; ".join(layers), flush=True)
        scheduler = cluster.scheduler_address(args.scheduler)
        factory, workers = None, args.workers or batch.default_workers()
        if scheduler:
            print(cluster.describe(scheduler), flush=True)
            factory = cluster.executor_factory(scheduler)
        else:
            print(f"Grading {workers} notebooks at a time ({os.cpu_count()} cores)", flush=True)
        outcomes = batch.autograde(root, args.assignment, workers=workers,
                                   sandbox=not args.no_sandbox, progress=batch.progress_bar(),
                                   executor_factory=factory)
        print(summary_table(args.assignment, outcomes))
        return 1 if any(o.infrastructure_error for o in outcomes) else 0
    if args.command == "feedback":
        # nbgrader's generate_feedback, with the course's nbgrader_config.py, in this process.
        nbgrader_api = course.api(root)
        for student in args.student or [None]:
            run = nbgrader_api.generate_feedback(args.assignment, student, force=True)
            if not run["success"]:
                print(run.get("log", ""), file=sys.stderr)
                return 1
        pages = feedback.add_offline_mathjax(root, args.assignment)
        print(f"feedback for {pages} student(s) written to {course.FEEDBACK}/*/{args.assignment}/")
        return 0
    if args.command == "grades":
        course.nbgrader(root, "export", f"--to={args.output}")
        print(f"grades written to {args.output}")
        return 0
    if args.command == "report":
        try:
            written = report.write_report(root, args.output or root / "report")
        except FileNotFoundError as error:
            print(error, file=sys.stderr)
            return 1
        for path in written.values():
            print(path)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
