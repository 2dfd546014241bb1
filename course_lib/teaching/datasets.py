"""The course's worked examples and seeded synthetic data.

The worked examples are small enough to check by hand; every lesson that
quotes one of their numbers recomputes it from these arrays. Each function
returns fresh arrays, so a lesson that modifies them cannot change another's.

The generators are deterministic: the same arguments and ``seed`` give the same
arrays on every machine (NumPy's ``default_rng``). The distribution depends on
the other arguments only, so two seeds are two independent samples from the
same population, which is what a resampling experiment needs.
"""

from __future__ import annotations

import numbers

import numpy as np

from course_lib.metrics.validation import _describe, expected

# --------------------------------------------------------------------------- worked examples

_TWENTY_Y_TRUE = (1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0)
_TWENTY_Y_SCORE = (
    0.92, 0.15, 0.88, 0.42, 0.22, 0.78, 0.61, 0.85, 0.95, 0.18,
    0.38, 0.73, 0.12, 0.81, 0.55, 0.90, 0.35, 0.08, 0.87, 0.20,
)  # fmt: skip

_EIGHT_Y_TRUE = (1, 1, 0, 1, 0, 1, 0, 0)
_EIGHT_Y_SCORE = (0.95, 0.80, 0.75, 0.60, 0.50, 0.40, 0.30, 0.10)

_TWELVE_Y_TRUE = (0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2)
_TWELVE_Y_PRED = (0, 0, 0, 1, 2, 1, 1, 0, 2, 2, 1, 0)


def twenty_samples() -> tuple[np.ndarray, np.ndarray]:
    """The textbook's 20 binary examples: ``(y_true, y_score)``, 12 positives and 8 negatives.

    ``y_score`` is a model's probability of the positive class. The threshold
    lessons use it: at 0.5 it gives TP=9, FP=2, TN=6, FN=3.

    >>> y_true, y_score = twenty_samples()
    >>> int(y_true.sum()), len(y_true)
    (12, 20)
    >>> int(((y_score >= 0.5) & (y_true == 1)).sum())
    9
    """
    return np.array(_TWENTY_Y_TRUE, dtype=np.int64), np.array(_TWENTY_Y_SCORE, dtype=np.float64)


def eight_samples() -> tuple[np.ndarray, np.ndarray]:
    """The textbook's 8 ranked examples for ROC and PR curves: ``(y_true, y_score)``.

    Four positives and four negatives, scores already sorted from high to low.

    >>> y_true, y_score = eight_samples()
    >>> y_true.tolist()
    [1, 1, 0, 1, 0, 1, 0, 0]
    """
    return np.array(_EIGHT_Y_TRUE, dtype=np.int64), np.array(_EIGHT_Y_SCORE, dtype=np.float64)


def three_class_samples() -> tuple[np.ndarray, np.ndarray]:
    """The textbook's 12-sample, 3-class example: ``(y_true, y_pred)`` with supports 5, 3, 4.

    >>> y_true, y_pred = three_class_samples()
    >>> np.bincount(y_true).tolist()
    [5, 3, 4]
    """
    return np.array(_TWELVE_Y_TRUE, dtype=np.int64), np.array(_TWELVE_Y_PRED, dtype=np.int64)


# --------------------------------------------------------------------------- synthetic imbalanced data


def _check_n_samples(n_samples) -> int:
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool):
        raise TypeError(expected("n_samples", "an int", _describe(n_samples)))
    if n_samples < 1:
        raise ValueError(expected("n_samples", ">= 1", _describe(n_samples)))
    return int(n_samples)


def _check_rate(positive_rate) -> float:
    if not isinstance(positive_rate, numbers.Real) or isinstance(positive_rate, bool):
        raise TypeError(expected("positive_rate", "a number between 0 and 1", _describe(positive_rate)))
    if not 0.0 <= positive_rate <= 1.0:
        raise ValueError(expected("positive_rate", "between 0 and 1", _describe(positive_rate)))
    return float(positive_rate)


def _check_positive(value, name: str) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(value):
        raise TypeError(expected(name, "a finite number", _describe(value)))
    if value < 0:
        raise ValueError(expected(name, ">= 0", _describe(value)))
    return float(value)


