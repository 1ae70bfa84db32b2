"""Prepare a submitted notebook for grading: rebuild it around the instructor's cells,
then screen the student's code for tampering.

Rebuild. The graded notebook is the released notebook, cell for cell, with each
answer cell (nbgrader `solution` cell) taken from the student by its grade_id. Test
cells, instructions and given code always come from the release (and nbgrader puts
the hidden tests back from the gradebook). So editing, deleting, duplicating or
reordering test cells, or changing their metadata, points or type, changes nothing;
the student is told what was ignored. Cells the student added are kept where they
were, after the instructor's cell they followed.

Screen. The grader runs student code in the same Python process as the tests, so
code that reaches for the machinery of grading could fake a pass: an object whose
`__eq__` is always true, a float or ndarray subclass, rebinding `np.allclose` or a
builtin, silencing IPython's error display, exiting the kernel, reading earlier cell
inputs (the hidden tests). None of that is needed to answer a maths assignment, so
the screen looks for it in the syntax tree of every student cell. A finding scores
the notebook 0 without running it, names the cell and line, and flags the submission
for the instructor, who can override it.
"""
from __future__ import annotations

import ast
import builtins
import copy
import re
import uuid
from dataclasses import dataclass, field

from IPython.core.inputtransformer2 import TransformerManager

# Modules that give access to the process, the interpreter or the grading kernel.
FORBIDDEN_MODULES = {
    "os", "sys", "subprocess", "multiprocessing", "threading", "signal", "ctypes", "gc",
    "inspect", "builtins", "importlib", "IPython", "ipykernel", "traceback", "atexit",
    "socket", "shutil", "pathlib", "io", "pickle", "marshal", "code", "codeop", "types",
    "resource", "pty", "sysconfig", "unittest", "pytest", "nbgrader", "faulthandler",
    "tempfile", "glob", "asyncio", "concurrent", "weakref", "copyreg", "dis",
}
# Names that reach the same places without an import.
FORBIDDEN_NAMES = {
    "get_ipython", "exec", "eval", "compile", "__import__", "globals", "locals", "vars",
    "setattr", "delattr", "open", "breakpoint", "exit", "quit", "input",
    "SystemExit", "KeyboardInterrupt", "BaseException", "GeneratorExit",
    "__builtins__", "__builtin__", "__loader__", "__spec__",
    # IPython's record of earlier cells: it holds the hidden tests once they have run.
    "In", "Out", "_ih", "_oh", "_dh",
}
ALLOWED_DUNDERS = {"__init__", "__name__", "__doc__", "__repr__", "__str__"}
DUNDER = re.compile(r"^__\w+__$")
STUDENT_ADDED = "mml_student_added"    # metadata mark on cells the student added
INPUT_HISTORY = re.compile(r"^_i+\d*$")


@dataclass
class Prepared:
    """A notebook ready to grade, what was ignored in it, and what the screen found."""
    notebook: dict
    notes: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def source_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def prepare(submitted: dict, released: dict) -> Prepared:
    """Rebuild `submitted` around the cells of `released`, then screen it."""
    prepared = rebuild(submitted, released)
    student_cells = [(label, source_text(cell)) for label, cell in student_code_cells(prepared.notebook)]
    protected = protected_names(released)
    for label, code in student_cells:
        prepared.findings += [f"{label}, {finding}" for finding in screen(code, protected)]
    return prepared


def cell_key(cell: dict) -> str | None:
    """How a released cell is recognised in a submission: its nbgrader grade_id, or
    else its nbformat cell id (JupyterLab keeps both when a student edits)."""
    grade_id = nbgrader_meta(cell).get("grade_id")
    if grade_id:
        return f"grade:{grade_id}"
    return f"id:{cell['id']}" if cell.get("id") else None


def cell_name(cell: dict, index: int) -> str:
    return nbgrader_meta(cell).get("grade_id") or f"cell {index + 1}"


