"""Areas under the curves as scores: auc, ROC-AUC and average precision, binary to multilabel.

Each binary area is computed from the per-threshold counts
(:func:`course_lib.metrics.ranking_counts.roc_auc_from_counts`,
:func:`~course_lib.metrics.ranking_counts.average_precision_from_counts`); the
multiclass and multilabel versions score each class (or label, or sample) as its
own binary problem and combine the results with the one averaging rule,
:func:`course_lib.metrics.from_counts.average_over_classes`.

- :func:`auc`                     trapezoid area under any curve
- :func:`roc_auc_score`           area under the ROC curve (binary, multiclass OvR/OvO, multilabel)
- :func:`average_precision_score` AP = sum_n (R_n - R_{n-1}) P_n, the step rule (binary, multilabel)
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from course_lib.metrics.from_counts import average_over_classes
from course_lib.metrics.ranking_counts import (
    MULTICLASS_HINT,
    NO_POSITIVES,
    average_precision_from_counts,
    counts_at_distinct_scores,
    roc_auc_from_counts,
    roc_points,
    row_ranks,
    rowwise_average_precision,
    rowwise_roc_auc,
)
from course_lib.metrics.validation import (
    _describe,
    as_array,
    binary_target,
    check_consistent_length,
    check_labels_1d,
    check_multilabel,
    check_option,
    check_real,
    check_scores,
    check_weights,
    classes_of,
    expected,
    unique_labels_1d,
    warn_undefined,
)

__all__ = ["auc", "average_precision_score", "roc_auc_score"]


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


def _binary_roc_auc(is_pos, y_score, sample_weight=None, max_fpr=None) -> float:
    counts = counts_at_distinct_scores(is_pos, y_score, sample_weight)
    if counts.n_pos <= 0 or counts.n_neg <= 0:
        warn_undefined("Only one class is present in y_true: ROC AUC is undefined and is set to NaN.")
        return float("nan")
    if max_fpr is None or max_fpr == 1:
        return roc_auc_from_counts(counts.fps, counts.tps)
    # Partial AUC up to max_fpr, standardised (McClish): 0.5 for a random ranking, 1 for a perfect one.
    fpr, tpr, _ = roc_points(counts)
    stop = np.searchsorted(fpr, max_fpr, side="right")
    tpr_at_max = np.interp(max_fpr, fpr[stop - 1 : stop + 1], tpr[stop - 1 : stop + 1])
    partial = auc(np.append(fpr[:stop], max_fpr), np.append(tpr[:stop], tpr_at_max))
    min_area, max_area = 0.5 * max_fpr**2, max_fpr
    return float(0.5 * (1 + (partial - min_area) / (max_area - min_area)))


def _binary_average_precision(is_pos, y_score, sample_weight=None) -> float:
    counts = counts_at_distinct_scores(is_pos, y_score, sample_weight)
    if counts.n_pos <= 0:
        warn_undefined(NO_POSITIVES + " Average precision is 0.")
        return 0.0
    return average_precision_from_counts(counts.fps, counts.tps)


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
    if max_fpr is not None:
        max_fpr = check_real(max_fpr, "max_fpr", low=0, high=1, low_open=True)
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
        is_pos = binary_target(t, pos_label, hint=MULTICLASS_HINT)
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
    check_option(average, "average", (None, "micro", "macro", "weighted", "samples"))
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
    return average_over_classes(scores, average, weights=weights)


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
