"""ROC, ROC AUC, average precision and threshold sweeps at n = 1e6 and 1e7.

Contenders: scikit-learn, torchmetrics (CPU, exact mode: thresholds=None) and the
floor the issue sets, one ``np.argsort`` (quicksort) of the scores, since every
exact curve needs the scores in order. course_lib's core sorts *values*, not
indices (``np.sort`` is several times faster than ``np.argsort``), so it can beat
that floor; a second floor, ``np.sort`` of the scores, shows how close it gets.

For a sweep over a fixed grid the natural rival is the obvious loop, one pass
over the data per threshold; for the sweep over every distinct score it is
scikit-learn's ``confusion_matrix_at_thresholds`` plus the same three ratios.
"""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm

from benchmarks._harness import Case
from course_lib.metrics import curves

GRID = np.linspace(0.0, 1.0, 101)
TARGET = ">= 2x scikit-learn; within 1.5x of np.argsort"


def _scores(n: int, seed: int = 0):
    """Labels with 30% positives and overlapping scores in [0, 1] (so torchmetrics applies no sigmoid)."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < 0.3).astype(np.int64)
    y_score = (rng.random(n) + 0.5 * y_true) / 1.5
    return y_true, y_score


def _sklearn_sweep(y_true, y_score):
    tns, fps, fns, tps, thresholds = skm.confusion_matrix_at_thresholds(y_true, y_score)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tps / (tps + fps), tps / (tps + fns), 2 * tps / (2 * tps + fps + fns)


def _loop_sweep(y_true, y_score, grid):
    """One pass over the data per threshold: what a first version of a sweep does."""
    positive = y_true == 1
    rows = []
    for t in grid:
        predicted = y_score >= t
        tp = np.count_nonzero(predicted & positive)
        rows.append((tp, np.count_nonzero(predicted) - tp))
    return rows


def _torch_contenders(y_true, y_score):
    try:
        import torch
        import torchmetrics.functional.classification as tmf
    except ImportError:  # torch is an optional extra of course_lib
        return {}
    preds, target = torch.from_numpy(y_score), torch.from_numpy(y_true)
    return {
        "roc_curve": lambda: tmf.binary_roc(preds, target),
        "roc_auc_score": lambda: tmf.binary_auroc(preds, target),
        "average_precision_score": lambda: tmf.binary_average_precision(preds, target),
        "threshold_sweep": lambda: tmf.binary_precision_recall_curve(preds, target),
    }


def cases(quick: bool) -> list[Case]:
    sizes = [10_000] if quick else [1_000_000, 10_000_000]
    out = []
    for n in sizes:
        y, s = _scores(n)
        floors = {
            "floor np.argsort": lambda s=s: np.argsort(s, kind="quicksort"),
            "floor np.sort": lambda s=s: np.sort(s),
        }
        torch_fns = _torch_contenders(y, s)
        repeat = 3 if n >= 10_000_000 else 5
        for name in ("roc_curve", "roc_auc_score", "average_precision_score"):
            ours = getattr(curves, name)
            theirs = getattr(skm, name)
            others = {"scikit-learn": lambda y=y, s=s, f=theirs: f(y, s)}
            if name in torch_fns:
                others["torchmetrics"] = torch_fns[name]
            out.append(
                Case(
                    "curves",
                    f"{name} n={n:.0e}",
                    lambda y=y, s=s, f=ours: f(y, s),
                    {**others, **floors},
                    repeat=repeat,
                    target=TARGET,
                )
            )
        sweep_others = {"scikit-learn confusion_matrix_at_thresholds": lambda y=y, s=s: _sklearn_sweep(y, s)}
        if "threshold_sweep" in torch_fns:
            sweep_others["torchmetrics binary_precision_recall_curve"] = torch_fns["threshold_sweep"]
        out.append(
            Case(
                "curves",
                f"threshold_sweep (every distinct score) n={n:.0e}",
                lambda y=y, s=s: curves.threshold_sweep(y, s),
                {**sweep_others, **floors},
                repeat=repeat,
                target=TARGET,
            )
        )
        out.append(
            Case(
                "curves",
                f"threshold_sweep (101-point grid) n={n:.0e}",
                lambda y=y, s=s: curves.threshold_sweep(y, s, GRID),
                {"loop: one pass per threshold": lambda y=y, s=s: _loop_sweep(y, s, GRID), **floors},
                repeat=repeat,
                target="faster than one pass per threshold; within 1.5x of np.argsort",
            )
        )
    return out
