"""An infinite loop in a learner's function ends the inline check with a time-out, not a hung kernel."""

from __future__ import annotations

import signal
import threading
import time

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from course_lib.checks import lesson03
from course_lib.checks._time_limit import TimeLimitExceeded, ran_past, time_limit
from course_lib.grading import sandbox

LOOP = """
def precision_recall(y_true, y_pred, zero_division=0.0):
    n = 0
    while True:  # the learner forgot to advance the loop
        try:
            n += 1
        except Exception:  # and swallows errors, which must not swallow the time limit
            pass
"""


@pytest.fixture
def quick_limit(monkeypatch):
    monkeypatch.setattr(lesson03.q1, "time_limit", 0.5)


def _loop_function():
    namespace = {}
    exec(LOOP, namespace)
    return namespace["precision_recall"]


def test_an_infinite_loop_times_out_on_the_main_thread(quick_limit):
    start = time.monotonic()
    outcome = lesson03.q1.check(_loop_function())
    assert time.monotonic() - start < 5
    assert outcome.status == "timeout" and outcome.points == 0
    assert (
        outcome.message
        == "`precision_recall` ran past the time limit of 0.5 s (an infinite loop?) while the check called it."
    )
    assert outcome.details.startswith("when called as precision_recall(y_true=")
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)  # handler given back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # and no timer left running


def test_an_infinite_loop_times_out_off_the_main_thread_too(quick_limit):
    """Where no signal can be used (a thread, Windows), a trace function stops it."""
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.append(lesson03.q1.check(_loop_function())), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive() and outcomes[0].status == "timeout"


def test_the_wording_is_the_graders():
    assert sandbox._death(None, True, False, sandbox.Limits(timeout=60)) == ran_past(60)
    assert ran_past(60) == "ran past the time limit of 60 s (an infinite loop?)"


def test_an_honest_answer_is_unaffected_and_leaves_no_timer(quick_limit):
    def precision_recall(y_true, y_pred, zero_division=0.0):
        from course_lib.metrics.scores import precision_score, recall_score

        return precision_score(y_true, y_pred, zero_division=zero_division), recall_score(
            y_true, y_pred, zero_division=zero_division
        )

    assert lesson03.q1.check(precision_recall).status == "correct"
    time.sleep(0.7)  # a late alarm would raise here
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_timer_of_the_callers_survives():
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    try:
        with time_limit(5):
            pass
        assert 90 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_time_limit_exceeded_is_not_an_exception_an_answer_can_catch():
    assert not issubclass(TimeLimitExceeded, Exception)


def test_in_a_real_kernel_the_check_cell_ends_and_the_next_cell_runs(tmp_path):
    nb = new_notebook(
        cells=[
            new_code_cell("from course_lib.checks import lesson03 as check\ncheck.q1.time_limit = 1.0"),
            new_code_cell(LOOP),
            new_code_cell("check.q1(precision_recall)"),
            new_code_cell("print('kernel still alive')"),
        ]
    )
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    printed = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert (
        "✗ q1: timeout (0/2 points). `precision_recall` ran past the time limit of 1 s (an infinite loop?)" in printed
    )
    assert nb.cells[3].outputs[0]["text"] == "kernel still alive\n"
    nbformat.validate(nb)
