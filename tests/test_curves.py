"""course_lib.metrics.curves: the textbook's worked numbers, the tie rule, results objects, errors and warnings.

Parity with scikit-learn on random inputs lives in test_curves_parity.py; this
file holds the hand-checked facts a lesson will quote and the behaviour that
scikit-learn has no counterpart for (threshold sweeps, best thresholds).
"""

from __future__ import annotations

import dataclasses
import doctest
import re
import warnings

import numpy as np
import pytest

from course_lib.metrics import curves
from course_lib.metrics.curves import (
    auc,
    average_precision_score,
    best_threshold,
    best_threshold_range,
    confusion_matrix_at_thresholds,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
    threshold_sweep,
)
from course_lib.metrics.validation import UndefinedMetricWarning

# The textbook's 8-sample ranking example and 20-sample threshold example (shared/seeds/README.md).
Y8 = [1, 1, 0, 1, 0, 1, 0, 0]
S8 = [0.95, 0.80, 0.75, 0.60, 0.50, 0.40, 0.30, 0.10]
Y20 = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0]
P20 = [
    0.92,
    0.15,
    0.88,
    0.42,
    0.22,
    0.78,
    0.61,
    0.85,
    0.95,
    0.18,
    0.38,
    0.73,
    0.12,
    0.81,
    0.55,
    0.90,
    0.35,
    0.08,
    0.87,
    0.20,
]
GRID = np.arange(0.05, 1.0, 0.05)


# --------------------------------------------------------------------------- worked numbers


def test_eight_sample_example_roc_auc_and_average_precision():
    assert round(roc_auc_score(Y8, S8), 4) == 0.8125
    assert roc_auc_score(Y8, S8) == 13 / 16  # 13 of the 16 positive-negative pairs are ranked right
    assert round(average_precision_score(Y8, S8), 4) == 0.8542
    # AP by hand: positives at ranks 1, 2, 4, 6 -> mean of precisions 1, 1, 3/4, 4/6.
    assert average_precision_score(Y8, S8) == pytest.approx((1 + 1 + 3 / 4 + 4 / 6) / 4, abs=1e-15)


def test_twenty_sample_example_at_one_half():
    sweep = threshold_sweep(Y20, P20, [0.5])
    assert (sweep.tp[0], sweep.fp[0], sweep.tn[0], sweep.fn[0]) == (9, 2, 6, 3)
    assert round(sweep.precision[0], 4) == 0.8182
    assert sweep.recall[0] == 0.75
    assert sweep.accuracy[0] == 0.75
    assert round(sweep.f1[0], 4) == 0.7826


def test_twenty_sample_grid_best_f1_is_a_tie_and_the_largest_tied_threshold_wins():
    sweep = threshold_sweep(Y20, P20, GRID)
    assert round(sweep.f1.max(), 4) == 0.9231
    assert sweep.f1.max() == 24 / 26  # TP=12, FP=2, FN=0
    np.testing.assert_allclose(sweep.ties("f1"), [0.25, 0.30])
    threshold, score = best_threshold(Y20, P20, thresholds=GRID)
    assert threshold == GRID[5] and round(threshold, 2) == 0.30  # the textbook's "0.30"
    assert score == 24 / 26
    # A first-strict-improvement loop (the textbook's `if f > best_f1`) would have stopped at 0.25.
    first_best = GRID[np.argmax(sweep.f1)]
    assert round(first_best, 2) == 0.25


def test_twenty_sample_best_f1_over_all_thresholds_is_the_range_022_to_035():
    assert best_threshold(Y20, P20) == (0.35, 24 / 26)
    assert best_threshold_range(Y20, P20) == (0.22, 0.35)
    # Every threshold strictly above 0.22 and up to 0.35 gives TP=12, FP=2.
    inside = threshold_sweep(Y20, P20, [0.2200001, 0.25, 0.3, 0.35])
    assert inside.tp.tolist() == [12] * 4 and inside.fp.tolist() == [2] * 4
    outside = threshold_sweep(Y20, P20, [0.22, 0.3500001])
    assert (outside.f1 < 24 / 26).all()


