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

The binning (edges, the bin of each sample, sums per bin) lives in
:mod:`course_lib.metrics.binning`, temperature scaling in
:mod:`course_lib.metrics.temperature`; their public names are re-exported here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_lib.metrics.binning import STRATEGIES, _buckets, bin_edges, bin_ids, binned_sums, check_binning
from course_lib.metrics.multiclass_calibration import multiclass_calibration_error
from course_lib.metrics.probabilistic import class_columns
from course_lib.metrics.temperature import _check_logits, _check_temperature, apply_temperature, fit_temperature
from course_lib.metrics.validation import (
    as_array,
    binary_target,
    check_consistent_length,
    check_option,
    check_probabilities,
    expected,
)


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
    n_bins = check_binning(n_bins, strategy)
    p = check_probabilities(y_prob, "y_prob")
    if p.ndim != 1:
        raise ValueError(expected("y_prob", "a 1-D array of positive-class probabilities", f"shape {p.shape}"))
    check_consistent_length(y_true=as_array(y_true, "y_true"), y_prob=p)
    positive = binary_target(y_true, pos_label)
    counts, confidence_sums, hits, edges = binned_sums(p.astype(np.float64, copy=False), positive, n_bins, strategy)
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
        return p.astype(np.float64, copy=False), binary_target(y_true, pos_label)
    _, column = class_columns(y_true, labels, p.shape[1], "y_prob")
    predicted = np.argmax(p, axis=1)  # ties go to the first (smallest) label
    confidence = np.take_along_axis(p, predicted[:, None], axis=1)[:, 0]
    return confidence.astype(np.float64, copy=False), predicted == column


def expected_calibration_error(
    y_true, y_prob, *, pos_label=None, labels=None, n_bins=15, strategy="uniform", multiclass="top-label"
):
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
    multiclass : {'top-label', 'classwise'}, default='top-label'
        For 2-D ``y_prob``: 'top-label' as above, or 'classwise', the class-wise ECE of
        Kull et al. (2019), the mean over classes of each column's binned ECE
        (:func:`course_lib.metrics.multiclass_calibration.multiclass_calibration_error`).

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
    if check_option(multiclass, "multiclass", ("top-label", "classwise")) == "classwise":
        return multiclass_calibration_error(
            y_true, y_prob, multiclass="classwise", labels=labels, n_bins=n_bins, strategy=strategy
        )
    n_bins = check_binning(n_bins, strategy)
    confidence, hit = _confidence_and_hits(y_true, y_prob, pos_label, labels)
    counts, confidence_sums, hits, _ = binned_sums(confidence, hit, n_bins, strategy)
    # n_b/n * |hits_b/n_b - conf_sum_b/n_b| = |hits_b - conf_sum_b| / n
    return float(np.abs(hits - confidence_sums).sum() / len(confidence))


__all__ = [
    "STRATEGIES",
    "CalibrationBins",
    "_buckets",
    "_check_logits",
    "_check_temperature",
    "apply_temperature",
    "bin_edges",
    "bin_ids",
    "calibration_bins",
    "calibration_curve",
    "expected_calibration_error",
    "fit_temperature",
]
