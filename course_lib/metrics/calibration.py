"""Calibration: does a predicted probability of 0.8 come true 80% of the time?

A model is *calibrated* when, among all samples it gives probability p, a
fraction p is positive. This module measures it and repairs it:

- :func:`calibration_curve` bins the predicted probabilities and returns, per
  non-empty bin, the observed fraction of positives against the mean prediction:
  the points of a reliability diagram (scikit-learn's function and conventions);
- :func:`expected_calibration_error` summarises the diagram in one number, the
  bin-weighted mean gap between confidence and accuracy (not in scikit-learn);
- :func:`fit_temperature` and :func:`apply_temperature` implement temperature
  scaling (Guo et al. 2017): divide the logits by one number T > 0 chosen to
  minimise log-loss on held-out data. Dividing by T never reorders the scores, so
  ROC-AUC and accuracy stay exactly the same while the probabilities move.

Binning rule (scikit-learn's): the edges are ``np.linspace(0, 1, n_bins + 1)``
('uniform') or the percentiles of the predictions ('quantile'); the bins are
closed on the right, ``(e_k, e_{k+1}]``, except the first, which also holds
``e_0`` itself. A prediction of exactly 0.2 with 5 uniform bins is in the
first bin ``[0, 0.2]``.
"""

from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from course_lib.metrics.probabilistic import check_binary_target, check_probabilities, class_columns
from course_lib.metrics.validation import _describe, as_array, check_consistent_length, expected

STRATEGIES = ("uniform", "quantile")

# Temperature scaling searches T in [1e-4, 1e4]; scikit-learn's own temperature
# calibrator searches exp(+-10), about the same range.
_T_BOUNDS = (1e-4, 1e4)

# Fine buckets of [0, 1] used to bin and to find percentiles by counting (see _buckets).
_BUCKETS = 1 << 14


# ---------------------------------------------------------------------------
# Binning
# ---------------------------------------------------------------------------


