"""The sandbox a student's kernel runs in while it is graded.

nbgrader starts a kernel from a kernel spec. The batch grader gives it the spec
written by `install_kernel_spec`, whose command is `python -m grader.sandbox <limits>
-f <connection file>`. That launcher applies, in order:

1. resource limits (setrlimit): address space, CPU seconds, file size, no core dumps,
   and a cap on new processes (a fork bomb stops at the cap; root ignores that cap,
   so when the grader runs as root the kernel is started as an unprivileged user id
   of its own);
2. bubblewrap (`bwrap`), when the machine allows user namespaces: a private network
   namespace (no network at all; the kernel talks to nbgrader over ZeroMQ IPC
   sockets, which are files), a read-only view of the system and of the Python
   environment, and one writable folder. source_solutions/, the gradebook, other
   students' submissions and the instructor's home are simply not in that view.
3. grader.kernel_main, which caps how much the kernel may print.

Where a layer is unavailable the kernel still runs with the layers that are, and
`active_layers()` says which, so the batch summary can state it plainly.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

KERNEL_NAME = "mml-sandbox"
# When the grader runs as root, each kernel runs as a user id of its own, with no
# account and no rights: 100000 + the launcher's process id, unique among live kernels.
# (One shared user such as `nobody` would share one process cap between all the
# kernels of a batch, and a busy batch would starve them.)
SANDBOX_UID_BASE = 100000
GiB = 1024 ** 3


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 * GiB        # address space of the kernel process
    cpu_seconds: int = 300             # CPU time for the whole notebook
    file_bytes: int = 64 * 1024 ** 2   # largest file the kernel may write
    extra_processes: int = 64          # new processes the kernel may start
    output_bytes: int = 1024 ** 2      # printed output per stream, then truncated


def bwrap_works() -> bool:
    """True when bubblewrap is installed and may create the namespaces we ask for."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    probe = [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def active_layers(use_bwrap: bool | None = None) -> list[str]:
    """The protections a graded kernel gets on this machine, in words."""
    if use_bwrap is None:
        use_bwrap = bwrap_works()
    layers = ["resource limits (memory, CPU time, file size"
              + (", processes)" if use_bwrap or os.getuid() != 0 else "; root ignores the process cap)"),
              "output cap"]
    if use_bwrap:
        layers.insert(0, "bubblewrap: no network, read-only system, one writable folder, "
                         "no access to solutions, gradebook or other submissions"
                         + (", kernel runs as an unprivileged user" if os.getuid() == 0 else ""))
    return layers


def install_kernel_spec(directory: Path, scratch: Path, limits: Limits = Limits(),
                        use_bwrap: bool = True) -> Path:
    """Write the sandboxed kernel spec into directory/kernels/<KERNEL_NAME>/.

    Point JUPYTER_PATH at `directory` and nbgrader's kernel_name at KERNEL_NAME.
    `scratch` is the kernel's working folder, the only place it may write.
    """
    spec_dir = directory / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "grader.sandbox",
            "--scratch", str(scratch), "--limits", json.dumps(limits.__dict__),
            *([] if use_bwrap else ["--no-bwrap"]),
            "-f", "{connection_file}"]
    # Interrupts (the per-cell time limit) travel as a message: a signal would reach
    # bubblewrap, not the kernel inside it.
    spec = {"argv": argv, "display_name": "Python 3 (grading sandbox)", "language": "python",
            "interrupt_mode": "message",
            "env": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                    "MPLBACKEND": "agg", "PYTHONDONTWRITEBYTECODE": "1"}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


def apply_limits(limits: Limits, uid: int) -> None:
    """setrlimit for this process and everything it starts (kept across exec)."""
    def cap(which, value):
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))

    cap(resource.RLIMIT_AS, limits.memory_bytes)
    cap(resource.RLIMIT_CPU, limits.cpu_seconds)
    cap(resource.RLIMIT_FSIZE, limits.file_bytes)
    cap(resource.RLIMIT_CORE, 0)
    # RLIMIT_NPROC counts every process of this user, so the cap is "what this user
    # runs now, plus a few": enough for a kernel, far too few for a fork bomb.
    # (The kernel is not root: root ignores this limit.)
    cap(resource.RLIMIT_NPROC, processes_of(uid) + limits.extra_processes)


