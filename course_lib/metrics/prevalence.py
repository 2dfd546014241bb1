"""When the positive rate changes: precision, probabilities and the prior at a new prevalence.

A classifier's true positive rate TPR = TP / P and false positive rate FPR = FP / N
are each measured *within* one class, so they do not change when the share of
positives (the prevalence pi) changes while each class looks the same as before
(prior shift). Everything that mixes the classes does change. Precision at
prevalence pi follows from the two rates and pi alone:

    precision(pi) = pi TPR / (pi TPR + (1 - pi) FPR)

A calibrated probability p = P(y = 1 | x) learned where the prevalence was pi_0
moves to a new prevalence pi_1 by Bayes' rule on the odds: the likelihood ratio
P(x | y = 1) / P(x | y = 0) is the same in both places, so

    odds_1(x) = odds_0(x) * [pi_1 / (1 - pi_1)] / [pi_0 / (1 - pi_0)],  odds = p / (1 - p).

When pi_1 is unknown, Saerens, Latinne & Decaestecker (2002, "Adjusting the outputs
of a classifier to new a priori probabilities: a simple procedure", Neural
Computation 14(1)) estimate it from the unlabelled new data with an EM algorithm:
adjust the probabilities to the current guess, take their mean as the next guess,
repeat. Each step increases the likelihood of the new data.

Precision-recall gain (Flach & Kull 2015, "Precision-Recall-Gain curves: PR analysis
done right", NeurIPS) rescales precision and recall so that the always-positive
classifier's precision (= pi) maps to 0 and a perfect score to 1:

    precision gain = (precision - pi) / ((1 - pi) precision)
    recall gain    = (recall - pi) / ((1 - pi) recall)
"""

from __future__ import annotations

import numbers

import numpy as np

from course_lib.metrics.validation import _describe, as_array, check_zero_division, expected, warn_undefined


def check_prevalence(prevalence, name: str = "prevalence") -> float:
    """A real number strictly between 0 and 1 (a class that never or always occurs has no odds)."""
    if not isinstance(prevalence, numbers.Real) or isinstance(prevalence, bool):
        raise TypeError(expected(name, "a number in (0, 1)", _describe(prevalence)))
    if not 0 < prevalence < 1:  # also refuses NaN
        raise ValueError(expected(name, "a number in (0, 1)", _describe(prevalence)))
    return float(prevalence)


