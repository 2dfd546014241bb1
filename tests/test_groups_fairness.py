"""by_group and the fairness differences against fairlearn 0.15 (MetricFrame and its fairness functions).

Cases include groups with no positives (TPR 0.0 in both libraries), groups with no negatives, one group only,
groups given as strings or integers, and sample weights.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from fairlearn import metrics as fm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import (
    by_group,
    confusion_matrix_by_group,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
)

FAIRLEARN_METRICS = {
    "selection_rate": fm.selection_rate,
    "true_positive_rate": fm.true_positive_rate,
    "false_positive_rate": fm.false_positive_rate,
    "true_negative_rate": fm.true_negative_rate,
    "false_negative_rate": fm.false_negative_rate,
    "accuracy": skm.accuracy_score,
    "precision": lambda y, p, sample_weight=None: skm.precision_score(
        y, p, sample_weight=sample_weight, zero_division=0
    ),
    "recall": lambda y, p, sample_weight=None: skm.recall_score(y, p, sample_weight=sample_weight, zero_division=0),
    "f1": lambda y, p, sample_weight=None: skm.f1_score(y, p, sample_weight=sample_weight, zero_division=0),
}


@st.composite
def grouped_predictions(draw, weighted: bool = False):
    """``(y_true, y_pred, groups, weights)``: 1 to 4 groups (strings or ints), often one without positives."""
    n = draw(st.integers(2, 40))  # fairlearn squeezes a single sample into a 0-d array and refuses it
    n_groups = draw(st.integers(1, 4))
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    codes = np.array(draw(st.lists(st.integers(0, n_groups - 1), min_size=n, max_size=n)))
    if draw(st.booleans()):  # make the first group all negative: its TPR is 0/0
        y_true[codes == codes[0]] = 0
    names = draw(st.sampled_from([np.array(["zeta", "alpha", "mid", "b"]), np.array([7, -1, 3, 0])]))
    groups = names[codes]
    weights = None
    if weighted:
        weights = np.array(draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)), dtype=float)
    return y_true, y_pred, groups, weights


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _same(ours, theirs):
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(float(theirs), rel=1e-12, abs=1e-12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=grouped_predictions(), weighted=st.booleans(), method=st.sampled_from(["between_groups", "to_overall"]))
def test_fairness_differences_and_ratios_equal_fairlearn(case, weighted, method):
    y_true, y_pred, groups, _ = case
    weights = np.arange(1, len(y_true) + 1) % 3 + 1.0 if weighted else None
    common = dict(sensitive_features=groups, method=method, sample_weight=weights)
    pairs = [
        (demographic_parity_difference, fm.demographic_parity_difference, {}),
        (demographic_parity_ratio, fm.demographic_parity_ratio, {}),
        (equal_opportunity_difference, fm.equal_opportunity_difference, {}),
        (equal_opportunity_ratio, fm.equal_opportunity_ratio, {}),
        (equalized_odds_difference, fm.equalized_odds_difference, {"agg": "worst_case"}),
        (equalized_odds_difference, fm.equalized_odds_difference, {"agg": "mean"}),
        (equalized_odds_ratio, fm.equalized_odds_ratio, {"agg": "worst_case"}),
        (equalized_odds_ratio, fm.equalized_odds_ratio, {"agg": "mean"}),
    ]
    for ours, theirs, extra in pairs:
        _same(ours(y_true, y_pred, **common, **extra), _quiet(theirs, y_true, y_pred, **common, **extra))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=grouped_predictions(weighted=True), metric=st.sampled_from(sorted(FAIRLEARN_METRICS)))
def test_by_group_equals_metric_frame(case, metric):
    y_true, y_pred, groups, weights = case
    frame = _quiet(
        fm.MetricFrame,
        metrics=FAIRLEARN_METRICS[metric],
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=groups,
        sample_params={"sample_weight": weights},
    )
    ours = by_group(metric, y_true, y_pred, groups=groups, sample_weight=weights)
    assert list(ours.by_group) == frame.by_group.index.tolist()  # same groups, same (sorted) order
    for value, theirs in zip(ours.by_group.values(), frame.by_group.to_numpy(), strict=True):
        _same(value, theirs)
    _same(ours.overall, frame.overall)
    for method in ("between_groups", "to_overall"):
        _same(ours.difference(method), _quiet(frame.difference, method=method))
        _same(ours.ratio(method), _quiet(frame.ratio, method=method))
    assert ours.group_max() == pytest.approx(frame.group_max()) or np.isnan(frame.group_max())


def test_a_group_without_positives_has_tpr_zero_in_both_libraries():
    y_true = np.array([0, 0, 0, 1, 1, 0])
    y_pred = np.array([1, 0, 0, 1, 0, 0])
    groups = np.array(["a", "a", "a", "b", "b", "b"])
    ours = by_group("true_positive_rate", y_true, y_pred, groups=groups)
    assert ours.by_group == {"a": 0.0, "b": 0.5}
    assert equal_opportunity_difference(y_true, y_pred, sensitive_features=groups) == 0.5
    assert fm.equal_opportunity_difference(y_true, y_pred, sensitive_features=groups) == 0.5
    # the undefined rate shown as undefined, on request
    undefined = by_group("true_positive_rate", y_true, y_pred, groups=groups, zero_division=np.nan)
    assert np.isnan(undefined.by_group["a"]) and undefined.difference() == 0.0


def test_string_labels_with_their_positive_label_and_all_negative_data():
    result = by_group("recall", ["yes", "no", "yes"], ["yes", "yes", "no"], groups=["a", "a", "b"], pos_label="yes")
    assert result.by_group == {"a": 1.0, "b": 0.0}
    assert by_group("selection_rate", [0, 0], [0, 0], groups=["a", "b"]).by_group == {"a": 0.0, "b": 0.0}


def test_one_group_has_no_gap():
    y_true, y_pred = [0, 1, 1, 0], [1, 1, 0, 0]
    result = by_group("selection_rate", y_true, y_pred, groups=["g"] * 4)
    assert result.by_group == {"g": 0.5} and result.overall == 0.5
    assert result.difference() == 0.0 and result.ratio() == 1.0
    assert demographic_parity_difference(y_true, y_pred, sensitive_features=["g"] * 4) == 0.0


def test_functions_are_accepted_as_metrics_by_name():
    from course_lib import precision_score

    y_true, y_pred, groups = [1, 0, 1, 1], [1, 1, 1, 0], [0, 0, 1, 1]
    assert by_group(precision_score, y_true, y_pred, groups=groups) == by_group(
        "precision", y_true, y_pred, groups=groups
    )
    assert by_group(skm.recall_score, y_true, y_pred, groups=groups).by_group == {0: 1.0, 1: 0.5}


def test_group_tables_are_one_count_and_sum_to_the_overall_table():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 3, 500), rng.integers(0, 3, 500)
    groups = rng.choice(["x", "y", "z"], 500)
    tables = confusion_matrix_by_group(y_true, y_pred, groups=groups)
    assert tables.groups.tolist() == ["x", "y", "z"]
    for g, table in zip(tables.groups, tables.tables, strict=True):
        np.testing.assert_array_equal(
            table, skm.confusion_matrix(y_true[groups == g], y_pred[groups == g], labels=[0, 1, 2])
        )
    np.testing.assert_array_equal(tables.overall, skm.confusion_matrix(y_true, y_pred))


def test_repr_is_readable():
    text = repr(by_group("recall", [1, 1, 0, 1], [1, 0, 0, 1], groups=["a", "a", "b", "b"]))
    assert text.splitlines()[0] == "GroupMetric(recall)"
    assert "a        0.5000  (n=2)" in text and "difference 0.5000, ratio 0.5000" in text


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: by_group("recall", [1, 0], [1, 0], groups=["a"]), ValueError, "`groups`"),
        (lambda: by_group("auc", [1, 0], [1, 0], groups=["a", "b"]), ValueError, "`metric`"),
        (lambda: by_group("recall", [1, 0], [1, 0], groups=[[1], [2]]), ValueError, "`groups`"),
        (lambda: by_group("recall", [1, 0], [1, 0], groups=[0.5, np.nan]), ValueError, "`groups`"),
        (lambda: by_group("recall", [1, 0], [1, 0, 1], groups=["a", "b"]), ValueError, "`y_true`"),
        (lambda: by_group("recall", [1, 0], [1, 0], groups=["a", "b"], zero_division="warn"), ValueError, "zero_div"),
        (
            lambda: demographic_parity_difference([1, 0], [1, 0], sensitive_features=["a"]),
            ValueError,
            "`sensitive_features`",
        ),
        (
            lambda: equalized_odds_difference([1, 0], [1, 0], sensitive_features=["a", "b"], agg="max"),
            ValueError,
            "`agg`",
        ),
        (
            lambda: equal_opportunity_difference([1, 0], [1, 0], sensitive_features=["a", "b"], method="all"),
            ValueError,
            "`method`",
        ),
        (lambda: by_group("recall", [1, 0], [1, 0], groups=["a", "b"], sample_weight=[1]), ValueError, "sample_weight"),
        (lambda: by_group("recall", ["yes", "no"], ["yes", "yes"], groups=["a", "b"]), ValueError, "`pos_label`"),
        (lambda: by_group("recall", [2, 3], [2, 2], groups=["a", "b"]), ValueError, "`pos_label`"),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()
