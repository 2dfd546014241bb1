"""Questions, typed outcomes and diagnosed mistakes: the machinery under every ``check.qN``.

A :class:`Question` knows the learner's function name, a reference answer
computed with course_lib, fixed and random test cases, hints, and the typical
mistakes, each a small function computing what the mistaken code returns. Judging
an answer is one pure function, :meth:`Question.judge`, from the cases and what
the learner's function returned on them to an :class:`Outcome`. The inline check
(``check.q1(f)``) calls ``f`` right here; the class grader calls it in a sandbox and
brings back only the converted numbers; both then judge with the same code.

The four outcomes a learner can see:

- ``not attempted``: the function still raises ``NotImplementedError`` (the stub);
- ``error``: the function raised; the message names the exception and the call;
- ``incorrect``: a diagnosis (a recognised mistake, or what differs), the learner's
  value and the expected one for the first case that differs;
- ``correct``.

The grader adds its own: ``missing`` (no such function in the notebook),
``not from scratch``, ``timeout``, ``crashed``, ``invalid notebook`` and
``not submitted``.
"""

from __future__ import annotations

import inspect
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from course_lib.checks import _time_limit
from course_lib.checks._args import Args, format_value
from course_lib.checks._plain import (
    NotPlain,
    Returned,
    describe,
    has_unexpected_nan,
    same,
    same_structure,
    shape_of,
    to_plain,
)

CORRECT = "correct"
INCORRECT = "incorrect"
ERROR = "error"
NOT_ATTEMPTED = "not attempted"
# Outcomes only the grader produces.
MISSING = "missing"
NOT_FROM_SCRATCH = "not from scratch"
TIMEOUT = "timeout"
CRASHED = "crashed"
INVALID_NOTEBOOK = "invalid notebook"
NOT_SUBMITTED = "not submitted"
STATUSES = (CORRECT, INCORRECT, ERROR, NOT_ATTEMPTED, MISSING, NOT_FROM_SCRATCH, TIMEOUT, CRASHED)
STATUSES += (INVALID_NOTEBOOK, NOT_SUBMITTED)

_MARK = {CORRECT: "✓", NOT_ATTEMPTED: "…"}
GRADING_ENV = "COURSE_LIB_GRADING"
DEFAULT_FORBIDDEN = ("course_lib", "sklearn", "torchmetrics")


@dataclass(frozen=True)
class Outcome:
    """The verdict on one answer. ``details`` holds the call, the learner's value and the expected one.

    ``message`` is Markdown written by the course (code in backticks, *emphasis*), except the substrings listed
    in ``untrusted``: text that came from the learner's code (an exception's class name and message, a refusal
    reason the sandbox reported), which a renderer must show as literal text (see grading.gradebook).
    """

    question: str
    status: str
    message: str
    points: int
    max_points: int
    details: str = ""
    untrusted: tuple[str, ...] = ()

    def __str__(self) -> str:
        mark = _MARK.get(self.status, "✗")
        status = "not attempted yet" if self.status == NOT_ATTEMPTED else self.status
        head = f"{mark} {self.question}: {status} ({self.points}/{self.max_points} points)"
        text = f"{head}. {self.message}" if self.message else head
        if self.details:
            text += "\n" + "\n".join("  " + line for line in self.details.splitlines())
        return text


# What came back from one call of the learner's function.
@dataclass(frozen=True)
class Raised:
    """The learner's function raised ``kind`` (the exception's class name) with ``text``."""

    kind: str
    text: str


@dataclass(frozen=True)
class Refused:
    """The return value was not plain numbers; ``reason`` says why (see _plain.to_plain)."""

    reason: str


@dataclass(frozen=True)
class TimedOut:
    """The learner's function was stopped after ``seconds`` (see _time_limit)."""

    seconds: float


Result = Returned | Raised | Refused | TimedOut


def call_learner(function: Callable, case: Args, time_limit: float | None = None) -> Result:
    """Call the learner's function on a fresh copy of ``case`` (stopped after ``time_limit`` seconds, if given)
    and convert what it returns."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the diagnosis explains a NaN better than a RuntimeWarning
            with _time_limit.time_limit(time_limit):
                value = case.call(function)
    except _time_limit.TimeLimitExceeded:
        return TimedOut(time_limit)
    except NotImplementedError as exc:
        return Raised("NotImplementedError", _raising_function(exc))
    except Exception as exc:  # noqa: BLE001 - any exception of the learner's code is an outcome
        return Raised(type(exc).__name__, _exception_text(exc))
    try:
        return to_plain(value)
    except NotPlain as why:
        return Refused(str(why))


def _raising_function(exc: BaseException) -> str:
    """The name of the function that raised (a stub of another question, maybe)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    name = tb.tb_frame.f_code.co_name if tb is not None else ""
    return name if name.isidentifier() else ""


