"""Number figures, equations and exercises from 1 on every page.

Sphinx numbers them per section of a numbered toctree, and without one, straight
through the whole book (week 2 would open with Fig. 14 and Exercise 8). A week page is
read on its own, so after Sphinx has assigned its numbers we renumber each page's
items of each kind 1, 2, 3, ... in the order Sphinx gave them. Cross-references
({numref}, {eq}) read the same table, so they stay right.
"""
from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def renumber_per_page(app: Sphinx, env: BuildEnvironment) -> list[str]:
    changed = []
    for docname, by_type in env.toc_fignumbers.items():
        renumbered = {
            figtype: {node_id: (position,) for position, (node_id, _) in
                      enumerate(sorted(numbers.items(), key=lambda item: item[1]), start=1)}
            for figtype, numbers in by_type.items()
        }
        if renumbered != by_type:
            env.toc_fignumbers[docname] = renumbered
            changed.append(docname)
    return changed


def setup(app: Sphinx) -> dict:
    # After Sphinx's own numbering (its toctree collector runs at the default 500).
    app.connect("env-get-updated", renumber_per_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
