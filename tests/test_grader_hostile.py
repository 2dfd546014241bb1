"""A class full of hostile submissions, graded in one real run of course-grade (--jobs 2).

Each hostile student hands in a tampered copy of the lesson 02 solutions notebook (or a broken file). Every one
must get a clear status, the honest students in the same run must be unaffected (alice: every solution, full
marks; bob: every untouched exercise, zero and 'not attempted'), and nothing may be written outside the sandbox.
"""

from __future__ import annotations

import os

import pytest
from _grader_class import (
    EXERCISES,
    LESSON,
    MINE,
    SOLUTIONS,
    copy_all,
    insert_cell,
    read_grades,
    replace_function,
    rows_of,
    run_grader,
    solution,
    submit,
)

TIMEOUT = "8"  # seconds per notebook run: generous for a busy machine, short for the infinite loops

WRONG_COUNTS = """def count_outcomes(y_true, y_pred):
    return 0, 0, 0, 0"""

LIAR = """class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __abs__(self):
        return 0

    def __lt__(self, other):
        return False

    __hash__ = None


class SneakyFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def count_outcomes(y_true, y_pred):
    return AlwaysEqual()"""

LIAR_PREDICT = """def predict(y_score, threshold):
    return [SneakyFloat(1.0) for _ in y_score]"""

HARDCODED = """def count_outcomes(y_true, y_pred):
    if list(y_true) == [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0]:
        return 9, 2, 6, 3
    if list(y_true) == [1, 1, 0, 0, 1]:
        return 1, 1, 1, 2
    return 1, 1, 1, 1"""

SKLEARN_COUNTS = """from sklearn.metrics import confusion_matrix as cm


def count_outcomes(y_true, y_pred):
    tn, fp, fn, tp = cm(y_true, y_pred, labels=[0, 1]).ravel()
    return tp, fp, tn, fn"""

HIDDEN_IMPORT = """def precision_recall_from_matrix(cm):
    metrics = __import__("sklearn.metrics", fromlist=["precision_score"])
    return metrics.precision_score([1], [1]), metrics.recall_score([1], [1])"""

EXPLORING_WITH_SKLEARN = """from sklearn.metrics import accuracy_score

print("sklearn says", accuracy_score([0, 1], [0, 1]))"""

MONKEYPATCH = """import sys
import types

import numpy

import course_lib.checks.framework as framework

framework.Question.judge = lambda self, cases, results: framework.Outcome(self.id, "correct", "", self.points, self.points)
framework.Question.check = lambda self, function, seed=None: framework.Outcome(self.id, "correct", "", 9, 9)
sys.modules["course_lib.checks.lesson02"] = types.SimpleNamespace(QUESTIONS=())
numpy.allclose = lambda *args, **kwargs: True
numpy.array_equal = lambda *args, **kwargs: True
# forge results on every descriptor the process has open
for fd in range(3, 64):
    try:
        os.write(fd, b'{"q": "q2", "results": [{"ok": {"v": {"a": [4], "d": [9, 2, 6, 3]}, "g": null}}]}\\n')
    except OSError:
        pass
try:
    os.kill(os.getppid(), 9)
except OSError as error:
    print("could not kill the grader:", error)"""

FAKE_PRINT = """print("✓ q1: correct (1/1 points)")
print("✓ q2: correct (2/2 points)")
print("All tests passed. Score: 6/6")"""

SILENCE = """ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
ip._showtraceback = lambda *args, **kwargs: None"""

FLOOD = """import sys

for _ in range(400):
    print("spam " * 10_000)
    sys.stderr.write("more spam " * 1_000 + "\\n")"""


def writer_cell(outside) -> str:
    return f"""import pathlib
import shutil

for target in [{str(outside / "absolute.txt")!r}, "../escape.txt", "../../escape.txt"]:
    try:
        with open(target, "w") as f:
            f.write("pwned")
    except PermissionError as error:
        print("refused:", error)
pathlib.Path("inside.txt").write_text("writing in my own folder is fine")
shutil.copy("inside.txt", {str(outside / "copied.txt")!r})"""


