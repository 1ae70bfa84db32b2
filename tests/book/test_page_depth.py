"""Every week page meets the depth bar of CONTRIBUTING.md: at least 3,000 words of
prose, 20 display equations, 8 figures drawn by code, and 5 exercises, each with a
worked solution folded away."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.book.toc import week_pages
from tests.conftest import BUILD_HTML, ROOT

WEEK_PAGES = week_pages()

CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```\s*$", re.DOTALL | re.MULTILINE)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
AMS_ENV = re.compile(r"\\begin\{(equation|align|gather|multline)\*?\}")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
EXERCISE = re.compile(r"^```\{exercise\}[^\n]*\n:label:\s*(\S+)", re.MULTILINE)
SOLUTION = re.compile(r"^```\{solution\}\s*(\S+)\s*\n((?::[^\n]*\n)*)", re.MULTILINE)


def page_source(page: str) -> str:
    return (ROOT / f"{page}.md").read_text(encoding="utf-8")


def prose(text: str) -> str:
    text = FRONT_MATTER.sub("", text)
    text = CODE_CELL.sub("", text)
    return DISPLAY_MATH.sub("", text)


def figure_count(page: str) -> int:
    """Images drawn by the page's code, as the reader gets them: myst-nb writes every
    image output (shown or glued) to _images/ in the built HTML. (The executed
    notebook in _build/jupyter_execute/ is no guide: on a cached rebuild myst-nb
    writes it without outputs.)"""
    html = (BUILD_HTML / f"{page}.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    return sum(1 for img in article.find_all("img") if "_images/" in img.get("src", ""))


def test_there_are_week_pages():
    assert WEEK_PAGES, "_toc.yml should list the week pages"


@pytest.mark.parametrize("page", WEEK_PAGES)
def test_page_has_enough_prose(page):
    words = len(re.findall(r"[A-Za-z][A-Za-z'’-]*", prose(page_source(page))))
    assert words >= 3000, f"{page} has {words} words of prose; the bar is 3,000"


@pytest.mark.parametrize("page", WEEK_PAGES)
def test_page_has_enough_display_equations(page):
    text = FRONT_MATTER.sub("", page_source(page))
    text = CODE_CELL.sub("", text)
    blocks = DISPLAY_MATH.findall(text)
    outside = DISPLAY_MATH.sub("", text)
    count = len(blocks) + len(AMS_ENV.findall(outside))
    assert count >= 20, f"{page} has {count} display equations; the bar is 20"


@pytest.mark.parametrize("page", WEEK_PAGES)
def test_page_has_enough_figures_drawn_by_code(page):
    count = figure_count(page)
    assert count >= 8, f"{page} draws {count} figures; the bar is 8"


@pytest.mark.parametrize("page", WEEK_PAGES)
def test_every_exercise_has_a_folded_worked_solution(page):
    text = page_source(page)
    exercises = EXERCISE.findall(text)
    solutions = {label: options for label, options in SOLUTION.findall(text)}
    assert len(exercises) >= 5, f"{page} has {len(exercises)} exercises; the bar is 5"
    for label in exercises:
        assert label in solutions, f"exercise {label} on {page} has no worked solution"
        assert "dropdown" in solutions[label], f"the solution to {label} should be folded (:class: dropdown)"
