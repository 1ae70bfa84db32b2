"""Switch sphinx-thebe off completely.

Jupyter Book 1 always loads sphinx-thebe (live code cells through Binder). This book
is read offline and runs its code in JupyterLab instead, yet even with
`launch_buttons.thebe: false` the extension injects a script that points at a CDN and,
on rebuilds, declares `THEBE_JS_URL` twice (a console error on every page). We simply
disconnect the extension's event handlers, so it adds nothing to any page.
"""
from __future__ import annotations

from sphinx.application import Sphinx


def disconnect_thebe(app: Sphinx) -> None:
    for event, listeners in app.events.listeners.items():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", disconnect_thebe, priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
