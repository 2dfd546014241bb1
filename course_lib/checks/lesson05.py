"""Checks for exercises/05_roc_pr_curves.ipynb: ROC points, ROC-AUC by counting pairs, average precision,
and precision from the two rates and the prevalence."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.curves import auc, average_precision_score, precision_recall_curve, roc_auc_score, roc_curve
from course_lib.teaching.datasets import eight_samples

NOTEBOOK = "05_roc_pr_curves.ipynb"

_EIGHT_TRUE, _EIGHT_SCORE = eight_samples()

# Ties between a positive and a negative (0.7, 0.4), a tie inside one class (0.9) and a zig-zag PR curve.
_TIED_TRUE = np.array([1, 1, 1, 0, 0, 1, 0, 0, 1, 0])
_TIED_SCORE = np.array([0.9, 0.9, 0.7, 0.7, 0.7, 0.4, 0.4, 0.2, 0.1, 0.05])

_CASES = [
    Args(_EIGHT_TRUE, _EIGHT_SCORE),
    Args(_TIED_TRUE, _TIED_SCORE),
    Args(np.array([0, 1, 0, 1]), np.array([0.5, 0.5, 0.5, 0.5])),  # every pair tied: AUC 0.5
    Args(np.array([1, 0, 0]), np.array([0.2, 0.6, 0.9])),  # a perfectly wrong ranking
    Args(np.array([1, 0, 0, 1, 1]), np.array([0.9, 0.8, 0.7, 0.6, 0.5])),  # precision rises again after a dip
]


def _random_case(rng: np.random.Generator) -> Args:
    """Both classes present; scores on a 0.05 grid so ties are frequent; sometimes very few positives."""
    n = int(rng.integers(2, 40))
    y_true = (rng.random(n) < rng.uniform(0.1, 0.7)).astype(int)
    y_true[rng.choice(n, 2, replace=False)] = [0, 1]
    raw = rng.normal(loc=y_true * rng.uniform(-0.5, 2.5), scale=1.0)
    y_score = np.round(np.round(20 / (1 + np.exp(-raw))) / 20, 2)
    return Args(y_true, y_score)


# --------------------------------------------------------------------------------------------------- q1 ROC points


def _roc_points(y_true, y_score):
    fpr, tpr, _ = roc_curve(y_true, y_score, drop_intermediate=False)
    return fpr, tpr


q1 = Question(
    "q1",
    points=2,
    function="roc_points",
    title="The ROC curve's points: (FPR, TPR) from (0, 0), one per distinct score",
    reference=_roc_points,
    fixed=_CASES,
    random=_random_case,
    hints=[
        "Thresholds: `np.inf` first (nothing predicted positive), then every distinct score from high to low "
        "(`np.unique(y_score)[::-1]`). At each threshold t predict `y_score >= t` and count TP and FP.",
        "TPR = TP / P and FPR = FP / N, where P and N count the positives and negatives of y_true. "
        "Return the two arrays as `(fpr, tpr)`.",
    ],
)


@q1.mistake(
    "Your curve has one point per sample, but tied scores are one threshold: a classifier cannot put one of two "
    "equal scores above the cut and the other below. Use the distinct scores (`np.unique`) as thresholds."
)
def _one_point_per_sample(y_true, y_score):
    order = np.argsort(-np.asarray(y_score), kind="stable")
    positive = np.asarray(y_true)[order] == 1
    tp = np.concatenate([[0], np.cumsum(positive)])
    fp = np.concatenate([[0], np.cumsum(~positive)])
    return fp / fp[-1], tp / tp[-1]


@q1.mistake(
    "Your curve misses its first point (0, 0): the threshold above every score (`np.inf`) predicts nothing "
    "positive and belongs to the curve too."
)
def _no_origin(y_true, y_score):
    fpr, tpr = _roc_points(y_true, y_score)
    return fpr[1:], tpr[1:]


@q1.mistake(
    "A score equal to the threshold must count as positive: with `y_score > t` every point is shifted one threshold "
    "along and the curve never reaches (1, 1). Use `y_score >= t`."
)
def _strictly_greater(y_true, y_score):
    fpr, tpr = _roc_points(y_true, y_score)
    return np.concatenate([[0.0], fpr[:-1]]), np.concatenate([[0.0], tpr[:-1]])


@q1.mistake("You returned (tpr, fpr); the order is (fpr, tpr): x-axis first, like `roc_curve`.")
def _swapped(y_true, y_score):
    fpr, tpr = _roc_points(y_true, y_score)
    return tpr, fpr


# --------------------------------------------------------------------------------------------------- q2 AUC by pairs


def _roc_auc_by_pairs(y_true, y_score):
    return roc_auc_score(y_true, y_score)


q2 = Question(
    "q2",
    points=2,
    function="roc_auc_by_pairs",
    title="ROC-AUC as the share of positive-negative pairs ranked correctly (ties count 1/2)",
    reference=_roc_auc_by_pairs,
    fixed=_CASES,
    random=_random_case,
    hints=[
        "Take the positives' scores and the negatives' scores; compare every positive with every negative at once "
        "with broadcasting: `pos[:, None] > neg[None, :]` is a P x N table.",
        "AUC = (number of wins + 0.5 * number of ties) / (P * N).",
    ],
)


def _pair_counts(y_true, y_score):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=float)
    pos, neg = y_score[y_true == 1], y_score[y_true == 0]
    wins = np.sum(pos[:, None] > neg[None, :])
    ties = np.sum(pos[:, None] == neg[None, :])
    return wins, ties, len(pos) * len(neg)


@q2.mistake(
    "Tied pairs count as losses in your count. A tie is a coin flip for the ranking: count it as one half "
    "(that is what makes the pair count equal the trapezoid area under the ROC curve)."
)
def _ties_as_losses(y_true, y_score):
    wins, _, pairs = _pair_counts(y_true, y_score)
    return wins / pairs


@q2.mistake("Tied pairs count as wins in your count (`>=` instead of `>`). A tie is a coin flip: count it as one half.")
def _ties_as_wins(y_true, y_score):
    wins, ties, pairs = _pair_counts(y_true, y_score)
    return (wins + ties) / pairs


@q2.mistake(
    "You counted the pairs where the *negative* scores higher, which is 1 - AUC. ROC-AUC is the probability that "
    "the positive of a pair outscores the negative."
)
def _negative_wins(y_true, y_score):
    return 1 - roc_auc_score(y_true, y_score)


# --------------------------------------------------------------------------------------------------- q3 AP


def _average_precision(y_true, y_score):
    return average_precision_score(y_true, y_score)


q3 = Question(
    "q3",
    points=3,
    function="average_precision",
    title="Average precision with the step rule: sum of (R_n - R_n-1) * P_n",
    reference=_average_precision,
    fixed=_CASES,
    random=_random_case,
    hints=[
        "Sweep the distinct scores from high to low as thresholds (as in q1) and compute precision and recall at "
        "each; recall starts from 0 above every score.",
        "AP = sum over the thresholds of (recall gained at this threshold) * (precision at this threshold): "
        "`np.sum(np.diff(recall) * precision[1:])` when both arrays start above every score. "
        "No trapezoid, no interpolation.",
    ],
)


def _sweep_high_to_low(y_true, y_score):
    """(precision, recall) per distinct threshold from high to low, starting at recall 0."""
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    return precision[::-1], recall[::-1]


@q3.mistake(
    "You integrated the PR curve with the trapezoid rule (`np.trapezoid` / `auc`). A straight line between two "
    "PR points is not a curve any classifier achieves; AP pays each gain in recall at the precision reached there: "
    "sum of (R_n - R_n-1) * P_n."
)
def _trapezoid(y_true, y_score):
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    return auc(recall, precision)


@q3.mistake(
    "You interpolated precision (the best precision at any higher recall, as in PASCAL VOC's AP). The step rule "
    "uses the precision at each threshold as it is, without taking a maximum."
)
def _interpolated(y_true, y_score):
    precision, recall = _sweep_high_to_low(y_true, y_score)
    best_to_the_right = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall) * best_to_the_right[1:]))


@q3.mistake(
    "You averaged the precision over all thresholds. AP weights each threshold by the recall it adds, so "
    "thresholds that only add false positives (no new recall) count zero."
)
def _plain_mean(y_true, y_score):
    precision, _ = _sweep_high_to_low(y_true, y_score)
    return float(np.mean(precision[1:]))


# --------------------------------------------------------------------------------------------------- q4 prevalence


def _precision_at_prevalence(tpr, fpr, prevalence):
    tpr, fpr, prevalence = (np.asarray(v, dtype=float) for v in (tpr, fpr, prevalence))
    return prevalence * tpr / (prevalence * tpr + (1 - prevalence) * fpr)


def _random_rates(rng: np.random.Generator) -> Args:
    tpr = float(rng.choice([0.1, 0.5, 0.8, 0.8413, 0.95, 1.0]))
    fpr = float(rng.choice([0.01, 0.05, 0.1587, 0.3, 0.5]))
    prevalence = np.round(rng.choice([0.5, 0.2, 0.1, 0.05, 0.01, 0.001], int(rng.integers(1, 5))), 3)
    return Args(tpr, fpr, prevalence)


q4 = Question(
    "q4",
    points=2,
    function="precision_at_prevalence",
    title="Precision from TPR, FPR and the share of positives",
    reference=_precision_at_prevalence,
    fixed=[
        Args(0.8413, 0.1587, np.array([0.5, 0.01])),  # the lesson's threshold at logit 1: 0.8413 and 0.0508
        Args(0.9, 0.05, np.array([0.1])),
        Args(1.0, 0.5, np.array([0.5, 0.2, 0.01])),
        Args(0.3, 0.3, np.array([0.25, 0.75])),  # TPR = FPR: a random classifier's precision is the prevalence
    ],
    random=_random_rates,
    hints=[
        "Out of n samples, pi n are positive and (1 - pi) n negative. The true positives are TPR of the first group, "
        "the false positives FPR of the second.",
        "precision = TP / (TP + FP) = pi TPR / (pi TPR + (1 - pi) FPR); n cancels. NumPy arithmetic works on the "
        "whole `prevalence` array at once.",
    ],
)


@q4.mistake(
    "Your precision does not change with the prevalence: TPR / (TPR + FPR) is the precision at 50 % positives "
    "only. Weigh TPR by the share of positives pi and FPR by the share of negatives 1 - pi."
)
def _prevalence_ignored(tpr, fpr, prevalence):
    return _precision_at_prevalence(tpr, fpr, np.full(np.shape(prevalence), 0.5))


@q4.mistake(
    "You weighed the rates the wrong way round: TPR is a rate among the *positives* (weight pi), FPR a rate among "
    "the *negatives* (weight 1 - pi)."
)
def _weights_swapped(tpr, fpr, prevalence):
    return _precision_at_prevalence(tpr, fpr, 1 - np.asarray(prevalence, dtype=float))


@q4.mistake(
    "You divided by TPR + FPR instead of by the expected number of flagged samples, pi TPR + (1 - pi) FPR: "
    "precision = pi TPR / (pi TPR + (1 - pi) FPR)."
)
def _unweighted_denominator(tpr, fpr, prevalence):
    prevalence = np.asarray(prevalence, dtype=float)
    return prevalence * tpr / (tpr + fpr)


QUESTIONS = (q1, q2, q3, q4)
