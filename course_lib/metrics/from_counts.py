"""The compute layer: every set-based score from counts, and the one rule for averaging over classes.

Every label-based function of course_lib (``f1_score``, ``matthews_corrcoef``, ...)
validates its input, counts, and hands the counts to a function here. So does
everything that already *has* counts: the mergeable streaming state, a
bootstrap that redraws the cells of a confusion matrix, a per-group table. No
caller ever rebuilds labels from counts.

Counts come in two shapes:

- per class: ``tp, fp, fn`` arrays of shape (..., K) (one-vs-rest counts);
- a confusion table ``C`` of shape (..., K, K), ``C[i, j]`` = samples of true
  class i predicted as j (rows = truth, columns = prediction).

Any leading axes are a batch: 10,000 bootstrap tables of shape (10000, K, K)
are scored in one vectorised call, and the result has shape (10000,).

    precision = TP / (TP + FP)              recall = TP / (TP + FN)
    F_beta    = (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)
    accuracy  = trace(C) / n
    MCC       = (c n - t.p) / sqrt((n^2 - p.p)(n^2 - t.t))     (t row sums, p column sums, c trace)
    kappa     = 1 - sum(w C) / sum(w E),  E = outer(t, p) / n
    balanced accuracy = mean over classes with support of C_kk / t_k
"""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.metrics.validation import (
    _describe,
    as_array,
    check_bool,
    check_option,
    check_zero_division,
    expected,
    warn_undefined,
)

KAPPA_WEIGHTS = (None, "linear", "quadratic")

_WHY = {
    "Precision is": "predicted samples",
    "Recall is": "true samples",
    "F-score is": "true nor predicted samples",
}


# --------------------------------------------------------------------------- averaging over classes


def average_over_classes(per_class, average, *, weights=None, skip_nan=False):
    """Combine per-class scores (the last axis) into one score: the one averaging rule of course_lib.

    Parameters
    ----------
    per_class : array-like of shape (..., K)
    average : {None, 'macro', 'weighted', 'samples'}
        None returns ``per_class`` unchanged; 'macro' is the plain mean; 'weighted'
        and 'samples' are means weighted by ``weights`` (support per class, or a
        weight per sample). 'micro' is not an average of scores: sum the counts
        first, then compute one score.
    weights : array-like of shape (..., K), optional
        Required for 'weighted'; for 'samples', None means equal weights.
    skip_nan : bool
        Set-based scores (precision, recall, F): NaN entries (``zero_division=np.nan``)
        are left out, and if every weight is 0 the plain mean is used. Ranking
        scores (ROC-AUC, AP; scikit-learn's ``_average_binary_score``): entries with
        weight 0 count as 0, and a total weight of 0 gives 0.0.

    Returns
    -------
    float for 1-D input, an array of the leading shape otherwise.

    .. math:: \\bar s = \\frac{\\sum_k w_k s_k}{\\sum_k w_k}

    >>> average_over_classes([0.5, 1.0, 0.0], "weighted", weights=[2, 1, 1])
    0.5
    """
    values = np.asarray(per_class, dtype=np.float64)
    if average is None:
        return values
    w = np.ones_like(values) if weights is None or average == "macro" else np.asarray(weights, dtype=np.float64)
    w = np.broadcast_to(w, values.shape)
    if skip_nan:
        kept = ~np.isnan(values)
        w = np.where(kept, w, 0.0)
        no_weight = w.sum(axis=-1, keepdims=True) == 0
        w = np.where(no_weight, kept.astype(np.float64), w)  # every class weighs 0: the plain mean
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.sum(np.where(kept, values, 0.0) * w, axis=-1) / np.sum(w, axis=-1)
    elif average == "macro":
        result = values.mean(axis=-1)
    else:
        total = w.sum(axis=-1)
        values = np.where(w == 0, 0.0, values)  # a class nobody has must not turn the average into NaN
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.where(np.isclose(total, 0), 0.0, np.sum(values * w, axis=-1) / total)
    return float(result) if np.ndim(result) == 0 else result


# --------------------------------------------------------------------------- per-class counts


def _safe_divide(numerator, denominator, zero_division, what, average, warn):
    """numerator / denominator, with ``zero_division`` where the denominator is 0."""
    value = check_zero_division(zero_division)
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    undefined = denominator == 0
    result = numerator / np.where(undefined, 1.0, denominator)
    if undefined.any():
        result[undefined] = value
        if warn and isinstance(zero_division, str):
            where = "due to" if result.size == 1 else ("in samples with" if average == "samples" else "in labels with")
            warn_undefined(
                f"{what} ill-defined and being set to 0.0 {where} no {_WHY[what]}. "
                "Use `zero_division` parameter to control this behavior."
            )
    return result


