"""What every tests/test_checks_lessonNN.py shares: feeding a learner's wrong function to a question.

A lesson's test file keeps only what is its own: the mistakes written the way a learner writes them (plain
Python, not course_lib) and a table saying which declared mistake each one must be diagnosed as::

    test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
        [
            (check.q1, accuracy_count, "_count_not_fraction"),
            ...
        ]
    )

or, for a mistake that wants its own test, ``assert_diagnosed(check.q1, function, "_count_not_fraction")``.
A mistake is named by the ``__name__`` of the function its ``@qK.mistake(...)`` decorates in the lesson module.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest


def mistake_message(question, mistake_name: str) -> str:
    """The message ``question`` gives for its declared mistake ``mistake_name``."""
    messages = {m.function.__name__: m.message for m in question.mistakes}
    assert mistake_name in messages, f"{question.id} declares no mistake {mistake_name!r}; it has {sorted(messages)}"
    return messages[mistake_name]


def assert_diagnosed(question, learner, mistake_name: str, *, seeds: Iterable[int] = (0,)) -> None:
    """``learner`` is judged incorrect, with exactly the message of ``mistake_name``, on the cases of every seed."""
    expected = mistake_message(question, mistake_name)
    for seed in seeds:
        outcome = question.check(learner, seed=seed)
        # This module is not a test file, so pytest does not rewrite its asserts: the messages say what differed.
        assert outcome.status == "incorrect", f"seed {seed}: {outcome}"
        assert outcome.message == expected, f"seed {seed}: the message\n{outcome.message!r}\nis not\n{expected!r}"


def _row_id(value) -> str | None:
    """q1-accuracy_count-_count_not_fraction: the question's id, the learner's name, the mistake's name."""
    return getattr(value, "__name__", None) or getattr(value, "id", None)


def mistake_diagnosis_test(rows: list[tuple], *, seeds: Iterable[int] = range(4)):
    """A test with one case per ``(question, learner, mistake_name)`` row: each learner gets that diagnosis.

    Assign it to a ``test_...`` name in the lesson's test module so that pytest collects it there.
    """

    @pytest.mark.parametrize(("question", "learner", "mistake"), rows, ids=_row_id)
    def test_learner_mistake_is_diagnosed(question, learner, mistake):
        assert_diagnosed(question, learner, mistake, seeds=seeds)

    return test_learner_mistake_is_diagnosed
