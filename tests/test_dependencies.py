"""The pip pins (requirements.txt) and the conda/Binder pins (environment.yml) never drift."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)$")


def pins(lines):
    """{normalised name: version} for every `name==version` line."""
    found = {}
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def requirement_lines(path):
    return [line.split("#", 1)[0] for line in path.read_text().splitlines()]


def environment_pip_lines():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict)]
    assert len(pip_sections) == 1, "environment.yml should have exactly one pip: section"
    return pip_sections[0]


def test_environment_yml_carries_exactly_the_requirements_pins():
    lock = pins(requirement_lines(ROOT / "requirements.txt"))
    conda = pins(environment_pip_lines())
    assert len(lock) > 100, "requirements.txt should pin the full resolved set"
    only_pip = sorted(set(lock) - set(conda))
    only_conda = sorted(set(conda) - set(lock))
    differ = sorted(name for name in set(lock) & set(conda) if lock[name] != conda[name])
    assert not (only_pip or only_conda or differ), (
        f"pins drifted (run 'make lock'): only in requirements.txt {only_pip}, "
        f"only in environment.yml {only_conda}, different versions {differ}")


def test_every_direct_dependency_is_pinned_identically_in_the_lock():
    direct = pins(requirement_lines(ROOT / "requirements.in"))
    lock = pins(requirement_lines(ROOT / "requirements.txt"))
    assert direct, "requirements.in should pin the direct dependencies"
    wrong = {name: (version, lock.get(name)) for name, version in direct.items()
             if lock.get(name) != version}
    assert not wrong, f"requirements.in and requirements.txt disagree (run 'make lock'): {wrong}"


def test_environment_yml_uses_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
