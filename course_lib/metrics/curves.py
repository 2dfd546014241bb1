"""Everything that works on scores rather than hard predictions: ROC and PR curves, their areas, threshold sweeps.

A score becomes a prediction only through a threshold t: predict positive when
``score >= t`` (scikit-learn's convention and the course's). Every function here
sits on one counting core (``course_lib.metrics.ranking_counts``) that sorts the scores once,
collapses tied scores into one point, and returns how many positives (TP) and
negatives (FP) score at least each distinct value:

    TPR = recall = TP / P        FPR = FP / N        precision = TP / (TP + FP)

- :func:`roc_curve`               (FPR, TPR) for every distinct threshold
- :func:`precision_recall_curve`  (precision, recall) for every distinct threshold
- :func:`auc`                     trapezoid area under any curve
- :func:`roc_auc_score`           area under the ROC curve (binary, multiclass OvR/OvO, multilabel)
- :func:`average_precision_score` AP = sum_n (R_n - R_{n-1}) P_n, the step rule (binary, multilabel)
- :func:`threshold_sweep`         the four counts and precision/recall/F1 at many thresholds at once
- :func:`best_threshold`          the threshold that maximises a metric, and the score there (ties: the largest)
- :func:`best_threshold_range`    the whole interval (low, high] of thresholds that tie for the best score
- :func:`confusion_matrix_at_thresholds` the raw counts behind every curve (scikit-learn 1.8+)

Names, signatures, return orders and the one-class conventions are scikit-learn's,
so a learner's knowledge carries straight over.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from course_lib.metrics.ranking_counts import (
    average_precision_from_counts,
    binary_target,
    check_binary_inputs,
    check_scores,
    check_weights,
    classes_of,
    counts_at,
    counts_at_distinct_scores,
    roc_auc_from_counts,
    row_ranks,
    rowwise_average_precision,
    rowwise_roc_auc,
)
from course_lib.metrics.validation import (
    _describe,
    as_array,
    check_consistent_length,
    check_labels_1d,
    check_multilabel,
    expected,
    unique_labels_1d,
    warn_undefined,
)

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

_NO_POSITIVES = "No positive samples in y_true: recall (TP / P) is 0/0 and is set to 1 at every threshold."


# --------------------------------------------------------------------------- curves


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
    counts = counts_at_distinct_scores(*check_binary_inputs(y_true, y_score, pos_label, sample_weight))
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
    drop_intermediate = _check_bool(drop_intermediate, "drop_intermediate")
    counts = counts_at_distinct_scores(*check_binary_inputs(y_true, y_score, pos_label, sample_weight))
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
    drop_intermediate = _check_bool(drop_intermediate, "drop_intermediate")
    counts = counts_at_distinct_scores(*check_binary_inputs(y_true, y_score, pos_label, sample_weight))
    thresholds, fps, tps = counts
    if drop_intermediate and len(fps) > 2:
        # Points with the same recall as both neighbours sit inside a vertical segment.
        keep = np.ones(len(tps), dtype=bool)
        keep[1:-1] = (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0)
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros(len(tps)), where=predicted != 0)
    if counts.n_pos == 0:
        warn_undefined(_NO_POSITIVES)
        recall = np.ones(len(tps))
    else:
        recall = tps / counts.n_pos
    return np.append(precision, 1.0), np.append(recall, 0.0), thresholds


def auc(x, y):
    """Area under the curve through the points (x, y), by the trapezoid rule.

    .. math:: \\mathrm{AUC} = \\sum_i (x_{i+1} - x_i) \\frac{y_i + y_{i+1}}{2}

    ``x`` must be monotonic (increasing or decreasing); the area is positive either way.

    >>> auc([0, 0.5, 1], [0, 1, 1])
    0.75
    """
    x_arr, y_arr = check_scores(x, "x"), check_scores(y, "y")
    check_consistent_length(x=x_arr, y=y_arr)
    if len(x_arr) < 2:
        raise ValueError(expected("x", "at least 2 points", f"{len(x_arr)} point"))
    dx = np.diff(x_arr)
    direction = 1.0
    if (dx < 0).any():
        if not (dx <= 0).all():
            raise ValueError(expected("x", "monotonic (increasing or decreasing)", "values that go up and down"))
        direction = -1.0
    return float(direction * np.trapezoid(y_arr, x_arr))


# --------------------------------------------------------------------------- areas as scores


def _binary_roc_auc(is_pos, y_score, sample_weight=None, max_fpr=None) -> float:
    counts = counts_at_distinct_scores(is_pos, y_score, sample_weight)
    if counts.n_pos <= 0 or counts.n_neg <= 0:
        warn_undefined("Only one class is present in y_true: ROC AUC is undefined and is set to NaN.")
        return float("nan")
    if max_fpr is None or max_fpr == 1:
        return roc_auc_from_counts(counts)
    # Partial AUC up to max_fpr, standardised (McClish): 0.5 for a random ranking, 1 for a perfect one.
    fpr, tpr, _ = roc_curve(is_pos, y_score, sample_weight=sample_weight)
    stop = np.searchsorted(fpr, max_fpr, side="right")
    tpr_at_max = np.interp(max_fpr, fpr[stop - 1 : stop + 1], tpr[stop - 1 : stop + 1])
    partial = auc(np.append(fpr[:stop], max_fpr), np.append(tpr[:stop], tpr_at_max))
    min_area, max_area = 0.5 * max_fpr**2, max_fpr
    return float(0.5 * (1 + (partial - min_area) / (max_area - min_area)))


def _binary_average_precision(is_pos, y_score, sample_weight=None) -> float:
    counts = counts_at_distinct_scores(is_pos, y_score, sample_weight)
    if counts.n_pos <= 0:
        warn_undefined(_NO_POSITIVES + " Average precision is 0.")
        return 0.0
    return average_precision_from_counts(counts)


def roc_auc_score(
    y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise", labels=None
):
    """Area under the ROC curve: the probability that a random positive outscores a random negative.

    .. math:: \\mathrm{AUC} = P(s^+ > s^-) + \\tfrac12 P(s^+ = s^-)

    computed as the trapezoid area under (FPR, TPR); tied scores count one half.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Binary or multiclass labels, or a multilabel 0/1 indicator matrix. In the
        binary case the greater label is the positive class.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary: scores of the positive class. Multiclass: probabilities, one
        column per class in sorted label order (rows must sum to 1).
        Multilabel: one score column per label.
    average : {'macro', 'weighted', 'micro', 'samples'} or None, default 'macro'
        How per-class (per-label) areas are combined; ignored for binary data.
        Multiclass 'ovr' allows 'micro', 'macro', 'weighted', None; 'ovo' allows
        'macro' and 'weighted'.
    sample_weight : array-like of shape (n_samples,), optional
    max_fpr : float in (0, 1], optional
        Binary only: the standardised partial AUC over FPR in [0, max_fpr].
    multi_class : {'raise', 'ovr', 'ovo'}, default 'raise'
        Multiclass only: one-vs-rest, or one-vs-one (Hand & Till) averages; the
        default refuses to choose for you, as scikit-learn does.
    labels : array-like, optional
        Multiclass only: the classes the columns of y_score stand for (sorted).

    Warns
    -----
    UndefinedMetricWarning
        When only one class is present in y_true (or in a label column): that AUC
        is NaN (scikit-learn 1.9's convention; older versions raised ValueError).

    Examples
    --------
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    max_fpr = _check_max_fpr(max_fpr)
    kind, t, s = _score_target_kind(y_true, y_score)
    if kind == "binary" and s.ndim == 2 and s.shape[1] <= 2:
        raise ValueError(
            expected("y_score", "a 1-D array of positive-class scores for binary y_true", f"shape {s.shape}")
            + " For predict_proba output pass y_score[:, 1]."
        )
    if kind == "multiclass" or (kind == "binary" and s.ndim == 2):
        if max_fpr is not None and max_fpr != 1:
            raise ValueError(expected("max_fpr", "None or 1 for multiclass targets", _describe(max_fpr)))
        return _multiclass_roc_auc(t, s, labels, multi_class, average, sample_weight)
    if kind == "binary":
        classes = classes_of(t)
        is_pos = t == classes[-1] if len(classes) == 2 else np.zeros(len(t), dtype=bool)  # the greater label
        w = check_weights(sample_weight, len(t))
        return _binary_roc_auc(is_pos, s, w, max_fpr)
    samplewise = _samplewise_roc_auc if max_fpr is None or max_fpr == 1 else None
    return _average_binary_score(
        lambda y, x, w: _binary_roc_auc(y, x, w, max_fpr), t, s, average, sample_weight, samplewise
    )


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: precision averaged over the recall gained at each threshold.

    .. math:: \\mathrm{AP} = \\sum_n (R_n - R_{n-1}) P_n

    over the distinct thresholds from high to low: the step rule, not the
    trapezoid (which interpolates linearly and can be too optimistic).
    Equivalently, the mean over the positives of the precision at their score.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Binary or multiclass labels, or a multilabel 0/1 indicator matrix.
    y_score : array-like of shape (n_samples,) or (n_samples, n_labels)
    average : {'macro', 'weighted', 'micro', 'samples'} or None, default 'macro'
        How per-label APs are combined; ignored for binary data.
    pos_label : int, float, bool or str, default 1
        Binary only: the positive class. Fixed to 1 for multilabel/multiclass data.
    sample_weight : array-like of shape (n_samples,), optional

    Warns
    -----
    UndefinedMetricWarning
        When y_true has no positives: recall is 0/0 and AP is 0 (scikit-learn's convention).

    Examples
    --------
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    kind, t, s = _score_target_kind(y_true, y_score)
    if kind == "binary":
        if s.ndim != 1:
            raise ValueError(expected("y_score", "a 1-D array of scores for binary y_true", f"shape {s.shape}"))
        is_pos = binary_target(t, pos_label)
        return _binary_average_precision(is_pos, s, check_weights(sample_weight, len(t)))
    if pos_label != 1:
        raise ValueError(expected("pos_label", f"1 (fixed) for {kind} y_true", repr(pos_label)))
    if kind == "multiclass":
        classes = classes_of(t)
        t = t[:, None] == classes[None, :]
        if s.shape != t.shape:
            raise ValueError(
                expected("y_score", f"of shape (n_samples, n_classes) = {t.shape} for multiclass y_true", f"{s.shape}")
            )
    return _average_binary_score(_binary_average_precision, t, s, average, sample_weight, _samplewise_average_precision)


# --------------------------------------------------------------------------- multi-output plumbing


def _score_target_kind(y_true, y_score):
    """('binary' | 'multiclass' | 'multilabel', y_true, y_score) with both validated."""
    t = as_array(y_true, "y_true")
    if t.ndim == 2 and t.shape[1] > 1:
        t = check_multilabel(t, "y_true").astype(bool)
        s = check_scores(y_score, ndim=2)
        if s.shape != t.shape:
            raise ValueError(expected("y_score", f"of the same shape as y_true {t.shape}", f"shape {s.shape}"))
        return "multilabel", t, s
    t = check_labels_1d(t, "y_true")
    s = as_array(y_score, "y_score")
    s = check_scores(s, ndim=2 if s.ndim == 2 else 1)
    check_consistent_length(y_true=t, y_score=s)
    return ("binary" if len(classes_of(t)) <= 2 else "multiclass"), t, s


def _average_binary_score(binary_metric, y_true, y_score, average, sample_weight, samplewise=None):
    """Combine a binary metric over the columns of indicator y_true (scikit-learn's rules)."""
    options = (None, "micro", "macro", "weighted", "samples")
    if average not in options:
        raise ValueError(expected("average", f"one of {options}", _describe(average)))
    w = check_weights(sample_weight, len(y_true))
    n_labels = y_true.shape[1]
    if average == "micro":
        # Every (sample, label) cell is one binary decision.
        return binary_metric(y_true.ravel(), y_score.ravel(), None if w is None else np.repeat(w, n_labels))
    if average == "samples":
        weights = w
        if samplewise is not None:
            # Each sample (row) is its own small ranking problem: all rows are sorted at once.
            scores = samplewise(row_ranks(y_true, y_score))
        else:  # partial AUC per sample (max_fpr): rare enough to score row by row
            scores = np.array([binary_metric(y_true[i], y_score[i], None) for i in range(len(y_true))])
    else:
        weights = None
        if average == "weighted":  # each label weighted by its (weighted) number of positives
            weights = y_true.sum(axis=0) if w is None else (y_true * w[:, None]).sum(axis=0)
            if np.isclose(weights.sum(), 0):
                return 0.0  # scikit-learn's convention when no label has a positive
        scores = np.array([binary_metric(y_true[:, j], y_score[:, j], w) for j in range(n_labels)])
        if average is None:
            return scores
    if weights is not None:
        scores[weights == 0] = 0  # zero-weight entries must not turn the average into NaN
    return float(np.average(scores, weights=weights))


def _samplewise_roc_auc(ranks) -> np.ndarray:
    scores = rowwise_roc_auc(ranks)
    undefined = int(np.isnan(scores).sum())
    if undefined:
        warn_undefined(f"Only one class is present in {undefined} sample(s): their ROC AUC is undefined (NaN).")
    return scores


def _samplewise_average_precision(ranks) -> np.ndarray:
    empty = int((ranks.n_pos == 0).sum())
    if empty:
        warn_undefined(f"No positive labels in {empty} sample(s): their recall is 0/0 and their AP is 0.")
    return rowwise_average_precision(ranks)


def _multiclass_roc_auc(y_true, y_score, labels, multi_class, average, sample_weight):
    if multi_class not in ("ovr", "ovo"):
        raise ValueError(
            expected("multi_class", "'ovr' or 'ovo' for multiclass targets", _describe(multi_class))
            + " One-vs-rest averages each class against all others; one-vs-one averages every pair of classes."
        )
    if y_score.ndim != 2:
        raise ValueError(
            expected("y_score", "of shape (n_samples, n_classes) for multiclass y_true", f"shape {y_score.shape}")
        )
    if not np.allclose(1, y_score.sum(axis=1)):
        raise ValueError(expected("y_score", "probabilities whose rows sum to 1 for multiclass ROC AUC", "other rows"))
    allowed = ("micro", "macro", "weighted", None) if multi_class == "ovr" else ("macro", "weighted")
    if average not in allowed:
        raise ValueError(expected("average", f"one of {allowed} for multi_class={multi_class!r}", _describe(average)))
    if labels is not None:
        classes = check_labels_1d(labels, "labels")
        if len(np.unique(classes)) != len(classes):
            raise ValueError(expected("labels", "free of duplicates", _describe(classes)))
        if not np.array_equal(np.sort(classes), classes):
            raise ValueError(expected("labels", "sorted (the order of y_score's columns)", _describe(classes)))
        if len(classes) != y_score.shape[1]:
            raise ValueError(expected("labels", f"one label per column of y_score ({y_score.shape[1]})", len(classes)))
        if not np.isin(y_true, classes).all():
            raise ValueError(expected("y_true", "labels listed in `labels`", "other labels"))
    else:
        classes = unique_labels_1d(y_true)
        if len(classes) != y_score.shape[1]:
            raise ValueError(
                expected(
                    "y_score",
                    f"one column per class in y_true ({len(classes)})",
                    f"{y_score.shape[1]} columns (pass `labels` if some classes are absent)",
                )
            )
    if multi_class == "ovr":
        one_hot = y_true[:, None] == classes[None, :]
        return _average_binary_score(_binary_roc_auc, one_hot, y_score, average, sample_weight, _samplewise_roc_auc)
    if sample_weight is not None:
        raise ValueError(expected("sample_weight", "None for multi_class='ovo'", "weights"))
    return _ovo_roc_auc(np.searchsorted(classes, y_true), y_score, average)


def _ovo_roc_auc(codes, y_score, average):
    """Hand & Till (2001): mean over class pairs of the two AUCs (a vs b on column a, b vs a on column b)."""
    present = np.unique(codes)
    if len(present) < 2:
        warn_undefined("Only one class is present in y_true: one-vs-one ROC AUC is undefined and is set to NaN.")
        return float("nan")
    pair_scores, prevalence = [], []
    for a, b in combinations(present, 2):
        mask = (codes == a) | (codes == b)
        is_a = codes[mask] == a
        auc_a = _binary_roc_auc(is_a, y_score[mask, a])
        auc_b = _binary_roc_auc(~is_a, y_score[mask, b])
        pair_scores.append((auc_a + auc_b) / 2)
        prevalence.append(mask.mean())
    weights = prevalence if average == "weighted" else None
    return float(np.average(pair_scores, weights=weights))


# --------------------------------------------------------------------------- threshold sweeps


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
        return [dict(zip(names, values)) for values in zip(*(c.tolist() for c in columns))]

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
        if metric not in _SWEEP_METRICS:
            raise ValueError(expected("metric", f"one of {_SWEEP_METRICS}", _describe(metric)))
        return getattr(self, metric)

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
    is_pos, y_score, _ = check_binary_inputs(y_true, y_score, pos_label)
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


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(expected(name, "True or False", _describe(value)))
    return bool(value)


def _check_max_fpr(max_fpr):
    if max_fpr is None:
        return None
    if not isinstance(max_fpr, numbers.Real) or isinstance(max_fpr, bool) or not 0 < max_fpr <= 1:
        raise ValueError(expected("max_fpr", "a number in (0, 1]", _describe(max_fpr)))
    return float(max_fpr)
