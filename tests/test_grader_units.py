"""The grader's parts on their own: the static from-scratch check, reading submissions, parsing the sandbox's
reports, the gradebook's escaping, and the sandbox guard seen from inside a real sandboxed run."""

from __future__ import annotations

import json
import os

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_lib.checks import Args
from course_lib.checks._args import encode
from course_lib.checks.framework import Raised, Refused
from course_lib.grading import sandbox
from course_lib.grading.gradebook import _cell, feedback_markdown
from course_lib.grading.grader import file_digest, notebook_seed
from course_lib.grading.static import parse_program, violation
from course_lib.grading.submissions import InvalidNotebook, code_cells

FORBIDDEN = ("course_lib", "sklearn", "torchmetrics")


def why(*cells: str, function: str = "f") -> str | None:
    return violation(parse_program(list(cells)), function, FORBIDDEN)


# -------------------------------------------------------------------------------------------- static check


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["import sklearn.metrics as skm", "def f(y, p):\n    return skm.f1_score(y, p)"], "it uses sklearn through `skm` (`sklearn.metrics`)"),
        (["from sklearn.metrics import f1_score", "def f(y, p):\n    return f1_score(y, p)"], "it uses sklearn through `f1_score`"),
        (["def f(y, p):\n    from sklearn.metrics import f1_score\n    return f1_score(y, p)"], "it imports sklearn (`sklearn.metrics`)"),
        (["def f(y, p):\n    import torchmetrics\n    return 1"], "it imports torchmetrics (`torchmetrics`)"),
        (["from course_lib.metrics.scores import f1_score as f"], "it uses course_lib (`course_lib.metrics.scores.f1_score`)"),
        (["import course_lib.metrics.scores as cl", "f = cl.f1_score"], "it uses course_lib through `cl` (`course_lib.metrics.scores`)"),
        (["from course_lib.checks import lesson03 as check", "def f(y, p):\n    return check.q1.reference(y, p)"], "it uses course_lib through `check`"),
        (["import sklearn.metrics as m", "def helper(y, p):\n    return m.f1_score(y, p)", "def f(y, p):\n    return helper(y, p)"], "it uses sklearn through `m`"),
        (["import sklearn.metrics as m", "g = m.recall_score", "def f(y, p):\n    return g(y, p)"], "it uses sklearn through `m`"),
        (["import sklearn.metrics as m", "def f(y, p, score=m.f1_score):\n    return score(y, p)"], "it uses sklearn through `m`"),
        (["def f(y, p):\n    return getattr(__builtins__, 'eval')('1')"], "it uses `__builtins__`"),
        (["def f(y, p):\n    return eval('sum(y)')"], "it uses `eval`"),
        (["import importlib", "def f(y, p):\n    return importlib.import_module('numpy').sum(y)"], "it uses `importlib`"),
        (["import sys", "def f(y, p):\n    return sys.modules['numpy'].sum(y)"], "it uses `sys.modules`"),
        (["def f(y, p):\n    return __import__('sk' + 'learn')"], "it uses `__import__`"),
        (["def f(y, p):\n    name = 'sklearn.metrics'\n    return name"], "it names sklearn in a string"),
        (["def f(y, p):\n    '''As torchmetrics does.'''\n    return 'torchmetrics'"], "it names torchmetrics in a string"),
        (["try:\n    from sklearn.metrics import f1_score\nexcept ImportError:\n    pass", "def f(y, p):\n    return f1_score(y, p)"], "it uses sklearn"),
    ],
    ids=lambda x: None,
)  # fmt: skip
def test_answers_reaching_a_forbidden_package_are_caught(cells, reason):
    found = why(*cells)
    assert found is not None and reason in found, found


@pytest.mark.parametrize(
    "cells",
    [
        ["import numpy as np", "def f(y, p):\n    return np.mean(np.asarray(y) == np.asarray(p))"],
        ["from sklearn.metrics import f1_score", "print(f1_score([0, 1], [0, 1]))", "def f(y, p):\n    return 1.0"],
        ["import sklearn.metrics as m", "def f(y, p):\n    m = 3  # a local name, not the module\n    return m"],
        ["def f(y, check):\n    return check"],
        ["%matplotlib inline", "!ls", "def f(y, p):\n    return 0.5"],
        ["def f(y, p:\n    broken", "def f(y, p):\n    return 1"],
        ["def f(y, p):\n    '''Micro F1 as torchmetrics computes it for task='multilabel'.'''\n    return 1.0"],
    ],
    ids=[
        "numpy-only",
        "sklearn-elsewhere",
        "shadowed",
        "parameter-named-check",
        "magics",
        "syntax-error-cell",
        "docstring",
    ],
)
def test_from_scratch_answers_pass(cells):
    assert why(*cells) is None


def test_functions_defined_are_listed_for_did_you_mean():
    program = parse_program(["def count_outcome(y, p):\n    return 1", "x = 3", "class K:\n    pass"])
    assert program.functions == {"count_outcome"}


# -------------------------------------------------------------------------------------------- reading submissions


