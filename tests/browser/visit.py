"""Load one book page in Chromium, once, and record everything a reader's browser did
and showed: the tests in test_book_in_browser.py each assert on one part of the record.
(One visit per page instead of one per check: the page load, MathJax and axe are the
slow part, and they are the same for every check.)"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Long pages with hundreds of formulas take a while to load and typeset on a busy
# 2-core machine; waits are generous so only a real fault fails a test.
TIMEOUT_MS = 120_000

# axe-core's result, cut down to what a failing test should print.
AXE_SERIOUS = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""

# The article's text without code and typeset maths: raw TeX left here is a fault.
ARTICLE_TEXT = """() => {
    const article = document.querySelector('article').cloneNode(true);
    article.querySelectorAll('pre, code, .highlight, mjx-container, script, style')
           .forEach(e => e.remove());
    return article.textContent;
}"""


def new_context(browser, **options):
    """A browser context (a fresh profile) with the suite's generous timeouts."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@dataclass
class Download:
    """What the page's download menu offered as its notebook."""
    menu_link_visible: bool
    href: str | None
    status: int | None = None
    notebook: dict | None = None


@dataclass
class Visit:
    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    math_elements: int = 0            # elements the page marks as maths
    typeset_elements: int = 0         # MathJax's rendered output
    raw_tex: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    next_href: str | None = None      # the page's "next" and "previous" links
    prev_href: str | None = None
    axe_violations: list[dict] = field(default_factory=list)   # serious or critical only
    download: Download | None = None
    screenshot_bytes: int = 0         # size of the PNG saved by this visit


def visit(browser, url: str, axe: Path, screenshot: Path | None = None) -> Visit:
    """Load `url` as a reader would, wait for the maths, and record the page; run
    axe-core (the file `axe`) on it; open its download menu; save a full-page
    screenshot to `screenshot` if given."""
    result = Visit(url)
    context = new_context(browser)
    page = context.new_page()
    page.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: result.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: result.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: result.failed_requests.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)

    def check_host(request):
        if urlparse(request.url).hostname not in LOCAL_HOSTS and not request.url.startswith("data:"):
            result.external_requests.append(request.url)
    page.on("request", check_host)

    page.goto(url, wait_until="load")
    result.math_elements = page.locator("article .math").count()
    if result.math_elements:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
    result.typeset_elements = page.locator("article mjx-container").count()
    text = page.evaluate(ARTICLE_TEXT)
    result.raw_tex = [token for token in ("$$", "\\(", "\\[", "\\begin{") if token in text]
    for image in page.locator("article img").all():
        src = image.get_attribute("src") or ""
        if not (image.get_attribute("alt") or "").strip():
            result.images_without_alt.append(src)
        if not image.evaluate("img => img.complete && img.naturalWidth > 0"):
            result.broken_images.append(src)
    for attribute, selector in (("next_href", "a.right-next"), ("prev_href", "a.left-prev")):
        link = page.locator(selector)
        if link.count():
            setattr(result, attribute, link.first.evaluate("a => a.href"))
    if screenshot is not None:
        result.screenshot_bytes = len(page.screenshot(path=str(screenshot), full_page=True))
    page.add_script_tag(path=str(axe))
    result.axe_violations = page.evaluate(AXE_SERIOUS)
    result.download = open_download_menu(page)
    context.close()
    return result


def open_download_menu(page) -> Download | None:
    """Click the page's download button and fetch the notebook it offers (pages
    written as notebooks offer one; others have no such entry)."""
    button = page.locator("button[aria-label='Download this page']")
    if not button.count():
        return None
    button.click()
    link = page.locator("a.btn-download-notebook-button")
    if not link.count():
        return Download(False, None)
    download = Download(link.is_visible(), link.get_attribute("href"))
    response = page.request.get(link.evaluate("a => a.href"))
    download.status = response.status
    if response.ok:
        try:
            download.notebook = json.loads(response.body())
        except ValueError:
            pass
    return download