def scores_from_counts(
    tp,
    fp,
    fn,
    *,
    beta=1.0,
    average=None,
    warn_for=("precision", "recall", "f-score"),
    zero_division="warn",
    sample_weight=None,
):
    """Precision, recall, F-beta and support from per-class (or per-sample) TP, FP and FN.

    .. math:: P = \\frac{TP}{TP + FP}, \\quad R = \\frac{TP}{TP + FN}, \\quad
              F_\\beta = \\frac{(1 + \\beta^2) TP}{(1 + \\beta^2) TP + \\beta^2 FN + FP}

    Parameters
    ----------
    tp, fp, fn : array-like of shape (..., K)
        Counts per class (the last axis); leading axes are a batch.
    beta : float, default 1
    average : {None, 'micro', 'macro', 'weighted', 'samples'}
        'micro' sums the counts over the last axis first; 'weighted' weights
        classes by support TP + FN; 'samples' weights rows by ``sample_weight``.
    warn_for, zero_division
        As in :func:`course_lib.precision_recall_fscore_support`.

    Returns
    -------
    precision, recall, f_score, support
        Per class (support = TP + FN) for ``average=None``; otherwise three floats
        (arrays of the batch shape for batched counts) and None.

    >>> scores_from_counts([2, 1], [1, 0], [0, 2], average="macro")
    (0.8333333333333333, 0.6666666666666666, 0.65, None)
    """
    tp, fp, fn = (np.asarray(a) for a in (tp, fp, fn))
    pred_sum, true_sum = tp + fp, tp + fn
    if average == "micro":
        tp, pred_sum, true_sum = (a.sum(axis=-1, keepdims=True) for a in (tp, pred_sum, true_sum))

    precision = _safe_divide(tp, pred_sum, zero_division, "Precision is", average, "precision" in warn_for)
    recall = _safe_divide(tp, true_sum, zero_division, "Recall is", average, "recall" in warn_for)
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        b2 = beta**2
        f_score = _safe_divide(
            (1 + b2) * tp, b2 * true_sum + pred_sum, zero_division, "F-score is", average, "f-score" in warn_for
        )
    if average is None:
        return precision, recall, f_score, true_sum
    weights = {"weighted": true_sum, "samples": sample_weight}.get(average)
    averaged = (average_over_classes(s, average, weights=weights, skip_nan=True) for s in (precision, recall, f_score))
    return (*averaged, None)


# --------------------------------------------------------------------------- a K x K table


def check_table(table, name: str = "table") -> np.ndarray:
    """A confusion table (..., K, K) of non-negative finite counts, as float64."""
    arr = as_array(table, name)  # ragged nested lists: ValueError
    if arr.dtype.kind not in "biuf":
        raise TypeError(expected(name, "an array of counts", _describe(arr)))
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] == 0:
        raise ValueError(expected(name, "a K x K table (or a stack of them, shape (..., K, K))", f"shape {arr.shape}"))
    arr = arr.astype(np.float64, copy=False)
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(expected(name, "non-negative finite counts", "negative or non-finite values"))
    return arr


def counts_from_table(table):
    """``(tp, fp, fn)`` per class of a K x K table: the diagonal, column sums and row sums minus it.

    >>> counts_from_table([[5, 1], [2, 3]])
    (array([5., 3.]), array([2., 1.]), array([1., 2.]))
    """
    c = check_table(table)
    tp = np.diagonal(c, axis1=-2, axis2=-1)
    return tp, c.sum(axis=-2) - tp, c.sum(axis=-1) - tp


def scores_from_table(table, *, beta=1.0, average=None, zero_division="warn"):
    """Precision, recall, F-beta and support per class (or averaged) from a K x K table.

    Class k's one-vs-rest counts are TP = C[k, k], FP = column k minus TP,
    FN = row k minus TP; then :func:`scores_from_counts`. For a single-label
    problem 'micro' precision = recall = F = accuracy.

    >>> scores_from_table([[5, 1], [2, 3]], average="macro")[:3]
    (0.7321428571428572, 0.7166666666666667, 0.717948717948718)
    """
    check_option(average, "average", (None, "micro", "macro", "weighted"))
    return scores_from_counts(*counts_from_table(table), beta=beta, average=average, zero_division=zero_division)


def accuracy_from_table(table):
    """Accuracy = trace(C) / n: the share of samples on the diagonal.

    >>> accuracy_from_table([[5, 1], [2, 3]])
    0.7272727272727273
    """
    c = check_table(table)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.trace(c, axis1=-2, axis2=-1) / c.sum(axis=(-2, -1))
    return _scalar(result)


