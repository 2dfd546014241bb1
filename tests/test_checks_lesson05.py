"""Lesson 05's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
import pytest
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson05 as check


def _counts_at(y_true, y_score, thresholds, strict=False):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=float)
    tps, fps = [], []
    for t in thresholds:
        predicted = y_score > t if strict else y_score >= t
        tps.append(np.sum(predicted & (y_true == 1)))
        fps.append(np.sum(predicted & (y_true == 0)))
    return np.array(tps), np.array(fps)


def _roc_loop(y_true, y_score, strict=False, origin=True):
    thresholds = sorted(set(np.asarray(y_score).tolist()), reverse=True)
    if origin:
        thresholds = [np.inf, *thresholds]
    tp, fp = _counts_at(y_true, y_score, thresholds, strict)
    y_true = np.asarray(y_true)
    return fp / np.sum(y_true == 0), tp / np.sum(y_true == 1)


def roc_one_point_per_sample(y_true, y_score):
    order = np.argsort(-np.asarray(y_score), kind="stable")  # sorts samples, keeps every tie as its own step
    labels = np.asarray(y_true)[order]
    tp = np.concatenate([[0], np.cumsum(labels == 1)])
    fp = np.concatenate([[0], np.cumsum(labels == 0)])
    return fp / fp[-1], tp / tp[-1]


def roc_without_origin(y_true, y_score):
    return _roc_loop(y_true, y_score, origin=False)


def roc_strictly_greater(y_true, y_score):
    return _roc_loop(y_true, y_score, strict=True)


def roc_swapped(y_true, y_score):
    fpr, tpr = _roc_loop(y_true, y_score)
    return tpr, fpr


def _pairs(y_true, y_score):
    pos = [s for s, y in zip(y_score, y_true, strict=True) if y == 1]
    neg = [s for s, y in zip(y_score, y_true, strict=True) if y == 0]
    return pos, neg


def auc_strict_wins(y_true, y_score):
    pos, neg = _pairs(y_true, y_score)
    return sum(p > n for p in pos for n in neg) / (len(pos) * len(neg))


def auc_ge(y_true, y_score):
    pos, neg = _pairs(y_true, y_score)
    return sum(p >= n for p in pos for n in neg) / (len(pos) * len(neg))


def auc_negative_first(y_true, y_score):
    pos, neg = _pairs(y_true, y_score)
    wins = sum(n > p for p in pos for n in neg)
    ties = sum(n == p for p in pos for n in neg)
    return (wins + 0.5 * ties) / (len(pos) * len(neg))


def _pr_high_to_low(y_true, y_score):
    thresholds = sorted(set(np.asarray(y_score).tolist()), reverse=True)
    tp, fp = _counts_at(y_true, y_score, thresholds)
    precision = tp / (tp + fp)
    recall = tp / np.sum(np.asarray(y_true) == 1)
    return np.concatenate([[1.0], precision]), np.concatenate([[0.0], recall])


def ap_trapezoid(y_true, y_score):
    precision, recall = _pr_high_to_low(y_true, y_score)
    return float(np.trapezoid(precision, recall))


def ap_interpolated(y_true, y_score):
    precision, recall = _pr_high_to_low(y_true, y_score)
    total = 0.0
    for n in range(1, len(recall)):
        total += (recall[n] - recall[n - 1]) * max(precision[n:])  # PASCAL VOC's interpolation
    return total


def ap_plain_mean(y_true, y_score):
    precision, _ = _pr_high_to_low(y_true, y_score)
    return float(np.mean(precision[1:]))


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, roc_one_point_per_sample, "_one_point_per_sample"),
        (check.q1, roc_without_origin, "_no_origin"),
        (check.q1, roc_strictly_greater, "_strictly_greater"),
        (check.q1, roc_swapped, "_swapped"),
        (check.q2, auc_strict_wins, "_ties_as_losses"),
        (check.q2, auc_ge, "_ties_as_wins"),
        (check.q2, auc_negative_first, "_negative_wins"),
        (check.q3, ap_trapezoid, "_trapezoid"),
        (check.q3, ap_interpolated, "_interpolated"),
        (check.q3, ap_plain_mean, "_plain_mean"),
    ]
)


def test_the_lessons_numbers_are_the_references():
    eight = check.q2.fixed[0]
    assert check.q2.expected(eight).value == 0.8125
    assert round(float(check.q3.expected(eight).value), 4) == 0.8542
    assert round(ap_trapezoid(*eight.args), 4) == 0.8354  # the trapezoid is *below* AP on the eight samples


def test_a_plain_loop_with_the_course_conventions_is_correct():
    def roc_auc_by_pairs(y_true, y_score):
        pos, neg = _pairs(y_true, y_score)
        score = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
        return score / (len(pos) * len(neg))

    def roc_points(y_true, y_score):
        return _roc_loop(y_true, y_score)

    assert check.q2.check(roc_auc_by_pairs, seed=0).status == "correct"
    assert check.q1.check(roc_points, seed=0).status == "correct"


def precision_ignoring_prevalence(tpr, fpr, prevalence):
    return np.full(np.shape(prevalence), tpr / (tpr + fpr))


def precision_weights_swapped(tpr, fpr, prevalence):
    pi = np.asarray(prevalence)
    return (1 - pi) * tpr / ((1 - pi) * tpr + pi * fpr)


def precision_unweighted_denominator(tpr, fpr, prevalence):
    return np.asarray(prevalence) * tpr / (tpr + fpr)


test_q4_mistakes_are_diagnosed = mistake_diagnosis_test(
    [
        (check.q4, precision_ignoring_prevalence, "_prevalence_ignored"),
        (check.q4, precision_weights_swapped, "_weights_swapped"),
        (check.q4, precision_unweighted_denominator, "_unweighted_denominator"),
    ]
)


def test_q4_reference_matches_simulated_counts():
    from course_lib.teaching.datasets import make_scores

    # The formula against measured precision on 200,000 simulated samples at the lesson's threshold (logit 1).
    for prevalence in (0.5, 0.1, 0.01):
        y, s = make_scores(200_000, positive_rate=prevalence, seed=3)
        flagged = s >= 1 / (1 + np.exp(-1.0))
        tpr, fpr = flagged[y == 1].mean(), flagged[y == 0].mean()
        measured = (flagged & (y == 1)).sum() / flagged.sum()
        assert float(check.q4.reference(tpr, fpr, np.array([prevalence]))[0]) == pytest.approx(measured)
    np.testing.assert_allclose(check.q4.expected(check.q4.fixed[0]).value.round(4), [0.8413, 0.0508])
