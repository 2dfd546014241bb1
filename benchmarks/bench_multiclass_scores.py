"""Lesson 10's K-class scores against scikit-learn and torchmetrics: top-k accuracy, top-label and class-wise ECE.

top_k_accuracy_score counts, per row, the classes ranked ahead of the true one (two comparisons
against the true class's score) instead of sorting every row as scikit-learn does. The ECEs bin
with the metrics core's counting binning; torchmetrics has no class-wise ECE, so that one is timed
against its binary ECE run once per class (the same number, see tests/test_multiclass_calibration.py).
"""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm

from benchmarks._harness import Case
from course_lib import classwise_calibration_error, top_k_accuracy_score, top_label_calibration_error


def _multiclass(n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y_true] += 1.5
    y_prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    y_prob /= y_prob.sum(axis=1, keepdims=True)
    return y_true, y_prob


def _torchmetrics(y_true, y_prob, k):
    import torch
    from torchmetrics.functional.classification import binary_calibration_error, multiclass_calibration_error

    preds, target = torch.from_numpy(y_prob.astype(np.float32)), torch.from_numpy(y_true)
    columns = [preds[:, j].contiguous() for j in range(k)]
    top = lambda: multiclass_calibration_error(preds, target, num_classes=k, n_bins=15)  # noqa: E731
    classwise = lambda: [binary_calibration_error(columns[j], target == j, n_bins=15) for j in range(k)]  # noqa: E731
    return top, classwise


def cases(quick: bool) -> list[Case]:
    n = 10_000 if quick else 1_000_000
    out = []
    for k in (3, 10):
        t, prob = _multiclass(n, k)
        tag = f"n={n:.0e} K={k}"
        tm_top, tm_classwise = _torchmetrics(t, prob, k)
        out += [
            Case(
                "multiclass_scores",
                f"top_k_accuracy_score k=2 {tag}",
                lambda t=t, prob=prob: top_k_accuracy_score(t, prob, k=2),
                {"scikit-learn": lambda t=t, prob=prob: skm.top_k_accuracy_score(t, prob, k=2)},
                target="faster than scikit-learn",
            ),
            Case(
                "multiclass_scores",
                f"top_label_calibration_error 15 bins {tag}",
                lambda t=t, prob=prob: top_label_calibration_error(t, prob),
                {"torchmetrics": tm_top},
                target="faster than torchmetrics",
            ),
            Case(
                "multiclass_scores",
                f"classwise_calibration_error 15 bins {tag}",
                lambda t=t, prob=prob: classwise_calibration_error(t, prob),
                {"torchmetrics (binary ECE per class)": tm_classwise},
                target="faster than torchmetrics",
            ),
        ]
    return out
