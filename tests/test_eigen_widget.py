"""The eigen visualiser (mml.widgets.eigen) and its lab notebook.

The pure function is checked against numpy.linalg.eig and scipy's null_space, not
against its own formulas; the widget is driven programmatically, as a student's edits
would drive it; the lab notebook is executed headless in a real kernel."""
from __future__ import annotations

import io

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from scipy.linalg import null_space

from mml.widgets import EigenVisualiser, draw_eigen_picture, eigen_picture_data
from tests.conftest import ROOT
from tests.lab_notebooks import run_lab

matplotlib.use("Agg")

LAB = ROOT / "labs" / "eigen_visualiser.ipynb"


def assert_parallel(u, v, message=""):
    """u and v span the same line (equal up to scale and sign)."""
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    cosine = abs(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v))
    assert cosine == pytest.approx(1.0, abs=1e-8), f"{u} and {v} are not parallel {message}"


def random_matrices(count=200, seed=20):
    rng = np.random.default_rng(seed)
    return rng.normal(scale=2.0, size=(count, 2, 2))


# ---------------------------------------------------------------- the pure function

@pytest.mark.parametrize("index", range(200))
def test_random_matrices_agree_with_numpy_eig(index):
    A = random_matrices()[index]
    picture = eigen_picture_data(A)
    values, vectors = np.linalg.eig(A)
    assert np.sort_complex(picture.eigenvalues) == pytest.approx(np.sort_complex(values), abs=1e-9)
    if np.abs(values.imag).max() > 0:
        assert picture.kind == "complex"
        assert picture.eigenvectors.shape == (2, 0)
        assert "complex" in picture.message.lower()
        return
    assert picture.kind == "distinct"
    assert picture.real_eigenvalues[0] > picture.real_eigenvalues[1]
    for lam, v in zip(picture.real_eigenvalues, picture.eigenvectors.T):
        assert np.linalg.norm(v) == pytest.approx(1.0)
        assert A @ v == pytest.approx(lam * v, abs=1e-9)
        numpy_vector = vectors[:, np.argmin(np.abs(values - lam))]
        assert_parallel(v, numpy_vector, f"(eigenvalue {lam} of {A})")


def test_a_random_sample_contains_both_real_and_complex_cases():
    # otherwise the test above would not exercise both branches
    kinds = {eigen_picture_data(A).kind for A in random_matrices()}
    assert kinds == {"distinct", "complex"}


def test_images_are_the_matrix_times_the_square_and_the_fan():
    A = np.array([[1.5, -0.3], [0.8, 0.4]])
    picture = eigen_picture_data(A, fan_size=10)
    assert picture.fan.shape == (2, 10)
    assert np.linalg.norm(picture.fan, axis=0) == pytest.approx(np.ones(10))
    assert picture.square_image == pytest.approx(np.einsum("ij,jk->ik", A, picture.square))
    assert picture.fan_image == pytest.approx(np.einsum("ij,jk->ik", A, picture.fan))
    corners = {tuple(c) for c in picture.square.T}
    assert corners == {(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)}


def test_eigen_images_are_the_matrix_times_the_eigenvectors():
    A = np.array([[1.0, 1.0], [0.5, 1.5]])
    picture = eigen_picture_data(A)
    assert picture.eigen_images == pytest.approx(A @ picture.eigenvectors)


@pytest.mark.parametrize("angle", [np.pi / 2, np.pi / 3, 2.0, -0.4])
def test_rotations_have_complex_eigenvalues_and_nothing_to_draw(angle):
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    picture = eigen_picture_data(R)
    assert picture.kind == "complex"
    assert picture.real_eigenvalues.size == 0
    assert np.sort_complex(picture.eigenvalues) == pytest.approx(np.sort_complex(np.linalg.eigvals(R)))
    assert "complex" in picture.message.lower()


@pytest.mark.parametrize("scale", [2.0, -1.0, 0.5, 0.0])
def test_uniform_scaling_makes_every_vector_an_eigenvector(scale):
    picture = eigen_picture_data(scale * np.eye(2))
    assert picture.kind == "scalar"
    assert picture.real_eigenvalues == pytest.approx([scale, scale])
    assert "every vector" in picture.message
    # any vector at all is scaled by `scale`
    v = np.array([0.3, -1.7])
    assert (scale * np.eye(2)) @ v == pytest.approx(picture.real_eigenvalues[0] * v)


@pytest.mark.parametrize("A, direction", [
    ([[1.0, 1.0], [0.0, 1.0]], [1.0, 0.0]),     # horizontal shear
    ([[1.0, 0.0], [1.0, 1.0]], [0.0, 1.0]),     # vertical shear
    ([[3.0, -1.0], [1.0, 1.0]], [1.0, 1.0]),    # double root 2, one direction
    ([[2.0, -2.5], [0.0, 2.0]], [1.0, 0.0]),
])
def test_a_repeated_eigenvalue_with_one_direction(A, direction):
    A = np.array(A)
    picture = eigen_picture_data(A)
    assert picture.kind == "defective"
    values = np.linalg.eigvals(A)
    assert picture.real_eigenvalues == pytest.approx([values.real.mean()], abs=1e-6)
    assert picture.eigenvectors.shape == (2, 1)
    space = null_space(A - picture.real_eigenvalues[0] * np.eye(2))
    assert space.shape[1] == 1, "scipy finds a single eigen-direction too"
    assert_parallel(picture.eigenvectors[:, 0], space[:, 0])
    assert_parallel(picture.eigenvectors[:, 0], direction)
    assert "one" in picture.message and "repeated" in picture.message.lower()


