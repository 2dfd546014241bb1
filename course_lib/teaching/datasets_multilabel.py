"""A seeded synthetic multilabel dataset whose labels range from rare to common.

Each sample has ``n_features`` standard-normal features. Label ``l`` is on when a
noisy linear score crosses a threshold:

    z_l = w_l . x + noise * e_l        (w_l a random unit vector, e_l ~ N(0, 1))
    y_l = 1  if  z_l >= t_l

``z_l`` is normal with variance ``1 + noise**2`` whatever ``w_l`` is, so the
threshold ``t_l = sqrt(1 + noise**2) * Phi^-1(1 - base_rate_l)`` makes the
population base rate of label ``l`` exactly ``base_rate_l``; a sample's rate is
close to it. ``noise`` sets how far even the best possible classifier is from
perfect: it sees ``w_l . x`` but never ``e_l``.

The directions ``w_l`` depend only on ``n_features`` and the number of labels,
never on ``seed``: two seeds give two independent samples of the same problem
(a training set and a fresh test set, say), as with ``course_lib.teaching.datasets``.
"""

from __future__ import annotations

import numbers
from statistics import NormalDist

import numpy as np

from course_lib.metrics.validation import _describe, expected

_POPULATION_SEED = 8  # fixes the label directions; lesson 08 uses this dataset

#: Ten labels whose base rates grow geometrically from 1 % to 30 %.
DEFAULT_BASE_RATES = tuple(float(r) for r in np.geomspace(0.01, 0.30, 10))


def _check_int(value, name: str, minimum: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(expected(name, "an int", _describe(value)))
    if value < minimum:
        raise ValueError(expected(name, f">= {minimum}", _describe(value)))
    return int(value)


def make_imbalanced_multilabel(
    n_samples: int, *, base_rates=DEFAULT_BASE_RATES, n_features: int = 16, noise: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Features and a 0/1 label matrix with one base rate per label: ``(X, Y)``.

    Parameters
    ----------
    n_samples : int
    base_rates : sequence of float in (0, 1)
        The population fraction of positives of each label; its length is the number of labels.
    n_features : int
    noise : float >= 0
        Standard deviation of the part of each label's score that the features do not explain.
    seed : int
        Draws the samples (features and noise), not the problem: same arguments and seed, same arrays on
        every machine; another seed, another sample of the same population.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    Y : ndarray of shape (n_samples, n_labels), int64

    Examples
    --------
    >>> X, Y = make_imbalanced_multilabel(20_000, base_rates=(0.01, 0.3), seed=0)
    >>> X.shape, Y.shape
    ((20000, 16), (20000, 2))
    >>> Y.mean(axis=0).round(2).tolist()
    [0.01, 0.3]
    """
    n_samples = _check_int(n_samples, "n_samples", 1)
    n_features = _check_int(n_features, "n_features", 1)
    rates = np.asarray(base_rates, dtype=np.float64) if not isinstance(base_rates, str) else None
    if rates is None or rates.ndim != 1 or rates.size == 0 or not ((rates > 0) & (rates < 1)).all():
        raise ValueError(
            expected("base_rates", "a non-empty list of rates strictly between 0 and 1", _describe(base_rates))
        )
    if not isinstance(noise, numbers.Real) or isinstance(noise, bool) or not 0 <= noise < np.inf:
        raise ValueError(expected("noise", "a finite number >= 0", _describe(noise)))
    # The population (each label's direction) must not depend on `seed`: two seeds are then two independent
    # samples of the same problem, as everywhere in course_lib.teaching.datasets.
    directions = np.random.default_rng(_POPULATION_SEED).standard_normal((n_features, rates.size))
    directions /= np.linalg.norm(directions, axis=0)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    scores = X @ directions + noise * rng.standard_normal((n_samples, rates.size))
    spread = np.sqrt(1.0 + noise**2)
    thresholds = np.array([spread * NormalDist().inv_cdf(1.0 - r) for r in rates])
    return X, (scores >= thresholds).astype(np.int64)
