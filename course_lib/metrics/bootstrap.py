"""Bootstrap confidence intervals for any metric, and the paired bootstrap for two classifiers.

The bootstrap treats the test set as the population: draw n rows with
replacement, recompute the metric, repeat R times; the spread of the R values
stands in for the spread of the metric over test sets one could have drawn.

- **percentile**: the interval is the ``alpha/2`` and ``1 - alpha/2`` quantiles of
  the R values.
- **BCa** (bias-corrected and accelerated, Efron 1987): shifts those quantiles by
  the bias ``z0 = Phi^-1(share of resamples below the estimate)`` (ties count half)
  and the acceleration ``a = sum d^3 / (6 (sum d^2)^1.5)`` from the jackknife
  deviations ``d``; the quantile levels are ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))``
  for ``z = Phi^-1(alpha/2)`` and ``Phi^-1(1 - alpha/2)`` (as ``scipy.stats.bootstrap``).

How resamples are drawn (the metric decides; the result says which in ``path``):

- ``"counts"``: accuracy, precision, recall, F1, F-beta, MCC, balanced accuracy and
  Cohen's kappa of course_lib are computed from a confusion table, so a resample is
  a multinomial draw of that table (:mod:`course_lib.metrics.resample_counts`);
  the jackknife for BCa needs one table per non-empty cell.
- ``"ranking counts"``: ROC-AUC and AP of a binary problem: a multinomial over the
  (distinct score, class) cells.
- ``"rows"``: any other metric or option (``sample_weight``, ``labels``, a
  scikit-learn function, your own function): R resamples of row indices, the metric
  called on each; the BCa jackknife calls it n more times.

For averaged multiclass scores (``average="macro"`` ...) the count path keeps every class of
the test set in every resample, as the label set of the problem; a row resample that happens to
lose a class entirely would average over one class fewer. BCa's jackknife costs one table per
non-empty cell: next to nothing for a confusion table, O(U^2) for AP over U distinct scores
(ROC-AUC has a closed form), n metric calls on the row path.

What a bootstrap of one test set does *not* capture: the variability of training
(another training set, seed or split gives another model). It measures how much the
score of *this* model moves between test sets.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr, ndtri

from course_lib.metrics import resample_counts as rc
from course_lib.metrics.agreement import _check_label_pair
from course_lib.metrics.confusion import pair_counts
from course_lib.metrics.intervals import check_confidence, check_count
from course_lib.metrics.validation import _describe, as_array, check_consistent_length, expected

BOOTSTRAP_METHODS = ("percentile", "bca")


@dataclass(frozen=True)
class BootstrapInterval:
    """A bootstrap interval: ``estimate`` (the metric on the test set), ``low``, ``high``.

    ``resamples`` holds the R bootstrap values and ``path`` how they were drawn.
    Unpacks as ``estimate, low, high``.
    """

    estimate: float
    low: float
    high: float
    resamples: np.ndarray = field(repr=False)
    path: str = "counts"

    def __iter__(self):
        return iter((self.estimate, self.low, self.high))


@dataclass(frozen=True)
class PairedBootstrap:
    """Paired bootstrap of ``metric(A) - metric(B)``: ``difference``, interval ``low``/``high``, two-sided ``pvalue``."""

    difference: float
    low: float
    high: float
    pvalue: float
    resamples: np.ndarray = field(repr=False)
    path: str = "counts"

    def __iter__(self):
        return iter((self.difference, self.low, self.high, self.pvalue))


def _check_common(metric, n_resamples, confidence, method, random_state):
    if not callable(metric):
        raise TypeError(expected("metric", "a metric function such as course_lib.f1_score", _describe(metric)))
    n_resamples = check_count(n_resamples, "n_resamples", minimum=1)
    confidence = check_confidence(confidence)
    if method not in BOOTSTRAP_METHODS:
        raise ValueError(expected("method", f"one of {BOOTSTRAP_METHODS}", repr(method)))
    if isinstance(random_state, bool) or not (
        random_state is None or isinstance(random_state, (numbers.Integral, np.random.Generator))
    ):
        raise TypeError(expected("random_state", "None, an int seed or a numpy Generator", _describe(random_state)))
    return n_resamples, confidence, np.random.default_rng(random_state)


def _finite(values: np.ndarray) -> np.ndarray:
    keep = np.isfinite(values)
    if not keep.any():
        raise ValueError("Every bootstrap resample gave an undefined metric (NaN); the test set is too small.")
    if not keep.all():
        warnings.warn(
            f"{np.count_nonzero(~keep)} of {len(values)} resamples gave an undefined metric (e.g. no positive) "
            "and were left out; consider stratify=True.",
            RuntimeWarning,
            stacklevel=3,
        )
    return values[keep]


def percentile_interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    """The ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the resampled values."""
    alpha = 1 - confidence
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def bca_interval(values, estimate, jackknife, weights, confidence) -> tuple[float, float]:
    """BCa quantiles of ``values`` from the estimate and (weighted) jackknife values."""
    z0 = ndtri((np.count_nonzero(values < estimate) + np.count_nonzero(values <= estimate)) / (2 * len(values)))
    weights = np.asarray(weights, dtype=np.float64)
    deviation = np.average(jackknife, weights=weights) - jackknife
    spread = np.sum(weights * deviation**2)
    acceleration = np.sum(weights * deviation**3) / (6 * spread**1.5) if spread > 0 else 0.0
    levels = []
    for z in (ndtri((1 - confidence) / 2), ndtri((1 + confidence) / 2)):
        levels.append(ndtr(z0 + (z0 + z) / (1 - acceleration * (z0 + z))))
    if not np.all(np.isfinite(levels)):  # every resample on one side of the estimate: no correction possible
        return percentile_interval(values, confidence)
    low, high = np.quantile(values, levels)
    return float(low), float(high)


def _row_jackknife(metric, arrays, kwargs):
    n = len(arrays[0])
    keep = np.ones(n, dtype=bool)
    out = np.empty(n)
    for i in range(n):
        keep[i] = False
        out[i] = metric(*(a[keep] for a in arrays), **kwargs)
        keep[i] = True
    return out


def _as_rows(*arrays):
    arrays = [as_array(a, name) for a, name in zip(arrays, ("y_true", "y_pred", "pred_b"), strict=False)]
    names = ("y_true", "y_pred", "pred_b")[: len(arrays)]
    check_consistent_length(**dict(zip(names, arrays, strict=True)))
    return arrays


def _row_resamples(metric, arrays, kwargs, n_resamples, rng):
    n = len(arrays[0])
    return np.array(
        [metric(*(a[idx] for a in arrays), **kwargs) for idx in (rng.integers(0, n, n) for _ in range(n_resamples))],
        dtype=np.float64,
    )


def bootstrap_interval(
    metric,
    y_true,
    y_pred,
    *,
    n_resamples=2000,
    confidence=0.95,
    method="percentile",
    stratify=False,
    random_state=None,
    **metric_kwargs,
) -> BootstrapInterval:
    """Bootstrap confidence interval for ``metric(y_true, y_pred, **metric_kwargs)``.

    Parameters
    ----------
    metric : callable
        Any metric ``metric(y_true, y_pred, **kwargs) -> float``. course_lib's
        count-based metrics and ROC-AUC/AP are resampled as counts (fast); anything
        else, or an option such as ``sample_weight``, resamples rows (see the module
        docstring).
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions; for ROC-AUC or AP, ``y_pred`` is the score.
    n_resamples : int, default 2000
    confidence : float, default 0.95
    method : {"percentile", "bca"}, default "percentile"
    stratify : bool, default False
        Resample each true class separately, keeping the class sizes of the test set
        (count paths only; a metric on the row path raises rather than ignore it).
    random_state : None, int or numpy.random.Generator
    **metric_kwargs
        Passed to ``metric`` (e.g. ``pos_label``, ``zero_division``, ``beta``).

    Returns
    -------
    BootstrapInterval
        ``estimate``, ``low``, ``high`` (``low <= high``; inside the metric's range,
        since every value is the metric of a real resample), ``resamples``, ``path``.

    Examples
    --------
    >>> from course_lib import f1_score
    >>> y = [1] * 40 + [0] * 60
    >>> p = [1] * 30 + [0] * 10 + [1] * 8 + [0] * 52
    >>> result = bootstrap_interval(f1_score, y, p, random_state=0)
    >>> round(result.estimate, 4), result.path, result.low < result.estimate < result.high
    (0.7692, 'counts', True)
    """
    n_resamples, confidence, rng = _check_common(metric, n_resamples, confidence, method, random_state)
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(expected("stratify", "True or False", _describe(stratify)))
    estimate = float(metric(y_true, y_pred, **metric_kwargs))  # validates the inputs the metric's own way
    jackknife = None
    if rc.is_ranking_metric(metric, metric_kwargs) and (
        setup := rc.ranking_setup(metric, y_true, y_pred, metric_kwargs)
    ):
        cells, score = setup
        values = rc.quiet(score, rc.draw_tables(cells, n_resamples, rng, stratify_rows=stratify))
        path = "ranking counts"
        if method == "bca":
            jackknife = rc.jackknife(score, cells)
    else:
        score = None
        if rc.is_count_metric(metric):
            y_t, y_p = _check_label_pair(y_true, y_pred)
            classes, table = pair_counts(y_t, y_p)
            score = rc.table_metric(metric, metric_kwargs, classes)
        if score is not None:
            values = rc.quiet(score, rc.draw_tables(table, n_resamples, rng, stratify_rows=stratify))
            path = "counts"
            if method == "bca":
                jackknife = rc.jackknife(score, table)
        else:
            if stratify:
                raise ValueError(
                    expected("stratify", "False for a metric resampled by rows", "True")
                    + " Stratified resampling is available for course_lib's count-based and ranking metrics."
                )
            arrays = _as_rows(y_true, y_pred)
            values = _row_resamples(metric, arrays, metric_kwargs, n_resamples, rng)
            path = "rows"
            if method == "bca":
                jackknife = (_row_jackknife(metric, arrays, metric_kwargs), np.ones(len(arrays[0])))
    values_kept = _finite(values)
    if method == "bca":
        keep = np.isfinite(jackknife[0])
        low, high = bca_interval(values_kept, estimate, jackknife[0][keep], jackknife[1][keep], confidence)
    else:
        low, high = percentile_interval(values_kept, confidence)
    return BootstrapInterval(estimate, low, high, values, path)


def _paired_cells(metric, y_true, pred_a, pred_b, kwargs):
    """Count path for a paired bootstrap: a (K, K, K) table of (truth, A's label, B's label), or None."""
    if not rc.is_count_metric(metric):
        return None
    y_t, a = _check_label_pair(y_true, pred_a, ("y_true", "pred_a"))
    _, b = _check_label_pair(y_true, pred_b, ("y_true", "pred_b"))
    check_consistent_length(y_true=y_t, pred_a=a, pred_b=b)
    classes, inverse = np.unique(np.concatenate([y_t, a, b]), return_inverse=True)
    k, n = len(classes), len(y_t)
    score = rc.table_metric(metric, kwargs, classes)
    if score is None:
        return None
    flat = np.bincount(inverse[:n] * k * k + inverse[n : 2 * n] * k + inverse[2 * n :], minlength=k**3)
    return flat.reshape(k, k, k), score


def _paired_ranking(metric, y_true, score_a, score_b, kwargs):
    """Ranking path: rows are the cells (two scores per row), aggregated per model's distinct scores."""
    is_pos = rc.ranking_target(metric, y_true, kwargs)
    if is_pos is None:
        return None
    a, b = rc.check_scores(score_a, "pred_a"), rc.check_scores(score_b, "pred_b")
    check_consistent_length(y_true=is_pos, pred_a=a, pred_b=b)
    score = rc.auc_from_cells if metric is rc.curves.roc_auc_score else rc.ap_from_cells

    def per_model(s):
        order = np.argsort(s, kind="stable")
        starts = np.flatnonzero(np.r_[True, s[order][1:] != s[order][:-1]])
        return order, starts

    return is_pos, per_model(a), per_model(b), score


