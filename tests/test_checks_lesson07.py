"""Lesson 07's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson07 as check


def _columns(y_true, y_pred, axis=0):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    tp = (t * p).sum(axis=axis)
    fp = ((1 - t) * p).sum(axis=axis)
    fn = (t * (1 - p)).sum(axis=axis)
    tn = t.shape[axis] - tp - fp - fn
    return tn, fp, fn, tp


def blocks_textbook(y_true, y_pred):
    tn, fp, fn, tp = _columns(y_true, y_pred)
    return np.array([[[a, b], [c, d]] for a, b, c, d in zip(tp, fn, fp, tn, strict=True)])


def blocks_fp_fn_swapped(y_true, y_pred):
    tn, fp, fn, tp = _columns(y_true, y_pred)
    return np.array([[[a, b], [c, d]] for a, b, c, d in zip(tn, fn, fp, tp, strict=True)])


def blocks_per_row(y_true, y_pred):
    tn, fp, fn, tp = _columns(y_true, y_pred, axis=1)
    return np.stack([tn, fp, fn, tp], axis=1).reshape(-1, 2, 2)


def samples_micro(y_true, y_pred, zero_division=0.0):
    _, fp, fn, tp = _columns(y_true, y_pred)
    denominator = 2 * tp.sum() + fp.sum() + fn.sum()
    return 2 * tp.sum() / denominator if denominator else zero_division


def samples_macro(y_true, y_pred, zero_division=0.0):
    _, fp, fn, tp = _columns(y_true, y_pred)
    return float(
        np.mean(
            [2 * a / (2 * a + b + c) if 2 * a + b + c else zero_division for a, b, c in zip(tp, fp, fn, strict=True)]
        )
    )


def samples_skipping_empty_rows(y_true, y_pred, zero_division=0.0):
    scores = []
    for t, p in zip(np.asarray(y_true), np.asarray(y_pred), strict=True):
        if t.sum() + p.sum() > 0:
            scores.append(2 * np.sum(t * p) / (t.sum() + p.sum()))
    return float(np.mean(scores)) if scores else zero_division


def samples_after_argmax(y_true, y_pred, zero_division=0.0):
    t, p = np.asarray(y_true).argmax(axis=1), np.asarray(y_pred).argmax(axis=1)
    one_hot_t, one_hot_p = np.eye(np.shape(y_true)[1])[t], np.eye(np.shape(y_true)[1])[p]
    overlap = (one_hot_t * one_hot_p).sum(axis=1)
    return float(np.mean(2 * overlap / 2))


def f1_of_cells(y_true, y_pred, average):
    t, p = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    scores, support = [], []
    for cls in (0, 1):  # each cell treated as one sample of a two-class problem
        tp = np.sum((t == cls) & (p == cls))
        fp = np.sum((t != cls) & (p == cls))
        fn = np.sum((t == cls) & (p != cls))
        scores.append(2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0)
        support.append(np.sum(t == cls))
    if average == "micro":
        return float(np.mean(t == p))
    if average == "macro":
        return float(np.mean(scores))
    return float(np.average(scores, weights=support))


def _per_label(y_true, y_pred):
    _, fp, fn, tp = _columns(y_true, y_pred)
    return (
        np.array([2 * a / (2 * a + b + c) if 2 * a + b + c else 0.0 for a, b, c in zip(tp, fp, fn, strict=True)]),
        tp,
        fp,
        fn,
    )


def f1_always_micro(y_true, y_pred, average):
    _, tp, fp, fn = _per_label(y_true, y_pred)
    denominator = 2 * tp.sum() + fp.sum() + fn.sum()
    return 2 * tp.sum() / denominator if denominator else 0.0


def f1_weighted_by_predictions(y_true, y_pred, average):
    per_label, tp, fp, fn = _per_label(y_true, y_pred)
    if average == "micro":
        return f1_always_micro(y_true, y_pred, average)
    if average == "macro":
        return float(per_label.mean())
    predicted = tp + fp
    return float(np.sum(per_label * predicted) / predicted.sum()) if predicted.sum() else 0.0


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, blocks_textbook, "_textbook_layout"),
        (check.q1, blocks_fp_fn_swapped, "_fp_fn_swapped"),
        (check.q1, blocks_per_row, "_per_sample"),
        (check.q2, samples_micro, "_micro"),
        (check.q2, samples_macro, "_macro"),
        (check.q2, samples_skipping_empty_rows, "_empty_rows_skipped"),
        (check.q2, samples_after_argmax, "_argmaxed"),
        (check.q3, f1_of_cells, "_cells_as_samples"),
        (check.q3, f1_always_micro, "_always_micro"),
        (check.q3, f1_weighted_by_predictions, "_weighted_by_predictions"),
    ]
)


def test_the_lessons_numbers_are_the_references():
    photos = check.q2.fixed[0]
    assert round(float(check.q2.expected(photos).value), 4) == 0.8
    empty_0, empty_1 = check.q2.fixed[1:3]
    assert round(float(check.q2.expected(empty_0).value), 4) == 0.6857
    assert round(float(check.q2.expected(empty_1).value), 4) == 0.8286
    micro, macro, weighted = (round(float(check.q3.expected(c).value), 4) for c in check.q3.fixed[:3])
    assert (micro, macro, weighted) == (0.7778, 0.7524, 0.7629)


# --------------------------------------------------------------------------------------------------- q4-q6 pitfalls


def _multilabel_micro(y_true, y_pred):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    tp, fp, fn = (t * p).sum(), ((1 - t) * p).sum(), (t * (1 - p)).sum()
    return 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0


def task_ignored(y_true, y_pred, task):
    return _multilabel_micro(y_true, y_pred)  # the same formula for both tasks


def cells_for_both(y_true, y_pred, task):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def argmax_first(y_true, y_pred, task):
    return float(np.mean(np.asarray(y_true).argmax(axis=1) == np.asarray(y_pred).argmax(axis=1)))


def _precisions(y_true, y_pred, n_classes, zero_division):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    return [np.sum((p == k) & (t == k)) / np.sum(p == k) if np.sum(p == k) else zero_division for k in range(n_classes)]


def precision_always_zero(y_true, y_pred, n_classes, zero_division):
    return float(np.mean(_precisions(y_true, y_pred, n_classes, 0.0)))


def precision_plain_mean(y_true, y_pred, n_classes, zero_division):
    return float(np.mean(_precisions(y_true, y_pred, n_classes, zero_division)))  # NaN in, NaN out


def precision_present_classes(y_true, y_pred, n_classes, zero_division):
    present = sorted(set(np.asarray(y_true).tolist()) | set(np.asarray(y_pred).tolist()))
    return float(np.nanmean([_precisions(y_true, y_pred, n_classes, zero_division)[k] for k in present]))


def f1_sorted(y_true, y_pred, labels):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    out = []
    for name in np.unique(np.asarray(labels)):  # sorted, like scikit-learn without labels=
        tp, fp, fn = (
            np.sum((t == name) & (p == name)),
            np.sum((t != name) & (p == name)),
            np.sum((t == name) & (p != name)),
        )
        out.append(2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0)
    return np.array(out)


test_pitfall_mistakes_are_diagnosed = mistake_diagnosis_test(
    [
        (check.q4, task_ignored, "_task_ignored"),
        (check.q4, cells_for_both, "_always_cells"),
        (check.q4, argmax_first, "_argmax_rows"),
        (check.q5, precision_always_zero, "_zero_division_ignored"),
        (check.q5, precision_plain_mean, "_nan_propagates"),
        (check.q5, precision_present_classes, "_present_only"),
        (check.q6, f1_sorted, "_sorted_order"),
    ]
)


def test_q4_reference_is_what_torchmetrics_returns_for_each_task():
    import torch
    from torchmetrics.classification import MulticlassF1Score, MultilabelF1Score

    for case in check.q4.cases(seed=3, n_random=100):
        y_true, y_pred, task = case.args
        n_labels = y_true.shape[1]
        if task == "multilabel":
            metric = MultilabelF1Score(num_labels=n_labels, average="micro")
        else:
            metric = MulticlassF1Score(num_classes=n_labels, average="micro")
        expected = metric(torch.as_tensor(y_pred), torch.as_tensor(y_true)).item()
        assert abs(check.q4.expected(case).value - expected) < 1e-6, case


def test_q5_and_q6_references_are_scikit_learns():
    import warnings

    from sklearn.metrics import f1_score, precision_score

    for case in check.q5.cases(seed=4, n_random=100):
        y_true, y_pred, n_classes, rule = case.args
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = precision_score(
                y_true, y_pred, labels=list(range(n_classes)), average="macro", zero_division=rule
            )
        np.testing.assert_allclose(check.q5.expected(case).value, expected)
    for case in check.q6.cases(seed=5, n_random=100):
        y_true, y_pred, labels = case.args
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0.0)
        np.testing.assert_allclose(check.q6.expected(case).value, expected)


def test_q6_loop_over_the_given_labels_passes():
    def f1_in_order(y_true, y_pred, labels):
        t, p = list(y_true), list(y_pred)
        out = []
        for name in labels:
            tp = sum(a == name and b == name for a, b in zip(t, p, strict=True))
            wrong = sum((a == name) != (b == name) for a, b in zip(t, p, strict=True))
            out.append(2 * tp / (2 * tp + wrong) if 2 * tp + wrong else 0.0)
        return out

    assert check.q6.check(f1_in_order, seed=0).status == "correct"