def _check_int(value, name: str, minimum: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise TypeError(expected(name, f"an integer >= {minimum}", _describe(value)))
    if value < minimum:
        raise ValueError(expected(name, f"an integer >= {minimum}", _describe(value)))
    return int(value)


def _check_binning(n_bins, strategy) -> int:
    n_bins = _check_int(n_bins, "n_bins", 1)
    if not (isinstance(strategy, str) and strategy in STRATEGIES):
        raise ValueError(expected("strategy", f"one of {STRATEGIES}", _describe(strategy)))
    return n_bins


def _buckets(y_prob: np.ndarray) -> np.ndarray:
    """``floor(p * B)`` for B = 2**14 fine buckets of [0, 1] (1.0 joins the last one).

    B is a power of two, so ``p * B`` is exact: bucket u holds exactly the values in
    ``[u / B, (u + 1) / B)``, and the buckets are in the same order as the values.
    """
    buckets = np.empty(len(y_prob), dtype=np.intp)
    np.multiply(y_prob, _BUCKETS, out=buckets, casting="unsafe")  # truncation = floor, as p >= 0
    np.minimum(buckets, _BUCKETS - 1, out=buckets)
    return buckets


def bin_edges(y_prob: np.ndarray, n_bins: int, strategy: str, *, buckets=None) -> np.ndarray:
    """The ``n_bins + 1`` bin edges, exactly as scikit-learn's calibration_curve computes them:
    ``np.linspace(0, 1, n_bins + 1)``, or ``np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)``.
    """
    if strategy == "uniform":
        return np.linspace(0.0, 1.0, n_bins + 1)
    percents = np.linspace(0, 1, n_bins + 1) * 100
    if buckets is None:
        return np.percentile(y_prob, percents)
    return _percentiles(y_prob, percents, buckets)


def _percentiles(y_prob: np.ndarray, percents: np.ndarray, buckets: np.ndarray) -> np.ndarray:
    """``np.percentile(y_prob, percents)`` to the last bit, without partitioning all of y_prob.

    NumPy's linear method needs the order statistics at ranks floor(v) and floor(v) + 1,
    with v = (n - 1) q, and interpolates between them. The order statistics are found
    by counting: the fine buckets are in value order, so a cumulative count says which
    bucket holds each wanted rank, and only the values of those few buckets are sorted.
    """
    n = len(y_prob)
    q = np.true_divide(percents, 100)  # NumPy's own first step
    virtual = (n - 1) * q
    lower = np.minimum(np.floor(virtual), n - 1).astype(np.intp)
    upper = np.minimum(lower + 1, n - 1)
    ranks = np.unique(np.concatenate([lower, upper]))

    counts = np.bincount(buckets, minlength=_BUCKETS)
    ends = np.cumsum(counts)  # bucket u holds the ranks ends[u] - counts[u] ... ends[u] - 1
    holder = np.searchsorted(ends, ranks, side="right")
    wanted = np.zeros(_BUCKETS, dtype=bool)
    wanted[holder] = True
    members = y_prob[wanted[buckets]]
    if len(members) > max(n // 4, 4096):  # heavy ties crowd a bucket: partitioning everything is as cheap
        return np.percentile(y_prob, percents)
    members.sort()  # grouped by bucket, in bucket order
    kept = np.where(wanted, counts, 0)
    start_in_members = np.cumsum(kept) - kept
    value_at = dict(zip(ranks.tolist(), members[start_in_members[holder] + ranks - (ends - counts)[holder]]))
    a = np.array([value_at[r] for r in lower.tolist()])
    b = np.array([value_at[r] for r in upper.tolist()])
    gamma = virtual - lower
    # NumPy's _lerp: a + (b - a) t, computed from b's side when t >= 1/2.
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


def bin_ids(y_prob: np.ndarray, edges: np.ndarray, *, buckets=None) -> np.ndarray:
    """Bin index of each probability: the number of inner edges strictly below it.

    That is ``np.searchsorted(edges[1:-1], y_prob)``, i.e. right-closed bins, computed
    without a binary search per sample: a table says, for each fine bucket (see
    :func:`_buckets`), which bin its values fall in. Only the values of the few
    buckets that an edge cuts through are searched. A ``buckets`` array passed in
    (from :func:`_buckets`) is reused and overwritten.
    """
    inner = edges[1:-1]
    if len(inner) > _BUCKETS // 16:
        return np.searchsorted(inner, y_prob)
    ids = _buckets(y_prob) if buckets is None else buckets  # overwritten: pass a copy to keep yours
    bin_at = np.searchsorted(inner, np.arange(_BUCKETS + 1) / _BUCKETS)  # exact grid: B is a power of 2
    first, last = bin_at[:-1], bin_at[1:]  # bins of a bucket's lowest and highest possible value
    cut = np.flatnonzero((first != last)[ids])
    np.take(first, ids, out=ids, mode="clip")  # in place: each index is read before it is overwritten
    ids[cut] = np.searchsorted(inner, y_prob[cut])
    return ids


def _binned_sums(confidence, hit, n_bins, strategy):
    """Per bin: sample count, sum of confidences, number of hits (positives or correct)."""
    buckets = _buckets(confidence)
    edges = bin_edges(confidence, n_bins, strategy, buckets=buckets)
    ids = bin_ids(confidence, edges, buckets=buckets)  # reuses (overwrites) the buckets
    confidence_sums = np.bincount(ids, weights=confidence, minlength=n_bins)
    # Counts and hits together: one integer bincount over the pair index 2 * bin + hit.
    ids <<= 1
    ids += hit
    pairs = np.bincount(ids, minlength=2 * n_bins).reshape(n_bins, 2)
    return pairs.sum(axis=1), confidence_sums, pairs[:, 1], edges


# ---------------------------------------------------------------------------
# Reliability diagram and ECE
# ---------------------------------------------------------------------------


class CalibrationBins(NamedTuple):
    """The reliability diagram's data: per non-empty bin, what was predicted, what happened, how many."""

    prob_true: np.ndarray  # fraction of positives in each non-empty bin
    prob_pred: np.ndarray  # mean predicted probability in each non-empty bin
    counts: np.ndarray  # number of samples in each non-empty bin
    edges: np.ndarray  # all n_bins + 1 bin edges (empty bins included)

    @property
    def ece(self) -> float:
        """Expected calibration error: the gaps |prob_true - prob_pred| averaged with weights counts."""
        return float(np.dot(self.counts, np.abs(self.prob_true - self.prob_pred)) / self.counts.sum())


def calibration_bins(y_true, y_prob, *, pos_label=None, n_bins=5, strategy="uniform") -> CalibrationBins:
    """:func:`calibration_curve` plus the number of samples in each bin and the bin edges.

    >>> bins = calibration_bins([0, 0, 1, 1, 1], [0.1, 0.4, 0.6, 0.9, 0.95], n_bins=2)
    >>> bins.counts.tolist(), bins.prob_true.tolist()
    ([2, 3], [0.0, 1.0])
    >>> round(bins.ece, 4)
    0.21
    """
    n_bins = _check_binning(n_bins, strategy)
    p = check_probabilities(y_prob, "y_prob")
    if p.ndim != 1:
        raise ValueError(expected("y_prob", "a 1-D array of positive-class probabilities", f"shape {p.shape}"))
    check_consistent_length(y_true=as_array(y_true, "y_true"), y_prob=p)
    positive = check_binary_target(y_true, pos_label)
    counts, confidence_sums, hits, edges = _binned_sums(p.astype(np.float64, copy=False), positive, n_bins, strategy)
    nonzero = counts != 0
    return CalibrationBins(
        hits[nonzero] / counts[nonzero], confidence_sums[nonzero] / counts[nonzero], counts[nonzero], edges
    )


def calibration_curve(y_true, y_prob, *, pos_label=None, n_bins=5, strategy="uniform"):
    """Points of a reliability diagram: observed fraction of positives against mean prediction, per bin.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in [0, 1].
    pos_label : label, optional
        The positive class; default 1 for labels {0, 1} or {-1, 1}.
    n_bins : int >= 1, default=5
    strategy : {'uniform', 'quantile'}, default='uniform'
        Equal-width bins on [0, 1], or bins holding (about) equally many samples.

    Returns
    -------
    prob_true : ndarray
        Fraction of positives in each non-empty bin.
    prob_pred : ndarray
        Mean predicted probability in each non-empty bin.

    Notes
    -----
    Empty bins are left out, so both arrays may be shorter than ``n_bins``. Bins
    are right-closed (module docstring). Quantile edges that coincide (many tied
    predictions) make empty bins, which are dropped too. :func:`calibration_bins`
    also returns how many samples each bin holds.

    Examples
    --------
    >>> prob_true, prob_pred = calibration_curve([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9], n_bins=2)
    >>> prob_true.tolist(), prob_pred.round(2).tolist()
    ([0.0, 1.0], [0.25, 0.75])
    """
    bins = calibration_bins(y_true, y_prob, pos_label=pos_label, n_bins=n_bins, strategy=strategy)
    return bins.prob_true, bins.prob_pred


def _confidence_and_hits(y_true, y_prob, pos_label, labels):
    """What ECE bins: (confidence, hit) per sample, for 1-D or 2-D probabilities."""
    p = check_probabilities(y_prob, "y_prob")
    check_consistent_length(y_true=as_array(y_true, "y_true"), y_prob=p)
    if p.ndim == 1:
        return p.astype(np.float64, copy=False), check_binary_target(y_true, pos_label)
    _, column = class_columns(y_true, labels, p.shape[1], "y_prob")
    predicted = np.argmax(p, axis=1)  # ties go to the first (smallest) label
    confidence = np.take_along_axis(p, predicted[:, None], axis=1)[:, 0]
    return confidence.astype(np.float64, copy=False), predicted == column


def expected_calibration_error(y_true, y_prob, *, pos_label=None, labels=None, n_bins=15, strategy="uniform"):
    r"""Expected calibration error: the bin-weighted mean gap between confidence and accuracy.

    .. math:: \mathrm{ECE} = \sum_{b=1}^{B} \frac{n_b}{n}\,\left|\mathrm{acc}(b) - \mathrm{conf}(b)\right|

    where bin b holds ``n_b`` samples, ``conf(b)`` is their mean confidence and
    ``acc(b)`` the fraction of them that came true. Empty bins contribute 0.

    - 1-D ``y_prob`` (binary): confidence = the predicted probability of the positive
      class, acc = the fraction of positives; the gaps are exactly the distances of
      the points of :func:`calibration_curve` from the diagonal (torchmetrics'
      ``binary_calibration_error``).
    - 2-D ``y_prob`` (multiclass): top-label ECE of Guo et al. (2017), confidence =
      the largest probability, acc = whether that class is the true one
      (torchmetrics' ``multiclass_calibration_error``). Argmax ties go to the first
      column.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_prob : array-like of shape (n_samples,) or (n_samples, n_classes)
    pos_label : label, optional
        Positive class for 1-D ``y_prob``; default 1 for labels {0, 1} or {-1, 1}.
    labels : array-like, optional
        All class labels, sorted, for 2-D ``y_prob`` when y_true lacks a class.
    n_bins : int >= 1, default=15
    strategy : {'uniform', 'quantile'}, default='uniform'
        Bins as in :func:`calibration_curve` (right-closed).

    Notes
    -----
    ECE is a diagnostic, not a scoring rule, and it has known biases:

    - It depends on the binning: change ``n_bins`` or the strategy and it changes.
    - It is biased upwards on finite data: even a perfectly calibrated model gets
      ECE > 0, because each bin's observed frequency is noisy (about
      ``sqrt(p (1 - p) / n_b)``); more bins, fewer samples each, more bias.
    - It can be biased downwards: over- and under-confident samples in the same
      bin cancel, and predicting the base rate for every sample scores ECE = 0
      while being useless. Report it beside a proper score (log-loss, Brier).
    - Top-label ECE ignores the probabilities of all but the predicted class.
    - With uniform bins an overconfident model crowds into the last bin; the
      'quantile' strategy gives every bin the same number of samples.

    Examples
    --------
    >>> round(expected_calibration_error([0, 1, 1, 1], [0.2, 0.6, 0.7, 0.9], n_bins=2), 4)
    0.25
    """
    n_bins = _check_binning(n_bins, strategy)
    confidence, hit = _confidence_and_hits(y_true, y_prob, pos_label, labels)
    counts, confidence_sums, hits, _ = _binned_sums(confidence, hit, n_bins, strategy)
    # n_b/n * |hits_b/n_b - conf_sum_b/n_b| = |hits_b - conf_sum_b| / n
    return float(np.abs(hits - confidence_sums).sum() / len(confidence))


# ---------------------------------------------------------------------------
# Temperature scaling
# ---------------------------------------------------------------------------


def _check_logits(logits) -> np.ndarray:
    z = as_array(logits, "logits")
    if z.dtype.kind not in "biuf":
        raise TypeError(expected("logits", "an array of real-valued scores", _describe(z)))
    if z.ndim == 2 and z.shape[1] == 1:
        z = z[:, 0]
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError(expected("logits", "a non-empty 1-D (binary) or 2-D (multiclass) array", f"shape {z.shape}"))
    z = z.astype(np.float64)
    if not np.isfinite(z).all():
        raise ValueError(expected("logits", "free of NaN and infinity", "non-finite values"))
    return z


def _check_temperature(temperature) -> float:
    if not isinstance(temperature, numbers.Real) or isinstance(temperature, (bool, np.bool_)):
        raise TypeError(expected("temperature", "a positive real number", _describe(temperature)))
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(expected("temperature", "a positive finite number", _describe(temperature)))
    return float(temperature)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))  # 1 / (1 + e^-x) without overflow


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def apply_temperature(logits, temperature):
    """Probabilities from logits divided by a temperature: ``sigmoid(z / T)`` or ``softmax(z / T)``.

    T > 1 softens (probabilities move towards 1/2 or 1/K), T < 1 sharpens, T = 1
    is the plain sigmoid/softmax. The order of the scores never changes.

    Parameters
    ----------
    logits : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary logits (log-odds of the positive class) or a multiclass logit matrix.
    temperature : float > 0

    Returns
    -------
    ndarray of the same shape, float64: positive-class probabilities (1-D) or
    rows that sum to 1 (2-D).

    Examples
    --------
    >>> apply_temperature([0.0, 2.0], 2.0).round(4).tolist()
    [0.5, 0.7311]
    """
    z = _check_logits(logits)
    t = _check_temperature(temperature)
    return _sigmoid(z / t) if z.ndim == 1 else _softmax(z / t)


