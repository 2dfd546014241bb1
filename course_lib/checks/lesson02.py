"""Checks for exercises/02_confusion_matrix.ipynb: thresholding, the four counts, two layouts, reading a layout."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.confusion import binary_counts, confusion_matrix
from course_lib.teaching.datasets import three_class_samples, twenty_samples

NOTEBOOK = "02_confusion_matrix.ipynb"

_TWENTY_TRUE, _TWENTY_SCORE = twenty_samples()
_TWENTY_PRED = (_TWENTY_SCORE >= 0.5).astype(int)
_TWELVE_TRUE, _TWELVE_PRED = three_class_samples()


def _binary_pair(rng: np.random.Generator) -> Args:
    """Labels and predictions of a random binary classifier; sometimes one class is missing."""
    n = int(rng.integers(1, 31))
    y_true = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(int)
    kind = rng.random()
    if kind < 0.1:
        y_pred = np.zeros(n, dtype=int)  # predicts nothing positive
    elif kind < 0.2:
        y_pred = np.ones(n, dtype=int)
    else:
        y_pred = np.where(rng.random(n) < rng.uniform(0.1, 0.5), 1 - y_true, y_true)
    return Args(y_true, y_pred)


# ---------------------------------------------------------------------------------------------- q1 thresholding


def _predict(y_score, threshold):
    return (np.asarray(y_score, dtype=float) >= threshold).astype(int)


def _random_scores(rng: np.random.Generator) -> Args:
    """Scores on a 0.05 grid (so ties and scores exactly at the threshold are common)."""
    n = int(rng.integers(1, 31))
    y_score = np.round(rng.integers(0, 21, n) * 0.05, 2)
    threshold = float(rng.choice(y_score)) if rng.random() < 0.7 else float(np.round(rng.uniform(0, 1), 2))
    return Args(y_score, threshold)


q1 = Question(
    "q1",
    points=1,
    function="predict",
    title="Scores to predictions at a threshold",
    reference=_predict,
    fixed=[
        Args(_TWENTY_SCORE, 0.5),
        Args(np.array([0.2, 0.5, 0.7, 0.5]), 0.5),
        Args(np.array([0.1, 0.9]), 0.95),
    ],
    random=_random_scores,
    hints=[
        "Compare the whole array with the threshold at once: `y_score >= threshold` is an array of True/False.",
        "Turn True/False into 1/0 with `.astype(int)`.",
    ],
)


@q1.mistake(
    "A score exactly equal to the threshold must count as positive: use `>=` (score at least the threshold), not `>`."
)
def _strictly_greater(y_score, threshold):
    return _predict(y_score, np.nextafter(threshold, np.inf))


@q1.mistake("You predicted positive for scores *below* the threshold: the positive class is `score >= threshold`.")
def _inverted(y_score, threshold):
    return 1 - _predict(y_score, threshold)


# ------------------------------------------------------------------------------------------------ q2 four counts


def _count_outcomes(y_true, y_pred):
    tn, fp, fn, tp = binary_counts(y_true, y_pred)
    return tp, fp, tn, fn


q2 = Question(
    "q2",
    points=2,
    function="count_outcomes",
    title="TP, FP, TN, FN from scratch",
    reference=_count_outcomes,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED),
        Args(np.array([1, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 0])),
        Args(np.array([0, 0, 1]), np.array([0, 0, 0])),
    ],
    random=_binary_pair,
    hints=[
        "Make two boolean masks, `actual = y_true == 1` and `predicted = y_pred == 1`; each count is the number of "
        "samples where a combination of them holds (`np.sum(actual & predicted)` is TP).",
        "The first word says whether the model was right (True) or wrong (False), the second what it predicted: "
        "a false positive was predicted positive and is actually negative.",
    ],
)


@q2.mistake(
    "You swapped FP and FN. A false positive was *predicted* positive but is actually negative "
    "(`y_pred == 1` and `y_true == 0`); a false negative is the reverse."
)
def _fp_fn_swapped(y_true, y_pred):
    tp, fp, tn, fn = _count_outcomes(y_true, y_pred)
    return tp, fn, tn, fp


@q2.mistake(
    "You returned scikit-learn's `confusion_matrix(...).ravel()` order (tn, fp, fn, tp); this function returns "
    "(tp, fp, tn, fn)."
)
def _ravel_order(y_true, y_pred):
    return binary_counts(y_true, y_pred)


@q2.mistake("You treated class 0 as the positive class: the positive class is 1 (TP counts samples 1 predicted as 1).")
def _positive_is_zero(y_true, y_pred):
    tn, fp, fn, tp = binary_counts(y_true, y_pred, pos_label=0)
    return tp, fp, tn, fn


# ----------------------------------------------------------------------------------------- q3 textbook layout


def _textbook_matrix(y_true, y_pred):
    return confusion_matrix(y_true, y_pred, labels=[1, 0])


q3 = Question(
    "q3",
    points=1,
    function="textbook_matrix",
    title="The 2 x 2 matrix in the textbook's layout [[TP, FN], [FP, TN]]",
    reference=_textbook_matrix,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_PRED),
        Args(np.array([1, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 0])),
    ],
    random=_binary_pair,
    hints=[
        "Rows are the actual class, columns the predicted class, and the positive class comes first in both.",
        "With your four counts: `np.array([[tp, fn], [fp, tn]])`.",
    ],
)


@q3.mistake(
    "You returned scikit-learn's layout [[TN, FP], [FN, TP]] (classes sorted, 0 first). The textbook puts the "
    "positive class first: [[TP, FN], [FP, TN]]."
)
def _sklearn_layout(y_true, y_pred):
    return confusion_matrix(y_true, y_pred, labels=[0, 1])


@q3.mistake(
    "Your matrix is transposed: rows must be the *actual* class and columns the *predicted* class, "
    "so the first row is [TP, FN]."
)
def _transposed_textbook(y_true, y_pred):
    return _textbook_matrix(y_true, y_pred).T


# --------------------------------------------------------------------------------------------------- q4 layout


def _precision_recall_from_matrix(cm):
    tn, fp, fn, tp = (int(v) for v in np.asarray(cm).ravel())  # scikit-learn's layout [[TN, FP], [FN, TP]]
    return tp / (tp + fp), tp / (tp + fn)


def _random_matrix(rng: np.random.Generator) -> Args:
    """A 2 x 2 count matrix in scikit-learn's layout, every count at least 1 (no zero denominators)."""
    return Args(rng.integers(1, 60, size=(2, 2)))


