"""Feedback that teaches and never leaks, for every assignment.

The feedback of the untouched release (every test fails, so every traceback is there
to leak) is generated with the plain `nbgrader generate_feedback` and `python -m
grader feedback`, and read as text, the way a student sees it.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from grader import course
from tests.grading import harness

ASSIGNMENTS = harness.assignment_ids()


class PageText(HTMLParser):
    """The visible text of a page, and the URLs of its scripts and stylesheets."""

    def __init__(self):
        super().__init__()
        self.chunks, self.urls, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for key in ("src", "href"):
            if attrs.get(key) and (tag != "a"):
                self.urls.append(attrs[key])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)

    @classmethod
    def of(cls, html: str) -> "PageText":
        page = cls()
        page.feed(html)
        return page

    @property
    def lines(self) -> set[str]:
        return {line.strip() for line in "".join(self.chunks).split("\n")}


@pytest.fixture(scope="session")
def feedback(graded):
    """feedback(assignment, student) -> the HTML of that student's feedback page."""
    made = set()

    def page(assignment, student):
        course_dir = graded(assignment).course_dir
        if (assignment, student) not in made:
            course.nbgrader(course_dir, "generate_feedback", assignment, f"--student={student}",
                            "--force", "--log-level=WARN")
            made.add((assignment, student))
        return (course_dir / "feedback" / student / assignment / f"{assignment}.html").read_text()
    return page


def per_assignment():
    return [pytest.param(a, id=a, marks=pytest.mark.xdist_group(a)) for a in ASSIGNMENTS]


@pytest.mark.parametrize("assignment", per_assignment())
def test_no_page_shows_a_hidden_test_or_a_solution(feedback, assignment):
    secrets = harness.instructor_only_lines(harness.source_notebook(assignment))
    shown = PageText.of(feedback(assignment, "release")).lines
    leaked = sorted(secrets & shown)
    assert not leaked, f"the feedback shows instructor-only lines: {leaked[:3]}"
    assert "BEGIN HIDDEN TESTS" not in "".join(shown)


@pytest.mark.parametrize("assignment", per_assignment())
def test_failed_tests_show_their_message_and_no_traceback(feedback, graded, assignment):
    text = "\n".join(PageText.of(feedback(assignment, "release")).chunks)
    graded_nb = json.loads((graded(assignment).course_dir / "autograded" / "release" / assignment
                            / f"{assignment}.ipynb").read_text())
    tests = [c for c in graded_nb["cells"] if harness.nbgrader_meta(c).get("grade")
             and not harness.nbgrader_meta(c).get("solution") and c["cell_type"] == "code"]
    errors = [o for c in tests for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors, "the blank release should fail its tests"
    for error in errors:
        assert error["ename"] in text, f"the student is not told about {error['ename']}"
    # A traceback through a test cell names it as "Cell In[<its execution count>]";
    # the student's own cells may keep theirs.
    for cell in tests:
        assert f"Cell In[{cell['execution_count']}]" not in text, (
            "a test cell's traceback reached the feedback")


@pytest.mark.parametrize("assignment", per_assignment())
def test_feedback_pages_load_nothing_from_the_network(feedback, assignment):
    urls = PageText.of(feedback(assignment, "release")).urls
    external = [u for u in urls if re.match(r"^(https?:)?//", u)]
    assert not external, f"the feedback page loads {external}"
    assert "mathjax/load.js" in urls


@pytest.mark.xdist_group("special_matrices")
def test_make_feedback_ships_mathjax_and_the_grader_notes(graded):
    assignment = "special_matrices"
    course_dir = graded(assignment).course_dir
    run = subprocess.run([sys.executable, "-m", "grader", "--root", str(course_dir), "feedback",
                          assignment], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    folder = course_dir / "feedback" / "attack-os_exit" / assignment
    assert (folder / "mathjax" / "load.js").is_file()
    assert (folder / "mathjax" / "tex-svg.js").stat().st_size > 1_000_000
    page = PageText.of((folder / f"{assignment}.html").read_text())
    text = "".join(page.chunks)
    assert "Notes from the grader" in text and "imports 'os'" in text
    correct = PageText.of((course_dir / "feedback" / "solution" / assignment
                           / f"{assignment}.html").read_text())
    assert "Notes from the grader" not in "".join(correct.chunks)