def test_float_grid_is_not_the_grid_you_wrote():
    assert GRID[6] == 0.35000000000000003 and GRID[6] > 0.35
    at_grid, at_exact = threshold_sweep(Y20, P20, [GRID[6], 0.35]).tp
    assert (at_grid, at_exact) == (11, 12)  # the positive scored exactly 0.35 drops out at "0.35"
    # The same happens at the top of the grid: "0.95" is 0.9500000000000001, above the best score 0.95.
    assert GRID[18] > 0.95 and threshold_sweep(Y20, P20, [GRID[18]]).tp[0] == 0


# --------------------------------------------------------------------------- threshold sweeps


def brute_force_counts(y_true, y_score, threshold):
    """One pass per threshold: the obvious (slow) way, as an oracle."""
    y_true, predicted = np.asarray(y_true) == 1, np.asarray(y_score) >= threshold
    return (
        int((y_true & predicted).sum()),
        int((~y_true & predicted).sum()),
        int((~y_true & ~predicted).sum()),
        int((y_true & ~predicted).sum()),
    )


def test_sweep_default_thresholds_are_the_distinct_scores_increasing():
    y = [0, 1, 1, 0, 1]
    s = [0.3, 0.7, 0.3, 0.1, 0.9]
    sweep = threshold_sweep(y, s)
    assert sweep.thresholds.tolist() == [0.1, 0.3, 0.7, 0.9]
    for t, tp, fp, tn, fn in zip(sweep.thresholds, sweep.tp, sweep.fp, sweep.tn, sweep.fn, strict=True):
        assert (tp, fp, tn, fn) == brute_force_counts(y, s, t)


def test_sweep_keeps_the_given_order_and_handles_thresholds_outside_the_scores():
    sweep = threshold_sweep([0, 1, 1], [0.2, 0.6, 0.9], [0.9, -np.inf, 5.0, 0.2, np.inf, 0.61])
    assert sweep.tp.tolist() == [1, 2, 0, 2, 0, 1]
    assert sweep.fp.tolist() == [0, 1, 0, 1, 0, 0]
    assert sweep.precision.tolist()[2] == 0.0  # nothing predicted positive: zero_division=0


def test_sweep_zero_division_is_zero_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sweep = threshold_sweep([0, 0, 0], [0.1, 0.5, 0.9], [0.0, 0.5, 2.0])
    assert sweep.recall.tolist() == [0.0, 0.0, 0.0]  # no positives at all
    assert sweep.precision.tolist() == [0.0, 0.0, 0.0]
    assert sweep.f1.tolist() == [0.0, 0.0, 0.0]
    assert sweep.accuracy.tolist() == [0.0, 1 / 3, 1.0]


def test_sweep_accepts_a_single_number_and_other_label_sets():
    sweep = threshold_sweep(["spam", "ham", "spam"], [2.0, -1.0, 0.5], 0.0, pos_label="spam")
    assert len(sweep) == 1 and (sweep.tp[0], sweep.fp[0]) == (2, 0)
    assert threshold_sweep([-1, 1, 1], [0.1, 0.2, 0.3], 0.15).tp.tolist() == [2]


def test_sweep_result_is_frozen_and_read_only():
    sweep = threshold_sweep(Y20, P20, GRID)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sweep.f1 = None
    with pytest.raises(ValueError, match="read-only"):
        sweep.tp[0] = 99


def test_sweep_repr_and_rows_are_readable():
    sweep = threshold_sweep(Y20, P20, [0.3, 0.5])
    text = repr(sweep)
    assert text.splitlines()[0] == "ThresholdSweep(2 thresholds, 12 positives, 8 negatives)"
    assert re.search(r"0\.5000\s+9\s+2\s+6\s+3\s+0\.8182\s+0\.7500\s+0\.7826", text)
    rows = sweep.to_rows()
    assert rows[1] == {
        "threshold": 0.5,
        "tp": 9,
        "fp": 2,
        "tn": 6,
        "fn": 3,
        "precision": 9 / 11,
        "recall": 0.75,
        "f1": 18 / 23,
        "accuracy": 0.75,
    }
    assert all(type(v) in (int, float) for v in rows[0].values())
    long = repr(threshold_sweep(np.arange(100) % 2, np.arange(100) / 100))
    assert "..." in long and len(long.splitlines()) == 2 + 20 + 1
    assert repr(threshold_sweep([0, 1], [0.2, 0.8], 0.5)).startswith("ThresholdSweep(1 threshold,")


