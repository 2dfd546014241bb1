"""The counting core under every curve: positives and negatives scoring at least each threshold.

A binary classifier that predicts "positive" when ``score >= t`` makes, at threshold t,

    TP(t) = number of positives with score >= t
    FP(t) = number of negatives with score >= t

and FN, TN are what is left over. Both counts only change where t crosses a score
that occurs in the data, so the whole family of classifiers is described by the
counts at the *distinct* scores: tied scores give one point, never several
(scikit-learn's convention).

How the counts are computed, without sorting indices:

1. ``np.sort`` the scores (a value sort, several times faster than ``np.argsort``
   because no permutation is carried along) and find where the value changes:
   the first position of each distinct score u in the ascending order is the
   number of samples scoring *below* u, so ``n - first`` scored at least u.
2. ``np.sort`` the positives' scores alone; a binary search (``np.searchsorted``)
   tells which distinct score each positive has. Counting positives per distinct
   score and summing from the top down gives TP(u).
3. FP(u) is everyone at or above u minus the positives among them.

With sample weights the counts are weighted sums, which need each sample's
weight to travel with its score: there the core sorts indices once (like
scikit-learn) and takes cumulative sums.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# Input checks live in course_lib.metrics.validation; these names stay importable from here
# for modules that imported them from here before (new code: import from validation).
from course_lib.metrics.validation import (  # noqa: F401
    binary_target,
    check_binary_inputs,
    check_scores,
    check_weights,
    classes_of,
    warn_undefined,
)


class ThresholdCounts(NamedTuple):
    """Counts at each distinct score, in increasing order of threshold."""

    thresholds: np.ndarray  # the distinct scores, increasing
    fps: np.ndarray  # negatives scoring >= threshold (decreasing)
    tps: np.ndarray  # positives scoring >= threshold (decreasing)

    @property
    def n_pos(self):
        """Total (weight of) positives: everyone is predicted positive at the lowest threshold."""
        return self.tps[0]

    @property
    def n_neg(self):
        return self.fps[0]


# --------------------------------------------------------------------------- the core


def counts_at_distinct_scores(is_pos: np.ndarray, y_score: np.ndarray, sample_weight=None) -> ThresholdCounts:
    """TP and FP counts at every distinct score (one sort, ties collapsed).

    Integer counts without weights, float sums with them. As in scikit-learn,
    samples of zero weight are dropped first, so their scores are no thresholds.
    """
    if sample_weight is not None:
        return _weighted_counts(is_pos, y_score, sample_weight)
    n = len(y_score)
    ascending = np.sort(y_score)
    changes = ascending[1:] != ascending[:-1]
    if changes.all():  # no ties (the usual case for continuous scores): every score is a threshold
        thresholds = ascending
        at_least = np.arange(n, 0, -1)
    else:
        # first[k] = position of the first copy of the k-th distinct score = how many scored below it.
        first = np.empty(np.count_nonzero(changes) + 1, dtype=np.intp)
        first[0] = 0
        np.add(np.flatnonzero(changes), 1, out=first[1:])
        thresholds = ascending[first]
        at_least = n - first
    # Which distinct score each positive has (a binary search of the sorted positives, so the
    # searches walk forward through memory), then positives per score, summed from the top down.
    positive_scores = np.sort(y_score[is_pos])
    tps = np.bincount(np.searchsorted(thresholds, positive_scores), minlength=len(thresholds))
    np.cumsum(tps[::-1], out=tps[::-1])  # in place: at 1e7 samples every fresh array costs page faults
    fps = np.subtract(at_least, tps, out=at_least)
    return ThresholdCounts(thresholds, fps, tps)


def _weighted_counts(is_pos, y_score, sample_weight) -> ThresholdCounts:
    keep = sample_weight != 0
    if not keep.all():
        is_pos, y_score, sample_weight = is_pos[keep], y_score[keep], sample_weight[keep]
    # Descending order, so the cumulative sums run from the top threshold down
    # and every count is a sum of non-negative terms (monotone despite rounding).
    order = np.argsort(y_score, kind="stable")[::-1]
    descending = y_score[order]
    w = sample_weight[order]
    pos = is_pos[order]
    last = np.flatnonzero(descending[1:] != descending[:-1])  # last index of each run of ties
    ends = np.append(last, len(descending) - 1)
    tps = np.cumsum(np.where(pos, w, 0.0))[ends]
    fps = np.cumsum(np.where(pos, 0.0, w))[ends]
    return ThresholdCounts(descending[ends][::-1], fps[::-1], tps[::-1])


def counts_at(counts: ThresholdCounts, thresholds: np.ndarray):
    """``(fps, tps)`` at arbitrary thresholds, read off the distinct-score counts.

    A threshold t predicts the same as the smallest distinct score u >= t; above
    every score nothing is predicted positive (zero counts).
    """
    k = np.searchsorted(counts.thresholds, thresholds, side="left")  # index of the smallest u >= t
    zero = np.zeros(1, dtype=counts.tps.dtype)
    return np.concatenate([counts.fps, zero])[k], np.concatenate([counts.tps, zero])[k]


# --------------------------------------------------------------------------- summaries of the counts
# Convention: ``fps``, ``tps`` hold, for thresholds in increasing order, the negatives and
# positives scoring at least each threshold (so they decrease; fps[..., 0] = N, tps[..., 0] = P).
# Leading axes are a batch (many resampled or per-group count vectors at once).


def roc_auc_from_counts(fps, tps):
    """Trapezoid area under the ROC points (FP/N, TP/P), from (0, 0) to (1, 1).

    .. math:: \\mathrm{AUC} = \\frac{1}{2PN} \\sum_k (FP_k - FP_{k+1}) (TP_k + TP_{k+1})

    Between neighbouring thresholds the curve moves right by dFP/N and the
    trapezoid there has mean height (TP_k + TP_{k+1}) / 2P. With integer counts
    the doubled area is an exact integer sum, so the only rounding is the final
    division. NaN where P or N is 0 (no warning here: the label-level callers warn).

    >>> roc_auc_from_counts([2, 1, 1, 0], [2, 2, 1, 1])
    0.75
    """
    fps, tps = np.asarray(fps), np.asarray(tps)
    d_fp = -np.diff(fps, append=0, axis=-1)  # negatives scored exactly at each threshold (the last ends at 0)
    tp_pairs = tps + np.concatenate([tps[..., 1:], np.zeros_like(tps[..., :1])], axis=-1)
    denominator = 2 * tps[..., 0] * fps[..., 0]
    twice_area = np.einsum("...k,...k->...", d_fp, tp_pairs) if d_fp.ndim > 1 else np.dot(d_fp, tp_pairs)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(denominator > 0, twice_area / np.where(denominator > 0, denominator, 1), np.nan)
    return float(result) if result.ndim == 0 else result


def average_precision_from_counts(fps, tps):
    """AP = sum_n (R_n - R_{n-1}) P_n over the thresholds (the step rule, no interpolation).

    R_n - R_{n-1} is the share of positives scored exactly at threshold n, and
    P_n = TP / (TP + FP) there. A threshold where nobody is predicted positive
    (an empty top bin) adds no positives, so its 0/0 precision never counts.
    0.0 where P is 0 (scikit-learn's convention; the label-level callers warn).

    >>> round(average_precision_from_counts([2, 1, 1, 0], [2, 2, 1, 1]), 4)
    0.8333
    """
    fps, tps = np.asarray(fps), np.asarray(tps)
    new_positives = -np.diff(tps, append=0, axis=-1)
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros(predicted.shape), where=predicted > 0)
    total = np.einsum("...k,...k->...", new_positives, precision) if tps.ndim > 1 else np.dot(new_positives, precision)
    n_pos = tps[..., 0]
    result = np.divide(total, n_pos, out=np.zeros(np.shape(total)), where=n_pos > 0)
    result = np.maximum(result, 0.0)
    return float(result) if result.ndim == 0 else result


def counts_from_bins(negatives, positives):
    """``(fps, tps)`` from counts per bin in ascending score order: sums from the top bin down.

    A histogram of scores is a set of thresholds at the bins' lower edges, with
    the samples inside a bin tied. The result feeds :func:`roc_auc_from_counts`
    and :func:`average_precision_from_counts` directly.

    >>> counts_from_bins([1, 1, 0], [0, 1, 1])
    (array([2, 1, 0]), array([2, 2, 1]))
    """
    negatives, positives = np.asarray(negatives), np.asarray(positives)
    fps = np.flip(np.cumsum(np.flip(negatives, axis=-1), axis=-1), axis=-1)
    tps = np.flip(np.cumsum(np.flip(positives, axis=-1), axis=-1), axis=-1)
    return fps, tps


def ranking_sums(negatives, positives, *, negatives_below=0, positives_above=0, negatives_above=0):
    """``(2U, S)`` from counts per bin in ascending score order: the additive form of ROC-AUC and AP.

    Inside a bin positives and negatives count as tied. A bin with p positives
    and n negatives, above ``below`` negatives, adds ``p * (2 * below + n)`` to
    twice the Mann-Whitney U (each tie counts 1/2), and adds p times the
    precision ``TP / (TP + FP)`` of everything scoring at least as high to S. Then

        ROC-AUC = 2U / (2 P N)        AP = S / P

    which equal :func:`roc_auc_from_counts` and :func:`average_precision_from_counts`
    of ``counts_from_bins(negatives, positives)``. The sums add up over disjoint
    score ranges held in different places: the ``*_below`` / ``*_above`` counts
    place these bins among the others (course_lib.scale.distributed's ranges).

    >>> ranking_sums([1, 1, 0], [0, 1, 1])
    (7.0, 1.6666666666666665)
    """
    positives = np.asarray(positives, dtype=np.float64)
    negatives = np.asarray(negatives, dtype=np.float64)
    if len(positives) == 0:
        return 0.0, 0.0
    below = negatives_below + np.cumsum(negatives) - negatives
    twice_u = float(np.dot(positives, 2.0 * below + negatives))
    tp = positives_above + np.cumsum(positives[::-1])[::-1]
    fp = negatives_above + np.cumsum(negatives[::-1])[::-1]
    hit = positives > 0
    return twice_u, float(np.dot(positives[hit], tp[hit] / (tp[hit] + fp[hit])))


# --------------------------------------------------------------------------- curve points


def roc_points(counts: ThresholdCounts, *, drop_intermediate: bool = True):
    """``(fpr, tpr, thresholds)`` of the ROC curve, highest threshold first, starting at (0, 0).

    .. math:: \\mathrm{TPR} = TP / P, \\qquad \\mathrm{FPR} = FP / N

    ``drop_intermediate`` keeps a point only where the curve bends. A rate with
    a zero denominator (no negatives, or no positives) is NaN, with an
    UndefinedMetricWarning.
    """
    fps, tps, thresholds = counts.fps, counts.tps, counts.thresholds
    if drop_intermediate and len(fps) > 2:
        # Keep a point only where the curve bends: where the step to the next point differs
        # from the step from the previous one (for FP or TP). The ends always stay.
        d_fp, d_tp = np.diff(fps), np.diff(tps)
        bends = np.empty(len(fps), dtype=bool)
        bends[[0, -1]] = True
        np.not_equal(d_fp[1:], d_fp[:-1], out=bends[1:-1])
        bends[1:-1] |= d_tp[1:] != d_tp[:-1]
        keep = np.flatnonzero(bends)[::-1]  # highest threshold first
    else:
        keep = slice(None, None, -1)
    # The extra first point, threshold +inf, predicts nothing positive: the curve starts at (0, 0).
    fpr, tpr = _prepend(fps[keep], 0.0), _prepend(tps[keep], 0.0)
    thresholds = _prepend(thresholds[keep], np.inf)
    if counts.n_neg <= 0:
        warn_undefined("No negative samples in y_true: the false positive rate FP / N is 0/0 and is set to NaN.")
        fpr[:] = np.nan
    else:
        fpr /= counts.n_neg
    if counts.n_pos <= 0:
        warn_undefined("No positive samples in y_true: the true positive rate TP / P is 0/0 and is set to NaN.")
        tpr[:] = np.nan
    else:
        tpr /= counts.n_pos
    return fpr, tpr, thresholds


def _prepend(values: np.ndarray, first: float) -> np.ndarray:
    """A new float64 array ``[first, *values]`` (one allocation, one copy)."""
    out = np.empty(len(values) + 1, dtype=np.float64)
    out[0] = first
    out[1:] = values
    return out


MULTICLASS_HINT = (
    " For multiclass scores use roc_auc_score(..., multi_class='ovr'),"
    " or score one class against the rest with (y_true == k)."
)
NO_POSITIVES = "No positive samples in y_true: recall (TP / P) is 0/0 and is set to 1 at every threshold."


def pr_points(counts: ThresholdCounts, *, drop_intermediate: bool = False):
    """``(precision, recall, thresholds)``: lowest threshold first, ending at (recall 0, precision 1).

    .. math:: \\mathrm{precision} = \\frac{TP}{TP + FP}, \\qquad \\mathrm{recall} = \\frac{TP}{P}

    ``drop_intermediate`` keeps only the first and last of each run of equal
    recall. No positives: recall is 0/0 and set to 1 (scikit-learn's convention),
    with an UndefinedMetricWarning.
    """
    thresholds, fps, tps = counts
    if drop_intermediate and len(fps) > 2:
        # Points with the same recall as both neighbours sit inside a vertical segment.
        keep = np.ones(len(tps), dtype=bool)
        keep[1:-1] = (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0)
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros(len(tps)), where=predicted != 0)
    if counts.n_pos == 0:
        warn_undefined(NO_POSITIVES)
        recall = np.ones(len(tps))
    else:
        recall = tps / counts.n_pos
    return np.append(precision, 1.0), np.append(recall, 0.0), thresholds


# --------------------------------------------------------------------------- many small problems at once


class RowRanks(NamedTuple):
    """Each row of a score matrix as its own binary problem, sorted once along the rows."""

    is_pos: np.ndarray  # (n_rows, n_cols) labels in ascending-score order
    first: np.ndarray  # index (in that order) of the first score tied with this one
    last: np.ndarray  # index of the last score tied with this one
    n_pos: np.ndarray  # positives per row


def row_ranks(is_pos: np.ndarray, y_score: np.ndarray) -> RowRanks:
    """Sort every row once and find each entry's run of tied scores (for the 'samples' average)."""
    order = np.argsort(y_score, axis=1, kind="stable")
    scores = np.take_along_axis(y_score, order, axis=1)
    labels = np.take_along_axis(is_pos, order, axis=1)
    n_cols = scores.shape[1]
    position = np.arange(n_cols)
    new_run = np.ones(scores.shape, dtype=bool)
    new_run[:, 1:] = scores[:, 1:] != scores[:, :-1]
    run_end = np.ones(scores.shape, dtype=bool)
    run_end[:, :-1] = new_run[:, 1:]
    first = np.maximum.accumulate(np.where(new_run, position, 0), axis=1)
    last = np.minimum.accumulate(np.where(run_end, position, n_cols)[:, ::-1], axis=1)[:, ::-1]
    return RowRanks(labels, first, last, labels.sum(axis=1))


def rowwise_roc_auc(ranks: RowRanks) -> np.ndarray:
    """ROC AUC of every row via ranks (Mann-Whitney): AUC = (R+ - P(P+1)/2) / (P N).

    R+ is the sum of the positives' ranks, tied scores sharing their mean rank;
    this equals the trapezoid area under the ROC curve. NaN for one-class rows.
    """
    n_cols = ranks.is_pos.shape[1]
    p = ranks.n_pos
    twice_rank_sum = np.where(ranks.is_pos, ranks.first + ranks.last + 2, 0).sum(axis=1)  # 1-based mean ranks x 2
    denominator = 2 * p * (n_cols - p)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (twice_rank_sum - p * (p + 1)) / denominator, np.nan)


def rowwise_average_precision(ranks: RowRanks) -> np.ndarray:
    """AP of every row: the mean, over the row's positives, of the precision at that positive's score.

    Precision at score s = (positives scoring >= s) / (everyone scoring >= s); rows
    without positives get 0.
    """
    n_cols = ranks.is_pos.shape[1]
    positives_before = np.cumsum(ranks.is_pos, axis=1) - ranks.is_pos  # positives strictly earlier in the order
    tp_at_least = ranks.n_pos[:, None] - np.take_along_axis(positives_before, ranks.first, axis=1)
    precision = tp_at_least / (n_cols - ranks.first)
    total = np.where(ranks.is_pos, precision, 0.0).sum(axis=1)
    return np.divide(total, ranks.n_pos, out=np.zeros(len(total)), where=ranks.n_pos > 0)


__all__ = [
    "ThresholdCounts",
    "average_precision_from_counts",
    "counts_at",
    "counts_at_distinct_scores",
    "counts_from_bins",
    "pr_points",
    "ranking_sums",
    "roc_auc_from_counts",
    "roc_points",
    "row_ranks",
    "rowwise_average_precision",
    "rowwise_roc_auc",
]
