"""Checks for exercises/12_shift_budgets_subgroups.ipynb: precision at a new prevalence, prior adjustment,
precision@k with ties, and a TPR gap between two groups with its interval."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.budgets import precision_at_k
from course_lib.metrics.groups import confusion_matrix_by_group
from course_lib.metrics.intervals import proportion_interval
from course_lib.metrics.prevalence import adjust_to_prevalence

NOTEBOOK = "12_shift_budgets_subgroups.ipynb"
Z_95 = 1.959963984540054  # the 0.975 quantile of the standard normal


# --------------------------------------------------------------------------------------------------- q1


def _precision_at_new_prevalence(precision, old_prevalence, new_prevalence):
    """Precision is P(y = 1 | flagged): under prior shift its odds scale with the prior odds, like any posterior."""
    return float(adjust_to_prevalence([precision], from_prevalence=old_prevalence, to_prevalence=new_prevalence)[0])


def _random_prevalence_case(rng: np.random.Generator) -> Args:
    precision = (
        float(rng.choice([rng.uniform(0.05, 0.99), 1.0])) if rng.random() < 0.1 else float(rng.uniform(0.05, 0.99))
    )
    return Args(precision, float(rng.uniform(0.05, 0.6)), float(rng.uniform(0.001, 0.5)))


q1 = Question(
    "q1",
    points=2,
    function="precision_at_new_prevalence",
    title="Precision at a new prevalence",
    reference=_precision_at_new_prevalence,
    fixed=[Args(0.8, 0.3, 0.01), Args(0.5, 0.5, 0.1), Args(1.0, 0.2, 0.05), Args(0.2, 0.1, 0.4)],
    random=_random_prevalence_case,
    hints=[
        "TPR and FPR do not change with prevalence. Precision = pi TPR / (pi TPR + (1 - pi) FPR): write its odds.",
        "precision / (1 - precision) = [pi / (1 - pi)] * TPR / FPR. Only the prior odds pi / (1 - pi) change.",
    ],
    error_hints={
        "ZeroDivisionError": "precision = 1 has infinite odds: work with odds * ratio / (odds * ratio + 1) "
        "written as ratio * p / (ratio * p + 1 - p)."
    },
)


@q1.mistake(
    "You scaled precision in proportion to the prevalence. Precision is not proportional to prevalence: its odds "
    "are, precision / (1 - precision) = prior odds x TPR / FPR."
)
def _scaled_linearly(precision, old_prevalence, new_prevalence):
    return precision * new_prevalence / old_prevalence


@q1.mistake("You returned the old precision: precision changes with prevalence (TPR and FPR are the ones that stay).")
def _unchanged(precision, old_prevalence, new_prevalence):
    return float(precision)


@q1.mistake("Your odds ratio is upside down: multiply by the new prior odds and divide by the old ones.")
def _inverted(precision, old_prevalence, new_prevalence):
    return _precision_at_new_prevalence(precision, new_prevalence, old_prevalence)


# --------------------------------------------------------------------------------------------------- q2


def _adjust_probabilities(y_prob, from_prevalence, to_prevalence):
    return adjust_to_prevalence(y_prob, from_prevalence=from_prevalence, to_prevalence=to_prevalence)


def _random_probabilities(rng: np.random.Generator) -> Args:
    n = int(rng.integers(1, 20))
    y_prob = rng.uniform(0, 1, n)
    if rng.random() < 0.3:
        y_prob[0] = float(rng.choice([0.0, 1.0]))  # the end points must stay put
    return Args(y_prob, float(rng.uniform(0.05, 0.95)), float(rng.uniform(0.01, 0.95)))


q2 = Question(
    "q2",
    points=2,
    function="adjust_probabilities",
    title="Calibrated probabilities moved to a new prior",
    reference=_adjust_probabilities,
    fixed=[
        Args(np.array([0.5, 0.9, 0.1]), 0.5, 0.1),
        Args(np.array([0.0, 0.25, 1.0]), 0.3, 0.01),
        Args(np.array([0.7]), 0.2, 0.6),
    ],
    random=_random_probabilities,
    hints=[
        "Bayes' rule on the odds: posterior odds = likelihood ratio x prior odds, and only the prior odds change.",
        "ratio = [to / (1 - to)] / [from / (1 - from)]; the new probability is ratio p / (ratio p + 1 - p).",
    ],
    error_hints={"ZeroDivisionError": "p = 1 has infinite odds: write the result as ratio p / (ratio p + 1 - p)."},
)


@q2.mistake(
    "You multiplied the probabilities by to_prevalence / from_prevalence. Bayes' rule scales the *odds* "
    "p / (1 - p) by the ratio of prior odds, not the probabilities."
)
def _scaled_probabilities(y_prob, from_prevalence, to_prevalence):
    return np.asarray(y_prob, dtype=float) * to_prevalence / from_prevalence


@q2.mistake(
    "You rescaled the positive class by to / from but left the negative class alone: the negatives' prior "
    "changes too, by (1 - to) / (1 - from). Use the ratio of prior odds."
)
def _positive_class_only(y_prob, from_prevalence, to_prevalence):
    p = np.asarray(y_prob, dtype=float)
    ratio = to_prevalence / from_prevalence
    return ratio * p / (ratio * p + (1 - p))


@q2.mistake("You adjusted in the wrong direction: from_prevalence and to_prevalence are swapped.")
def _swapped_prevalences(y_prob, from_prevalence, to_prevalence):
    return _adjust_probabilities(y_prob, to_prevalence, from_prevalence)


# --------------------------------------------------------------------------------------------------- q3


def _precision_at_k(y_true, y_score, k):
    return precision_at_k(y_true, y_score, k=k)


def _random_ranking(rng: np.random.Generator) -> Args:
    """Scores on a coarse grid so that ties at the k-th score are common."""
    n = int(rng.integers(2, 25))
    y_true = rng.integers(0, 2, n)
    y_score = rng.integers(0, int(rng.integers(2, 6)), n) / 4
    return Args(y_true, y_score, int(rng.integers(1, n + 1)))


q3 = Question(
    "q3",
    points=3,
    function="precision_at_k",
    title="precision@k with ties at the cut shared out",
    reference=_precision_at_k,
    fixed=[
        Args(np.array([1, 0, 1, 0, 1]), np.array([0.9, 0.8, 0.7, 0.2, 0.1]), 2),
        Args(np.array([1, 0, 0, 1, 1, 0]), np.array([0.9, 0.7, 0.7, 0.7, 0.7, 0.1]), 3),
        Args(np.array([0, 1, 1, 0]), np.array([0.5, 0.5, 0.5, 0.5]), 1),
        Args(np.array([1, 1, 0, 0]), np.array([0.9, 0.1, 0.8, 0.8]), 4),
    ],
    random=_random_ranking,
    hints=[
        "Find s, the k-th highest score. Everyone scored above s is in; from the cases tied at s you still need "
        "k - (number above s).",
        "Among the tied cases, each positive is taken with probability (k - above) / (number tied): add "
        "(k - above) * (positives tied) / (number tied) to the positives above s, then divide by k.",
    ],
)


@q3.mistake(
    "You sorted and took the first k rows, so ties at the k-th score are broken by the order the data came in. "
    "Share the remaining places among the tied cases instead (each tied case counts (k - above) / tied)."
)
def _first_k_in_data_order(y_true, y_score, k):
    order = np.argsort(-np.asarray(y_score, dtype=float), kind="stable")
    return float(np.asarray(y_true)[order[:k]].mean())


@q3.mistake(
    "You kept every case tied at the k-th score (score >= s), so you reviewed more than k cases. Take only the "
    "k - above places left and count the tied positives in proportion."
)
def _all_ties_counted(y_true, y_score, k):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=float)
    kth = np.sort(y_score)[::-1][k - 1]
    return float(y_true[y_score >= kth].mean())


# --------------------------------------------------------------------------------------------------- q4


def _tpr_gap(y_true, y_pred, groups, group_a, group_b):
    """TPR_a - TPR_b and Newcombe's (1998) hybrid score interval built from the two Wilson intervals."""
    tables = confusion_matrix_by_group(y_true, y_pred, groups=groups, labels=[0, 1])
    index = {g: i for i, g in enumerate(tables.groups.tolist())}
    found = {g: int(tables.tables[index[g], 1, 1]) for g in (group_a, group_b)}
    positives = {g: int(tables.tables[index[g], 1].sum()) for g in (group_a, group_b)}
    rate = {g: found[g] / positives[g] for g in (group_a, group_b)}
    low_a, high_a = proportion_interval(found[group_a], positives[group_a])
    low_b, high_b = proportion_interval(found[group_b], positives[group_b])
    gap = rate[group_a] - rate[group_b]
    low = gap - np.sqrt((rate[group_a] - low_a) ** 2 + (high_b - rate[group_b]) ** 2)
    high = gap + np.sqrt((high_a - rate[group_a]) ** 2 + (rate[group_b] - low_b) ** 2)
    return gap, float(low), float(high)


