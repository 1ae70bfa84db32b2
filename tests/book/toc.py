"""The pages _toc.yml lists."""
from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT


def toc_files(node) -> list[str]:
    """Every `file:` entry of a _toc.yml tree (and the root)."""
    if isinstance(node, dict):
        found = [node["file"]] if "file" in node else []
        if "root" in node:
            found.append(node["root"])
        for value in node.values():
            found += toc_files(value)
        return found
    if isinstance(node, list):
        return [f for item in node for f in toc_files(item)]
    return []


def toc_pages() -> list[str]:
    return toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))


def week_pages() -> list[str]:
    return [page for page in toc_pages() if re.search(r"/week\d+-", page)]
