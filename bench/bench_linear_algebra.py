"""Course 1 reference solutions against library routines: pageRank vs networkx.pagerank, gsBasis vs numpy.linalg.qr.

The reference functions come from the instructor notebooks (bench.notebooks), so this
times the very code students are shown. Each pair of timings is measured in this run,
on the same inputs, doing the same job:

* pageRank(L, 0.85) against networkx.pagerank on the same random internet, with
  networkx's tolerance set so both stop at the same precision (networkx stops when the
  1-norm change is below n * tol; pageRank when it is below TOLERANCE). pageRank is
  timed on the dense link matrix the assignment passes it, and on the same matrix as a
  scipy sparse array (the function is unchanged: it never builds the dense M, so it
  works on both). networkx is given a prebuilt DiGraph; its own conversion of that
  graph to a sparse matrix, which it does on every call, counts in its time.
* gsBasis(A) against numpy.linalg.qr(A) (reduced QR: it forms Q too).

Everything runs with BLAS limited to one thread (threadpoolctl): on a small shared
machine a multi-threaded LAPACK call can spend its time waiting for a second core, which
would measure the machine's load rather than the code.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse
from threadpoolctl import threadpool_limits

from bench.notebooks import notebook_namespace
from bench.timing import Result, best_time

TARGET = "ratio <= 1.5"


def pagerank_results() -> list[Result]:
    code = notebook_namespace("pagerank", ["imports", "pageRank"])
    pageRank, generate_internet, tolerance = code["pageRank"], code["generate_internet"], code["TOLERANCE"]
    results = []
    for n in (100, 1000, 3000):
        L = generate_internet(n, seed=n)
        graph = nx.from_numpy_array(L.T, create_using=nx.DiGraph)   # edge j -> i, weight L[i, j]
        sparse_L = scipy.sparse.csr_array(L)
        baseline = best_time(lambda: nx.pagerank(graph, alpha=0.85, tol=tolerance / n, max_iter=10_000),
                             repeat=3)
        ours = np.array(pageRank(L, 0.85))
        theirs = nx.pagerank(graph, alpha=0.85, tol=tolerance / n, max_iter=10_000)
        assert np.allclose(ours / ours.sum(), [theirs[i] for i in range(n)], atol=1e-8), "pageRank disagrees with networkx"
        for label, matrix in (("dense L", L), ("sparse L", sparse_L)):
            results.append(Result(f"pageRank n={n} ({label}, {graph.number_of_edges()} links)",
                                  best_time(lambda: pageRank(matrix, 0.85), repeat=3),
                                  "networkx.pagerank", baseline, target=TARGET))
    return results


def gram_schmidt_results() -> list[Result]:
    gsBasis = notebook_namespace("gram_schmidt", ["imports", "gsBasis"])["gsBasis"]
    rng = np.random.default_rng(0)
    results = []
    for shape in ((4, 4), (30, 30), (100, 100), (500, 500), (2000, 200)):
        A = rng.standard_normal(shape)
        Q, R = np.linalg.qr(A)
        assert np.allclose(gsBasis(A), Q * np.sign(np.diag(R)), atol=1e-8), "gsBasis disagrees with QR"
        repeat = 20 if A.size < 10_000 else 5
        results.append(Result(f"gsBasis {shape[0]}x{shape[1]}",
                              best_time(lambda: gsBasis(A), repeat=repeat),
                              "numpy.linalg.qr", best_time(lambda: np.linalg.qr(A), repeat=repeat),
                              target=TARGET))
    return results


def run() -> list[Result]:
    with threadpool_limits(limits=1):
        return pagerank_results() + gram_schmidt_results()
