"""Curves of a score: ROC and precision-recall points, and the raw counts behind them.

A score becomes a prediction only through a threshold t: predict positive when
``score >= t`` (scikit-learn's convention and the course's). Every function here
validates, counts once (``course_lib.metrics.ranking_counts`` sorts the scores,
collapses tied scores into one point, and returns how many positives (TP) and
negatives (FP) score at least each distinct value), and turns the counts into points:

    TPR = recall = TP / P        FPR = FP / N        precision = TP / (TP + FP)

- :func:`confusion_matrix_at_thresholds` the raw counts behind every curve (scikit-learn 1.8+)
- :func:`roc_curve`               (FPR, TPR) for every distinct threshold
- :func:`precision_recall_curve`  (precision, recall) for every distinct threshold

The areas under them live in :mod:`course_lib.metrics.areas`, threshold tuning in
:mod:`course_lib.metrics.thresholds`; both are re-exported here, so
``from course_lib.metrics.curves import roc_auc_score`` keeps working.
"""

from __future__ import annotations

from course_lib.metrics.areas import auc, average_precision_score, roc_auc_score
from course_lib.metrics.ranking_counts import MULTICLASS_HINT, counts_at_distinct_scores, pr_points, roc_points
from course_lib.metrics.thresholds import ThresholdSweep, best_threshold, best_threshold_range, threshold_sweep
from course_lib.metrics.validation import check_binary_inputs, check_bool

__all__ = [
    "ThresholdSweep",
    "auc",
    "average_precision_score",
    "best_threshold",
    "best_threshold_range",
    "confusion_matrix_at_thresholds",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
    "threshold_sweep",
]


def confusion_matrix_at_thresholds(y_true, y_score, *, pos_label=None, sample_weight=None):
    """The four counts at every distinct score, highest threshold first.

    Element i counts the predictions ``score >= thresholds[i]``; the thresholds are
    the distinct scores in decreasing order (tied scores give one entry).

    Returns
    -------
    tns, fps, fns, tps, thresholds : ndarray of shape (n_thresholds,)
        Counts (integers without ``sample_weight``, weighted sums with it) and
        the decreasing thresholds.

    Examples
    --------
    >>> tns, fps, fns, tps, thresholds = confusion_matrix_at_thresholds([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> tps, fps
    (array([1, 1, 2, 2]), array([0, 1, 1, 2]))
    >>> thresholds
    array([0.8 , 0.4 , 0.35, 0.1 ])
    """
    counts = counts_at_distinct_scores(
        *check_binary_inputs(y_true, y_score, pos_label, sample_weight, hint=MULTICLASS_HINT)
    )
    fps, tps = counts.fps[::-1], counts.tps[::-1]
    return counts.n_neg - fps, fps, counts.n_pos - tps, tps, counts.thresholds[::-1]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic: (FPR, TPR) as the threshold moves down through the scores.

    .. math:: \\mathrm{TPR}(t) = \\frac{TP(t)}{P}, \\qquad \\mathrm{FPR}(t) = \\frac{FP(t)}{N}

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels. Unless they are {0, 1} or {-1, 1}, give ``pos_label``.
    y_score : array-like of shape (n_samples,)
        Scores for the positive class: probabilities or any real decision values
        (NaN and infinity are refused).
    pos_label : int, float, bool or str, optional
        The positive class (default 1 for {0, 1} / {-1, 1} labels).
    sample_weight : array-like of shape (n_samples,), optional
    drop_intermediate : bool, default True
        Drop points lying on a straight segment between their neighbours (they
        change neither the picture nor the area).

    Returns
    -------
    fpr, tpr : ndarray
        Increasing rates; ``fpr[i], tpr[i]`` belong to ``score >= thresholds[i]``.
    thresholds : ndarray
        Decreasing; ``thresholds[0] = inf`` adds the point (0, 0) (predict nothing positive).

    Warns
    -----
    UndefinedMetricWarning
        When y_true has no negatives (FPR is 0/0: all NaN) or no positives (TPR all NaN).

    Examples
    --------
    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr, tpr
    (array([0. , 0. , 0.5, 0.5, 1. ]), array([0. , 0.5, 0.5, 1. , 1. ]))
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    drop_intermediate = check_bool(drop_intermediate, "drop_intermediate")
    counts = counts_at_distinct_scores(
        *check_binary_inputs(y_true, y_score, pos_label, sample_weight, hint=MULTICLASS_HINT)
    )
    return roc_points(counts, drop_intermediate=drop_intermediate)


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Precision and recall at every distinct score, lowest threshold first, ending at (recall 0, precision 1).

    .. math:: \\mathrm{precision}(t) = \\frac{TP(t)}{TP(t) + FP(t)}, \\qquad \\mathrm{recall}(t) = \\frac{TP(t)}{P}

    Parameters are those of :func:`roc_curve`; ``drop_intermediate=True`` keeps
    only the first and last of each run of equal recall (a vertical segment).

    Returns
    -------
    precision : ndarray of shape (n_thresholds + 1,)
        ``precision[i]`` belongs to ``score >= thresholds[i]``; the last entry is 1
        (no threshold: the curve's start on the precision axis).
    recall : ndarray of shape (n_thresholds + 1,)
        Decreasing, ending with 0.
    thresholds : ndarray of shape (n_thresholds,)
        The distinct scores, increasing.

    Warns
    -----
    UndefinedMetricWarning
        When y_true has no positives: recall is 0/0 and scikit-learn's convention
        sets it to 1 everywhere.

    Examples
    --------
    >>> precision, recall, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    """
    drop_intermediate = check_bool(drop_intermediate, "drop_intermediate")
    counts = counts_at_distinct_scores(
        *check_binary_inputs(y_true, y_score, pos_label, sample_weight, hint=MULTICLASS_HINT)
    )
    return pr_points(counts, drop_intermediate=drop_intermediate)
