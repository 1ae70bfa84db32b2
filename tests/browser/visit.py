"""Load one page in Chromium and record what a reader's browser did."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Long pages with hundreds of formulas take a while to load and typeset on a busy
# 2-core machine; waits are generous so only a real fault fails a test.
TIMEOUT_MS = 120_000


def new_context(browser, **options):
    """A browser context (a fresh profile) with the suite's generous timeouts."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


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


def visit(browser, url: str, wait_for_math: bool = True) -> Visit:
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
    if result.math_elements and wait_for_math:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
    result.typeset_elements = page.locator("article mjx-container").count()
    # Raw TeX left visible: delimiters MathJax should have consumed.
    text = page.evaluate("""() => {
        const article = document.querySelector('article').cloneNode(true);
        article.querySelectorAll('pre, code, .highlight, mjx-container, script, style')
               .forEach(e => e.remove());
        return article.textContent;
    }""")
    result.raw_tex = [token for token in ("$$", "\\(", "\\[", "\\begin{") if token in text]
    for image in page.locator("article img").all():
        src = image.get_attribute("src") or ""
        if not (image.get_attribute("alt") or "").strip():
            result.images_without_alt.append(src)
        if not image.evaluate("img => img.complete && img.naturalWidth > 0"):
            result.broken_images.append(src)
    context.close()
    return result
