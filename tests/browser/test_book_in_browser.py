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


@pytest.fixture(scope="module")
def visits(browser, book_url):
    """Each page visited once per worker, on first use."""
    cache = {}

    def get(page):
        if page not in cache:
            cache[page] = visit(browser, f"{book_url}/{page}.html")
        return cache[page]
    return get


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_no_console_error_and_no_failed_request(visits, page):
    result = visits(page)
    assert not result.console_errors, f"console errors: {result.console_errors}"
    assert not result.failed_requests, f"failed requests: {result.failed_requests}"


@pytest.mark.parametrize("page", PAGES)
def test_page_makes_no_request_leaving_localhost(visits, page):
    assert not visits(page).external_requests


@pytest.mark.parametrize("page", PAGES)
def test_math_is_typeset(visits, page):
    result = visits(page)
    if result.math_elements:
        assert result.typeset_elements >= result.math_elements, (
            f"{result.math_elements} maths elements but {result.typeset_elements} typeset")
    assert not result.raw_tex, f"raw TeX visible on the page: {result.raw_tex}"


def test_pages_with_math_exist(visits):
    assert any(visits(page).math_elements for page in PAGES)


@pytest.mark.parametrize("page", PAGES)
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
    linked = {re.sub(r"^.*?//[^/]+/|\.html.*$", "", href) for href in hrefs}
    missing = [p for p in PAGES if p != "intro" and p not in linked]
    assert not missing, f"pages the sidebar does not reach: {missing}"


def test_next_links_walk_the_whole_book_in_order(browser, book_url):
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{book_url}/intro.html")
    walked = ["intro"]
    for _ in range(len(PAGES) + 1):
        nxt = page.locator("a.right-next")
        if nxt.count() == 0:
            break
        nxt.first.click()
        page.wait_for_load_state("load")
        walked.append(re.sub(r"^.*?//[^/]+/|\.html.*$", "", page.url))
    context.close()
    assert walked == PAGES, f"'next' walks {walked}, the toc lists {PAGES}"


def test_search_finds_a_term(browser, book_url):
    term, expected = ("eigenvector", "eigen") if any("week5" in p for p in PAGES) else ("vector", "vector")
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{book_url}/search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    context.close()
    assert any(expected in href for href in results), f"searching '{term}' found {results}"


@pytest.mark.parametrize("page", [p for p in PAGES if re.search(r"/week\d+-", p)])
def test_download_button_offers_the_pages_notebook(browser, book_url, page):
    context = new_context(browser)
    tab = context.new_page()
    tab.goto(f"{book_url}/{page}.html")
    tab.locator("button[aria-label='Download this page']").click()
    link = tab.locator("a.btn-download-notebook-button")
    assert link.is_visible(), "the download menu should offer the page as a notebook"
    href = link.get_attribute("href")
    response = tab.request.get(link.evaluate("a => a.href"))
    assert href.endswith(f"{page.split('/')[-1]}.ipynb")
    assert response.ok
    notebook = json.loads(response.body())
    context.close()
    assert notebook["nbformat"] == 4 and len(notebook["cells"]) > 5


@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, book_url, page):
    context = new_context(browser)
    tab = context.new_page()
    tab.goto(f"{book_url}/{page}.html", wait_until="load")
    tab.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    context.close()
    assert not violations, json.dumps(violations, indent=1)


@pytest.mark.parametrize("page", ["intro"] + [p for p in PAGES if p.endswith(tuple(
    f"/week1-{slug}" for slug in ("vectors-and-ml", "what-is-calculus", "statistics-of-datasets")))])
def test_screenshot_saved(browser, book_url, artifacts, page):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{book_url}/{page}.html", wait_until="load")
    tab.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    path = artifacts / "screenshots" / (page.replace("/", "__") + ".png")
    tab.screenshot(path=str(path), full_page=True)
    context.close()
    assert path.stat().st_size > 10_000
