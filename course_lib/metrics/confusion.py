"""Confusion matrices: every set-based score in course_lib starts from these counts.

For K classes the confusion matrix C is K x K with

    C[i, j] = number of samples whose true class is i and predicted class is j,

rows = truth, columns = prediction (scikit-learn's orientation). For binary labels
{0, 1} this reads [[TN, FP], [FN, TP]].

Counting is one ``np.bincount`` over the pair index ``i * K + j``: a single pass
over the data, no Python loop and, for small integer labels, no sort.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.metrics.validation import (
    _describe,
    as_array,
    check_label_pair,
    check_labels_arg,
    check_sample_weight,
    expected,
)

# Up to this many distinct integer values we count pairs directly on the raw
# values (an M x M table of at most 4 million cells) instead of sorting labels.
_DIRECT_MAX_LABEL = 2048


def pair_counts(y_true: np.ndarray, y_pred: np.ndarray, sample_weight=None):
    """Return ``(classes, C)``: the sorted labels present and their K x K count table.

    Inputs are already-validated 1-D label arrays of equal length.
    """
    if y_true.dtype.kind in "iu" and y_pred.dtype.kind in "iu":
        # Read as unsigned, a negative label becomes huge, so one max per array
        # both sizes the table and sends negative labels to the general path.
        size = max(_unsigned_max(y_true), _unsigned_max(y_pred)) + 1
        if size > _DIRECT_MAX_LABEL:
            table = None
        elif size <= 2 and sample_weight is None:
            table = _binary_table(y_true, y_pred)
        else:
            pair_index = y_true.astype(np.intp, copy=False) * size + y_pred
            table = np.bincount(pair_index, weights=sample_weight, minlength=size * size).reshape(size, size)
        if table is not None:
            if sample_weight is None:
                present = np.flatnonzero(table.any(axis=0) | table.any(axis=1))
            else:  # a zero weight must not hide a label that occurs
                seen = np.zeros(size, dtype=bool)
                seen[y_true] = seen[y_pred] = True
                present = np.flatnonzero(seen)
            return present, table[np.ix_(present, present)]
    # General labels (strings, negative or huge integers): one sort to index them.
    classes, inverse = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
    k, n = len(classes), len(y_true)
    flat = np.bincount(inverse[:n] * k + inverse[n:], weights=sample_weight, minlength=k * k)
    return classes, flat.reshape(k, k)


def _unsigned_max(labels: np.ndarray) -> int:
    """The largest label, or a number above any table size if some label is negative."""
    top = int(labels.view(labels.dtype.str.replace("i", "u")).max())
    if labels.dtype.kind == "i" and top >= 1 << (8 * labels.dtype.itemsize - 1):
        return 1 << 62  # the two's complement of a negative number
    return top


def _binary_table(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """The 2 x 2 table of 0/1 labels from three boolean counts.

    For the commonest case, counting one-byte masks with ``np.count_nonzero`` is
    about twice as fast as a bincount over an 8-byte pair index, and allocates
    no large temporary array.
    """
    n = len(y_true)
    actual, predicted = y_true == 1, y_pred == 1
    n_actual, n_predicted = np.count_nonzero(actual), np.count_nonzero(predicted)
    tp = np.count_nonzero(actual & predicted)
    table = [[n - n_actual - n_predicted + tp, n_predicted - tp], [n_actual - tp, tp]]
    return np.array(table, dtype=np.int64)


def _select(classes: np.ndarray, table: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Rows and columns of ``table`` for ``labels`` (zeros for labels never seen)."""
    pos = np.searchsorted(classes, labels)
    pos_clipped = np.minimum(pos, len(classes) - 1)
    found = classes[pos_clipped] == labels
    out = np.zeros((len(labels), len(labels)), dtype=table.dtype)
    idx = np.flatnonzero(found)
    out[np.ix_(idx, idx)] = table[np.ix_(pos_clipped[idx], pos_clipped[idx])]
    return out


