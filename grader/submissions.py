"""Look at a student's submission folder before nbgrader does.

nbgrader stops on a notebook that is not valid JSON and silently skips a notebook with
the wrong name. Here each submission is checked first; the student's own files are
only ever read (grader.batch grades a prepared copy).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


@dataclass
class Submission:
    """One student's folder for one assignment, and what we found in it."""
    student: str
    assignment: str
    folder: Path
    notebook: Path | None = None          # the file that will be graded, if any
    problem: str | None = None            # why nothing can be graded, for the student
    notes: list[str] = field(default_factory=list)  # graded, but worth telling

    @property
    def gradable(self) -> bool:
        return self.notebook is not None


def find_submissions(submitted: Path, assignment: str) -> list[Submission]:
    """Every submitted/<student>/<assignment>/ folder, inspected."""
    if not submitted.is_dir():
        return []
    folders = sorted(p / assignment for p in submitted.iterdir() if (p / assignment).is_dir())
    return [inspect(folder.parent.name, assignment, folder) for folder in folders]


def inspect(student: str, assignment: str, folder: Path) -> Submission:
    """Decide which notebook of `folder` to grade, or why none can be."""
    sub = Submission(student, assignment, folder)
    expected = folder / f"{assignment}.ipynb"
    links = [p.name for p in [folder, *folder.iterdir()] if p.is_symlink()]
    if links:
        # A link could point at the instructor's source or another student's work.
        sub.problem = f"'{links[0]}' is a symbolic link; submit the notebook file itself"
        return sub
    extra = sorted(p.name for p in folder.iterdir() if p.suffix != ".ipynb"
                   and p.name not in ("timestamp.txt", "submission_secret.txt"))
    if extra:
        sub.notes.append("extra files were not graded: " + ", ".join(extra))
    if expected.is_file():
        candidate = expected
    else:
        others = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
        if len(others) == 1:
            candidate = others[0]
            sub.notes.append(f"graded '{candidate.name}' as '{expected.name}' (wrong file name)")
        elif others:
            names = ", ".join(p.name for p in others)
            sub.problem = f"no notebook named '{expected.name}' (found several others: {names})"
            return sub
        else:
            sub.problem = f"no notebook named '{expected.name}' in the submission"
            return sub
    sub.problem = notebook_problem(candidate, sub.notes)
    if sub.problem is None:
        sub.notebook = candidate
    return sub


def notebook_problem(path: Path, notes: list[str]) -> str | None:
    """A one-line reason why `path` is not a readable nbformat-4 notebook, or None.
    Harmless damage that grading repairs is added to `notes`."""
    if path.stat().st_size == 0:
        return f"'{path.name}' is an empty file"
    try:
        raw = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"'{path.name}' is not valid notebook JSON ({error})"
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return f"'{path.name}' is JSON but not a notebook"
    if raw.get("nbformat") != 4:
        return f"'{path.name}' is in notebook format {raw.get('nbformat')}; version 4 is needed"
    ids = [c.get("id") for c in raw.get("cells", []) if isinstance(c, dict) and c.get("id")]
    if len(ids) != len(set(ids)):
        # A corrupted save; the grader rebuilds the notebook with the released ids.
        notes.append("duplicate cell ids were repaired")
        for number, cell in enumerate(raw["cells"]):
            if isinstance(cell, dict):
                cell["id"] = f"cell-{number}"
    try:
        nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    except nbformat.ValidationError as error:
        return f"'{path.name}' is not a valid notebook ({error.message})"
    return None