def _check_rates(value, name: str) -> np.ndarray:
    """A rate or an array of rates in [0, 1]."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        raise TypeError(expected(name, "a number or an array of numbers in [0, 1]", _describe(value)))
    arr = np.asarray(value, dtype=np.float64) if isinstance(value, numbers.Real) else as_array(value, name)
    if arr.dtype.kind not in "iuf":
        raise TypeError(expected(name, "a number or an array of numbers in [0, 1]", f"dtype {arr.dtype}"))
    arr = arr.astype(np.float64)
    if not (np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all()):
        raise ValueError(expected(name, "in [0, 1]", "values outside it"))
    return arr


def _as_output(values: np.ndarray):
    """A Python float for scalar input, an array otherwise."""
    return float(values) if values.ndim == 0 else values


def precision_at_prevalence(tpr, fpr, prevalence, *, zero_division="warn"):
    """Precision of a classifier with rates ``tpr`` and ``fpr`` where a share ``prevalence`` is positive.

    .. math::

        \\text{precision}(\\pi) = \\frac{\\pi\\,\\mathrm{TPR}}{\\pi\\,\\mathrm{TPR} + (1 - \\pi)\\,\\mathrm{FPR}}

    This is the precision expected on a large test set drawn at prevalence pi, if the
    positives and the negatives look as they did where TPR and FPR were measured
    (prior shift). Arrays of rates broadcast (a whole ROC curve at once).

    Parameters
    ----------
    tpr, fpr : float or array-like in [0, 1]
        True and false positive rates measured on some test set.
    prevalence : float in (0, 1)
        Share of positives where the classifier is used.
    zero_division : 'warn', 0, 1 or np.nan
        The value where TPR = FPR = 0 (nothing predicted positive); 'warn' gives 0.0 and a warning.

    Examples
    --------
    >>> round(precision_at_prevalence(0.9, 0.05, 0.5), 4)
    0.9474
    >>> round(precision_at_prevalence(0.9, 0.05, 0.01), 4)
    0.1538
    """
    tpr, fpr = _check_rates(tpr, "tpr"), _check_rates(fpr, "fpr")
    prevalence = check_prevalence(prevalence)
    value = check_zero_division(zero_division)
    hits = prevalence * tpr
    alarms = hits + (1 - prevalence) * fpr
    undefined = alarms == 0
    precision = np.divide(hits, alarms, out=np.full(np.broadcast(hits, alarms).shape, value), where=~undefined)
    if undefined.any() and isinstance(zero_division, str):
        warn_undefined("Precision is ill-defined and being set to 0.0 where TPR = FPR = 0 (nothing is predicted).")
    return _as_output(precision)


def check_probabilities_01(y_prob, name: str = "y_prob") -> np.ndarray:
    """A non-empty float array of probabilities in [0, 1] (any shape)."""
    arr = as_array(y_prob, name)
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(expected(name, "probabilities (real numbers in [0, 1])", f"dtype {arr.dtype}"))
    arr = arr.astype(np.float64)
    if arr.size == 0:
        raise ValueError(expected(name, "non-empty", "an empty array"))
    if not (np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all()):
        raise ValueError(expected(name, "probabilities in [0, 1]", "values outside [0, 1] or NaN"))
    return arr


def prior_odds_ratio(from_prevalence: float, to_prevalence: float) -> float:
    """[pi_1 / (1 - pi_1)] / [pi_0 / (1 - pi_0)]: what every posterior odds is multiplied by."""
    return (to_prevalence / (1 - to_prevalence)) / (from_prevalence / (1 - from_prevalence))


def _adjust(y_prob: np.ndarray, ratio: float) -> np.ndarray:
    # odds * ratio turned back into a probability, written so that p = 0 and p = 1 stay put
    # (their odds are 0 and infinite) and no division by 1 - p happens.
    return ratio * y_prob / (ratio * y_prob + (1 - y_prob))


def adjust_to_prevalence(y_prob, *, from_prevalence, to_prevalence):
    """Calibrated probabilities of class 1 moved from one prevalence to another (Bayes' rule on the odds).

    .. math::

        \\frac{p_1}{1 - p_1} = \\frac{p_0}{1 - p_0} \\cdot
        \\frac{\\pi_1 / (1 - \\pi_1)}{\\pi_0 / (1 - \\pi_0)}

    Valid under prior shift: P(x | y) is the same where the model learned and where it
    is used. Multiplying the *probabilities* by pi_1 / pi_0 instead is wrong (it can give
    values above 1 and does not follow from Bayes' rule). The ranking of the scores is
    unchanged, so ROC-AUC is too.

    Parameters
    ----------
    y_prob : array-like of probabilities in [0, 1]
        P(y = 1 | x) calibrated at ``from_prevalence``.
    from_prevalence, to_prevalence : float in (0, 1)
        The positive rate the probabilities were calibrated at, and the new one.

    Examples
    --------
    >>> adjust_to_prevalence([0.5, 0.9, 1.0], from_prevalence=0.5, to_prevalence=0.1).round(4)
    array([0.1, 0.5, 1. ])
    """
    y_prob = check_probabilities_01(y_prob)
    ratio = prior_odds_ratio(
        check_prevalence(from_prevalence, "from_prevalence"), check_prevalence(to_prevalence, "to_prevalence")
    )
    return _adjust(y_prob, ratio)


def estimate_prevalence(y_prob, *, train_prevalence, tol=1e-10, max_iter=10_000) -> float:
    """The positive rate of unlabelled data, by the EM algorithm of Saerens, Latinne & Decaestecker (2002).

    Start from pi = ``train_prevalence`` and repeat

    1. E-step: adjust each probability to the current pi (Bayes on the odds, as
       :func:`adjust_to_prevalence`);
    2. M-step: the new pi is the mean of the adjusted probabilities;

    until pi moves less than ``tol``. The fixed point maximises the likelihood of the new
    data over the prior (the class-conditional densities held fixed), so it needs
    probabilities that were calibrated at ``train_prevalence``.

    Parameters
    ----------
    y_prob : 1-D array-like of probabilities in [0, 1]
        The model's P(y = 1 | x) on the new, unlabelled data.
    train_prevalence : float in (0, 1)
        The positive rate the probabilities were calibrated at.
    tol : float > 0
        Stop when one step changes the estimate by less than this.
    max_iter : int >= 1
        At most this many steps (a ValueError says so if it is reached).

    Examples
    --------
    >>> round(estimate_prevalence([0.1, 0.2, 0.3, 0.9], train_prevalence=0.5), 4)  # the plain mean is 0.375
    0.2433
    """
    y_prob = check_probabilities_01(y_prob)
    if y_prob.ndim != 1:
        raise ValueError(expected("y_prob", "a 1-D array of probabilities", f"an array of shape {y_prob.shape}"))
    train_prevalence = check_prevalence(train_prevalence, "train_prevalence")
    if not isinstance(tol, numbers.Real) or isinstance(tol, bool) or not tol > 0:
        raise ValueError(expected("tol", "a positive number", _describe(tol)))
    if not isinstance(max_iter, numbers.Integral) or isinstance(max_iter, bool) or max_iter < 1:
        raise ValueError(expected("max_iter", "an integer >= 1", _describe(max_iter)))
    prevalence = train_prevalence
    for _ in range(max_iter):
        updated = float(_adjust(y_prob, prior_odds_ratio(train_prevalence, prevalence)).mean())
        if abs(updated - prevalence) < tol or updated in (0.0, 1.0):
            return updated
        prevalence = updated
    raise ValueError(
        expected("max_iter", f"enough steps for EM to move less than tol={tol}", f"{max_iter} steps")
        + " Increase max_iter or tol."
    )


def precision_recall_gain(precision, recall, *, prevalence):
    """Precision gain and recall gain (Flach & Kull 2015), as a pair of floats or arrays.

    .. math::

        \\mathrm{precG} = \\frac{\\mathrm{prec} - \\pi}{(1 - \\pi)\\,\\mathrm{prec}},\\qquad
        \\mathrm{recG} = \\frac{\\mathrm{rec} - \\pi}{(1 - \\pi)\\,\\mathrm{rec}}

    Precision pi (what predicting everything positive gives) has gain 0, precision 1 has
    gain 1, and a precision below pi has negative gain. The gains still depend on pi; what
    they fix is the baseline, which is 0 at every prevalence. A precision or recall of 0
    has gain minus infinity.

    Examples
    --------
    >>> precision_recall_gain(0.5, 1.0, prevalence=0.5)
    (0.0, 1.0)
    >>> [round(g, 4) for g in precision_recall_gain(0.8, 0.6, prevalence=0.2)]
    [0.9375, 0.8333]
    """
    precision, recall = _check_rates(precision, "precision"), _check_rates(recall, "recall")
    prevalence = check_prevalence(prevalence)
    with np.errstate(divide="ignore"):
        gains = [(value - prevalence) / ((1 - prevalence) * value) for value in (precision, recall)]
    return _as_output(gains[0]), _as_output(gains[1])


__all__ = [
    "adjust_to_prevalence",
    "check_prevalence",
    "estimate_prevalence",
    "precision_at_prevalence",
    "precision_recall_gain",
    "prior_odds_ratio",
]
