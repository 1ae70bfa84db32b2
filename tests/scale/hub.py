"""A throw-away JupyterHub for the course, on 127.0.0.1: the hub, its proxy
(configurable-http-proxy from node_modules) and the users' single-user servers, all
in a scratch folder; `stop()` stops every process it started, and deletes the folder.

The hub runs deploy/jupyterhub_config.py through tests/scale/jupyterhub_test_config.py,
which swaps real accounts for JupyterHub's dummy authenticator and "simple" spawner: every
server runs as the account running the test, each with its own home folder under
homes/. nbgrader would then take every student to be that account, so each student's
~/.jupyter/nbgrader_config.py names them (CourseDirectory.student_id), as a real account
name would.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

from tests.scale.loopback import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TEST_CONFIG = Path(__file__).resolve().parent / "jupyterhub_test_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


class ProxyMissing(RuntimeError):
    pass


def find_proxy() -> Path:
    if not PROXY.is_file():
        raise ProxyMissing(f"configurable-http-proxy not found ({PROXY}): it comes from "
                           "package.json; run `npm ci` in the repository (make setup)")
    return PROXY


@dataclass
class Hub:
    folder: Path
    url: str                   # the proxy's public address: /hub/... and /user/<name>/...
    token: str                 # the admin service's API token
    instructors: list[str]
    students: list[str]
    process: subprocess.Popen
    user_tokens: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ places
    @property
    def exchange(self) -> Path:
        return self.folder / "exchange"

    def home(self, user: str) -> Path:
        return self.folder / "homes" / user

    def log(self) -> str:
        path = self.folder / "jupyterhub.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    # ------------------------------------------------------------ the REST APIs
    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """The hub's REST API (/hub/api/...) as the admin service."""
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=30,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def as_user(self, user: str, method: str, path: str, token: str | None = None,
                **kwargs) -> requests.Response:
        """A request to the user's own server (/user/<name>/...) through the proxy, with
        a token of that user's (or `token`)."""
        token = token or self.user_tokens[user]
        return requests.request(method, f"{self.url}/user/{user}{path}", timeout=120,
                                headers={"Authorization": f"token {token}"}, **kwargs)

    def start_servers(self, users: list[str], timeout: float = 120) -> dict[str, dict]:
        """Spawn the users' servers through the hub (all at once); each user's model
        once their server is ready. Each user then gets an API token of their own, as
        they would have in their browser session."""
        for user in users:
            response = self.api("POST", f"/users/{user}/server")
            if response.status_code not in (201, 202):
                raise RuntimeError(f"spawning {user}'s server: {response.status_code} {response.text}")
        models = {}
        deadline = time.monotonic() + timeout
        while len(models) < len(users):
            for user in set(users) - set(models):
                model = self.api("GET", f"/users/{user}").json()
                if model.get("servers", {}).get("", {}).get("ready"):
                    models[user] = model
            if time.monotonic() > deadline or self.process.poll() is not None:
                missing = sorted(set(users) - set(models))
                raise RuntimeError(f"servers did not start: {missing}\n{self.log()[-4000:]}")
            time.sleep(0.5)
        for user in users:
            response = self.api("POST", f"/users/{user}/tokens", json={"note": "course test"})
            response.raise_for_status()
            self.user_tokens[user] = response.json()["token"]
        return models

    # ------------------------------------------------------------ stopping
    def stop(self) -> list[str]:
        """Stop the servers through the hub, then the hub (which stops its proxy); then
        anything of theirs still running; then delete the scratch folder. Returns what
        had to be killed after the hub stopped ("pid command" lines)."""
        leftovers = []
        try:
            started = descendants(self.process.pid)
            if self.process.poll() is None:
                for user in self.user_tokens:
                    try:
                        self.api("DELETE", f"/users/{user}/server")
                    except requests.RequestException:
                        pass
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            # The proxy and the servers run in sessions of their own: whatever the hub
            # left behind goes, with its process group.
            for process in started:
                if stop_group(process):
                    leftovers.append(f"{process.pid} {' '.join(process.info_cmdline)}")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        return leftovers


def descendants(pid: int) -> list[psutil.Process]:
    """The process's children, grandchildren..., each remembering its command line."""
    try:
        found = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    for process in found:
        try:
            process.info_cmdline = process.cmdline()
        except psutil.Error:
            process.info_cmdline = []
    return found


def stop_group(process: psutil.Process) -> bool:
    """If the process still runs: SIGTERM, then SIGKILL, to its process group (to the
    process alone if it shares the test's group). True if it was still running."""
    try:
        if not process.is_running():
            return False
        group = os.getpgid(process.pid)
    except (psutil.NoSuchProcess, ProcessLookupError):
        return False
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            if group != os.getpgrp():
                os.killpg(group, sig)
            else:
                process.send_signal(sig)
            process.wait(timeout=10)
            break
        except (ProcessLookupError, psutil.NoSuchProcess):
            break
        except psutil.TimeoutExpired:
            continue
    return True


def make_home(folder: Path, user: str, student: bool) -> Path:
    """The user's home folder; a student's names them to nbgrader."""
    home = folder / "homes" / user
    (home / ".jupyter").mkdir(parents=True, exist_ok=True)
    if student:
        (home / ".jupyter" / "nbgrader_config.py").write_text(
            "# Every server runs as one account here: nbgrader is told who this student is.\n"
            f"c = get_config()\nc.CourseDirectory.student_id = {user!r}\n")
    return home


def start(instructors: list[str], students: list[str], timeout: float = 60) -> Hub:
    proxy = find_proxy()
    # In the system temporary folder, like the other scratch servers of tests/scale.
    folder = Path(tempfile.mkdtemp(prefix="mml-jupyterhub-"))
    try:
        (folder / "state").mkdir()
        # nbgrader wants the exchange to exist and be writable by everyone.
        (folder / "exchange").mkdir()
        (folder / "exchange").chmod(0o1777)
        for user in instructors + students:
            make_home(folder, user, student=user in students)
        port = free_port()
        settings = {"port": port, "hub_port": free_port(), "proxy_api_port": free_port(),
                    "proxy": str(proxy), "homes": str(folder / "homes"),
                    "exchange": str(folder / "exchange"), "token": secrets.token_hex(32),
                    "instructors": instructors, "students": students}
        env = dict(os.environ, MML_TEST_HUB=json.dumps(settings))
        log = open(folder / "jupyterhub.log", "wb")
        # cwd: the hub keeps its database, cookie secret and proxy pid file there.
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(TEST_CONFIG)],
            cwd=folder / "state", env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    hub = Hub(folder, f"http://127.0.0.1:{port}", settings["token"], instructors, students,
              process)
    try:
        wait_until_ready(hub, timeout)
    except BaseException:
        hub.stop()
        raise
    return hub


def wait_until_ready(hub: Hub, timeout: float) -> None:
    """Until the hub answers its API through the proxy."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if hub.api("GET", "/").status_code == 200:
                return
        except requests.RequestException:
            pass
        if hub.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"JupyterHub did not start:\n{hub.log()[-4000:]}")
        time.sleep(0.5)


def instructor_env(hub: Hub, user: str) -> dict[str, str]:
    """What the instructor's own terminal on the hub would have: their home, the
    hub-wide nbgrader config, and this interpreter's scripts first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MML_"))}
    env.update(HOME=str(hub.home(user)), USER=user, JUPYTER_CONFIG_PATH=str(DEPLOY),
               MML_EXCHANGE_ROOT=str(hub.exchange),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return env