def _random_groups(rng: np.random.Generator) -> Args:
    """Two or three groups of 4 to 40 cases, each with at least one positive."""
    names = ["A", "B", "C"][: int(rng.integers(2, 4))]
    sizes = rng.integers(4, 41, len(names))
    groups = np.repeat(names, sizes)
    y_true = rng.integers(0, 2, len(groups))
    y_pred = np.where(rng.random(len(groups)) < 0.7, y_true, 1 - y_true)
    for name in names:
        y_true[np.flatnonzero(groups == name)[0]] = 1
    order = rng.permutation(len(groups))
    a, b = rng.choice(names, 2, replace=False)
    return Args(y_true[order], y_pred[order], groups[order], str(a), str(b))


q4 = Question(
    "q4",
    points=3,
    function="tpr_gap",
    title="A TPR gap between two groups, with Newcombe's interval",
    reference=_tpr_gap,
    fixed=[
        Args(
            np.array([1, 1, 1, 1, 0, 1, 1, 1, 0, 0]),
            np.array([1, 1, 1, 0, 0, 1, 0, 0, 1, 0]),
            np.array(["A", "A", "A", "A", "A", "B", "B", "B", "B", "B"]),
            "A",
            "B",
        ),
        Args(
            np.array([1, 1, 0, 1, 1, 1, 1, 0]),
            np.array([1, 1, 1, 1, 1, 0, 1, 0]),
            np.array(["x", "y", "x", "y", "x", "y", "z", "z"]),
            "y",
            "x",
        ),
    ],
    random=_random_groups,
    hints=[
        "TPR of a group = its TP / its positives. The gap is TPR of group_a minus TPR of group_b.",
        "Wilson interval (l, u) for each rate; then low = gap - sqrt((p_a - l_a)^2 + (u_b - p_b)^2) and "
        "high = gap + sqrt((u_a - p_a)^2 + (p_b - l_b)^2).",
    ],
    error_hints={
        "ZeroDivisionError": "Every group in these cases has at least one positive: count positives "
        "within the group only (y_true == 1 and groups == g)."
    },
)


