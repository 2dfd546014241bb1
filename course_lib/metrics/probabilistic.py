"""Scores of probabilities: log-loss and the Brier score, two proper scoring rules.

A classifier that outputs a probability ``p`` for each class can be scored on
the probability itself, not only on the label it implies. With ``P[i, c]`` the
probability sample i gives to class c and ``Y[i, c]`` its one-hot truth:

    log-loss = -1/n sum_i log P[i, y_i]                      (natural log)
    Brier    =  1/n sum_i sum_c (Y[i, c] - P[i, c])^2        (halved for binary)

Both are *proper*: if the truth is class 1 with probability q, the expected score
is best when you report exactly ``p = q``. Accuracy and the mean absolute error
are not: they reward pushing p to 0 or 1.

Conventions are scikit-learn 1.9's: a 1-D ``y_proba`` is the probability of the
greater label (the positive class); the columns of a 2-D ``y_proba`` follow the
sorted labels. The helper mapping labels to columns is shared with
:mod:`course_lib.metrics.calibration`.
"""

from __future__ import annotations

import numpy as np

from course_lib.metrics.validation import (
    _describe,
    as_array,
    binary_target,
    check_consistent_length,
    check_labels_1d,
    check_labels_arg,
    check_probabilities,
    check_sample_weight,
    expected,
    unique_labels_1d,
)

# The probability check and the positive-label rule live in course_lib.metrics.validation;
# check_probabilities stays importable from here for the modules that import it from here.


def _short(values: np.ndarray, limit: int = 8) -> str:
    items = values.tolist()
    return str(items) if len(items) <= limit else str(items[:limit])[:-1] + ", ...]"


