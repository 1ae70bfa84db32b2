"""The built book is self-contained: no page loads a script, stylesheet or font from
another host, and MathJax is served from the build itself."""
import re
from pathlib import Path

from bs4 import BeautifulSoup

from tests.book.toc import toc_pages
from tests.conftest import ROOT

# A URL that leaves the site: http(s)://host or protocol-relative //host.
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


def html_pages(book_html: Path) -> list[Path]:
    return sorted(p for p in book_html.rglob("*.html") if "_static" not in p.parts)


def external_assets_of_page(page: Path) -> list[str]:
    """Scripts, stylesheets, fonts, images and frames a page would fetch from another host."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for tag in soup.find_all(["script", "img", "iframe", "source", "video", "audio"]):
        if tag.get("src") and EXTERNAL.match(tag["src"]):
            found.append(f"<{tag.name} src={tag['src']}>")
    for link in soup.find_all("link"):
        rel = {r.lower() for r in link.get("rel", [])}
        fetched = rel & {"stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"}
        if fetched and link.get("href") and EXTERNAL.match(link["href"]):
            found.append(f"<link rel={sorted(rel)} href={link['href']}>")
    for style in soup.find_all("style"):
        found += [f"<style> url({u})" for u in CSS_URL.findall(style.get_text()) if EXTERNAL.match(u)]
    return found


def test_the_book_was_built_with_pages(book_html):
    assert len(html_pages(book_html)) >= 4


def test_no_page_loads_anything_from_another_host(book_html):
    offenders = {str(p.relative_to(book_html)): external_assets_of_page(p)
                 for p in html_pages(book_html)}
    offenders = {page: assets for page, assets in offenders.items() if assets}
    assert not offenders, f"pages that would need the network: {offenders}"


def test_no_stylesheet_imports_fonts_or_css_from_another_host(book_html):
    offenders = []
    for css in book_html.rglob("*.css"):
        for url in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(url):
                offenders.append(f"{css.relative_to(book_html)}: {url}")
    assert not offenders, f"stylesheets that fetch from another host: {offenders}"


def test_pages_with_math_load_the_vendored_mathjax(book_html):
    pages_with_math = 0
    for page in html_pages(book_html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if not soup.select(".math"):
            continue
        pages_with_math += 1
        scripts = [s["src"] for s in soup.find_all("script", src=True) if "mathjax" in s["src"].lower()]
        assert scripts, f"{page.name} has math but loads no MathJax"
        for src in scripts:
            local = (page.parent / src.split("?")[0]).resolve()
            assert local.is_file(), f"{page.name} loads MathJax from {src}, which is not in the build"
    assert pages_with_math >= 1


def test_every_page_in_the_toc_exists_and_was_built(book_html):
    entries = toc_pages()
    assert entries
    for entry in entries:
        sources = [ROOT / f"{entry}{ext}" for ext in (".md", ".ipynb")]
        assert any(s.exists() for s in sources), f"_toc.yml lists {entry}, which does not exist"
        assert (book_html / f"{entry}.html").exists(), f"{entry} was not built"
