"""Binning probabilities for reliability diagrams and ECE: edges, bin of each sample, sums per bin.

Binning rule (scikit-learn's): the edges are ``np.linspace(0, 1, n_bins + 1)``
('uniform') or the percentiles of the predictions ('quantile'); the bins are
closed on the right, ``(e_k, e_{k+1}]``, except the first, which also holds
``e_0`` itself. A prediction of exactly 0.2 with 5 uniform bins is in the
first bin ``[0, 0.2]``.

The plain definitions are ``np.percentile`` for the quantile edges and
``np.searchsorted(edges[1:-1], p)`` for the bin of each sample. Both have a
faster path here, by counting 2**14 fine buckets instead of sorting or
searching (:func:`_percentiles`, :func:`bin_ids`); tests/test_calibration.py checks
that each equals its plain definition bit for bit.
"""

from __future__ import annotations

import numpy as np

from course_lib.metrics.validation import check_int, check_option

STRATEGIES = ("uniform", "quantile")

# Fine buckets of [0, 1] used to bin and to find percentiles by counting (see _buckets).
_BUCKETS = 1 << 14


def check_binning(n_bins, strategy) -> int:
    n_bins = check_int(n_bins, "n_bins", minimum=1)
    check_option(strategy, "strategy", STRATEGIES)
    return n_bins


def _buckets(y_prob: np.ndarray) -> np.ndarray:
    """``floor(p * B)`` for B = 2**14 fine buckets of [0, 1] (1.0 joins the last one).

    B is a power of two, so ``p * B`` is exact: bucket u holds exactly the values in
    ``[u / B, (u + 1) / B)``, and the buckets are in the same order as the values.
    """
    buckets = np.empty(len(y_prob), dtype=np.intp)
    np.multiply(y_prob, _BUCKETS, out=buckets, casting="unsafe")  # truncation = floor, as p >= 0
    np.minimum(buckets, _BUCKETS - 1, out=buckets)
    return buckets


def bin_edges(y_prob: np.ndarray, n_bins: int, strategy: str, *, buckets=None) -> np.ndarray:
    """The ``n_bins + 1`` bin edges, exactly as scikit-learn's calibration_curve computes them:
    ``np.linspace(0, 1, n_bins + 1)``, or ``np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)``.
    """
    if strategy == "uniform":
        return np.linspace(0.0, 1.0, n_bins + 1)
    percents = np.linspace(0, 1, n_bins + 1) * 100
    if buckets is None:
        return np.percentile(y_prob, percents)
    return _percentiles(y_prob, percents, buckets)


def _percentiles(y_prob: np.ndarray, percents: np.ndarray, buckets: np.ndarray) -> np.ndarray:
    """``np.percentile(y_prob, percents)`` to the last bit, without partitioning all of y_prob.

    NumPy's linear method needs the order statistics at ranks floor(v) and floor(v) + 1,
    with v = (n - 1) q, and interpolates between them. The order statistics are found
    by counting: the fine buckets are in value order, so a cumulative count says which
    bucket holds each wanted rank, and only the values of those few buckets are sorted.
    """
    n = len(y_prob)
    q = np.true_divide(percents, 100)  # NumPy's own first step
    virtual = (n - 1) * q
    lower = np.minimum(np.floor(virtual), n - 1).astype(np.intp)
    upper = np.minimum(lower + 1, n - 1)
    ranks = np.unique(np.concatenate([lower, upper]))

    counts = np.bincount(buckets, minlength=_BUCKETS)
    ends = np.cumsum(counts)  # bucket u holds the ranks ends[u] - counts[u] ... ends[u] - 1
    holder = np.searchsorted(ends, ranks, side="right")
    wanted = np.zeros(_BUCKETS, dtype=bool)
    wanted[holder] = True
    members = y_prob[wanted[buckets]]
    if len(members) > max(n // 4, 4096):  # heavy ties crowd a bucket: partitioning everything is as cheap
        return np.percentile(y_prob, percents)
    members.sort()  # grouped by bucket, in bucket order
    kept = np.where(wanted, counts, 0)
    start_in_members = np.cumsum(kept) - kept
    value_at = dict(
        zip(ranks.tolist(), members[start_in_members[holder] + ranks - (ends - counts)[holder]], strict=True)
    )
    a = np.array([value_at[r] for r in lower.tolist()])
    b = np.array([value_at[r] for r in upper.tolist()])
    gamma = virtual - lower
    # NumPy's _lerp: a + (b - a) t, computed from b's side when t >= 1/2.
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


def bin_ids(y_prob: np.ndarray, edges: np.ndarray, *, buckets=None) -> np.ndarray:
    """Bin index of each probability: the number of inner edges strictly below it.

    That is ``np.searchsorted(edges[1:-1], y_prob)``, i.e. right-closed bins, computed
    without a binary search per sample: a table says, for each fine bucket (see
    :func:`_buckets`), which bin its values fall in. Only the values of the few
    buckets that an edge cuts through are searched. A ``buckets`` array passed in
    (from :func:`_buckets`) is reused and overwritten.
    """
    inner = edges[1:-1]
    if len(inner) > _BUCKETS // 16:
        return np.searchsorted(inner, y_prob)
    ids = _buckets(y_prob) if buckets is None else buckets  # overwritten: pass a copy to keep yours
    bin_at = np.searchsorted(inner, np.arange(_BUCKETS + 1) / _BUCKETS)  # exact grid: B is a power of 2
    first, last = bin_at[:-1], bin_at[1:]  # bins of a bucket's lowest and highest possible value
    cut = np.flatnonzero((first != last)[ids])
    np.take(first, ids, out=ids, mode="clip")  # in place: each index is read before it is overwritten
    ids[cut] = np.searchsorted(inner, y_prob[cut])
    return ids


def binned_sums(confidence, hit, n_bins, strategy):
    """Per bin: sample count, sum of confidences, number of hits (positives or correct)."""
    buckets = _buckets(confidence)
    edges = bin_edges(confidence, n_bins, strategy, buckets=buckets)
    ids = bin_ids(confidence, edges, buckets=buckets)  # reuses (overwrites) the buckets
    confidence_sums = np.bincount(ids, weights=confidence, minlength=n_bins)
    # Counts and hits together: one integer bincount over the pair index 2 * bin + hit.
    ids <<= 1
    ids += hit
    pairs = np.bincount(ids, minlength=2 * n_bins).reshape(n_bins, 2)
    return pairs.sum(axis=1), confidence_sums, pairs[:, 1], edges


__all__ = ["STRATEGIES", "bin_edges", "bin_ids", "binned_sums", "check_binning"]
