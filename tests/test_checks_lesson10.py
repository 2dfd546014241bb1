"""Lesson 10's checks: the reference agrees with scikit-learn, and each mistake, written as a learner writes it,
gets its own message."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson10 as check


def predict_labels_axis0(y_proba):
    return np.argmax(y_proba, axis=0)


def _pairs_auc(positive, negative):
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def ovr_auc_first_column(y_true, y_score, c):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    scores = y_score[:, 0]  # always the first column
    return _pairs_auc(scores[y_true == c], scores[y_true != c])


def ovr_auc_shifted_labels(y_true, y_score, c):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    one_hot = np.eye(y_score.shape[1])[y_true]
    positive = one_hot[:, (c + 1) % y_score.shape[1]] == 1  # the neighbouring column of the one-hot matrix
    return _pairs_auc(y_score[positive, c], y_score[~positive, c])


def log_loss_unclipped(y_true, y_proba):
    y_proba = np.asarray(y_proba, dtype=float)
    with np.errstate(divide="ignore"):
        return -np.mean(np.log(y_proba[np.arange(len(y_proba)), y_true]))


def ece_true_class_confidence(y_true, y_proba, n_bins=10):
    y_true, y_proba = np.asarray(y_true), np.asarray(y_proba, dtype=float)
    confidence = y_proba[np.arange(len(y_true)), y_true]  # the true class's column
    hit = np.argmax(y_proba, axis=1) == y_true
    bins = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], confidence)
    total = 0.0
    for b in range(n_bins):
        inside = bins == b
        total += abs(hit[inside].sum() - confidence[inside].sum())
    return total / len(y_true)


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, predict_labels_axis0, "_wrong_axis"),
        (check.q2, ovr_auc_first_column, "_first_column"),
        (check.q2, ovr_auc_shifted_labels, "_shifted_labels"),
        (check.q3, log_loss_unclipped, "_no_clipping"),
        (check.q4, ece_true_class_confidence, "_true_class_confidence"),
    ]
)


def test_references_agree_with_scikit_learn():
    for case in check.q2.cases(seed=0, n_random=100):
        y, s, c = case.args
        assert check.q2.reference(y, s, c) == pytest.approx(skm.roc_auc_score(y == c, s[:, c]))
    for case in check.q3.cases(seed=0, n_random=100):
        y, p = case.args
        assert check.q3.reference(y, p) == pytest.approx(skm.log_loss(y, p, labels=np.arange(p.shape[1])))
    for case in check.q1.cases(seed=0, n_random=100):
        (p,) = case.args
        assert np.array_equal(check.q1.reference(p), p.argmax(axis=1))


def test_the_unclipped_log_loss_really_is_infinite_on_a_zero():
    assert np.isinf(log_loss_unclipped(np.array([1, 2, 2]), check._WITH_ZERO))
