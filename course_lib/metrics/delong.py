"""DeLong's standard error for ROC-AUC, and the paired DeLong test, in O(n log n).

ROC-AUC is the Mann-Whitney statistic: the probability that a random positive
outscores a random negative, ties counting one half,

    AUC = 1/(m n) sum_i sum_j psi(X_i, Y_j),   psi(x, y) = 1 if x > y, 1/2 if x = y, 0 if x < y,

with ``X_1..X_m`` the positives' scores and ``Y_1..Y_n`` the negatives'. DeLong,
DeLong & Clarke-Pearson (1988) estimate its variance from *placement values*:

    V10_i = 1/n sum_j psi(X_i, Y_j)   (share of negatives that positive i beats),
    V01_j = 1/m sum_i psi(X_i, Y_j)   (share of positives that beat negative j),
    Var(AUC) ~ s10 / m + s01 / n,     s10, s01 the sample variances (ddof=1) of V10, V01.

The definition costs O(m n). Sun & Xu (2014) compute the placements from midranks:
``V10_i = (R_Z(X_i) - R_X(X_i)) / n`` with ``R_Z`` the midrank in the pooled sample
and ``R_X`` the midrank among the positives. The difference of midranks is just
"negatives below X_i, plus half the negatives tied with it", which is what this
module computes with two binary searches into the sorted negatives: one sort
per class, O(n log n) in all.

Counts stay int64 and every product such as ``m * n`` is formed in float64, so
nothing overflows at any test-set size that fits in memory (R's pROC once
computed ``m * n`` in 32-bit integers). The interval ``AUC +- z SE`` is clipped
to [0, 1]: an AUC interval reaching past 1 is a rounding artefact, not information.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import stats

from course_lib.metrics.intervals import check_confidence, z_value
from course_lib.metrics.validation import binary_target, check_consistent_length, check_scores, expected


class AUCInterval(NamedTuple):
    """ROC-AUC with its DeLong standard error and a two-sided interval clipped to [0, 1]."""

    estimate: float
    low: float
    high: float
    std_error: float


class DeLongTest(NamedTuple):
    """Paired DeLong test of ``AUC_a - AUC_b = 0`` on one test set."""

    difference: float  # AUC_a - AUC_b
    std_error: float
    statistic: float  # difference / std_error
    pvalue: float  # two-sided


def placements(positives: np.ndarray, negatives: np.ndarray, *, in_order: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Placement values ``(V10, V01)``, in the order the scores were given (``in_order=False``: ascending).

    ``V10_i`` = (negatives below ``X_i`` + half those tied with it) / n, and
    symmetrically ``V01_j`` = (positives above ``Y_j`` + half those tied) / m.

    >>> v10, v01 = placements(np.array([0.9, 0.5]), np.array([0.5, 0.1, 0.2]))
    >>> v10.tolist(), v01.tolist()
    ([1.0, 0.8333333333333334], [0.75, 1.0, 1.0])
    """
    m, n = len(positives), len(negatives)
    sorted_neg, sorted_pos = np.sort(negatives), np.sort(positives)
    if not in_order:  # a variance needs no pairing: sorted queries walk memory forward (faster)
        positives, negatives = sorted_pos, sorted_neg
    # Below + at (side='right') plus below (side='left') = 2 x (below + half the ties): exact integers.
    twice_beaten = np.searchsorted(sorted_neg, positives, "left") + np.searchsorted(sorted_neg, positives, "right")
    twice_below = np.searchsorted(sorted_pos, negatives, "left") + np.searchsorted(sorted_pos, negatives, "right")
    v10 = twice_beaten / (2.0 * n)
    v01 = (2.0 * m - twice_below) / (2.0 * m)  # positives above Y_j: m - below - ties, halves added back
    return v10, v01


def _split(y_true, y_score, pos_label, name="y_score"):
    is_pos = binary_target(y_true, pos_label)
    y_score = check_scores(y_score, name)
    check_consistent_length(y_true=is_pos, **{name: y_score})
    m = int(np.count_nonzero(is_pos))
    if m == 0 or m == len(is_pos):
        raise ValueError(
            expected("y_true", "both classes (ROC-AUC compares positives with negatives)", "a single class")
        )
    return is_pos, y_score


