"""The grading sandbox, probed from inside a kernel it started.

Student code normally never gets this far (grader.screening refuses `os`, `socket`,
`open`...), so these probes run unscreened code in the sandboxed kernel directly, as
a determined student's code would run if the screen missed it.
"""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

from grader import batch, sandbox
from tests.grading import harness

pytestmark = pytest.mark.xdist_group("sandbox")


def run_in_sandbox(tmp_path: Path, monkeypatch, cells: list[str], use_bwrap=True,
                   limits=sandbox.Limits()) -> list[dict]:
    """Run `cells` in a sandboxed kernel set up exactly as grader.batch does; returns
    each cell's outputs."""
    scratch, runtime = tmp_path / "kernel", tmp_path / "runtime"
    scratch.mkdir(exist_ok=True)    # a test may have put files there first
    runtime.mkdir()
    sandbox.install_kernel_spec(tmp_path / "jupyter", scratch, limits, use_bwrap=use_bwrap)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(runtime / "kernel-ipc")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(nb, kernel_name=sandbox.KERNEL_NAME, config=config, timeout=60,
                            allow_errors=True)
    client.execute()
    return [cell.outputs for cell in nb.cells]


def text(outputs: list[dict]) -> str:
    parts = []
    for output in outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
    return "".join(parts)


def test_bubblewrap_is_available_and_reported():
    # CI installs bubblewrap (tools/install-system-deps.sh); without it this fails, and
    # the batch summary would say that only resource limits were active.
    assert sandbox.bwrap_works()
    assert any("bubblewrap" in layer for layer in sandbox.active_layers())
    assert not any("bubblewrap" in layer for layer in sandbox.active_layers(use_bwrap=False))


@pytest.fixture
def listening_port():
    """A TCP server on loopback that the sandboxed kernel will try to reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    thread = threading.Thread(target=lambda: server.accept(), daemon=True)
    thread.start()
    yield server.getsockname()[1]
    server.close()


def test_no_network_not_even_loopback(tmp_path, monkeypatch, listening_port):
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        "import socket\n"
        f"socket.create_connection(('127.0.0.1', {listening_port}), timeout=5)\n"
        "print('CONNECTED')",
    ])
    assert "CONNECTED" not in text(outputs[0])
    assert "Error" in text(outputs[0])


def test_instructor_files_are_invisible_and_only_scratch_is_writable(tmp_path, monkeypatch):
    source = harness.ROOT / "source_solutions"
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        f"import os\nprint(os.path.exists({str(source)!r}), os.path.exists({str(harness.ROOT / 'gradebook.db')!r}))",
        "print(os.path.exists(os.path.expanduser('~root/.ssh')), sorted(os.listdir('/root')) if os.path.exists('/root') else 'no /root')",
        f"open({str(harness.ROOT / 'mml' / 'planted.txt')!r}, 'w')",
        "open('answer.txt', 'w').write('ok'); print(open('answer.txt').read())",
    ])
    assert text(outputs[0]).strip() == "False False"
    assert "True" not in text(outputs[1])
    assert "Error" in text(outputs[2])                # read-only
    assert not (harness.ROOT / "mml" / "planted.txt").exists()
    assert text(outputs[3]).strip() == "ok"           # the scratch folder is writable


def test_the_system_files_given_to_the_kernel_are_readable(tmp_path, monkeypatch):
    # The kernel runs as an unprivileged user when the grader is root: what the sandbox
    # binds in for it (fonts, loader cache, time zone) must be readable by that user.
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        "import os\nprint(os.getuid() != 0 or 'root')",
        "for f in ('/etc/fonts/fonts.conf', '/etc/ld.so.cache', '/etc/localtime'):\n"
        "    print(f, os.access(f, os.R_OK))",
        "import subprocess\nr = subprocess.run(['fc-list'], capture_output=True, text=True)\n"
        "print(len(r.stdout.splitlines()) > 0, repr(r.stderr))",
    ])
    assert text(outputs[0]).strip() == "True"
    assert text(outputs[1]).count(" True") == 3, text(outputs[1])
    assert text(outputs[2]).strip() == "True ''", text(outputs[2])


def test_the_kernel_uses_the_font_list_built_for_it(tmp_path, monkeypatch):
    # grader.batch builds matplotlib's font list once per batch in the kernel's folder;
    # a kernel that found it unusable would build (and write) its own.
    batch.build_font_list(tmp_path / "kernel")
    [font_list] = (tmp_path / "kernel" / ".matplotlib").glob("fontlist-*.json")
    built = font_list.stat().st_mtime_ns
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        "import matplotlib.font_manager as fm\n"
        "print(len(fm.fontManager.ttflist) > 0, fm.findfont('DejaVu Sans').endswith('.ttf'))",
    ])
    assert text(outputs[0]).strip() == "True True", text(outputs[0])
    assert font_list.stat().st_mtime_ns == built, "the kernel rebuilt the font list"


def test_memory_limit_stops_a_huge_allocation(tmp_path, monkeypatch):
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        "hog = bytearray(6 * 1024 ** 3)",
        "print('still alive')",
    ])
    assert text(outputs[0]).startswith("MemoryError")
    assert "still alive" in text(outputs[1])


def test_process_cap_stops_a_fork_bomb(tmp_path, monkeypatch):
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        "import subprocess\n"
        "started = []\n"
        "try:\n"
        "    for _ in range(500):\n"
        "        started.append(subprocess.Popen(['sleep', '30']))\n"
        "except OSError as error:\n"
        "    print('stopped after', len(started), type(error).__name__)\n"
        "for p in started:\n"
        "    p.kill()\n",
    ], limits=sandbox.Limits(extra_processes=20))
    out = text(outputs[0])
    assert out.startswith("stopped after"), out
    assert int(out.split()[2]) <= 20


def test_output_is_capped(tmp_path, monkeypatch):
    outputs = run_in_sandbox(tmp_path, monkeypatch, ["print('x' * 5_000_000)"],
                             limits=sandbox.Limits(output_bytes=100_000))
    out = text(outputs[0])
    assert 100_000 <= len(out) < 101_000
    assert "output cut by the grader" in out


def test_cpu_limit_ends_a_runaway_kernel(tmp_path, monkeypatch):
    with pytest.raises(DeadKernelError):
        run_in_sandbox(tmp_path, monkeypatch, ["while True:\n    pass"],
                       limits=sandbox.Limits(cpu_seconds=3))


def test_without_bubblewrap_the_limits_still_hold(tmp_path, monkeypatch):
    outputs = run_in_sandbox(tmp_path, monkeypatch, [
        "hog = bytearray(6 * 1024 ** 3)",
        "print('x' * 300_000)",
    ], use_bwrap=False, limits=sandbox.Limits(output_bytes=100_000))
    assert text(outputs[0]).startswith("MemoryError")
    assert "output cut by the grader" in text(outputs[1])
