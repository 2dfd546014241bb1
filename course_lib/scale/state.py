"""The mergeable metric state: the counts behind every classification metric, in a form that adds up.

A :class:`MetricState` keeps the integer counts that classification metrics are
computed from, and nothing else:

- the confusion matrix at a decision rule (binary: ``score >= threshold``;
  multiclass: the arg-max class), and
- score histograms: for each class c and each score bin b, how many samples of
  class c (positives) and of the other classes (negatives) have their class-c
  score in bin b (bins: :mod:`course_lib.scale.binning`).

Counts form a *monoid*: the empty state is the identity, merging is elementwise
addition (``a + b``, ``sum(states)``), and addition is associative and
commutative. A state built chunk by chunk, file by file or process by process,
in any order and any grouping, holds exactly the counts of one pass over all the
data. Averaging per-shard *scores* is not the same thing: F1 and AUC are ratios,
and a mean of ratios is not the ratio of the summed counts.

The state computes nothing itself: the confusion matrix goes to the metrics
core's ``scores_from_counts``, the histograms to :mod:`course_lib.scale.histogram_scores`
(per-threshold counts, then the core's AUC and AP from counts).

Counts are int64: a float32 counter stops at 2**24 = 16,777,216 (adding 1 rounds
back down), an int32 one wraps past 2**31 - 1, which a billion predictions with a
few passes reach; int64 counts to 9.2e18. The binned ROC-AUC counts a (positive,
negative) pair sharing a bin as 1/2, so it is within ``1/2 * sum_b p_b n_b`` of
the exact one (:meth:`MetricState.auc_error_bound`, from the merged state itself).
"""

from __future__ import annotations

import hashlib
import numbers

import numpy as np

from course_lib.metrics.from_counts import average_over_classes, scores_from_counts
from course_lib.metrics.validation import (
    _describe,
    check_average,
    check_beta,
    check_zero_division,
    expected,
)
from course_lib.scale import histogram_scores
from course_lib.scale.binning import Binner, check_edges
from course_lib.scale.inputs import check_state_labels, check_state_scores, check_threshold, label_codes

__all__ = ["MetricState"]