def _variance_parts(v10: np.ndarray, v01: np.ndarray):
    """AUC and its DeLong variance from the placements."""
    m, n = v10.shape[-1], v01.shape[-1]
    auc = float(v10.mean())
    s10 = float(v10.var(ddof=1)) if m > 1 else 0.0
    s01 = float(v01.var(ddof=1)) if n > 1 else 0.0
    return auc, s10 / m + s01 / n


def roc_auc_interval(y_true, y_score, *, confidence=0.95, pos_label=None) -> AUCInterval:
    """ROC-AUC with DeLong's standard error and the interval ``AUC +- z SE``, clipped to [0, 1].

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels; both classes must occur.
    y_score : array-like of shape (n_samples,)
        Scores (higher means more likely positive).
    confidence : float, default 0.95
        Coverage the interval aims for.
    pos_label : label, optional
        The positive class (needed unless labels are {0, 1} or {-1, 1}).

    Returns
    -------
    AUCInterval
        ``estimate`` (equal to ``roc_auc_score``), ``low``, ``high``, ``std_error``.
        With one positive or one negative the variance of that class's placements is
        unknown and counted as 0, so the interval is too narrow: use more data.

    Examples
    --------
    >>> result = roc_auc_interval([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    >>> round(result.estimate, 4), round(result.std_error, 4)
    (0.8889, 0.1571)
    >>> result.high
    1.0
    """
    confidence = check_confidence(confidence)
    is_pos, y_score = _split(y_true, y_score, pos_label)
    v10, v01 = placements(y_score[is_pos], y_score[~is_pos], in_order=False)
    auc, variance = _variance_parts(v10, v01)
    se = math.sqrt(variance)
    half = z_value(confidence) * se
    return AUCInterval(auc, max(0.0, auc - half), min(1.0, auc + half), se)


def delong_test(y_true, score_a, score_b, *, pos_label=None) -> DeLongTest:
    """Paired DeLong test: do two scores have the same ROC-AUC on this test set?

    Both models are scored on the same examples, so their AUC estimates are
    correlated; the test uses the covariance of their placement values:

        Var(A - B) = Var(A) + Var(B) - 2 Cov(A, B),
        Cov(A, B)  = cov(V10_A, V10_B) / m + cov(V01_A, V01_B) / n.

    Returns the difference ``AUC_a - AUC_b``, its standard error, ``z = difference / SE``
    and the two-sided p-value ``2 (1 - Phi(|z|))``. Identical scores give
    difference 0, SE 0, statistic 0 and p-value 1.

    >>> y = [0, 0, 1, 1, 0, 1, 0, 1]
    >>> test = delong_test(y, [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.3, 0.7], [0.5, 0.4, 0.3, 0.6, 0.2, 0.1, 0.3, 0.7])
    >>> round(test.difference, 4), round(test.pvalue, 4)
    (0.3438, 0.1579)
    """
    is_pos, score_a = _split(y_true, score_a, pos_label, "score_a")
    score_b = check_scores(score_b, "score_b")
    check_consistent_length(score_a=score_a, score_b=score_b)
    m, n = int(np.count_nonzero(is_pos)), int(len(is_pos) - np.count_nonzero(is_pos))
    a10, a01 = placements(score_a[is_pos], score_a[~is_pos])
    b10, b01 = placements(score_b[is_pos], score_b[~is_pos])
    diff10, diff01 = a10 - b10, a01 - b01  # the difference's placements: Var(A - B) in one step
    difference = float(diff10.mean())
    variance = (diff10.var(ddof=1) / m if m > 1 else 0.0) + (diff01.var(ddof=1) / n if n > 1 else 0.0)
    se = math.sqrt(max(float(variance), 0.0))
    if se == 0.0:
        statistic = 0.0 if difference == 0 else math.copysign(math.inf, difference)
    else:
        statistic = difference / se
    pvalue = float(2 * stats.norm.sf(abs(statistic)))
    return DeLongTest(difference, se, statistic, min(pvalue, 1.0))


__all__ = ["AUCInterval", "DeLongTest", "delong_test", "placements", "roc_auc_interval"]
