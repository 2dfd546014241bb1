"""Checks for exercises/07_multilabel_and_pitfalls.ipynb: per-label counts, the 'samples' F1, multilabel averages."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.confusion import multilabel_confusion_matrix
from course_lib.metrics.scores import f1_score

NOTEBOOK = "07_multilabel_and_pitfalls.ipynb"

# Lesson 07's photos (labels cat, dog, outdoor), and the same with an empty row added (nothing true, nothing predicted).
_PHOTOS_TRUE = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 1], [0, 0, 1], [1, 0, 0], [0, 1, 1]])
_PHOTOS_PRED = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 0, 1]])
_EMPTY_TRUE = np.vstack([_PHOTOS_TRUE, [0, 0, 0]])
_EMPTY_PRED = np.vstack([_PHOTOS_PRED, [0, 0, 0]])
# The blog post's tensors (lesson 07, section 4.4), and a case with a row whose prediction is empty.
_POST_TRUE = np.array([[1, 0, 0], [0, 1, 1], [1, 1, 1]])
_POST_PRED = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0]])
_MISSED_TRUE = np.array([[0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 1, 1]])
_MISSED_PRED = np.array([[0, 0, 0, 0], [1, 0, 0, 1], [0, 1, 1, 1]])


def _random_matrices(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indicator matrices with 1 to 12 rows and 2 to 6 labels; empty rows and rare labels are common."""
    n, n_labels = int(rng.integers(1, 13)), int(rng.integers(2, 7))
    rates = rng.uniform(0.05, 0.7, n_labels)
    y_true = (rng.random((n, n_labels)) < rates).astype(int)
    y_true[rng.integers(n), rng.integers(n_labels)] = 1  # some label is present somewhere: 'weighted' is defined
    flip = rng.random((n, n_labels)) < rng.uniform(0.05, 0.4)
    y_pred = np.where(flip, 1 - y_true, y_true)
    return y_true, y_pred


# --------------------------------------------------------------------------------------------------- q1 counts


def _per_label_confusion(y_true, y_pred):
    return multilabel_confusion_matrix(y_true, y_pred)


def _random_pair(rng: np.random.Generator) -> Args:
    return Args(*_random_matrices(rng))


q1 = Question(
    "q1",
    points=2,
    function="per_label_confusion",
    title="One 2 x 2 confusion matrix [[TN, FP], [FN, TP]] per label (column)",
    reference=_per_label_confusion,
    fixed=[
        Args(_PHOTOS_TRUE, _PHOTOS_PRED),
        Args(_POST_TRUE, _POST_PRED),
        Args(_MISSED_TRUE, _MISSED_PRED),
    ],
    random=_random_pair,
    hints=[
        "Each column is one binary problem. With 0/1 integers, TP per label is `(y_true * y_pred).sum(axis=0)`; "
        "FP uses `(1 - y_true) * y_pred`, FN `y_true * (1 - y_pred)`.",
        "TN = n_samples - TP - FP - FN. Stack the four counts as [[TN, FP], [FN, TP]] for each label: "
        "`np.stack([tn, fp, fn, tp], axis=1).reshape(-1, 2, 2)`.",
    ],
)


@q1.mistake(
    "Your 2 x 2 blocks use the textbook layout [[TP, FN], [FP, TN]]; scikit-learn's (and this question's) layout "
    "is [[TN, FP], [FN, TP]]: row = truth (0 then 1), column = prediction (0 then 1)."
)
def _textbook_layout(y_true, y_pred):
    return multilabel_confusion_matrix(y_true, y_pred)[:, ::-1, ::-1]


@q1.mistake(
    "FP and FN are swapped in your blocks: FP counts a label predicted but absent (truth 0, prediction 1), "
    "which sits in row 0 (truth), column 1 (prediction)."
)
def _fp_fn_swapped(y_true, y_pred):
    return multilabel_confusion_matrix(y_true, y_pred).transpose(0, 2, 1)


@q1.mistake(
    "You counted per sample (along each row), not per label: sum down the columns (`axis=0`), one block per label."
)
def _per_sample(y_true, y_pred):
    return multilabel_confusion_matrix(y_true, y_pred, samplewise=True)


# --------------------------------------------------------------------------------------------------- q2 samples F1


def _samples_f1(y_true, y_pred, zero_division=0.0):
    return f1_score(y_true, y_pred, average="samples", zero_division=zero_division)


def _random_samples_case(rng: np.random.Generator) -> Args:
    y_true, y_pred = _random_matrices(rng)
    if rng.random() < 0.4:  # make sure an empty row (0/0) shows up often
        row = int(rng.integers(len(y_true)))
        y_true[row], y_pred[row] = 0, 0
    return Args(y_true, y_pred, zero_division=float(rng.choice([0.0, 1.0])))


