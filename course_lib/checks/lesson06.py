"""Checks for exercises/06_multiclass_averaging.ipynb: the K x K confusion matrix, per-class F1, macro F1."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.confusion import confusion_matrix
from course_lib.metrics.scores import f1_score, precision_recall_fscore_support
from course_lib.teaching.datasets import three_class_samples

NOTEBOOK = "06_multiclass_averaging.ipynb"

_TWELVE_TRUE, _TWELVE_PRED = three_class_samples()

_CASES = [
    Args(_TWELVE_TRUE, _TWELVE_PRED, 3),
    Args(np.repeat([0, 1, 2], [9, 1, 2]), np.array([0] * 9 + [0] + [2, 0]), 3),  # a majority-class model
    Args(np.array([1, 2, 1, 2]), np.array([1, 2, 2, 2]), 4),  # classes 0 and 3 never occur
    Args(np.array([0, 0, 1, 3]), np.array([1, 1, 1, 3]), 4),  # class 0 never predicted, class 2 absent
]


def _random_case(rng: np.random.Generator) -> Args:
    """K from 2 to 6, often imbalanced, sometimes a class absent from both arrays."""
    n_classes = int(rng.integers(2, 7))
    n = int(rng.integers(1, 40))
    weights = rng.dirichlet(np.full(n_classes, rng.choice([0.3, 1.0, 5.0])))
    y_true = rng.choice(n_classes, n, p=weights)
    right = rng.random(n) < rng.uniform(0.3, 0.9)
    y_pred = np.where(right, y_true, rng.choice(n_classes, n, p=weights))
    return Args(y_true, y_pred, n_classes)


def _labels(n_classes):
    return np.arange(n_classes)


# --------------------------------------------------------------------------------------------------- q1 confusion


def _confusion_matrix_k(y_true, y_pred, n_classes):
    return confusion_matrix(y_true, y_pred, labels=_labels(n_classes))


q1 = Question(
    "q1",
    points=2,
    function="confusion_matrix_k",
    title="The K x K confusion matrix (rows = true class, columns = predicted class)",
    reference=_confusion_matrix_k,
    fixed=_CASES,
    random=_random_case,
    hints=[
        "Start from `np.zeros((n_classes, n_classes), dtype=int)` and add 1 at (true, predicted) for every sample.",
        "`C[y_true, y_pred] += 1` counts a repeated pair only once; `np.add.at(C, (y_true, y_pred), 1)` counts "
        "every sample (so does a plain loop over the pairs).",
    ],
)


@q1.mistake(
    "Your matrix is transposed: rows must be the true class and columns the prediction (scikit-learn's "
    "orientation), so row k sums to the support of class k."
)
def _transposed(y_true, y_pred, n_classes):
    return _confusion_matrix_k(y_true, y_pred, n_classes).T


@q1.mistake(
    "Your matrix holds 1 wherever a pair occurs, not how often: `C[y_true, y_pred] += 1` with repeated pairs adds "
    "1 only once per distinct pair. Use `np.add.at(C, (y_true, y_pred), 1)` or a loop."
)
def _fancy_index_increment(y_true, y_pred, n_classes):
    return (_confusion_matrix_k(y_true, y_pred, n_classes) > 0).astype(int)


# --------------------------------------------------------------------------------------------------- q2 per-class F1


def _per_class_f1(y_true, y_pred, n_classes):
    return f1_score(y_true, y_pred, labels=_labels(n_classes), average=None, zero_division=0.0)


q2 = Question(
    "q2",
    points=2,
    function="per_class_f1",
    title="One-vs-rest F1 for every class (0 where a class has no true and no predicted sample)",
    reference=_per_class_f1,
    fixed=_CASES,
    random=_random_case,
    hints=[
        "From your confusion matrix C: TP = the diagonal, FP = column sums minus TP, FN = row sums minus TP.",
        "F1 = 2 TP / (2 TP + FP + FN) per class; where the denominator is 0 (the class never occurs and is never "
        "predicted) return 0.",
    ],
)


@q2.mistake(
    "NaN for a class that never occurs and is never predicted: its F1 is 0/0. The convention asked for here "
    "(zero_division=0) is 0; compute F1 as 2 TP / (2 TP + FP + FN) and put 0 where the denominator is 0."
)
def _nan_for_absent_class(y_true, y_pred, n_classes):
    return f1_score(y_true, y_pred, labels=_labels(n_classes), average=None, zero_division=np.nan)


@q2.mistake(
    "You returned per-class precision (TP / (TP + FP), the column view), not F1, which combines precision and "
    "recall: 2 TP / (2 TP + FP + FN)."
)
def _precision_only(y_true, y_pred, n_classes):
    return precision_recall_fscore_support(y_true, y_pred, labels=_labels(n_classes), zero_division=0.0)[0]


@q2.mistake(
    "You returned per-class recall (TP / (TP + FN), the row view), not F1, which combines precision and recall: "
    "2 TP / (2 TP + FP + FN)."
)
def _recall_only(y_true, y_pred, n_classes):
    return precision_recall_fscore_support(y_true, y_pred, labels=_labels(n_classes), zero_division=0.0)[1]


# --------------------------------------------------------------------------------------------------- q3 macro F1


def _macro_f1(y_true, y_pred, n_classes):
    return f1_score(y_true, y_pred, labels=_labels(n_classes), average="macro", zero_division=0.0)


q3 = Question(
    "q3",
    points=2,
    function="macro_f1",
    title="Macro F1: the plain mean of the per-class F1 over all n_classes classes",
    reference=_macro_f1,
    fixed=_CASES,
    random=_random_case,
    hints=[
        "Macro averaging gives every class one vote: the mean of the K per-class F1 values (your q2).",
        "All n_classes classes count, including one that never occurs (its F1 is 0 here).",
    ],
)


@q3.mistake(
    "That is micro F1 (pooled TP, FP and FN), which for single-label data equals the accuracy and follows the "
    "majority class. Macro asks for the mean of the per-class F1 values."
)
def _micro(y_true, y_pred, n_classes):
    return f1_score(y_true, y_pred, labels=_labels(n_classes), average="micro", zero_division=0.0)


@q3.mistake(
    "You weighted each class's F1 by its support (that is the 'weighted' average). Macro gives every class the "
    "same weight: a plain mean."
)
def _weighted(y_true, y_pred, n_classes):
    return f1_score(y_true, y_pred, labels=_labels(n_classes), average="weighted", zero_division=0.0)


@q3.mistake(
    "You averaged only over the classes that occur in y_true or y_pred (scikit-learn's default labels, and "
    "torchmetrics' macro). Here all n_classes classes count, an absent one with F1 = 0."
)
def _present_classes_only(y_true, y_pred, n_classes):
    return f1_score(y_true, y_pred, average="macro", zero_division=0.0)


@q3.mistake(
    "You took the harmonic mean of macro precision and macro recall. Macro F1 is the mean of the per-class F1 "
    "values; the two are different numbers in general."
)
def _f1_of_macro_precision_and_recall(y_true, y_pred, n_classes):
    p, r, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=_labels(n_classes), average="macro", zero_division=0.0
    )
    return 2 * p * r / (p + r) if p + r else 0.0


QUESTIONS = (q1, q2, q3)
