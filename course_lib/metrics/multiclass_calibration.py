r"""Calibration of K-class probabilities: top-label (confidence) and class-wise.

A K-class model gives each sample a probability vector. Two questions, two binnings:

- **Top-label (confidence) calibration**, Guo et al. (2017): among the samples whose
  largest probability is about 0.8, is the predicted class right about 80 % of the
  time? One reliability diagram: bin the confidences ``max_c p_ic``, count the hits
  ``argmax_c p_ic == y_i``. torchmetrics' ``multiclass_calibration_error`` computes this
  (and calls it top-label). (Gupta & Ramdas, 2021, use "top-label calibration" for a
  stricter notion that also conditions on which class was predicted.)
- **Class-wise calibration**, Kull et al. (2019): for *each* class j, among the samples
  given probability about 0.3 for class j, is class j the truth about 30 % of the time?
  K reliability diagrams, one per column, each over all samples.

Both come from the same counts. Per row of reliability counts (one row for top-label,
one per class for class-wise) and per bin b: ``counts[b]`` samples, ``confidence_sums[b]``
the sum of their predicted probabilities, ``hits[b]`` how many came true. Then one compute:

.. math:: \mathrm{ECE}_{\text{row}} = \sum_b \frac{n_b}{n}\left|\frac{h_b}{n_b} - \frac{s_b}{n_b}\right|
          = \frac{1}{n}\sum_b |h_b - s_b|,
   \qquad \text{top-label ECE} = \mathrm{ECE}_{\text{top}},
   \qquad \text{class-wise ECE} = \frac{1}{K}\sum_{j=1}^{K} \mathrm{ECE}_j.

Binning is course_lib's (scikit-learn's ``calibration_curve``): uniform edges
``linspace(0, 1, n_bins + 1)`` or quantile edges, bins closed on the right. torchmetrics
bins in float32, closed on the left, and gives a probability of exactly 1.0 a bin of its
own, so the two agree to float32 precision except when a probability lies exactly on an
inner edge (0.2 with 5 bins, say) or equals 1.0.

Probabilities are checked, never repaired: each row must sum to 1 within
``rtol = sqrt(eps)`` of its dtype and ``atol = 1e-8`` (scikit-learn's tolerance; about
1.5e-8 for float64 and 3.5e-4 for float32, so a float32 softmax passes and a row
summing to 0.999 does not). Argmax ties go to the first column, as in torchmetrics.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_lib.metrics.binning import binned_sums, check_binning
from course_lib.metrics.probabilistic import check_probabilities, class_columns
from course_lib.metrics.validation import as_array, check_consistent_length, check_option, expected

MULTICLASS_OPTIONS = ("top-label", "classwise")


class ReliabilityCounts(NamedTuple):
    """Per-bin counts of one or more reliability diagrams; row r, bin b.

    ``rows`` names each row ("top label", or the class labels). Empty bins stay in the
    arrays with count 0, so counts from several batches add up cell by cell.
    """

    counts: np.ndarray  # (n_rows, n_bins) samples per bin
    confidence_sums: np.ndarray  # (n_rows, n_bins) sum of the predicted probabilities in the bin
    hits: np.ndarray  # (n_rows, n_bins) samples in the bin whose event came true
    edges: np.ndarray  # (n_rows, n_bins + 1) bin edges of each row
    rows: tuple

    def prob_true(self, row: int = 0) -> np.ndarray:
        """Observed frequency in each non-empty bin of ``row`` (a reliability diagram's y)."""
        filled = self.counts[row] > 0
        return self.hits[row][filled] / self.counts[row][filled]

    def prob_pred(self, row: int = 0) -> np.ndarray:
        """Mean predicted probability in each non-empty bin of ``row`` (the diagram's x)."""
        filled = self.counts[row] > 0
        return self.confidence_sums[row][filled] / self.counts[row][filled]

    def row_errors(self) -> np.ndarray:
        """ECE of each row: :func:`calibration_error_from_counts` per row."""
        return calibration_error_from_counts(self.counts, self.confidence_sums, self.hits)


def calibration_error_from_counts(counts, confidence_sums, hits) -> np.ndarray:
    r"""ECE of each row of reliability counts: :math:`\frac{1}{n}\sum_b |h_b - s_b|`, n = the row's total.

    The one compute step under top-label and class-wise ECE.

    >>> calibration_error_from_counts([[2, 3]], [[0.5, 2.45]], [[0, 3]]).round(4).tolist()
    [0.21]
    """
    counts, sums, hits = (np.atleast_2d(np.asarray(a, dtype=np.float64)) for a in (counts, confidence_sums, hits))
    return np.abs(hits - sums).sum(axis=1) / counts.sum(axis=1)


def _check_k_class_probabilities(y_true, y_prob, labels):
    """(classes, p as float64 (n, K), column of each true class); rows must sum to 1."""
    p = check_probabilities(y_prob, "y_prob")  # [0, 1], finite, rows summing to 1
    if p.ndim != 2:
        raise ValueError(
            expected("y_prob", "a 2-D array (n_samples, n_classes) with one column per class", f"shape {p.shape}")
        )
    check_consistent_length(y_true=as_array(y_true, "y_true"), y_prob=p)
    classes, column = class_columns(y_true, labels, p.shape[1], "y_prob")
    return classes, p.astype(np.float64, copy=False), column


def reliability_counts(
    y_true, y_prob, *, multiclass="top-label", labels=None, n_bins=15, strategy="uniform"
) -> ReliabilityCounts:
    """The per-bin counts of the top-label diagram (one row) or of the K class-wise diagrams (K rows).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_prob : array-like of shape (n_samples, n_classes)
        Probabilities, one column per class in sorted label order; rows sum to 1.
        K = 2 is fine as two columns.
    multiclass : {'top-label', 'classwise'}, default='top-label'
        'top-label': probability = the largest in the row, event = that class is the truth.
        'classwise': for each class j, probability = column j, event = class j is the truth.
    labels : array-like, optional
        All class labels, sorted, when y_true lacks some class.
    n_bins : int >= 1, default=15
    strategy : {'uniform', 'quantile'}, default='uniform'

    >>> rc = reliability_counts([0, 1, 1], [[0.7, 0.3], [0.4, 0.6], [0.2, 0.8]], n_bins=2)
    >>> rc.counts.tolist(), rc.hits.tolist()
    ([[0, 3]], [[0, 3]])
    """
    check_option(multiclass, "multiclass", MULTICLASS_OPTIONS)
    n_bins = check_binning(n_bins, strategy)
    classes, p, column = _check_k_class_probabilities(y_true, y_prob, labels)
    if multiclass == "top-label":
        predicted = np.argmax(p, axis=1)  # ties: the first column, as torchmetrics
        confidence = p[np.arange(len(p)), predicted]
        # The binning core of course_lib.metrics.binning: per-bin counts, sums of probabilities, hits.
        rows = [binned_sums(confidence, predicted == column, n_bins, strategy)]
        names = ("top label",)
    else:
        rows = [binned_sums(np.ascontiguousarray(p[:, j]), column == j, n_bins, strategy) for j in range(p.shape[1])]
        names = tuple(classes.tolist())
    counts, sums, hits, edges = (np.stack(parts) for parts in zip(*rows, strict=True))
    return ReliabilityCounts(counts, sums, hits, edges, names)


def multiclass_calibration_error(
    y_true, y_prob, *, multiclass="top-label", labels=None, n_bins=15, strategy="uniform"
) -> float:
    r"""Top-label or class-wise expected calibration error of K-class probabilities.

    .. math:: \text{top-label} = \sum_b \frac{n_b}{n}\,|\mathrm{acc}(b) - \mathrm{conf}(b)|, \qquad
              \text{class-wise} = \frac{1}{K}\sum_j \sum_b \frac{n_{jb}}{n}\,|\mathrm{freq}_j(b) - \bar p_j(b)|

    Top-label: Guo et al. (2017), torchmetrics' ``multiclass_calibration_error(norm="l1")``.
    Class-wise: Kull et al. (2019), the mean over classes of each class's binned gap
    between the frequency of the class and its mean predicted probability.
    Parameters as in :func:`reliability_counts`.

    Examples
    --------
    A model that is right 60 % of the time at confidence 0.6, but swaps the other two:

    >>> y_prob = [[0.6, 0.3, 0.1]] * 10
    >>> y_true = [0] * 6 + [1] + [2] * 3
    >>> round(multiclass_calibration_error(y_true, y_prob), 12)
    0.0
    >>> round(multiclass_calibration_error(y_true, y_prob, multiclass="classwise"), 4)
    0.1333
    """
    bins = reliability_counts(y_true, y_prob, multiclass=multiclass, labels=labels, n_bins=n_bins, strategy=strategy)
    return float(bins.row_errors().mean())


def top_label_calibration_error(y_true, y_prob, *, labels=None, n_bins=15, strategy="uniform") -> float:
    """:func:`multiclass_calibration_error` with ``multiclass='top-label'``."""
    return multiclass_calibration_error(
        y_true, y_prob, multiclass="top-label", labels=labels, n_bins=n_bins, strategy=strategy
    )


def classwise_calibration_error(y_true, y_prob, *, labels=None, n_bins=15, strategy="uniform") -> float:
    """:func:`multiclass_calibration_error` with ``multiclass='classwise'``."""
    return multiclass_calibration_error(
        y_true, y_prob, multiclass="classwise", labels=labels, n_bins=n_bins, strategy=strategy
    )


__all__ = [
    "MULTICLASS_OPTIONS",
    "ReliabilityCounts",
    "calibration_error_from_counts",
    "classwise_calibration_error",
    "multiclass_calibration_error",
    "reliability_counts",
    "top_label_calibration_error",
]
