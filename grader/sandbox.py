"""The sandbox a student's kernel runs in while it is graded.

nbgrader starts a kernel from a kernel spec. The batch grader gives it the spec
written by `install_kernel_spec`, whose command is `python -m grader.sandbox <limits>
-f <connection file>`. That launcher applies, in order:

1. resource limits (setrlimit): address space, CPU seconds, file size, no core dumps,
   and a cap on new processes (a fork bomb stops at the cap);
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
    layers = ["resource limits (memory, CPU time, file size, processes)",
              "output cap"]
    if use_bwrap:
        layers.insert(0, "bubblewrap: no network, read-only system, one writable folder, "
                         "no access to solutions, gradebook or other submissions")
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


def apply_limits(limits: Limits) -> None:
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
    cap(resource.RLIMIT_NPROC, processes_of_this_user() + limits.extra_processes)


def processes_of_this_user() -> int:
    uid = os.getuid()
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def bwrap_command(scratch: Path, runtime_dir: Path) -> list[str]:
    """bubblewrap arguments: read-only system and Python, one writable scratch folder."""
    python_prefixes = {Path(sys.prefix), Path(sys.base_prefix),
                       Path(sysconfig.get_paths()["purelib"])}
    command = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
               "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"]
    for link in ("bin", "lib", "lib64", "sbin"):
        path = Path("/") / link
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            command += ["--ro-bind", str(path), str(path)]
    for etc in ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts", "/etc/alternatives",
                "/etc/passwd", "/etc/group", "/etc/matplotlibrc"):
        if os.path.exists(etc):
            command += ["--ro-bind", etc, etc]
    for prefix in sorted(python_prefixes):
        if not str(prefix).startswith("/usr"):
            command += ["--ro-bind", str(prefix), str(prefix)]
    # The course's own package (mml: data loaders, plotting helpers), read-only. Only
    # that folder: the rest of the course directory holds the solutions and gradebook.
    # The grader package is here for grader.kernel_main, which starts the kernel.
    import grader
    import mml
    for package in (Path(mml.__file__).resolve().parent, Path(grader.__file__).resolve().parent):
        command += ["--ro-bind", str(package), str(package)]
    command += ["--bind", str(scratch), str(scratch),
                "--bind", str(runtime_dir), str(runtime_dir),
                "--chdir", str(scratch), "--setenv", "HOME", str(scratch),
                # The kernel's parent is outside the PID namespace, where ipykernel's
                # parent watch cannot see it; --die-with-parent does that job instead.
                "--unsetenv", "JPY_PARENT_PID",
                "--setenv", "MPLCONFIGDIR", str(scratch / ".matplotlib"),
                "--setenv", "MML_CACHE", str(scratch / ".mml-cache")]
    return command


def main(argv: list[str]) -> None:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m grader.sandbox")
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--limits", required=True)
    parser.add_argument("--no-bwrap", action="store_true")
    parser.add_argument("-f", dest="connection_file", required=True)
    args = parser.parse_args(argv)
    limits = Limits(**json.loads(args.limits))
    connection_file = Path(args.connection_file).resolve()
    args.scratch.mkdir(parents=True, exist_ok=True)
    kernel = [sys.executable, "-m", "grader.kernel_main", "--output-bytes",
              str(limits.output_bytes), "-f", str(connection_file)]
    if not args.no_bwrap:
        kernel = bwrap_command(args.scratch, connection_file.parent) + ["--", *kernel]
    else:
        os.chdir(args.scratch)
    apply_limits(limits)
    os.execvp(kernel[0], kernel)


if __name__ == "__main__":
    main(sys.argv[1:])
