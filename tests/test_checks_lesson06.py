"""Lesson 06's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson06 as check


def _matrix(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        counts[t, p] += 1
    return counts


def matrix_transposed(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        counts[p, t] += 1  # rows = prediction
    return counts


def matrix_fancy_increment(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    counts[np.asarray(y_true), np.asarray(y_pred)] += 1  # a repeated pair is incremented once
    return counts


def _counts(y_true, y_pred, n_classes):
    c = _matrix(y_true, y_pred, n_classes)
    tp = np.diag(c)
    return tp, c.sum(axis=0) - tp, c.sum(axis=1) - tp


def f1_nan(y_true, y_pred, n_classes):
    tp, fp, fn = _counts(y_true, y_pred, n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
    # precision or recall 0 but defined gives F1 = 0 (0/positive) - except 0/0 cases, which stay NaN
    return np.where(2 * tp + fp + fn == 0, np.nan, np.nan_to_num(f1))


def f1_is_precision(y_true, y_pred, n_classes):
    tp, fp, _ = _counts(y_true, y_pred, n_classes)
    return np.array([t / (t + f) if t + f else 0.0 for t, f in zip(tp, fp, strict=True)])


def f1_is_recall(y_true, y_pred, n_classes):
    tp, _, fn = _counts(y_true, y_pred, n_classes)
    return np.array([t / (t + f) if t + f else 0.0 for t, f in zip(tp, fn, strict=True)])


def _per_class(y_true, y_pred, n_classes):
    tp, fp, fn = _counts(y_true, y_pred, n_classes)
    return np.array([2 * t / (2 * t + a + b) if 2 * t + a + b else 0.0 for t, a, b in zip(tp, fp, fn, strict=True)])


def macro_is_micro(y_true, y_pred, n_classes):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))  # "micro" = accuracy for single-label data


def macro_weighted(y_true, y_pred, n_classes):
    support = np.bincount(y_true, minlength=n_classes)
    return float(np.sum(_per_class(y_true, y_pred, n_classes) * support) / support.sum())


def macro_present_only(y_true, y_pred, n_classes):
    present = np.union1d(y_true, y_pred)
    return float(np.mean(_per_class(y_true, y_pred, n_classes)[present]))


def macro_f1_of_means(y_true, y_pred, n_classes):
    tp, fp, fn = _counts(y_true, y_pred, n_classes)
    precision = np.mean([t / (t + f) if t + f else 0.0 for t, f in zip(tp, fp, strict=True)])
    recall = np.mean([t / (t + f) if t + f else 0.0 for t, f in zip(tp, fn, strict=True)])
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, matrix_transposed, "_transposed"),
        (check.q1, matrix_fancy_increment, "_fancy_index_increment"),
        (check.q2, f1_nan, "_nan_for_absent_class"),
        (check.q2, f1_is_precision, "_precision_only"),
        (check.q2, f1_is_recall, "_recall_only"),
        (check.q3, macro_is_micro, "_micro"),
        (check.q3, macro_weighted, "_weighted"),
        (check.q3, macro_present_only, "_present_classes_only"),
        (check.q3, macro_f1_of_means, "_f1_of_macro_precision_and_recall"),
    ]
)


def test_the_lessons_numbers_are_the_references():
    twelve = check.q3.fixed[0]
    np.testing.assert_array_equal(check.q1.expected(twelve).value, [[3, 1, 1], [1, 2, 0], [1, 1, 2]])
    assert round(float(check.q3.expected(twelve).value), 3) == 0.581
    assert round(macro_is_micro(*twelve.args), 3) == 0.583


def test_a_plain_loop_is_correct():
    def macro_f1(y_true, y_pred, n_classes):
        return float(np.mean(_per_class(y_true, y_pred, n_classes)))

    assert check.q1.check(_matrix, seed=0).status == "correct"
    assert check.q3.check(macro_f1, seed=0).status == "correct"


# --------------------------------------------------------------------------------------------------- q4 micro F1


def micro_is_accuracy(y_true, y_pred, labels):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))  # "micro-F1 is accuracy", whatever labels says


def micro_is_macro(y_true, y_pred, labels):
    tp, fp, fn = _counts(y_true, y_pred, max(max(y_true), max(y_pred), max(labels)) + 1)
    scores = [2 * tp[k] / (2 * tp[k] + fp[k] + fn[k]) if 2 * tp[k] + fp[k] + fn[k] else 0.0 for k in labels]
    return float(np.mean(scores))


def micro_with_true_negatives(y_true, y_pred, labels):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    right = sum(int(np.sum((t == k) == (p == k))) for k in labels)
    return right / (len(t) * len(labels))


test_micro_mistakes_are_diagnosed = mistake_diagnosis_test(
    [
        (check.q4, micro_is_accuracy, "_accuracy_whatever_labels"),
        (check.q4, micro_is_macro, "_macro_instead"),
        (check.q4, micro_with_true_negatives, "_one_vs_rest_cell_accuracy"),
    ]
)


def test_q4_reference_is_scikit_learns_micro_and_is_the_accuracy_with_every_class():
    import warnings

    from sklearn.metrics import accuracy_score, f1_score

    for case in check.q4.cases(seed=2, n_random=200):
        y_true, y_pred, labels = case.args
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = f1_score(y_true, y_pred, labels=labels, average="micro", zero_division=0.0)
        value = float(check.q4.expected(case).value)
        assert np.isclose(value, expected)
        if set(labels) >= set(np.union1d(y_true, y_pred)):
            assert np.isclose(value, accuracy_score(y_true, y_pred))


def test_q4_a_plain_loop_passes():
    def micro_f1(y_true, y_pred, labels):
        tp = fp = fn = 0
        for t, p in zip(y_true, y_pred, strict=True):
            tp += t == p and t in labels
            fp += t != p and p in labels
            fn += t != p and t in labels
        return 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0

    assert check.q4.check(micro_f1, seed=0).status == "correct"
