"""course-grade on a class of solution notebooks: seconds per class with --jobs 2 against --jobs 1, and seconds per
notebook in the sandbox (process start included) against executing the same notebook in a Jupyter kernel (nbclient).

There is no scikit-learn baseline for grading; the comparisons are the grader with itself (does it scale with
--jobs?) and with the obvious alternative design (a kernel per notebook).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from benchmarks._harness import Case
from course_lib.grading import cli
from course_lib.grading.grader import grade_notebook, lessons
from course_lib.grading.sandbox import Limits

REPO = Path(__file__).resolve().parents[1]


def _class(students: int) -> Path:
    """A class where every student hands in every solution notebook (all cells run, every function is called)."""
    root = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    notebooks = [REPO / "solutions" / name for name in lessons() if (REPO / "solutions" / name).exists()]
    for i in range(students):
        folder = root / "submissions" / f"student{i:02d}"
        folder.mkdir(parents=True)
        for path in notebooks:
            shutil.copy(path, folder / path.name)
    return root


def _grade(root: Path, jobs: int) -> None:
    out = root / f"out-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    status = cli.main(
        [str(root / "submissions"), "--out", str(out), "--jobs", str(jobs), "--no-progress", "--seed", "0"]
    )
    assert status == 0


def _kernel_execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()


def cases(quick: bool) -> list[Case]:
    students = 2 if quick else 30
    root = _class(students)
    n_notebooks = len(list((root / "submissions").glob("*/*.ipynb")))
    one = REPO / "solutions" / "03_precision_recall_f1.ipynb"
    module = lessons()[one.name]
    return [
        Case(
            "grading",
            f"course-grade {students} students x {n_notebooks // students} notebooks, --jobs 2",
            lambda: _grade(root, 2),
            {"--jobs 1": lambda: _grade(root, 1)},
            repeat=1,
            target="< 300 s for 30 students x every exercise on 2 cores; ratio near 2 (scales with --jobs)",
        ),
        Case(
            "grading",
            f"grade one notebook ({one.name}) in the sandbox, process start included",
            lambda: grade_notebook("bench", one, module, Limits(timeout=60), seed=0),
            {"execute it in a Jupyter kernel (nbclient)": lambda: _kernel_execute(one)},
            repeat=1 if quick else 5,
            target="< 2 s per notebook; cheaper than starting a kernel",
        ),
    ]
