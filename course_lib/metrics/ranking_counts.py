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

from course_lib.metrics.validation import (
    as_array,
    check_consistent_length,
    check_labels_1d,
    check_sample_weight,
    expected,
    unique_labels_1d,
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


# --------------------------------------------------------------------------- validation


def check_scores(y_score, name: str = "y_score", *, ndim: int = 1) -> np.ndarray:
    """A non-empty, finite, real-valued score array with ``ndim`` dimensions.

    Scores need not be probabilities: decision-function values outside [0, 1]
    are fine. Booleans become 0/1 floats.
    """
    arr = as_array(y_score, name)
    if arr.dtype == bool:
        arr = arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        raise TypeError(expected(name, "real-valued scores", f"dtype {arr.dtype}"))
    if arr.ndim != ndim:
        what = "a 1-D array of scores" if ndim == 1 else "a 2-D array of scores of shape (n_samples, n_outputs)"
        hint = " (use y_score.ravel() for a column vector)" if ndim == 1 and arr.ndim == 2 and arr.shape[1] == 1 else ""
        raise ValueError(expected(name, what + hint, f"an array of shape {arr.shape}"))
    if arr.size == 0:
        raise ValueError(expected(name, "non-empty", "an empty array"))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(expected(name, "free of NaN and infinity", "non-finite values"))
    return arr


def _resolve_pos_label(classes: np.ndarray, pos_label):
    """scikit-learn's rule: pos_label may be left out only for labels {0, 1} or {-1, 1}."""
    values = classes.tolist()
    if pos_label is None:
        numeric = classes.dtype.kind in "iuf"
        if not numeric or not (set(values) <= {0, 1} or set(values) <= {-1, 1}):
            raise ValueError(
                expected(
                    "pos_label", f"given when y_true's labels are not {{0, 1}} or {{-1, 1}} (labels: {values})", "None"
                )
            )
        return 1
    if len(values) == 2 and pos_label not in values:
        raise ValueError(expected("pos_label", f"one of the labels in y_true {values}", repr(pos_label)))
    return pos_label


def classes_of(labels: np.ndarray) -> np.ndarray:
    """Sorted distinct labels; for 0/1-style integer labels just a min and a max (no counting pass)."""
    if labels.dtype.kind in "iu":
        low, high = labels.min(), labels.max()
        if high - low <= 1:  # both extremes occur, and nothing fits between them
            return np.unique([low, high])
    return unique_labels_1d(labels)


def binary_target(y_true, pos_label=None) -> np.ndarray:
    """``y_true == pos_label`` as a boolean array, after checking y_true has at most two classes."""
    labels = check_labels_1d(y_true, "y_true")
    classes = classes_of(labels)
    if len(classes) > 2:
        shown = classes[:6].tolist()
        raise ValueError(
            expected("y_true", "binary labels (at most two classes)", f"{len(classes)} classes {shown}")
            + " For multiclass scores use roc_auc_score(..., multi_class='ovr'),"
            " or score one class against the rest with (y_true == k)."
        )
    return labels == _resolve_pos_label(classes, pos_label)


def check_binary_inputs(y_true, y_score, pos_label=None, sample_weight=None):
    """Validated ``(is_positive, y_score, sample_weight)`` for a binary score function."""
    is_pos = binary_target(y_true, pos_label)
    y_score = check_scores(y_score)
    check_consistent_length(y_true=is_pos, y_score=y_score)
    return is_pos, y_score, check_weights(sample_weight, len(is_pos))


def check_weights(sample_weight, n_samples: int):
    """None, or non-negative finite weights of which at least one is positive."""
    w = check_sample_weight(sample_weight, n_samples)
    if w is not None and not (w > 0).any():
        raise ValueError(expected("sample_weight", "positive for at least one sample", "all zero weights"))
    return w


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


def roc_auc_from_counts(counts: ThresholdCounts) -> float:
    """Trapezoid area under the ROC points (FP/N, TP/P), from (0, 0) to (1, 1).

    Between neighbouring thresholds the curve moves right by dFP/N and the
    trapezoid there has mean height (TP_k + TP_{k+1}) / 2P. With integer counts
    the doubled area is an exact integer sum, so the only rounding is the final division.
    """
    fps, tps = counts.fps, counts.tps
    d_fp = -np.diff(fps, append=0)  # negatives scored exactly at each threshold (the last segment ends at 0)
    tp_pairs = tps + np.append(tps[1:], 0)
    return float(np.dot(d_fp, tp_pairs) / (2 * counts.n_pos * counts.n_neg))


def average_precision_from_counts(counts: ThresholdCounts) -> float:
    """AP = sum_n (R_n - R_{n-1}) P_n over the distinct thresholds (the step rule, no interpolation).

    R_n - R_{n-1} is the share of positives scored exactly at threshold n, and
    P_n = TP / (TP + FP) there; TP + FP >= 1 at every distinct score, so no 0/0.
    """
    fps, tps = counts.fps, counts.tps
    new_positives = -np.diff(tps, append=0)
    precision = tps / (tps + fps)
    return float(max(0.0, np.dot(new_positives, precision) / counts.n_pos))


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
    "binary_target",
    "check_binary_inputs",
    "classes_of",
    "check_scores",
    "check_weights",
    "counts_at",
    "counts_at_distinct_scores",
    "roc_auc_from_counts",
    "row_ranks",
    "rowwise_average_precision",
    "rowwise_roc_auc",
]