@pytest.mark.parametrize("metric", ["f1", "precision", "recall", "accuracy"])
def test_best_threshold_other_metrics_match_a_brute_force_search(metric):
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 40)
    s = np.round(rng.random(40), 1)
    sweep = threshold_sweep(y, s)
    values = getattr(sweep, metric)
    expected = (float(sweep.thresholds[values == values.max()].max()), float(values.max()))
    assert best_threshold(y, s, metric=metric) == expected


def test_best_threshold_range_when_the_best_is_the_lowest_score():
    # Everyone positive is best: any threshold up to the lowest score works.
    assert best_threshold_range([1, 1, 1, 0], [0.2, 0.5, 0.7, 0.1]) == (0.1, 0.2)
    assert best_threshold_range([1, 1, 1], [0.2, 0.5, 0.7]) == (-np.inf, 0.2)


# --------------------------------------------------------------------------- curves: conventions


def test_roc_curve_starts_at_infinity_and_the_origin():
    fpr, tpr, thresholds = roc_curve([0, 1], [0.3, 0.6])
    assert thresholds[0] == np.inf and (fpr[0], tpr[0]) == (0.0, 0.0)
    assert (fpr[-1], tpr[-1]) == (1.0, 1.0)


def test_roc_curve_ties_give_one_point_and_drop_intermediate_removes_collinear_points():
    fpr, tpr, thresholds = roc_curve([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])
    assert thresholds.tolist() == [np.inf, 0.5]
    assert fpr.tolist() == [0.0, 1.0] and tpr.tolist() == [0.0, 1.0]
    y, s = [1, 1, 1, 0, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]
    assert len(roc_curve(y, s, drop_intermediate=False)[0]) == 7
    fpr, tpr, _ = roc_curve(y, s)
    assert fpr.tolist() == [0.0, 0.0, 0.0, 1.0] and tpr.tolist() == [0.0, 1 / 3, 1.0, 1.0]


def test_precision_recall_curve_ends_at_recall_zero_precision_one():
    precision, recall, thresholds = precision_recall_curve(Y8, S8)
    assert (precision[-1], recall[-1]) == (1.0, 0.0)
    assert len(precision) == len(recall) == len(thresholds) + 1
    assert np.all(np.diff(thresholds) > 0) and np.all(np.diff(recall) <= 0)
    assert precision[0] == 0.5 and recall[0] == 1.0  # lowest threshold: everyone is positive


def test_confusion_matrix_at_thresholds_counts_add_up():
    tns, fps, fns, tps, thresholds = confusion_matrix_at_thresholds(Y20, P20)
    assert np.all(np.diff(thresholds) < 0)
    assert np.all(tns + fps + fns + tps == 20) and np.all(tps + fns == 12)
    assert tps.dtype.kind == "i"  # unweighted counts are integers


def test_scores_outside_zero_one_and_integer_scores_are_fine():
    assert roc_auc_score([0, 0, 1, 1], [-3.0, 2.5, 1.0, 40.0]) == 0.75
    assert roc_auc_score([0, 0, 1, 1], [1, 3, 2, 4]) == 0.75
    assert roc_auc_score([False, False, True, True], [0.1, 0.4, 0.35, 0.8]) == 0.75


def test_auc_is_the_trapezoid_in_either_direction():
    assert auc([0, 1, 2], [0, 1, 0]) == 1.0
    assert auc([2, 1, 0], [0, 1, 0]) == 1.0
    fpr, tpr, _ = roc_curve(Y8, S8)
    assert auc(fpr, tpr) == pytest.approx(roc_auc_score(Y8, S8), abs=1e-15)


def test_torch_tensors_are_accepted():
    torch = pytest.importorskip("torch")
    assert roc_auc_score(torch.tensor(Y8), torch.tensor(S8, dtype=torch.float32)) == 0.8125


