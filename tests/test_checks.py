"""The inline-check machinery, and every lesson's checks module against its own notebooks.

Generic part (runs over every course_lib.checks.lessonNN, including lessons added later): the solution functions
pass, the exercise stubs are "not attempted", every declared mistake gets exactly its own message and is
distinguishable on the fixed cases, and every case survives the JSON trip to the grader's sandbox.

Framework part: each built-in message (wrong type, None, float subclass, shape, NaN, detached tensor, error with its
arguments, a stub of another question, a non-function passed) with a function that makes it print.
"""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest
import torch
from _exercise_code import EXERCISES, SOLUTIONS, lesson_modules, notebook_namespace

from course_lib.checks import Args, Question
from course_lib.checks._args import decode, encode
from course_lib.checks._plain import Malformed, Returned, from_json, to_json, to_plain
from course_lib.checks.framework import GRADING_ENV, call_learner

LESSONS = lesson_modules()
QUESTIONS = [(m, q) for m in LESSONS for q in m.QUESTIONS]
QUESTION_IDS = [f"{m.__name__.rsplit('.', 1)[1]}-{q.id}" for m, q in QUESTIONS]
MISTAKES = [(m, q, k) for m, q in QUESTIONS for k in q.mistakes]
MISTAKE_IDS = [f"{m.__name__.rsplit('.', 1)[1]}-{q.id}-{k.function.__name__}" for m, q, k in MISTAKES]

_namespaces: dict = {}


def namespace(folder, module) -> dict:
    key = (folder, module.NOTEBOOK)
    if key not in _namespaces:
        _namespaces[key] = notebook_namespace(folder / module.NOTEBOOK)
    return _namespaces[key]


# -------------------------------------------------------------------------------------------- every lesson module


@pytest.mark.parametrize("module", LESSONS, ids=[m.__name__ for m in LESSONS])
def test_module_declares_its_notebook_and_numbered_questions(module):
    assert (SOLUTIONS / module.NOTEBOOK).exists() and (EXERCISES / module.NOTEBOOK).exists()
    assert module.NOTEBOOK[:2] == module.__name__[-2:]
    assert [q.id for q in module.QUESTIONS] == [f"q{i}" for i in range(1, len(module.QUESTIONS) + 1)]
    for q in module.QUESTIONS:
        assert getattr(module, q.id) is q
        assert q.mistakes, f"{q.id} declares no typical mistake"
        assert len(q.hints) >= 1


