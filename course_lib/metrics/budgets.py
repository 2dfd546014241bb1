"""Alert budgets: the metrics of a classifier that may raise only k alerts, or only so many false alarms.

Both budgets are read off the per-threshold counts of :mod:`course_lib.metrics.ranking_counts`
(TP(u) and FP(u) = positives and negatives scoring at least each distinct score u), so
they are one search in arrays that the ROC and PR curves already use.

**k alerts.** Review the k highest-scoring cases. When several cases share the k-th
highest score, the top k is not defined by the scores alone: some of the tied cases
are reviewed and some are not. course_lib counts every case scored *above* the tied
block, plus the expected number of positives among the ``k - above`` cases taken
from the block when ties are broken at random:

    TP@k = TP(above) + (k - above) * (positives in the block) / (size of the block)

    precision@k = TP@k / k,   recall@k = TP@k / P

Without ties at the cut this is the plain count of positives among the top k. It is
the same convention as the ROC curve's straight segment through a block of tied
scores (the expected curve over random tie orders), and it does not depend on the
order the data came in, which a sort-and-take-k does.

**A false-positive budget.** ``tpr_at_fpr`` is the largest TPR of a threshold
``score >= t`` whose FPR does not exceed ``max_fpr``: a threshold that respects the
budget on these data, without randomising. (The point (FPR, TPR) = (0, 0), predicting
nothing, always qualifies.) It is ``max(tpr[fpr <= max_fpr])`` over scikit-learn's
``roc_curve(..., drop_intermediate=False)``.
"""

from __future__ import annotations

import numbers

import numpy as np

from course_lib.metrics.ranking_counts import ThresholdCounts, counts_at_distinct_scores
from course_lib.metrics.validation import _describe, binary_target, check_consistent_length, check_scores, expected


def _ranking_counts(y_true, y_score, pos_label) -> ThresholdCounts:
    is_pos = binary_target(y_true, pos_label)
    y_score = check_scores(y_score)
    check_consistent_length(y_true=is_pos, y_score=y_score)
    return counts_at_distinct_scores(is_pos, y_score)


def check_k(k, n_samples: int) -> int:
    """An integer number of alerts between 1 and the number of samples."""
    if not isinstance(k, numbers.Integral) or isinstance(k, bool):
        raise TypeError(expected("k", "an integer", _describe(k)))
    if not 1 <= k <= n_samples:
        raise ValueError(expected("k", f"between 1 and the number of samples ({n_samples})", _describe(k)))
    return int(k)


def true_positives_at_k(counts: ThresholdCounts, k: int) -> float:
    """Expected TP among the top k (ties at the cut broken at random), from the per-threshold counts.

    ``alerts = TP + FP`` decreases along the increasing thresholds; the k-th highest score is
    the last threshold with at least k alerts, and the block of cases tied there is the
    step from the next threshold's counts to its own.
    """
    alerts = counts.tps + counts.fps
    cut = int(np.searchsorted(-alerts, -k, side="right")) - 1  # last index with alerts >= k
    above_tp = counts.tps[cut + 1] if cut + 1 < len(alerts) else 0
    above = alerts[cut + 1] if cut + 1 < len(alerts) else 0
    block_tp, block = counts.tps[cut] - above_tp, alerts[cut] - above
    return float(above_tp + (k - above) * block_tp / block)


def precision_at_k(y_true, y_score, *, k, pos_label=None) -> float:
    """Share of positives among the k highest-scoring cases (ties at the k-th score shared out).

    .. math:: \\text{precision@}k = \\frac{\\mathrm{TP@}k}{k}

    TP@k counts the positives scored above the k-th highest score, plus the expected
    number of positives among the cases still needed from the block tied at that score
    (module docstring). Without ties at the cut it is the positives among the top k.

    Examples
    --------
    >>> precision_at_k([1, 0, 1, 0, 1], [0.9, 0.8, 0.7, 0.2, 0.1], k=2)
    0.5
    >>> precision_at_k([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], k=2)  # one of the two tied cases is positive
    0.75
    """
    counts = _ranking_counts(y_true, y_score, pos_label)
    k = check_k(k, int(counts.tps[0] + counts.fps[0]))
    return true_positives_at_k(counts, k) / k


