"""Feedback that teaches and never leaks.

`HideHiddenTests` is an nbgrader preprocessor that nbgrader_config.py adds to
GenerateFeedback, so the plain `nbgrader generate_feedback` uses it too. In every
test cell it removes the hidden-test region (nbgrader's own feedback shows it), and
it cuts each error to its last line, `AssertionError: <the message the test author
wrote for students>`: a traceback would quote the hidden lines that failed.

`OfflineMathJaxHTMLExporter` makes the page load MathJax from a `mathjax/` folder
beside it, and `add_offline_mathjax` fills that folder from the npm package, so the
maths renders with no network; `python -m grader feedback` calls it.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from nbconvert import HTMLExporter
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

MATHJAX_FOLDER = "mathjax"
# HTMLExporter.mathjax_url in nbgrader_config.py points here, relative to the page.
MATHJAX_URL = f"{MATHJAX_FOLDER}/load.js"
MATHJAX_BUILD = "tex-svg.js"    # one self-contained file: no font files to ship
MATHJAX_LOADER = """// MathJax 3 for this feedback page, served from this folder (no network).
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true},
  svg: {fontCache: 'global'}
};
(function () {
  var script = document.createElement('script');
  script.src = document.currentScript.src.replace(/load\\.js$/, '%s');
  document.head.appendChild(script);
})();
""" % MATHJAX_BUILD


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden tests, and the tracebacks that would quote them, from test cells."""

    def preprocess_cell(self, cell, resources, cell_index):
        if utils.is_grade(cell) and cell.cell_type == "code":
            self._remove_hidden_test_region(cell)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
                    output["traceback"] = [message]
        return cell, resources


class OfflineMathJaxHTMLExporter(HTMLExporter):
    """nbgrader's feedback exporter, loading MathJax from beside the page.

    nbgrader's feedback template calls nbconvert's mathjax() macro without a URL, so
    it always names a CDN (HTMLExporter.mathjax_url is ignored); the page is fixed
    up here instead, and nbgrader_config.py makes this the feedback exporter."""

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        return offline_mathjax(html), resources


CDN_MATHJAX = re.compile(r'<script src="https?://[^"]*mathjax[^"]*">\s*</script>', re.IGNORECASE)


def offline_mathjax(html: str) -> str:
    return CDN_MATHJAX.sub(f'<script src="{MATHJAX_URL}"></script>', html)


def mathjax_source() -> Path:
    """MathJax from the npm package installed beside the grader (package.json)."""
    return Path(__file__).resolve().parents[1] / "node_modules" / "mathjax" / "es5" / MATHJAX_BUILD


def add_offline_mathjax(root: Path, assignment: str) -> int:
    """Put MathJax beside every feedback page of `assignment`; returns how many folders.
    Files are hard-linked where possible, so a class of thousands costs one copy."""
    source = mathjax_source()
    if not source.is_file():
        raise FileNotFoundError(f"{source} is missing: run `make setup` (npm ci) first")
    folders = sorted(p.parent for p in (root / "feedback").glob(f"*/{assignment}/*.html"))
    for folder in set(folders):
        target = folder / MATHJAX_FOLDER
        target.mkdir(exist_ok=True)
        (target / "load.js").write_text(MATHJAX_LOADER)
        copy = target / MATHJAX_BUILD
        if not copy.exists():
            try:
                os.link(source, copy)
            except OSError:
                shutil.copy2(source, copy)
    return len(set(folders))
