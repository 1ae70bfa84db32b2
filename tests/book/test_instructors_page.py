"""The instructor's sizing page: its arithmetic, redone here from the measured figures
in bench/results/grader.json, and the figures themselves checked for sense."""
from __future__ import annotations

import json
import math

import pytest

from tests.book.glued import glued, number
from tests.conftest import ROOT

PAGE = "book/instructors/running-a-large-class"


@pytest.fixture(scope="module")
def measured():
    return json.loads((ROOT / "bench" / "results" / "grader.json").read_text())


def test_measured_figures_are_plausible(measured):
    assert measured["cores"] >= 1 and measured["class_size"] >= 20
    assert measured["workers"] > measured["cores"]     # grader.batch.default_workers
    assert 0.2 < measured["core_seconds_per_submission"] < 120
    assert 20 < measured["peak_kernel_mib"] < 4096      # below the sandbox's memory limit
    assert 20 < measured["peak_worker_mib"] < 4096


def test_sizing_arithmetic(measured):
    seconds = measured["core_seconds_per_submission"]
    submissions = 5000 * 10
    assert glued(PAGE)["submissions"] == repr("50,000")
    assert number(PAGE, "seconds_per_notebook") == pytest.approx(seconds, abs=0.005)
    assert number(PAGE, "measured_workers") == measured["workers"]
    assert number(PAGE, "core_hours") == round(submissions * seconds / 3600)
    cores = math.ceil(5000 * seconds / 3600)
    assert number(PAGE, "cores_for_one_hour") == cores
    worker_gib = 1.5 * 2 * (measured["peak_worker_mib"] + measured["peak_kernel_mib"]) / 1024
    assert number(PAGE, "worker_gib") == pytest.approx(worker_gib, abs=0.05)
    assert number(PAGE, "cluster_gib") == round(cores * worker_gib)


def test_storage_estimate_uses_the_real_notebooks():
    sizes = [p.stat().st_size for p in (ROOT / "assignments").glob("*/*.ipynb")]
    mean_kib = sum(sizes) / len(sizes) / 1024
    assert number(PAGE, "mean_notebook_kib") == round(mean_kib)
    assert number(PAGE, "storage_gib") == pytest.approx(50_000 * mean_kib * 4 / 1024 ** 2, abs=0.05)