# Scores handled per vectorised step inside update(). The ten or so passes over a
# block then run in the CPU cache (64k float64 = 512 kB) instead of main memory,
# about twice as fast as megabyte blocks, and the work buffers stay small
# whatever the size of the chunk a caller passes in.
_BLOCK_ELEMENTS = 1 << 16

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
        edges themselves, strictly increasing (B = len(edges) + 1 bins): finer
        where the scores crowd (the same edges in every state that will be merged).

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
        self.labels = check_state_labels(labels).copy()  # frozen below: never the caller's own array
        self.threshold = check_threshold(threshold)
        self.edges = check_edges(bins)
        self.labels.flags.writeable = False
        self.edges.flags.writeable = False
        k = len(self.labels)
        self.confusion = np.zeros((k, k), dtype=np.int64)
        self.histogram = np.zeros((1 if k == 2 else k, 2, len(self.edges) + 1), dtype=np.int64)
        self._binner = Binner(self.edges)
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
        self._binner = Binner(self.edges)

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
        new._binner = Binner(self.edges)  # its work buffers are not shared
        return new

    def copy(self) -> MetricState:
        new = self.empty()
        new.confusion += self.confusion
        new.histogram += self.histogram
        return new

    @classmethod
    def from_counts(cls, confusion, histogram, *, labels=(0, 1), threshold=0.5, bins=1000) -> MetricState:
        """A state holding these counts (``confusion`` (K, K), ``histogram`` (C, 2, B)), shapes checked.

        >>> MetricState.from_counts([[3, 1], [0, 2]], [[[3, 1], [0, 2]]], bins=2).roc_auc_score()
        0.875
        """
        state = cls(labels, threshold=threshold, bins=bins)
        for name, target in (("confusion", state.confusion), ("histogram", state.histogram)):
            counts = np.asarray(confusion if name == "confusion" else histogram)
            if counts.shape != target.shape or counts.dtype.kind not in "iu" or (counts < 0).any():
                raise ValueError(expected(name, f"non-negative integer counts of shape {target.shape}", repr(counts)))
            target += counts
        return state

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
        codes = label_codes(y_true, self.labels, labels_are_indices=self._labels_are_indices)
        scores = check_state_scores(y_score, len(codes), n_classes=self.n_classes)
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

    def _label_index(self, pos_label, *, default: int | None = None) -> int:
        """Where ``pos_label`` is in ``labels`` (``default`` for None): the state's one pos_label rule."""
        if pos_label is None and default is not None:
            return default
        found = np.flatnonzero(self.labels == pos_label) if pos_label is not None and np.ndim(pos_label) == 0 else []
        if len(found) == 0:
            raise ValueError(expected("pos_label", f"one of the labels {self.labels.tolist()}", repr(pos_label)))
        return int(found[0])

    def _binary_index(self, pos_label) -> int:
        if not self.is_binary:
            raise ValueError(
                expected("average", "one of ['micro', 'macro', 'weighted', None] for a multiclass state", "'binary'")
                + " 'binary' scores a single positive class; pick an average over classes."
            )
        return self._label_index(pos_label, default=1)

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
        """Which histogram row a curve is about: a binary state's scores are for ``labels[1]`` only."""
        if self.is_binary:
            if self._label_index(pos_label, default=1) != 1:
                raise ValueError(
                    expected("pos_label", f"None or {self.labels[1]!r}, the class the scores are for", repr(pos_label))
                )
            return 0
        return self._label_index(pos_label)

    def roc_curve(self, *, pos_label=None):
        """Binned ROC curve: (FPR, TPR) at every bin edge, thresholds decreasing (B + 1 points).

        Multiclass states give class ``pos_label`` against the rest. See
        :func:`course_lib.scale.histogram_scores.binned_roc_curve`.
        """
        return histogram_scores.binned_roc_curve(*self.histogram[self._class_index(pos_label)], self.edges)

    def precision_recall_curve(self, *, pos_label=None):
        """Binned precision-recall curve, thresholds increasing, ending at (recall 0, precision 1).

        See :func:`course_lib.scale.histogram_scores.binned_precision_recall_curve`.
        """
        return histogram_scores.binned_precision_recall_curve(*self.histogram[self._class_index(pos_label)], self.edges)

    def _per_class(self, binary_score, average):
        """A binary histogram score per class (one-vs-rest), combined with scikit-learn's averages."""
        if self.is_binary:
            return binary_score(*self.histogram[0])
        allowed = ("micro", "macro", "weighted", None)
        if average not in allowed:
            raise ValueError(expected("average", f"one of {allowed} for a multiclass state", _describe(average)))
        if average == "micro":  # every (sample, class) cell is one binary decision: sum the histograms first
            return binary_score(*self.histogram.sum(axis=0))
        scores = [binary_score(*self.histogram[c]) for c in range(self.n_classes)]
        return average_over_classes(scores, average, weights=self.histogram[:, 1].sum(axis=1))

    def roc_auc_score(self, *, average="macro", multi_class="raise"):
        """Binned ROC-AUC: the trapezoid area under the binned curve, pairs in one bin counting 1/2.

        .. math:: \\mathrm{AUC}_B = \\sum_b p_b \\left(\\sum_{b' < b} n_{b'} + \\tfrac12 n_b\\right)

        Multiclass states need ``multi_class='ovr'`` (one-vs-rest; 'ovo' needs pair
        histograms a state does not keep), with ``average`` in 'micro', 'macro',
        'weighted', None. One class only: NaN and an UndefinedMetricWarning.
        """
        if not self.is_binary and multi_class != "ovr":
            raise ValueError(
                expected("multi_class", "'ovr' for a multiclass state", _describe(multi_class))
                + " One-vs-one ('ovo') needs a histogram per pair of classes, which a state does not keep."
            )
        return self._per_class(histogram_scores.binned_roc_auc, average)

    def average_precision_score(self, *, average="macro"):
        """Binned average precision: scikit-learn's AP with every score replaced by its bin.

        No positives: 0.0 and an UndefinedMetricWarning (scikit-learn's convention).
        """
        return self._per_class(histogram_scores.binned_average_precision, average)

    def auc_error_bound(self, *, average="macro"):
        """How far the binned ROC-AUC can be from the exact one: 1/2 * sum_b p_b * n_b.

        For averages over classes the bounds average the same way as the AUCs.
        """
        return self._per_class(histogram_scores.auc_error_bound, average)
