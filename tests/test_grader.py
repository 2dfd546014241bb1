"""course-grade on an ordinary class: gradebook, feedback, resume after a crash or Ctrl-C, --force, exit codes."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time

import pytest
from _exercise_code import REPO
from _grader_class import (
    EXERCISES,
    MINE,
    SOLUTIONS,
    copy_all,
    read_grades,
    replace_function,
    run_grader,
    solution,
    submit,
)
from markdown_it import MarkdownIt

from course_lib.checks import lesson02
from course_lib.grading import cli, sandbox
from course_lib.grading.grader import GraderError

SWAPPED = '''def count_outcomes(y_true, y_pred):
    """(TP, FP, TN, FN)."""
    actual = np.asarray(y_true) == 1
    predicted = np.asarray(y_pred) == 1
    return np.sum(actual & predicted), np.sum(actual & ~predicted), np.sum(~actual & ~predicted), np.sum(~actual & predicted)'''

RAISES = """def predict(y_score, threshold):
    raise ValueError("<b>not</b> | `ready` [link](javascript:alert(1))")"""


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    submissions = root / "submissions"
    copy_all(submissions / "alice", SOLUTIONS)  # every solution of every lesson
    copy_all(submissions / "bob", EXERCISES)  # every exercise, untouched
    carol = replace_function(replace_function(solution(), "count_outcomes", SWAPPED), "predict", RAISES)
    submit(submissions, "carol", carol)
    (submissions / ".ipynb_checkpoints").mkdir()  # not a student
    out = root / "out"
    result = run_grader(submissions, out, "--jobs", "2", "--timeout", "30")
    assert result.returncode == 0, result.stderr
    return submissions, out, result


def test_solutions_score_full_marks_and_untouched_exercises_zero(small_class):
    submissions, out, _ = small_class
    grades = read_grades(out)
    for student, status in (("alice", "correct"), ("bob", "not attempted")):
        handed_in = {p.name for p in (submissions / student).glob("*.ipynb")}
        rows = [r for (s, n, _), r in grades.items() if s == student and n in handed_in]
        assert len({r["notebook"] for r in rows}) == len(handed_in) >= 4
        assert {r["status"] for r in rows} == {status}, [r for r in rows if r["status"] != status]
        assert all(int(r["points"]) == (int(r["max_points"]) if status == "correct" else 0) for r in rows)


def test_gradebook_has_the_documented_columns_and_one_row_per_question(small_class):
    submissions, out, _ = small_class
    with open(out / "grades.csv", newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == ["student", "notebook", "question", "points", "max_points", "status", "message"]
        rows = list(reader)
    students = sorted({r[0] for r in rows})
    assert students == ["alice", "bob", "carol"]
    notebooks = sorted({r[1] for r in rows})
    assert len(rows) == len(students) * sum(len(cli.lessons()[n].QUESTIONS) for n in notebooks)


def test_diagnosis_error_and_arguments_reach_gradebook_and_feedback(small_class):
    _, out, _ = small_class
    grades = read_grades(out)
    q2 = grades[("carol", "02_confusion_matrix.ipynb", "q2")]
    assert (q2["status"], q2["points"], q2["max_points"]) == ("incorrect", "0", "2")
    assert q2["message"] == next(m.message for m in lesson02.q2.mistakes if m.function.__name__ == "_fp_fn_swapped")
    q1 = grades[("carol", "02_confusion_matrix.ipynb", "q1")]
    assert q1["status"] == "error"
    assert q1["message"] == "`predict` raised ValueError: <b>not</b> | `ready` [link](javascript:alert(1))"
    feedback = (out / "feedback" / "carol.md").read_text()
    assert feedback.startswith("# Feedback: `carol`\n\n**Total: 2 / ")
    assert "### q2: incorrect" in feedback and "```text\nfor count_outcomes(y_true=np.array([" in feedback
    assert "you returned: [" in feedback and "expected:     [" in feedback
    assert "when called as predict(y_score=np.array([" in feedback
    # rendered: the course's code spans are code, the student's exception text is shown as text, never as markup
    html = MarkdownIt("commonmark").enable("table").render(feedback)
    assert (
        "<code>predict</code> raised ValueError: &lt;b&gt;not&lt;/b&gt; | `ready` [link](javascript:alert(1))" in html
    )
    assert "<b>" not in html and "<a " not in html


def test_feedback_totals_match_the_gradebook(small_class):
    _, out, _ = small_class
    grades = read_grades(out)
    for student in ("alice", "bob", "carol"):
        got = sum(int(r["points"]) for (s, _, _), r in grades.items() if s == student)
        of = sum(int(r["max_points"]) for (s, _, _), r in grades.items() if s == student)
        assert f"**Total: {got} / {of} points**" in (out / "feedback" / f"{student}.md").read_text()


def test_rerun_grades_nothing_again_and_a_changed_notebook_is_regraded(small_class, tmp_path):
    submissions, out, _ = small_class
    records = sorted(out.glob("records/*/*.json"))
    before = {p: p.stat().st_mtime_ns for p in records}
    again = run_grader(submissions, out)
    assert again.returncode == 0 and "graded 0 notebooks" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in records} == before
    submit(submissions, "carol", solution())  # carol fixes her notebook
    fixed = run_grader(submissions, out)
    assert "graded 1 notebooks" in fixed.stderr
    assert read_grades(out)[("carol", "02_confusion_matrix.ipynb", "q2")]["status"] == "correct"


def test_force_regrades_everything_with_fresh_random_cases(small_class):
    submissions, out, _ = small_class
    seeds = {p: json.loads(p.read_text())["seed"] for p in out.glob("records/*/*.json")}
    forced = run_grader(submissions, out, "--force", "--jobs", "2")
    assert forced.returncode == 0
    assert f"graded {len(seeds)} notebooks" in forced.stderr
    assert all(json.loads(p.read_text())["seed"] != seed for p, seed in seeds.items())


def _start(submissions, out):
    command = [
        sys.executable,
        "-m",
        "course_lib.grading",
        str(submissions),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--no-progress",
    ]
    return subprocess.Popen(
        command, cwd=REPO, stderr=subprocess.PIPE, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    )


def _wait_for_records(out, n, process, limit=120.0):
    deadline = time.monotonic() + limit
    while len(list(out.glob("records/*/*.json"))) < n:
        assert process.poll() is None, "the grader finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_interrupted_run_resumes_and_loses_nothing(tmp_path, how):
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for student in ("ann", "ben"):
        copy_all(submissions / student, SOLUTIONS, MINE)
    process = _start(submissions, out)
    _wait_for_records(out, 2, process)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    saved = sorted(out.glob("records/*/*.json"))
    assert all(json.loads(p.read_text())["rows"] for p in saved)  # every record on disk is whole
    if how == signal.SIGINT:
        assert not list(out.rglob("*.tmp"))
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert stderr.strip().splitlines()[-1].startswith("course-grade: interrupted after")
        assert "Run the same command again to resume." in stderr
    resumed = run_grader(submissions, out, "--jobs", "2")
    assert resumed.returncode == 0
    total = 2 * len(cli.lessons())
    assert (
        f"graded {total - len(saved)} notebooks" in resumed.stderr and f"{len(saved)} already graded" in resumed.stderr
    )
    grades = read_grades(out)
    handed_in = {p.name for p in (submissions / "ann").glob("*.ipynb")}
    assert {r["status"] for (s, n, _), r in grades.items() if n in handed_in} == {"correct"}


# -------------------------------------------------------------------------------------------- exit status


def _one_line_error(result, text, code):
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("course-grade: error: ") and text in lines[0]


def test_missing_submissions_folder(tmp_path):
    _one_line_error(run_grader(tmp_path / "nowhere", tmp_path / "out"), "is not a folder", 2)


def test_class_without_student_folders(tmp_path):
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "stray.ipynb").write_text("{}")
    _one_line_error(run_grader(tmp_path / "submissions", tmp_path / "out"), "holds no student folders", 2)


def test_output_inside_the_submissions(tmp_path):
    (tmp_path / "submissions" / "ann").mkdir(parents=True)
    _one_line_error(run_grader(tmp_path / "submissions", tmp_path / "submissions" / "out"), "must not be inside", 2)


def test_output_that_is_a_file(tmp_path):
    (tmp_path / "submissions" / "ann").mkdir(parents=True)
    (tmp_path / "out").write_text("")
    _one_line_error(run_grader(tmp_path / "submissions", tmp_path / "out"), "cannot create", 2)


def test_nonsense_limits(tmp_path):
    (tmp_path / "submissions" / "ann").mkdir(parents=True)
    _one_line_error(run_grader(tmp_path / "submissions", tmp_path / "out", "--jobs", "0"), "--jobs at least 1", 2)


def test_second_grader_on_the_same_output_is_refused(tmp_path):
    import fcntl

    (tmp_path / "submissions" / "ann").mkdir(parents=True)
    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _one_line_error(run_grader(tmp_path / "submissions", tmp_path / "out"), "another course-grade is writing", 2)


def test_sandbox_that_cannot_run_python_stops_the_grader():
    with pytest.raises(GraderError, match="the sandbox cannot run a trivial notebook"):
        cli._preflight(sandbox.Limits(timeout=30, memory_mb=16))
