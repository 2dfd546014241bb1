"""Checks for exercises/01_accuracy_paradox.ipynb: accuracy, the majority baseline, balanced accuracy,
and recall at a required precision (the flowchart's answer to "misses cost more")."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.agreement import balanced_accuracy_score
from course_lib.metrics.confusion import confusion_matrix
from course_lib.metrics.curves import precision_recall_curve
from course_lib.metrics.scores import accuracy_score
from course_lib.teaching.datasets import twenty_samples

NOTEBOOK = "01_accuracy_paradox.ipynb"

_TWENTY_TRUE, _TWENTY_SCORE = twenty_samples()
_TWENTY_PRED = (_TWENTY_SCORE >= 0.5).astype(int)
_FRAUD_TRUE = np.array([0] * 19 + [1])  # one fraud in twenty
_LAZY = np.zeros(20, dtype=int)  # the model that never flags anything


def _imbalanced(rng: np.random.Generator, n: int) -> np.ndarray:
    """Labels with a random positive rate (often rare, sometimes the majority), both classes present."""
    rate = float(rng.choice([0.05, 0.1, 0.3, 0.5, 0.7, 0.9]))
    y = (rng.random(n) < rate).astype(int)
    y[rng.choice(n, 2, replace=False)] = [0, 1]
    return y


def _predictions(rng: np.random.Generator, y_true: np.ndarray) -> np.ndarray:
    """A model that is right on a random share of the samples (sometimes a constant model)."""
    if rng.random() < 0.2:
        return np.full(len(y_true), int(rng.integers(0, 2)))
    flip = rng.random(len(y_true)) < rng.uniform(0.05, 0.5)
    return np.where(flip, 1 - y_true, y_true)


# ----------------------------------------------------------------------------------------------------- q1 accuracy


def _accuracy(y_true, y_pred):
    return accuracy_score(y_true, y_pred)


def _random_pair(rng: np.random.Generator) -> Args:
    y_true = _imbalanced(rng, int(rng.integers(3, 41)))
    return Args(y_true, _predictions(rng, y_true))


q1 = Question(
    "q1",
    points=1,
    function="accuracy",
    title="Accuracy from scratch",
    reference=_accuracy,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED),
        Args(_FRAUD_TRUE, _LAZY),
        Args(np.array([1, 0, 1]), np.array([1, 0, 1])),
        Args([0, 1, 1, 0], [1, 0, 0, 1]),
    ],
    random=_random_pair,
    hints=[
        "`y_true == y_pred` is an array of True/False, one per sample; True counts as 1 when you add it up.",
        "Accuracy is the fraction of samples predicted right: the number of matches divided by the number of samples.",
    ],
)


@q1.mistake(
    "You returned the number of correct predictions, not the fraction: divide by the number of samples, len(y_true)."
)
def _count_not_fraction(y_true, y_pred):
    return accuracy_score(y_true, y_pred, normalize=False)


@q1.mistake("You returned the error rate (the fraction of wrong predictions); accuracy is the fraction of right ones.")
def _error_rate(y_true, y_pred):
    return 1.0 - accuracy_score(y_true, y_pred)


@q1.mistake(
    "Integer division: `correct // n` rounds down to 0 unless every prediction is right. Use `/` for a fraction."
)
def _integer_division(y_true, y_pred):
    return accuracy_score(y_true, y_pred, normalize=False) // len(y_true)


# ------------------------------------------------------------------------------------------ q2 majority baseline


def _majority_baseline(y_true):
    y_true = np.asarray(y_true)
    majority = np.bincount(y_true).argmax()
    return accuracy_score(y_true, np.full(len(y_true), majority))


def _random_labels(rng: np.random.Generator) -> Args:
    return Args(_imbalanced(rng, int(rng.integers(3, 41))))


q2 = Question(
    "q2",
    points=2,
    function="majority_baseline_accuracy",
    title="The accuracy of always predicting the majority class",
    reference=_majority_baseline,
    fixed=[
        Args(_FRAUD_TRUE),
        Args(_TWENTY_TRUE),
        Args(np.array([1, 1, 1, 0])),
        Args(np.array([0, 1, 0, 1, 1])),
    ],
    random=_random_labels,
    hints=[
        "First find the majority class: count the 0s and the 1s (`np.bincount(y_true)` does both).",
        "A model that always answers the majority class is right on exactly the samples of that class, so its "
        "accuracy is (size of the majority class) / (number of samples).",
    ],
)


@q2.mistake(
    "You always predicted 0 (negative). That is the majority class only when negatives outnumber positives: "
    "find which class is more frequent in y_true first."
)
def _always_negative(y_true):
    return accuracy_score(y_true, np.zeros(len(y_true), dtype=int))


@q2.mistake("You predicted the least frequent class; the baseline predicts the most frequent one.")
def _minority(y_true):
    counts = np.bincount(np.asarray(y_true), minlength=2)
    return accuracy_score(y_true, np.full(len(y_true), counts.argmin()))


@q2.mistake("You returned the size of the majority class, not a fraction: divide by the number of samples.")
def _majority_count(y_true):
    return float(np.bincount(np.asarray(y_true)).max())


# ------------------------------------------------------------------------------------------ q3 balanced accuracy


def _balanced_accuracy(y_true, y_pred):
    return balanced_accuracy_score(y_true, y_pred)


q3 = Question(
    "q3",
    points=2,
    function="balanced_accuracy",
    title="Balanced accuracy: the mean of the recall of each class",
    reference=_balanced_accuracy,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED),
        Args(_FRAUD_TRUE, _LAZY),
        Args(np.array([0, 1, 0, 0, 1, 0]), np.array([0, 1, 0, 0, 0, 1])),
        Args(np.array([0, 0, 0, 1]), np.array([1, 1, 1, 1])),
    ],
    random=_random_pair,
    hints=[
        "Work out the recall of each class separately: of the samples that truly are class 1, which fraction did "
        "the model call 1? And of the true 0s, which fraction did it call 0?",
        "Balanced accuracy is the plain mean of those two rates, (TP / (TP + FN) + TN / (TN + FP)) / 2: the "
        "always-negative model gets (0 + 1) / 2 = 0.5 however rare the positives are.",
    ],
)


@q3.mistake(
    "This is plain accuracy, which the majority class dominates. Compute the recall of each class separately "
    "and average the two."
)
def _plain_accuracy(y_true, y_pred):
    return accuracy_score(y_true, y_pred)


@q3.mistake(
    "You averaged the true positive rate with the *false* positive rate FP / (FP + TN). The negative class's recall "
    "is the true negative rate, TN / (TN + FP)."
)
def _tpr_and_fpr(y_true, y_pred):
    (tn, fp), (fn, tp) = confusion_matrix(y_true, y_pred, labels=[0, 1])
    return (tp / (tp + fn) + fp / (fp + tn)) / 2


@q3.mistake(
    "You averaged the precision of each class (dividing by what the model *predicted*). Recall divides by what is "
    "*actually* in each class: TP / (TP + FN) and TN / (TN + FP)."
)
def _mean_precision(y_true, y_pred):
    (tn, fp), (fn, tp) = confusion_matrix(y_true, y_pred, labels=[0, 1])
    return (tp / (tp + fp) + tn / (tn + fn)) / 2


# ------------------------------------------------------------------------------------ q4 recall at a precision


def _recall_at_precision(y_true, y_score, min_precision):
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    return float(
        recall[precision >= min_precision].max()
    )  # the curve's last point (recall 0, precision 1) always qualifies


def _random_scores(rng: np.random.Generator) -> Args:
    """Both classes; scores on a 0.1 grid so ties are common; a required precision that is often hit exactly."""
    y_true = _imbalanced(rng, int(rng.integers(3, 30)))
    raw = rng.normal(loc=y_true * rng.uniform(0.0, 2.5), scale=1.0)
    y_score = np.round(np.round(10 / (1 + np.exp(-raw))) / 10, 1)
    return Args(y_true, y_score, float(rng.choice([0.2, 0.25, 0.5, 0.6, 2 / 3, 0.75, 0.8, 1.0])))


q4 = Question(
    "q4",
    points=2,
    function="recall_at_precision",
    title="Recall at a required precision: the best recall among thresholds whose precision is high enough",
    reference=_recall_at_precision,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_SCORE, 0.85),  # at 0.3: recall 1 with precision 0.8571
        Args(_TWENTY_TRUE, _TWENTY_SCORE, 0.9),
        Args(np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.7, 0.1]), 2 / 3),  # precision exactly at the floor
        Args(np.array([1, 1, 0, 0, 1]), np.array([0.9, 0.6, 0.6, 0.6, 0.2]), 0.75),  # a tie a threshold cannot split
        Args(np.array([0, 1]), np.array([0.9, 0.1]), 0.8),  # no threshold qualifies: recall 0
    ],
    random=_random_scores,
    hints=[
        "Try every distinct score as the threshold (`np.unique(y_score)`), predicting positive when `score >= t`; "
        "keep only thresholds whose precision TP / (TP + FP) is at least `min_precision`.",
        "Among those, return the largest recall TP / (TP + FN); if none qualifies, return 0.0 (flag nothing).",
    ],
)


@q4.mistake(
    "You returned the best recall over *all* thresholds, ignoring the required precision: flagging everything "
    "always reaches recall 1. Keep only the thresholds whose precision is at least `min_precision`."
)
def _floor_ignored(y_true, y_score, min_precision):
    return 1.0


@q4.mistake(
    "A threshold whose precision *equals* `min_precision` is allowed (at least, `>=`); you required strictly more."
)
def _strict_floor(y_true, y_score, min_precision):
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    return float(recall[precision > min_precision].max(initial=0.0))


@q4.mistake(
    "You evaluated one cut per sample, which splits tied scores: no threshold can flag one of two equal scores and "
    "not the other. Use the distinct scores as thresholds."
)
def _ties_split(y_true, y_score, min_precision):
    order = np.argsort(-np.asarray(y_score, dtype=float), kind="stable")
    hits = np.cumsum(np.asarray(y_true)[order] == 1)
    precision = hits / np.arange(1, len(order) + 1)
    recall = hits / hits[-1]
    ok = precision >= min_precision
    return float(recall[ok].max()) if ok.any() else 0.0


QUESTIONS = (q1, q2, q3, q4)
