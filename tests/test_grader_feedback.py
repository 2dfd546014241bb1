"""The feedback files render as the Markdown the course wrote, and a student's own text never becomes markup.

Rendered with markdown-it-py (CommonMark, what JupyterLab's and GitHub's renderers follow), not read as source.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from course_lib.checks import lesson02, lesson03
from course_lib.checks.framework import Raised, Refused
from course_lib.grading.gradebook import feedback_markdown


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def record(*rows: dict, cell_errors=()) -> dict:
    return {"notebook": "03_precision_recall_f1.ipynb", "rows": list(rows), "cell_errors": list(cell_errors)}


def row_of(question, outcome) -> dict:
    from dataclasses import asdict

    return {"title": question.title, **asdict(outcome)}


HOSTILE = "<b>bold</b> <img src=x onerror=alert(1)> [link](javascript:alert(1)) *star* `tick` ``` _u_ # h \\ &amp;"


def text_of(html: str) -> str:
    """What a reader sees: the rendered text with tags removed and entities decoded."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_a_diagnosis_renders_its_code_and_emphasis():
    q1 = lesson03.q1
    mistake = next(m for m in q1.mistakes if "*" in m.message or "`" in m.message)
    wrong = q1.judge(q1.fixed, [_returned(q1, mistake.function, c) for c in q1.fixed])
    assert wrong.status == "incorrect" and wrong.message == mistake.message
    html = render(
        feedback_markdown("ann", [record(row_of(q1, wrong), row_of(lesson03.q2, lesson03.q2.outcome("correct", "")))])
    )
    assert "<code>" in html
    assert "\\" not in text_of(html), html  # no stray backslash shown to the reader
    assert "`" not in text_of(html), html  # no literal backtick: every code span rendered as code
    if "*" in mistake.message:
        assert "<em>" in html and "*" not in text_of(html)


def _returned(question, function, case):
    from course_lib.checks._plain import to_plain

    return to_plain(case.call(function))


def test_a_students_exception_text_is_shown_literally_and_the_courses_words_as_markdown():
    q = lesson02.q1
    outcome = q.judge(q.fixed, [Raised("ValueError", HOSTILE)] * len(q.fixed), graded=True)
    html = render(
        feedback_markdown("ann", [record(row_of(q, outcome), row_of(lesson02.q2, lesson02.q2.outcome("correct", "")))])
    )
    shown = text_of(html)
    assert HOSTILE in shown, shown  # every character of the student's text, as text
    for tag in ("<b>", "<img", "<a ", "<em>", "<h"):
        assert tag not in html.replace("<h1>", "").replace("<h2>", "").replace("<h3>", ""), (tag, html)
    assert f"<code>{q.function}</code> raised ValueError" in html  # the course's code span still renders


def test_a_students_exception_class_name_cannot_inject_either():
    q = lesson02.q1
    kind = "E<script>x</script>[a](b)"
    outcome = q.judge(q.fixed, [Raised(kind, "t")] * len(q.fixed), graded=True)
    html = render(
        feedback_markdown("ann", [record(row_of(q, outcome), row_of(lesson02.q2, lesson02.q2.outcome("correct", "")))])
    )
    assert "<script>" not in html and "<a " not in html and kind in text_of(html)


def test_a_refusal_reason_from_the_sandbox_is_literal():
    q = lesson02.q1
    outcome = q.judge(q.fixed, [Refused("returned [x](javascript:1) <i>")] * len(q.fixed), graded=True)
    html = render(
        feedback_markdown("ann", [record(row_of(q, outcome), row_of(lesson02.q2, lesson02.q2.outcome("correct", "")))])
    )
    assert "<a " not in html and "<i>" not in html and "returned [x](javascript:1) <i>." in text_of(html)


@pytest.mark.parametrize("first_line", ["x = `1`", "```", "<b>x</b>", "a `` b", "`"])
def test_cell_lines_in_messages_and_cell_errors_are_code_that_cannot_be_closed(first_line):
    q = lesson02.q1
    message = f"Not graded: the notebook ran past the time limit while running code cell 3 (`{first_line}`)."
    rows = [
        row_of(q, q.outcome("timeout", message, "", (first_line,))),
        row_of(lesson02.q2, lesson02.q2.outcome("correct", "")),
    ]
    html = render(feedback_markdown("ann", [record(*rows, cell_errors=[[2, "E<b>", first_line, first_line]])]))
    codes = [text_of(c) for c in re.findall(r"<code>(.*?)</code>", html, flags=re.S)]
    assert first_line.strip() in [c.strip() for c in codes], (codes, html)
    assert "<b>" not in html


def test_a_grade_report_does_not_ask_to_run_a_check_again():
    q = lesson03.q1
    graded = q.judge(q.fixed, [Raised("NotImplementedError", q.function)] * len(q.fixed), graded=True)
    inline = q.judge(q.fixed, [Raised("NotImplementedError", q.function)] * len(q.fixed))
    assert "run this check again" in inline.message
    assert (
        "check" not in graded.message
        and graded.message == f"`{q.function}` still raises NotImplementedError: its body was not written."
    )


def test_records_from_before_untrusted_was_recorded_are_shown_all_literal():
    old = {"question": "q1", "title": "t", "points": 0, "max_points": 1, "status": "error", "details": "",
           "message": "`f` raised E: [a](javascript:1)"}  # fmt: skip
    html = render(feedback_markdown("ann", [record(old, {**old, "question": "q2", "status": "correct", "points": 1})]))
    assert "<a " not in html and "`f` raised E: [a](javascript:1)" in text_of(html)
