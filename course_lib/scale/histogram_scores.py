"""Binned scores from score histograms: the per-threshold counts go to the metrics core, which computes.

A histogram row pair ``(negatives, positives)`` holds, per score bin (lowest scores
first), how many negatives and positives scored in that bin. The classifier
"positive when score >= the bin's lower edge" then has

    TP_b = sum of positives in bins >= b        FP_b = sum of negatives in bins >= b

which are exactly the per-threshold counts of data whose scores were replaced
by their bins (``course_lib.metrics.ranking_counts.counts_from_bins``). So the
binned ROC-AUC, average precision and curves are the metrics core's
``roc_auc_from_counts``, ``average_precision_from_counts``, ``roc_points`` and
``pr_points`` of those counts, not a second implementation: inside a bin
positives and negatives count as tied (1/2 per pair). What this module adds is
the state's wording of the undefined cases, and the error bound of the binning.

    >>> round(binned_roc_auc([2, 1, 0], [0, 1, 2]), 4)  # negatives, positives per bin: 8.5 of 9 pairs
    0.9444
    >>> round(auc_error_bound([2, 1, 0], [0, 1, 2]), 4)  # one pair of 9 shares a bin, guessed at 1/2
    0.0556
"""

from __future__ import annotations

import numpy as np

from course_lib.metrics.ranking_counts import (
    ThresholdCounts,
    average_precision_from_counts,
    counts_from_bins,
    pr_points,
    roc_auc_from_counts,
    roc_points,
)
from course_lib.metrics.validation import warn_undefined

__all__ = [
    "auc_error_bound",
    "binned_average_precision",
    "binned_precision_recall_curve",
    "binned_roc_auc",
    "binned_roc_curve",
]


def _counts(negatives, positives):
    """``(fps, tps)`` as float64: products of billions of counts must not overflow int64."""
    return counts_from_bins(np.asarray(negatives, dtype=np.float64), np.asarray(positives, dtype=np.float64))


def binned_roc_auc(negatives, positives) -> float:
    """ROC-AUC of a histogram, pairs sharing a bin counting 1/2.

    .. math:: \\mathrm{AUC}_B = \\sum_b p_b \\left(\\sum_{b' < b} n_{b'} + \\tfrac12 n_b\\right)

    with ``p_b = positives[b] / P`` and ``n_b = negatives[b] / N``. One class only:
    NaN and an UndefinedMetricWarning, as ``course_lib.metrics.curves`` does.
    """
    fps, tps = _counts(negatives, positives)
    if len(tps) == 0 or tps[0] <= 0 or fps[0] <= 0:
        warn_undefined("Only one class is present in the state: ROC AUC is undefined and is set to NaN.")
        return float("nan")
    return roc_auc_from_counts(fps, tps)


def binned_average_precision(negatives, positives) -> float:
    """AP = sum_b (R_b - R_{b+1}) P_b over the bins: scikit-learn's AP with every score replaced by its bin.

    No positives: 0.0 and an UndefinedMetricWarning (scikit-learn's convention).
    """
    fps, tps = _counts(negatives, positives)
    if len(tps) == 0 or tps[0] <= 0:
        warn_undefined("No positive samples in the state: average precision is set to 0.")
        return 0.0
    return average_precision_from_counts(fps, tps)


def auc_error_bound(negatives, positives) -> float:
    """How far the binned ROC-AUC can be from the exact one: ``1/2 * sum_b p_b * n_b``.

    Only a (positive, negative) pair sharing a bin is guessed (at 1/2); the guess
    is off by at most 1/2 per such pair, a fraction ``p_b n_b`` of all pairs.
    NaN when a class is missing (the AUC itself is undefined then).
    """
    positives = np.asarray(positives, dtype=np.float64)
    negatives = np.asarray(negatives, dtype=np.float64)
    n_pos, n_neg = positives.sum(), negatives.sum()
    if n_pos <= 0 or n_neg <= 0:
        return float("nan")
    return float(0.5 * np.dot(positives / n_pos, negatives / n_neg))


def _threshold_counts(negatives, positives, edges) -> ThresholdCounts:
    """The counts at every bin's lower edge (-inf for bin 0), thresholds increasing."""
    fps, tps = _counts(negatives, positives)
    return ThresholdCounts(np.concatenate([[-np.inf], edges]), fps, tps)


def binned_roc_curve(negatives, positives, edges):
    """(FPR, TPR, thresholds) at every bin edge, thresholds decreasing ``[inf, e_{B-1}, ..., e_1, -inf]``.

    The first point is (0, 0), the last (1, 1). Empty bins repeat a point; nothing
    is dropped, so the arrays have B + 1 entries and line up with torchmetrics'
    binned curves. A missing class: that rate is NaN, with an UndefinedMetricWarning.
    """
    return roc_points(_threshold_counts(negatives, positives, edges), drop_intermediate=False)


def binned_precision_recall_curve(negatives, positives, edges):
    """(precision, recall, thresholds), thresholds increasing ``[-inf, e_1, ..., e_{B-1}]``.

    Ends at (recall 0, precision 1); precision is 0 where nothing scores that high
    (scikit-learn's convention; torchmetrics says NaN).
    """
    return pr_points(_threshold_counts(negatives, positives, edges))