def recall_at_k(y_true, y_score, *, k, pos_label=None) -> float:
    """Share of all positives found among the k highest-scoring cases (ties as in :func:`precision_at_k`).

    .. math:: \\text{recall@}k = \\frac{\\mathrm{TP@}k}{P}

    With no positives at all the ratio is 0/0 and a ValueError says so.

    Examples
    --------
    >>> recall_at_k([1, 0, 1, 0, 1], [0.9, 0.8, 0.7, 0.2, 0.1], k=2)
    0.3333333333333333
    """
    counts = _ranking_counts(y_true, y_score, pos_label)
    k = check_k(k, int(counts.tps[0] + counts.fps[0]))
    if counts.n_pos == 0:
        raise ValueError(expected("y_true", "at least one positive for recall@k", "no positives"))
    return true_positives_at_k(counts, k) / float(counts.n_pos)


def check_max_fpr(max_fpr) -> float:
    if not isinstance(max_fpr, numbers.Real) or isinstance(max_fpr, bool):
        raise TypeError(expected("max_fpr", "a number in (0, 1]", _describe(max_fpr)))
    if not 0 < max_fpr <= 1:
        raise ValueError(expected("max_fpr", "a number in (0, 1]", _describe(max_fpr)))
    return float(max_fpr)


def operating_point_at_fpr(counts: ThresholdCounts, max_fpr: float) -> tuple[float, float, float]:
    """``(threshold, tpr, fpr)`` of the threshold with the highest TPR whose FPR <= ``max_fpr``.

    FPR and TPR both fall as the threshold rises, so the best admissible threshold is
    the lowest one whose FPR fits; when none fits, predicting nothing (threshold
    infinity, (0, 0)) does.
    """
    fpr = counts.fps / counts.n_neg
    first = int(np.searchsorted(-fpr, -max_fpr, side="left"))  # first index with fpr <= max_fpr
    if first == len(fpr):
        return float("inf"), 0.0, 0.0
    return float(counts.thresholds[first]), float(counts.tps[first] / counts.n_pos), float(fpr[first])


def tpr_at_fpr(y_true, y_score, *, max_fpr, pos_label=None) -> float:
    """The highest true positive rate of a threshold whose false positive rate is at most ``max_fpr``.

    .. math:: \\max_t \\{\\mathrm{TPR}(t) : \\mathrm{FPR}(t) \\le \\text{max\\_fpr}\\}

    over the thresholds ``score >= t`` at the distinct scores (plus "predict nothing").
    A block of tied scores is taken whole or not at all: no randomised threshold, so the
    value can lie below the ROC curve's straight segment at ``max_fpr``.

    Examples
    --------
    >>> tpr_at_fpr([0, 0, 1, 0, 1, 1], [0.1, 0.3, 0.35, 0.4, 0.8, 0.9], max_fpr=0.34)
    1.0
    >>> tpr_at_fpr([0, 0, 1, 0, 1, 1], [0.1, 0.3, 0.35, 0.4, 0.8, 0.9], max_fpr=0.3)
    0.6666666666666666
    """
    max_fpr = check_max_fpr(max_fpr)
    counts = _ranking_counts(y_true, y_score, pos_label)
    if counts.n_pos == 0 or counts.n_neg == 0:
        raise ValueError(expected("y_true", "both classes for TPR at a given FPR", "only one class"))
    return operating_point_at_fpr(counts, max_fpr)[1]


__all__ = [
    "check_k",
    "operating_point_at_fpr",
    "precision_at_k",
    "recall_at_k",
    "tpr_at_fpr",
    "true_positives_at_k",
]
