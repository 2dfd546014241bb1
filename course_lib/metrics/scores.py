"""Accuracy, precision, recall, F1 and F-beta, with scikit-learn's averaging rules.

Every score here is a ratio of counts from one multilabel confusion matrix:

    precision = TP / (TP + FP)          (of the predicted positives, how many are right)
    recall    = TP / (TP + FN)          (of the actual positives, how many were found)
    F_beta    = (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)
    F1        = 2 TP / (2 TP + FP + FN)  (harmonic mean of precision and recall)

Averages over classes:

- 'binary'   : the score of ``pos_label`` only;
- 'micro'    : sum TP, FP, FN over classes first, then one ratio;
- 'macro'    : unweighted mean of per-class scores (rare classes count fully);
- 'weighted' : mean of per-class scores weighted by support (TP + FN);
- 'samples'  : multilabel only, per-sample scores averaged over samples;
- None       : the per-class array.

zero_division
-------------
A ratio whose denominator is 0 (no predicted positives for precision, no actual
positives for recall) is undefined. The course's default is ``"warn"``: use 0.0
*and* emit an :class:`UndefinedMetricWarning` naming what was undefined. It is
scikit-learn's default, so a learner sees the same number in both libraries,
and it is never silent. Pass 0, 1 or ``np.nan`` to choose the value and silence
the warning; NaN entries are skipped by the averages.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.metrics.confusion import multilabel_confusion_matrix
from course_lib.metrics.from_counts import scores_from_counts
from course_lib.metrics.validation import (
    check_average,
    check_beta,
    check_int,
    check_label_pair,
    check_sample_weight,
    check_targets,
    check_zero_division,
    expected,
    resolve_pos_label,
    unique_labels_1d,
)


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or number) of samples whose prediction is exactly right.

    accuracy = (TP + TN) / n for binary data; for multilabel indicator matrices a
    sample counts only if every label is right (subset accuracy).

    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    y_type, t, p = check_label_pair(y_true, y_pred)
    w = check_sample_weight(sample_weight, len(t))
    correct = (t == p).all(axis=1) if y_type == "multilabel-indicator" else t == p
    if w is None:
        hits = float(np.count_nonzero(correct))
        return hits / len(t) if normalize else hits
    hits = float(np.dot(correct, w))
    return hits / w.sum() if normalize else hits


def _set_wise_labels(y_type, t, p, average, labels, pos_label):
    """Which labels the scores are computed for, following scikit-learn's rules."""
    if average == "binary":
        if y_type == "multilabel-indicator" or y_type == "multiclass":
            others = [a for a in ("micro", "macro", "weighted", "samples", None) if a != "binary"]
            if y_type == "multiclass":
                others.remove("samples")
            raise ValueError(
                expected("average", f"one of {others} for {y_type} targets", "'binary'")
                + " 'binary' scores a single positive class; pick an average over classes."
            )
        return np.asarray([resolve_pos_label(pos_label, unique_labels_1d(t, p))])
    if pos_label not in (None, 1):
        warnings.warn(
            f"pos_label={pos_label!r} is ignored when average={average!r}; "
            "use labels=[pos_label] to score a single class.",
            UserWarning,
            stacklevel=4,
        )
    if average == "samples" and y_type != "multilabel-indicator":
        raise ValueError(expected("average", "'samples' only for multilabel indicator matrices", "'samples'"))
    return labels


def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    beta=1.0,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("precision", "recall", "f-score"),
    sample_weight=None,
    zero_division="warn",
):
    """Precision, recall, F-beta and support (TP + FN) in one pass over the counts.

    Returns four arrays (one entry per label) when ``average=None``; otherwise
    three floats and ``None`` for the support, as scikit-learn does.

    >>> precision_recall_fscore_support([0, 1, 1, 1], [0, 1, 0, 1], average="binary")
    (1.0, 0.6666666666666666, 0.8, None)
    """
    check_zero_division(zero_division)
    check_average(average)
    beta = check_beta(beta)
    # The binary/multiclass distinction costs a pass over the data; only 'binary' needs it.
    check = check_targets if average == "binary" else check_label_pair
    y_type, t, p = check(y_true, y_pred)
    labels = _set_wise_labels(y_type, t, p, average, labels, pos_label)
    samplewise = average == "samples"
    mcm = multilabel_confusion_matrix(t, p, sample_weight=sample_weight, labels=labels, samplewise=samplewise)
    weights = check_sample_weight(sample_weight, len(t)) if samplewise else None
    return scores_from_counts(
        mcm[:, 1, 1],
        mcm[:, 0, 1],
        mcm[:, 1, 0],
        beta=beta,
        average=average,
        warn_for=warn_for,
        zero_division=zero_division,
        sample_weight=weights,
    )


