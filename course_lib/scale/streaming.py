"""Metric states that add up: evaluate any number of predictions, in pieces, anywhere.

A :class:`MetricState` keeps the integer counts that classification metrics are
computed from, and nothing else:

- the confusion matrix at a decision rule (binary: ``score >= threshold``;
  multiclass: the arg-max class), and
- score histograms: for each class c and each score bin b, how many samples of
  class c (positives) and of the other classes (negatives) have their class-c
  score in bin b.

Counts form a *monoid*: the empty state is the identity, merging is elementwise
addition (``a + b``, ``sum(states)``), and addition is associative and
commutative. A state built chunk by chunk, file by file or process by process,
in any order and any grouping, holds exactly the counts of one pass over all the
data. Averaging per-shard *scores* is not the same thing: F1 and AUC are ratios,
and a mean of ratios is not the ratio of the summed counts.

Why int64 and not float32 or int32: float32 has a 24-bit significand, so a
float32 counter stops at 2**24 = 16,777,216 (adding 1 rounds back down); int32
wraps around to negative numbers past 2**31 - 1 = 2,147,483,647, which a billion
predictions with a few passes reach. int64 counts to 9.2e18.

Bins
----
``bins=B`` cuts [0, 1] into B equal bins; an array gives the *inner* edges
``e_1 < ... < e_{B-1}`` (see :func:`uniform_edges`, :func:`logit_edges`,
:func:`quantile_edges`). The outer bins are open-ended, so no score is ever
dropped: bin 0 is ``(-inf, e_1)``, bin b is ``[e_b, e_{b+1})``, the last bin is
``[e_{B-1}, inf)``. Each edge is a threshold of the binned curves ("predict
positive when score >= e"), which is torchmetrics' convention for
``thresholds=``.

The binned ROC-AUC treats the scores inside one bin as tied. Pairs in different
bins are ordered exactly; only a pair (positive, negative) sharing a bin is
counted 1/2 whatever its true order, so with per-bin class fractions
``p_b = P_b / P`` and ``n_b = N_b / N``

    |AUC_binned - AUC_exact| <= 1/2 * sum_b p_b * n_b      (:meth:`MetricState.auc_error_bound`)

a bound computed from the merged state itself.
"""

from __future__ import annotations

import hashlib
import numbers
import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from course_lib.metrics.scores import scores_from_counts
from course_lib.metrics.validation import (
    _check_label_values,
    _describe,
    as_array,
    check_average,
    check_beta,
    check_zero_division,
    expected,
    warn_undefined,
)

__all__ = [
    "MetricState",
    "evaluate_stream",
    "logit_edges",
    "quantile_edges",
    "ranking_sums",
    "uniform_edges",
]

# Scores handled per vectorised step inside update(). The ten or so passes over a
# block then run in the CPU cache (64k float64 = 512 kB) instead of main memory,
# about twice as fast as megabyte blocks, and the work buffers stay small
# whatever the size of the chunk a caller passes in.
_BLOCK_ELEMENTS = 1 << 16


# --------------------------------------------------------------------------- bin edges


