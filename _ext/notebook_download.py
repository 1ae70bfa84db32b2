"""Offer every notebook page as a Jupyter notebook (.ipynb) in the download button.

sphinx-book-theme adds a ".ipynb" entry to its download menu when the page context
has `ipynb_source`, but only sets it when a launch service (Binder, JupyterHub...) is
configured, which a self-hosted offline book has not. This does the same without one:
it copies the executed notebook myst-nb wrote to _build/jupyter_execute/ into the
HTML's _sources/ and names it in the context, before the theme builds its buttons.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or not context.get("sourcename", "").endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():  # a plain Markdown page, not a notebook
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    # The theme builds its header buttons at priority 501; run just before it.
    app.connect("html-page-context", offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
