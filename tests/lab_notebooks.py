"""Running a lab notebook headless, as Run All in a fresh kernel does, and reading back
what it showed: printed text and the widgets' stored state.
Shared by the lab tests (test_sandpit_widgets.py, test_taylor_widget.py, test_eigen_widget.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from time import monotonic

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@dataclass
class LabRun:
    nb: nbformat.NotebookNode

    @property
    def code_cells(self):
        return [cell for cell in self.nb.cells if cell.cell_type == "code"]

    @property
    def outputs(self):
        return [output for cell in self.code_cells for output in cell.outputs]

    def errors(self) -> list[str]:
        """Every error, and every stderr line, the cells produced."""
        return ([f"{o.ename}: {o.evalue}" for o in self.outputs if o.output_type == "error"]
                + [o.text for o in self.outputs if o.output_type == "stream" and o.name == "stderr"])

    def printed(self, index: int) -> str:
        """What code cell `index` (counting cells of every kind) printed to stdout."""
        return "".join(o.text for o in self.nb.cells[index].outputs
                       if o.output_type == "stream" and o.name == "stdout")

    def shows_a_widget(self) -> bool:
        return any(WIDGET_VIEW in o.get("data", {}) for o in self.outputs)

    def widget_models(self, name: str) -> list[dict]:
        """The stored state of every widget model called `name` (e.g. "OutputModel")."""
        state = self.nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        return [model["state"] for model in state.values() if model["model_name"] == name]

    def figures_in_output_widgets(self) -> list[str]:
        """The PNGs (base64) that Output widgets hold: the tools' drawings."""
        return [output["data"]["image/png"] for model in self.widget_models("OutputModel")
                for output in model.get("outputs", []) if "image/png" in output.get("data", {})]

    def html_values(self) -> list[str]:
        return [model.get("value", "") for model in self.widget_models("HTMLModel")]


def committed_without_outputs(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return bool(code) and all(not cell.outputs and cell.execution_count is None for cell in code)


class PatientClient(NotebookClient):
    """nbclient's NotebookClient, looking for the kernel's reply once a second.

    nbclient waits for a cell's reply with one long ZeroMQ poll. After a cell that sends
    many widget messages (sandpit_part2's probes) that poll often missed the reply and
    woke only when the cell's whole timeout (120 s) ran out, although the kernel had
    answered within a second (jupyter/nbclient#312). Short polls notice it at once; a
    cell that is really still running times out exactly as before."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        long_wait = client.shell_channel.get_msg

        async def get_msg(timeout=None):
            deadline = None if timeout is None else monotonic() + timeout
            while True:
                left = 1.0 if deadline is None else max(0.0, deadline - monotonic())
                try:
                    return await long_wait(timeout=min(1.0, left))
                except Empty:
                    if deadline is not None and monotonic() >= deadline:
                        raise

        client.shell_channel.get_msg = get_msg
        return client


def run_lab(path: Path) -> LabRun:
    """Execute the lab in a fresh python3 kernel from its own folder. Raises
    nbclient's CellExecutionError at the first failing cell, as Run All would stop."""
    nb = nbformat.read(path, as_version=4)
    PatientClient(nb, timeout=120, startup_timeout=120, kernel_name="python3",
                  resources={"metadata": {"path": str(path.parent)}}).execute()
    return LabRun(nb)