def matthews_corrcoef_from_table(table):
    r"""Matthews correlation coefficient of a K x K table (Gorodkin's K-class form), in [-1, 1].

    .. math:: \mathrm{MCC} = \frac{c\,n - t \cdot p}{\sqrt{(n^2 - p \cdot p)(n^2 - t \cdot t)}}

    with t the row sums, p the column sums, c the trace and n the total. For two
    classes this is ``(TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``. When
    the denominator is 0 (one class only in truth or prediction) it is 0.0, as in
    scikit-learn.

    >>> round(matthews_corrcoef_from_table([[0, 1], [1, 2]]), 4)
    -0.3333
    """
    c = check_table(table)
    t_sum, p_sum = c.sum(axis=-1), c.sum(axis=-2)
    n_correct, n = np.trace(c, axis1=-2, axis2=-1), p_sum.sum(axis=-1)
    cov_tp = n_correct * n - np.einsum("...k,...k->...", t_sum, p_sum)
    cov_pp = n**2 - np.einsum("...k,...k->...", p_sum, p_sum)
    cov_tt = n**2 - np.einsum("...k,...k->...", t_sum, t_sum)
    denominator = cov_pp * cov_tt
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(denominator == 0, 0.0, cov_tp / np.sqrt(denominator))
    return _scalar(result)


def balanced_accuracy_from_table(table, *, adjusted=False):
    r"""Balanced accuracy: the mean recall over the classes with support (a non-empty row).

    .. math:: \mathrm{BA} = \frac{1}{K'}\sum_{k: t_k > 0} \frac{C_{kk}}{t_k}

    With ``adjusted=True``, ``(BA - 1/K') / (1 - 1/K')``: chance 0, perfect 1. NaN,
    with an UndefinedMetricWarning, when no class has support, or when adjusting
    with a single class.

    >>> balanced_accuracy_from_table([[3, 1], [1, 1]])
    0.625
    """
    adjusted = check_bool(adjusted, "adjusted")
    c = check_table(table)
    support = c.sum(axis=-1)
    has_support = support > 0
    if not has_support.all():  # scikit-learn's condition: a row sum of 0 (a class only predicted)
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=2)
    n_classes = has_support.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        recalls = np.where(has_support, np.diagonal(c, axis1=-2, axis2=-1) / np.where(has_support, support, 1), 0.0)
        score = recalls.sum(axis=-1) / n_classes
        if (n_classes == 0).any():
            warn_undefined("Balanced accuracy is ill-defined: the sample weights sum to 0.")
        if adjusted:
            if (n_classes == 1).any():
                warn_undefined(
                    "Adjusted balanced accuracy is ill-defined with a single class in y_true; returning nan."
                )
            chance = 1 / n_classes
            score = np.where(n_classes == 1, np.nan, (score - chance) / (1 - chance))
    return _scalar(score)


def cohen_kappa_from_table(table, *, weights=None, replace_undefined_by=np.nan):
    r"""Cohen's kappa of a K x K table of two labellings (rows: the first, columns: the second).

    .. math:: \kappa = 1 - \frac{\sum_{ij} w_{ij} C_{ij}}{\sum_{ij} w_{ij} E_{ij}}, \qquad E = \frac{t\,p^T}{n}

    with weights ``w_ij`` = 1 off the diagonal (None), ``|i - j|`` ('linear') or
    ``(i - j)^2`` ('quadratic') in the table's order. ``replace_undefined_by`` is
    returned, with an UndefinedMetricWarning, where kappa is 0/0 (an empty table,
    or a single shared label).

    >>> cohen_kappa_from_table([[2, 0, 0], [1, 1, 0], [0, 0, 1]])
    0.6875
    """
    check_option(weights, "weights", KAPPA_WEIGHTS)
    c = check_table(table)
    row_sums, col_sums = c.sum(axis=-1), c.sum(axis=-2)
    total = col_sums.sum(axis=-1)
    k = c.shape[-1]
    if weights is None:
        w = 1.0 - np.eye(k)
    else:
        positions = np.arange(k, dtype=np.float64)
        gap = positions[None, :] - positions[:, None]
        w = np.abs(gap) if weights == "linear" else gap**2
    with np.errstate(invalid="ignore", divide="ignore"):
        # E = outer(col_sums, row_sums) / n in scikit-learn's orientation; sum(w E) needs no matrix.
        expected_disagreement = np.einsum("...i,ij,...j->...", col_sums, w, row_sums) / total
        denominator = np.where(total == 0, 0.0, expected_disagreement)
        kappa = 1 - np.einsum("...ij,ij->...", c, w) / denominator
    empty, single = total == 0, (total != 0) & (denominator == 0)
    if empty.any():
        warn_undefined(
            "Cohen's kappa is undefined: no sample has labels from `labels` in both y1 and y2; "
            f"returning replace_undefined_by={replace_undefined_by}."
        )
    if single.any():
        warn_undefined(
            "Cohen's kappa is undefined: y1, y2 and labels have only one label in common; "
            f"returning replace_undefined_by={replace_undefined_by}."
        )
    return _scalar(np.where(empty | single, replace_undefined_by, kappa))


def _scalar(result):
    return float(result) if np.ndim(result) == 0 else result


__all__ = [
    "accuracy_from_table",
    "average_over_classes",
    "balanced_accuracy_from_table",
    "check_table",
    "cohen_kappa_from_table",
    "counts_from_table",
    "matthews_corrcoef_from_table",
    "scores_from_counts",
    "scores_from_table",
]
