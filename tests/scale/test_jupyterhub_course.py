"""The course on JupyterHub (deploy/), end to end: a real hub and proxy on 127.0.0.1,
an instructor and two students with single-user servers spawned through the hub, and
one assignment going round the nbgrader exchange.

The instructor uses the command line, as in a terminal on their server: nbgrader
generate_assignment and release_assignment, collect, our batch grader (python -m grader
autograde / feedback), release_feedback. The students use their servers' Assignments
API (nbgrader's assignment_list extension) through the proxy, with their own tokens:
list, fetch, save answers (Jupyter's contents API), submit, fetch feedback. Alice
answers every question as the instructor's solution does; Bob submits the notebook
untouched.

See tests/scale/hub.py for what differs from a real deployment (one account for all).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader import course
from tests.grading import harness
from tests.scale import hub as hub_module

ASSIGNMENT = "special_matrices"
COURSE_ID = "mml"
INSTRUCTOR = "instructor"
STUDENTS = ["alice", "bob"]
ANSWERS = {"alice": "solution", "bob": "none"}
pytestmark = pytest.mark.xdist_group("jupyterhub")


@pytest.fixture(scope="module")
def hub():
    try:
        server = hub_module.start(instructors=[INSTRUCTOR], students=STUDENTS)
    except hub_module.ProxyMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        server.start_servers([INSTRUCTOR, *STUDENTS])
        yield server
    finally:
        leftovers = server.stop()
        assert not leftovers, f"still running after the hub stopped: {leftovers}"


def instructor(hub, *command: str) -> subprocess.CompletedProcess:
    """Run a command in the instructor's course folder, as from their terminal."""
    result = subprocess.run(list(command), cwd=hub.home(INSTRUCTOR) / COURSE_ID,
                            env=hub_module.instructor_env(hub, INSTRUCTOR),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"
    return result


def nbgrader(hub, *args: str) -> subprocess.CompletedProcess:
    return instructor(hub, sys.executable, "-m", "nbgrader", *args)


def assignments_api(hub, student: str, action: str | None = None) -> dict:
    """The student's Assignments tab: list (GET), or fetch/submit/fetch_feedback (POST;
    nbgrader answers with the new list)."""
    if action is None:
        response = hub.as_user(student, "GET", "/assignments", params={"course_id": COURSE_ID})
    else:
        response = hub.as_user(student, "POST", f"/assignments/{action}",
                               data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
    assert response.status_code == 200, f"{action or 'list'}: {response.status_code} {response.text}"
    listing = response.json()
    assert listing["success"], listing["value"]
    return listing


def status(listing: dict) -> list[tuple[str, str]]:
    return sorted((a["assignment_id"], a["status"]) for a in listing["value"])


def answer(notebook: dict, student: str) -> dict:
    """The student's work on the fetched notebook."""
    if ANSWERS[student] == "solution":
        solutions = harness.cells_by_grade_id(harness.reference_submission(ASSIGNMENT))
        for grade_id, cell in harness.cells_by_grade_id(notebook).items():
            if harness.nbgrader_meta(cell).get("solution"):
                cell["source"] = harness.source_text(solutions[grade_id])
    return notebook


@pytest.fixture(scope="module")
def course_round(hub):
    """The whole loop, step by step; what each step left behind, for the tests."""
    seen = {}
    # The instructor's course: the repository's course config and the assignment source.
    course_dir = hub.home(INSTRUCTOR) / COURSE_ID
    course_dir.mkdir()
    shutil.copy(harness.ROOT / "nbgrader_config.py", course_dir)
    shutil.copytree(harness.ROOT / course.SOURCE / ASSIGNMENT, course_dir / course.SOURCE / ASSIGNMENT)
    nbgrader(hub, "generate_assignment", ASSIGNMENT)
    nbgrader(hub, "release_assignment", ASSIGNMENT)

    notebook_path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    for student in STUDENTS:
        seen[student, "released"] = status(assignments_api(hub, student))
        seen[student, "fetched"] = status(assignments_api(hub, student, "fetch"))
        response = hub.as_user(student, "GET", f"/api/contents/{notebook_path}")
        assert response.status_code == 200, response.text
        work = answer(response.json()["content"], student)
        response = hub.as_user(student, "PUT", f"/api/contents/{notebook_path}",
                               json={"type": "notebook", "format": "json", "content": work})
        assert response.status_code == 200, response.text
        seen[student, "saved"] = work
        seen[student, "submitted"] = status(assignments_api(hub, student, "submit"))

    nbgrader(hub, "collect", ASSIGNMENT)
    seen["autograde"] = instructor(hub, sys.executable, "-m", "grader", "autograde", ASSIGNMENT).stdout
    seen["feedback"] = instructor(hub, sys.executable, "-m", "grader", "feedback", ASSIGNMENT).stdout
    nbgrader(hub, "release_feedback", ASSIGNMENT)
    for student in STUDENTS:
        seen[student, "feedback fetched"] = assignments_api(hub, student, "fetch_feedback")
    seen["course"] = course_dir
    return seen


def gradebook_score(course_dir: Path, student: str) -> tuple[float, float]:
    with Gradebook(course.sqlite_url(course_dir)) as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        return submission.score, submission.max_score


def test_every_user_has_a_server_spawned_by_the_hub(hub):
    users = {u["name"]: u for u in hub.api("GET", "/users").json()}
    assert set(users) == {INSTRUCTOR, *STUDENTS}
    for name, user in users.items():
        server = user["servers"][""]
        assert server["ready"] and server["url"] == f"/user/{name}/"
    assert users[INSTRUCTOR]["admin"] and not any(users[s]["admin"] for s in STUDENTS)
    groups = {g["name"]: sorted(g["users"]) for g in hub.api("GET", "/groups").json()}
    assert groups == {"instructors": [INSTRUCTOR], "students": sorted(STUDENTS)}


def test_only_the_instructor_has_the_formgrader(hub):
    assert hub.as_user(INSTRUCTOR, "GET", "/formgrader/manage_assignments").status_code == 200
    for student in STUDENTS:
        assert hub.as_user(student, "GET", "/formgrader/manage_assignments").status_code == 404


def test_a_user_cannot_use_another_users_server(hub):
    response = hub.as_user("bob", "GET", "/assignments", params={"course_id": COURSE_ID},
                           token=hub.user_tokens["alice"])
    assert response.status_code == 403


def test_students_fetch_the_released_assignment(course_round, hub):
    for student in STUDENTS:
        assert course_round[student, "released"] == [(ASSIGNMENT, "released")]
        assert course_round[student, "fetched"] == [(ASSIGNMENT, "fetched")]
        fetched = hub.home(student) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.is_file()


def test_submissions_are_collected_under_each_student(course_round):
    for student in STUDENTS:
        assert (ASSIGNMENT, "submitted") in course_round[student, "submitted"]
        folder = course_round["course"] / course.SUBMITTED / student / ASSIGNMENT
        for name in ("timestamp.txt", "submission_secret.txt"):
            assert (folder / name).is_file(), f"{student}: {name} not collected"
        collected = json.loads((folder / f"{ASSIGNMENT}.ipynb").read_text())
        saved = course_round[student, "saved"]
        assert [harness.source_text(c) for c in collected["cells"]] == \
               [harness.source_text(c) for c in saved["cells"]]


def test_the_batch_grader_scores_each_student(course_round):
    assert "Sandbox layers active" in course_round["autograde"]
    solution, max_score = gradebook_score(course_round["course"], "alice")
    untouched, _ = gradebook_score(course_round["course"], "bob")
    assert max_score > 0 and solution == max_score
    assert untouched == 0


def test_each_student_fetches_feedback_with_their_score(course_round, hub):
    for student in STUDENTS:
        score, max_score = gradebook_score(course_round["course"], student)
        pages = list((hub.home(student) / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(pages) == 1, f"{student}: feedback pages {pages}"
        heading = re.search(r"\(Score: ([\d.]+) / ([\d.]+)\)", pages[0].read_text())
        assert heading, f"{student}: no score in {pages[0]}"
        assert (float(heading[1]), float(heading[2])) == (round(score, 2), round(max_score, 2))
        # ...and the student's Assignments tab links to it.
        submissions = [s for a in course_round[student, "feedback fetched"]["value"]
                       if a["status"] == "submitted" for s in a["submissions"]]
        assert len(submissions) == 1 and submissions[0]["has_local_feedback"]
        assert hub.home(student) / submissions[0]["local_feedback_path"] == pages[0].parent