def test_random_defective_matrices_are_recognised():
    rng = np.random.default_rng(3)
    for _ in range(50):
        P = rng.normal(size=(2, 2))
        lam = rng.normal()
        A = P @ np.array([[lam, 1.0], [0.0, lam]]) @ np.linalg.inv(P)
        picture = eigen_picture_data(A)
        assert picture.kind == "defective", A
        assert picture.real_eigenvalues[0] == pytest.approx(lam, abs=1e-6)
        assert_parallel(picture.eigenvectors[:, 0], P[:, 0])


def test_a_projection_has_eigenvalue_zero():
    picture = eigen_picture_data([[1.0, 0.0], [0.0, 0.0]])
    assert picture.kind == "distinct"
    assert picture.real_eigenvalues == pytest.approx([1.0, 0.0])
    assert_parallel(picture.eigenvectors[:, 1], [0.0, 1.0])
    assert "squashed" in picture.message


def test_a_reflection_has_eigenvalues_one_and_minus_one():
    picture = eigen_picture_data([[0.0, 1.0], [1.0, 0.0]])
    assert picture.real_eigenvalues == pytest.approx([1.0, -1.0])
    assert_parallel(picture.eigenvectors[:, 0], [1.0, 1.0])
    assert_parallel(picture.eigenvectors[:, 1], [1.0, -1.0])
    assert "flipped" in picture.message


@pytest.mark.parametrize("bad", [np.eye(3), [[1.0, np.nan], [0.0, 1.0]], [1.0, 2.0]])
def test_bad_matrices_are_refused(bad):
    with pytest.raises(ValueError):
        eigen_picture_data(bad)


@pytest.mark.parametrize("A, dashed_lines", [
    ([[2.0, 1.0], [1.0, 2.0]], 2), ([[1.0, 1.0], [0.0, 1.0]], 1),
    ([[0.0, -1.0], [1.0, 0.0]], 0), ([[2.0, 0.0], [0.0, 2.0]], 0)])
def test_the_drawing_shows_one_dashed_line_per_eigen_direction(A, dashed_lines):
    fig = draw_eigen_picture(eigen_picture_data(A))
    try:
        assert len(fig.axes) == 2
        for ax in fig.axes:
            dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
            assert len(dashed) == dashed_lines
    finally:
        plt.close(fig)


# ---------------------------------------------------------------- the widget

def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_the_widget_starts_from_its_matrix():
    vis = EigenVisualiser([[2, 1], [1, 2]])
    assert vis.matrix == pytest.approx(np.array([[2.0, 1.0], [1.0, 2.0]]))
    assert vis.picture.kind == "distinct"
    assert vis.picture.message in vis.message.value
    assert vis.figure is not None


def test_setting_the_matrix_updates_picture_message_and_figure():
    vis = EigenVisualiser([[2, 1], [1, 2]])
    before_message, before_png = vis.message.value, png_bytes(vis.figure)
    before_image = vis.picture.square_image.copy()
    vis.set_matrix([[0, -1], [1, 0]])
    assert vis.picture.kind == "complex"
    assert "complex" in vis.message.value.lower()
    assert vis.message.value != before_message
    assert not np.allclose(vis.picture.square_image, before_image)
    assert vis.picture.square_image == pytest.approx(np.array([[0, -1], [1, 0]]) @ vis.picture.square)
    assert png_bytes(vis.figure) != before_png


def test_set_matrix_redraws_once():
    vis = EigenVisualiser()
    calls = []
    original = vis.redraw
    vis.redraw = lambda: (calls.append(1), original())
    vis.set_matrix([[1, 2], [3, 4]])
    assert len(calls) == 1


def test_editing_one_box_redraws_like_a_student_typing():
    vis = EigenVisualiser([[1, 0], [0, 1]])
    assert vis.picture.kind == "scalar"
    vis.entries[1].value = 1.0        # top-right entry: the identity becomes a shear
    assert vis.matrix == pytest.approx(np.array([[1.0, 1.0], [0.0, 1.0]]))
    assert vis.picture.kind == "defective"
    assert "repeated" in vis.message.value.lower()


def test_choosing_an_example_fills_the_boxes_and_editing_returns_to_custom():
    vis = EigenVisualiser()
    label = next(label for label in vis.examples.options if label.startswith("rotation by 90"))
    vis.examples.value = label
    assert vis.matrix == pytest.approx(np.array([[0.0, -1.0], [1.0, 0.0]]))
    assert vis.picture.kind == "complex"
    vis.entries[0].value = 0.5
    assert vis.examples.value == "custom", "after an edit the menu should say 'custom'"


def test_the_widget_displays_as_an_ipywidget():
    bundle = EigenVisualiser()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---------------------------------------------------------------- the lab notebook

def test_the_lab_notebook_is_committed_without_outputs():
    nb = nbformat.read(LAB, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    assert all(not cell.outputs and cell.execution_count is None for cell in code)


def test_the_lab_notebook_runs_headless_and_draws_the_picture():
    """Run All in a fresh kernel: no error, and the widget draws its picture."""
    run = run_lab(LAB)
    assert not run.errors(), run.errors()
    assert run.shows_a_widget(), "the first code cell should display the widget"
    # The Output widget captured the figure drawn in the kernel by the inline backend.
    assert run.figures_in_output_widgets(), "the widget's Output area holds no figure"
    messages = [value for value in run.html_values() if "eigen" in value]
    assert any("Repeated eigenvalue" in message for message in messages), \
        "the last cell puts a shear into the tool; its message should say so"
