"""Figures, equations and exercises are numbered from 1 on every page
(_ext/page_numbering.py), and every reference to one resolves to a number."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.book.toc import week_pages
from tests.conftest import BUILD_HTML


def article(page: str):
    soup = BeautifulSoup((BUILD_HTML / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    return soup.find("article")


@pytest.mark.parametrize("page", week_pages())
def test_numbers_start_at_one_on_every_page(page):
    text = article(page).get_text(" ")
    figures = [int(n) for n in re.findall(r"Fig\. (\d+)", text)]
    equations = [int(n) for n in re.findall(r"\((\d+)\)", " ".join(
        span.get_text() for span in article(page).select("span.eqno")))]
    exercises = [int(n) for n in re.findall(r"Exercise (\d+)", text)]
    assert figures and min(figures) == 1, f"figures on {page} start at {min(figures, default=None)}"
    assert equations and min(equations) == 1 and sorted(equations) == list(range(1, len(equations) + 1))
    assert exercises and min(exercises) == 1


@pytest.mark.parametrize("page", week_pages())
def test_every_numbered_reference_resolves(page):
    refs = article(page).select("a.reference.internal span.std-numref, a.reference.internal span.eqno")
    unresolved = [a.get_text() for a in refs if not re.search(r"\d", a.get_text())]
    assert not unresolved, f"references without a number on {page}: {unresolved}"