q2 = Question(
    "q2",
    points=3,
    function="samples_f1",
    title="The 'samples' average: F1 of each row, averaged over the rows (zero_division for empty rows)",
    reference=_samples_f1,
    fixed=[
        Args(_PHOTOS_TRUE, _PHOTOS_PRED),
        Args(_EMPTY_TRUE, _EMPTY_PRED, zero_division=0.0),
        Args(_EMPTY_TRUE, _EMPTY_PRED, zero_division=1.0),
        Args(_MISSED_TRUE, _MISSED_PRED, zero_division=1.0),
    ],
    random=_random_samples_case,
    hints=[
        "Per row: F1 = 2 |true ∩ predicted| / (|true| + |predicted|). With 0/1 arrays, |true ∩ predicted| of every "
        "row is `(y_true * y_pred).sum(axis=1)`.",
        "A row with no true and no predicted label has 0/0: use `zero_division` for it, and keep it in the mean.",
    ],
)


@q2.mistake(
    "That is micro F1 (TP, FP and FN pooled over the whole matrix). 'samples' scores each row on its own, then "
    "averages the rows."
)
def _micro(y_true, y_pred, zero_division=0.0):
    return f1_score(y_true, y_pred, average="micro", zero_division=zero_division)


@q2.mistake(
    "That is macro F1 over the labels (columns). 'samples' scores each row (each sample) on its own, then "
    "averages the rows."
)
def _macro(y_true, y_pred, zero_division=0.0):
    return f1_score(y_true, y_pred, average="macro", zero_division=zero_division)


@q2.mistake(
    "You left the rows with no true and no predicted label out of the mean. They count: each scores "
    "`zero_division` (0/0), and the mean is over all rows."
)
def _empty_rows_skipped(y_true, y_pred, zero_division=0.0):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    keep = (y_true.sum(axis=1) + y_pred.sum(axis=1)) > 0
    if not keep.any():
        return float(zero_division)
    return f1_score(y_true[keep], y_pred[keep], average="samples", zero_division=zero_division)


@q2.mistake(
    "You argmax-ed the rows, which keeps one label per sample (the first one switched on) and throws the rest "
    "away. Multilabel rows must be scored as sets of labels."
)
def _argmaxed(y_true, y_pred, zero_division=0.0):
    t, p = np.asarray(y_true).argmax(axis=1), np.asarray(y_pred).argmax(axis=1)
    return float(np.mean(t == p))


# --------------------------------------------------------------------------------------------------- q3 averages


def _multilabel_f1(y_true, y_pred, average):
    return f1_score(y_true, y_pred, average=average, zero_division=0.0)


def _random_average_case(rng: np.random.Generator) -> Args:
    return Args(*_random_matrices(rng), str(rng.choice(["micro", "macro", "weighted"])))


q3 = Question(
    "q3",
    points=2,
    function="multilabel_f1",
    title="Multilabel F1 with average='micro', 'macro' or 'weighted' (0 for a 0/0)",
    reference=_multilabel_f1,
    fixed=[
        Args(_PHOTOS_TRUE, _PHOTOS_PRED, "micro"),
        Args(_PHOTOS_TRUE, _PHOTOS_PRED, "macro"),
        Args(_PHOTOS_TRUE, _PHOTOS_PRED, "weighted"),
        Args(_MISSED_TRUE, _MISSED_PRED, "macro"),
        Args(_MISSED_TRUE, _MISSED_PRED, "weighted"),
    ],
    random=_random_average_case,
    hints=[
        "Count TP, FP and FN per label (your q1). micro: one F1 from the summed counts; macro: the mean of the "
        "per-label F1; weighted: their mean weighted by each label's support TP + FN.",
        "Per-label F1 = 2 TP / (2 TP + FP + FN), 0 where that denominator is 0.",
    ],
)


@q3.mistake(
    "You scored the matrix cells as if each were one sample of a two-class problem (the micro answer is then the "
    "share of correct cells, 1 - Hamming loss). That is what a multiclass metric does to multilabel tensors "
    "(lesson 07, 4.4). Count TP, FP and FN per label instead; true negatives play no part in F1."
)
def _cells_as_samples(y_true, y_pred, average):
    cells_true, cells_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    return f1_score(cells_true, cells_pred, labels=[0, 1], average=average, zero_division=0.0)


@q3.mistake("Your function always returns the micro average; `average` must select micro, macro or weighted.")
def _always_micro(y_true, y_pred, average):
    return f1_score(y_true, y_pred, average="micro", zero_division=0.0)


@q3.mistake(
    "For 'weighted' you weighted each label by how often it was *predicted*. The weight is the support: how often "
    "the label is truly present (TP + FN)."
)
def _weighted_by_predictions(y_true, y_pred, average):
    if average != "weighted":
        return _multilabel_f1(y_true, y_pred, average)
    y_pred = np.asarray(y_pred)
    per_label = f1_score(y_true, y_pred, average=None, zero_division=0.0)
    predicted = y_pred.sum(axis=0)
    return float(np.average(per_label, weights=predicted)) if predicted.sum() else 0.0


QUESTIONS = (q1, q2, q3)