def _ranking_values(counts, is_pos, model, score):
    order, starts = model
    w = counts[:, order]
    pos = np.add.reduceat(w * is_pos[order], starts, axis=1)
    neg = np.add.reduceat(w * ~is_pos[order], starts, axis=1)
    return rc.quiet(score, np.stack([neg, pos], axis=1))


def paired_bootstrap(
    metric,
    y_true,
    pred_a,
    pred_b,
    *,
    n_resamples=2000,
    confidence=0.95,
    stratify=False,
    random_state=None,
    **metric_kwargs,
) -> PairedBootstrap:
    """Paired bootstrap of ``metric(y_true, pred_a) - metric(y_true, pred_b)`` on one test set.

    Each resample draws the *same* rows for both models, so what both get right or
    wrong together cancels in the difference. Count-based metrics draw a
    multinomial over the (truth, A's label, B's label) cells; ROC-AUC and AP draw
    row counts and aggregate them per model's distinct scores; other metrics resample rows.

    The interval is the percentile interval of the R differences. The two-sided
    p-value tests "no difference" by centring the resampled differences on 0:
    ``(1 + #{|d* - d| >= |d|}) / (R + 1)``.

    >>> from course_lib import accuracy_score
    >>> y = [1, 0] * 50
    >>> a = y[:90] + [1 - v for v in y[90:]]  # 10 errors
    >>> b = y[:70] + [1 - v for v in y[70:]]  # 30 errors
    >>> result = paired_bootstrap(accuracy_score, y, a, b, random_state=0)
    >>> round(result.difference, 2), result.low > 0, result.pvalue < 0.01
    (0.2, True, True)
    """
    n_resamples, confidence, rng = _check_common(metric, n_resamples, confidence, "percentile", random_state)
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(expected("stratify", "True or False", _describe(stratify)))
    difference = float(metric(y_true, pred_a, **metric_kwargs)) - float(metric(y_true, pred_b, **metric_kwargs))
    setup = rc.is_ranking_metric(metric, metric_kwargs) and _paired_ranking(
        metric, y_true, pred_a, pred_b, metric_kwargs
    )
    if setup:
        is_pos, model_a, model_b, score = setup
        n = len(is_pos)
        rows = np.stack([~is_pos, is_pos]).astype(np.int64) if stratify else np.ones((1, n), dtype=np.int64)
        parts = []
        for size in rc._chunks(n_resamples, n):
            counts = rc.draw_tables(rows, size, rng, stratify_rows=stratify).sum(axis=1)
            parts.append(
                _ranking_values(counts, is_pos, model_a, score) - _ranking_values(counts, is_pos, model_b, score)
            )
        values, path = np.concatenate(parts), "ranking counts"
    elif (cells := _paired_cells(metric, y_true, pred_a, pred_b, metric_kwargs)) is not None:
        table, score = cells
        drawn = rc.draw_tables(table, n_resamples, rng, stratify_rows=stratify)
        values = rc.quiet(score, drawn.sum(axis=3)) - rc.quiet(score, drawn.sum(axis=2))
        path = "counts"
    else:
        if stratify:
            raise ValueError(expected("stratify", "False for a metric resampled by rows", "True"))
        arrays = _as_rows(y_true, pred_a, pred_b)
        n = len(arrays[0])
        values = np.empty(n_resamples)
        for r in range(n_resamples):
            idx = rng.integers(0, n, n)
            t, a, b = (x[idx] for x in arrays)
            values[r] = metric(t, a, **metric_kwargs) - metric(t, b, **metric_kwargs)
        path = "rows"
    kept = _finite(values)
    low, high = percentile_interval(kept, confidence)
    pvalue = (1 + np.count_nonzero(np.abs(kept - difference) >= abs(difference))) / (len(kept) + 1)
    return PairedBootstrap(difference, low, high, float(min(pvalue, 1.0)), values, path)


__all__ = [
    "BOOTSTRAP_METHODS",
    "BootstrapInterval",
    "PairedBootstrap",
    "bca_interval",
    "bootstrap_interval",
    "paired_bootstrap",
    "percentile_interval",
]
