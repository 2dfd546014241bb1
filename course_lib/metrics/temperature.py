"""Temperature scaling (Guo et al. 2017): divide the logits by one number T > 0 chosen on held-out data.

T is chosen to minimise log-loss on a validation set. Dividing by T never
reorders the scores, so ROC-AUC and accuracy stay exactly the same while the
probabilities move.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.metrics.probabilistic import class_columns
from course_lib.metrics.validation import (
    _describe,
    as_array,
    binary_target,
    check_consistent_length,
    check_real,
    expected,
)

# Temperature scaling searches T in [1e-4, 1e4]; scikit-learn's own temperature
# calibrator searches exp(+-10), about the same range.
_T_BOUNDS = (1e-4, 1e4)


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
    return check_real(temperature, "temperature", low=0, high=np.inf, low_open=True, high_open=True)


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
        target = binary_target(y_true, pos_label).astype(np.float64)
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


__all__ = ["apply_temperature", "fit_temperature"]
