"""Single numbers that correct for chance: MCC, balanced accuracy and Cohen's kappa.

On imbalanced data accuracy rewards the majority class: always answering "negative"
on a 95/5 split is 95% accurate. The three scores here are built so that such a
classifier, or one that guesses at random, scores about 0, whatever the class
balance. All three are ratios of sums over one confusion matrix ``C`` (rows =
truth, columns = prediction), so each costs one counting pass over the data and
no sort (:func:`course_lib.metrics.confusion.pair_counts`):

- Matthews correlation coefficient: the correlation between the one-hot truth and
  the one-hot prediction. Binary: ``(TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``.
- Balanced accuracy: the mean of the per-class recalls.
- Cohen's kappa: ``(p_o - p_e) / (1 - p_e)``, observed agreement beyond the agreement
  ``p_e`` expected from two raters labelling independently with their own class rates.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from course_lib.metrics.confusion import _check_labels_arg, _select, pair_counts
from course_lib.metrics.validation import (
    _describe,
    check_consistent_length,
    check_labels_1d,
    check_sample_weight,
    expected,
    warn_undefined,
)

KAPPA_WEIGHTS = (None, "linear", "quadratic")


def _check_label_pair(a, b, names=("y_true", "y_pred")):
    """Two 1-D label arrays of one kind and equal length (errors name the arguments)."""
    a, b = check_labels_1d(a, names[0]), check_labels_1d(b, names[1])
    check_consistent_length(**{names[0]: a, names[1]: b})
    if (a.dtype.kind == "U") != (b.dtype.kind == "U"):
        raise TypeError(
            expected(names[1], f"labels of the same kind as {names[0]}", "strings in one and numbers in the other")
        )
    return a, b


def _table(a, b, sample_weight, names=("y_true", "y_pred")):
    """``(classes, C)`` for every label present in either array."""
    a, b = _check_label_pair(a, b, names)
    w = check_sample_weight(sample_weight, len(a))
    classes, table = pair_counts(a, b, w)
    return classes, table.astype(np.float64), a


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None):
    r"""Matthews correlation coefficient, binary or multiclass, in [-1, 1].

    From the confusion matrix C with row sums t (true counts), column sums p
    (predicted counts), trace c and total n (Gorodkin's K-class form):

    .. math:: \mathrm{MCC} = \frac{c\,n - t \cdot p}{\sqrt{(n^2 - p \cdot p)(n^2 - t \cdot t)}}

    For two classes this is ``(TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``.
    It is symmetric in the classes: swapping which class is called positive does
    not change it (F1 does change). When a denominator factor is 0 (only one class
    in y_true, or only one in y_pred) it returns 0.0 without a warning, as
    scikit-learn does.

    Examples
    --------
    >>> round(matthews_corrcoef([1, 1, 1, 0], [1, 0, 1, 1]), 4)
    -0.3333
    """
    _, c, _ = _table(y_true, y_pred, sample_weight)
    t_sum, p_sum = c.sum(axis=1), c.sum(axis=0)
    n_correct, n = np.trace(c), p_sum.sum()
    cov_tp = n_correct * n - np.dot(t_sum, p_sum)
    cov_pp = n**2 - np.dot(p_sum, p_sum)
    cov_tt = n**2 - np.dot(t_sum, t_sum)
    if cov_pp * cov_tt == 0:
        return 0.0
    return float(cov_tp / np.sqrt(cov_pp * cov_tt))


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    r"""Balanced accuracy: the mean recall over the classes present in y_true.

    .. math:: \mathrm{BA} = \frac{1}{K}\sum_k \frac{C_{kk}}{\sum_j C_{kj}}

    A majority-class or random classifier scores 1/K. With ``adjusted=True`` the
    score is rescaled so that chance is 0 and perfect is 1:
    ``(BA - 1/K) / (1 - 1/K)``.

    Classes that appear only in y_pred have no recall; they are left out with a
    UserWarning, as in scikit-learn. One difference: with ``adjusted=True`` and a
    single class in y_true the adjustment divides by 0; scikit-learn then returns
    nan or -inf, course_lib returns nan with an UndefinedMetricWarning.

    Examples
    --------
    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    if not isinstance(adjusted, (bool, np.bool_)):
        raise TypeError(expected("adjusted", "True or False", _describe(adjusted)))
    _, c, _ = _table(y_true, y_pred, sample_weight)
    support = c.sum(axis=1)
    has_support = support > 0
    if not has_support.all():
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=2)
    recalls = np.diagonal(c)[has_support] / support[has_support]
    if recalls.size == 0:  # every sample weighs 0
        warn_undefined("Balanced accuracy is ill-defined: the sample weights sum to 0.")
        return float("nan")
    score = recalls.mean()
    if adjusted:
        if recalls.size == 1:
            warn_undefined("Adjusted balanced accuracy is ill-defined with a single class in y_true; returning nan.")
            return float("nan")
        chance = 1 / recalls.size
        score = (score - chance) / (1 - chance)
    return float(score)


def _check_replace_undefined_by(value) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if ok and (math.isnan(value) or -1.0 <= value <= 1.0):
        return value
    raise ValueError(expected("replace_undefined_by", "np.nan or a number in [-1, 1]", _describe(value)))


def cohen_kappa_score(y1, y2, *, labels=None, weights=None, sample_weight=None, replace_undefined_by=np.nan):
    r"""Cohen's kappa: agreement between two labellings beyond what chance explains.

    .. math:: \kappa = \frac{p_o - p_e}{1 - p_e} = 1 - \frac{\sum_{ij} w_{ij} C_{ij}}{\sum_{ij} w_{ij} E_{ij}}

    with C the confusion matrix of ``y1`` against ``y2``, E = outer(row sums,
    column sums) / n the matrix expected if the two were independent, and weights
    ``w_ij`` = 1 off the diagonal (``weights=None``), ``|i - j|`` ('linear') or
    ``(i - j)^2`` ('quadratic'), where i, j are positions in ``labels`` (so the
    order of ``labels`` matters for the weighted forms). It is symmetric in y1, y2.

    Parameters
    ----------
    y1, y2 : array-like of shape (n_samples,)
        Two labellings (a truth and a prediction, or two annotators).
    labels : array-like, optional
        Which labels to use and in which order; samples with another label in y1
        or y2 are left out. At least one of them must occur in y1.
    weights : {None, 'linear', 'quadratic'}
    sample_weight : array-like of shape (n_samples,), optional
    replace_undefined_by : np.nan or float in [-1, 1], default=np.nan
        Returned, with an UndefinedMetricWarning, when kappa is 0/0: no sample is
        left after ``labels`` filters them, or the two labellings share a single
        class (p_e = 1).

    Examples
    --------
    >>> cohen_kappa_score(["neg", "pos", "neg", "neu", "pos"], ["neg", "pos", "neg", "neu", "neg"])
    0.6875
    """
    if weights not in KAPPA_WEIGHTS or (weights is not None and not isinstance(weights, str)):
        raise ValueError(expected("weights", f"one of {KAPPA_WEIGHTS}", _describe(weights)))
    replace_undefined_by = _check_replace_undefined_by(replace_undefined_by)
    classes, c, a = _table(y1, y2, sample_weight, names=("y1", "y2"))
    if labels is not None:
        labels = _check_labels_arg(labels, a)
        if not np.isin(labels, a).any():
            raise ValueError(expected("labels", "a list with at least one label present in y1", _short(labels)))
        c = _select(classes, c, labels)
    row_sums, col_sums = c.sum(axis=1), c.sum(axis=0)
    total = col_sums.sum()
    if total == 0:
        warn_undefined(
            "Cohen's kappa is undefined: no sample has labels from `labels` in both y1 and y2; "
            f"returning replace_undefined_by={replace_undefined_by}."
        )
        return replace_undefined_by
    chance = np.outer(col_sums, row_sums) / total  # scikit-learn's orientation; E is symmetric in use below
    k = len(c)
    if weights is None:
        w = 1.0 - np.eye(k)
    else:
        positions = np.arange(k, dtype=np.float64)
        gap = positions[None, :] - positions[:, None]
        w = np.abs(gap) if weights == "linear" else gap**2
    denominator = np.sum(w * chance)
    if denominator == 0:
        warn_undefined(
            "Cohen's kappa is undefined: y1, y2 and labels have only one label in common; "
            f"returning replace_undefined_by={replace_undefined_by}."
        )
        return replace_undefined_by
    return float(1 - np.sum(w * c) / denominator)


def _short(values: np.ndarray, limit: int = 8) -> str:
    items = values.tolist()
    return str(items) if len(items) <= limit else str(items[:limit])[:-1] + ", ...]"
