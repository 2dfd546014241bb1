"""The metric-choice flowchart: every path through it, its text form, and its input checks."""

from __future__ import annotations

import itertools

import pytest

from course_lib.teaching.flowchart import COSTLIER_OPTIONS, Recommendation, choose_metric, flowchart_text

# The specification, one row per leaf: (threshold_known, balanced, costlier) -> metric.
EXPECTED = {
    (False, True, None): "ROC-AUC",
    (False, False, None): "average precision (PR-AUC)",
    (True, True, None): "accuracy",
    (True, False, None): "F1",
    (True, True, "false negatives"): "recall",
    (True, False, "false negatives"): "recall",
    (True, True, "false positives"): "precision",
    (True, False, "false positives"): "precision",
}


@pytest.mark.parametrize(("facts", "metric"), EXPECTED.items(), ids=[str(k) for k in EXPECTED])
def test_each_path_leads_to_its_metric(facts, metric):
    threshold_known, balanced, costlier = facts
    answer = choose_metric(threshold_known=threshold_known, balanced=balanced, costlier=costlier)
    assert isinstance(answer, Recommendation)
    assert answer.metric == metric
    assert answer.reason.endswith(".") and len(answer.reason) > 20


@pytest.mark.parametrize("balanced", [True, False])
@pytest.mark.parametrize("costlier", COSTLIER_OPTIONS)
def test_costs_do_not_matter_without_a_threshold(balanced, costlier):
    # With no operating point there is no single error count to weigh: the answer is a ranking summary.
    plain = choose_metric(threshold_known=False, balanced=balanced)
    assert choose_metric(threshold_known=False, balanced=balanced, costlier=costlier) == plain


def test_imbalanced_ranking_is_not_roc_auc():
    # The study note's flowchart says ROC-AUC here; the course deliberately recommends average precision.
    assert choose_metric(threshold_known=False, balanced=False).metric != "ROC-AUC"


def test_str_is_metric_then_reason():
    answer = choose_metric(threshold_known=True, balanced=False)
    assert str(answer) == f"F1: {answer.reason}"


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        choose_metric(True, False)  # noqa: the point is that positional use fails


def test_text_lists_every_leaf_once():
    text = flowchart_text()
    leaves = {choose_metric(threshold_known=k, balanced=b, costlier=c).metric for k, b, c in EXPECTED}
    for leaf in leaves:
        assert sum(line.endswith(f"→ {leaf}") for line in text.splitlines()) == 1, leaf
    assert text.splitlines()[0] == "Threshold known?"


def test_text_agrees_with_the_function():
    lines = flowchart_text().splitlines()
    # The two leaves under "no" (threshold unknown) come first: balanced yes, then no.
    assert lines[2].endswith(choose_metric(threshold_known=False, balanced=True).metric)
    assert lines[3].endswith(choose_metric(threshold_known=False, balanced=False).metric)
    assert lines[-2].endswith(choose_metric(threshold_known=True, balanced=True).metric)
    assert lines[-1].endswith(choose_metric(threshold_known=True, balanced=False).metric)


@pytest.mark.parametrize(
    ("name", "value"),
    [("threshold_known", 1), ("threshold_known", "yes"), ("balanced", None), ("balanced", 0.0)],
)
def test_flags_must_be_bools(name, value):
    kwargs = {"threshold_known": True, "balanced": True, name: value}
    with pytest.raises(TypeError, match=f"`{name}`"):
        choose_metric(**kwargs)


@pytest.mark.parametrize("value", ["false negative", "FN", 1, True])
def test_costlier_must_be_a_known_option(value):
    with pytest.raises(ValueError, match="`costlier`"):
        choose_metric(threshold_known=True, balanced=True, costlier=value)


def test_every_combination_answers():
    for known, balanced, costlier in itertools.product([True, False], [True, False], COSTLIER_OPTIONS):
        assert choose_metric(threshold_known=known, balanced=balanced, costlier=costlier).metric