def test_docstring_examples_run():
    failures, tried = doctest.testmod(curves, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 9 and failures == 0


# --------------------------------------------------------------------------- one class only


def test_roc_curve_without_negatives_warns_and_gives_nan_fpr():
    with pytest.warns(UndefinedMetricWarning, match="No negative samples"):
        fpr, tpr, _ = roc_curve([1, 1, 1], [0.2, 0.4, 0.6])
    assert np.isnan(fpr).all() and tpr[-1] == 1.0


def test_roc_curve_without_positives_warns_and_gives_nan_tpr():
    with pytest.warns(UndefinedMetricWarning, match="No positive samples"):
        fpr, tpr, _ = roc_curve([0, 0], [0.2, 0.4])
    assert np.isnan(tpr).all() and fpr[-1] == 1.0


def test_roc_auc_score_with_one_class_warns_and_is_nan():
    with pytest.warns(UndefinedMetricWarning, match="Only one class"):
        assert np.isnan(roc_auc_score([1, 1, 1], [0.2, 0.4, 0.6]))


def test_average_precision_without_positives_warns_and_is_zero():
    with pytest.warns(UndefinedMetricWarning, match="No positive samples"):
        assert average_precision_score([0, 0, 0], [0.2, 0.4, 0.6]) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="recall"):
        precision, recall, _ = precision_recall_curve([0, 0], [0.2, 0.4])
    assert recall.tolist() == [1.0, 1.0, 0.0] and precision.tolist() == [0.0, 0.0, 1.0]


def test_samples_average_warns_once_for_one_class_rows():
    y = np.array([[1, 1], [0, 1], [1, 0]])
    s = np.array([[0.3, 0.6], [0.1, 0.7], [0.9, 0.2]])
    with pytest.warns(UndefinedMetricWarning, match="1 sample"):
        assert np.isnan(roc_auc_score(y, s, average="samples"))


# --------------------------------------------------------------------------- bad input


def _raises(exc, name, fn, *args, **kwargs):
    with pytest.raises(exc, match=f"`{name}`") as info:
        fn(*args, **kwargs)
    assert str(info.value).startswith(f"Expected argument `{name}`")


@pytest.mark.parametrize("fn", [roc_curve, precision_recall_curve, roc_auc_score, average_precision_score])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_scores_are_refused(fn, bad):
    _raises(ValueError, "y_score", fn, [0, 1, 1], [0.1, bad, 0.3])


@pytest.mark.parametrize(
    "fn", [roc_curve, precision_recall_curve, confusion_matrix_at_thresholds, threshold_sweep, best_threshold]
)
def test_binary_functions_refuse_multiclass_y_true(fn):
    _raises(ValueError, "y_true", fn, [0, 1, 2], [0.1, 0.2, 0.3])


@pytest.mark.parametrize("fn", [roc_curve, precision_recall_curve, roc_auc_score, average_precision_score])
def test_lengths_must_match(fn):
    _raises(ValueError, "y_true", fn, [0, 1, 1], [0.1, 0.2])


def test_bad_scores_and_labels():
    _raises(TypeError, "y_score", roc_curve, [0, 1], ["a", "b"])
    _raises(ValueError, "y_score", roc_curve, [0, 1], [[0.1], [0.2]])
    _raises(ValueError, "y_true", roc_curve, [], [0.2])
    _raises(ValueError, "y_true", roc_curve, [0.5, 1.0], [0.1, 0.2])  # probabilities passed as labels
    _raises(ValueError, "y_score", roc_auc_score, [0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]])


def test_pos_label_rules():
    _raises(ValueError, "pos_label", roc_curve, ["a", "b"], [0.1, 0.2])
    _raises(ValueError, "pos_label", roc_curve, [1, 2], [0.1, 0.2])
    _raises(ValueError, "pos_label", roc_curve, [0, 1], [0.1, 0.2], pos_label=2)
    _raises(ValueError, "pos_label", average_precision_score, [0, 2], [0.1, 0.2])
    _raises(ValueError, "pos_label", average_precision_score, np.eye(3), np.eye(3), pos_label=0)
    assert roc_curve([1, 2], [0.1, 0.2], pos_label=2)[1][-1] == 1.0


