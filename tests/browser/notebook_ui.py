"""Driving a notebook in JupyterLab 4 the way a student does: menus, typing, Validate."""
from __future__ import annotations

import re

RUN_TIMEOUT_MS = 120_000


def open_notebook(page, lab, path: str) -> None:
    # ?reset: start from an empty workspace, not the tabs a previous test left open.
    page.goto(lab.url(f"lab/tree/{path}?reset"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    wait_for_kernel_idle(page)


def wait_for_kernel_idle(page) -> None:
    """The status bar reads e.g. 'Python 3 (ipykernel) | Idle' once the kernel is up
    (before that it says 'No Kernel | Initializing', then '| Connecting')."""
    page.wait_for_function(r"""() => [...document.querySelectorAll('.jp-StatusBar-Widget')]
        .some(w => /\(ipykernel\) \| Idle/.test(w.textContent))""", timeout=90_000)


def cells(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


PROMPT_NUMBERS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent)"""


def run_all(page) -> None:
    """Run → Run All Cells from the menu bar, then wait until that run has finished:
    some cell got a new execution number, none is queued ([*]) and the kernel is idle."""
    before = max([int(n) for p in page.evaluate(PROMPT_NUMBERS) for n in re.findall(r"\d+", p)] or [0])
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    page.wait_for_function(f"""() => {{
        const prompts = ({PROMPT_NUMBERS})();
        const numbers = prompts.flatMap(p => (p.match(/[0-9]+/g) || []).map(Number));
        const started = numbers.some(n => n > {before});
        const queued = prompts.some(p => p.includes('*'));
        const busy = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='busy']");
        return started && !queued && !busy;
    }}""", timeout=RUN_TIMEOUT_MS)


def set_source(page, index: int, text: str) -> None:
    """Replace the text of cell `index` as if typed (without auto-indent or brackets)."""
    editor = cells(page).nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def error_text(page, index: int) -> str:
    """What cell `index` shows as an error (traceback text), or ''."""
    outputs = cells(page).nth(index).locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    return "\n".join(outputs.all_inner_texts())


def execution_counts(page) -> list[str]:
    """The prompt of every code cell, e.g. '[3]:' or '[ ]:'."""
    return [p.strip() for p in page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()]


def kernel_died(page) -> bool:
    dialogs = " ".join(page.locator(".jp-Dialog").all_inner_texts()).lower()
    status = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) "
                          ".jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
    return "died" in dialogs or "restarting" in dialogs or status in ("dead", "unknown")


def save(page) -> None:
    page.keyboard.press("Control+S")
    page.wait_for_function("""() => !document.querySelector('.jp-mod-current .jp-mod-dirty')""",
                           timeout=30_000)


def validate(page) -> str:
    """Click nbgrader's Validate button and return what its dialog says."""
    page.get_by_role("button", name=re.compile("Validate")).click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=RUN_TIMEOUT_MS)
    page.wait_for_function("""() => !/Validating/i.test(
        document.querySelector('.jp-Dialog')?.innerText || 'Validating')""", timeout=RUN_TIMEOUT_MS)
    text = dialog.inner_text()
    page.keyboard.press("Escape")
    return text