def processes_of(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def bwrap_command(scratch: Path, socket_dir: Path) -> list[str]:
    """bubblewrap arguments: read-only system and Python, one writable scratch folder."""
    python_prefixes = {Path(sys.prefix), Path(sys.base_prefix),
                       Path(sysconfig.get_paths()["purelib"])}
    # As root, bubblewrap needs no user namespace, and must not make one: the kernel
    # then switches to an unprivileged user id (see main), which a namespace mapping
    # only root could not represent.
    namespaces = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                   "--unshare-cgroup-try"] if os.getuid() == 0 else ["--unshare-all"])
    command = ["bwrap", *namespaces, "--die-with-parent", "--new-session",
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
               "--perms", "1777", "--tmpfs", "/tmp", "--perms", "1777", "--tmpfs", "/var/tmp"]
    for link in ("bin", "lib", "lib64", "sbin"):
        path = Path("/") / link
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            command += ["--ro-bind", str(path), str(path)]
    # /etc itself must be traversable: bubblewrap would create it private to root, and
    # the kernel (an unprivileged user when the grader is root) could then read none of
    # these, so fontconfig, the time zone and the loader cache would all fail.
    command += ["--perms", "0755", "--dir", "/etc"]
    for etc in ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts", "/etc/alternatives",
                "/etc/passwd", "/etc/group", "/etc/matplotlibrc"):
        if os.path.exists(etc):
            command += ["--ro-bind", etc, etc]
    # The Python installation, and the course's own package (mml: data loaders and
    # plotting helpers), read-only. Only that folder of the course: the rest holds the
    # solutions and the gradebook. The grader package is here for grader.kernel_main.
    import grader
    import mml
    read_only = [p for p in sorted(python_prefixes) if not str(p).startswith("/usr")]
    read_only += [Path(mml.__file__).resolve().parent, Path(grader.__file__).resolve().parent]
    writable = [scratch, socket_dir]
    # bubblewrap would make missing parent folders private to root; the kernel may
    # run as another user, so create them world-traversable first.
    parents = sorted({str(a) for p in read_only + writable for a in p.parents
                      if str(a) not in ("/", "/tmp", "/usr")})
    for parent in parents:
        command += ["--perms", "0755", "--dir", parent]
    for path in read_only:
        command += ["--ro-bind", str(path), str(path)]
    for path in writable:
        command += ["--bind", str(path), str(path)]
    command += ["--chdir", str(scratch),
                # The kernel's parent is outside the PID namespace, where ipykernel's
                # parent watch cannot see it; --die-with-parent does that job instead.
                "--unsetenv", "JPY_PARENT_PID"]
    for name, value in kernel_home_environment(scratch).items():
        command += ["--setenv", name, value]
    return command


def kernel_home_environment(scratch: Path) -> dict[str, str]:
    """The variables that keep everything the kernel caches inside its one folder."""
    return {"HOME": str(scratch), "MPLCONFIGDIR": str(scratch / ".matplotlib"),
            "MML_CACHE": str(scratch / ".mml-cache")}


def main(argv: list[str]) -> None:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m grader.sandbox")
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--limits", required=True)
    parser.add_argument("--no-bwrap", action="store_true")
    parser.add_argument("-f", dest="connection_file", required=True)
    args = parser.parse_args(argv)
    limits = Limits(**json.loads(args.limits))
    args.scratch.mkdir(parents=True, exist_ok=True)
    # The kernel reads its own copy of the connection file, inside its one folder; its
    # ZeroMQ IPC sockets go where the connection file says ("ip" is a path prefix).
    connection = json.loads(Path(args.connection_file).read_text())
    connection_file = args.scratch / ".connection.json"
    connection_file.write_text(json.dumps(connection))
    connection_file.chmod(0o600)
    socket_dir = Path(connection["ip"]).parent if connection.get("transport") == "ipc" else None
    kernel = [sys.executable, "-m", "grader.kernel_main", "--output-bytes",
              str(limits.output_bytes), "-f", str(connection_file)]
    uid = os.getuid()
    if not args.no_bwrap:
        if socket_dir is None:
            raise SystemExit("the sandboxed kernel has no network: use the ipc transport")
        if uid == 0:
            # Root is exempt from the process cap and holds every capability, so
            # inside the sandbox the kernel becomes an unprivileged user of its own.
            uid = SANDBOX_UID_BASE + os.getpid()
            for path in [args.scratch, socket_dir, *args.scratch.rglob("*")]:
                os.chown(path, uid, uid)
            kernel = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                      "--inh-caps=-all", "--", *kernel]
        kernel = bwrap_command(args.scratch, socket_dir) + ["--", *kernel]
    else:
        os.chdir(args.scratch)
    apply_limits(limits, uid)
    # The kernel's own stdout is only its start-up banner (the notebook's output goes
    # over ZeroMQ); keep it out of the batch's terminal. Errors still reach stderr.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.execvp(kernel[0], kernel)


if __name__ == "__main__":
    main(sys.argv[1:])