def imbalanced_labels(n_samples: int, positive_rate: float, *, seed: int = 0) -> np.ndarray:
    """Binary labels with exactly ``round(n_samples * positive_rate)`` positives, in random order.

    An exact count (rather than a coin flip per sample) makes the accuracy of
    a constant classifier an exact number: with 10 000 samples at 0.5 %
    there are 50 positives, and "always negative" scores 0.995.

    >>> y = imbalanced_labels(10_000, 0.005, seed=0)
    >>> int(y.sum())
    50
    """
    n_samples = _check_n_samples(n_samples)
    n_positive = int(round(n_samples * _check_rate(positive_rate)))
    y = np.zeros(n_samples, dtype=np.int64)
    y[:n_positive] = 1
    return np.random.default_rng(seed).permutation(y)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def make_scores(
    n_samples: int, *, positive_rate: float = 0.1, separation: float = 2.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and a model's scores in (0, 1): ``(y_true, y_score)``.

    A binormal model: the score's logit is ``N(0, 1)`` for negatives and
    ``N(separation, 1)`` for positives, pushed through the sigmoid. Its
    population ROC-AUC is ``Phi(separation / sqrt(2))`` (0.921 for the default 2.0),
    whatever ``positive_rate`` is: ROC-AUC alone cannot tell how rare the positives are.

    >>> y_true, y_score = make_scores(1000, positive_rate=0.05, seed=1)
    >>> int(y_true.sum()), bool(((y_score > 0) & (y_score < 1)).all())
    (50, True)
    """
    separation = _check_positive(separation, "separation")
    y_true = imbalanced_labels(n_samples, positive_rate, seed=seed)
    # A second, independent stream for the scores so the labels do not depend on it.
    rng = np.random.default_rng([seed, 1])
    logits = rng.standard_normal(len(y_true)) + separation * y_true
    return y_true, _sigmoid(logits)


def make_imbalanced_classification(
    n_samples: int,
    *,
    positive_rate: float = 0.1,
    n_features: int = 6,
    n_informative: int = 3,
    class_sep: float = 0.8,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels for training a classifier on imbalanced data: ``(X, y)``.

    Every feature is standard normal; for positives the first ``n_informative``
    features are shifted by ``class_sep``; the rest are noise. Both classes share
    one covariance, so logistic regression is the right model family and the only
    thing standing between it and the best possible classifier is sample size.

    >>> X, y = make_imbalanced_classification(500, positive_rate=0.2, seed=3)
    >>> X.shape, int(y.sum())
    ((500, 6), 100)
    """
    for name, value in (("n_features", n_features), ("n_informative", n_informative)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
            raise ValueError(expected(name, "an int >= 1", _describe(value)))
    if n_informative > n_features:
        raise ValueError(expected("n_informative", f"<= n_features ({n_features})", _describe(n_informative)))
    class_sep = _check_positive(class_sep, "class_sep")
    y = imbalanced_labels(n_samples, positive_rate, seed=seed)
    rng = np.random.default_rng([seed, 2])
    X = rng.standard_normal((len(y), n_features))
    X[:, :n_informative] += class_sep * y[:, None]
    return X, y


def split_train_validation_test(
    *arrays, validation_size: float = 0.2, test_size: float = 0.2, seed: int = 0, stratify=None
) -> list[np.ndarray]:
    """Split arrays three ways: ``train, validation, test`` parts of each array, in that order.

    With ``stratify=y`` every part keeps the class proportions of ``y`` (up to
    rounding), which matters when positives are rare.

    >>> X, y = make_imbalanced_classification(1000, positive_rate=0.1, seed=0)
    >>> X_tr, X_va, X_te, y_tr, y_va, y_te = split_train_validation_test(X, y, stratify=y)
    >>> len(y_tr), len(y_va), len(y_te), int(y_va.sum())
    (600, 200, 200, 20)
    """
    from sklearn.model_selection import train_test_split

    for name, value in (("validation_size", validation_size), ("test_size", test_size)):
        if not isinstance(value, numbers.Real) or not 0 < value < 1:
            raise ValueError(expected(name, "a fraction strictly between 0 and 1", _describe(value)))
    if validation_size + test_size >= 1:
        raise ValueError(
            expected("test_size", f"< 1 - validation_size ({1 - validation_size:g})", _describe(test_size))
        )
    n_samples = len(arrays[0])
    labels = None if stratify is None else np.asarray(stratify)
    # Split positions, not the arrays: one permutation serves every array and the stratify labels.
    index = np.arange(n_samples)
    held_out = validation_size + test_size
    train, rest = train_test_split(index, test_size=held_out, random_state=seed, stratify=labels)
    rest_labels = None if labels is None else labels[rest]
    validation, test = train_test_split(rest, test_size=test_size / held_out, random_state=seed, stratify=rest_labels)
    return [np.asarray(a)[part] for a in arrays for part in (train, validation, test)]
