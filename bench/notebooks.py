"""Reference code for the benchmarks, taken from the instructor notebooks themselves.

The solution cells of source_solutions/<id>/<id>.ipynb are plain Python (the nbgrader
markers are comments), so running the chosen cells in one namespace gives the reference
functions exactly as students will see them solved: nothing is copied.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def notebook_namespace(assignment: str, grade_ids: list[str]) -> dict:
    """Run the code cells with these nbgrader grade_ids, in this order; return their namespace."""
    path = ROOT / "source_solutions" / assignment / f"{assignment}.ipynb"
    cells = {cell["metadata"].get("nbgrader", {}).get("grade_id"): cell
             for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]}
    namespace: dict = {"__name__": f"notebook_{assignment}"}
    for grade_id in grade_ids:
        if grade_id not in cells or cells[grade_id]["cell_type"] != "code":
            raise KeyError(f"{path.name} has no code cell with grade_id {grade_id!r}")
        source = cells[grade_id]["source"]
        exec(compile("".join(source) if isinstance(source, list) else source,
                     f"{path.name}:{grade_id}", "exec"), namespace)
    return namespace
