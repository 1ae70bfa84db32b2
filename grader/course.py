"""Where things are in a course directory, and how we run nbgrader in it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

SOURCE = "source_solutions"
RELEASE = "assignments"
SUBMITTED = "submitted"
AUTOGRADED = "autograded"
FEEDBACK = "feedback"
GRADEBOOK = "gradebook.db"


def db_url(root: Path) -> str:
    """The course gradebook, as nbgrader itself finds it: CourseDirectory.db_url from
    nbgrader_config.py (set from MML_GRADEBOOK_URL there, e.g. a PostgreSQL server),
    else gradebook.db, the SQLite file at the course root."""
    configured = load_config(root).CourseDirectory.get("db_url")
    return configured or sqlite_url(root)


def sqlite_url(folder: Path) -> str:
    """The SQLite gradebook file in `folder`, whatever the configuration says."""
    return f"sqlite:///{(folder / GRADEBOOK).resolve()}"


def assignment_ids(root: Path) -> list[str]:
    """Every assignment in source_solutions/: a folder <id>/ holding <id>.ipynb."""
    return sorted(p.name for p in (root / SOURCE).iterdir()
                  if (p / f"{p.name}.ipynb").is_file())


def nbgrader(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run one nbgrader command in the course directory `root`, capturing its log."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs `alembic` from PATH: put this interpreter's scripts first.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:])} failed:\n{result.stdout}{result.stderr}")
    return result


def load_config(root: Path, **overrides: dict) -> Config:
    """The course's nbgrader_config.py, with `overrides` ({"Section": {"trait": value}}) on top."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.merge(Config(overrides))
    return config


def api(root: Path, **overrides: dict) -> NbGraderAPI:
    """nbgrader's Python API for the course in `root` (one import, many students)."""
    config = load_config(root, **overrides)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def is_in_gradebook(root: Path, assignment: str) -> bool:
    ensure_gradebook(db_url(root))
    with Gradebook(db_url(root)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def release(root: Path, assignment: str, gradebook: str | None = None) -> None:
    """Generate the student version in assignments/<id>/ and record it in the gradebook
    (the course's, or the one at URL `gradebook`): nbgrader's generate_assignment, run
    in this process."""
    overrides = {"CourseDirectory": {"db_url": gradebook}} if gradebook else {}
    nbgrader_api = api(root, **overrides)
    ensure_gradebook(nbgrader_api.coursedir.db_url)
    run = nbgrader_api.generate_assignment(assignment, force=True, create=True)
    if not run["success"]:
        raise RuntimeError(f"generate_assignment {assignment} failed:\n{run.get('log', '')}")


def ensure_gradebook(url: str) -> None:
    """Create the gradebook at `url` if it has no tables yet, stamped with nbgrader's
    database version, as nbgrader's Gradebook would. nbgrader finds that version by
    running `alembic heads` in a subprocess, about 4 s per new gradebook; asking
    alembic's Python API directly takes milliseconds."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader import api as nbgrader_api_module
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url, future=True)
    try:
        if inspect(engine).get_table_names():
            return
        migrations = Path(nbgrader_api_module.__file__).parent / "alembic"
        alembic_config = AlembicConfig()
        alembic_config.set_main_option("script_location", str(migrations))
        head = ScriptDirectory.from_config(alembic_config).get_current_head()
        nbgrader_api_module.Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
                               {"head": head})
    finally:
        engine.dispose()
