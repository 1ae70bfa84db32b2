"""Glue a formula or a word into a page's prose, readable back by the page's tests.

myst-nb's `{glue:text}` role shows a glued value's text/plain repr, which is right for
numbers but wraps a string in quotes and cannot show maths. `{glue:md}` shows the
value's text/markdown instead. The objects made here carry both: Markdown for the
page (a `{math}` role for a SymPy expression) and a plain repr the tests read back
(`str(expr)`, which `sympy.sympify` parses; `repr(word)` for a word).

    glue("mc1_answer", inline_math(sp.diff(f, x)), display=False)
    The derivative is {glue:md}`mc1_answer:myst`.

The `:myst` format matters for maths: by default myst-nb renders glued Markdown as
plain CommonMark, which knows no roles. A formula too tall for a line (a matrix) can
be shown as a displayed equation instead, with the `{glue:math}` directive.
"""
from __future__ import annotations

import sympy as sp


class Inline:
    """A value shown as `markdown` on the page and as `plain` to the tests; a formula
    also carries `latex`, which `{glue:math}` shows as a displayed equation."""

    def __init__(self, markdown: str, plain: str, latex: str | None = None):
        self.markdown = markdown
        self.plain = plain
        self.latex = latex

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _repr_latex_(self) -> str | None:
        return None if self.latex is None else f"${self.latex}$"

    def __repr__(self) -> str:
        return self.plain


def inline_math(expr, latex: str | None = None) -> Inline:
    """A SymPy expression (or matrix) as inline maths; `latex` overrides SymPy's layout."""
    tex = latex if latex is not None else sp.latex(expr)
    # The {math} role keeps backslashes such as \, intact, where Markdown would
    # read them as escapes; paste it with {glue:md}`name:myst`.
    return Inline(f"{{math}}`{tex}`", str(expr), tex)


def inline_word(text: str) -> Inline:
    """A word or label shown as it is (no quotes); the tests read back the string."""
    return Inline(text, repr(text))
