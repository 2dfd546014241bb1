"""Lesson 13's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm
from _checks_helpers import assert_diagnosed

from course_lib.checks import lesson13 as check

# --------------------------------------------------------------------------- q1


def merge_by_averaging(state_a, state_b):
    return {
        "edges": np.asarray(state_a["edges"]),
        "confusion": (np.asarray(state_a["confusion"]) + np.asarray(state_b["confusion"])) / 2,
        "histogram": (np.asarray(state_a["histogram"]) + np.asarray(state_b["histogram"])) / 2,
    }


def merge_every_key(state_a, state_b):
    return {key: np.asarray(state_a[key]) + np.asarray(state_b[key]) for key in state_a}


def merge_forgetting_the_histogram(state_a, state_b):
    return {
        "edges": state_a["edges"],
        "confusion": np.asarray(state_a["confusion"]) + np.asarray(state_b["confusion"]),
        "histogram": state_a["histogram"],
    }


def merge_forgetting_the_confusion_matrix(state_a, state_b):
    return {
        "edges": state_a["edges"],
        "confusion": state_a["confusion"],
        "histogram": np.asarray(state_a["histogram"]) + np.asarray(state_b["histogram"]),
    }


def test_q1_averaging_states_is_diagnosed():
    assert_diagnosed(check.q1, merge_by_averaging, "_averaged")


def test_q1_adding_the_edges_too_is_diagnosed():
    assert_diagnosed(check.q1, merge_every_key, "_added_edges")


def test_q1_a_count_array_left_unmerged_is_diagnosed():
    assert_diagnosed(check.q1, merge_forgetting_the_histogram, "_histogram_not_merged")
    assert_diagnosed(check.q1, merge_forgetting_the_confusion_matrix, "_confusion_not_merged")


def test_q1_reference_is_elementwise_addition_and_keeps_the_inputs():
    for case in check.q1.cases(seed=1, n_random=50):
        a, b = case.args
        before = {key: np.array(value, copy=True) for key, value in a.items()}
        merged = check.q1.reference(a, b)
        np.testing.assert_array_equal(merged["histogram"], np.asarray(a["histogram"]) + b["histogram"])
        np.testing.assert_array_equal(merged["confusion"], np.asarray(a["confusion"]) + b["confusion"])
        np.testing.assert_array_equal(merged["edges"], a["edges"])
        for key in a:
            np.testing.assert_array_equal(a[key], before[key])


# --------------------------------------------------------------------------- q2


def _expand(negatives, positives):
    """Samples whose scores are their bin index: the binned AUC is scikit-learn's AUC of these."""
    bins = np.arange(len(negatives))
    scores = np.concatenate([np.repeat(bins, negatives), np.repeat(bins, positives)])
    labels = np.concatenate([np.zeros(int(np.sum(negatives))), np.ones(int(np.sum(positives)))])
    return labels, scores


def auc_strictly_greater(negatives, positives):
    total = 0.0
    for b, p in enumerate(positives):
        total += p * sum(negatives[:b])
    return total / (sum(positives) * sum(negatives))


def auc_greater_or_equal(negatives, positives):
    total = 0.0
    for b, p in enumerate(positives):
        total += p * sum(negatives[: b + 1])
    return total / (sum(positives) * sum(negatives))


def auc_counting_negatives_above(negatives, positives):
    total = 0.0
    for b, p in enumerate(positives):
        total += p * (sum(negatives[b + 1 :]) + negatives[b] / 2)
    return total / (sum(positives) * sum(negatives))


def auc_in_pairs_not_probability(negatives, positives):
    total = 0.0
    for b, p in enumerate(positives):
        total += p * (sum(negatives[:b]) + negatives[b] / 2)
    return total


def test_q2_same_bin_pairs_as_losses_or_wins_are_diagnosed():
    assert_diagnosed(check.q2, auc_strictly_greater, "_same_bin_as_loss")
    assert_diagnosed(check.q2, auc_greater_or_equal, "_same_bin_as_win")


def test_q2_reversed_order_is_diagnosed():
    assert_diagnosed(check.q2, auc_counting_negatives_above, "_reversed")


def test_q2_pair_count_instead_of_probability_is_diagnosed():
    assert_diagnosed(check.q2, auc_in_pairs_not_probability, "_not_normalised")


def test_q2_reference_is_scikit_learn_on_scores_replaced_by_their_bin():
    for case in check.q2.cases(seed=0, n_random=100):
        labels, scores = _expand(*case.args)
        assert abs(check.q2.reference(*case.args) - skm.roc_auc_score(labels, scores)) < 1e-12


# --------------------------------------------------------------------------- q3


def bound_without_the_half(negatives, positives):
    p = np.asarray(positives) / np.sum(positives)
    n = np.asarray(negatives) / np.sum(negatives)
    return float(np.sum(p * n))


def bound_from_counts(negatives, positives):
    return 0.5 * sum(p * n for p, n in zip(positives, negatives, strict=True))


def bound_from_totals(negatives, positives):
    p = np.asarray(positives) / np.sum(positives)
    n = np.asarray(negatives) / np.sum(negatives)
    return 0.5 * p.sum() * n.sum()


def test_q3_mistakes_are_diagnosed():
    assert_diagnosed(check.q3, bound_without_the_half, "_no_half")
    assert_diagnosed(check.q3, bound_from_counts, "_counts_not_fractions")
    assert_diagnosed(check.q3, bound_from_totals, "_product_of_sums")


def test_q3_reference_bounds_the_gap_between_binned_and_exact_auc():
    rng = np.random.default_rng(0)
    for case in check.q3.cases(seed=2, n_random=100):
        negatives, positives = case.args
        labels, bins = _expand(negatives, positives)
        # Any order inside the bins is possible: spread the scores within their bin at random.
        exact = skm.roc_auc_score(labels, bins + rng.random(len(bins)))
        assert abs(check.q2.reference(*case.args) - exact) <= check.q3.reference(*case.args) + 1e-12