def uniform_edges(n_bins: int, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """Inner edges of ``n_bins`` equal-width bins over [low, high].

    >>> uniform_edges(4)
    array([0.25, 0.5 , 0.75])
    """
    n_bins = _check_n_bins(n_bins)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(expected("high", f"a finite number above low={low!r}", _describe(high)))
    return np.linspace(low, high, n_bins + 1)[1:-1]


def logit_edges(n_bins: int, *, max_logit: float = 12.0) -> np.ndarray:
    """Inner edges equally spaced in logit space: fine near probabilities 0 and 1.

    The edges are ``sigmoid(z)`` for ``n_bins - 1`` values of z evenly spaced in
    [-max_logit, max_logit]; good when many probabilities crowd near 0 or 1, where
    equal-width bins lump them together.

    >>> np.round(logit_edges(4, max_logit=2.0), 4)
    array([0.1192, 0.5   , 0.8808])
    """
    n_bins = _check_n_bins(n_bins)
    if not (isinstance(max_logit, numbers.Real) and np.isfinite(max_logit) and max_logit > 0):
        raise ValueError(expected("max_logit", "a finite positive number", _describe(max_logit)))
    z = np.linspace(-max_logit, max_logit, n_bins - 1) if n_bins > 2 else np.zeros(n_bins - 1)
    return 1.0 / (1.0 + np.exp(-z))


def quantile_edges(y_score, n_bins: int) -> np.ndarray:
    """Inner edges at the quantiles of a sample of scores: bins of roughly equal counts.

    Compute them once, from a sample, and give the same edges to every state
    that will be merged (every process, every file); tied quantiles are merged,
    so there may be fewer than ``n_bins`` bins.

    >>> quantile_edges([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4)
    array([0.275, 0.45 , 0.625])
    """
    n_bins = _check_n_bins(n_bins)
    scores = np.ravel(_check_score_values(as_array(y_score, "y_score"), "y_score"))
    if scores.size == 0:
        raise ValueError(expected("y_score", "a non-empty sample of scores", "an empty array"))
    return np.unique(np.quantile(scores, np.linspace(0, 1, n_bins + 1)[1:-1]))


def _check_n_bins(n_bins) -> int:
    if not isinstance(n_bins, numbers.Integral) or isinstance(n_bins, bool) or n_bins < 2:
        raise ValueError(expected("bins", "an integer >= 2 or an increasing array of inner edges", _describe(n_bins)))
    return int(n_bins)


def _check_edges(bins) -> np.ndarray:
    if isinstance(bins, numbers.Integral) and not isinstance(bins, bool):
        return uniform_edges(_check_n_bins(bins))
    edges = as_array(bins, "bins")
    if edges.ndim != 1 or edges.size == 0 or edges.dtype.kind not in "iuf":
        raise ValueError(expected("bins", "an integer >= 2 or a non-empty 1-D array of inner edges", _describe(bins)))
    edges = edges.astype(np.float64)
    if not np.isfinite(edges).all():
        raise ValueError(expected("bins", "finite edges", "NaN or infinity"))
    if (np.diff(edges) <= 0).any():
        raise ValueError(expected("bins", "strictly increasing edges", _describe(edges)))
    return edges


class _Binner:
    """Maps scores to bin indices 0..len(edges): the number of edges <= score.

    That is ``np.searchsorted(edges, s, side="right")``. For (nearly) equal-width
    edges it is computed with one multiply instead of a binary search, then
    corrected by one bin where rounding put a score on the wrong side of an edge,
    so the result is exactly the binary search's, about 6x faster.
    """

    def __init__(self, edges: np.ndarray):
        self.edges = edges
        n = len(edges)
        self.uniform = False
        if n >= 2:
            step = (edges[-1] - edges[0]) / (n - 1)
            ideal = edges[0] + step * np.arange(n)
            # Within a quarter bin of the ideal grid, the multiply is off by at most one bin.
            self.uniform = bool(np.max(np.abs(edges - ideal)) <= 0.25 * step)
        if self.uniform:
            self.scale = 1.0 / step
            self.offset = 1.0 - edges[0] / step
            self.lower = np.concatenate([[-np.inf], edges])  # lower[b] = left edge of bin b
            self.upper = np.concatenate([edges, [np.inf]])  # upper[b] = right edge of bin b
        self._guess = self._index = self._mask = None

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        """Bin indices, same shape as ``scores``; a view of a reused buffer, valid until the next call."""
        if not self.uniform:
            return np.searchsorted(self.edges, scores, side="right")
        flat = scores.reshape(-1)
        m = flat.size
        if self._guess is None or len(self._guess) < m:
            # Preallocated work arrays: fresh multi-megabyte temporaries per block cost page faults.
            self._guess, self._index, self._mask = np.empty(m), np.empty(m, np.intp), np.empty(m, bool)
        guess, index, mask = self._guess[:m], self._index[:m], self._mask[:m]
        np.multiply(flat, self.scale, out=guess)
        guess += self.offset
        np.clip(guess, 0, len(self.edges), out=guess)
        np.copyto(index, guess, casting="unsafe")  # truncation is floor here: guess >= 0
        np.take(self.lower, index, out=guess)
        np.less(flat, guess, out=mask)
        np.subtract(index, mask, out=index, casting="unsafe")
        np.take(self.upper, index, out=guess)
        np.greater_equal(flat, guess, out=mask)
        np.add(index, mask, out=index, casting="unsafe")
        return index.reshape(scores.shape)


# --------------------------------------------------------------------------- input checks


def _check_state_labels(labels) -> np.ndarray:
    arr = as_array(labels, "labels")
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(expected("labels", "a 1-D list of at least two class labels", _describe(labels)))
    arr = _check_label_values(arr, "labels")
    if len(np.unique(arr)) != len(arr):
        raise ValueError(expected("labels", "free of duplicates", _describe(arr.tolist())))
    return arr


def _check_threshold(threshold) -> float:
    if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool) or not np.isfinite(threshold):
        raise ValueError(expected("threshold", "a finite number", _describe(threshold)))
    return float(threshold)


def _check_score_values(arr: np.ndarray, name: str) -> np.ndarray:
    if arr.dtype == bool:
        return arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        raise TypeError(expected(name, "real-valued scores", f"dtype {arr.dtype}"))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(expected(name, "free of NaN and infinity", "non-finite values"))
    return arr


# --------------------------------------------------------------------------- areas from counts per bin


def ranking_sums(negatives, positives, *, negatives_below=0, positives_above=0, negatives_above=0):
    """``(2U, S)`` from counts per bin in ascending score order: the sums behind ROC-AUC and AP.

    Inside a bin positives and negatives count as tied. A bin with p positives
    and n negatives, above ``below`` negatives, adds ``p * (2 * below + n)`` to
    twice the Mann-Whitney U (each tie counts 1/2), and adds p times the
    precision ``TP / (TP + FP)`` of everything scoring at least as high to S. Then

        ROC-AUC = 2U / (2 P N)        AP = S / P

    The ``*_below`` / ``*_above`` counts place these bins among others held
    elsewhere (course_lib.scale.distributed's ranges). With one bin per distinct score
    these are the exact values; with coarser bins, the binned ones.
    """
    positives = np.asarray(positives, dtype=np.float64)
    negatives = np.asarray(negatives, dtype=np.float64)
    if len(positives) == 0:
        return 0.0, 0.0
    below = negatives_below + np.cumsum(negatives) - negatives
    twice_u = float(np.dot(positives, 2.0 * below + negatives))
    tp = positives_above + np.cumsum(positives[::-1])[::-1]
    fp = negatives_above + np.cumsum(negatives[::-1])[::-1]
    hit = positives > 0
    return twice_u, float(np.dot(positives[hit], tp[hit] / (tp[hit] + fp[hit])))