def _per_label(classes: np.ndarray, counts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``counts`` (one per class) reordered for ``labels``; 0 for labels never seen."""
    pos = np.minimum(np.searchsorted(classes, labels), len(classes) - 1)
    return np.where(classes[pos] == labels, counts[pos], 0)


def _count_dtype(sample_weight):
    return np.int64 if sample_weight is None else np.float64


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix ``C[i, j]`` = samples of true class i predicted as class j.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    labels : array-like of shape (n_classes,), optional
        Which classes to show and in which order; default: every label present,
        sorted. Samples whose true or predicted label is not listed are left out.
    sample_weight : array-like of shape (n_samples,), optional
        Each sample counts with its weight instead of 1.
    normalize : {'true', 'pred', 'all'}, optional
        Divide by row sums (recall per class on the diagonal), column sums
        (precision per class on the diagonal) or the total. 0/0 gives 0.

    Examples
    --------
    >>> confusion_matrix([1, 0, 1, 1], [1, 1, 0, 1])
    array([[0, 1],
           [1, 2]])
    """
    y_type, t, p = check_label_pair(y_true, y_pred)
    if y_type == "multilabel-indicator":
        raise ValueError(
            expected("y_true", "1-D class labels", "a multilabel indicator matrix")
            + " Use multilabel_confusion_matrix for multilabel data."
        )
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(expected("normalize", "one of None, 'true', 'pred', 'all'", _describe(normalize)))
    w = check_sample_weight(sample_weight, len(t))
    classes, table = pair_counts(t, p, w)
    if labels is not None:
        labels = check_labels_arg(labels, t)
        if not np.isin(labels, t).any():
            raise ValueError(expected("labels", "a list with at least one label present in y_true", _describe(labels)))
        table = _select(classes, table, labels)
    elif len(classes) == 1:
        warnings.warn(
            "A single label was found in y_true and y_pred, so the matrix is 1 x 1. "
            "Pass `labels` with every class to get the full matrix.",
            UserWarning,
            stacklevel=2,
        )
    cm = table.astype(_count_dtype(w))
    if normalize is None:
        return cm
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return np.nan_to_num(cm)


def multilabel_confusion_matrix(y_true, y_pred, *, sample_weight=None, labels=None, samplewise=False):
    """One 2 x 2 matrix ``[[TN, FP], [FN, TP]]`` per class (one-vs-rest) or per sample.

    For a single-label problem class k's matrix comes from the K x K matrix C:
    TP = C[k, k], FP = column sum - TP, FN = row sum - TP, TN = n - TP - FP - FN.
    For a multilabel indicator matrix each column is its own binary problem;
    with ``samplewise=True`` each row is (the counts behind the 'samples' average).

    Returns
    -------
    ndarray of shape (n_outputs, 2, 2)
    """
    y_type, t, p = check_label_pair(y_true, y_pred)
    w = check_sample_weight(sample_weight, len(t))
    if y_type == "multilabel-indicator":
        tp, fp, fn, total = _multilabel_counts(t, p, w, labels, samplewise)
    else:
        if samplewise:
            raise ValueError(
                expected("samplewise", "False for single-label data", "True")
                + " Samplewise counts only exist for multilabel indicator matrices."
            )
        classes, table = pair_counts(t, p, w)
        # Counts per class come from the whole table, so errors involving labels
        # outside ``labels`` still count as FP/FN of the labels that are kept.
        tp = np.diagonal(table)
        fp = table.sum(axis=0) - tp
        fn = table.sum(axis=1) - tp
        if labels is not None:
            tp, fp, fn = (_per_label(classes, c, check_labels_arg(labels, t)) for c in (tp, fp, fn))
        total = len(t) if w is None else w.sum()
    tn = total - tp - fp - fn
    return np.stack([tn, fp, fn, tp], axis=-1).reshape(-1, 2, 2).astype(_count_dtype(w))


def _multilabel_counts(t, p, w, labels, samplewise):
    n_labels = t.shape[1]
    if labels is not None:
        cols = as_array(labels, "labels")
        if cols.ndim != 1 or cols.dtype.kind not in "iu" or cols.size == 0:
            raise ValueError(expected("labels", "a 1-D list of column indices", _describe(cols)))
        if cols.min() < 0 or cols.max() >= n_labels:
            raise ValueError(expected("labels", f"column indices in [0, {n_labels})", _describe(cols)))
        t, p = t[:, cols], p[:, cols]
    axis = 1 if samplewise else 0
    weights = np.ones(len(t)) if w is None else w
    weights = weights[:, None]
    tp = (t * p * weights).sum(axis=axis)
    fp = ((1 - t) * p * weights).sum(axis=axis)
    fn = (t * (1 - p) * weights).sum(axis=axis)
    if samplewise:
        total = weights[:, 0] * t.shape[1]
    else:
        total = weights.sum()
    if w is None:
        tp, fp, fn = tp.astype(np.int64), fp.astype(np.int64), fn.astype(np.int64)
        total = total.astype(np.int64) if samplewise else int(total)
    return tp, fp, fn, total


def binary_counts(y_true, y_pred, *, pos_label=1):
    """The four counts ``(tn, fp, fn, tp)`` of a binary problem, as Python ints.

    Every label other than ``pos_label`` counts as negative.

    >>> binary_counts([1, 0, 1, 1], [1, 1, 0, 1])
    (0, 1, 1, 2)
    """
    kind, t, p = check_label_pair(y_true, y_pred)
    if kind != "single-label":
        raise ValueError(expected("y_true", "1-D binary labels", "a multilabel indicator matrix"))
    actual, predicted = t == pos_label, p == pos_label
    tp = int(np.count_nonzero(actual & predicted))
    fp = int(np.count_nonzero(predicted)) - tp
    fn = int(np.count_nonzero(actual)) - tp
    return len(t) - tp - fp - fn, fp, fn, tp
