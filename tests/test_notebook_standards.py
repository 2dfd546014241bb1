"""House rules every notebook of the course keeps (nbval checks what they compute).

- the README's lesson map lists exactly the lessons in notebooks/, each with its exercise;
- every lesson has a solutions/ notebook and a generated exercises/ notebook;
- kernelspec set (else JupyterLab asks for a kernel), no saved widget state (GitHub's viewer
  refuses it), stored outputs in lessons and solutions, none in exercises;
- the first code cell is the Colab install cell, identical everywhere;
- a cell that displays a widget carries the `nbval-ignore-output` tag (nbval has no widget
  manager), and lessons print nothing to stderr (they run warning-free).
"""

from __future__ import annotations

import re

import pytest
from _notebook_files import LESSONS, ROOT, WIDGET_MIME, code_cells, ids, load, source

from tools import nbtools

ALL = LESSONS + sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
COLAB_CELL = nbtools.COLAB_CELL  # what tools/nbtools.py writes into every notebook


def test_there_are_lessons():
    assert LESSONS, "notebooks/ holds no lesson"


def test_readme_lesson_map_matches_the_lessons():
    readme = (ROOT / "README.md").read_text()
    mapped = re.findall(r"\]\((notebooks/\d\d_[a-z0-9_]+\.ipynb)\)", readme)
    assert sorted(set(mapped)) == [f"notebooks/{p.name}" for p in LESSONS]
    for lesson in LESSONS:
        row = next(line for line in readme.splitlines() if f"(notebooks/{lesson.name})" in line)
        assert f"(exercises/{lesson.name})" in row, f"lesson map row for {lesson.name} lacks its exercise"


@pytest.mark.parametrize("lesson", LESSONS, ids=ids(LESSONS))
def test_every_lesson_has_a_solution_and_an_exercise(lesson):
    assert (ROOT / "solutions" / lesson.name).exists(), f"solutions/{lesson.name} is missing"
    assert (ROOT / "exercises" / lesson.name).exists(), f"exercises/{lesson.name} is missing"


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_notebook_metadata_and_outputs(path):
    nb = load(path)
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb["metadata"], "saved widget state: strip it (tools/nbtools.py does)"
    cells = code_cells(nb)
    with_outputs = [c for c in cells if c.get("outputs")]
    if path.parent.name == "exercises":
        assert not with_outputs, "exercise notebooks are generated without outputs"
    else:
        assert with_outputs, "lessons and solutions are committed with their outputs"


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_first_code_cell_installs_course_lib_on_colab_only(path):
    assert source(code_cells(load(path))[0]).strip() == COLAB_CELL


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_widget_cells_are_tagged_and_no_stderr(path):
    for cell in code_cells(load(path)):
        outputs = cell.get("outputs", [])
        tags = cell.get("metadata", {}).get("tags", [])
        if any(WIDGET_MIME in o.get("data", {}) for o in outputs):
            assert "nbval-ignore-output" in tags, f"widget cell without nbval-ignore-output:\n{source(cell)[:200]}"
        stderr = [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        assert not stderr, f"cell writes to stderr (a warning?):\n{source(cell)[:200]}\n{stderr[0]['text'][:300]}"
        errors = [o for o in outputs if o.get("output_type") == "error"]
        assert not errors, f"stored error output in:\n{source(cell)[:200]}"


# ---------------------------------------------------------------------------------------------------------------
# Opening a notebook changes nothing: the stored metadata is what the kernel and JupyterLab write.


@pytest.fixture(scope="module")
def kernel_metadata():
    """What JupyterLab writes into a notebook it opens on the course kernel: the kernelspec and language_info."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    return {"kernelspec": kernelspec, "language_info": nbtools.kernel_language_info()}


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_opening_a_notebook_on_the_course_kernel_changes_nothing(path, kernel_metadata):
    """JupyterLab copies the kernel's kernelspec and language_info into the notebook and saves with nbformat."""
    import nbformat

    stored = path.read_text(encoding="utf-8")
    nb = nbformat.reads(stored, as_version=nbformat.NO_CONVERT)
    assert nb.metadata.get("language_info") == kernel_metadata["language_info"], (
        "language_info differs from the kernel's: re-execute with `python -m tools.nbtools` (make notebooks)"
    )
    nb.metadata.update(kernel_metadata)
    saved = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    assert saved + ("" if saved.endswith("\n") else "\n") == stored, "saving it unchanged would rewrite the file"
