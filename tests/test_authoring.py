"""Exercises are generated from solutions, stay in sync with them, and every lesson has its triple."""

from __future__ import annotations

import re

import nbformat
import pytest
from _exercise_code import EXERCISES, NOTEBOOKS, REPO, SOLUTIONS, lesson_modules
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import authoring, nbtools
from tools.authoring import AuthoringError, make_exercise, solutions_of, strip_regions

COLAB_CELL = nbtools.COLAB_CELL

SOLUTION_FILES = sorted(SOLUTIONS.glob("*.ipynb"))


def test_exercises_and_solution_texts_are_up_to_date():
    """`make exercises` would change nothing (run it after editing a solution)."""
    assert authoring.stale(SOLUTIONS, EXERCISES) == []
    assert authoring.main([str(SOLUTIONS), str(EXERCISES), "--check"]) == 0


def test_every_lesson_has_a_solution_an_exercise_and_a_checks_module():
    lessons = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert lessons, "no lessons found"
    modules = {m.NOTEBOOK for m in lesson_modules()}
    missing = [
        f"{name}: {what}"
        for name in lessons
        for what, ok in (
            ("solutions/", (SOLUTIONS / name).exists()),
            ("exercises/", (EXERCISES / name).exists()),
            (f"course_lib/checks/lesson{name[:2]}.py", name in modules),
        )
        if not ok
    ]
    assert missing == []


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda p: p.name)
def test_solution_opens_with_the_colab_cell_and_checks_every_question(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == COLAB_CELL
    module = next(m for m in lesson_modules() if m.NOTEBOOK == path.name)
    assert f"from course_lib.checks import lesson{path.name[:2]} as check" in "\n".join(code)
    calls = [s.strip() for s in code if s.strip().startswith("check.")]
    assert calls == [f"check.{q.id}({q.function})" for q in module.QUESTIONS]
    assert set(solutions_of(nb)) == {q.function for q in module.QUESTIONS}
    assert all(
        output for c in nb.cells if c.cell_type == "code" and c.source.startswith("check.") for output in [c.outputs]
    )


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda p: p.name)
def test_exercise_is_the_solution_with_stubs_and_no_outputs(path):
    solution = nbformat.read(path, as_version=4)
    exercise = nbformat.read(EXERCISES / path.name, as_version=4)
    assert exercise.metadata.kernelspec.name == "python3"
    kept = [c for c in solution.cells if "solution-only" not in c.metadata.get("tags", [])]
    assert [c.cell_type for c in exercise.cells] == [c.cell_type for c in kept]
    for index, (s, e) in enumerate(zip(kept, exercise.cells, strict=True)):
        assert e.id == f"cell-{index:02d}"
        if s.cell_type == "markdown":
            assert e.source == s.source
            continue
        assert e.outputs == [] and e.execution_count is None
        assert "nbval-ignore-output" in e.metadata["tags"]
        assert "BEGIN SOLUTION" not in e.source and "END SOLUTION" not in e.source
        if "### BEGIN SOLUTION" in s.source:
            assert "raise NotImplementedError(" in e.source
            head = s.source.split("### BEGIN SOLUTION")[0]
            assert e.source.startswith(head.rstrip(" "))  # signature and docstring kept
        else:
            assert e.source == s.source


# -------------------------------------------------------------------------------------------- the generator's rules


def test_region_becomes_an_indented_stub():
    source = "def f(x):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n"
    assert strip_regions(source) == (
        "def f(x):\n    '''Doc.'''\n    # YOUR CODE HERE\n"
        '    raise NotImplementedError("Replace this line with your answer, then run the check below.")\n'
    )


def test_two_regions_in_one_function_and_code_between_them_kept():
    source = (
        "def f(x):\n    if x:\n        ### BEGIN SOLUTION\n        return 1\n        ### END SOLUTION\n"
        "    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION"
    )
    out = strip_regions(source)
    assert out.count("raise NotImplementedError(") == 2
    assert "    if x:\n        # YOUR CODE HERE\n" in out and out.endswith(
        '    raise NotImplementedError("Replace this line with your answer, then run the check below.")'
    )