def _nll_derivatives(z, target, beta):
    """d/dbeta and d2/dbeta2 of the mean log-loss of softmax(beta * z) (sigmoid for 1-D z)."""
    if z.ndim == 1:
        s = _sigmoid(beta * z)
        return float(np.mean((s - target) * z)), float(np.mean(s * (1 - s) * z * z))
    p = _softmax(beta * z)
    mean_z = np.einsum("ij,ij->i", p, z)  # E_p[z] per sample
    mean_z2 = np.einsum("ij,ij->i", p, z * z)
    z_true = np.take_along_axis(z, target[:, None], axis=1)[:, 0]
    return float(np.mean(mean_z - z_true)), float(np.mean(np.maximum(mean_z2 - mean_z**2, 0.0)))


def fit_temperature(logits, y_true, *, pos_label=None, labels=None):
    r"""The temperature T > 0 that minimises the log-loss of ``apply_temperature(logits, T)`` on ``y_true``.

    Fit it on a validation set, never on the test set, then apply it to test logits.

    With :math:`\beta = 1/T` the mean log-loss
    :math:`L(\beta) = \frac{1}{n}\sum_i \left[\log\sum_c e^{\beta z_{ic}} - \beta z_{i y_i}\right]`
    is convex in :math:`\beta` (binary: :math:`\log(1 + e^{\beta z}) - y \beta z`),
    with derivative :math:`L'(\beta) = \mathrm{mean}_i(E_{p_i}[z_i] - z_{i y_i})` and
    second derivative the mean variance of the logits under the model. So the
    minimum is the one root of a non-decreasing function, found by Newton's method
    kept inside a shrinking bracket (bisection when Newton would leave it):
    deterministic, float64, to about 1e-13 relative.

    Parameters
    ----------
    logits : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary logits (log-odds of ``pos_label``) or a multiclass logit matrix whose
        columns follow the sorted labels.
    y_true : array-like of shape (n_samples,)
    pos_label : label, optional
        Positive class for 1-D logits; default 1 for labels {0, 1} or {-1, 1}.
    labels : array-like, optional
        All class labels, sorted, for 2-D logits when y_true lacks a class.

    Returns
    -------
    float
        T in [1e-4, 1e4]. If the log-loss keeps falling towards either end (logits
        that separate the classes perfectly want T -> 0; logits with no or reversed
        signal want T -> infinity) the bound is returned with a warning.

    Examples
    --------
    >>> z = [-4.0, -3.0, 3.0, 5.0, 4.0, -5.0]
    >>> round(fit_temperature(z, [0, 1, 1, 1, 0, 0]), 4)
    4.6641
    """
    z = _check_logits(logits)
    check_consistent_length(logits=z, y_true=as_array(y_true, "y_true"))
    if z.ndim == 1:
        target = check_binary_target(y_true, pos_label).astype(np.float64)
    else:
        target = class_columns(y_true, labels, z.shape[1], "logits")[1]
    beta_lo, beta_hi = 1 / _T_BOUNDS[1], 1 / _T_BOUNDS[0]
    if _nll_derivatives(z, target, beta_lo)[0] >= 0:
        _warn_bound("the logits carry no signal about y_true (or a reversed one)", _T_BOUNDS[1])
        return _T_BOUNDS[1]
    if _nll_derivatives(z, target, beta_hi)[0] <= 0:
        _warn_bound("the logits separate the classes (almost) perfectly", _T_BOUNDS[0])
        return _T_BOUNDS[0]
    beta = min(max(1.0, beta_lo), beta_hi)
    for _ in range(200):
        grad, curvature = _nll_derivatives(z, target, beta)
        if grad > 0:
            beta_hi = beta
        elif grad < 0:
            beta_lo = beta
        else:
            break
        step = grad / curvature if curvature > 0 else np.inf
        candidate = beta - step
        if not (beta_lo < candidate < beta_hi):
            candidate = np.sqrt(beta_lo * beta_hi)  # bisection in log-space: the bracket spans decades
        if abs(candidate - beta) <= 1e-14 * beta or beta_hi - beta_lo <= 1e-14 * beta_hi:
            beta = candidate
            break
        beta = candidate
    return float(1.0 / beta)


def _warn_bound(why: str, bound: float) -> None:
    warnings.warn(
        f"The log-loss keeps falling towards the end of the search range because {why}; "
        f"returning the bound T = {bound:g}.",
        UserWarning,
        stacklevel=3,
    )


__all__ = [
    "CalibrationBins",
    "apply_temperature",
    "bin_edges",
    "bin_ids",
    "calibration_bins",
    "calibration_curve",
    "expected_calibration_error",
    "fit_temperature",
]
