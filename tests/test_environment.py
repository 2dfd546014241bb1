"""The two descriptions of the environment cannot drift apart, and the pins are exact."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)$")


def requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = PIN.match(line)
            assert match, f"requirements.txt: {line!r} is not an exact pin (name==version)"
            pins[match[1].lower()] = match[2]
    return pins


def environment_pip_pins() -> dict[str, str]:
    pins, in_pip = {}, False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if line.strip() == "- pip:":
            in_pip = True
            continue
        if in_pip and line.strip().startswith("- ") and raw.startswith("      "):
            item = line.strip()[2:].strip()
            if item == "-e ." or item.startswith("--"):  # course_lib itself, pip options
                continue
            match = PIN.match(item)
            assert match, f"environment.yml: {item!r} is not an exact pin"
            pins[match[1].lower()] = match[2]
        elif in_pip and line.strip():
            in_pip = False
    return pins


def test_environment_yml_matches_requirements():
    assert environment_pip_pins() == requirements()


def test_environment_yml_installs_course_lib_itself():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- -e \.\s*$", text, re.M), "environment.yml must install course_lib with `-e .`"


def test_torch_is_pinned_to_the_cpu_wheel_version():
    assert requirements()["torch"] == "2.13.0"


def test_installed_versions_are_the_pinned_ones():
    """The environment under test is the one the pins describe (local builds such as +cpu allowed)."""
    for name, pinned in requirements().items():
        assert version(name).split("+")[0] == pinned, f"{name}: installed {version(name)}, pinned {pinned}"