def class_columns(y_true, labels, n_columns, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(classes, column)``: the sorted class labels behind the columns of a probability matrix,
    and for each sample the column of its true class.

    ``labels=None`` takes the classes from y_true (so every class must occur in it);
    otherwise ``labels`` lists them, sorted, and must contain every label of y_true.
    ``n_columns=None`` stands for a 1-D array of probabilities: exactly two classes.
    """
    t = check_labels_1d(y_true, "y_true")
    if labels is None:
        classes = unique_labels_1d(t)
        if len(classes) < 2:
            raise ValueError(
                expected("y_true", "at least two classes", f"only the label {classes.tolist()}")
                + " Pass every class through the `labels` argument."
            )
        where = "y_true"
    else:
        classes = check_labels_arg(labels, t)
        if len(classes) < 2:
            raise ValueError(expected("labels", "at least two labels", _short(classes)))
        if np.any(classes[1:] < classes[:-1]):
            # scikit-learn warns and silently uses the sorted order for the columns anyway.
            raise ValueError(
                expected("labels", "sorted (the columns of the probabilities follow sorted labels)", _short(classes))
            )
        where = "labels"
    if n_columns is None and len(classes) != 2:
        raise ValueError(
            expected(name, "2-D, one column per class (a 1-D array holds one probability for two classes)",
                     f"a 1-D array and {len(classes)} classes in {where} {_short(classes)}")
        )  # fmt: skip
    if n_columns is not None and len(classes) != n_columns:
        raise ValueError(
            expected(name, f"{len(classes)} columns, one per class in {where} {_short(classes)}", f"{n_columns}")
            + ("" if labels is not None else " If a class never occurs in y_true, list all classes in `labels`.")
        )
    column = _positions(t, classes)
    if labels is not None and (column < 0).any():
        missing = np.unique(t[column < 0])
        raise ValueError(expected("labels", "a list containing every label of y_true", f"no {_short(missing)}"))
    return classes, column


def _positions(t: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Index of each label of ``t`` in sorted ``classes``; -1 where it is absent."""
    if t.dtype.kind in "iu" and classes.dtype.kind in "iu" and len(t) > 0:
        low, high = min(int(t.min()), int(classes.min())), max(int(t.max()), int(classes.max()))
        if low >= 0 and high < 1 << 20:
            # A lookup table: O(n) with no binary search for small integer labels.
            table = np.full(high + 1, -1, dtype=np.intp)
            table[classes] = np.arange(len(classes))
            return table[t]
    pos = np.minimum(np.searchsorted(classes, t), len(classes) - 1)
    return np.where(classes[pos] == t, pos, -1)


def _weighted_mean(per_sample: np.ndarray, sample_weight, normalize: bool = True) -> float:
    if sample_weight is None:
        return float(per_sample.mean() if normalize else per_sample.sum())
    if not normalize:
        return float(np.dot(per_sample, sample_weight))
    if sample_weight.sum() == 0:
        raise ValueError(expected("sample_weight", "weights with a positive sum", "weights that sum to 0"))
    return float(np.average(per_sample, weights=sample_weight))


# ---------------------------------------------------------------------------
# The scores
# ---------------------------------------------------------------------------


def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    r"""Log-loss (cross-entropy): the mean negative log-probability given to the true class.

    .. math:: L = -\frac{1}{n}\sum_i \log p_{i, y_i}

    For binary labels with ``p`` the probability of the positive class this is
    ``-(y log p + (1 - y) log(1 - p))``. It is a strictly proper scoring rule and
    the quantity a classifier is trained to minimise; Guo et al. (2017) use it to
    show that modern networks are overconfident.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probabilities. 1-D: the probability of the greater of the two labels.
        2-D: one column per class, in sorted label order; each row must sum to 1.
    normalize : bool, default=True
        Mean over samples (True) or sum (False).
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        All class labels, sorted, when y_true does not contain every class.

    Notes
    -----
    Clipping, as in scikit-learn 1.9: probabilities are clipped to
    ``[eps, 1 - eps]`` with ``eps = np.finfo(y_proba.dtype).eps`` (2.2e-16 for
    float64, so the worst single-sample loss is about 36.04, not infinity).

    Validation is stricter than scikit-learn's in two places: rows of a 2-D
    ``y_proba`` that do not sum to 1 raise a ValueError (scikit-learn 1.9 warns
    and scores the numbers unnormalised), and unsorted ``labels`` raise a
    ValueError (scikit-learn warns and uses the sorted order regardless).

    Examples
    --------
    >>> round(log_loss([0, 1, 1], [0.2, 0.7, 0.9]), 4)
    0.2284
    >>> round(log_loss(["ham", "spam"], [[0.9, 0.1], [0.3, 0.7]]), 4)
    0.231
    """
    if not isinstance(normalize, (bool, np.bool_)):
        raise TypeError(expected("normalize", "True or False", _describe(normalize)))
    p = check_probabilities(y_proba, "y_proba")
    n = check_consistent_length(y_true=as_array(y_true, "y_true"), y_proba=p)
    w = check_sample_weight(sample_weight, n)
    if p.ndim == 1:
        _, column = class_columns(y_true, labels, None, "y_proba")
        p_true = np.where(column == 1, p, 1 - p)  # the probability given to each sample's own class
    else:
        _, column = class_columns(y_true, labels, p.shape[1], "y_proba")
        p_true = np.take_along_axis(p, column[:, None], axis=1)[:, 0]
    eps = np.finfo(p.dtype).eps
    per_sample = -np.log(np.clip(p_true, eps, 1 - eps).astype(np.float64, copy=False))
    return _weighted_mean(per_sample, w, normalize)


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None, scale_by_half="auto"):
    r"""Brier score: the mean squared distance between the probability vector and the one-hot truth.

    .. math:: B = \frac{1}{n}\sum_i \sum_c (y_{ic} - p_{ic})^2 \in [0, 2]

    For binary problems it is customary to halve it, which leaves
    ``mean((y - p)^2)`` in [0, 1] with ``p`` the positive-class probability.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        1-D: the probability of ``pos_label``. 2-D: one column per class in
        sorted label order, rows summing to 1.
    sample_weight : array-like of shape (n_samples,), optional
    pos_label : label, optional
        The positive class of a 1-D ``y_proba``. Default: 1 for labels {0, 1}
        or {-1, 1}, else the greatest label (an error for string labels).
    labels : array-like, optional
        All class labels, sorted, for a 2-D ``y_proba``.
    scale_by_half : bool or 'auto', default='auto'
        'auto' halves the score when there are at most two columns (binary),
        scikit-learn's rule; a multiclass score stays in [0, 2].

    Examples
    --------
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 4)
    0.0375
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3], scale_by_half=False), 4)
    0.075
    """
    if not (
        isinstance(scale_by_half, (bool, np.bool_)) or (isinstance(scale_by_half, str) and scale_by_half == "auto")
    ):
        raise ValueError(expected("scale_by_half", "True, False or 'auto'", _describe(scale_by_half)))
    p = check_probabilities(y_proba, "y_proba")
    n = check_consistent_length(y_true=as_array(y_true, "y_true"), y_proba=p)
    w = check_sample_weight(sample_weight, n)
    if p.ndim == 1:
        positive = binary_target(y_true, pos_label, greatest_if_numeric=True)
        p64 = p.astype(np.float64, copy=False)
        # Two columns (1 - p, p) against (1 - y, y) contribute the same squared error twice.
        per_sample = 2.0 * (positive - p64) ** 2
        n_columns = 2
    else:
        _, column = class_columns(y_true, labels, p.shape[1], "y_proba")
        p64 = p.astype(np.float64, copy=False)
        # sum_c (y_c - p_c)^2 = sum_c p_c^2 - 2 p_true + 1, without building the one-hot matrix.
        p_true = np.take_along_axis(p64, column[:, None], axis=1)[:, 0]
        per_sample = np.einsum("ij,ij->i", p64, p64) - 2.0 * p_true + 1.0
        n_columns = p.shape[1]
    score = _weighted_mean(per_sample, w)
    if scale_by_half == "auto":
        scale_by_half = n_columns < 3
    return score * 0.5 if scale_by_half else score
