"""Confidence intervals for a proportion: accuracy, precision, recall are each ``successes / trials``.

Every set-based score that is a single ratio of counts is a binomial proportion:
accuracy is (TP + TN) / n, recall is TP / (TP + FN), precision is TP / (TP + FP).
Its sampling noise is therefore that of ``x`` successes in ``n`` trials, and
``n`` is the *relevant* count (positives for recall, predicted positives for
precision), not the size of the test set.

Three classical 95 % intervals, with ``z`` the standard normal quantile
(1.96) and ``p = x / n``:

- Wald: ``p +- z sqrt(p (1 - p) / n)``. The textbook one, and the one that fails:
  at ``x = 0`` it is the single point 0, and at small ``n`` or ``p`` near 0 or 1
  it covers the truth far less often than 95 % (Brown, Cai & DasGupta 2001).
- Wilson (score interval): the ``p0`` that a z-test of ``p0`` would not reject,
  ``(p + z^2/2n +- z sqrt(p (1 - p)/n + z^2/4n^2)) / (1 + z^2/n)``.
- Clopper-Pearson ("exact"): quantiles of Beta distributions; it covers at least
  95 % for every ``p`` and ``n``, and so is usually wider than needed.

Intervals are clipped to [0, 1] (Wald can leave it); Wilson's bounds at 0 and n successes are
set to exactly 0 and 1, which rounding can miss by 1e-16.
The results equal statsmodels' ``proportion_confint`` ("normal" is Wald, "beta"
is Clopper-Pearson).
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np
from scipy import stats

from course_lib.metrics.validation import _describe, expected

PROPORTION_METHODS = ("wilson", "wald", "clopper-pearson")


class ProportionInterval(NamedTuple):
    """A two-sided confidence interval ``(low, high)`` for a proportion."""

    low: float
    high: float


def check_confidence(confidence) -> float:
    """A confidence level strictly between 0 and 1 (0.95 for a 95 % interval)."""
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise TypeError(expected("confidence", "a number in (0, 1) such as 0.95", _describe(confidence)))
    if not 0 < confidence < 1:
        raise ValueError(expected("confidence", "a number in (0, 1) such as 0.95", repr(confidence)))
    return float(confidence)


def check_count(value, name: str, minimum: int = 0) -> int:
    """A whole number (int, or an integral float such as 3.0) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(expected(name, "a whole number", _describe(value)))
    if not math.isfinite(value) or value != int(value):
        raise ValueError(expected(name, "a whole number", repr(value)))
    if value < minimum:
        raise ValueError(expected(name, f"at least {minimum}", repr(value)))
    return int(value)


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile: 1.96 for 95 %."""
    return float(stats.norm.isf((1 - confidence) / 2))


def proportion_interval(successes, trials, *, confidence=0.95, method="wilson") -> ProportionInterval:
    """Two-sided confidence interval for a binomial proportion ``successes / trials``.

    Parameters
    ----------
    successes : int
        Number of successes ``x`` (e.g. TP for recall), ``0 <= x <= trials``.
    trials : int
        Number of trials ``n`` (e.g. TP + FN for recall), at least 1.
    confidence : float, default 0.95
        Coverage the interval aims for, in (0, 1).
    method : {"wilson", "wald", "clopper-pearson"}, default "wilson"
        See the module docstring; Wilson is the recommended default
        (Brown, Cai & DasGupta 2001).

    Returns
    -------
    ProportionInterval
        ``(low, high)`` inside [0, 1].

    Examples
    --------
    >>> low, high = proportion_interval(8, 10)
    >>> round(low, 4), round(high, 4)
    (0.4902, 0.9433)
    >>> proportion_interval(0, 10, method="wald")  # Wald's degenerate interval at x = 0
    ProportionInterval(low=0.0, high=0.0)
    """
    n = check_count(trials, "trials", minimum=1)
    x = check_count(successes, "successes")
    if x > n:
        raise ValueError(expected("successes", f"at most trials={n}", repr(successes)))
    confidence = check_confidence(confidence)
    if method not in PROPORTION_METHODS:
        raise ValueError(expected("method", f"one of {PROPORTION_METHODS}", repr(method)))
    p = x / n
    alpha = 1 - confidence
    if method == "clopper-pearson":
        low = 0.0 if x == 0 else stats.beta.ppf(alpha / 2, x, n - x + 1)
        high = 1.0 if x == n else stats.beta.isf(alpha / 2, x + 1, n - x)
    else:
        z = z_value(confidence)
        if method == "wald":
            half = z * math.sqrt(p * (1 - p) / n)
            low, high = p - half, p + half
        else:  # Wilson, written as statsmodels writes it so the two agree to the last bits
            denominator = 1 + z * z / n
            centre = (p + z * z / (2 * n)) / denominator
            half = z * math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator
            low, high = centre - half, centre + half
            # Mathematically the bound is exactly 0 at x = 0 and 1 at x = n; rounding can miss by 1e-16.
            low, high = (0.0 if x == 0 else low), (1.0 if x == n else high)
    return ProportionInterval(float(np.clip(low, 0.0, 1.0)), float(np.clip(high, 0.0, 1.0)))


def wilson_width(rate, trials, confidence=0.95):
    """Width of the Wilson interval at an observed rate, vectorised over ``rate`` and ``trials``.

    The pure function under the test-set-size picture: ``2 z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)``.

    >>> round(float(wilson_width(0.8, 100)), 4)
    0.1555
    """
    z = z_value(check_confidence(confidence))
    p, n = np.asarray(rate, dtype=np.float64), np.asarray(trials, dtype=np.float64)
    return 2 * z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)


def sample_size_for_width(width, rate, *, share=1.0, confidence=0.95) -> int:
    """Smallest test-set size whose Wilson interval for ``rate`` is at most ``width`` wide.

    ``share`` is the fraction of the test set that the proportion is counted on:
    the prevalence for recall (trials = positives), the predicted-positive rate
    for precision, 1 for accuracy. The answer assumes the observed rate equals
    ``rate`` and ``share * n`` trials; it is a planning number, not a guarantee.

    >>> sample_size_for_width(0.1, 0.8, share=0.1)  # recall near 0.8 at 10 % prevalence
    2450
    """
    for name, value in (("width", width), ("rate", rate), ("share", share)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise TypeError(expected(name, "a finite number", _describe(value)))
    if not 0 < width < 1:
        raise ValueError(expected("width", "in (0, 1)", repr(width)))
    if not 0 <= rate <= 1:
        raise ValueError(expected("rate", "in [0, 1]", repr(rate)))
    if not 0 < share <= 1:
        raise ValueError(expected("share", "in (0, 1]", repr(share)))
    # Width decreases in the number of trials: binary search over trials, then scale by the share.
    low, high = 1, 1
    while wilson_width(rate, high, confidence) > width:
        high *= 2
    while low < high:
        middle = (low + high) // 2
        if wilson_width(rate, middle, confidence) > width:
            low = middle + 1
        else:
            high = middle
    return math.ceil(low / share)


__all__ = [
    "PROPORTION_METHODS",
    "ProportionInterval",
    "check_confidence",
    "proportion_interval",
    "sample_size_for_width",
    "wilson_width",
]
