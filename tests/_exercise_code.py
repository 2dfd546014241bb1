"""Helpers shared by the checks and grader tests: the lesson modules and the code of their notebooks."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import nbformat

import course_lib.checks
from course_lib.grading.static import to_python

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "solutions"
EXERCISES = REPO / "exercises"
NOTEBOOKS = REPO / "notebooks"


def lesson_modules() -> list:
    """Every course_lib.checks.lessonNN module, in order."""
    names = sorted(
        i.name for i in pkgutil.iter_modules(course_lib.checks.__path__) if re.fullmatch(r"lesson\d\d", i.name)
    )
    return [importlib.import_module(f"course_lib.checks.{name}") for name in names]


def notebook_namespace(path: Path) -> dict:
    """Run a notebook's code cells (our own solutions or exercises) in a fresh namespace, skipping the check calls."""
    namespace: dict = {"__name__": "__exercise__"}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or cell.source.lstrip().startswith("check."):
            continue
        exec(compile(to_python(cell.source), str(path), "exec"), namespace)  # noqa: S102 - the course's own notebooks
    return namespace
