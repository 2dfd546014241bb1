"""Threshold tuning: the counts and scores at many thresholds at once, and the best threshold.

A sample is predicted positive when ``score >= threshold``. The counts at every
threshold come from one sort (``course_lib.metrics.ranking_counts``), so a sweep
over a million thresholds costs about as much as one.

- :func:`threshold_sweep`         the four counts and precision/recall/F1 at many thresholds at once
- :func:`best_threshold`          the threshold that maximises a metric, and the score there (ties: the largest)
- :func:`best_threshold_range`    the whole interval (low, high] of thresholds that tie for the best score
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from course_lib.metrics.ranking_counts import MULTICLASS_HINT, counts_at, counts_at_distinct_scores
from course_lib.metrics.validation import (
    _describe,
    as_array,
    check_binary_inputs,
    check_option,
    expected,
)

__all__ = ["ThresholdSweep", "best_threshold", "best_threshold_range", "threshold_sweep"]


_SWEEP_METRICS = ("f1", "precision", "recall", "accuracy")


@dataclass(frozen=True, eq=False)
class ThresholdSweep:
    """The confusion counts and scores at each threshold of a sweep (predict positive when score >= t).

    Every array has one entry per threshold. Undefined ratios are 0 (``zero_division=0``,
    silently): precision when nothing is predicted positive, recall when y_true
    has no positives, F1 when both. ``F1 = 2 TP / (2 TP + FP + FN)``.
    """

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    accuracy: np.ndarray

    def __len__(self) -> int:
        return len(self.thresholds)

    def to_rows(self) -> list[dict]:
        """One dict per threshold, with plain Python numbers (for printing or a DataFrame)."""
        names = ("threshold", "tp", "fp", "tn", "fn", "precision", "recall", "f1", "accuracy")
        columns = (self.thresholds, self.tp, self.fp, self.tn, self.fn, self.precision, self.recall, self.f1)
        columns = (*columns, self.accuracy)
        return [dict(zip(names, values, strict=True)) for values in zip(*(c.tolist() for c in columns), strict=True)]

    def best(self, metric: str = "f1") -> tuple[float, float]:
        """``(threshold, score)`` maximising ``metric``; among tied thresholds, the largest (see :func:`best_threshold`)."""
        values = self._metric(metric)
        tied = self.thresholds[values == values.max()]
        return float(tied.max()), float(values.max())

    def ties(self, metric: str = "f1") -> np.ndarray:
        """All thresholds reaching the best ``metric`` value, increasing (a tie is a set, often a range)."""
        values = self._metric(metric)
        return np.sort(self.thresholds[values == values.max()])

    def _metric(self, metric: str) -> np.ndarray:
        return getattr(self, check_option(metric, "metric", _SWEEP_METRICS))

    def table(self, digits: int = 4, max_rows: int = 20) -> str:
        """A fixed-width text table; long sweeps show their first and last rows."""
        header = f"{'threshold':>10} {'TP':>6} {'FP':>6} {'TN':>6} {'FN':>6} {'precision':>9} {'recall':>7} {'F1':>7}"
        rows = self.to_rows()
        shown = rows if len(rows) <= max_rows else rows[: max_rows // 2] + [None] + rows[-(max_rows // 2) :]
        lines = [header]
        for r in shown:
            if r is None:
                lines.append(f"{'...':>10}")
                continue
            counts = " ".join(f"{_fmt_count(r[k]):>6}" for k in ("tp", "fp", "tn", "fn"))
            lines.append(
                f"{r['threshold']:>10.{digits}f} {counts} {r['precision']:>9.{digits}f} "
                f"{r['recall']:>7.{digits}f} {r['f1']:>7.{digits}f}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        n_pos = self.tp[0] + self.fn[0] if len(self) else 0
        n_neg = self.fp[0] + self.tn[0] if len(self) else 0
        head = f"ThresholdSweep({len(self)} threshold{'s' if len(self) != 1 else ''}, {_fmt_count(n_pos)} positives, {_fmt_count(n_neg)} negatives)"
        return head + "\n" + self.table()


def _fmt_count(value) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value}"


def _ratio(numerator, denominator, *, out=None) -> np.ndarray:
    """numerator / denominator as floats, 0 where the denominator is 0 (no warning).

    ``out`` may be the (float) numerator itself: at 1e7 thresholds every array not
    allocated saves time.
    """
    if denominator.min() > 0:  # counts are never negative: the usual case needs no mask
        return np.true_divide(numerator, denominator, out=out)
    undefined = denominator == 0
    result = np.divide(numerator, denominator, out=out, where=~undefined)
    result[undefined] = 0.0
    return result


def _check_thresholds(thresholds) -> np.ndarray:
    if isinstance(thresholds, numbers.Real) and not isinstance(thresholds, bool):
        thresholds = [thresholds]
    arr = as_array(thresholds, "thresholds")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(expected("thresholds", "a non-empty 1-D array of numbers", _describe(arr)))
    if arr.dtype.kind not in "iuf":
        raise TypeError(expected("thresholds", "real numbers", f"dtype {arr.dtype}"))
    arr = arr.astype(np.float64)
    if np.isnan(arr).any():
        raise ValueError(expected("thresholds", "free of NaN", "NaN"))
    return arr


def threshold_sweep(y_true, y_score, thresholds=None, *, pos_label=None) -> ThresholdSweep:
    """TP, FP, TN, FN, precision, recall, F1 and accuracy at many thresholds, from one sort.

    A sample is predicted positive when ``score >= threshold``. The scores are
    sorted once; the counts at every threshold then come from one binary search
    each (``np.searchsorted``), not one pass over the data per threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels ({0, 1} or {-1, 1}, or give ``pos_label``).
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or any finite reals).
    thresholds : float or array-like, optional
        The thresholds to evaluate, in the order given. Default: every distinct
        score, increasing (each one a different classifier; nothing in between
        changes any count).
    pos_label : optional
        The positive class.

    Returns
    -------
    ThresholdSweep
        Arrays ``thresholds, tp, fp, tn, fn, precision, recall, f1, accuracy``;
        0 where a ratio is 0/0. ``print(sweep)`` shows a table, ``sweep.to_rows()``
        gives dicts.

    Examples
    --------
    >>> sweep = threshold_sweep([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.3, 0.5])
    >>> sweep.tp, sweep.fp, sweep.f1
    (array([2, 1]), array([1, 0]), array([0.8       , 0.66666667]))
    """
    is_pos, y_score, _ = check_binary_inputs(y_true, y_score, pos_label, hint=MULTICLASS_HINT)
    counts = counts_at_distinct_scores(is_pos, y_score)
    if thresholds is None:
        grid, fp, tp = counts.thresholds.astype(np.float64, copy=False), counts.fps, counts.tps
    else:
        grid = _check_thresholds(thresholds)
        fp, tp = counts_at(counts, grid)
    return _sweep_from_counts(grid, tp, fp, counts.n_pos, counts.n_neg)


def _sweep_from_counts(grid, tp, fp, n_pos, n_neg) -> ThresholdSweep:
    predicted = tp + fp
    precision = _ratio(tp, predicted)
    np.add(predicted, n_pos, out=predicted)  # now 2 TP + FP + FN = TP + FP + P, the F1 denominator
    f1 = np.multiply(tp, 2.0)
    _ratio(f1, predicted, out=f1)
    tn = n_neg - fp
    accuracy = np.add(tp, tn, dtype=np.float64)
    accuracy /= n_pos + n_neg
    arrays = dict(
        thresholds=grid,
        tp=tp,
        fp=fp,
        tn=tn,
        fn=n_pos - tp,
        precision=precision,
        recall=tp / n_pos if n_pos > 0 else np.zeros(len(tp)),
        f1=f1,
        accuracy=accuracy,
    )
    for value in arrays.values():
        value.setflags(write=False)  # a frozen result: nobody edits a learner's sweep by accident
    return ThresholdSweep(**arrays)


def best_threshold(y_true, y_score, *, metric="f1", thresholds=None, pos_label=None) -> tuple[float, float]:
    """The threshold that maximises ``metric``, and the metric's value there.

    Parameters
    ----------
    y_true, y_score, thresholds, pos_label
        As in :func:`threshold_sweep` (default thresholds: every distinct score).
    metric : {'f1', 'precision', 'recall', 'accuracy'}, default 'f1'

    Returns
    -------
    (threshold, score) : tuple of float

    Notes
    -----
    Ties: when several thresholds reach the same best score, the **largest** of
    them is returned: the most conservative classifier among equally good ones
    (it flags the fewest samples). With the default thresholds it is the top end
    of the whole tied range, which :func:`best_threshold_range` returns; on a grid,
    ``threshold_sweep(...).ties(metric)`` lists every tied grid value. A loop that
    keeps the first strict improvement (``if f > best``) on an increasing grid
    returns the *smallest* tied value instead.

    Examples
    --------
    >>> best_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    (0.35, 0.8)
    """
    return threshold_sweep(y_true, y_score, thresholds, pos_label=pos_label).best(metric)


def best_threshold_range(y_true, y_score, *, metric="f1", pos_label=None) -> tuple[float, float]:
    """The interval ``(low, high]`` of thresholds that all reach the best ``metric`` value.

    Counts only change when the threshold crosses a score, so the metric is a
    step function of the threshold: constant on each interval between
    consecutive distinct scores. ``high`` is :func:`best_threshold`'s answer (the
    largest best distinct score); ``low`` is the distinct score below the lowest
    tied one (``-inf`` if none), excluded: every ``t`` with ``low < t <= high``
    gives the best score.

    >>> best_threshold_range([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    (0.1, 0.35)
    """
    sweep = threshold_sweep(y_true, y_score, pos_label=pos_label)
    values = sweep._metric(metric)
    best = values == values.max()
    top = int(np.flatnonzero(best)[-1])
    # Walk down from the top while the neighbours tie (vectorised: the last non-tied index below `top`).
    below = np.flatnonzero(~best[:top])
    bottom = int(below[-1]) + 1 if len(below) else 0
    low = float(sweep.thresholds[bottom - 1]) if bottom > 0 else float("-inf")
    return low, float(sweep.thresholds[top])