def test_solution_text_drops_only_the_markers():
    source = "import numpy as np\n\n\ndef f(x):\n    ### BEGIN SOLUTION\n    return np.sum(x)\n    ### END SOLUTION\n"
    assert authoring.answer_functions(source) == {"f": "import numpy as np\n\n\ndef f(x):\n    return np.sum(x)\n"}


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION", "not inside a function body"),
        ("def f():\n    ### BEGIN SOLUTION\n    return 1", "never closed"),
        ("def f():\n    return 1\n    ### END SOLUTION", "never opened"),
        ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION", "inside another one"),
        ("def f():\n    ## BEGIN SOLUTION\n    return 1", "looks like a marker"),
        ("def f(:\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION", "not valid Python"),
    ],
    ids=["top-level", "unclosed", "unopened", "nested", "misspelt", "syntax"],
)
def test_broken_regions_are_refused_with_the_reason(source, error):
    with pytest.raises(AuthoringError, match=error):
        strip_regions(source)


def test_solution_only_cells_are_dropped_and_outputs_cleared():
    code = new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    code.outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    code.execution_count = 3
    note = new_markdown_cell("Why this works", metadata={"tags": ["solution-only"]})
    exercise = make_exercise(new_notebook(cells=[new_markdown_cell("# T"), code, note]))
    assert [c.cell_type for c in exercise.cells] == ["markdown", "code"]
    assert exercise.cells[1].outputs == [] and exercise.cells[1].execution_count is None
    assert exercise.cells[1].metadata["tags"] == ["nbval-ignore-output"]


def test_check_mode_names_stale_missing_and_orphaned_files(tmp_path, capsys):
    solutions, exercises, module = tmp_path / "solutions", tmp_path / "exercises", tmp_path / "_solutions.py"
    solutions.mkdir()
    cell = new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")
    nbformat.write(new_notebook(cells=[cell]), solutions / "01_demo.ipynb")
    nbformat.write(new_notebook(cells=[cell]), solutions / "02_other.ipynb")
    for path, text in authoring.generate(solutions, exercises, module).items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert authoring.stale(solutions, exercises, module) == []
    assert 'SOLUTIONS = {\n    "lesson01": {\n        "f": "def f(x):\\n    return x\\n",\n    },' in module.read_text()
    (exercises / "01_demo.ipynb").write_text("{}")
    (exercises / "02_other.ipynb").unlink()
    (exercises / "03_orphan.ipynb").write_text("{}")
    problems = authoring.stale(solutions, exercises, module)
    assert problems == [
        f"{exercises / '01_demo.ipynb'} is out of date",
        f"{exercises / '02_other.ipynb'} is missing",
        f"{exercises / '03_orphan.ipynb'} has no solution notebook in {solutions}",
    ]


def test_cli_exit_codes(tmp_path, capsys):
    assert authoring.main([str(tmp_path / "nowhere"), str(tmp_path / "ex")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    bad = tmp_path / "solutions"
    bad.mkdir()
    nbformat.write(
        new_notebook(cells=[new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")]), bad / "01_x.ipynb"
    )
    assert authoring.main([str(bad), str(tmp_path / "ex")]) == 2
    assert re.search(r"authoring: error: .*not inside a function body", capsys.readouterr().err)


def test_solution_module_is_written_in_ruff_style():
    text = authoring.render_solutions_module({"lesson09": {"g": 'say "hi"', "f": "it's"}})
    assert text.splitlines()[2:] == [
        "SOLUTIONS = {",
        '    "lesson09": {',
        '        "f": "it\'s",',
        '        "g": \'say "hi"\',',
        "    },",
        "}",
    ]
    assert (REPO / "course_lib" / "checks" / "_solutions.py").read_text() == authoring.generate(SOLUTIONS, EXERCISES)[
        authoring.SOLUTIONS_MODULE
    ]