def rebuild(submitted: dict, released: dict) -> Prepared:
    prepared = Prepared(copy.deepcopy(released))
    keys = [cell_key(c) for c in released["cells"]]
    plain_sources = {source_text(c): i for i, c in enumerate(released["cells"])
                     if not nbgrader_meta(c)}
    answers: dict[int, dict] = {}               # index in release -> the student's answer cell
    seen: set[int] = set()
    added_after: dict[int, list[dict]] = {}     # index in release -> the student's own cells
    position = -1                               # furthest release cell seen so far
    reordered = False
    for cell in submitted.get("cells", []):
        if not isinstance(cell, dict):
            continue
        key = cell_key(cell)
        index = keys.index(key) if key in keys else None
        if index is None and not nbgrader_meta(cell):
            index = plain_sources.get(source_text(cell))
            if index in seen:
                index = None
        if index is None:
            if nbgrader_meta(cell).get("grade_id"):
                prepared.notes.append(f"cell '{nbgrader_meta(cell)['grade_id']}' is not part "
                                      "of this assignment and was ignored")
            elif cell.get("cell_type") in ("code", "markdown"):
                added_after.setdefault(position, []).append(cell)
            continue
        original = released["cells"][index]
        name = cell_name(original, index)
        if index in seen:
            what = "answer cell" if nbgrader_meta(original).get("solution") else "cell"
            prepared.notes.append(f"{what} '{name}' appears more than once; the first copy "
                                  "was graded" if what == "answer cell" else
                                  f"cell '{name}' was duplicated; the copy was ignored")
            continue
        seen.add(index)
        if nbgrader_meta(original).get("solution"):
            answers[index] = cell
            if (nbgrader_meta(cell) != nbgrader_meta(original)
                    or cell.get("cell_type") != original.get("cell_type")):
                prepared.notes.append(f"answer cell '{name}' had its type or grading metadata "
                                      "changed; only its code was taken")
        elif (source_text(cell) != source_text(original)
              or nbgrader_meta(cell) != nbgrader_meta(original)
              or cell.get("cell_type") != original.get("cell_type")):
            prepared.notes.append(f"{name} was changed; the original was graded"
                                  if name.startswith("cell ") else
                                  f"cell '{name}' was changed; the original was graded")
        if index < position and not reordered:
            reordered = True
            prepared.notes.append(f"cells were moved (first '{name}'); the released order was graded")
        position = max(position, index)

    cells = [fresh(c) for c in added_after.get(-1, [])]
    for index, original in enumerate(released["cells"]):
        name = cell_name(original, index)
        if index in answers:
            cell = copy.deepcopy(original)
            cell["source"] = source_text(answers[index])
            cells.append(cell)
        else:
            if nbgrader_meta(original).get("solution"):
                prepared.notes.append(f"answer cell '{name}' is missing; graded as unanswered")
            elif nbgrader_meta(original).get("grade") and index not in seen:
                prepared.notes.append(f"test cell '{name}' was deleted; the original was graded")
            cells.append(copy.deepcopy(original))
        cells += [fresh(c) for c in added_after.get(index, [])]
    prepared.notebook["cells"] = cells
    return prepared


def fresh(cell: dict) -> dict:
    """A student's own cell, as a plain cell with a new id and no outputs."""
    kind = cell.get("cell_type")
    new = {"cell_type": kind, "id": uuid.uuid4().hex[:12], "metadata": {STUDENT_ADDED: True},
           "source": source_text(cell)}
    if kind == "code":
        new.update(execution_count=None, outputs=[])
    return new


def student_code_cells(nb: dict):
    """(label, cell) for every code cell the student wrote: answers and added cells."""
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            yield f"answer cell '{meta['grade_id']}'", cell
        elif cell.get("metadata", {}).get(STUDENT_ADDED):
            yield f"cell {index + 1} (added by the student)", cell


def protected_names(released: dict) -> set[str]:
    """Names the tests rely on, which a student must not rebind: every builtin, and
    every module, import and helper that the instructor's own cells bind."""
    protected = set(dir(builtins)) | {"np", "numpy"}
    for cell in released["cells"]:
        if cell.get("cell_type") != "code" or nbgrader_meta(cell).get("solution"):
            continue
        try:
            tree = ast.parse(python_source(source_text(cell)))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                protected |= {a.asname or a.name.split(".")[0] for a in node.names}
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                protected.add(node.name)
    return protected


