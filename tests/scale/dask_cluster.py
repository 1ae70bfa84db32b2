"""A Dask cluster on loopback for the tests, started with Dask's own commands (from
this venv) as separate processes: a scheduler and N workers, each worker one process
with one thread. Each process leads its own process group, so `kill_worker` and
`stop` reach whatever it started (the nanny's worker, a kernel being graded)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.scale.loopback import free_port

DASK = str(Path(sys.executable).parent / "dask")


@dataclass
class Cluster:
    address: str
    folder: Path
    scheduler: subprocess.Popen | None = None
    workers: list[subprocess.Popen] = field(default_factory=list)

    def start_process(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")
        try:
            return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                    cwd=self.folder, start_new_session=True)
        finally:
            log.close()

    def kill_worker(self, index: int) -> None:
        """SIGKILL one worker and everything it started: a machine lost mid-batch."""
        worker = self.workers[index]
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def kill_busy_worker(self, function: str, timeout: float = 60) -> list[str]:
        """Wait until one of our workers is running a task of `function`, SIGKILL that
        worker mid-task, and return the keys of the tasks it was running."""
        from distributed import Client
        deadline = time.monotonic() + timeout
        with Client(self.address) as client:
            while time.monotonic() < deadline:
                names = {address: info["name"] for address, info in client.scheduler_info()["workers"].items()}
                for address, keys in client.processing().items():
                    running = [str(k) for k in keys if str(k).startswith(f"{function}-")]
                    if running and names.get(address, "").startswith("worker-"):
                        self.kill_worker(int(names[address].removeprefix("worker-")))
                        return running
                time.sleep(0.05)
        raise TimeoutError(f"no worker was running {function} within {timeout} s")

    def record_tasks(self) -> None:
        """Start the scheduler's task stream (it does not record by default)."""
        from distributed import Client
        with Client(self.address) as client:
            client.get_task_stream()

    def finished_tasks(self, function: str) -> list[dict]:
        """Task stream records of the tasks running `function` that finished since
        record_tasks(): which worker ran each."""
        from distributed import Client
        with Client(self.address) as client:
            stream = client.get_task_stream(start=0)
        return [task for task in stream if str(task["key"]).startswith(f"{function}-")]

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        """Workers first, then the scheduler: SIGTERM, and SIGKILL for any that linger."""
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)


def start(workers: int = 2, timeout: float = 120) -> Cluster:
    """A scheduler on 127.0.0.1 and `workers` workers, all connected, or an error
    (with their logs) once everything started is stopped again."""
    from distributed import Client
    port = free_port()
    cluster = Cluster(f"tcp://127.0.0.1:{port}", Path(tempfile.mkdtemp(prefix="mml-dask-")))
    try:
        cluster.scheduler = cluster.start_process("scheduler", [
            DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])
        for number in range(workers):
            cluster.workers.append(cluster.start_process(f"worker-{number}", [
                DASK, "worker", cluster.address, "--name", f"worker-{number}",
                "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                "--local-directory", str(cluster.folder / f"worker-{number}")]))
        with Client(cluster.address, timeout=timeout) as client:
            client.wait_for_workers(workers, timeout=timeout)
    except BaseException as error:
        logs = cluster.logs()
        cluster.stop()
        raise RuntimeError(f"the Dask cluster did not start: {error!r}\n{logs}") from error
    return cluster
