"""The metric-choice flowchart: every path, no gameable single rate, the text tree, and its input checks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from course_lib.teaching.flowchart import (
    COSTLIER_OPTIONS,
    Q_HOW,
    Recommendation,
    _leaf_of,
    choose_metric,
    flowchart_text,
)

KNOWN = {"threshold_known": True}
# The specification, one row per leaf: answers -> metric.
EXPECTED = [
    ({"threshold_known": False, "balanced": True}, "ROC-AUC"),
    ({"threshold_known": False, "balanced": False}, "ROC-AUC, and AP on one test set"),
    ({**KNOWN, "balanced": True}, "accuracy"),
    ({**KNOWN, "balanced": False}, "F1"),
    ({**KNOWN, "balanced": True, "costlier": "false negatives"}, "F2"),
    ({**KNOWN, "balanced": False, "costlier": "false positives"}, "F0.5"),
    (
        {**KNOWN, "balanced": False, "costlier": "false negatives", "required_precision": 0.8},
        "recall at precision >= 0.8",
    ),
    (
        {**KNOWN, "balanced": False, "costlier": "false positives", "required_recall": 0.95},
        "precision at recall >= 0.95",
    ),
    ({**KNOWN, "balanced": False, "costs": (1, 9), "calibrated": True}, "expected cost"),
    ({**KNOWN, "balanced": False, "costs": (1, 4)}, "F-beta with beta = 2"),
    ({"threshold_known": False, "balanced": False, "probabilities_used": True}, "log-loss or Brier score"),
    ({**KNOWN, "balanced": False, "n_classes": 5}, "macro-F1"),
]


@pytest.mark.parametrize(("answers", "metric"), EXPECTED, ids=[m for _, m in EXPECTED])
def test_each_path_leads_to_its_metric(answers, metric):
    answer = choose_metric(**answers)
    assert isinstance(answer, Recommendation)
    assert answer.metric == metric
    assert answer.reason.endswith(".") and len(answer.reason) > 20
    assert answer.path and all(len(step) == 2 for step in answer.path)


GAMEABLE = {"recall", "precision", "TPR", "sensitivity", "specificity", "FPR"}


def all_answers():
    """Every combination of the flowchart's answers that choose_metric accepts."""
    for known, balanced, costlier, costs, calibrated, floor, probs, k in itertools.product(
        [True, False],
        [True, False],
        COSTLIER_OPTIONS,
        [None, (1, 5), (5, 1), (2, 2)],
        [True, False],
        [None, "required_precision", "required_recall"],
        [True, False],
        [2, 3],
    ):
        answers = dict(threshold_known=known, balanced=balanced, costlier=costlier, costs=costs, calibrated=calibrated)
        answers.update(probabilities_used=probs, n_classes=k)
        if floor:
            answers[floor] = 0.9
        try:
            yield answers, choose_metric(**answers)
        except ValueError:
            continue


def test_no_path_recommends_a_single_gameable_rate():
    seen = set()
    for _, answer in all_answers():
        seen.add(answer.metric)
        assert answer.metric not in GAMEABLE, answer
        # A rate appears only as "rate at other >= level", never alone.
        first = answer.metric.split()[0]
        if first in ("recall", "precision"):
            assert " at " in answer.metric and ">=" in answer.metric
    assert len(seen) >= 10


def test_recall_alone_is_gamed_and_the_recommended_pair_is_not():
    # Flag everything: recall 1 with precision equal to the share of positives; fails a required precision.
    y = np.r_[np.ones(5, int), np.zeros(95, int)]
    flag_all = np.ones_like(y)
    tp, fp, fn = int(np.sum(flag_all & y)), int(np.sum(flag_all & (1 - y))), 0
    assert tp / (tp + fn) == 1.0 and tp / (tp + fp) == 0.05
    answer = choose_metric(threshold_known=True, balanced=False, costlier="false negatives", required_precision=0.5)
    assert answer.metric == "recall at precision >= 0.5" and tp / (tp + fp) < 0.5
    # F2 of flagging everything is far from 1.
    f2 = choose_metric(threshold_known=True, balanced=False, costlier="false negatives")
    b2 = f2.beta**2
    assert (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) < 0.25


@pytest.mark.parametrize(("cost_fp", "cost_fn"), [(1, 9), (1, 1.5), (3, 1), (0.2, 0.7)])
def test_cost_branch_threshold_and_beta(cost_fp, cost_fn):
    answer = choose_metric(threshold_known=True, balanced=False, costs=(cost_fp, cost_fn), calibrated=True)
    assert answer.metric == "expected cost"
    assert math.isclose(answer.threshold, cost_fp / (cost_fp + cost_fn))
    assert answer.path[-1] == (Q_HOW, "the costs, and calibrated probabilities")
    uncalibrated = choose_metric(threshold_known=True, balanced=False, costs=(cost_fp, cost_fn))
    assert math.isclose(uncalibrated.beta, math.sqrt(cost_fn / cost_fp)) and uncalibrated.threshold is None


