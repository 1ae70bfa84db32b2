"""The built book, read in real Chromium as a student would: every page loads cleanly
and offline, maths is typeset, figures load and are described, navigation reaches
every page, search works, each page offers its notebook, and axe-core finds no
serious accessibility problem."""
from __future__ import annotations

import json
import re

import pytest

from tests.book.toc import toc_pages
from tests.browser.visit import new_context, visit
from tests.conftest import ROOT

PAGES = toc_pages()
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WEEK_PAGES = [p for p in PAGES if re.search(r"/week\d+-", p)]
SCREENSHOT_PAGES = ["intro"] + [p for p in PAGES if p.endswith(tuple(
    f"/week1-{slug}" for slug in ("vectors-and-ml", "what-is-calculus", "statistics-of-datasets")))]
# The pages are shared between two xdist groups, so two workers visit them, each page once.
VISIT_GROUPS = 2


def per_page(pages):
    return [pytest.param(p, id=p, marks=pytest.mark.xdist_group(f"book-{PAGES.index(p) % VISIT_GROUPS}"))
            for p in pages]


def page_name(url: str | None) -> str | None:
    """'http://127.0.0.1:8000/book/x/y.html#top' -> 'book/x/y'."""
    return None if url is None else re.sub(r"^.*?//[^/]+/|\.html.*$", "", url)


@pytest.fixture(scope="module")
def visits(browser, book_url, artifacts):
    """visits(page) -> Visit: each page loaded once per worker, on first use."""
    cache = {}

    def get(page):
        if page not in cache:
            shot = (artifacts / "screenshots" / (page.replace("/", "__") + ".png")
                    if page in SCREENSHOT_PAGES else None)
            cache[page] = visit(browser, f"{book_url}/{page}.html", AXE, screenshot=shot)
        return cache[page]
    return get


@pytest.mark.parametrize("page", per_page(PAGES))
def test_page_loads_with_no_console_error_and_no_failed_request(visits, page):
    result = visits(page)
    assert not result.console_errors, f"console errors: {result.console_errors}"
    assert not result.failed_requests, f"failed requests: {result.failed_requests}"


@pytest.mark.parametrize("page", per_page(PAGES))
def test_page_makes_no_request_leaving_localhost(visits, page):
    assert not visits(page).external_requests


@pytest.mark.parametrize("page", per_page(PAGES))
def test_math_is_typeset(visits, page):
    result = visits(page)
    if page in WEEK_PAGES:      # every week of a mathematics course has maths on it
        assert result.math_elements, "a week page with no maths elements at all"
    if result.math_elements:
        assert result.typeset_elements >= result.math_elements, (
            f"{result.math_elements} maths elements but {result.typeset_elements} typeset")
    assert not result.raw_tex, f"raw TeX visible on the page: {result.raw_tex}"


@pytest.mark.parametrize("page", per_page(PAGES))
def test_every_image_loads_and_has_alt_text(visits, page):
    result = visits(page)
    assert not result.broken_images, f"images that did not load: {result.broken_images}"
    assert not result.images_without_alt, f"images without alt text: {result.images_without_alt}"


def test_sidebar_links_to_every_page(browser, book_url):
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{book_url}/intro.html")
    hrefs = page.eval_on_selector_all(
        "nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.href)")
    context.close()
    linked = {page_name(href) for href in hrefs}
    missing = [p for p in PAGES if p != "intro" and p not in linked]
    assert not missing, f"pages the sidebar does not reach: {missing}"


@pytest.mark.parametrize("page", per_page(PAGES))
def test_next_and_previous_links_follow_the_toc(visits, page):
    """Page by page, so that 'next' from the landing page walks the whole book in
    toc order and 'previous' walks it back."""
    index = PAGES.index(page)
    result = visits(page)
    expected_next = PAGES[index + 1] if index + 1 < len(PAGES) else None
    expected_prev = PAGES[index - 1] if index > 0 else None
    assert page_name(result.next_href) == expected_next
    assert page_name(result.prev_href) == expected_prev


def test_search_finds_a_term(browser, book_url):
    term, expected = ("eigenvector", "eigen") if any("week5" in p for p in PAGES) else ("vector", "vector")
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{book_url}/search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    context.close()
    assert any(expected in href for href in results), f"searching '{term}' found {results}"


@pytest.mark.parametrize("page", per_page(WEEK_PAGES))
def test_download_button_offers_the_pages_notebook(visits, page):
    download = visits(page).download
    assert download is not None, "the page has no download button"
    assert download.menu_link_visible, "the download menu should offer the page as a notebook"
    assert download.href.endswith(f"{page.split('/')[-1]}.ipynb"), download.href
    assert download.status == 200, f"the notebook link answers HTTP {download.status}"
    assert download.notebook["nbformat"] == 4 and len(download.notebook["cells"]) > 5


@pytest.mark.parametrize("page", per_page(PAGES))
def test_axe_finds_no_serious_or_critical_violation(visits, page):
    violations = visits(page).axe_violations
    assert not violations, json.dumps(violations, indent=1)


@pytest.mark.parametrize("page", per_page(SCREENSHOT_PAGES))
def test_screenshot_saved(visits, artifacts, page):
    saved = visits(page).screenshot_bytes
    path = artifacts / "screenshots" / (page.replace("/", "__") + ".png")
    assert saved > 10_000 and path.stat().st_size == saved