def _one_score(index, y_true, y_pred, **kwargs):
    return precision_recall_fscore_support(y_true, y_pred, **kwargs)[index]


def precision_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Precision = TP / (TP + FP): of everything called positive, the fraction that is.

    >>> precision_score([0, 1, 1, 0], [1, 1, 1, 0])
    0.6666666666666666
    """
    return _one_score(
        0,
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("precision",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def recall_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Recall = TP / (TP + FN): of the actual positives, the fraction found.

    >>> recall_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return _one_score(
        1,
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("recall",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def fbeta_score(
    y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """F-beta = (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP); recall counts beta times as much as precision.

    >>> round(fbeta_score([0, 1, 1, 0], [1, 1, 0, 0], beta=2), 4)
    0.5
    """
    return _one_score(
        2,
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("f-score",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"):
    """F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.

    >>> round(f1_score([0, 1, 1, 0], [1, 1, 0, 0]), 4)
    0.5
    """
    return fbeta_score(
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def classification_report(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    sample_weight=None,
    digits=2,
    output_dict=False,
    zero_division="warn",
):
    """Per-class precision, recall, F1 and support, plus the averages, as text or a dict.

    The layout is scikit-learn's, character for character. The micro average is
    labelled 'accuracy' for single-label data over all classes, because there
    micro-precision = micro-recall = micro-F1 = accuracy (every error is one FP
    for one class and one FN for another).
    """
    y_type, t, p = check_targets(y_true, y_pred)
    if y_type == "multilabel-indicator":
        present = np.arange(t.shape[1])
    else:
        present = unique_labels_1d(t, p)
    labels_given = labels is not None
    labels = present if labels is None else np.asarray(labels)
    micro_is_accuracy = y_type != "multilabel-indicator" and (not labels_given or set(labels) >= set(present.tolist()))
    if target_names is not None and len(labels) != len(target_names):
        raise ValueError(expected("target_names", f"one name per label ({len(labels)})", f"{len(target_names)} names"))
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    digits = check_int(digits, "digits", minimum=0)

    common = dict(labels=labels, sample_weight=sample_weight, zero_division=zero_division)
    p_, r_, f_, s_ = precision_recall_fscore_support(t, p, average=None, **common)
    headers = ["precision", "recall", "f1-score", "support"]
    averages = ["micro", "macro", "weighted"] + (["samples"] if y_type == "multilabel-indicator" else [])
    rows = {}
    for name, values in zip(target_names, zip(p_, r_, f_, s_, strict=True), strict=True):
        rows[name] = dict(zip(headers, [float(v) for v in values], strict=True))
    for average in averages:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else average + " avg"
        scores = precision_recall_fscore_support(t, p, average=average, **common)[:3]
        rows[heading] = dict(zip(headers, [*scores, float(np.sum(s_))], strict=True))
    if output_dict:
        if "accuracy" in rows:
            rows["accuracy"] = rows["accuracy"]["precision"]
        return rows
    return _format_report(rows, target_names, s_, digits)


def _format_report(rows, target_names, support, digits):
    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    headers = ["precision", "recall", "f1-score", "support"]
    report = ("{:>{width}s} " + " {:>9}" * 4).format("", *headers, width=width) + "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    for name, count in zip(target_names, support, strict=True):
        r = rows[name]
        report += row_fmt.format(name, r["precision"], r["recall"], r["f1-score"], count, width=width, digits=digits)
    report += "\n"
    for heading, r in list(rows.items())[len(target_names) :]:
        total = np.sum(support)
        if heading == "accuracy":
            fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            report += fmt.format(heading, "", "", r["f1-score"], total, width=width, digits=digits)
        else:
            report += row_fmt.format(
                heading, r["precision"], r["recall"], r["f1-score"], total, width=width, digits=digits
            )
    return report