@q4.mistake("You swapped the groups: the gap is TPR of group_a minus TPR of group_b (and the interval flips with it).")
def _swapped_groups(y_true, y_pred, groups, group_a, group_b):
    return _tpr_gap(y_true, y_pred, groups, group_b, group_a)


@q4.mistake(
    "You returned the gap without an interval (low = high = gap). With a few positives per group the gap can be "
    "noise: combine the two Wilson intervals (Newcombe's method)."
)
def _no_interval(y_true, y_pred, groups, group_a, group_b):
    gap = _tpr_gap(y_true, y_pred, groups, group_a, group_b)[0]
    return gap, gap, gap


@q4.mistake(
    "You used the normal approximation (Wald) for the difference, gap +- 1.96 sqrt(p_a(1-p_a)/n_a + p_b(1-p_b)/n_b). "
    "It is too narrow for small groups and collapses at rates of 0 or 1: combine the two Wilson intervals."
)
def _wald_difference(y_true, y_pred, groups, group_a, group_b):
    gap = _tpr_gap(y_true, y_pred, groups, group_a, group_b)[0]
    tables = confusion_matrix_by_group(y_true, y_pred, groups=groups, labels=[0, 1])
    index = {g: i for i, g in enumerate(tables.groups.tolist())}
    variance = 0.0
    for g in (group_a, group_b):
        positives = tables.tables[index[g], 1].sum()
        rate = tables.tables[index[g], 1, 1] / positives
        variance += rate * (1 - rate) / positives
    half = Z_95 * np.sqrt(variance)
    return gap, gap - half, gap + half


QUESTIONS = (q1, q2, q3, q4)
