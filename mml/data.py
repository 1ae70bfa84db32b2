"""Datasets for the book and the assignments, all shipped with installed packages or
committed to this repository: nothing here downloads anything.

Each loader is self-contained (its own imports, its own docstring stating shapes and
the data's source), so loaders can be added side by side.
"""
from __future__ import annotations

import numpy as np


def load_faces() -> np.ndarray:
    """The 100 face photographs of scikit-image's bundled LFW subset.

    Returns images of shape (100, 25, 25), dtype float64, grey levels in [0, 1].
    Reshape to the course's (N, D) data matrix with `images.reshape(len(images), -1)`.

    Source: `skimage.data.lfw_subset()`, a subset of the Labeled Faces in the Wild
    database (http://vis-www.cs.umass.edu/lfw/) that scikit-image ships in its wheel.
    That subset holds 200 images: the first 100 are faces, the other 100 are
    non-face patches, which are dropped here.
    """
    from skimage.data import lfw_subset

    images = lfw_subset()[:100]
    return np.ascontiguousarray(images, dtype=np.float64)
