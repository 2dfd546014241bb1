"""Checks for exercises/10_multiclass_scores.ipynb: argmax labels, one-vs-rest AUC, log-loss, top-label ECE."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.curves import roc_auc_score
from course_lib.metrics.multiclass_calibration import top_label_calibration_error
from course_lib.metrics.probabilistic import log_loss

NOTEBOOK = "10_multiclass_scores.ipynb"

_PROBA = np.array([[0.7, 0.2, 0.1], [0.3, 0.45, 0.25], [0.2, 0.2, 0.6], [0.4, 0.35, 0.25], [0.1, 0.3, 0.6]])
_Y = np.array([0, 0, 2, 1, 2])
_SQUARE = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.5, 0.1, 0.4]])  # as many samples as classes
_WITH_ZERO = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.2, 0.3, 0.5]])  # sample 0 of class 1 gets 0


def _random_proba(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """Rows on a grid of tenths (ties common), sometimes with exact zeros."""
    counts = rng.multinomial(10, rng.dirichlet(np.full(k, rng.choice([0.3, 1.0, 3.0]))), size=n)
    return counts / 10


def _random_labelled(rng: np.random.Generator, *, all_classes: bool = True):
    k = int(rng.integers(2, 6))
    n = int(rng.integers(k + 1, 25))
    y = rng.integers(0, k, n)
    if all_classes:
        y[rng.permutation(n)[:k]] = np.arange(k)  # every class present
    return y, _random_proba(rng, n, k), k


# --------------------------------------------------------------------------------------------------- q1 argmax


def _predict_labels(y_proba):
    return np.argmax(np.asarray(y_proba), axis=1)


def _random_q1(rng):
    _, proba, _ = _random_labelled(rng)
    return Args(proba)


q1 = Question(
    "q1",
    points=1,
    function="predict_labels",
    title="The predicted class of each sample: argmax along the class axis",
    reference=_predict_labels,
    fixed=[Args(_PROBA), Args(_SQUARE), Args(_PROBA[:2])],
    random=_random_q1,
    hints=[
        "Rows are samples and columns are classes: you want one label per row.",
        "`np.argmax(y_proba, axis=1)`; ties go to the first column.",
    ],
)


@q1.mistake(
    "You took the argmax over axis 0 (down each column): that gives, for each class, the row of its largest "
    "probability, not a label per sample. Rows are samples: use axis=1."
)
def _wrong_axis(y_proba):
    return np.argmax(np.asarray(y_proba), axis=0)


# --------------------------------------------------------------------------------------------------- q2 OvR AUC


def _ovr_auc(y_true, y_score, c):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    return roc_auc_score(y_true == c, y_score[:, c])


def _random_q2(rng):
    y, proba, k = _random_labelled(rng)
    return Args(y, proba, int(rng.integers(0, k)))


q2 = Question(
    "q2",
    points=2,
    function="ovr_auc",
    title="One-vs-rest ROC-AUC of class c by counting ordered pairs",
    reference=_ovr_auc,
    fixed=[Args(_Y, _PROBA, 1), Args(_Y, _PROBA, 2), Args(_Y, _PROBA, 0)],
    random=_random_q2,
    hints=[
        "Positives: samples with y_true == c. Their score and the negatives' score both come from column c.",
        "AUC = (pairs with positive score > negative score + 0.5 * tied pairs) / (n_pos * n_neg).",
    ],
)


@q2.mistake(
    "Your scores come from column 0 whatever c is. For class c, rank the samples by the probability of class c: "
    "`y_score[:, c]`."
)
def _first_column(y_true, y_score, c):
    return roc_auc_score(np.asarray(y_true) == c, np.asarray(y_score)[:, 0])


@q2.mistake(
    "Your one-vs-rest labels come from the wrong column: you compared y_true with c + 1 (a one-hot column shifted "
    "by one?) while scoring column c. Positives are `y_true == c`."
)
def _shifted_labels(y_true, y_score, c):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    positives = y_true == (c + 1) % y_score.shape[1]
    return roc_auc_score(positives, y_score[:, c])


# --------------------------------------------------------------------------------------------------- q3 log-loss


def _log_loss_k(y_true, y_proba):
    y_proba = np.asarray(y_proba, dtype=float)
    return log_loss(y_true, y_proba, labels=np.arange(y_proba.shape[1]))


def _random_q3(rng):
    y, proba, _ = _random_labelled(rng, all_classes=False)
    return Args(y, proba)


q3 = Question(
    "q3",
    points=2,
    function="log_loss_k",
    title="Multiclass log-loss with clipping at machine epsilon",
    reference=_log_loss_k,
    fixed=[Args(_Y, _PROBA), Args(np.array([1, 2, 2]), _WITH_ZERO), Args(np.array([0, 1, 2]), _SQUARE)],
    random=_random_q3,
    hints=[
        "Pick each sample's probability of its true class: `y_proba[np.arange(n), y_true]`.",
        "Clip it to `[eps, 1 - eps]` with `eps = np.finfo(float).eps` before the log, then take -mean(log).",
    ],
)


@q3.mistake(
    "A probability of exactly 0 for the true class gives log(0) = -inf, so your loss is inf. Clip the "
    "probabilities to `[eps, 1 - eps]` with `eps = np.finfo(float).eps` first (scikit-learn does the same)."
)
def _no_clipping(y_true, y_proba):
    y_proba = np.asarray(y_proba, dtype=float)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(y_proba[np.arange(len(y_proba)), np.asarray(y_true)])))


# --------------------------------------------------------------------------------------------------- q4 ECE


def _top_label_ece(y_true, y_proba, n_bins=10):
    y_proba = np.asarray(y_proba, dtype=float)
    return top_label_calibration_error(y_true, y_proba, labels=np.arange(y_proba.shape[1]), n_bins=n_bins)


def _random_q4(rng):
    y, proba, _ = _random_labelled(rng, all_classes=False)
    return Args(y, proba, n_bins=int(rng.choice([2, 5, 10])))


q4 = Question(
    "q4",
    points=3,
    function="top_label_ece",
    title="Top-label ECE: confidence = the largest probability, hit = the argmax is the true class",
    reference=_top_label_ece,
    fixed=[
        Args(_Y, _PROBA, n_bins=5),
        Args(np.array([0] * 6 + [1] + [2] * 3), np.array([[0.6, 0.3, 0.1]] * 10), n_bins=10),
        Args(np.array([1, 2, 0]), _SQUARE, n_bins=2),
    ],
    random=_random_q4,
    hints=[
        "confidence = `y_proba.max(axis=1)`; hit = `np.argmax(y_proba, axis=1) == y_true`.",
        "Bin with `np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], confidence)`; per bin add up the hits and "
        "the confidences; ECE = sum over bins of |hits - confidences| / n.",
    ],
)


@q4.mistake(
    "Your confidence is the probability of the *true* class, which the model does not know when it predicts. "
    "Top-label confidence is the largest probability in the row: `y_proba.max(axis=1)`."
)
def _true_class_confidence(y_true, y_proba, n_bins=10):
    y_proba = np.asarray(y_proba, dtype=float)
    y_true = np.asarray(y_true)
    confidence = y_proba[np.arange(len(y_true)), y_true]
    hit = (np.argmax(y_proba, axis=1) == y_true).astype(float)
    bins = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], confidence)
    gaps = np.bincount(bins, weights=hit, minlength=n_bins) - np.bincount(bins, weights=confidence, minlength=n_bins)
    return float(np.abs(gaps).sum() / len(y_true))


QUESTIONS = (q1, q2, q3, q4)
