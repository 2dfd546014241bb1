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


def precision_recall_textbook_unpacking(cm):
    tp, fn, fp, tn = cm.ravel()  # the textbook's order, on scikit-learn's matrix
    return tp / (tp + fp), tp / (tp + fn)


def precision_recall_rows_as_predictions(cm):
    tn, fn, fp, tp = cm.ravel()  # reads the rows as the predicted class
    return tp / (tp + fp), tp / (tp + fn)


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, predict_strict, "_strictly_greater"),
        (check.q1, predict_inverted, "_inverted"),
        (check.q2, counts_fp_fn_swapped, "_fp_fn_swapped"),
        (check.q2, counts_ravel_order, "_ravel_order"),
        (check.q2, counts_positive_zero, "_positive_is_zero"),
        (check.q3, textbook_as_sklearn, "_sklearn_layout"),
        (check.q3, textbook_transposed, "_transposed_textbook"),
        (check.q4, precision_recall_textbook_unpacking, "_textbook_unpacking"),
        (check.q4, precision_recall_rows_as_predictions, "_read_transposed"),
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


def test_reference_matches_scikit_learn():
    from sklearn.metrics import confusion_matrix, precision_score, recall_score

    rng = np.random.default_rng(0)
    for _ in range(100):
        y_true, y_pred = rng.integers(0, 2, 40), rng.integers(0, 2, 40)
        case_value = check.q4.reference(confusion_matrix(y_true, y_pred))
        if (y_pred == 1).any() and (y_true == 1).any():
            expected = (precision_score(y_true, y_pred), recall_score(y_true, y_pred))
            np.testing.assert_allclose(case_value, expected)
    for case in check.q4.cases(seed=1, n_random=100):
        assert np.asarray(case.args[0]).shape == (2, 2) and np.asarray(case.args[0]).min() >= 1
