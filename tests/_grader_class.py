"""Building classes of submissions for the grader tests, and running course-grade on them for real."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from _exercise_code import EXERCISES, REPO, SOLUTIONS
from nbformat.v4 import new_code_cell

LESSON = "02_confusion_matrix.ipynb"  # the notebook the hostile submissions tamper with


MINE = ("01_", "02_", "03_", "04_")  # the lessons whose exercises the grader tests were written with


def copy_all(folder: Path, source: Path, only: tuple[str, ...] = ()) -> None:
    """Copy every notebook of ``source`` (or those whose names start with one of ``only``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.ipynb")):
        if not only or path.name.startswith(only):
            shutil.copy(path, folder / path.name)


def solution() -> nbformat.NotebookNode:
    return nbformat.read(SOLUTIONS / LESSON, as_version=4)


def replace_function(nb: nbformat.NotebookNode, name: str, source: str) -> nbformat.NotebookNode:
    """Swap the answer cell that defines ``name`` for ``source``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(f"def {name}("):
            cell.source = source
            return nb
    raise LookupError(name)


def insert_cell(nb: nbformat.NotebookNode, source: str, after_setup: bool = True) -> nbformat.NotebookNode:
    """A new code cell right after the setup cell (so every answer cell still runs after it)."""
    position = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "as check" in c.source) + 1
    nb.cells.insert(position if after_setup else len(nb.cells), new_code_cell(source))
    return nb


def submit(root: Path, student: str, nb_or_bytes, name: str = LESSON) -> Path:
    folder = root / student
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(nb_or_bytes, bytes):
        path.write_bytes(nb_or_bytes)
    else:
        nbformat.write(nb_or_bytes, path)
    return path


def run_grader(submissions: Path, out: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "course_lib.grading", str(submissions), "--out", str(out), "--no-progress", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO)


def read_grades(out: Path) -> dict[tuple[str, str, str], dict]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {(r["student"], r["notebook"], r["question"]): r for r in rows}


def rows_of(grades: dict, student: str, notebook: str = LESSON) -> dict[str, dict]:
    return {q: r for (s, n, q), r in grades.items() if s == student and n == notebook}


__all__ = ["EXERCISES", "MINE", "SOLUTIONS", "copy_all", "insert_cell", "read_grades", "replace_function", "rows_of"]
