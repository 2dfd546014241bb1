"""Checks for exercises/03_precision_recall_f1.ipynb: precision and recall, F-beta, a per-class report,
and the precision an F-beta target needs (a point on an iso-F-beta curve)."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.confusion import binary_counts
from course_lib.metrics.scores import fbeta_score, precision_recall_fscore_support, precision_score, recall_score
from course_lib.teaching.datasets import three_class_samples, twenty_samples
from course_lib.teaching.plots.iso_f1 import iso_fbeta_precision

NOTEBOOK = "03_precision_recall_f1.ipynb"

_TWENTY_TRUE, _TWENTY_SCORE = twenty_samples()
_TWENTY_PRED = (_TWENTY_SCORE >= 0.5).astype(int)
_NOTHING_PREDICTED = np.zeros(20, dtype=int)  # the threshold 0.96 of the lesson: no positive predictions
_TWELVE_TRUE, _TWELVE_PRED = three_class_samples()


def _binary_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random labels and predictions; zero denominators (nothing predicted, no positives) are frequent."""
    n = int(rng.integers(1, 25))
    y_true = (rng.random(n) < rng.uniform(0.1, 0.8)).astype(int)
    kind = rng.random()
    if kind < 0.2:
        y_pred = np.zeros(n, dtype=int)  # TP + FP = 0
    elif kind < 0.3:
        y_true = np.zeros(n, dtype=int)  # TP + FN = 0
        y_pred = (rng.random(n) < 0.3).astype(int)
    else:
        y_pred = np.where(rng.random(n) < rng.uniform(0.1, 0.6), 1 - y_true, y_true)
    return y_true, y_pred


def _zero_division(rng: np.random.Generator) -> float:
    return float(rng.choice([0.0, 1.0]))


# ------------------------------------------------------------------------------------ q1 precision and recall


def _precision_recall(y_true, y_pred, zero_division=0.0):
    return (
        precision_score(y_true, y_pred, zero_division=zero_division),
        recall_score(y_true, y_pred, zero_division=zero_division),
    )


def _random_q1(rng: np.random.Generator) -> Args:
    y_true, y_pred = _binary_pair(rng)
    return Args(y_true, y_pred, zero_division=_zero_division(rng))


q1 = Question(
    "q1",
    points=2,
    function="precision_recall",
    title="Precision and recall with a zero_division value",
    reference=_precision_recall,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED),
        Args(_TWENTY_TRUE, _NOTHING_PREDICTED),
        Args(_TWENTY_TRUE, _NOTHING_PREDICTED, zero_division=1.0),
        Args(np.array([0, 0, 0]), np.array([0, 1, 0]), zero_division=1.0),
        Args(np.array([1, 0, 1, 1]), np.array([1, 1, 0, 1])),
    ],
    random=_random_q1,
    hints=[
        "Count TP, FP and FN first, as in lesson 02. Precision = TP / (TP + FP), recall = TP / (TP + FN).",
        "Before each division test the denominator: `if tp + fp == 0: precision = zero_division`.",
    ],
    error_hints={
        "ZeroDivisionError": "A denominator was 0 (nothing predicted positive, or no actual positives): return "
        "`zero_division` for that score instead of dividing.",
    },
)


@q1.mistake(
    "You swapped precision and recall. Precision divides by what the model *predicted* positive (TP + FP); "
    "recall divides by what *is* positive (TP + FN)."
)
def _swapped(y_true, y_pred, zero_division=0.0):
    precision, recall = _precision_recall(y_true, y_pred, zero_division)
    return recall, precision


@q1.mistake(
    "You return NaN when a denominator is 0 (0 / 0 in NumPy). The convention is to return the `zero_division` "
    "argument there: test `tp + fp == 0` (and `tp + fn == 0`) before dividing."
)
def _nan_at_zero_division(y_true, y_pred, zero_division=0.0):
    return _precision_recall(y_true, y_pred, zero_division=np.nan)


@q1.mistake("When a denominator is 0 you always return 0: use the `zero_division` argument instead (it may be 1.0).")
def _ignores_zero_division(y_true, y_pred, zero_division=0.0):
    return _precision_recall(y_true, y_pred, zero_division=0.0)


@q1.mistake("Integer division: `tp // (tp + fp)` rounds down to 0 unless the score is perfect. Use `/` for a ratio.")
def _integer_division(y_true, y_pred, zero_division=0.0):
    _, fp, fn, tp = binary_counts(y_true, y_pred)
    precision = tp // (tp + fp) if tp + fp else zero_division
    recall = tp // (tp + fn) if tp + fn else zero_division
    return precision, recall


# ------------------------------------------------------------------------------------------------- q2 F-beta


def _fbeta(y_true, y_pred, beta=1.0, zero_division=0.0):
    return fbeta_score(y_true, y_pred, beta=beta, zero_division=zero_division)


