"""Datasets for the book and the assignments, all shipped with installed packages or
committed to this repository: nothing here downloads anything.

Each loader is self-contained (its own imports, its own docstring stating shapes and
the data's source), so loaders can be added side by side.
"""
from __future__ import annotations

import numpy as np


# ---------------------------------------------------------------- Galton's heights (Course 2, week 6)

def load_heights(gender: str | None = None) -> np.ndarray:
    """Adult heights, in inches, of the children in Galton's 1886 family data.

    Returns a float array of shape (N,): all 934 children when `gender` is None,
    the 481 sons for "male", the 453 daughters for "female".

    Source: mml/data/galton_families.csv, Galton's own measurements (public domain),
    as transcribed for Hanley (2004) and published in R's HistData package; see
    mml/data/galton_families.md for the provenance and the columns.
    """
    import csv
    from pathlib import Path

    if gender not in (None, "male", "female"):
        raise ValueError(f"gender should be None, 'male' or 'female', not {gender!r}")
    path = Path(__file__).resolve().parent / "data" / "galton_families.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        heights = [float(row["childHeight"]) for row in rows
                   if gender is None or row["gender"] == gender]
    return np.array(heights)
