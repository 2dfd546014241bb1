"""The two descriptions of the environment cannot drift apart, and the pins are exact."""

from __future__ import annotations

import os
import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = os.environ.get("COURSE_REQUIREMENTS", "requirements.txt")
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
    """The environment under test is the one the pins describe (local builds such as +cpu allowed).

    ``make test-oldest`` sets COURSE_REQUIREMENTS=requirements-oldest.txt: there the pins are the declared floors.
    """
    pins = requirements() if REQUIREMENTS == "requirements.txt" else oldest_pins()
    for name, pinned in pins.items():
        assert version(name).split("+")[0] == pinned, f"{name}: installed {version(name)}, pinned {pinned}"


# ---------------------------------------------------------------------------------------------------------------
# The oldest versions pyproject.toml declares are the ones `make test-oldest` installs.


def oldest_pins() -> dict[str, str]:
    """The exact pins of requirements-oldest.txt (its unpinned lines are tools and reference libraries)."""
    pins = {}
    for line in (ROOT / "requirements-oldest.txt").read_text().splitlines():
        match = PIN.match(line.split("#", 1)[0].strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def declared_floors() -> dict[str, str]:
    """``{name: floor}`` of pyproject.toml's dependencies and optional dependencies (each must have a floor)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"]) + [s for group in project["optional-dependencies"].values() for s in group]
    floors = {}
    for spec in specs:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)", spec.strip())
        assert match, f"pyproject.toml: {spec!r} declares no floor (name>=version)"
        floors[match[1].lower()] = match[2]
    return floors


def test_oldest_requirements_pin_every_declared_floor():
    from packaging.version import Version

    pins = oldest_pins()
    for name, floor in declared_floors().items():
        assert name in pins, f"requirements-oldest.txt does not pin {name} (pyproject.toml declares {name}>={floor})"
        if name == "torch":  # the only CPU wheel this course can install is the pinned one; its floor is Colab's
            assert pins[name] == requirements()["torch"]
            continue
        assert Version(pins[name]) == Version(floor), f"{name}: pyproject.toml says >={floor}, oldest pin {pins[name]}"


def test_the_oldest_sanitizer_keeps_every_rule_of_the_main_one():
    main = (ROOT / "tests" / "nbval_sanitize.cfg").read_text().strip()
    assert main in (ROOT / "tests" / "nbval_sanitize_oldest.cfg").read_text()


def test_test_oldest_is_documented_and_not_part_of_make_test():
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = re.search(r"^test:.*?(?=^\S)", makefile, re.M | re.S)[0]
    assert "oldest" not in test_recipe
    assert "make test-oldest" in (ROOT / "README.md").read_text()
