"""A JupyterLab server for the browser tests: started on loopback with a token in a
throw-away course directory, stopped (with its kernels) at the end."""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class JupyterLab:
    def __init__(self, root: Path):
        self.root = root
        self.port = 0  # chosen by the server itself (no race with other processes)
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        separator = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{separator}token={self.token}"

    def start(self) -> "JupyterLab":
        home = self.root / ".jupyter-home"
        settings = home / "lab-settings" / "@jupyterlab"
        (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
        (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
        # No "would you like news?" toast over the notebook.
        (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        # Every cell stays in the page (no virtual scrolling), so tests can find them.
        (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": "none"}))
        # nbgrader's Validate button reads nbgrader_config.py from the config dir: give
        # a busy test machine the same patience as the course's own grading config.
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "config" / "nbgrader_config.py").write_text(
            "c = get_config()\nc.Execute.timeout = 120\nc.Execute.iopub_timeout = 30\n")
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(home / "config"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                   PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                   "--ip=127.0.0.1", "--port=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}",
                   f"--LabApp.user_settings_dir={home / 'lab-settings'}",
                   f"--LabApp.workspaces_dir={home / 'workspaces'}",
                   # CI and this machine run as root; a student would not need this.
                   "--allow-root"]
        self.log = open(self.root / "jupyterlab.log", "w")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        # The server writes its URL to jpserver-<pid>.json in the runtime dir.
        server_info = home / "runtime" / f"jpserver-{self.process.pid}.json"
        deadline = time.time() + 90
        while time.time() < deadline and self.process.poll() is None:
            if server_info.is_file():
                try:
                    self.port = json.loads(server_info.read_text())["port"]
                    with urllib.request.urlopen(self.url("api/status"), timeout=5) as reply:
                        if reply.status == 200:
                            return self
                except (OSError, ValueError, KeyError):
                    pass
            time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not start: see {self.root / 'jupyterlab.log'}")

    def shutdown_kernels(self) -> None:
        """Stop every running kernel (between tests, to keep memory flat)."""
        with urllib.request.urlopen(self.url("api/kernels"), timeout=10) as reply:
            kernels = json.loads(reply.read())
        for kernel in kernels:
            request = urllib.request.Request(self.url(f"api/kernels/{kernel['id']}"), method="DELETE")
            urllib.request.urlopen(request, timeout=10).close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # The whole process group: the server and every kernel it started.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()