# --------------------------------------------------------------------------- the state


class MetricState:
    """The counts behind every classification metric, in a form that adds up.

    Parameters
    ----------
    labels : array-like, default (0, 1)
        The classes, in order. Two labels make a binary state: ``y_score`` is a
        1-D score for ``labels[1]``, the positive class. More labels make a
        multiclass state: ``y_score`` has one column per label, in this order.
    threshold : float, default 0.5
        Binary decision rule: predict ``labels[1]`` when ``score >= threshold``.
        Multiclass states predict the arg-max column (the first one on ties).
    bins : int or array-like, default 1000
        An integer B: B equal-width bins over [0, 1]. An array: the inner bin
        edges themselves, strictly increasing (B = len(edges) + 1 bins). Use
        :func:`logit_edges` or :func:`quantile_edges` for crowded scores.

    Attributes
    ----------
    confusion : ndarray of shape (K, K), int64
        ``confusion[i, j]`` = samples of class ``labels[i]`` predicted ``labels[j]``.
    histogram : ndarray of shape (C, 2, B), int64
        ``histogram[c, 1, b]`` = positives of class c (``labels[-1]`` when
        binary, so C = 1; class ``labels[c]`` when multiclass, C = K) whose
        class-c score falls in bin b; ``histogram[c, 0, b]`` the same for the
        other samples.

    Examples
    --------
    >>> a = MetricState(bins=4).update([0, 1, 1], [0.2, 0.9, 0.4])
    >>> b = MetricState(bins=4).update([0, 1], [0.85, 0.8])
    >>> merged = a + b
    >>> merged.confusion_matrix()
    array([[1, 1],
           [1, 2]])
    >>> [round(x, 4) for x in (merged.f1_score(), merged.roc_auc_score(), merged.auc_error_bound())]
    [0.6667, 0.6667, 0.1667]
    """

    def __init__(self, labels=(0, 1), *, threshold=0.5, bins=1000):
        self.labels = _check_state_labels(labels).copy()  # frozen below: never the caller's own array
        self.threshold = _check_threshold(threshold)
        self.edges = _check_edges(bins)
        self.labels.flags.writeable = False
        self.edges.flags.writeable = False
        k = len(self.labels)
        self.confusion = np.zeros((k, k), dtype=np.int64)
        self.histogram = np.zeros((1 if k == 2 else k, 2, len(self.edges) + 1), dtype=np.int64)
        self._binner = _Binner(self.edges)
        # Binary states whose threshold is an edge read their confusion matrix off the histogram.
        at = np.flatnonzero(self.edges == self.threshold)
        self._threshold_bin = int(at[0]) + 1 if at.size else None
        # Labels 0..K-1 in order (the usual case) need no look-up: the label is its own index.
        self._labels_are_indices = self.labels.dtype.kind in "iu" and np.array_equal(self.labels, np.arange(k))

    def __getstate__(self):
        """Pickle the configuration and counts only (a state travels between processes), not work buffers."""
        state = self.__dict__.copy()
        state.pop("_binner")
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.labels.flags.writeable = False
        self.edges.flags.writeable = False
        self._binner = _Binner(self.edges)

    # ----------------------------------------------------------------- shape of the state

    @property
    def n_classes(self) -> int:
        return len(self.labels)

    @property
    def n_bins(self) -> int:
        return len(self.edges) + 1

    @property
    def is_binary(self) -> bool:
        return len(self.labels) == 2

    @property
    def n_samples(self) -> int:
        return int(self.confusion.sum())

    def __repr__(self) -> str:
        rule = f"threshold={self.threshold}" if self.is_binary else "rule='argmax'"
        return f"MetricState(labels={self.labels.tolist()}, {rule}, bins={self.n_bins}, n_samples={self.n_samples:,})"

    # ----------------------------------------------------------------- the monoid

    def empty(self) -> MetricState:
        """The identity element: a state with this configuration and no samples (``s + s.empty() == s``)."""
        new = object.__new__(MetricState)
        new.__dict__.update(self.__dict__)
        new.confusion = np.zeros_like(self.confusion)
        new.histogram = np.zeros_like(self.histogram)
        new._binner = _Binner(self.edges)  # its work buffers are not shared
        return new

    def copy(self) -> MetricState:
        new = self.empty()
        new.confusion += self.confusion
        new.histogram += self.histogram
        return new

    def config_differences(self, other: MetricState) -> list[str]:
        """What differs between two configurations, in words (empty when they match)."""
        found = []
        if not np.array_equal(self.labels, other.labels) or self.labels.dtype.kind != other.labels.dtype.kind:
            found.append(f"labels {self.labels.tolist()} vs {other.labels.tolist()}")
        if self.threshold != other.threshold:
            found.append(f"threshold {self.threshold} vs {other.threshold}")
        if not np.array_equal(self.edges, other.edges):
            if len(self.edges) != len(other.edges):
                found.append(f"bins {self.n_bins} vs {other.n_bins}")
            else:
                found.append(f"bin edges (same count {self.n_bins}, different values)")
        return found

    def check_compatible(self, other, name: str = "other") -> None:
        """Raise unless ``other`` is a MetricState with the same labels, threshold and bin edges."""
        if not isinstance(other, MetricState):
            raise TypeError(expected(name, "a MetricState", _describe(other)))
        differences = self.config_differences(other)
        if differences:
            raise ValueError(
                expected(
                    name, "a MetricState with the same configuration", "one with different " + "; ".join(differences)
                )
                + " States can only be merged when they count the same things."
            )

    def __add__(self, other) -> MetricState:
        if not isinstance(other, MetricState):
            return NotImplemented
        self.check_compatible(other)
        return self.copy().__iadd__(other)

    def __radd__(self, other) -> MetricState:
        if isinstance(other, numbers.Integral) and other == 0:  # sum(states) starts from 0
            return self.copy()
        return NotImplemented

    def __iadd__(self, other) -> MetricState:
        if not isinstance(other, MetricState):
            return NotImplemented
        self.check_compatible(other)
        self.confusion += other.confusion
        self.histogram += other.histogram
        return self

    def __eq__(self, other) -> bool:
        if not isinstance(other, MetricState):
            return NotImplemented
        return (
            not self.config_differences(other)
            and np.array_equal(self.confusion, other.confusion)
            and np.array_equal(self.histogram, other.histogram)
        )

    __hash__ = None  # mutable

    def config_fingerprint(self) -> np.ndarray:
        """Five int64 numbers that differ when configurations differ (compared across processes).

        ``[n_classes, n_bins, hash(labels), threshold's bits, hash(edges)]``; the hashes
        are BLAKE2 digests, identical in every process (Python's ``hash`` is not).
        """

        def digest(arr: np.ndarray) -> int:
            data = arr.dtype.str.encode() + np.ascontiguousarray(arr).tobytes()
            return int(np.frombuffer(hashlib.blake2b(data, digest_size=8).digest(), dtype=np.int64)[0])

        labels = self.labels if self.labels.dtype.kind != "U" else np.char.encode(self.labels, "utf-8")
        bits = int(np.array(self.threshold, dtype=np.float64).view(np.int64))
        return np.array([self.n_classes, self.n_bins, digest(labels), bits, digest(self.edges)], dtype=np.int64)

    # ----------------------------------------------------------------- counting

    def update(self, y_true, y_score) -> MetricState:
        """Add a chunk of samples to the counts (in place); returns the state itself.

        Parameters
        ----------
        y_true : array-like of shape (n,)
            Labels, each one of ``labels``.
        y_score : array-like of shape (n,) for a binary state, (n, K) for a multiclass one
            Finite real scores (probabilities, or any decision values if the bins cover them).

        One vectorised pass per block of rows: a bin index per score, one
        ``np.bincount`` for the histogram and one for the confusion matrix; never
        a loop over thresholds or samples.
        """
        codes = self._label_codes(y_true)
        scores = self._check_scores(y_score, len(codes))
        rows = max(1, _BLOCK_ELEMENTS // scores[0].size) if len(scores) else 1
        for start in range(0, len(codes), rows):
            block = slice(start, start + rows)
            if self.is_binary:
                self._update_binary(codes[block], scores[block])
            else:
                self._update_multiclass(codes[block], scores[block])
        return self

    def _update_binary(self, codes: np.ndarray, scores: np.ndarray) -> None:
        n_bins = self.n_bins
        flat = self._binner(scores)
        is_positive = codes.view(bool) if codes.itemsize == 1 else codes.astype(bool)
        np.add(flat, n_bins, out=flat, where=is_positive)  # row 0: negatives, row 1: positives
        chunk = np.bincount(flat, minlength=2 * n_bins).reshape(2, n_bins)
        self.histogram[0] += chunk
        if self._threshold_bin is not None:
            predicted_positive = chunk[:, self._threshold_bin :].sum(axis=1)
            self.confusion[:, 1] += predicted_positive
            self.confusion[:, 0] += chunk.sum(axis=1) - predicted_positive
        else:
            pairs = codes * np.intp(2) + (scores >= self.threshold)
            self.confusion += np.bincount(pairs, minlength=4).reshape(2, 2)

    def _update_multiclass(self, codes: np.ndarray, scores: np.ndarray) -> None:
        k, n_bins = self.n_classes, self.n_bins
        predicted = np.argmax(scores, axis=1)
        self.confusion += np.bincount(codes * np.intp(k) + predicted, minlength=k * k).reshape(k, k)
        flat = self._binner(scores)  # (n, K): bin of each class's score
        is_positive = codes[:, None] == np.arange(k)
        flat += (np.arange(k) * 2 + is_positive) * np.intp(n_bins)
        self.histogram += np.bincount(flat.ravel(), minlength=k * 2 * n_bins).reshape(k, 2, n_bins)

    def _label_codes(self, y_true) -> np.ndarray:
        """Index of each label in ``self.labels`` (checked: unknown labels are an error)."""
        arr = as_array(y_true, "y_true")
        if arr.ndim != 1:
            raise ValueError(expected("y_true", "a 1-D array of labels", f"an array of shape {arr.shape}"))
        if arr.size == 0:
            return arr.astype(np.intp)
        if arr.dtype == bool:
            arr = arr.view(np.uint8)
        if self._labels_are_indices and arr.dtype.kind in "iu":
            low, high = int(arr.min()), int(arr.max())
            if low < 0 or high >= self.n_classes:
                bad = low if low < 0 else high
                raise ValueError(expected("y_true", f"labels among {self.labels.tolist()}", f"the label {bad}"))
            return arr
        arr = _check_label_values(arr, "y_true")
        if (arr.dtype.kind == "U") != (self.labels.dtype.kind == "U"):
            raise TypeError(
                expected("y_true", f"labels of the same kind as {self.labels.tolist()}", f"dtype {arr.dtype}")
            )
        order = np.argsort(self.labels)
        ordered = self.labels[order]
        position = np.minimum(np.searchsorted(ordered, arr), len(ordered) - 1)
        unknown = ordered[position] != arr
        if unknown.any():
            bad = arr[np.argmax(unknown)]
            raise ValueError(expected("y_true", f"labels among {self.labels.tolist()}", f"the label {bad!r}"))
        return order[position]

    def _check_scores(self, y_score, n: int) -> np.ndarray:
        arr = as_array(y_score, "y_score")
        if self.is_binary:
            if arr.ndim != 1:
                hint = " For predict_proba output pass y_score[:, 1]." if arr.ndim == 2 and arr.shape[1] == 2 else ""
                raise ValueError(
                    expected("y_score", "a 1-D array of positive-class scores", f"an array of shape {arr.shape}") + hint
                )
        elif arr.ndim != 2 or arr.shape[1] != self.n_classes:
            raise ValueError(
                expected(
                    "y_score", f"an array of shape (n, {self.n_classes}), one column per label", f"shape {arr.shape}"
                )
            )
        if arr.shape[0] != n:
            raise ValueError(expected("y_score", f"as long as y_true ({n})", f"{arr.shape[0]} rows"))
        return _check_score_values(arr, "y_score")

    # ----------------------------------------------------------------- set-based scores

    def confusion_matrix(self) -> np.ndarray:
        """The K x K confusion matrix (rows = truth, columns = prediction), int64."""
        return self.confusion.copy()

    def accuracy_score(self) -> float:
        """Fraction of samples whose predicted class is the true one."""
        total = self.confusion.sum()
        return float(np.trace(self.confusion) / total) if total else float("nan")

    def precision_recall_fscore_support(
        self,
        *,
        beta=1.0,
        average=None,
        pos_label=None,
        warn_for=("precision", "recall", "f-score"),
        zero_division="warn",
    ):
        """Precision, recall, F-beta and support from the counts, with scikit-learn's averages.

        Scores are over all the state's labels, as scikit-learn's with
        ``labels=labels``: a class never seen still counts in a macro average.

        ``average`` is one of 'binary' (``pos_label``, default ``labels[1]``, binary
        states only), 'micro', 'macro', 'weighted' or None (per-class arrays).
        """
        check_zero_division(zero_division)
        check_average(average, ("binary", "micro", "macro", "weighted", None))
        beta = check_beta(beta)
        tp = np.diagonal(self.confusion).copy()
        fp = self.confusion.sum(axis=0) - tp
        fn = self.confusion.sum(axis=1) - tp
        if average == "binary":
            index = self._binary_index(pos_label)
            tp, fp, fn = tp[[index]], fp[[index]], fn[[index]]
        return scores_from_counts(
            tp, fp, fn, beta=beta, average=average, warn_for=warn_for, zero_division=zero_division
        )

    def _binary_index(self, pos_label) -> int:
        if not self.is_binary:
            raise ValueError(
                expected("average", "one of ['micro', 'macro', 'weighted', None] for a multiclass state", "'binary'")
                + " 'binary' scores a single positive class; pick an average over classes."
            )
        if pos_label is None:
            return 1
        found = np.flatnonzero(self.labels == pos_label) if np.ndim(pos_label) == 0 else []
        if len(found) == 0:
            raise ValueError(expected("pos_label", f"one of the labels {self.labels.tolist()}", repr(pos_label)))
        return int(found[0])

    def precision_score(self, *, average="binary", pos_label=None, zero_division="warn"):
        """Precision = TP / (TP + FP)."""
        kw = dict(average=average, pos_label=pos_label, zero_division=zero_division, warn_for=("precision",))
        return self.precision_recall_fscore_support(**kw)[0]

    def recall_score(self, *, average="binary", pos_label=None, zero_division="warn"):
        """Recall = TP / (TP + FN)."""
        kw = dict(average=average, pos_label=pos_label, zero_division=zero_division, warn_for=("recall",))
        return self.precision_recall_fscore_support(**kw)[1]

    def fbeta_score(self, *, beta, average="binary", pos_label=None, zero_division="warn"):
        """F-beta = (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)."""
        kw = dict(beta=beta, average=average, pos_label=pos_label, zero_division=zero_division, warn_for=("f-score",))
        return self.precision_recall_fscore_support(**kw)[2]

    def f1_score(self, *, average="binary", pos_label=None, zero_division="warn"):
        """F1 = 2 TP / (2 TP + FP + FN)."""
        return self.fbeta_score(beta=1.0, average=average, pos_label=pos_label, zero_division=zero_division)

    # ----------------------------------------------------------------- binned curves and areas

    def _class_index(self, pos_label) -> int:
        """Which histogram row a curve is about."""
        if self.is_binary:
            if pos_label is not None and not (np.ndim(pos_label) == 0 and pos_label == self.labels[1]):
                raise ValueError(
                    expected("pos_label", f"None or {self.labels[1]!r}, the class the scores are for", repr(pos_label))
                )
            return 0
        found = np.flatnonzero(self.labels == pos_label) if pos_label is not None and np.ndim(pos_label) == 0 else []
        if len(found) == 0:
            raise ValueError(
                expected(
                    "pos_label", f"one of the labels {self.labels.tolist()} for a multiclass state", repr(pos_label)
                )
            )
        return int(found[0])

    def _counts(self, negatives: np.ndarray, positives: np.ndarray):
        """``(thresholds, fps, tps)`` with thresholds increasing: the lower edge of each bin (-inf for bin 0).

        TP and FP at threshold j count the samples in bins j and above. Float64, so
        sums of billions cannot overflow in later products.
        """
        thresholds = np.concatenate([[-np.inf], self.edges])
        tps = np.cumsum(positives[::-1], dtype=np.float64)[::-1]
        fps = np.cumsum(negatives[::-1], dtype=np.float64)[::-1]
        return thresholds, fps, tps

    def roc_curve(self, *, pos_label=None):
        """Binned ROC curve: (FPR, TPR) at every bin edge, thresholds decreasing.

        ``thresholds = [inf, e_{B-1}, ..., e_1, -inf]``: the first point is (0, 0),
        the last (1, 1). Empty bins repeat a point; nothing is dropped, so the
        arrays have B + 1 entries and line up with torchmetrics' binned curves.
        Multiclass states give class ``pos_label`` against the rest.
        """
        c = self._class_index(pos_label)
        thresholds, fps, tps = self._counts(*self.histogram[c])
        n_neg, n_pos = fps[0], tps[0]
        # Decreasing thresholds, starting at +inf where nothing is predicted positive: the point (0, 0).
        fps = np.concatenate([[0.0], fps[::-1]])
        tps = np.concatenate([[0.0], tps[::-1]])
        thresholds = np.concatenate([[np.inf], thresholds[::-1]])
        if n_neg <= 0:
            warn_undefined("No negative samples in the state: the false positive rate FP / N is 0/0 and is set to NaN.")
        if n_pos <= 0:
            warn_undefined("No positive samples in the state: the true positive rate TP / P is 0/0 and is set to NaN.")
        fpr = fps / n_neg if n_neg > 0 else np.full(len(fps), np.nan)
        tpr = tps / n_pos if n_pos > 0 else np.full(len(tps), np.nan)
        return fpr, tpr, thresholds

    def precision_recall_curve(self, *, pos_label=None):
        """Binned precision-recall curve, thresholds increasing, ending at (recall 0, precision 1).

        ``thresholds = [-inf, e_1, ..., e_{B-1}]``; precision is 0 where nothing
        scores that high (scikit-learn's convention; torchmetrics says NaN).
        """
        c = self._class_index(pos_label)
        thresholds, fps, tps = self._counts(*self.histogram[c])
        predicted = tps + fps
        precision = np.divide(tps, predicted, out=np.zeros(len(predicted)), where=predicted != 0)
        if tps[0] <= 0:
            warn_undefined(
                "No positive samples in the state: recall (TP / P) is 0/0 and is set to 1 at every threshold."
            )
            recall = np.ones(len(predicted))
        else:
            recall = tps / tps[0]
        return np.append(precision, 1.0), np.append(recall, 0.0), thresholds

    def _per_class(self, binary_score, average, allowed, multi_class=None):
        """A binary ranking score per class, combined with scikit-learn's averages."""
        if self.is_binary:
            return binary_score(*self.histogram[0])
        if average not in allowed:
            raise ValueError(expected("average", f"one of {allowed} for a multiclass state", _describe(average)))
        if average == "micro":  # every (sample, class) cell is one binary decision
            return binary_score(*self.histogram.sum(axis=0))
        scores = np.array([binary_score(*self.histogram[c]) for c in range(self.n_classes)])
        if average is None:
            return scores
        weights = self.histogram[:, 1].sum(axis=1) if average == "weighted" else None
        if weights is not None:
            if weights.sum() == 0:
                return 0.0
            scores[weights == 0] = 0  # a class nobody has must not turn the average into NaN
        return float(np.average(scores, weights=weights))

    def roc_auc_score(self, *, average="macro", multi_class="raise"):
        """Binned ROC-AUC: the trapezoid area under the binned curve.

        .. math:: \\mathrm{AUC}_B = \\sum_b p_b \\left(\\sum_{b' < b} n_{b'} + \\tfrac12 n_b\\right)

        Within the bin, positive and negative count as tied. Multiclass states
        need ``multi_class='ovr'`` (one-vs-rest; 'ovo' needs pair histograms a state
        does not keep), with ``average`` in 'micro', 'macro', 'weighted', None. One
        class only: NaN and an UndefinedMetricWarning, as course_lib.metrics.curves does.
        """
        if not self.is_binary and multi_class != "ovr":
            raise ValueError(
                expected("multi_class", "'ovr' for a multiclass state", _describe(multi_class))
                + " One-vs-one ('ovo') needs a histogram per pair of classes, which a state does not keep."
            )
        return self._per_class(self._binary_auc, average, ("micro", "macro", "weighted", None))

    def _binary_auc(self, negatives, positives) -> float:
        n_pos, n_neg = int(positives.sum()), int(negatives.sum())
        if n_pos <= 0 or n_neg <= 0:
            warn_undefined("Only one class is present in the state: ROC AUC is undefined and is set to NaN.")
            return float("nan")
        return ranking_sums(negatives, positives)[0] / (2 * n_pos * n_neg)

    def average_precision_score(self, *, average="macro"):
        """Binned average precision: AP = sum_b (R_b - R_{b+1}) P_b over the bins, top down.

        Equal to scikit-learn's AP with every score replaced by its bin.
        No positives: 0.0 and an UndefinedMetricWarning (scikit-learn's convention).
        """
        return self._per_class(self._binary_ap, average, ("micro", "macro", "weighted", None))

    def _binary_ap(self, negatives, positives) -> float:
        n_pos = int(positives.sum())
        if n_pos <= 0:
            warn_undefined("No positive samples in the state: average precision is set to 0.")
            return 0.0
        return ranking_sums(negatives, positives)[1] / n_pos

    def auc_error_bound(self, *, average="macro"):
        """How far the binned ROC-AUC can be from the exact one: 1/2 * sum_b p_b * n_b.

        Only a (positive, negative) pair sharing a bin is guessed (at 1/2); the
        guess is off by at most 1/2 per such pair, a fraction ``p_b n_b`` of all
        pairs. For averages over classes the bounds average the same way.
        """
        return self._per_class(self._binary_bound, average, ("micro", "macro", "weighted", None))

    @staticmethod
    def _binary_bound(negatives, positives) -> float:
        n_pos, n_neg = positives.sum(), negatives.sum()
        if n_pos <= 0 or n_neg <= 0:
            return float("nan")
        return float(0.5 * np.dot(positives / n_pos, negatives / n_neg))

    # ----------------------------------------------------------------- saving

    def save(self, path) -> None:
        """Write the state to an .npz file (configuration and counts); :meth:`load` reads it back."""
        np.savez(
            path,
            labels=self.labels,
            threshold=self.threshold,
            edges=self.edges,
            confusion=self.confusion,
            histogram=self.histogram,
        )

    @classmethod
    def load(cls, path) -> MetricState:
        """Read a state written by :meth:`save` (merge states of separate jobs with ``sum``)."""
        with np.load(path, allow_pickle=False) as data:
            state = cls(data["labels"], threshold=float(data["threshold"]), bins=data["edges"])
            confusion, histogram = data["confusion"], data["histogram"]
        if confusion.shape != state.confusion.shape or histogram.shape != state.histogram.shape:
            raise ValueError(expected("path", "a file written by MetricState.save", f"{path} with other shapes"))
        state.confusion += confusion.astype(np.int64)
        state.histogram += histogram.astype(np.int64)
        return state


# --------------------------------------------------------------------------- streaming


def evaluate_stream(
    chunks, *, labels=(0, 1), threshold=0.5, bins=1000, state=None, progress=True, block_rows=1 << 20
) -> MetricState:
    """Count an iterable of chunks into one :class:`MetricState`, in constant memory.

    Parameters
    ----------
    chunks : iterable
        Each item is one of:

        - a pair ``(y_true, y_score)`` of arrays;
        - a mapping with keys ``"y_true"`` and ``"y_score"``;
        - a path to an ``.npz`` file holding arrays ``y_true`` and ``y_score``:
          read block by block straight from the zip archive (compressed or not),
          so even a file larger than memory costs only ``block_rows`` rows;
        - a pair of paths to ``.npy`` files (memory-mapped, read block by block).

        A generator works: nothing is materialised beyond one block.
    labels, threshold, bins
        The configuration of a new state (see :class:`MetricState`).
    state : MetricState, optional
        Keep counting into this state instead (``labels``, ``threshold``, ``bins`` ignored).
    progress : bool, default True
        Show a tqdm progress bar counting predictions.
    block_rows : int, default 2**20
        Rows read from a file at a time.

    Returns
    -------
    MetricState

    A file that cannot be read, or that holds the wrong arrays, is an error
    naming the file.

    Examples
    --------
    >>> chunks = [([0, 1], [0.2, 0.7]), ([1, 0], [0.9, 0.6])]
    >>> evaluate_stream(chunks, bins=10, progress=False).confusion_matrix()
    array([[1, 1],
           [0, 2]])
    """
    if state is None:
        state = MetricState(labels, threshold=threshold, bins=bins)
    elif not isinstance(state, MetricState):
        raise TypeError(expected("state", "a MetricState or None", _describe(state)))
    if not isinstance(block_rows, numbers.Integral) or block_rows < 1:
        raise ValueError(expected("block_rows", "a positive integer", _describe(block_rows)))
    if isinstance(chunks, (str, bytes, os.PathLike)) or not isinstance(chunks, Iterable):
        raise TypeError(
            expected("chunks", "an iterable of chunks (a list of paths or of (y_true, y_score))", _describe(chunks))
        )
    from tqdm.auto import tqdm

    with tqdm(total=None, unit=" predictions", unit_scale=True, disable=not progress, desc="evaluate_stream") as bar:
        for item in chunks:
            source = _source_name(item)
            for y_true, y_score in read_chunk(item, block_rows=int(block_rows)):
                try:
                    state.update(y_true, y_score)
                except (ValueError, TypeError) as exc:
                    if source is None:
                        raise
                    raise type(exc)(f"{source}: {exc}") from None
                bar.update(len(y_true))
    return state


def _is_path(item) -> bool:
    return isinstance(item, (str, os.PathLike))


def _source_name(item) -> str | None:
    if _is_path(item):
        return str(item)
    if isinstance(item, tuple) and len(item) == 2 and all(_is_path(p) for p in item):
        return f"{item[0]} / {item[1]}"
    return None


def read_chunk(item, *, block_rows: int = 1 << 20):
    """Yield ``(y_true, y_score)`` blocks of one chunk (see :func:`evaluate_stream` for the kinds)."""
    if _is_path(item):
        yield from read_npz_blocks(item, block_rows=block_rows)
    elif isinstance(item, Mapping):
        missing = [key for key in ("y_true", "y_score") if key not in item]
        if missing:
            raise ValueError(expected("chunks", "mappings with keys 'y_true' and 'y_score'", f"one missing {missing}"))
        yield item["y_true"], item["y_score"]
    elif isinstance(item, (tuple, list)) and len(item) == 2:
        if all(_is_path(p) for p in item):
            yield from _npy_pair_blocks(*item, block_rows=block_rows)
        else:
            yield item[0], item[1]
    else:
        raise TypeError(
            expected("chunks", "items that are (y_true, y_score) pairs, mappings or .npz paths", _describe(item))
        )


def _npy_pair_blocks(true_path, score_path, *, block_rows: int):
    arrays = []
    for path in (true_path, score_path):
        try:
            arrays.append(np.load(path, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise ValueError(expected("chunks", "readable .npy files", f"{path} ({exc})")) from None
    y_true, y_score = arrays
    if len(y_true) != len(y_score):
        raise ValueError(
            expected("chunks", "y_true and y_score files of equal length", f"{len(y_true)} vs {len(y_score)} rows")
        )
    for start in range(0, len(y_true), block_rows):
        yield np.asarray(y_true[start : start + block_rows]), np.asarray(y_score[start : start + block_rows])


class NpzFileError(ValueError):
    """An .npz file that cannot be read, or that holds the wrong arrays; the message names the file."""


def _npz_error(path, problem: str, argument: str) -> NpzFileError:
    return NpzFileError(expected(argument, "an .npz file with arrays `y_true` and `y_score`", f"{path}: {problem}"))


def _read_npy_header(stream, path, key, argument):
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise _npz_error(path, f"`{key}` is not a readable array ({exc})", argument) from None
    if dtype.hasobject:
        raise _npz_error(path, f"`{key}` holds Python objects", argument)
    return shape, fortran, dtype


def npz_info(path, *, argument: str = "chunks") -> tuple[tuple, tuple]:
    """Shapes of ``y_true`` and ``y_score`` in an .npz file, read from the headers only (no data).

    Raises an error naming the file when it is not a zip archive, lacks one of
    the arrays, or holds arrays whose shapes do not fit together.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for key in ("y_true", "y_score"):
                if key + ".npy" not in names:
                    found = sorted(n.removesuffix(".npy") for n in names)
                    raise _npz_error(path, f"no array `{key}` (it holds {found})", argument)
            shapes = []
            for key in ("y_true", "y_score"):
                with archive.open(key + ".npy") as stream:
                    shapes.append(_read_npy_header(stream, path, key, argument)[0])
    except FileNotFoundError:
        raise _npz_error(path, "no such file", argument) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _npz_error(path, f"not a zip archive ({exc})", argument) from None
    true_shape, score_shape = shapes
    if len(true_shape) != 1:
        raise _npz_error(path, f"`y_true` has shape {true_shape}, not (n,)", argument)
    if len(score_shape) not in (1, 2) or score_shape[0] != true_shape[0]:
        raise _npz_error(
            path, f"`y_score` has shape {score_shape}, which does not fit `y_true` of shape {true_shape}", argument
        )
    return true_shape, score_shape


def read_npz_blocks(path, *, block_rows: int = 1 << 20, argument: str = "chunks"):
    """Yield ``(y_true, y_score)`` blocks of ``block_rows`` rows from an .npz file, decompressing as it goes."""
    npz_info(path, argument=argument)
    try:
        with zipfile.ZipFile(path) as archive, archive.open("y_true.npy") as t, archive.open("y_score.npy") as s:
            true_shape, true_fortran, true_dtype = _read_npy_header(t, path, "y_true", argument)
            score_shape, score_fortran, score_dtype = _read_npy_header(s, path, "y_score", argument)
            if score_fortran and len(score_shape) == 2:  # column-major: rows are not contiguous, read it whole
                with np.load(path, allow_pickle=False) as data:
                    yield data["y_true"], data["y_score"]
                return
            row = score_shape[1:]
            score_row_bytes = score_dtype.itemsize * int(np.prod(row, dtype=np.int64))
            for start in range(0, true_shape[0], block_rows):
                m = min(block_rows, true_shape[0] - start)
                y_true = np.frombuffer(_read_exact(t, m * true_dtype.itemsize, path, argument), dtype=true_dtype)
                y_score = np.frombuffer(_read_exact(s, m * score_row_bytes, path, argument), dtype=score_dtype).reshape(
                    m, *row
                )
                yield y_true, y_score
    except NpzFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # bad CRC, broken deflate stream ...
        raise _npz_error(path, f"corrupt data ({exc})", argument) from None


def _read_exact(stream, n_bytes: int, path, argument) -> bytes:
    data = stream.read(n_bytes)
    if len(data) != n_bytes:
        raise _npz_error(path, "the file ends before its arrays do (truncated)", argument)
    return data


def expand_paths(paths) -> list[Path]:
    """.npz files from files and folders (a folder's .npz files, sorted, recursively); errors name the path."""
    files = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(path.rglob("*.npz"))
            if not found:
                raise ValueError(expected("paths", "folders holding .npz files", f"{path} with none"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise ValueError(expected("paths", "existing files or folders", f"{path}, which does not exist"))
    return files