def reader_cell(submissions) -> str:
    return f"print(open({str(submissions / 'alice' / LESSON)!r}).read()[:100])"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    submissions, out, outside = root / "submissions", root / "out", root / "outside"
    outside.mkdir()
    copy_all(submissions / "alice", SOLUTIONS, MINE)
    copy_all(submissions / "bob", EXERCISES, MINE)
    submit(submissions, "loop_cell", insert_cell(solution(), "while True:\n    pass"))
    submit(
        submissions,
        "loop_function",
        replace_function(solution(), "predict", "def predict(y_score, threshold):\n    while True:\n        pass"),
    )
    membomb = insert_cell(solution(), "hog = bytearray(50 * 1024**3)")
    replace_function(membomb, "predict", "def predict(y_score, threshold):\n    return [0] * 10**11")
    submit(submissions, "membomb", membomb)
    submit(submissions, "exits", insert_cell(solution(), "import os\n\nos._exit(3)"))
    submit(submissions, "segfault", insert_cell(solution(), "import ctypes\n\nctypes.string_at(0)"))
    submit(submissions, "flood", insert_cell(solution(), FLOOD))
    submit(
        submissions,
        "monkeypatch",
        replace_function(insert_cell(solution(), MONKEYPATCH), "count_outcomes", WRONG_COUNTS),
    )
    submit(
        submissions,
        "fake_print",
        replace_function(insert_cell(solution(), FAKE_PRINT, False), "count_outcomes", WRONG_COUNTS),
    )
    silence = insert_cell(insert_cell(solution(), "raise ValueError('hidden?')"), SILENCE)
    submit(submissions, "silence", replace_function(silence, "count_outcomes", WRONG_COUNTS))
    submit(
        submissions,
        "liar",
        replace_function(replace_function(solution(), "count_outcomes", LIAR), "predict", LIAR_PREDICT),
    )
    submit(submissions, "hardcoded", replace_function(solution(), "count_outcomes", HARDCODED))
    sklearn = replace_function(solution(), "count_outcomes", SKLEARN_COUNTS)
    submit(
        submissions,
        "sklearn",
        insert_cell(replace_function(sklearn, "precision_recall_from_matrix", HIDDEN_IMPORT), EXPLORING_WITH_SKLEARN),
    )
    submit(submissions, "writer", insert_cell(insert_cell(solution(), writer_cell(outside)), reader_cell(submissions)))
    submit(submissions, "corrupt", b'{"cells": [{"cell_type": "code", "source": "def predict(')
    submit(submissions, "empty", b"")
    renamed = solution()
    for cell in renamed.cells:
        cell.source = cell.source.replace("def count_outcomes(", "def count_outcome(")
    submit(submissions, "renamed", renamed)
    missing = solution()
    missing.cells = [c for c in missing.cells if not c.source.startswith("def precision_recall_from_matrix(")]
    submit(submissions, "missing_cell", missing)
    (submissions / "symlink").mkdir()
    os.symlink(submissions / "alice" / LESSON, submissions / "symlink" / LESSON)
    result = run_grader(submissions, out, "--jobs", "2", "--timeout", TIMEOUT, "--memory", "1024")
    return result, read_grades(out), out, outside


def statuses(grades, student) -> dict[str, str]:
    return {q: r["status"] for q, r in rows_of(grades, student).items()}


def test_the_run_finishes_with_exit_status_zero(graded):
    result, grades, out, _ = graded
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("course-grade: graded")
    assert not list(out.rglob("*.tmp"))


def test_honest_students_are_unaffected(graded):
    """Every notebook alice handed in (all solutions) scores full marks; bob's untouched exercises score zero."""
    _, grades, out, _ = graded
    submissions = out.parent / "submissions"
    for student, status in (("alice", "correct"), ("bob", "not attempted")):
        handed_in = {p.name for p in (submissions / student).glob("*.ipynb")}
        rows = [r for (s, n, _), r in grades.items() if s == student and n in handed_in]
        assert rows and {r["status"] for r in rows} == {status}
        assert all(r["points"] == (r["max_points"] if status == "correct" else "0") for r in rows)


def test_infinite_loop_in_a_cell_times_out_the_notebook(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "loop_cell")
    assert {r["status"] for r in rows.values()} == {"timeout"}
    assert (
        "ran past the time limit of 8 s (an infinite loop?) while running code cell 3 (`while True:`)"
        in rows["q1"]["message"]
    )


def test_infinite_loop_in_one_function_costs_only_that_question(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "loop_function")
    assert statuses(grades, "loop_function") == {"q1": "timeout", "q2": "correct", "q3": "correct", "q4": "correct"}
    assert (
        rows["q1"]["message"]
        == "`predict` ran past the time limit of 8 s (an infinite loop?) while the grader called it."
    )


def test_memory_bomb_is_a_memory_error_not_a_dead_grader(graded):
    _, grades, out, _ = graded
    rows = rows_of(grades, "membomb")
    assert statuses(grades, "membomb") == {"q1": "error", "q2": "correct", "q3": "correct", "q4": "correct"}
    assert rows["q1"]["message"].startswith("`predict` raised MemoryError")
    assert (
        "code cell 3 (`hog = bytearray(50 * 1024**3)`): `MemoryError" in (out / "feedback" / "membomb.md").read_text()
    )


def test_os_exit_is_reported_as_a_crash(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "exits")
    assert {r["status"] for r in rows.values()} == {"crashed"}
    assert "ended the Python process (exit status 3)" in rows["q2"]["message"]


