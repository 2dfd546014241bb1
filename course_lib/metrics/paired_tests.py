"""McNemar's test: are two classifiers equally accurate on the *same* test set?

Two classifiers scored on one test set are not two independent samples: most
examples are easy (both right) or hard (both wrong) for both. Only the examples
where they *disagree* carry information about which one is more accurate:

    b = A right and B wrong,        c = A wrong and B right.

Under "equally accurate", each disagreement is a fair coin: ``b ~ Binomial(b + c, 1/2)``.

- exact (default): two-sided binomial p-value ``min(1, 2 P(Binomial(b+c, 1/2) <= min(b, c)))``,
  statistic ``min(b, c)``;
- ``exact=False``: chi-square with one degree of freedom and Edwards' continuity
  correction, statistic ``(|b - c| - 1)^2 / (b + c)``.

Both equal statsmodels' ``mcnemar`` whenever ``b + c > 0``. With no disagreement
at all there is no evidence either way: this module returns statistic 0 and
p-value 1, where statsmodels 0.15's chi-square version divides by zero
(statistic inf, p-value 0).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

from course_lib.metrics.agreement import _check_label_pair
from course_lib.metrics.validation import check_consistent_length, expected


class McNemarResult(NamedTuple):
    """McNemar's test: ``statistic``, two-sided ``pvalue`` and the discordant counts ``b``, ``c``."""

    statistic: float
    pvalue: float
    b: int  # A right, B wrong
    c: int  # A wrong, B right


def discordant_counts(y_true, pred_a, pred_b) -> tuple[int, int]:
    """``(b, c)``: examples only A gets right, examples only B gets right (validated inputs)."""
    y_true, pred_a = _check_label_pair(y_true, pred_a, ("y_true", "pred_a"))
    _, pred_b = _check_label_pair(y_true, pred_b, ("y_true", "pred_b"))
    check_consistent_length(y_true=y_true, pred_a=pred_a, pred_b=pred_b)
    right_a, right_b = pred_a == y_true, pred_b == y_true
    return int(np.count_nonzero(right_a & ~right_b)), int(np.count_nonzero(~right_a & right_b))


def mcnemar_from_counts(b, c, *, exact=True) -> McNemarResult:
    """McNemar's test from the two discordant counts (the count-level core).

    >>> mcnemar_from_counts(2, 10).pvalue.round(4)
    np.float64(0.0386)
    """
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(expected("exact", "True or False", repr(exact)))
    b, c = int(b), int(c)
    if b < 0 or c < 0:
        raise ValueError(expected("b", "non-negative counts", f"b={b}, c={c}"))
    if b + c == 0:
        return McNemarResult(0.0, 1.0, b, c)
    if exact:
        statistic = float(min(b, c))
        pvalue = min(1.0, 2 * stats.binom.cdf(statistic, b + c, 0.5))
    else:
        statistic = (abs(b - c) - 1.0) ** 2 / (b + c)
        pvalue = stats.chi2.sf(statistic, 1)
    return McNemarResult(statistic, np.float64(pvalue), b, c)


def mcnemar_test(y_true, pred_a, pred_b, *, exact=True) -> McNemarResult:
    """McNemar's test of equal accuracy for two classifiers' predictions on one test set.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels (any number of classes: only right/wrong matters).
    pred_a, pred_b : array-like of shape (n_samples,)
        The two classifiers' predicted labels for the same examples.
    exact : bool, default True
        Exact binomial test; False for the chi-square with continuity correction.

    Returns
    -------
    McNemarResult
        ``statistic``, two-sided ``pvalue``, and the discordant counts ``b``
        (only A right) and ``c`` (only B right).

    Examples
    --------
    >>> y = [1, 1, 0, 0, 1, 0, 1, 1]
    >>> a = [1, 1, 0, 0, 1, 0, 1, 1]
    >>> b = [0, 1, 1, 0, 0, 0, 1, 0]
    >>> result = mcnemar_test(y, a, b)
    >>> result.b, result.c, float(result.pvalue)
    (4, 0, 0.125)
    """
    b, c = discordant_counts(y_true, pred_a, pred_b)
    return mcnemar_from_counts(b, c, exact=exact)


__all__ = ["McNemarResult", "discordant_counts", "mcnemar_from_counts", "mcnemar_test"]
