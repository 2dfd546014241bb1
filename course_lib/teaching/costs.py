"""Decisions from costs: the cost-derived threshold and the expected cost at each threshold (lesson 09).

A false positive costs ``c_fp`` and a false negative ``c_fn`` (a correct decision
costs 0). For a sample whose probability of being positive is ``p``, predicting
positive costs ``c_fp`` with probability ``1 - p`` and predicting negative costs
``c_fn`` with probability ``p``, so the cheaper decision on average is positive
exactly when

.. math:: p \\ge t^* = \\frac{c_{FP}}{c_{FP} + c_{FN}}.

That threshold is only right when ``p`` is a calibrated probability. On a test
set, the mean cost per sample at threshold ``t`` is
``(c_fp * FP(t) + c_fn * FN(t)) / n``: two counts per threshold, which
:func:`course_lib.metrics.curves.threshold_sweep` gives from one sort.

>>> cost_derived_threshold(c_fp=1.0, c_fn=9.0)
0.1
>>> mean_cost_at_thresholds([0, 0, 1, 1], [0.05, 0.3, 0.2, 0.9], [0.1, 0.5], c_fp=1.0, c_fn=9.0).tolist()
[0.25, 2.25]
"""

from __future__ import annotations

import numpy as np

from course_lib.metrics.curves import threshold_sweep
from course_lib.metrics.validation import check_real

__all__ = ["cost_derived_threshold", "mean_cost_at_thresholds"]


def _check_costs(c_fp, c_fn) -> tuple[float, float]:
    c_fp = check_real(c_fp, "c_fp", low=0, low_open=True, high=np.inf, high_open=True)
    c_fn = check_real(c_fn, "c_fn", low=0, low_open=True, high=np.inf, high_open=True)
    return c_fp, c_fn


def cost_derived_threshold(*, c_fp, c_fn) -> float:
    """The threshold that minimises the expected cost of calibrated probabilities, ``c_fp / (c_fp + c_fn)``.

    Parameters
    ----------
    c_fp, c_fn : float
        The cost of a false positive and of a false negative (both > 0, finite).

    Returns
    -------
    float
        Predict positive when ``p >= c_fp / (c_fp + c_fn)``; 0.5 when the two costs are equal.

    >>> round(cost_derived_threshold(c_fp=1, c_fn=10), 4)
    0.0909
    """
    c_fp, c_fn = _check_costs(c_fp, c_fn)
    return c_fp / (c_fp + c_fn)


def mean_cost_at_thresholds(y_true, y_prob, thresholds, *, c_fp, c_fn) -> np.ndarray:
    """Mean cost per sample, ``(c_fp * FP + c_fn * FN) / n``, of predicting positive when ``y_prob >= t``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels (0/1).
    y_prob : array-like of shape (n_samples,)
        Scores of class 1 (probabilities, for the cost-derived threshold to mean anything).
    thresholds : float or array-like
        The thresholds, in the order given.
    c_fp, c_fn : float
        The cost of a false positive and of a false negative (both > 0, finite).

    Returns
    -------
    ndarray of shape (n_thresholds,)
        The mean cost at each threshold.

    >>> mean_cost_at_thresholds([0, 1, 1], [0.2, 0.4, 0.8], [0.3, 0.5], c_fp=1, c_fn=4).tolist()
    [0.0, 1.3333333333333333]
    """
    c_fp, c_fn = _check_costs(c_fp, c_fn)
    sweep = threshold_sweep(y_true, y_prob, np.atleast_1d(np.asarray(thresholds, dtype=float)))
    n_samples = sweep.tp[0] + sweep.fp[0] + sweep.tn[0] + sweep.fn[0]
    return (c_fp * sweep.fp + c_fn * sweep.fn) / n_samples