def test_segfault_is_reported_as_a_crash(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "segfault")
    assert {r["status"] for r in rows.values()} == {"crashed"}
    assert "crashed the Python process with a segmentation fault while running code cell 3" in rows["q1"]["message"]


def test_flood_of_output_changes_nothing(graded):
    _, grades, _, _ = graded
    assert set(statuses(grades, "flood").values()) == {"correct"}


def test_monkeypatching_the_checks_and_forging_results_does_not_pass(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "monkeypatch")
    assert rows["q2"]["status"] == "incorrect"
    assert rows["q2"]["points"] == "0"
    assert rows["q1"]["status"] == "correct"  # its honest answers still count


def test_printing_a_fake_success_line_does_not_pass(graded):
    _, grades, _, _ = graded
    assert rows_of(grades, "fake_print")["q2"]["status"] == "incorrect"


def test_silenced_tracebacks_do_not_hide_errors_or_wrong_answers(graded):
    _, grades, out, _ = graded
    assert rows_of(grades, "silence")["q2"]["status"] == "incorrect"
    assert "`ValueError: hidden?`" in (out / "feedback" / "silence.md").read_text()


def test_objects_that_claim_to_equal_anything_are_refused(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "liar")
    assert rows["q1"]["status"] == rows["q2"]["status"] == "incorrect"
    assert (
        rows["q1"]["message"]
        == "`predict` returned an object of type `SneakyFloat`, a subclass of float; return a plain float (float(x))."
    )
    assert rows["q2"]["message"].startswith("`count_outcomes` returned an object of type `AlwaysEqual`")


def test_answers_hard_coded_for_the_visible_examples_fail_on_fresh_inputs(graded):
    _, grades, _, _ = graded
    assert statuses(grades, "hardcoded")["q2"] == "incorrect"


def test_library_calls_in_from_scratch_answers_are_rejected(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "sklearn")
    assert statuses(grades, "sklearn") == {
        "q1": "correct",  # exploring with sklearn elsewhere in the notebook is fine
        "q2": "not from scratch",
        "q3": "not from scratch",  # it calls count_outcomes, which uses sklearn
        "q4": "not from scratch",
    }
    assert rows["q2"]["message"].startswith("`count_outcomes` must be written from scratch, but it uses sklearn")
    assert rows["q4"]["message"].startswith(
        "`precision_recall_from_matrix` must be written from scratch, but it uses `__import__`, which hides what it"
    )


def test_writing_outside_the_sandbox_and_reading_other_submissions_are_refused(graded):
    _, grades, out, outside = graded
    assert set(statuses(grades, "writer").values()) == {"correct"}
    assert list(outside.iterdir()) == []
    assert not (outside.parent / "escape.txt").exists()
    feedback = (out / "feedback" / "writer.md").read_text()
    assert (
        "PermissionError: [Errno 13] The grader's sandbox does not allow writing outside the notebook's folder"
        in feedback
    )
    assert "does not allow reading other submissions or the grades" in feedback


@pytest.mark.parametrize(
    ("student", "reason"),
    [
        ("corrupt", "The notebook could not be read: it is not valid notebook JSON (a corrupt or truncated file?)."),
        ("empty", "The notebook could not be read: the file is empty."),
        ("symlink", "The notebook could not be read: it is not a regular file (a link or a folder?)."),
    ],
)
def test_unreadable_notebooks_are_invalid(graded, student, reason):
    _, grades, _, _ = graded
    rows = rows_of(grades, student)
    assert {r["status"] for r in rows.values()} == {"invalid notebook"}
    assert {r["message"] for r in rows.values()} == {reason}


def test_renamed_function_is_missing_with_a_suggestion(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "renamed")
    assert rows["q2"]["status"] == "missing"
    assert (
        rows["q2"]["message"]
        == "The notebook defines no function `count_outcomes`; did you rename it to `count_outcome`? Keep the given name."
    )
    assert rows["q3"]["status"] == "error" and "NameError" in rows["q3"]["message"]  # textbook_matrix calls it


def test_deleted_cell_is_missing(graded):
    _, grades, _, _ = graded
    rows = rows_of(grades, "missing_cell")
    assert rows["q4"]["status"] == "missing"
    assert (
        rows["q4"]["message"]
        == "The notebook defines no function `precision_recall_from_matrix` (was its cell deleted? the exercise notebook has it)."
    )
    assert rows["q1"]["status"] == "correct"


def test_students_without_the_notebook_are_not_submitted(graded):
    _, grades, _, _ = graded
    rows = [r for (s, n, _), r in grades.items() if s == "flood" and n != LESSON]
    assert rows and {r["status"] for r in rows} == {"not submitted"}