def python_source(code: str) -> str:
    """Cell source as the kernel will run it: IPython magics become Python calls."""
    return TransformerManager().transform_cell(code)


def screen(code: str, protected: set[str]) -> list[str]:
    """What in this cell reaches for the grading machinery ('line N: ...')."""
    try:
        tree = ast.parse(python_source(code))
    except SyntaxError:
        return []       # it will fail when it runs, and cost only its own points
    modules = {"np", "numpy"}
    findings = []

    def find(node, message):
        findings.append(f"line {getattr(node, 'lineno', '?')}: {message}")

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES or name.startswith("numpy.testing"):
                    find(node, f"imports '{name}', which graded answers may not use")
            modules |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name):
            if node.id in FORBIDDEN_NAMES or INPUT_HISTORY.match(node.id):
                find(node, f"uses '{node.id}', which graded answers may not use")
            elif DUNDER.match(node.id) and node.id not in ALLOWED_DUNDERS:
                find(node, f"uses '{node.id}'")
        elif isinstance(node, ast.Attribute):
            if DUNDER.match(node.attr) and node.attr not in ALLOWED_DUNDERS:
                find(node, f"reaches for '.{node.attr}'")
            if node.attr == "testing":
                find(node, "uses numpy.testing, which the tests rely on")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if DUNDER.match(node.value.strip()):
                find(node, f"names '{node.value.strip()}' in a string")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                if not (isinstance(base, ast.Name) and base.id == "object"):
                    find(node, f"class '{node.name}' subclasses {ast.unparse(base)}; "
                               "a subclass can fake comparisons")
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and DUNDER.match(item.name) and item.name not in ALLOWED_DUNDERS:
                    find(item, f"class '{node.name}' defines {item.name}, which can fake "
                               "comparisons or truth")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "type" and len(node.args) == 3:
            find(node, "builds a class with type(name, bases, namespace)")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                if name in protected:
                    find(node, f"declares '{name}' global to rebind it")
        # Changing a module or helper the tests use, in any scope.
        for target in bound_targets(node):
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                root = target
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if isinstance(root, ast.Name) and (root.id in modules or root.id in protected):
                    find(node, f"changes '{ast.unparse(target)}', part of a library "
                               "the tests rely on")
    # Rebinding a name the tests use: only the notebook's top level reaches the tests
    # (a name bound inside a function is that function's own).
    for node in top_level_statements(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.name in protected:
            find(node, f"redefines '{node.name}', which the tests rely on")
        for target in bound_targets(node):
            if isinstance(target, ast.Name) and target.id in protected:
                find(node, f"rebinds '{target.id}', which the tests rely on")
    return sorted(set(findings), key=lambda f: (int(f.split()[1].rstrip(":")) if
                                                f.split()[1].rstrip(":").isdigit() else 0, f))


def top_level_statements(tree: ast.Module):
    """Every statement that runs at the notebook's top level (inside if/for/with/try
    blocks too), but not the bodies of functions and classes."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                pending.append(child)
            elif isinstance(child, (ast.excepthandler, ast.match_case)):
                pending.extend(child.body if hasattr(child, "body") else [])
            if isinstance(child, ast.expr):
                pending.extend(n for n in ast.walk(child) if isinstance(n, ast.NamedExpr))


def bound_targets(node) -> list:
    """The expressions a statement binds or deletes."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    elif isinstance(node, ast.NamedExpr):
        targets = [node.target]
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        return [ast.Name(id=a.asname or a.name.split(".")[0]) for a in node.names
                if (a.asname or a.name.split(".")[0]) not in {"np", "numpy"}
                or a.name.split(".")[0] != "numpy"]
    else:
        return []
    flat = []
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            flat += list(target.elts)
        elif isinstance(target, ast.Starred):
            flat.append(target.value)
        else:
            flat.append(target)
    return flat
