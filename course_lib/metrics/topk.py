"""Top-k accuracy: is the true class among the k highest-scored classes?

A K-class model gives every sample K scores. Top-1 accuracy asks whether the true
class has the highest score; top-k accuracy whether it is among the k highest. In
count form: the *rank* of a sample is the number of classes ranked ahead of its true
class (0 = first), so

    top-k accuracy = #(samples with rank < k) / #samples
                   = (rank_counts[0] + ... + rank_counts[k - 1]) / n

One table of counts, ``rank_counts[r]`` = (weighted) number of samples whose true
class came r-th, gives top-k accuracy for every k at once (:func:`true_class_rank_counts`).

Ties follow scikit-learn 1.9 exactly. scikit-learn sorts each row with a stable
ascending sort and reverses it, so among classes with equal scores the one with the
*larger* column index is ranked first. The rank of the true class c is therefore

    rank = #(classes with a higher score) + #(classes with the same score and a larger index than c)

A 1-D ``y_score`` (binary problem, the score of the greater label) also follows
scikit-learn: top-1 predicts the greater label when the score is strictly above 0.5
(scores in [0, 1]) or strictly above 0 (other scores), and every k >= 2 is a hit.
Two columns are ranked like any K columns; scikit-learn 1.9 refuses them for binary
``y_true``, and the result equals scikit-learn's with a third class that never scores
higher (note: the column rule ranks a tie [0.5, 0.5] as the greater label, while the
1-D rule needs a score strictly above 0.5).

Scores need not be probabilities (logits and decision values rank the same way);
only their order within a row counts.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.metrics.probabilistic import class_columns
from course_lib.metrics.validation import (
    UndefinedMetricWarning,
    _describe,
    as_array,
    check_bool,
    check_consistent_length,
    check_int,
    check_labels_1d,
    check_sample_weight,
    expected,
)


def _check_scores(y_score) -> np.ndarray:
    """A non-empty 1-D or 2-D array of finite real scores (an (n, 1) column becomes 1-D)."""
    s = as_array(y_score, "y_score")
    if s.dtype.kind not in "biuf":
        raise TypeError(expected("y_score", "an array of real-valued scores", _describe(s)))
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim not in (1, 2) or s.size == 0:
        raise ValueError(
            expected("y_score", "a non-empty array of shape (n_samples,) or (n_samples, n_classes)", f"shape {s.shape}")
        )
    if s.dtype.kind in "biu":
        s = s.astype(np.float64)
    if not np.isfinite(s).all():
        raise ValueError(expected("y_score", "free of NaN and infinity", "non-finite values"))
    return s


def true_class_ranks(y_true, y_score, *, labels=None) -> np.ndarray:
    """For each sample, how many classes are ranked ahead of its true class (0 = ranked first).

    Columns of ``y_score`` follow the sorted labels (or ``labels``). Ties: see the module
    docstring (among equal scores the larger column index comes first).

    >>> true_class_ranks([0, 1, 2], [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2], [0.4, 0.3, 0.3]]).tolist()
    [0, 1, 1]
    """
    return _ranks_and_class_count(y_true, y_score, labels)[0]


def _ranks_and_class_count(y_true, y_score, labels) -> tuple[np.ndarray, int]:
    s = _check_scores(y_score)
    t = check_labels_1d(y_true, "y_true")
    check_consistent_length(y_true=t, y_score=s)
    if s.ndim == 1:
        _, column = class_columns(t, labels, None, "y_score")
        threshold = 0.5 if s.min() >= 0 and s.max() <= 1 else 0.0
        predicted = (s > threshold).astype(np.intp)  # scikit-learn's rule for one binary score
        return (predicted != column).astype(np.intp), 2
    _, column = class_columns(t, labels, s.shape[1], "y_score")
    true_score = np.take_along_axis(s, column[:, None], axis=1)
    higher = (s > true_score).sum(axis=1)
    # scikit-learn's stable sort, reversed: a tied class with a larger column index is ranked ahead.
    later_ties = ((s == true_score) & (np.arange(s.shape[1]) > column[:, None])).sum(axis=1)
    return higher + later_ties, s.shape[1]


def true_class_rank_counts(y_true, y_score, *, sample_weight=None, labels=None) -> np.ndarray:
    """``counts[r]``: the (weighted) number of samples whose true class was ranked r-th (0 = first).

    The counts behind top-k accuracy for every k: ``counts[:k].sum() / counts.sum()``.
    They add up across batches and processes like any other counts.

    >>> true_class_rank_counts([0, 1, 2], [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2], [0.4, 0.3, 0.3]]).tolist()
    [1.0, 2.0, 0.0]
    """
    ranks, n_classes = _ranks_and_class_count(y_true, y_score, labels)
    w = check_sample_weight(sample_weight, len(ranks))
    return np.bincount(ranks, weights=w if w is not None else np.ones(len(ranks)), minlength=n_classes)


def top_k_accuracy_from_counts(rank_counts, k: int, *, normalize: bool = True) -> float:
    """Top-k accuracy from :func:`true_class_rank_counts`: the share (or number) of ranks below k.

    >>> top_k_accuracy_from_counts([6.0, 3.0, 1.0], 2)
    0.9
    """
    counts = np.asarray(rank_counts, dtype=np.float64)
    hits = float(counts[:k].sum())
    if not normalize:
        return hits
    total = float(counts.sum())
    if total == 0:
        raise ValueError(expected("sample_weight", "weights with a positive sum", "weights that sum to 0"))
    return hits / total


def top_k_accuracy_score(y_true, y_score, *, k=2, normalize=True, sample_weight=None, labels=None) -> float:
    r"""Top-k accuracy: the fraction of samples whose true class is among the k highest scores.

    .. math:: \mathrm{top}\text{-}k = \frac{1}{n}\sum_i \mathbb{1}[\mathrm{rank}_i < k],
       \quad \mathrm{rank}_i = \#\{c : s_{ic} > s_{i y_i}\} + \#\{c > y_i : s_{ic} = s_{i y_i}\}

    scikit-learn 1.9's ``top_k_accuracy_score``, ties included (module docstring).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores (probabilities, logits or decision values); columns follow the sorted
        labels. 1-D: the score of the greater of two labels.
    k : int >= 1, default=2
        k >= n_classes gives 1.0 with an :class:`UndefinedMetricWarning` (every class is
        in the top k), as in scikit-learn.
    normalize : bool, default=True
        The fraction (True) or the (weighted) number of hits (False).
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        All class labels, sorted, when y_true lacks some class.

    Examples
    --------
    >>> y_true = [0, 1, 2, 2]
    >>> y_score = [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]]
    >>> top_k_accuracy_score(y_true, y_score, k=2)
    0.75
    >>> top_k_accuracy_score(y_true, y_score, k=2, normalize=False)
    3.0
    """
    k = check_int(k, "k", minimum=1)
    check_bool(normalize, "normalize")
    counts = true_class_rank_counts(y_true, y_score, sample_weight=sample_weight, labels=labels)
    if k >= len(counts):
        warnings.warn(
            f"k={k} is at least the number of classes ({len(counts)}): every sample is a hit, "
            "so top-k accuracy is 1 and says nothing.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
    return top_k_accuracy_from_counts(counts, k, normalize=normalize)


__all__ = ["top_k_accuracy_from_counts", "top_k_accuracy_score", "true_class_rank_counts", "true_class_ranks"]