def _random_q2(rng: np.random.Generator) -> Args:
    y_true, y_pred = _binary_pair(rng)
    return Args(y_true, y_pred, beta=float(rng.choice([0.5, 1.0, 2.0, 3.0])), zero_division=_zero_division(rng))


q2 = Question(
    "q2",
    points=2,
    function="fbeta",
    title="The F-beta score from the counts",
    reference=_fbeta,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED),
        Args(_TWENTY_TRUE, _TWENTY_PRED, beta=2.0),
        Args(_TWENTY_TRUE, _TWENTY_PRED, beta=0.5),
        Args(np.array([1, 1, 0]), np.array([0, 0, 1]), beta=2.0),  # TP = 0: precision = recall = 0
        Args(np.zeros(4, dtype=int), np.zeros(4, dtype=int), zero_division=1.0),  # nothing to find, nothing found
    ],
    random=_random_q2,
    hints=[
        "From the counts: F_beta = (1 + beta**2) * TP / ((1 + beta**2) * TP + beta**2 * FN + FP).",
        "That denominator is 0 only when TP = FP = FN = 0: return `zero_division` then. When TP = 0 but there are "
        "errors, F is simply 0.",
    ],
    error_hints={
        "ZeroDivisionError": "A denominator was 0. If you go through precision and recall, both are 0 when TP = 0, "
        "and 2PR / (P + R) is 0 / 0; the count formula avoids that.",
    },
)


@q2.mistake(
    "Square beta: F_beta = (1 + beta**2) TP / ((1 + beta**2) TP + beta**2 FN + FP). With beta itself, F2 weighs "
    "recall only twice, not four times, as much."
)
def _beta_not_squared(y_true, y_pred, beta=1.0, zero_division=0.0):
    return _fbeta(y_true, y_pred, beta=np.sqrt(beta), zero_division=zero_division)


@q2.mistake(
    "Your weights are the wrong way round: beta > 1 must favour *recall* (beta**2 multiplies FN), beta < 1 precision."
)
def _roles_swapped(y_true, y_pred, beta=1.0, zero_division=0.0):
    return _fbeta(y_true, y_pred, beta=1.0 / beta, zero_division=zero_division)


@q2.mistake(
    "You combined precision and recall with an ordinary average; F-beta is a weighted *harmonic* mean, "
    "(1 + beta**2) P R / (beta**2 P + R)."
)
def _arithmetic_mean(y_true, y_pred, beta=1.0, zero_division=0.0):
    precision, recall = _precision_recall(y_true, y_pred, zero_division)
    b2 = beta**2
    return (precision + b2 * recall) / (1 + b2)


@q2.mistake(
    "You return NaN when precision and recall are both 0 (TP = 0): (1 + beta**2) P R / (beta**2 P + R) is then "
    "0 / 0, but F is 0 there. Compute F from the counts, or return 0 when P + R == 0."
)
def _nan_when_tp_zero(y_true, y_pred, beta=1.0, zero_division=0.0):
    precision, recall = _precision_recall(y_true, y_pred, zero_division)
    b2 = beta**2
    denominator = b2 * precision + recall
    return (1 + b2) * precision * recall / denominator if denominator else float("nan")


@q2.mistake(
    "When TP = FP = FN = 0 you return NaN: the convention is to return `zero_division` (nothing to find and "
    "nothing found)."
)
def _nan_at_zero_division_f(y_true, y_pred, beta=1.0, zero_division=0.0):
    return _fbeta(y_true, y_pred, beta=beta, zero_division=np.nan)


# --------------------------------------------------------------------------------------- q3 per-class report


def _per_class_report(y_true, y_pred, labels):
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0.0
    )
    return np.column_stack([precision, recall, f1, support])


def _random_q3(rng: np.random.Generator) -> Args:
    k = int(rng.integers(2, 5))
    n = int(rng.integers(2, 30))
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.55, y_true, rng.integers(0, k, n))
    if rng.random() < 0.3:
        y_pred[y_pred == k - 1] = 0  # a class never predicted: its precision is 0 / 0
    labels = list(range(k))
    if rng.random() < 0.3:
        labels = [int(v) for v in rng.permutation(k)]  # the rows come in the order of `labels`
    return Args(y_true, y_pred, labels)


q3 = Question(
    "q3",
    points=2,
    function="per_class_report",
    title="classification_report as numbers: precision, recall, F1, support per class",
    reference=_per_class_report,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED, [0, 1]),
        Args(_TWELVE_TRUE, _TWELVE_PRED, [0, 1, 2]),
        Args(_TWELVE_TRUE, _TWELVE_PRED, [2, 0, 1]),
        Args(np.array([0, 1, 2, 2]), np.array([0, 0, 2, 2]), [0, 1, 2]),
    ],
    random=_random_q3,
    hints=[
        "Treat each label in turn as 'the positive class' (one vs rest) and reuse your binary counting: "
        "`actual = y_true == label`, `predicted = y_pred == label`.",
        "Support is the number of samples whose *true* class is the label. Stack the rows with `np.array(rows)`; "
        "an undefined ratio is 0 here.",
    ],
)


