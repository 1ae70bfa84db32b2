"""A throw-away PostgreSQL server for the tests: Debian's binaries, a scratch data
folder, listening on 127.0.0.1 only, with a random password; stopped and deleted
by `stop()`.

PostgreSQL refuses to run as root. When the tests run as root (CI), the server runs
as the unprivileged user `nobody`, which owns the scratch folder.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.scale.loopback import free_port

BINARIES = "/usr/lib/postgresql/*/bin"
USER = "grader"            # the server's superuser (not an account on this machine)
RUN_AS = "nobody"          # the account the server runs as when we are root


class PostgresMissing(RuntimeError):
    pass


def find_binaries() -> Path:
    """Debian's PostgreSQL bin folder (the newest version installed)."""
    found = [Path(p) for p in glob.glob(BINARIES) if (Path(p) / "postgres").is_file()
             and (Path(p) / "initdb").is_file()]
    if not found:
        raise PostgresMissing(f"PostgreSQL server binaries not found ({BINARIES}/postgres): "
                              "install Debian's 'postgresql' package (make system-deps)")
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


@dataclass
class Server:
    folder: Path
    port: int
    password: str
    process: subprocess.Popen

    def url(self, database: str = "postgres") -> str:
        # The driver is named: SQLAlchemy 2.1 would pick psycopg 3 for postgresql://,
        # and requirements.txt has psycopg2.
        return f"postgresql+psycopg2://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg2
        return psycopg2.connect(host="127.0.0.1", port=self.port, user=USER,
                                password=self.password, dbname=database, connect_timeout=2)

    def create_database(self, name: str) -> str:
        """A new empty database; its SQLAlchemy URL."""
        connection = self.connect()
        connection.autocommit = True        # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.url(name)

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then the scratch folder goes."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def as_unprivileged(command: list[str]) -> list[str]:
    """The command as run by `nobody` if we are root (setpriv execs it: the process we
    start is the server itself, so we can stop it by its id)."""
    if os.geteuid() != 0:
        return command
    account = pwd.getpwnam(RUN_AS)
    return ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}",
            "--clear-groups", "--", *command]


def start(timeout: float = 60) -> Server:
    binaries = find_binaries()
    # In the system temporary folder, not pytest's (private to root): `nobody` must reach it.
    folder = Path(tempfile.mkdtemp(prefix="mml-postgres-"))
    password = secrets.token_hex(16)
    try:
        (folder / "password").write_text(password)
        (folder / "socket").mkdir()
        if os.geteuid() == 0:
            account = pwd.getpwnam(RUN_AS)
            for path in (folder, folder / "password", folder / "socket"):
                os.chown(path, account.pw_uid, account.pw_gid)
        data = folder / "data"
        initdb = subprocess.run(as_unprivileged(
            [str(binaries / "initdb"), "-D", str(data), f"--username={USER}",
             f"--pwfile={folder / 'password'}", "--auth=scram-sha-256",
             "--encoding=UTF8", "--locale=C", "--no-sync"]),
            cwd=folder, capture_output=True, text=True)
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        port = free_port()
        log = open(folder / "server.log", "wb")
        # A scratch server: no fsync (nothing here must survive a crash), loopback only,
        # its Unix socket in the scratch folder.
        process = subprocess.Popen(as_unprivileged(
            [str(binaries / "postgres"), "-D", str(data), "-p", str(port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={folder / 'socket'}",
             "-c", "fsync=off"]),
            cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        log.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    server = Server(folder, port, password, process)
    wait_until_ready(server, timeout)
    return server


def wait_until_ready(server: Server, timeout: float) -> None:
    import psycopg2
    deadline = time.monotonic() + timeout
    while True:
        try:
            server.connect().close()
            return
        except psycopg2.OperationalError as error:
            if server.process.poll() is not None or time.monotonic() > deadline:
                log = server.log()
                server.stop()
                raise RuntimeError(f"PostgreSQL did not start: {error}\n{log}") from None
            time.sleep(0.2)
