"""Grade a batch on a Dask distributed cluster instead of local worker processes (opt-in).

The batch grader (grader.batch) runs its jobs through any concurrent.futures-style
executor. By default that is a pool of processes on this machine; with a scheduler
address it is a Dask cluster:

    python -m grader autograde <id> --scheduler tcp://10.0.0.5:8786
    MML_DASK_SCHEDULER=tcp://10.0.0.5:8786 make autograde ASSIGNMENT=<id>

Start the cluster with Dask's own commands, one thread per worker process (a job
sets the process's JUPYTER_PATH and JUPYTER_RUNTIME_DIR while it runs):

    dask scheduler --host 10.0.0.5 --port 8786 --no-dashboard
    dask worker tcp://10.0.0.5:8786 --nworkers 2 --nthreads 1      # on each machine

Workers run the same grade_job as local workers: real nbgrader, the kernel in the
same sandbox. Only the results travel back; this process alone writes them into the
gradebook. A job names its files by local paths (the assignment's template course
and a scratch folder in this machine's temporary folder), so workers on other
machines must see the same paths: the course folder and TMPDIR on a shared volume
mounted at the same place, and the same Python environment (with this repository
installed) on every machine. A worker that dies mid-job is replaced by Dask, which
runs the job again on another worker; the parent still records it once.
"""
from __future__ import annotations

import contextlib
import os

SCHEDULER_ENV = "MML_DASK_SCHEDULER"


def scheduler_address(given: str | None = None) -> str | None:
    """The scheduler to use: the one given (command line), else $MML_DASK_SCHEDULER,
    else None (grade locally)."""
    return given or os.environ.get(SCHEDULER_ENV) or None


@contextlib.contextmanager
def dask_executor(address: str):
    """A concurrent.futures executor on the cluster at `address`, with its own client,
    both closed on leaving the `with` block."""
    from distributed import Client
    with Client(address, timeout="30s") as client:
        threaded = {w["name"]: w["nthreads"] for w in client.scheduler_info(n_workers=-1)["workers"].values()
                    if w["nthreads"] > 1}
        if threaded:
            raise RuntimeError(f"Dask workers {sorted(threaded)} run several threads: start them "
                               "with --nthreads 1 (a grading job sets process-wide variables)")
        # pure=False: every submission is a new task, even one retried with the same job.
        with client.get_executor(pure=False) as executor:
            yield executor


def executor_factory(address: str):
    """For grader.batch.autograde(executor_factory=...): the cluster decides how many
    jobs run at once (one per worker thread), so the local worker count is ignored."""
    def factory(workers: int):
        return dask_executor(address)
    return factory


def describe(address: str) -> str:
    """One line for the batch log: where the jobs go."""
    from distributed import Client
    with Client(address, timeout="30s") as client:
        workers = client.scheduler_info(n_workers=-1)["workers"]
    return f"Grading on the Dask cluster at {address} ({len(workers)} worker(s))"
