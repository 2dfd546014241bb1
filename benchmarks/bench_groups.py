"""Groups and budgets (lesson 12): per-group metrics from one bincount against fairlearn's MetricFrame, and
precision@k / TPR at an FPR budget from the per-threshold counts against the obvious sort or scikit-learn's curve.

by_group counts every group's 2 x 2 table in one pass and divides counts; MetricFrame groups a pandas frame and
calls the metric once per group. equalized_odds_difference needs TPR and FPR per group: course_lib counts once,
fairlearn builds a frame with two metrics. precision_at_k reads the counts at distinct scores (one sort);
the obvious answer sorts with argsort and takes the first k (which ignores ties).
"""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm
from fairlearn import metrics as fm

from benchmarks._harness import Case
from course_lib import by_group, equalized_odds_difference, precision_at_k, tpr_at_fpr


def _grouped(n: int, n_groups: int = 10, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.2).astype(np.int64)
    p = np.where(y == 1, rng.random(n) < 0.7, rng.random(n) < 0.1).astype(np.int64)
    groups = rng.choice([f"group-{i}" for i in range(n_groups)], n)
    return y, p, groups


def _scores(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.01).astype(np.int64)
    return y, rng.random(n) + y


def _tpr_at_fpr_sklearn(y, s, max_fpr):
    fpr, tpr, _ = skm.roc_curve(y, s, drop_intermediate=False)
    return tpr[fpr <= max_fpr].max()


def cases(quick: bool = False) -> list[Case]:
    n = 100_000 if quick else 1_000_000
    y, p, groups = _grouped(n)
    y_s, s = _scores(10 * n)
    k = len(y_s) // 100
    return [
        Case(
            "groups",
            f"by_group recall n={n:.0e} G=10",
            lambda: by_group("recall", y, p, groups=groups),
            {
                "fairlearn MetricFrame(recall_score)": lambda: (
                    fm.MetricFrame(metrics=skm.recall_score, y_true=y, y_pred=p, sensitive_features=groups).by_group
                )
            },
            repeat=3,
            target=">= 1x fairlearn",
        ),
        Case(
            "groups",
            f"equalized_odds_difference n={n:.0e} G=10",
            lambda: equalized_odds_difference(y, p, sensitive_features=groups),
            {
                "fairlearn equalized_odds_difference": lambda: fm.equalized_odds_difference(
                    y, p, sensitive_features=groups
                )
            },
            repeat=3,
            target=">= 1x fairlearn",
        ),
        Case(
            "groups",
            f"precision_at_k n={10 * n:.0e} k={k}",
            lambda: precision_at_k(y_s, s, k=k),
            {"argsort, first k": lambda: y_s[np.argsort(-s)[:k]].mean()},
            repeat=3,
            target=">= 1x argsort (and ties handled)",
        ),
        Case(
            "groups",
            f"tpr_at_fpr n={10 * n:.0e}",
            lambda: tpr_at_fpr(y_s, s, max_fpr=0.01),
            {"scikit-learn roc_curve + max": lambda: _tpr_at_fpr_sklearn(y_s, s, 0.01)},
            repeat=3,
            target=">= 1x scikit-learn",
        ),
    ]
