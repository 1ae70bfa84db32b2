"""tools/execute_book_pages.py pre-executes exactly the pages the build would execute
from its cache: every notebook page in the toc, except those forced to run each build."""
from __future__ import annotations

import importlib.util

from tests.book.toc import toc_pages
from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("execute_book_pages", ROOT / "tools" / "execute_book_pages.py")
execute_book_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_book_pages)


def test_every_cached_notebook_page_of_the_toc_is_pre_executed():
    found = {p.relative_to(ROOT).with_suffix("").as_posix()
             for p in execute_book_pages.notebook_pages(ROOT / "book")}
    notebooks = {page for page in toc_pages()
                 if "kernelspec:" in (ROOT / f"{page}.md").read_text().split("\n---\n")[0]}
    forced = {page for page in notebooks
              if "execution_mode: force" in (ROOT / f"{page}.md").read_text().split("\n---\n")[0]}
    assert forced == {"book/instructors/running-a-large-class"}
    assert found == notebooks - forced
    assert len(found) >= 16