def test_bad_options():
    _raises(TypeError, "drop_intermediate", roc_curve, [0, 1], [0.1, 0.2], drop_intermediate="yes")
    _raises(ValueError, "max_fpr", roc_auc_score, [0, 1], [0.1, 0.2], max_fpr=0)
    _raises(ValueError, "max_fpr", roc_auc_score, [0, 1], [0.1, 0.2], max_fpr=1.5)
    _raises(ValueError, "average", roc_auc_score, np.eye(3), np.eye(3), average="binary")
    _raises(ValueError, "sample_weight", roc_curve, [0, 1], [0.1, 0.2], sample_weight=[1, -1])
    _raises(ValueError, "sample_weight", roc_curve, [0, 1], [0.1, 0.2], sample_weight=[0, 0])
    _raises(ValueError, "thresholds", threshold_sweep, [0, 1], [0.1, 0.2], [0.5, np.nan])
    _raises(ValueError, "thresholds", threshold_sweep, [0, 1], [0.1, 0.2], [])
    _raises(TypeError, "thresholds", threshold_sweep, [0, 1], [0.1, 0.2], ["high"])
    _raises(ValueError, "metric", best_threshold, [0, 1], [0.1, 0.2], metric="auc")
    _raises(ValueError, "x", auc, [0, 1, 0.5], [0, 1, 1])
    _raises(ValueError, "x", auc, [0], [1])
    _raises(ValueError, "x", auc, [0, 1], [1, 2, 3])


def test_multiclass_and_multilabel_errors():
    y = [0, 1, 2, 2]
    p = np.array([[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    _raises(ValueError, "multi_class", roc_auc_score, y, p)
    _raises(ValueError, "y_score", roc_auc_score, y, p * 2, multi_class="ovr")
    _raises(ValueError, "y_score", roc_auc_score, y, p[:, :2], multi_class="ovr")
    _raises(ValueError, "y_score", roc_auc_score, y, p[:, 0], multi_class="ovr")
    _raises(ValueError, "average", roc_auc_score, y, p, multi_class="ovo", average="micro")
    _raises(ValueError, "sample_weight", roc_auc_score, y, p, multi_class="ovo", sample_weight=[1, 1, 1, 1])
    _raises(ValueError, "labels", roc_auc_score, y, p, multi_class="ovr", labels=[2, 1, 0])
    _raises(ValueError, "labels", roc_auc_score, y, p, multi_class="ovr", labels=[0, 1, 1])
    _raises(ValueError, "labels", roc_auc_score, y, p, multi_class="ovr", labels=[0, 1])
    _raises(ValueError, "y_true", roc_auc_score, y, p, multi_class="ovr", labels=[0, 1, 3])
    _raises(ValueError, "max_fpr", roc_auc_score, y, p, multi_class="ovr", max_fpr=0.5)
    _raises(ValueError, "y_score", average_precision_score, y, p[:, :2])
    _raises(ValueError, "y_score", roc_auc_score, np.eye(3), np.eye(4))
    _raises(ValueError, "y_true", roc_auc_score, np.array([[0, 2], [1, 0]]), np.eye(2))


# --------------------------------------------------------------------------- the core's two paths


def test_value_sort_core_and_weighted_argsort_core_agree():
    from course_lib.metrics.ranking_counts import counts_at_distinct_scores

    rng = np.random.default_rng(7)
    for scores in (rng.random(500), np.round(rng.random(500), 1), rng.integers(-2, 3, 500)):
        is_pos = rng.random(500) < 0.4
        fast = counts_at_distinct_scores(is_pos, scores)
        weighted = counts_at_distinct_scores(is_pos, scores, np.ones(500))
        np.testing.assert_array_equal(fast.thresholds, weighted.thresholds)
        np.testing.assert_array_equal(fast.tps, weighted.tps)
        np.testing.assert_array_equal(fast.fps, weighted.fps)
        assert np.all(np.diff(fast.thresholds) > 0) and fast.tps.dtype.kind == "i"