def test_cost_derived_threshold_minimises_expected_cost_for_calibrated_probabilities():
    # With p calibrated, predicting positive costs (1 - p) c_FP, negative p c_FN: the cheaper side flips at the threshold.
    cost_fp, cost_fn = 1.0, 9.0
    t = choose_metric(threshold_known=True, balanced=False, costs=(cost_fp, cost_fn), calibrated=True).threshold
    p = np.linspace(0, 1, 1001)
    positive_is_cheaper = (1 - p) * cost_fp <= p * cost_fn
    assert np.all(positive_is_cheaper == (p >= t - 1e-12))


def test_equal_costs_behave_like_no_costlier_error():
    assert choose_metric(threshold_known=True, balanced=False, costs=(2, 2)).metric == "F1"


def test_costs_and_costlier_must_agree():
    with pytest.raises(ValueError, match="`costlier`"):
        choose_metric(threshold_known=True, balanced=False, costlier="false positives", costs=(1, 5))


@pytest.mark.parametrize("balanced", [True, False])
@pytest.mark.parametrize("costlier", COSTLIER_OPTIONS)
def test_costs_do_not_matter_without_a_threshold(balanced, costlier):
    # With no operating point there is no single error count to weigh: the answer is a ranking summary.
    plain = choose_metric(threshold_known=False, balanced=balanced)
    assert choose_metric(threshold_known=False, balanced=balanced, costlier=costlier).metric == plain.metric


def test_ranking_reasons_state_prevalence_facts():
    imbalanced = choose_metric(threshold_known=False, balanced=False)
    assert "does not depend on the share of positives" in imbalanced.reason
    assert "only on one test set" in imbalanced.reason and "McDermott" in imbalanced.reason
    assert "flattering" not in imbalanced.reason


def test_str_is_metric_then_reason():
    answer = choose_metric(threshold_known=True, balanced=False)
    assert str(answer) == f"F1: {answer.reason}"


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        choose_metric(True, False)  # the point is that positional use fails


def test_text_has_one_line_per_leaf_and_every_leaf_is_reachable():
    text = flowchart_text()
    assert text.splitlines()[0] == "More than two classes?"
    assert "◀" not in text
    leaves = {_leaf_of(answer) for _, answer in all_answers()}
    assert leaves == {
        "multiclass",
        "probabilities",
        "ranking balanced",
        "ranking imbalanced",
        "expected cost",
        "recall at precision",
        "precision at recall",
        "F-beta",
        "accuracy",
        "F1",
    }


def test_text_marks_exactly_the_leaf_reached():
    for answers, answer in all_answers():
        lines = flowchart_text(**answers).splitlines()
        marked = [line for line in lines if line.endswith("◀")]
        assert len(marked) == 1, answers
        assert lines[-1] == f"→ {answer}"
    fbeta = flowchart_text(threshold_known=True, balanced=False, costlier="false negatives")
    assert "└── only which is costlier" in [line for line in fbeta.splitlines() if "◀" in line][0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("threshold_known", 1),
        ("threshold_known", "yes"),
        ("balanced", None),
        ("balanced", 0.0),
        ("calibrated", 1),
        ("probabilities_used", "no"),
    ],
)
def test_flags_must_be_bools(name, value):
    kwargs = {"threshold_known": True, "balanced": True, name: value}
    with pytest.raises(TypeError, match=f"`{name}`"):
        choose_metric(**kwargs)


@pytest.mark.parametrize("value", ["false negative", "FN", 1, True])
def test_costlier_must_be_a_known_option(value):
    with pytest.raises(ValueError, match="`costlier`"):
        choose_metric(threshold_known=True, balanced=True, costlier=value)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"costs": (1, 0)}, ValueError, "costs"),
        ({"costs": (1, -2)}, ValueError, "costs"),
        ({"costs": (1, float("inf"))}, ValueError, "costs"),
        ({"costs": 3}, TypeError, "costs"),
        ({"costs": (1, "2")}, TypeError, "costs"),
        ({"required_precision": 0.0, "costlier": "false negatives"}, ValueError, "required_precision"),
        ({"required_precision": 1.5, "costlier": "false negatives"}, ValueError, "required_precision"),
        ({"required_precision": "0.9"}, TypeError, "required_precision"),
        ({"required_recall": 0.9, "costlier": "false negatives"}, ValueError, "required_recall"),
        ({"required_precision": 0.9, "costlier": "false positives"}, ValueError, "required_precision"),
        ({"required_precision": 0.9, "required_recall": 0.9}, ValueError, "required_recall"),
        ({"n_classes": 1}, ValueError, "n_classes"),
        ({"n_classes": 2.0}, TypeError, "n_classes"),
    ],
)
def test_bad_values_are_named(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        choose_metric(threshold_known=True, balanced=True, **kwargs)
