"""Lesson 01's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
import pytest
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson01 as check

# q1: accuracy


def accuracy_count(y_true, y_pred):
    return sum(t == p for t, p in zip(y_true, y_pred))


def accuracy_error_rate(y_true, y_pred):
    return sum(t != p for t, p in zip(y_true, y_pred)) / len(y_true)


def accuracy_floor(y_true, y_pred):
    return sum(int(t == p) for t, p in zip(y_true, y_pred)) // len(y_true)


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