@pytest.mark.parametrize(("module", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_solution_is_correct_on_many_random_cases(module, question):
    function = namespace(SOLUTIONS, module)[question.function]
    for seed in range(5):
        outcome = question.check(function, seed=seed)
        assert outcome.status == "correct", outcome
        assert outcome.points == outcome.max_points == question.points


@pytest.mark.parametrize(("module", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_exercise_stub_is_not_attempted(module, question):
    function = namespace(EXERCISES, module)[question.function]
    outcome = question.check(function, seed=0)
    assert outcome.status == "not attempted"
    assert outcome.points == 0
    assert f"Write the body of `{question.function}`" in outcome.message
    assert "not attempted yet" in str(outcome)


@pytest.mark.parametrize(("module", "question", "mistake"), MISTAKES, ids=MISTAKE_IDS)
def test_each_declared_mistake_gets_its_own_message(module, question, mistake):
    for seed in range(3):
        outcome = question.check(mistake.function, seed=seed)
        assert outcome.status == "incorrect"
        assert outcome.message == mistake.message
        assert "you returned:" in outcome.details and "expected:" in outcome.details


@pytest.mark.parametrize(("module", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_mistakes_differ_from_the_answer_and_each_other_on_the_fixed_cases(module, question):
    """So the diagnosis never depends on which random cases came up."""
    outputs = {"reference": [question.expected(c) for c in question.fixed]}
    for mistake in question.mistakes:
        outputs[mistake.function.__name__] = [call_learner(mistake.function, c) for c in question.fixed]
    for (name_a, a), (name_b, b) in itertools.combinations(outputs.items(), 2):
        same = all(
            isinstance(x, Returned) and isinstance(y, Returned) and question._same(x, y)
            for x, y in zip(a, b, strict=True)
        )
        assert not same, f"{name_a} and {name_b} agree on every fixed case of {question.id}"


@pytest.mark.parametrize(("module", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_cases_survive_the_trip_to_the_sandbox(module, question):
    for case in question.cases(seed=7, n_random=40):
        again = decode(encode(case))
        assert question._same(question.expected(case), question.expected(again))
        for a, b in zip(case.args, again.args, strict=True):
            if isinstance(a, torch.Tensor):
                assert (b.dtype, b.requires_grad, b.shape) == (a.dtype, a.requires_grad, a.shape)
            elif isinstance(a, np.ndarray):
                assert (b.dtype, b.shape) == (a.dtype, a.shape)
            else:
                assert type(b) is type(a)


@pytest.mark.parametrize("module", LESSONS, ids=[m.__name__ for m in LESSONS])
def test_docstring_examples_of_the_solutions_hold(module):
    """The numbers an exercise states (in its docstrings) are what the solution computes."""
    ns = namespace(SOLUTIONS, module)
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for question in module.QUESTIONS:
        tests = finder.find(ns[question.function], question.function, globs=dict(ns))
        assert any(t.examples for t in tests), f"{question.function} has no example in its docstring"
        for test in tests:
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.parametrize("module", LESSONS, ids=[m.__name__ for m in LESSONS])
def test_solution_text_is_stored_for_every_question(module, capsys):
    for question in module.QUESTIONS:
        question.solution()
        text = capsys.readouterr().out
        assert text.startswith(f"{question.id} solution:")
        assert f"def {question.function}(" in text and "BEGIN SOLUTION" not in text


# -------------------------------------------------------------------------------------------- the framework


def _mean(values):
    return float(np.mean(values))


def toy(**overrides) -> Question:
    settings = dict(
        points=3,
        function="mean",
        title="the mean",
        reference=_mean,
        fixed=[Args([1.0, 2.0, 4.0])],
        random=lambda rng: Args(rng.random(int(rng.integers(1, 6)))),
        hints=["Add them up.", "Divide by how many there are."],
        error_hints={"ZeroDivisionError": "Check the length first."},
    )
    settings.update(overrides)
    return Question("q1", **settings)


def test_correct_answer_gets_the_points_and_prints_a_tick(capsys):
    q = toy()
    q(lambda values: sum(values) / len(values))
    assert capsys.readouterr().out == "✓ q1: correct (3/3 points)\n"


def test_incorrect_answer_shows_the_call_the_value_and_the_expected_value():
    outcome = toy().check(lambda values: sum(values), seed=0)
    assert outcome.status == "incorrect" and outcome.points == 0
    assert outcome.message == "Your function returned a different value; compare with the expected one below."
    assert outcome.details.splitlines() == [
        "for mean(values=[1.0, 2.0, 4.0])",
        "you returned: 7",
        "expected:     2.33333",
    ]


def test_declared_mistake_wins_over_the_generic_message():
    q = toy()
    q.mistake("You summed instead of averaging.")(lambda values: float(np.sum(values)))
    assert q.check(lambda values: sum(values), seed=1).message == "You summed instead of averaging."


def test_mistake_must_match_on_every_case_to_be_named():
    q = toy()
    q.mistake("You summed instead of averaging.")(lambda values: float(np.sum(values)))
    outcome = q.check(lambda values: 7.0, seed=2)  # right only where the sum is 7: a hard-coded answer
    assert outcome.message != "You summed instead of averaging."


def test_error_reports_exception_arguments_and_error_hint(capsys):
    q = toy()
    q(lambda values: 1 / 0)
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "✗ q1: error (0/3 points). `mean` raised ZeroDivisionError: division by zero Check the length first.",
        "  when called as mean(values=[1.0, 2.0, 4.0])",
        "  Stuck? check.q1.hint()",
    ]


def test_stub_is_not_attempted_and_prints_no_traceback(capsys):
    def mean(values):
        raise NotImplementedError("Replace this line with your answer, then run the check below.")

    toy()(mean)
    out = capsys.readouterr().out
    assert out.startswith("… q1: not attempted yet (0/3 points). Write the body of `mean`")
    assert "Traceback" not in out


def test_calling_the_stub_of_another_question_says_which():
    def helper(values):
        raise NotImplementedError("Replace this line with your answer, then run the check below.")

    outcome = toy().check(lambda values: helper(values), seed=0)
    assert outcome.status == "not attempted"
    assert (
        outcome.message == "`mean` calls `helper`, which still raises NotImplementedError: answer that question first."
    )


class _EqualsEverything:
    def __eq__(self, other):
        return True

    def __abs__(self):
        return 0

    def __lt__(self, other):
        return True

    __hash__ = None


class _SneakyFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (None, "`mean` returned None: did you forget a `return` statement?"),
        ("2.33", "`mean` returned a string (str); return numbers."),
        (_SneakyFloat(0.0), "`mean` returned an object of type `_SneakyFloat`, a subclass of float; return a plain float (float(x))."),
        (_EqualsEverything(), "`mean` returned an object of type `_EqualsEverything`; return numbers (int, float, a NumPy array or a tuple of them)."),
        (np.array(["a"], dtype=object), "`mean` returned a NumPy array of dtype object; return numbers (int, float or bool)."),
        (np.ma.masked_array([1.0]), "`mean` returned an object of type `MaskedArray`, a subclass of np.ndarray; return np.asarray(x)."),
        ({1: 2.0}, "`mean` returned a dict whose keys are not all strings."),
        (print, "`mean` returned a function (builtin_function_or_method) instead of calling it."),
        (10**400, "`mean` returned an integer too large to be a count."),
    ],
    ids=["none", "string", "float-subclass", "equals-everything", "object-array", "ndarray-subclass", "dict", "function", "huge-int"],
)  # fmt: skip
def test_values_that_are_not_plain_numbers_are_refused_with_a_reason(returned, message):
    outcome = toy().check(lambda values: returned, seed=0)
    assert outcome.status == "incorrect"
    assert outcome.message == message


def test_shape_mismatch_is_named():
    outcome = toy().check(lambda values: [1.0, 2.0], seed=0)
    assert outcome.message == "`mean` should return a single number, but it returned 2 numbers (shape (2,))."


def test_one_element_array_for_a_number_is_forgiven():
    assert toy().check(lambda values: np.array([np.mean(values)]), seed=0).status == "correct"


def test_unexpected_nan_is_named():
    outcome = toy().check(lambda values: float("nan"), seed=0)
    assert outcome.message == "Your function returned NaN where a number was expected: is there a 0 / 0 somewhere?"


def test_passing_the_result_instead_of_the_function(capsys):
    toy()(2.5)
    assert capsys.readouterr().out == (
        "✗ q1: incorrect (0/3 points). Pass the function itself, without calling it: check.q1(mean) - you passed 2.5.\n"
    )


def test_hints_are_numbered(capsys):
    q = toy()
    q.hint()
    q.hint(2)
    q.hint(3)
    assert capsys.readouterr().out.splitlines() == [
        "q1 hint 1/2 (next: check.q1.hint(2)): Add them up.",
        "q1 hint 2/2: Divide by how many there are.",
        "q1 has hints 1 to 2: check.q1.hint(1)",
    ]
    toy(hints=[]).hint()
    assert "no hints" in capsys.readouterr().out


def test_solution_without_a_stored_text_says_how_to_get_one(capsys):
    toy().solution()  # defined in this test module, which has no solutions notebook
    assert capsys.readouterr().out == "q1: no stored solution (run `make exercises` to regenerate them).\n"


def test_inside_the_grader_the_inline_check_computes_nothing(monkeypatch, capsys):
    monkeypatch.setenv(GRADING_ENV, "1")

    def mean(values):
        raise AssertionError("must not be called")

    toy()(mean)
    assert capsys.readouterr().out == "q1: checked by the grader\n"


def test_learner_mutating_its_input_does_not_change_the_expected_answer():
    def mean(values):
        result = float(np.mean(values))
        values[0] = 1e9  # rude, but it must not matter
        return result

    assert toy().check(mean, seed=3).status == "correct"


def test_question_refuses_bad_declarations():
    with pytest.raises(ValueError, match="`points`"):
        toy(points=0)
    with pytest.raises(ValueError, match="`fixed`"):
        toy(fixed=[])


# -------------------------------------------------------------------------------------------- torch answers


def _soft_loss(logits):
    return torch.sigmoid(logits).mean()


def _logits(rng):
    return Args(torch.tensor(rng.normal(size=4), dtype=torch.float64, requires_grad=True))


def torch_question() -> Question:
    q = Question(
        "q1",
        points=1,
        function="soft_loss",
        title="a loss that keeps its graph",
        reference=_soft_loss,
        fixed=[Args(torch.tensor([0.0, 1.0, -1.0], dtype=torch.float64, requires_grad=True))],
        random=_logits,
    )
    q.mistake("Your loss is detached from the graph (.item() or .detach()), so it cannot train a model.")(
        lambda logits: _soft_loss(logits).detach()
    )
    return q


def test_tensor_attached_to_the_graph_is_correct():
    assert torch_question().check(lambda logits: torch.sigmoid(logits).mean(), seed=0).status == "correct"


def test_detached_tensor_is_diagnosed_by_the_declared_mistake():
    outcome = torch_question().check(lambda logits: torch.sigmoid(logits).mean().item(), seed=0)
    assert outcome.message == "Your loss is detached from the graph (.item() or .detach()), so it cannot train a model."


def test_detached_tensor_has_a_built_in_message_too():
    q = torch_question()
    q.mistakes.clear()
    outcome = q.check(lambda logits: torch.sigmoid(logits).mean().detach(), seed=0)
    assert outcome.message.startswith("Your result is detached from the autograd graph")


def test_tensor_arguments_keep_requires_grad_through_json():
    case = decode(encode(Args(torch.tensor([0.5, 1.5], requires_grad=True), scale=2)))
    assert case.args[0].requires_grad and case.args[0].dtype == torch.float32 and case.kwargs == {"scale": 2}


# -------------------------------------------------------------------------------------------- plain values and JSON


@pytest.mark.parametrize(
    "value",
    [3, 2.5, True, np.int32(4), np.float32(0.5), [1, 2, 3], (9, 2, 6, 3), np.eye(2), [np.zeros(2), np.ones(3)],
     {"f1": 0.5, "counts": [1, 2]}, float("nan"), [], torch.tensor([1.0, 2.0])],
)  # fmt: skip
def test_plain_values_survive_json(value):
    returned = to_plain(value)
    again = from_json(to_json(returned))
    assert again.grad == returned.grad
    assert toy()._same(returned, again)


@pytest.mark.parametrize(
    "record",
    [
        {"v": {"a": [2], "d": [1.0]}, "g": None},  # shape and data disagree
        {"v": {"a": [1], "d": [True]}, "g": None},  # a bool is not a number here
        {"v": {"a": [1], "d": ["1"]}, "g": None},
        {"v": {"a": [-1], "d": []}, "g": None},
        {"v": {"a": [1], "d": [1.0], "x": 1}, "g": None},
        {"v": {"t": [{"t": [{"t": [{"t": [{"t": [{"t": [{"t": [{"t": [{"t": []}]}]}]}]}]}]}]}]}, "g": None},  # too deep
        {"v": {"a": [1], "d": [1.0]}, "g": "yes"},
        {"v": {"a": [1], "d": [1.0]}},
        [1, 2],
    ],
)
def test_malformed_results_from_the_sandbox_are_rejected(record):
    with pytest.raises(Malformed):
        from_json(record)


def test_arguments_survive_json_exactly():
    case = Args(np.array([0.1, np.nan]), np.array(["a", "bc"]), [1, (2, 3)], {"k": float("inf")}, None, flag=True)
    again = decode(encode(case))
    np.testing.assert_array_equal(again.args[0], case.args[0])
    assert again.args[1].tolist() == ["a", "bc"] and again.args[1].dtype.kind == "U"
    assert again.args[2] == [1, (2, 3)] and again.args[3] == {"k": float("inf")} and again.args[4] is None
    assert again.kwargs == {"flag": True}


def test_arguments_that_cannot_travel_are_refused():
    with pytest.raises(TypeError, match="cannot send"):
        encode(Args(object()))
