"""Lesson 02's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson02 as check


def predict_strict(y_score, threshold):
    return [1 if s > threshold else 0 for s in y_score]


def predict_inverted(y_score, threshold):
    return (np.asarray(y_score) < threshold).astype(int)


def _masks(y_true, y_pred):
    return np.asarray(y_true) == 1, np.asarray(y_pred) == 1


def counts_fp_fn_swapped(y_true, y_pred):
    a, p = _masks(y_true, y_pred)
    return np.sum(a & p), np.sum(a & ~p), np.sum(~a & ~p), np.sum(~a & p)


def counts_ravel_order(y_true, y_pred):
    a, p = _masks(y_true, y_pred)
    return np.sum(~a & ~p), np.sum(~a & p), np.sum(a & ~p), np.sum(a & p)


def counts_positive_zero(y_true, y_pred):
    a, p = np.asarray(y_true) == 0, np.asarray(y_pred) == 0
    return np.sum(a & p), np.sum(~a & p), np.sum(~a & ~p), np.sum(a & ~p)


def textbook_as_sklearn(y_true, y_pred):
    a, p = _masks(y_true, y_pred)
    return np.array([[np.sum(~a & ~p), np.sum(~a & p)], [np.sum(a & ~p), np.sum(a & p)]])


def textbook_transposed(y_true, y_pred):
    a, p = _masks(y_true, y_pred)
    return np.array([[np.sum(a & p), np.sum(~a & p)], [np.sum(a & ~p), np.sum(~a & ~p)]])


def confusion_transposed(y_true, y_pred, n_classes):
    c = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        c[p, t] += 1
    return c


def confusion_rates(y_true, y_pred, n_classes):
    c = np.zeros((n_classes, n_classes))
    for t, p in zip(y_true, y_pred):
        c[t, p] += 1
    rows = c.sum(axis=1, keepdims=True)
    return np.divide(c, rows, out=np.zeros_like(c), where=rows > 0)


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, predict_strict, "_strictly_greater"),
        (check.q1, predict_inverted, "_inverted"),
        (check.q2, counts_fp_fn_swapped, "_fp_fn_swapped"),
        (check.q2, counts_ravel_order, "_ravel_order"),
        (check.q2, counts_positive_zero, "_positive_is_zero"),
        (check.q3, textbook_as_sklearn, "_sklearn_layout"),
        (check.q3, textbook_transposed, "_transposed_textbook"),
        (check.q4, confusion_transposed, "_transposed"),
        (check.q4, confusion_rates, "_row_normalised"),
    ]
)


def test_counts_returned_as_a_dict_are_refused_with_the_shape_named():
    def count_outcomes(y_true, y_pred):
        return {"tp": 1, "fp": 0, "tn": 0, "fn": 0}

    outcome = check.q2.check(count_outcomes, seed=0)
    assert (
        outcome.message
        == "`count_outcomes` should return 4 numbers (shape (4,)), but it returned a dict with keys ['fn', 'fp', 'tn', 'tp']."
    )


def test_k_class_matrix_that_forgets_absent_classes_is_told_the_shape():
    def confusion_counts(y_true, y_pred, n_classes):
        k = int(max(max(y_true), max(y_pred))) + 1
        c = np.zeros((k, k), dtype=int)
        np.add.at(c, (np.asarray(y_true), np.asarray(y_pred)), 1)
        return c

    outcome = check.q4.check(confusion_counts, seed=0)
    assert (
        outcome.message
        == "`confusion_counts` should return an array of shape (4, 4), but it returned an array of shape (2, 2)."
    )


def test_reference_matches_scikit_learn():
    from sklearn.metrics import confusion_matrix

    for case in check.q4.cases(seed=1, n_random=100):
        y_true, y_pred, k = case.args
        expected = confusion_matrix(y_true, y_pred, labels=np.arange(k))
        np.testing.assert_array_equal(check.q4.expected(case).value, expected)
