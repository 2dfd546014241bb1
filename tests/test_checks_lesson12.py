"""Lesson 12's checks against mistakes written the way a learner writes them, and the references against
statsmodels and from-scratch computations."""

from __future__ import annotations

import numpy as np
import pytest
from _checks_helpers import mistake_diagnosis_test
from statsmodels.stats.proportion import confint_proportions_2indep

from course_lib.checks import lesson12 as check

# --------------------------------------------------------------------------------------------------- right answers


def precision_at_new_prevalence(precision, old_prevalence, new_prevalence):
    old_odds = old_prevalence / (1 - old_prevalence)
    new_odds = new_prevalence / (1 - new_prevalence)
    if precision == 1:
        return 1.0
    odds = precision / (1 - precision) * new_odds / old_odds
    return odds / (1 + odds)


def adjust_probabilities(y_prob, from_prevalence, to_prevalence):
    ratio = (to_prevalence / (1 - to_prevalence)) / (from_prevalence / (1 - from_prevalence))
    return [ratio * p / (ratio * p + 1 - p) for p in y_prob]


def precision_at_k(y_true, y_score, k):
    ranked = sorted(zip(y_score, y_true, strict=True), reverse=True)
    kth = ranked[k - 1][0]
    above = [y for s, y in ranked if s > kth]
    tied = [y for s, y in ranked if s == kth]
    return (sum(above) + (k - len(above)) * sum(tied) / len(tied)) / k


def _wilson(x, n, z=1.959963984540054):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5 / (1 + z * z / n)
    return p, centre - half, centre + half


def tpr_gap(y_true, y_pred, groups, group_a, group_b):
    rates = []
    for g in (group_a, group_b):
        hits = [p for t, p, h in zip(y_true, y_pred, groups, strict=True) if h == g and t == 1]
        rates.append(_wilson(sum(hits), len(hits)))
    (pa, la, ua), (pb, lb, ub) = rates
    gap = pa - pb
    return gap, gap - ((pa - la) ** 2 + (ub - pb) ** 2) ** 0.5, gap + ((ua - pa) ** 2 + (pb - lb) ** 2) ** 0.5


@pytest.mark.parametrize(
    ("question", "function"),
    [
        (check.q1, precision_at_new_prevalence),
        (check.q2, adjust_probabilities),
        (check.q3, precision_at_k),
        (check.q4, tpr_gap),
    ],
)
def test_plain_python_answers_pass(question, function):
    for seed in range(4):
        assert question.check(function, seed=seed).status == "correct"


# --------------------------------------------------------------------------------------------------- mistakes


def precision_scaled_linearly(precision, old_prevalence, new_prevalence):
    return precision * new_prevalence / old_prevalence


def precision_unchanged(precision, old_prevalence, new_prevalence):
    return precision


def precision_odds_inverted(precision, old_prevalence, new_prevalence):
    return precision_at_new_prevalence(precision, new_prevalence, old_prevalence)


def probabilities_scaled(y_prob, from_prevalence, to_prevalence):
    return [p * to_prevalence / from_prevalence for p in y_prob]


def positive_class_only(y_prob, from_prevalence, to_prevalence):
    r = to_prevalence / from_prevalence
    return [r * p / (r * p + 1 - p) for p in y_prob]


def prevalences_swapped(y_prob, from_prevalence, to_prevalence):
    return adjust_probabilities(y_prob, to_prevalence, from_prevalence)


def first_k_rows(y_true, y_score, k):
    order = sorted(range(len(y_score)), key=lambda i: -y_score[i])  # Python's sort is stable
    return sum(y_true[i] for i in order[:k]) / k


def every_tie_kept(y_true, y_score, k):
    kth = sorted(y_score, reverse=True)[k - 1]
    kept = [y for y, s in zip(y_true, y_score, strict=True) if s >= kth]
    return sum(kept) / len(kept)


def groups_swapped(y_true, y_pred, groups, group_a, group_b):
    return tpr_gap(y_true, y_pred, groups, group_b, group_a)


def gap_without_interval(y_true, y_pred, groups, group_a, group_b):
    gap = tpr_gap(y_true, y_pred, groups, group_a, group_b)[0]
    return gap, gap, gap


def wald_gap(y_true, y_pred, groups, group_a, group_b):
    stats = []
    for g in (group_a, group_b):
        hits = [p for t, p, h in zip(y_true, y_pred, groups, strict=True) if h == g and t == 1]
        stats.append((sum(hits) / len(hits), len(hits)))
    (pa, na), (pb, nb) = stats
    half = 1.959963984540054 * (pa * (1 - pa) / na + pb * (1 - pb) / nb) ** 0.5
    return pa - pb, pa - pb - half, pa - pb + half


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, precision_scaled_linearly, "_scaled_linearly"),
        (check.q1, precision_unchanged, "_unchanged"),
        (check.q1, precision_odds_inverted, "_inverted"),
        (check.q2, probabilities_scaled, "_scaled_probabilities"),
        (check.q2, positive_class_only, "_positive_class_only"),
        (check.q2, prevalences_swapped, "_swapped_prevalences"),
        (check.q3, first_k_rows, "_first_k_in_data_order"),
        (check.q3, every_tie_kept, "_all_ties_counted"),
        (check.q4, groups_swapped, "_swapped_groups"),
        (check.q4, gap_without_interval, "_no_interval"),
        (check.q4, wald_gap, "_wald_difference"),
    ]
)


# --------------------------------------------------------------------------------------------------- references


def test_q4_reference_is_statsmodels_newcombe_interval():
    for case in check.q4.cases(seed=0, n_random=200):
        y_true, y_pred, groups, a, b = case.args
        counts = []
        for g in (a, b):
            positives = (groups == g) & (y_true == 1)
            counts += [int(np.sum(y_pred[positives] == 1)), int(np.sum(positives))]
        low, high = confint_proportions_2indep(*counts, method="newcomb", compare="diff")
        gap, our_low, our_high = check._tpr_gap(*case.args)
        assert gap == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
        assert (our_low, our_high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))


def test_q3_reference_equals_a_from_scratch_sort_on_many_cases():
    for case in check.q3.cases(seed=1, n_random=300):
        assert check._precision_at_k(*case.args) == pytest.approx(precision_at_k(*case.args), abs=1e-12)


def test_q1_reference_is_precision_recomputed_from_rates():
    from course_lib import precision_at_prevalence

    for case in check.q1.cases(seed=2, n_random=200):
        precision, old, new = case.args
        if precision == 1:
            continue
        fpr = old * (1 - precision) / (precision * (1 - old))  # with TPR = 1: the rates behind this precision
        if fpr <= 1:
            assert check._precision_at_new_prevalence(*case.args) == pytest.approx(
                precision_at_prevalence(1.0, fpr, new)
            )


def test_error_hint_for_division_by_zero():
    def adjust(y_prob, from_prevalence, to_prevalence):
        ratio = (to_prevalence / (1 - to_prevalence)) / (from_prevalence / (1 - from_prevalence))
        odds = [float(p) / (1 - float(p)) * ratio for p in y_prob]  # p = 1: ZeroDivisionError
        return [o / (1 + o) for o in odds]

    outcome = check.q2.check(adjust, seed=0)
    assert outcome.status == "error" and "infinite odds" in outcome.message
