"""A time limit on one call of a learner's function, so an infinite loop ends the check instead of the kernel.

The inline check (``check.q1(f)``) calls the learner's function in the learner's own kernel. Without a limit,
``while True:`` in an answer would hang the notebook until the learner finds *Kernel > Interrupt*. With it, the
call is stopped after ``seconds`` and the check says so, in the grader's words (:func:`ran_past`).

How the call is stopped:

- on the main thread of a POSIX process (a Jupyter kernel on Linux or macOS): ``SIGALRM`` from
  ``signal.setitimer``. Its handler raises :class:`TimeLimitExceeded`, a ``BaseException`` so that an
  ``except Exception:`` in the answer cannot swallow it, and the timer re-fires every 0.1 s in case a bare
  ``except:`` does;
- elsewhere (Windows, or a check run from another thread, where signals cannot be used): a trace function
  (``sys.settrace``) that looks at the clock on every line the learner's Python code runs. Slower, but only
  there.

Either way, a loop inside one C call (a single enormous NumPy operation) is stopped only when that call returns;
Python offers no safe way to interrupt C code.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator

DEFAULT_SECONDS = 10.0
_REFIRE_S = 0.1


class TimeLimitExceeded(BaseException):  # noqa: N818 - it is a signal to stop, not an error of the learner's code
    """The learner's function ran past its time limit."""


def ran_past(seconds: float) -> str:
    """The words the inline check and the grader both use for a time-out."""
    return f"ran past the time limit of {seconds:g} s (an infinite loop?)"


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the body once it has run ``seconds``; ``None`` means no limit."""
    if seconds is None:
        yield
        return
    if _can_use_alarm():
        with _alarm(seconds):
            yield
    else:
        with _traced(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:  # not once the body is over: a late signal must not raise in the caller's code
            raise TimeLimitExceeded

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, _REFIRE_S)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:  # someone else's timer was running: give it back what is left of it
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


@contextlib.contextmanager
def _traced(seconds: float) -> Iterator[None]:
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()

    def on_event(frame, event, arg):
        if time.monotonic() > deadline:
            raise TimeLimitExceeded
        return on_event

    sys.settrace(on_event)
    try:
        yield
    finally:
        sys.settrace(previous)


def call_with_time_limit(function: Callable, seconds: float | None, /, *args, **kwargs):
    """``function(*args, **kwargs)``, stopped with :class:`TimeLimitExceeded` after ``seconds``."""
    with time_limit(seconds):
        return function(*args, **kwargs)