q4 = Question(
    "q4",
    points=2,
    function="precision_recall_from_matrix",
    title="Precision and recall from a matrix in scikit-learn's layout",
    reference=_precision_recall_from_matrix,
    fixed=[
        Args(np.array([[6, 2], [3, 9]])),  # the 20 samples at threshold 0.5
        Args(np.array([[50, 1], [20, 4]])),
        Args(np.array([[1, 7], [1, 30]])),
    ],
    random=_random_matrix,
    hints=[
        "scikit-learn's layout is rows = actual class, columns = predicted class, class 0 first: "
        "`[[TN, FP], [FN, TP]]`, so `tn, fp, fn, tp = cm.ravel()`.",
        "Precision divides TP by the predicted positives (the second column), recall by the actual positives "
        "(the second row).",
    ],
)


@q4.mistake(
    "You unpacked the matrix in the textbook's layout (`tp, fn, fp, tn = cm.ravel()`), but it is scikit-learn's, "
    "`[[TN, FP], [FN, TP]]`: every name then holds the wrong count. Use `tn, fp, fn, tp = cm.ravel()`."
)
def _textbook_unpacking(cm):
    tp, fn, fp, tn = (int(v) for v in np.asarray(cm).ravel())
    return tp / (tp + fp), tp / (tp + fn)


@q4.mistake(
    "Your precision and recall are swapped, as if the rows were the predicted class. In scikit-learn's layout the "
    "rows are the actual class: precision divides TP by its column sum, recall by its row sum."
)
def _read_transposed(cm):
    precision, recall = _precision_recall_from_matrix(cm)
    return recall, precision


QUESTIONS = (q1, q2, q3, q4)
