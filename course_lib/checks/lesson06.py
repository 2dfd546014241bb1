"""Checks for exercises/06_multiclass_averaging.ipynb: the K x K confusion matrix, per-class F1, macro and micro F1."""

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


# --------------------------------------------------------------------------------------------------- q4 micro F1


def _micro_f1(y_true, y_pred, labels):
    return f1_score(y_true, y_pred, labels=list(labels), average="micro", zero_division=0.0)


def _random_labels_case(rng: np.random.Generator) -> Args:
    """As for q1-q3, with `labels` all the classes (half the time) or a random non-empty subset of them."""
    y_true, y_pred, n_classes = _random_case(rng).args
    if rng.random() < 0.5:
        labels = list(range(n_classes))
    else:
        size = int(rng.integers(1, n_classes))
        labels = sorted(int(k) for k in rng.choice(n_classes, size, replace=False))
    return Args(y_true, y_pred, labels)


_ALWAYS_ZERO_TRUE = np.repeat([0, 1, 2], [90, 5, 5])

q4 = Question(
    "q4",
    points=2,
    function="micro_f1",
    title="Micro F1 over the classes in `labels` (equal to the accuracy only when every class is in)",
    reference=_micro_f1,
    fixed=[
        Args(_TWELVE_TRUE, _TWELVE_PRED, [0, 1, 2]),
        Args(_TWELVE_TRUE, _TWELVE_PRED, [1, 2]),
        Args(_ALWAYS_ZERO_TRUE, np.zeros(100, dtype=int), [0, 1, 2]),
        Args(_ALWAYS_ZERO_TRUE, np.zeros(100, dtype=int), [1, 2]),  # nothing found, nothing predicted: 0
        Args(np.array([0, 0, 1, 3]), np.array([1, 1, 1, 3]), [0, 2]),  # 0/0 over these labels: 0
    ],
    random=_random_labels_case,
    hints=[
        "For each class k in `labels`: TP = C[k, k], FP = column k minus TP, FN = row k minus TP. Add them up over "
        "the classes in `labels` only, then F1 = 2 TP / (2 TP + FP + FN) once (0 if that is 0/0).",
        "With every class in `labels` the sums give TP = hits and FP = FN = mistakes, so the answer is the accuracy; "
        "leave a class out and its mistakes no longer cancel.",
    ],
)


@q4.mistake(
    "You returned the accuracy. That equals micro F1 only when every class is in the sum; with `labels` a subset, "
    "the mistakes into and out of the left-out classes no longer cancel. Pool TP, FP and FN over `labels` only."
)
def _accuracy_whatever_labels(y_true, y_pred, labels):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


@q4.mistake(
    "That is macro F1 over `labels` (the mean of the per-class F1 values). Micro pools the counts first: sum TP, FP "
    "and FN over the classes, then compute one F1."
)
def _macro_instead(y_true, y_pred, labels):
    return f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0.0)


@q4.mistake(
    "You pooled the true negatives too: (TP + TN) / (TP + TN + FP + FN) over the one-vs-rest problems is the "
    "accuracy of n x K yes/no cells, inflated by the easy negatives. Micro F1 is 2 TP / (2 TP + FP + FN)."
)
def _one_vs_rest_cell_accuracy(y_true, y_pred, labels):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    right = sum(np.sum((y_true == k) == (y_pred == k)) for k in labels)
    return float(right / (len(y_true) * len(labels)))


QUESTIONS = (q1, q2, q3, q4)
