"""Chance-corrected scores, probability scores and calibration at n = 1e7 against scikit-learn.

MCC, kappa and balanced accuracy are one counting pass over the labels (like the
confusion matrix); log-loss and Brier are a few vectorised passes; the calibration
curve bins by counting instead of searching. ECE has no scikit-learn counterpart,
so it is compared with torchmetrics.
"""

from __future__ import annotations

import numpy as np
import sklearn.calibration as skc
import sklearn.metrics as skm

from benchmarks._harness import Case
from course_lib.metrics.agreement import balanced_accuracy_score, cohen_kappa_score, matthews_corrcoef
from course_lib.metrics.calibration import calibration_curve, expected_calibration_error
from course_lib.metrics.probabilistic import brier_score_loss, log_loss


def _binary(n: int, seed: int = 0):
    """Imbalanced labels (10% positive), a decent classifier's labels and its probabilities."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < 0.1).astype(np.int64)
    y_prob = np.clip(0.1 + 0.6 * y_true + rng.normal(0, 0.2, n), 0.0, 1.0)
    y_pred = (y_prob >= 0.5).astype(np.int64)
    return y_true, y_pred, y_prob


def _multiclass(n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y_true] += 1.5
    y_prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    y_prob /= y_prob.sum(axis=1, keepdims=True)
    return y_true, y_prob.argmax(axis=1), y_prob


def _torchmetrics_ece(y_true, y_prob):
    import torch
    from torchmetrics.functional.classification import binary_calibration_error

    preds, target = torch.from_numpy(y_prob), torch.from_numpy(y_true)
    return lambda: binary_calibration_error(preds, target, n_bins=15)


def cases(quick: bool) -> list[Case]:
    n = 10_000 if quick else 10_000_000
    n_multi = 10_000 if quick else 1_000_000
    tag = f"n={n:.0e}"
    t, p, prob = _binary(n)
    mt, mp, mprob = _multiclass(n_multi, 10)
    mtag = f"n={n_multi:.0e} K=10"
    counting = ">= 20x scikit-learn at 1e7"
    out = [
        Case(
            "calibration",
            f"matthews_corrcoef {tag}",
            lambda: matthews_corrcoef(t, p),
            {"scikit-learn": lambda: skm.matthews_corrcoef(t, p)},
            target=counting,
        ),
        Case(
            "calibration",
            f"cohen_kappa_score {tag}",
            lambda: cohen_kappa_score(t, p),
            {"scikit-learn": lambda: skm.cohen_kappa_score(t, p)},
            target=counting,
        ),
        Case(
            "calibration",
            f"balanced_accuracy_score {tag}",
            lambda: balanced_accuracy_score(t, p),
            {"scikit-learn": lambda: skm.balanced_accuracy_score(t, p)},
            target=counting,
        ),
        Case(
            "calibration",
            f"matthews_corrcoef {mtag}",
            lambda: matthews_corrcoef(mt, mp),
            {"scikit-learn": lambda: skm.matthews_corrcoef(mt, mp)},
            target="faster than scikit-learn",
        ),
        Case(
            "calibration",
            f"log_loss {tag}",
            lambda: log_loss(t, prob),
            {"scikit-learn": lambda: skm.log_loss(t, prob)},
            target=">= 5x scikit-learn at 1e7",
        ),
        Case(
            "calibration",
            f"log_loss {mtag}",
            lambda: log_loss(mt, mprob),
            {"scikit-learn": lambda: skm.log_loss(mt, mprob)},
            target="faster than scikit-learn",
        ),
        Case(
            "calibration",
            f"brier_score_loss {tag}",
            lambda: brier_score_loss(t, prob),
            {"scikit-learn": lambda: skm.brier_score_loss(t, prob)},
            target="faster than scikit-learn",
        ),
        Case(
            "calibration",
            f"calibration_curve uniform 10 bins {tag}",
            lambda: calibration_curve(t, prob, n_bins=10),
            {"scikit-learn": lambda: skc.calibration_curve(t, prob, n_bins=10)},
            target=">= 3x scikit-learn at 1e7",
        ),
        Case(
            "calibration",
            f"calibration_curve quantile 10 bins {tag}",
            lambda: calibration_curve(t, prob, n_bins=10, strategy="quantile"),
            {"scikit-learn": lambda: skc.calibration_curve(t, prob, n_bins=10, strategy="quantile")},
            target=">= 3x scikit-learn at 1e7",
        ),
        Case(
            "calibration",
            f"expected_calibration_error 15 bins {tag}",
            lambda: expected_calibration_error(t, prob),
            {"torchmetrics": _torchmetrics_ece(t, prob)},
            target="faster than torchmetrics",
        ),
    ]
    return out
