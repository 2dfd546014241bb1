"""Checks for exercises/13_metrics_at_scale.ipynb: merge two states, binned ROC-AUC, its error bound, pooled F1."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.from_counts import scores_from_counts
from course_lib.scale.histogram_scores import auc_error_bound, binned_roc_auc
from course_lib.scale.state import MetricState

NOTEBOOK = "13_metrics_at_scale.ipynb"


# --------------------------------------------------------------------------------------------------- q1 merge


def _state(edges, confusion, histogram) -> dict:
    return {
        "edges": np.asarray(edges, dtype=float),
        "confusion": np.asarray(confusion, dtype=np.int64),
        "histogram": np.asarray(histogram, dtype=np.int64),
    }


def _as_metric_state(state: dict) -> MetricState:
    histogram = np.asarray(state["histogram"], dtype=np.int64)[None]  # a binary state has one class row
    return MetricState.from_counts(state["confusion"], histogram, bins=np.asarray(state["edges"], dtype=float))


def _merge_states(state_a, state_b):
    merged = _as_metric_state(state_a) + _as_metric_state(state_b)  # course_lib checks the edges match
    return {"edges": merged.edges, "confusion": merged.confusion, "histogram": merged.histogram[0]}


def _random_state(rng: np.random.Generator, edges) -> dict:
    n_bins = len(edges) + 1
    sparse = rng.random() < 0.3  # empty bins are common in real histograms
    histogram = rng.integers(0, 4 if sparse else 50, size=(2, n_bins))
    if sparse:
        histogram[rng.random((2, n_bins)) < 0.5] = 0
    confusion = rng.integers(0, 60, size=(2, 2))
    return _state(edges, confusion, histogram)


def _random_pair(rng: np.random.Generator) -> Args:
    n_bins = int(rng.integers(2, 9))
    edges = np.round(np.sort(rng.choice(np.arange(1, 20) / 20, size=n_bins - 1, replace=False)), 2)
    return Args(_random_state(rng, edges), _random_state(rng, edges))


_EDGES = [0.25, 0.5, 0.75]
_A = _state(_EDGES, [[50, 10], [5, 35]], [[20, 25, 10, 5], [2, 3, 15, 20]])
_B = _state(_EDGES, [[8, 2], [1, 9]], [[6, 3, 1, 0], [0, 1, 4, 5]])
_EMPTY = _state(_EDGES, [[0, 0], [0, 0]], [[0, 0, 0, 0], [0, 0, 0, 0]])

q1 = Question(
    "q1",
    points=2,
    function="merge_states",
    title="Merge two metric states (the monoid's addition)",
    reference=_merge_states,
    fixed=[
        Args(_A, _B),
        Args(_B, _A),
        Args(_A, _EMPTY),  # the identity
        Args(_state([0.5], [[3, 0], [0, 0]], [[3, 0], [0, 0]]), _state([0.5], [[0, 1], [2, 7]], [[0, 1], [2, 7]])),
    ],
    random=_random_pair,
    hints=[
        "A state is counts plus configuration. Counts of two shards add up; the configuration (the bin edges) must "
        "be the same in both and stays as it is.",
        "Return a new dict: `edges` from either state (after checking they are equal), `confusion` and `histogram` "
        "the elementwise sums (`np.asarray(a[...]) + np.asarray(b[...])`).",
    ],
)


@q1.mistake(
    "You averaged the two states. Counts of two shards add up: the merged state must count every sample of both, "
    "so that F1 and AUC come from the summed counts (averaging is the wrong way of Part 1, in another form)."
)
def _averaged(state_a, state_b):
    merged = _merge_states(state_a, state_b)
    return {**merged, "confusion": merged["confusion"] / 2, "histogram": merged["histogram"] / 2}


@q1.mistake(
    "You added the bin edges too. The edges are configuration, not counts: both states must have the same edges, "
    "and the merged state keeps them unchanged."
)
def _added_edges(state_a, state_b):
    merged = _merge_states(state_a, state_b)
    return {**merged, "edges": 2 * merged["edges"]}


@q1.mistake("Your histogram is one state's, not the sum of both: merge the histogram as well as the confusion matrix.")
def _histogram_not_merged(state_a, state_b):
    merged = _merge_states(state_a, state_b)
    return {**merged, "histogram": np.asarray(state_a["histogram"])}


@q1.mistake("Your confusion matrix is one state's, not the sum of both: merge it as well as the histogram.")
def _confusion_not_merged(state_a, state_b):
    merged = _merge_states(state_a, state_b)
    return {**merged, "confusion": np.asarray(state_a["confusion"])}


# --------------------------------------------------------------------------------------------------- q2 binned AUC


def _binned_roc_auc(negatives, positives):
    return binned_roc_auc(np.asarray(negatives), np.asarray(positives))


def _random_histograms(rng: np.random.Generator) -> Args:
    """Counts per bin, lowest scores first; both classes present; empty bins and shared bins frequent."""
    n_bins = int(rng.integers(2, 12))
    high = int(rng.choice([3, 10, 100]))
    negatives = rng.integers(0, high, n_bins)
    positives = rng.integers(0, high, n_bins)
    negatives[rng.random(n_bins) < 0.3] = 0
    positives[rng.random(n_bins) < 0.3] = 0
    negatives[int(rng.integers(0, n_bins))] += 1
    positives[int(rng.integers(0, n_bins))] += 1
    if rng.random() < 0.5:  # a decent model: positives mostly in the upper bins
        negatives, positives = np.sort(negatives)[::-1], np.sort(positives)
    return Args(negatives, positives)


_HISTOGRAM_CASES = [
    Args(np.array([4, 3, 2, 1]), np.array([0, 1, 2, 3])),
    Args(np.array([0, 2, 0, 1]), np.array([1, 0, 3, 0])),
    Args(np.array([5, 0]), np.array([0, 5])),  # perfectly separated: AUC 1, bound 0
    Args(np.array([0, 3, 0]), np.array([0, 2, 0])),  # everything in one bin: AUC 1/2, bound 1/2
    Args(np.array([0, 0, 7]), np.array([2, 0, 0])),  # perfectly wrong: AUC 0
]

q2 = Question(
    "q2",
    points=2,
    function="binned_roc_auc",
    title="ROC-AUC from two histograms, pairs in one bin counting 1/2",
    reference=_binned_roc_auc,
    fixed=_HISTOGRAM_CASES,
    random=_random_histograms,
    hints=[
        "With p_b = positives[b] / P and n_b = negatives[b] / N, a positive in bin b beats every negative in a "
        "lower bin and ties (1/2) with a negative in its own bin: AUC = sum_b p_b * (sum of n below b + n_b / 2).",
        "`np.cumsum(n) - n` gives, for every bin, the fraction of negatives in the bins below it.",
    ],
)


def _pair_terms(negatives, positives):
    p = np.asarray(positives, dtype=float)
    n = np.asarray(negatives, dtype=float)
    p, n = p / p.sum(), n / n.sum()
    return p, n, np.cumsum(n) - n


@q2.mistake(
    "Pairs that share a bin count as losses in your sum. Inside a bin the state cannot tell which score is higher: "
    "count such a pair 1/2."
)
def _same_bin_as_loss(negatives, positives):
    p, _, below = _pair_terms(negatives, positives)
    return float(np.dot(p, below))


@q2.mistake(
    "Pairs that share a bin count as wins in your sum. Inside a bin the state cannot tell which score is higher: "
    "count such a pair 1/2."
)
def _same_bin_as_win(negatives, positives):
    p, n, below = _pair_terms(negatives, positives)
    return float(np.dot(p, below + n))


@q2.mistake(
    "You counted the negatives *above* each positive, which gives 1 - AUC. Bins are in increasing score order: a "
    "positive wins against the negatives in the bins below it."
)
def _reversed(negatives, positives):
    return 1.0 - _binned_roc_auc(negatives, positives)


@q2.mistake(
    "Your sum counts pairs, not a probability: divide by the number of pairs P * N (or work with the fractions "
    "p_b = positives[b] / P and n_b = negatives[b] / N)."
)
def _not_normalised(negatives, positives):
    p = np.asarray(positives, dtype=float)
    n = np.asarray(negatives, dtype=float)
    return float(np.dot(p, np.cumsum(n) - n + n / 2))


# --------------------------------------------------------------------------------------------------- q3 the bound


def _auc_error_bound(negatives, positives):
    return auc_error_bound(negatives, positives)


q3 = Question(
    "q3",
    points=1,
    function="auc_error_bound",
    title="The error bound of the binned ROC-AUC: 1/2 * sum_b p_b n_b",
    reference=_auc_error_bound,
    fixed=_HISTOGRAM_CASES,
    random=_random_histograms,
    hints=[
        "Only a positive and a negative in the same bin are guessed (at 1/2), and each such guess is off by at most "
        "1/2. The fraction of all pairs that share bin b is p_b * n_b.",
        "bound = 0.5 * sum over bins of (positives[b] / P) * (negatives[b] / N).",
    ],
)


@q3.mistake(
    "Your bound is twice too big: a guess of 1/2 for a pair whose truth is 0 or 1 is off by at most 1/2, so the "
    "bound is *half* the fraction of pairs sharing a bin."
)
def _no_half(negatives, positives):
    return 2 * _auc_error_bound(negatives, positives)


@q3.mistake(
    "Use fractions, not counts: p_b = positives[b] / P and n_b = negatives[b] / N, so the bound is a share of the "
    "P * N pairs."
)
def _counts_not_fractions(negatives, positives):
    return 0.5 * float(np.dot(np.asarray(positives, dtype=float), np.asarray(negatives, dtype=float)))


@q3.mistake(
    "You multiplied the totals (sum p_b)(sum n_b) instead of summing the products p_b * n_b bin by bin: only pairs "
    "in the *same* bin are guessed."
)
def _product_of_sums(negatives, positives):
    return 0.5


# --------------------------------------------------------------------------------------------------- q4 pooled F1


def _pooled_f1(confusions):
    blocks = np.asarray(confusions, dtype=np.int64).reshape(-1, 2, 2).sum(axis=0)  # [[TN, FP], [FN, TP]] summed
    (_, fp), (fn, tp) = blocks
    return float(scores_from_counts([tp], [fp], [fn], zero_division=0.0)[2][0])


def _random_shards(rng: np.random.Generator) -> Args:
    """2 to 6 shards of very different sizes and class mixes; now and then a shard that predicts no positive."""
    shards = []
    for _ in range(int(rng.integers(2, 7))):
        size = int(rng.choice([5, 40, 400, 4000]))
        counts = rng.multinomial(size, rng.dirichlet(np.ones(4)))
        if rng.random() < 0.2:
            counts[[1, 3]] = 0  # no FP and no TP: nothing predicted positive in this shard
        shards.append(counts.reshape(2, 2))
    return Args(np.array(shards))


q4 = Question(
    "q4",
    points=2,
    function="pooled_f1",
    title="F1 of all shards together, from their confusion matrices (not the mean of per-shard F1)",
    reference=_pooled_f1,
    fixed=[
        Args(np.array([[[619_999, 321_847], [3_027, 55_127]]])),  # lesson 13's merged counts: F1 0.2534
        Args(np.array([[[80, 10], [2, 8]], [[5, 1], [4, 90]]])),
        Args(np.array([[[90, 0], [10, 0]], [[40, 5], [5, 50]]])),  # shard 0 predicts no positive: its F1 is 0/...
        Args(np.array([[[1000, 0], [0, 0]], [[3, 1], [1, 5]]])),  # shard 0 has no positive at all
    ],
    random=_random_shards,
    hints=[
        "Add the shards' matrices first (counts add; F1 values do not), then compute one F1 from the sums.",
        "Each block is [[TN, FP], [FN, TP]]; F1 = 2 TP / (2 TP + FP + FN), 0 when that is 0/0.",
    ],
)


def _per_shard_f1(confusions):
    return [_pooled_f1(block[None]) for block in np.asarray(confusions).reshape(-1, 2, 2)]


@q4.mistake(
    "You averaged the shards' F1 values. F1 is a ratio of counts, and a mean of ratios gives a small shard as much "
    "say as a big one: add the confusion matrices first, then compute F1 once."
)
def _mean_of_shard_f1(confusions):
    return float(np.mean(_per_shard_f1(confusions)))


@q4.mistake(
    "You weighted each shard's F1 by its size. Closer, but still a mean of ratios: F1's denominator 2 TP + FP + FN "
    "is not the shard size. Add the confusion matrices, then compute F1 once."
)
def _size_weighted_shard_f1(confusions):
    blocks = np.asarray(confusions).reshape(-1, 2, 2)
    return float(np.average(_per_shard_f1(confusions), weights=blocks.sum(axis=(1, 2))))


@q4.mistake(
    "You read the blocks in the other layout ([[TP, FP], [FN, TN]]): the course's (and scikit-learn's) 2 x 2 matrix "
    "is [[TN, FP], [FN, TP]], so TP is the bottom-right cell."
)
def _tp_top_left(confusions):
    blocks = np.asarray(confusions, dtype=np.int64).reshape(-1, 2, 2)[:, ::-1, ::-1]
    return _pooled_f1(blocks)


QUESTIONS = (q1, q2, q3, q4)
