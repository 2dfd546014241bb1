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

import numpy as np

from course_lib.metrics.confusion import _select, pair_counts
from course_lib.metrics.from_counts import (
    KAPPA_WEIGHTS,
    balanced_accuracy_from_table,
    cohen_kappa_from_table,
    matthews_corrcoef_from_table,
)
from course_lib.metrics.validation import (
    _describe,
    check_bool,
    check_consistent_length,
    check_labels_1d,
    check_labels_arg,
    check_option,
    check_sample_weight,
    expected,
)


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
    return matthews_corrcoef_from_table(c)


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
    check_bool(adjusted, "adjusted")
    _, c, _ = _table(y_true, y_pred, sample_weight)
    return balanced_accuracy_from_table(c, adjusted=adjusted)


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
    check_option(weights, "weights", KAPPA_WEIGHTS)
    replace_undefined_by = _check_replace_undefined_by(replace_undefined_by)
    classes, c, a = _table(y1, y2, sample_weight, names=("y1", "y2"))
    if labels is not None:
        labels = check_labels_arg(labels, a)
        if not np.isin(labels, a).any():
            raise ValueError(expected("labels", "a list with at least one label present in y1", _short(labels)))
        c = _select(classes, c, labels)
    return cohen_kappa_from_table(c, weights=weights, replace_undefined_by=replace_undefined_by)


def _short(values: np.ndarray, limit: int = 8) -> str:
    items = values.tolist()
    return str(items) if len(items) <= limit else str(items[:limit])[:-1] + ", ...]"