@q3.mistake(
    "Your support counts how often each label was *predicted*; support is the number of samples that truly "
    "belong to the class (its row sum in the confusion matrix)."
)
def _support_from_predictions(y_true, y_pred, labels):
    table = _per_class_report(y_true, y_pred, labels)
    table[:, 3] = [np.sum(np.asarray(y_pred) == label) for label in labels]
    return table


@q3.mistake(
    "You swapped precision and recall: for class k, precision divides by the samples *predicted* as k, recall by "
    "the samples that *are* k."
)
def _swapped_per_class(y_true, y_pred, labels):
    return _per_class_report(y_true, y_pred, labels)[:, [1, 0, 2, 3]]


@q3.mistake(
    "Your rows come in sorted order of the classes; they must follow the order of `labels` (row i describes labels[i])."
)
def _sorted_rows(y_true, y_pred, labels):
    return _per_class_report(y_true, y_pred, sorted(labels))


def _report_f1_from_p_r(y_true, y_pred, labels, zero_division):
    """The report a learner gets by computing F1 = 2PR / (P + R) in NumPy (0 / 0 is NaN)."""
    precision, recall, _, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=zero_division
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = 2 * precision * recall / (precision + recall)
    return np.column_stack([precision, recall, f1, support])


@q3.mistake(
    "Your F1 is NaN for a class whose precision and recall are both 0: 2PR / (P + R) is 0 / 0 there, but F1 is 0. "
    "Compute it from the counts, 2 TP / (2 TP + FP + FN), or test P + R == 0."
)
def _f1_nan_when_both_zero(y_true, y_pred, labels):
    return _report_f1_from_p_r(y_true, y_pred, labels, zero_division=0.0)


@q3.mistake("You have NaN where a class is never predicted (or never present); in this report an undefined ratio is 0.")
def _nan_per_class(y_true, y_pred, labels):
    return _report_f1_from_p_r(y_true, y_pred, labels, zero_division=np.nan)


# --------------------------------------------------------------------------------------------------- q4 iso-F-beta


def _precision_needed(recall, target, beta=1.0):
    return iso_fbeta_precision(recall, target, beta)


def _random_target(rng: np.random.Generator) -> Args:
    """Recall, target and beta; never a case whose answer is within 1e-9 of precision 1 (rounding decides those)."""
    while True:
        recall = float(rng.choice([0.05, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0]))
        target = float(rng.choice([0.2, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9]))
        beta = float(rng.choice([0.5, 1.0, 1.0, 2.0, 3.0]))
        b2 = beta**2
        denominator = (1 + b2) * recall - target * b2
        if abs(denominator) > 1e-9 and (denominator < 0 or abs(target * recall / denominator - 1) > 1e-9):
            return Args(recall, target, beta=beta)


q4 = Question(
    "q4",
    points=2,
    function="precision_needed",
    title="The precision an F-beta target needs at a given recall (a point on an iso-F-beta curve)",
    reference=_precision_needed,
    fixed=[
        Args(0.75, 18 / 23),  # lesson 03's model: precision 9/11
        Args(0.5, 0.5),  # on the diagonal: precision = recall = F1
        Args(1.0, 0.5),  # perfect recall still needs precision 1/3
        Args(0.3, 0.5),  # F1 = 0.5 needs recall above 1/3: no precision reaches it
        Args(0.6, 0.75, beta=2.0),
        Args(0.9, 0.6, beta=0.5),
    ],
    random=_random_target,
    hints=[
        "Start from F = (1 + b^2) p r / (b^2 p + r) with F, r and b known, multiply out, and collect the terms "
        "with p on one side.",
        "p = F r / ((1 + b^2) r - F b^2). If the denominator is not positive, or p comes out above 1, no precision "
        "reaches the target at that recall: return `np.nan`.",
    ],
)


@q4.mistake(
    "You solved as if F were the arithmetic mean of precision and recall (p = 2F - r). F1 is the harmonic mean, "
    "which follows the smaller of the two: solve F = 2pr / (p + r) for p instead."
)
def _arithmetic_mean(recall, target, beta=1.0):
    p = 2 * target - recall
    return p if 0 <= p <= 1 else float("nan")


@q4.mistake(
    "Your answer is right for F1 but ignores `beta`: with b = beta, F-beta = (1 + b^2) p r / (b^2 p + r); "
    "solve that for p."
)
def _beta_ignored(recall, target, beta=1.0):
    return iso_fbeta_precision(recall, target, 1.0)


@q4.mistake(
    "Where no precision can reach the target you return a number outside [0, 1] (or infinity). Precision cannot "
    "exceed 1: return `np.nan` when the formula's denominator is not positive or p > 1."
)
def _unreachable_not_nan(recall, target, beta=1.0):
    b2 = beta**2
    denominator = (1 + b2) * recall - target * b2
    if denominator == 0:
        return float("inf")
    return target * recall / denominator


QUESTIONS = (q1, q2, q3, q4)
