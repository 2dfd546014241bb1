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


# --------------------------------------------------------------------------------------------------- q4 pooled F1


def _f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0


def _shard_f1s(confusions):
    return [_f1(c[1][1], c[0][1], c[1][0]) for c in np.asarray(confusions).tolist()]


def pooled_mean_of_f1(confusions):
    return sum(_shard_f1s(confusions)) / len(confusions)


def pooled_size_weighted(confusions):
    sizes = [sum(sum(row) for row in c) for c in np.asarray(confusions).tolist()]
    return sum(f * s for f, s in zip(_shard_f1s(confusions), sizes, strict=True)) / sum(sizes)


def pooled_tp_top_left(confusions):
    total = np.asarray(confusions).sum(axis=0)
    return _f1(total[0][0], total[0][1], total[1][0])  # TP read from the top-left cell


def test_q4_mistakes_are_diagnosed():
    assert_diagnosed(check.q4, pooled_mean_of_f1, "_mean_of_shard_f1", seeds=range(3))
    assert_diagnosed(check.q4, pooled_size_weighted, "_size_weighted_shard_f1", seeds=range(3))
    assert_diagnosed(check.q4, pooled_tp_top_left, "_tp_top_left", seeds=range(3))


def test_q4_reference_is_scikit_learns_f1_on_the_concatenated_labels():
    from sklearn.metrics import f1_score

    for case in check.q4.cases(seed=6, n_random=60):
        (blocks,) = case.args
        y_true, y_pred = [], []
        for (tn, fp), (fn, tp) in blocks.tolist():  # labels rebuilt here only to ask scikit-learn
            y_true += [0] * tn + [0] * fp + [1] * fn + [1] * tp
            y_pred += [0] * tn + [1] * fp + [0] * fn + [1] * tp
        expected = f1_score(y_true, y_pred, zero_division=0.0)
        assert np.isclose(float(check.q4.expected(case).value), expected)


def test_q4_plain_sum_passes():
    def pooled_f1(confusions):
        tp = sum(c[1][1] for c in confusions)
        fp = sum(c[0][1] for c in confusions)
        fn = sum(c[1][0] for c in confusions)
        return _f1(tp, fp, fn)

    assert check.q4.check(pooled_f1, seed=0).status == "correct"