def test_code_cells_are_read_as_data(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# t"), new_code_cell("x = 1"), new_code_cell("y = 2")])
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert code_cells(tmp_path / "a.ipynb") == ["x = 1", "y = 2"]
    raw = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "code", "source": ["a = 1\n", "b = 2"]}],
    }
    (tmp_path / "b.ipynb").write_text(json.dumps(raw))
    assert code_cells(tmp_path / "b.ipynb") == ["a = 1\nb = 2"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n", "not valid notebook JSON"),
        (b"[1, 2]", "not a Jupyter notebook in format 4"),
        (b'{"nbformat": 3, "worksheets": []}', "not a Jupyter notebook in format 4"),
        (b'{"nbformat": 4, "cells": [7]}', "a cell is not a JSON object"),
        (b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": 7}]}', "no readable source"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid notebook JSON"),
    ],
    ids=["empty", "binary", "list", "v3", "bad-cell", "bad-source", "deep-nesting"],
)
def test_unreadable_notebooks_say_why(tmp_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(InvalidNotebook, match=reason):
        code_cells(path)


def test_links_fifos_and_folders_are_not_notebooks_and_are_never_opened(tmp_path):
    (tmp_path / "link.ipynb").symlink_to("/dev/zero")
    (tmp_path / "dir.ipynb").mkdir()
    os.mkfifo(tmp_path / "fifo.ipynb")  # opening it would block the grader forever
    for name in ("link.ipynb", "dir.ipynb", "fifo.ipynb"):
        with pytest.raises(InvalidNotebook, match="not a regular file"):
            code_cells(tmp_path / name)
        assert file_digest(tmp_path / name).startswith("not a regular file")
    assert file_digest(tmp_path / "absent.ipynb") is None


# -------------------------------------------------------------------------------------------- the sandbox's reports


def test_report_parsing_keeps_the_first_answer_and_ignores_garbage():
    lines = [
        b"garbage",
        b"[1, 2]",
        json.dumps({"run": 0}).encode(),
        json.dumps({"cell": 0, "error": ["ValueError", "x" * 1000]}).encode(),
        json.dumps({"start": "q1"}).encode(),
        json.dumps(
            {"q": "q1", "results": [{"ok": {"v": {"a": [], "d": [2.0]}, "g": None}}, {"raised": ["KeyError", "k"]}]}
        ).encode(),
        json.dumps({"q": "q1", "results": []}).encode(),  # a second answer (forged) is ignored
        json.dumps({"q": "q2", "results": [{"ok": {"v": {"a": [3], "d": [1.0]}, "g": None}}]}).encode(),  # malformed
        json.dumps({"q": "q3", "results": [{"refused": "returned None"}]}).encode(),
        json.dumps({"q": "q4", "missing": True}).encode(),
        json.dumps({"q": "q5", "not_callable": "int"}).encode(),
        b"[" * 50_000,
        json.dumps({"done": True}).encode(),
    ]
    report = sandbox._parse(b"\n".join(lines))
    assert report.finished and report.cell_errors == {0: ("ValueError", "x" * 300)}
    assert [type(r) for r in report.results["q1"]] == [type(report.results["q1"][0]), Raised]
    assert float(report.results["q1"][0].value) == 2.0
    assert "q2" not in report.results and report.results["q3"] == [Refused("returned None")]
    assert report.missing == {"q4"} and report.not_callable == {"q5": "int"}


def test_sandbox_environment_has_nothing_of_the_graders(monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    cells = [
        "import os\n\ndef env(name):\n    return float(name in os.environ)",
        "def home():\n    return float(os.path.expanduser('~') == os.getcwd())",
    ]
    questions = [
        {"id": "secret", "function": "env", "cases": [encode(Args("SECRET_TOKEN")), encode(Args("PATH"))]},
        {"id": "home", "function": "home", "cases": [encode(Args())]},
    ]
    report = sandbox.run(cells, questions, sandbox.Limits(timeout=30))
    assert [float(r.value) for r in report.results["secret"]] == [0.0, 1.0]
    assert float(report.results["home"][0].value) == 1.0


def test_sandbox_refuses_to_raise_its_own_limits_or_start_processes():
    cells = [
        "import resource, subprocess\n\n"
        "def raise_limit():\n    resource.setrlimit(resource.RLIMIT_AS, (-1, -1))\n\n"
        "def shell():\n    subprocess.run(['true'])"
    ]
    questions = [
        {"id": "a", "function": "raise_limit", "cases": [encode(Args())]},
        {"id": "b", "function": "shell", "cases": [encode(Args())]},
    ]
    report = sandbox.run(cells, questions, sandbox.Limits(timeout=30))
    assert report.results["a"][0] == Raised(
        "PermissionError", "[Errno 13] The grader's sandbox does not allow changing resource limits"
    )
    assert report.results["b"][0] == Raised(
        "PermissionError", "[Errno 13] The grader's sandbox does not allow starting processes"
    )


# -------------------------------------------------------------------------------------------- gradebook details


@pytest.mark.parametrize(
    ("text", "cell"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("-1+2", "'-1+2"), ("@x", "'@x"), ("a\nb", "a b"), ("ok", "ok")],
)
def test_csv_cells_cannot_become_spreadsheet_formulas(text, cell):
    assert _cell(text) == cell


def test_feedback_groups_one_cause_and_escapes_student_text():
    rows = [
        {
            "question": q,
            "title": "t",
            "points": 0,
            "max_points": 1,
            "status": "invalid notebook",
            "message": "The notebook could not be read: it is empty.",
            "details": "",
            "untrusted": [],
        }
        for q in ("q1", "q2")
    ]
    text = feedback_markdown(
        "a`b", [{"notebook": "01_x.ipynb", "rows": rows, "cell_errors": [[0, "E", "```evil", "x = `1`"]]}]
    )
    assert text.splitlines()[:7] == [
        "# Feedback: ``a`b``",
        "",
        "**Total: 0 / 2 points**",
        "",
        "## 01_x.ipynb: 0 / 2 points",
        "",
        "Invalid notebook: The notebook could not be read: it is empty.",
    ]


def test_seeds_differ_per_student_and_notebook_and_repeat():
    assert notebook_seed(1, "ann", "01.ipynb") == notebook_seed(1, "ann", "01.ipynb")
    assert len({notebook_seed(1, s, n) for s in ("ann", "ben") for n in ("01", "02")}) == 4
    assert np.random.default_rng([notebook_seed(1, "ann", "01"), 0]).random() < 1
