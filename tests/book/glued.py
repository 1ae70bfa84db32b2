"""Read the values a book page glued (myst-nb's `glue`) from the executed build.

`make book` executes every page and writes, next to the executed notebook,
`_build/jupyter_execute/<page>.glue.json`: each glued name with its text/plain repr.
Tests of a page compare these values with an independent computation.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import BUILD_HTML

EXECUTED = BUILD_HTML.parent / "jupyter_execute"


def glued(page: str) -> dict[str, str]:
    """{name: text/plain repr} glued by `page` (its path without suffix, e.g.
    "book/linear-algebra/week1-vectors-and-ml")."""
    path = EXECUTED / f"{page}.glue.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first ('make book').")
    data = json.loads(path.read_text())
    return {name: entry["data"]["text/plain"] for name, entry in data.items()
            if "text/plain" in entry.get("data", {})}


def _value(text: str):
    # The reprs NumPy and Python print for numbers, lists and arrays (legacy="1.25"
    # printing, set by mml.book.setup_page).
    namespace = {"__builtins__": {}, "array": np.array, "nan": np.nan, "inf": np.inf,
                 "True": True, "False": False, "None": None}
    return eval(text, namespace)  # trusted input: our own build output


def number(page: str, name: str) -> float:
    values = glued(page)
    assert name in values, f"{page} glues no value named {name!r}"
    return float(_value(values[name]))


def array(page: str, name: str) -> np.ndarray:
    values = glued(page)
    assert name in values, f"{page} glues no value named {name!r}"
    return np.asarray(_value(values[name]), dtype=float)
