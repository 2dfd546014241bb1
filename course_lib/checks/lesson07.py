"""Checks for exercises/07_multilabel_and_pitfalls.ipynb: multilabel counts and averages, and three library pitfalls."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.confusion import multilabel_confusion_matrix
from course_lib.metrics.scores import f1_score, precision_score

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


# --------------------------------------------------------------------------------------------------- q4 task=


def _micro_f1_for_task(y_true, y_pred, task):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if task == "multilabel":  # per-label counts, pooled over the labels
        return f1_score(y_true, y_pred, average="micro", zero_division=0.0)
    # task="multiclass" reads every cell as a class label: micro-F1 of the flattened cells, their agreement rate
    return f1_score(y_true.ravel(), y_pred.ravel(), average="micro", zero_division=0.0)


def _random_task_case(rng: np.random.Generator) -> Args:
    y_true, y_pred = _random_matrices(rng)
    return Args(y_true, y_pred, str(rng.choice(["multilabel", "multiclass"])))


q4 = Question(
    "q4",
    points=2,
    function="micro_f1_for_task",
    title="What torchmetrics' micro F1 computes on a 0/1 matrix for task='multilabel' and for task='multiclass'",
    reference=_micro_f1_for_task,
    fixed=[
        Args(_POST_TRUE, _POST_PRED, "multilabel"),
        Args(_POST_TRUE, _POST_PRED, "multiclass"),
        Args(_PHOTOS_TRUE, _PHOTOS_PRED, "multiclass"),
        Args(_MISSED_TRUE, _MISSED_PRED, "multilabel"),
        Args(_MISSED_TRUE, _MISSED_PRED, "multiclass"),
    ],
    random=_random_task_case,
    hints=[
        "task='multilabel': count TP, FP and FN over all cells, then micro F1 = 2 TP / (2 TP + FP + FN).",
        "task='multiclass' on an (N, C) integer matrix: every one of the N x C cells is a sample whose class is "
        "its value (0 or 1). Micro-F1 of single-label data is its accuracy: the fraction of cells that agree.",
    ],
)


@q4.mistake(
    "For task='multiclass' you returned the multilabel micro-F1. That is what the *right* task gives; the question "
    "is what the wrong one returns: torchmetrics reads each cell of the (N, C) matrix as a class label, so its micro "
    "F1 is the fraction of cells where truth and prediction agree."
)
def _task_ignored(y_true, y_pred, task):
    return _micro_f1_for_task(y_true, y_pred, "multilabel")


@q4.mistake(
    "For task='multilabel' you returned the agreement of the cells: that counts every correct 0 as a hit, which is "
    "what task='multiclass' does. Multilabel micro-F1 ignores true negatives: 2 TP / (2 TP + FP + FN)."
)
def _always_cells(y_true, y_pred, task):
    return _micro_f1_for_task(y_true, y_pred, "multiclass")


@q4.mistake(
    "You argmax-ed the rows first: that keeps only the first label switched on in each row (and turns an empty row "
    "into label 0), which neither task computes. Keep the matrix."
)
def _argmax_rows(y_true, y_pred, task):
    t, p = np.asarray(y_true).argmax(axis=1), np.asarray(y_pred).argmax(axis=1)
    return f1_score(t, p, average="micro")


# --------------------------------------------------------------------------------------------------- q5 zero_division


def _macro_precision(y_true, y_pred, n_classes, zero_division):
    labels = np.arange(n_classes)
    return precision_score(y_true, y_pred, labels=labels, average="macro", zero_division=zero_division)


def _random_zero_division_case(rng: np.random.Generator) -> Args:
    n_classes, n = int(rng.integers(2, 6)), int(rng.integers(1, 20))
    y_true = rng.integers(0, n_classes, n)
    y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, max(1, n_classes - 1), n))  # top class rarely hit
    return Args(y_true, y_pred, n_classes, float(rng.choice([0.0, 1.0, np.nan])))


q5 = Question(
    "q5",
    points=2,
    function="macro_precision",
    title="Macro precision over all classes with a zero_division rule (0, 1 or NaN = leave the class out)",
    reference=_macro_precision,
    fixed=[
        Args(np.array([0, 0, 1, 1, 2, 2]), np.array([1, 1, 1, 1, 2, 2]), 3, 0.0),  # lesson 07, section 4.6
        Args(np.array([0, 0, 1, 1, 2, 2]), np.array([1, 1, 1, 1, 2, 2]), 3, 1.0),
        Args(np.array([0, 0, 1, 1, 2, 2]), np.array([1, 1, 1, 1, 2, 2]), 3, np.nan),
        Args(np.array([2, 2, 1, 2]), np.array([1, 2, 1, 2]), 3, 0.0),  # class 0 occurs nowhere (section 4.6)
        Args(np.array([2, 2, 1, 2]), np.array([1, 2, 1, 2]), 3, 1.0),
        Args(np.array([2, 2, 1, 2]), np.array([1, 2, 1, 2]), 3, np.nan),
    ],
    random=_random_zero_division_case,
    hints=[
        "Per class k, precision = TP / (TP + FP), where TP + FP is how often k was predicted. A class never predicted "
        "has 0/0: its precision is `zero_division`.",
        "With zero_division=NaN, scikit-learn leaves such classes out of the mean (np.nanmean). With 0 or 1, every "
        "one of the n_classes classes counts, even one that occurs nowhere.",
    ],
)


@q5.mistake(
    "You put 0 for a class that is never predicted whatever `zero_division` says. Its precision is 0/0, and the "
    "caller chose the value: use `zero_division` there (and leave the class out when it is NaN)."
)
def _zero_division_ignored(y_true, y_pred, n_classes, zero_division):
    return _macro_precision(y_true, y_pred, n_classes, 0.0)


@q5.mistake(
    "Your mean is NaN when zero_division is NaN: a NaN entry means 'undefined, leave it out' (scikit-learn "
    "averages with np.nanmean), not 'make the average NaN'."
)
def _nan_propagates(y_true, y_pred, n_classes, zero_division):
    per_class = precision_score(y_true, y_pred, labels=np.arange(n_classes), average=None, zero_division=zero_division)
    return float(np.mean(per_class))


@q5.mistake(
    "You averaged only over the classes that occur in y_true or y_pred (torchmetrics' macro leaves the others "
    "out). Here every one of the n_classes classes counts, with the zero_division value when it is never predicted."
)
def _present_only(y_true, y_pred, n_classes, zero_division):
    present = np.union1d(y_true, y_pred)
    return precision_score(y_true, y_pred, labels=present, average="macro", zero_division=zero_division)


# --------------------------------------------------------------------------------------------------- q6 order

_ANIMALS = np.array(["cat", "dog", "bird", "ant"])


def _f1_in_order(y_true, y_pred, labels):
    return f1_score(y_true, y_pred, labels=list(labels), average=None, zero_division=0.0)


def _random_order_case(rng: np.random.Generator) -> Args:
    n = int(rng.integers(2, 20))
    y_true = rng.choice(_ANIMALS[:3], n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.choice(_ANIMALS[:3], n))
    labels = [str(name) for name in rng.permutation(_ANIMALS)]
    return Args(y_true, y_pred, labels)


q6 = Question(
    "q6",
    points=2,
    function="f1_in_order",
    title="Per-class F1 in the order of `labels` (what scikit-learn's average=None needs labels= for)",
    reference=_f1_in_order,
    fixed=[
        Args(
            np.array(["cat", "dog", "bird", "cat", "dog", "dog"]),
            np.array(["cat", "cat", "bird", "dog", "dog", "dog"]),
            ["cat", "dog", "bird"],
        ),
        Args(np.array(["dog", "dog", "cat"]), np.array(["dog", "cat", "cat"]), ["dog", "ant", "cat"]),
    ],
    random=_random_order_case,
    hints=[
        "Loop over `labels` in the order given: for each name, TP, FP and FN of that class against the rest.",
        "Do not sort (np.unique sorts alphabetically) and do not skip a name that never occurs: its F1 is 0/0, "
        "return 0 for it.",
    ],
)


@q6.mistake(
    "Your scores are in sorted order (what np.unique, and scikit-learn's average=None without labels=, give), not in "
    "the order of `labels`. Return entry i for labels[i]."
)
def _sorted_order(y_true, y_pred, labels):
    return _f1_in_order(y_true, y_pred, sorted(labels))


QUESTIONS = (q1, q2, q3, q4, q5, q6)
