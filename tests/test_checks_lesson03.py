"""Lesson 03's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
import pytest
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson03 as check


def _counts(y_true, y_pred, label=1):
    a, p = np.asarray(y_true) == label, np.asarray(y_pred) == label
    return int(np.sum(a & p)), int(np.sum(~a & p)), int(np.sum(a & ~p))


def pr_swapped(y_true, y_pred, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    precision = tp / (tp + fn) if tp + fn else zero_division
    recall = tp / (tp + fp) if tp + fp else zero_division
    return precision, recall


def pr_numpy_nan(y_true, y_pred, zero_division=0.0):
    tp, fp, fn = (np.float64(c) for c in _counts(y_true, y_pred))
    with np.errstate(invalid="ignore"):
        return tp / (tp + fp), tp / (tp + fn)


def pr_always_zero(y_true, y_pred, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def pr_floor(y_true, y_pred, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    return (tp // (tp + fp) if tp + fp else zero_division), (tp // (tp + fn) if tp + fn else zero_division)


def pr_divides_by_zero(y_true, y_pred, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    return tp / (tp + fp), tp / (tp + fn)


def fbeta_unsquared(y_true, y_pred, beta=1.0, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    d = (1 + beta) * tp + beta * fn + fp
    return (1 + beta) * tp / d if d else zero_division


def fbeta_backwards(y_true, y_pred, beta=1.0, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    b2 = beta**2
    d = (1 + b2) * tp + b2 * fp + fn
    return (1 + b2) * tp / d if d else zero_division


def fbeta_arithmetic(y_true, y_pred, beta=1.0, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    p = tp / (tp + fp) if tp + fp else zero_division
    r = tp / (tp + fn) if tp + fn else zero_division
    return (p + beta**2 * r) / (1 + beta**2)


def fbeta_from_p_and_r(y_true, y_pred, beta=1.0, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred)
    p = np.float64(tp / (tp + fp) if tp + fp else zero_division)
    r = np.float64(tp / (tp + fn) if tp + fn else zero_division)
    with np.errstate(invalid="ignore"):
        return (1 + beta**2) * p * r / (beta**2 * p + r)


def fbeta_nan_when_empty(y_true, y_pred, beta=1.0, zero_division=0.0):
    tp, fp, fn = (np.float64(c) for c in _counts(y_true, y_pred))
    b2 = beta**2
    with np.errstate(invalid="ignore"):
        return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp)


def _rows(y_true, y_pred, labels, f1_from_p_r=False, undefined=0.0, support_from="true"):
    rows = []
    for label in labels:
        tp, fp, fn = _counts(y_true, y_pred, label)
        p = tp / (tp + fp) if tp + fp else undefined
        r = tp / (tp + fn) if tp + fn else undefined
        if f1_from_p_r:
            f1 = 2 * p * r / (p + r) if p + r else float("nan")
        else:
            f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else undefined
        support = tp + fn if support_from == "true" else tp + fp
        rows.append([p, r, f1, support])
    return np.array(rows)


def report_support_predicted(y_true, y_pred, labels):
    return _rows(y_true, y_pred, labels, support_from="pred")


def report_swapped(y_true, y_pred, labels):
    return _rows(y_true, y_pred, labels)[:, [1, 0, 2, 3]]


def report_sorted(y_true, y_pred, labels):
    return _rows(y_true, y_pred, sorted(labels))


def report_f1_nan(y_true, y_pred, labels):
    return _rows(y_true, y_pred, labels, f1_from_p_r=True)


def report_all_nan(y_true, y_pred, labels):
    return _rows(y_true, y_pred, labels, f1_from_p_r=True, undefined=float("nan"))


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, pr_swapped, "_swapped"),
        (check.q1, pr_numpy_nan, "_nan_at_zero_division"),
        (check.q1, pr_always_zero, "_ignores_zero_division"),
        (check.q1, pr_floor, "_integer_division"),
        (check.q2, fbeta_unsquared, "_beta_not_squared"),
        (check.q2, fbeta_backwards, "_roles_swapped"),
        (check.q2, fbeta_arithmetic, "_arithmetic_mean"),
        (check.q2, fbeta_from_p_and_r, "_nan_when_tp_zero"),
        (check.q2, fbeta_nan_when_empty, "_nan_at_zero_division_f"),
        (check.q3, report_support_predicted, "_support_from_predictions"),
        (check.q3, report_swapped, "_swapped_per_class"),
        (check.q3, report_sorted, "_sorted_rows"),
        (check.q3, report_f1_nan, "_f1_nan_when_both_zero"),
        (check.q3, report_all_nan, "_nan_per_class"),
    ]
)


def test_zero_division_error_gets_the_error_hint():
    outcome = check.q1.check(pr_divides_by_zero, seed=0)
    assert outcome.status == "error"
    assert outcome.message == (
        "`precision_recall` raised ZeroDivisionError: division by zero A denominator was 0 (nothing predicted "
        "positive, or no actual positives): return `zero_division` for that score instead of dividing."
    )
    assert outcome.details.startswith("when called as precision_recall(y_true=np.array([")


def test_f_beta_through_precision_and_recall_in_python_gets_its_error_hint():
    def fbeta(y_true, y_pred, beta=1.0, zero_division=0.0):
        tp, fp, fn = _counts(y_true, y_pred)
        p = tp / (tp + fp) if tp + fp else zero_division
        r = tp / (tp + fn) if tp + fn else zero_division
        return (1 + beta**2) * p * r / (beta**2 * p + r)

    outcome = check.q2.check(fbeta, seed=0)
    assert outcome.status == "error"
    assert outcome.message.endswith(
        "A denominator was 0. If you go through precision and recall, both are 0 when TP = 0, and 2PR / (P + R) is "
        "0 / 0; the count formula avoids that."
    )


def test_references_match_scikit_learn():
    from sklearn.metrics import fbeta_score, precision_recall_fscore_support

    for case in check.q2.cases(seed=2, n_random=100):
        expected = fbeta_score(
            *case.args, beta=case.kwargs.get("beta", 1.0), zero_division=case.kwargs.get("zero_division", 0.0)
        )
        assert float(check.q2.expected(case).value) == pytest.approx(expected)
    for case in check.q3.cases(seed=3, n_random=100):
        y_true, y_pred, labels = case.args
        p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0.0)
        np.testing.assert_allclose(check.q3.expected(case).value, np.column_stack([p, r, f, s]))


def precision_needed_arithmetic(recall, target, beta=1.0):
    p = 2 * target - recall  # as if F1 were the arithmetic mean
    return p if 0 <= p <= 1 else float("nan")


def precision_needed_f1_only(recall, target, beta=1.0):
    denominator = 2 * recall - target
    p = target * recall / denominator if denominator > 0 else float("nan")
    return p if p <= 1 else float("nan")


def precision_needed_no_nan(recall, target, beta=1.0):
    b2 = beta * beta
    denominator = (1 + b2) * recall - target * b2
    return target * recall / denominator if denominator else float("inf")


test_q4_mistakes_are_diagnosed = mistake_diagnosis_test(
    [
        (check.q4, precision_needed_arithmetic, "_arithmetic_mean"),
        (check.q4, precision_needed_f1_only, "_beta_ignored"),
        (check.q4, precision_needed_no_nan, "_unreachable_not_nan"),
    ]
)


def test_q4_reference_lies_on_the_iso_fbeta_curve():
    for case in check.q4.cases(seed=4, n_random=200):
        recall, target = case.args
        beta = case.kwargs.get("beta", 1.0)
        p = float(check.q4.expected(case).value)
        if np.isnan(p):
            # Unreachable: even precision 1 gives less than the target.
            assert (1 + beta**2) * recall / (beta**2 + recall) < target + 1e-12
        else:
            assert 0 <= p <= 1
            assert (1 + beta**2) * p * recall / (beta**2 * p + recall) == pytest.approx(target)
    assert round(float(check.q4.expected(check.q4.fixed[0]).value), 4) == 0.8182
