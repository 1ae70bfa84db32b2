"""Course 3 PCA reference solutions: PCA vs scikit-learn's PCA on the MNIST digits, and PCA_high_dim vs PCA when N << D.

The reference functions come from the instructor notebook (bench.notebooks), so this
times the very code students are shown. Each pair of timings is measured in this run,
on the same inputs, doing the same job, and the results are checked to agree first:

* PCA(X, M) against sklearn.decomposition.PCA(M, svd_solver="full") on the 5,000 x 784
  digits of mml.data.load_digits_mnist. Both produce the reconstructions of all 5,000
  digits: scikit-learn's time is fit + transform + inverse_transform.
* PCA_high_dim(X, M) against PCA(X, M) on 500 digits upsampled to 32 x 32 and to
  64 x 64 pixels (D = 1,024 and 4,096, so N << D): the N x N route against the D x D one.

Everything runs with BLAS limited to one thread (threadpoolctl): on a small shared
machine a multi-threaded LAPACK call can spend its time waiting for a second core, which
would measure the machine's load rather than the code.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import zoom
from sklearn.decomposition import PCA as SklearnPCA
from threadpoolctl import threadpool_limits

from bench.notebooks import notebook_namespace
from bench.timing import Result, best_time
from mml.data import load_digits_mnist

CELLS = ["normalize", "eig", "projection_matrix", "PCA", "PCA_high_dim"]


def sklearn_reconstruction(X: np.ndarray, M: int) -> np.ndarray:
    pca = SklearnPCA(n_components=M, svd_solver="full")
    return pca.inverse_transform(pca.fit_transform(X))


def same_subspace(ours, theirs) -> bool:
    return np.allclose(np.abs(np.sum(ours * theirs, axis=0)), 1, atol=1e-6)


def pca_vs_sklearn(PCA) -> list[Result]:
    X = load_digits_mnist()[0]
    results = []
    for M in (20, 100):
        reconst, _, _, components = PCA(X, M)
        pca = SklearnPCA(n_components=M, svd_solver="full").fit(X)
        assert np.allclose(reconst, pca.inverse_transform(pca.transform(X)), atol=1e-6), "PCA disagrees with sklearn"
        assert same_subspace(components, pca.components_.T), "PCA's components disagree with sklearn's"
        results.append(Result(f"PCA 5000x784 digits, M={M}", best_time(lambda: PCA(X, M), repeat=3),
                              'sklearn PCA(svd_solver="full")',
                              best_time(lambda: sklearn_reconstruction(X, M), repeat=3),
                              target="ratio <= 1.5"))
    return results


def high_dim_vs_pca(PCA, PCA_high_dim) -> list[Result]:
    digits = load_digits_mnist()[0][:500].reshape(500, 28, 28)
    results = []
    for side, repeat in ((32, 3), (64, 1)):
        X = zoom(digits, (1, side / 28, side / 28), order=1).reshape(500, -1)
        M = 50
        slow, fast = PCA(X, M), PCA_high_dim(X, M)
        assert np.allclose(slow[0], fast[0], atol=1e-6), "PCA_high_dim and PCA reconstruct differently"
        assert np.allclose(slow[2], fast[2]), "PCA_high_dim and PCA find different principal values"
        results.append(Result(f"PCA_high_dim 500x{X.shape[1]}, M={M}",
                              best_time(lambda: PCA_high_dim(X, M), repeat=3),
                              "PCA (D x D covariance)", best_time(lambda: PCA(X, M), repeat=repeat),
                              target="ratio <= 0.33 (3x faster)"))
    return results


def run() -> list[Result]:
    code = notebook_namespace("pca", ["imports"] + CELLS)
    with threadpool_limits(limits=1):
        return pca_vs_sklearn(code["PCA"]) + high_dim_vs_pca(code["PCA"], code["PCA_high_dim"])
