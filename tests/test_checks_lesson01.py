"""Lesson 01's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
import pytest
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson01 as check

# q1: accuracy


def accuracy_count(y_true, y_pred):
    return sum(t == p for t, p in zip(y_true, y_pred, strict=True))


def accuracy_error_rate(y_true, y_pred):
    return sum(t != p for t, p in zip(y_true, y_pred, strict=True)) / len(y_true)


def accuracy_floor(y_true, y_pred):
    return sum(int(t == p) for t, p in zip(y_true, y_pred, strict=True)) // len(y_true)


# q2: the majority baseline


def baseline_always_zero(y_true):
    y_true = np.asarray(y_true)
    return np.mean(y_true == 0)


def baseline_minority(y_true):
    y_true = np.asarray(y_true)
    minority = 0 if np.sum(y_true == 0) < np.sum(y_true == 1) else 1
    return np.mean(y_true == minority)


def baseline_count(y_true):
    return max(list(y_true).count(0), list(y_true).count(1))


# q3: balanced accuracy


def balanced_is_accuracy(y_true, y_pred):
    return np.mean(np.asarray(y_true) == np.asarray(y_pred))


def balanced_with_fpr(y_true, y_pred):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    tpr = np.sum((t == 1) & (p == 1)) / np.sum(t == 1)
    fpr = np.sum((t == 0) & (p == 1)) / np.sum(t == 0)
    return (tpr + fpr) / 2


def balanced_with_precision(y_true, y_pred):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision_1 = np.sum((t == 1) & (p == 1)) / np.sum(p == 1)
        precision_0 = np.sum((t == 0) & (p == 0)) / np.sum(p == 0)
    return (precision_1 + precision_0) / 2


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, accuracy_count, "_count_not_fraction"),
        (check.q1, accuracy_error_rate, "_error_rate"),
        (check.q1, accuracy_floor, "_integer_division"),
        (check.q2, baseline_always_zero, "_always_negative"),
        (check.q2, baseline_minority, "_minority"),
        (check.q2, baseline_count, "_majority_count"),
        (check.q3, balanced_is_accuracy, "_plain_accuracy"),
        (check.q3, balanced_with_fpr, "_tpr_and_fpr"),
        (check.q3, balanced_with_precision, "_mean_precision"),
    ]
)


def test_majority_baseline_written_with_a_loop_is_correct():
    def majority_baseline_accuracy(y_true):
        ones = 0
        for label in y_true:
            ones += label == 1
        return max(ones, len(y_true) - ones) / len(y_true)

    assert check.q2.check(majority_baseline_accuracy, seed=0).status == "correct"


def test_balanced_accuracy_reference_agrees_with_scikit_learn():
    from sklearn.metrics import balanced_accuracy_score

    for case in check.q3.cases(seed=0, n_random=100):
        assert float(check.q3.expected(case).value) == pytest.approx(balanced_accuracy_score(*case.args))


# --------------------------------------------------------------------------------------------------- q4


def recall_at_precision_ignoring_floor(y_true, y_score, min_precision):
    return 1.0  # flag everything: every positive found


def recall_at_precision_strict(y_true, y_score, min_precision):
    best = 0.0
    for t in sorted(set(y_score)):
        flagged = [s >= t for s in y_score]
        tp = sum(f and y == 1 for f, y in zip(flagged, y_true, strict=True))
        fp = sum(f and y == 0 for f, y in zip(flagged, y_true, strict=True))
        if tp + fp and tp / (tp + fp) > min_precision:  # strictly more than required
            best = max(best, tp / sum(y == 1 for y in y_true))
    return best


def recall_at_precision_per_sample(y_true, y_score, min_precision):
    ranked = [
        y for _, y in sorted(zip(y_score, y_true, strict=True), key=lambda pair: -pair[0])
    ]  # ties split by input order
    best, tp = 0.0, 0
    for k, y in enumerate(ranked, start=1):
        tp += y == 1
        if tp / k >= min_precision:
            best = max(best, tp / sum(v == 1 for v in y_true))
    return best


test_q4_mistakes_are_diagnosed = mistake_diagnosis_test(
    [
        (check.q4, recall_at_precision_ignoring_floor, "_floor_ignored"),
        (check.q4, recall_at_precision_strict, "_strict_floor"),
        (check.q4, recall_at_precision_per_sample, "_ties_split"),
    ]
)


def test_q4_reference_is_a_brute_force_search():
    for case in check.q4.cases(seed=7, n_random=200):
        y_true, y_score, floor = np.asarray(case.args[0]), np.asarray(case.args[1]), case.args[2]
        best = 0.0
        for t in np.unique(y_score):
            flagged = y_score >= t
            tp, fp = np.sum(flagged & (y_true == 1)), np.sum(flagged & (y_true == 0))
            if tp / (tp + fp) >= floor:
                best = max(best, tp / np.sum(y_true == 1))
        assert float(check.q4.expected(case).value) == best