def _exception_text(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a hostile __str__
        text = ""
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: ``function`` computes what the mistaken code returns; ``message`` explains it."""

    message: str
    function: Callable


class Question:
    """One exercise question; see course_lib/checks/README.md for every argument."""

    def __init__(
        self,
        id: str,
        *,
        points: int,
        function: str,
        title: str,
        reference: Callable,
        fixed: Sequence[Args],
        random: Callable[[np.random.Generator], Args],
        n_random: int = 10,
        hints: Sequence[str] = (),
        error_hints: dict[str, str] | None = None,
        from_scratch: bool = True,
        forbidden: Sequence[str] = DEFAULT_FORBIDDEN,
        rtol: float = 1e-6,
        atol: float = 1e-9,
        time_limit: float = _time_limit.DEFAULT_SECONDS,
    ):
        if not (isinstance(points, int) and points > 0):
            raise ValueError(f"Expected argument `points` to be a positive int, but got {points!r}.")
        if not fixed or not all(isinstance(case, Args) for case in fixed):
            raise ValueError("Expected argument `fixed` to be a non-empty list of Args, but got something else.")
        self.id = id
        self.points = points
        self.function = function
        self.title = title
        self.reference = reference
        self.fixed = list(fixed)
        self.random = random
        self.n_random = n_random
        self.hints = list(hints)
        self.error_hints = dict(error_hints or {})
        self.from_scratch = from_scratch
        self.forbidden = tuple(forbidden)
        self.rtol, self.atol = rtol, atol
        self.time_limit = time_limit  # seconds per call of the learner's function in the inline check
        self.mistakes: list[Mistake] = []
        # The checks module that defines the question: where solution() finds its text.
        self.module = sys._getframe(1).f_globals.get("__name__", "")

    def __repr__(self) -> str:
        return f"<Question {self.id} ({self.points} points): {self.function} - {self.title}>"

    # -- declaring -------------------------------------------------------------------------------------------------

    def mistake(self, message: str):
        """Decorator: ``@q1.mistake("You swapped ...")`` above a function computing the mistaken answer."""

        def register(function: Callable) -> Callable:
            self.mistakes.append(Mistake(message, function))
            return function

        return register

    # -- cases -----------------------------------------------------------------------------------------------------

    def cases(self, seed=None, n_random: int | None = None) -> list[Args]:
        """The fixed cases, then ``n_random`` fresh ones from ``np.random.default_rng(seed)``."""
        rng = np.random.default_rng(seed)
        count = self.n_random if n_random is None else n_random
        return self.fixed + [self.random(rng) for _ in range(count)]

    def expected(self, case: Args) -> Returned:
        """The reference answer for one case, converted like the learner's."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return to_plain(case.call(self.reference))

    # -- judging ---------------------------------------------------------------------------------------------------

    def judge(self, cases: Sequence[Args], results: Sequence[Result], graded: bool = False) -> Outcome:
        """The outcome of an answer that returned ``results[i]`` on ``cases[i]``.

        ``graded=True`` words the messages for a grade report (the class grader), not for a learner about to
        run the check again.
        """
        for result in results:
            if isinstance(result, Raised) and result.kind == "NotImplementedError":
                if result.text.isidentifier() and result.text not in (self.function, "<module>"):
                    then = "so it could not be graded." if graded else "answer that question first."
                    return self.outcome(
                        NOT_ATTEMPTED,
                        f"`{self.function}` calls `{result.text}`, which still raises NotImplementedError: {then}",
                    )
                if graded:
                    message = f"`{self.function}` still raises NotImplementedError: its body was not written."
                else:
                    message = (
                        f"Write the body of `{self.function}` (replace the `raise NotImplementedError(...)` line), "
                        "then run this check again."
                    )
                return self.outcome(NOT_ATTEMPTED, message)
        for case, result in zip(cases, results, strict=True):
            if isinstance(result, Raised):
                hint = self.error_hints.get(result.kind, "")
                message = f"`{self.function}` raised {result.kind}: {result.text}".rstrip(": ")
                details = f"when called as {self.format_call(case)}"
                untrusted = tuple(t for t in (result.kind, result.text) if t)
                return self.outcome(ERROR, message + (f" {hint}" if hint else ""), details, untrusted)
        for case, result in zip(cases, results, strict=True):
            if isinstance(result, Refused):
                reason = result.reason if result.reason.endswith((".", "?", "!")) else result.reason + "."
                message = f"`{self.function}` {reason}"
                return self.outcome(INCORRECT, message, f"for {self.format_call(case)}", (reason,))
        expected = [self.expected(case) for case in cases]
        wrong = [i for i, (e, r) in enumerate(zip(expected, results, strict=True)) if not self._same(e, r)]
        if not wrong:
            return self.outcome(CORRECT, "")
        first = wrong[0]
        details = (
            f"for {self.format_call(cases[first])}\n"
            f"you returned: {describe(results[first].value)}\n"
            f"expected:     {describe(expected[first].value)}"
        )
        return self.outcome(INCORRECT, self._diagnose(cases, results, expected, first), details=details)

    def _same(self, expected: Returned, got: Returned) -> bool:
        return same(expected, got, rtol=self.rtol, atol=self.atol)

    def _diagnose(self, cases, results, expected, first) -> str:
        for mistake in self.mistakes:
            if self._matches(mistake, cases, results):
                return mistake.message
        e, r = expected[first], results[first]
        if not same_structure(e.value, r.value):
            return f"`{self.function}` should return {shape_of(e.value)}, but it returned {shape_of(r.value)}."
        if e.grad and not r.grad:
            return (
                "Your result is detached from the autograd graph (.item(), .detach(), .numpy() or torch.tensor(...) "
                "on a computed value), so no gradient can flow back through it."
            )
        if has_unexpected_nan(e.value, r.value):
            return "Your function returned NaN where a number was expected: is there a 0 / 0 somewhere?"
        return "Your function returned a different value; compare with the expected one below."

    def _matches(self, mistake: Mistake, cases, results) -> bool:
        for case, result in zip(cases, results, strict=True):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    mistaken = to_plain(case.call(mistake.function))
            except Exception:  # noqa: BLE001 - a mistake that does not apply to this case cannot match
                return False
            if not self._same(mistaken, result):
                return False
        return True

    def outcome(self, status: str, message: str, details: str = "", untrusted: Sequence[str] = ()) -> Outcome:
        points = self.points if status == CORRECT else 0
        return Outcome(self.id, status, message, points, self.points, details, tuple(untrusted))

    def format_call(self, case: Args) -> str:
        """``precision_recall(y_true=[1, 0], y_pred=[1, 1], zero_division=1.0)``, named like the reference."""
        try:
            bound = inspect.signature(self.reference).bind(*case.args, **case.kwargs)
            parts = [f"{name}={format_value(value)}" for name, value in bound.arguments.items()]
        except (TypeError, ValueError):
            parts = [format_value(a) for a in case.args] + [f"{k}={format_value(v)}" for k, v in case.kwargs.items()]
        return f"{self.function}({', '.join(parts)})"

    # -- the learner's side ----------------------------------------------------------------------------------------

    def check(self, function, seed=None) -> Outcome:
        """Judge ``function`` on the fixed cases and ``n_random`` fresh random ones; nothing printed."""
        if not callable(function):
            return self.outcome(
                INCORRECT,
                f"Pass the function itself, without calling it: check.{self.id}({self.function}) - "
                f"you passed {format_value(function)[:60]}.",
            )
        cases = self.cases(seed)
        results = []
        for case in cases:
            result = call_learner(function, case, time_limit=self.time_limit)
            if isinstance(result, TimedOut):  # the other cases would likely loop too: stop here
                message = f"`{self.function}` {_time_limit.ran_past(result.seconds)} while the check called it."
                return self.outcome(TIMEOUT, message, f"when called as {self.format_call(case)}")
            results.append(result)
        return self.judge(cases, results)

    def __call__(self, function) -> None:
        """Check ``function`` and print the outcome (what a learner runs in the notebook)."""
        if os.environ.get(GRADING_ENV) == "1":
            print(f"{self.id}: checked by the grader")
            return
        outcome = self.check(function)
        print(outcome)
        if outcome.status in (INCORRECT, ERROR, TIMEOUT) and self.hints and callable(function):
            print(f"  Stuck? check.{self.id}.hint()")

    def hint(self, n: int = 1) -> None:
        """Print hint ``n`` (1 = the most general)."""
        if not self.hints:
            print(f"{self.id}: no hints for this one, sorry. check.{self.id}.solution() shows the answer.")
            return
        if not (isinstance(n, int) and 1 <= n <= len(self.hints)):
            print(f"{self.id} has hints 1 to {len(self.hints)}: check.{self.id}.hint(1)")
            return
        more = f" (next: check.{self.id}.hint({n + 1}))" if n < len(self.hints) else ""
        print(f"{self.id} hint {n}/{len(self.hints)}{more}: {self.hints[n - 1]}")

    def solution(self) -> None:
        """Print the solution code, taken from the answer cell of the solutions notebook."""
        from course_lib.checks._solutions import SOLUTIONS

        lesson = self.module.rsplit(".", 1)[-1]
        code = SOLUTIONS.get(lesson, {}).get(self.function)
        if code is None:
            print(f"{self.id}: no stored solution (run `make exercises` to regenerate them).")
            return
        print(f"{self.id} solution:\n\n{code}")
