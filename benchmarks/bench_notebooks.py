"""Wall-clock time of each lesson, executed top to bottom in a fresh kernel (target: < 20 s each).

There is no competitor: the table's course_lib column is the lesson's run time, kernel start included.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from benchmarks._harness import Case

LESSONS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()


def cases(quick: bool) -> list[Case]:
    lessons = LESSONS[:1] if quick else LESSONS
    return [
        Case("notebooks", f"execute {path.name}", lambda path=path: _execute(path), repeat=1, target="< 20 s")
        for path in lessons
    ]
