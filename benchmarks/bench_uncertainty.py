"""Intervals: the multinomial bootstrap of F1 against the obvious loop, and DeLong against roc_auc_score.

Bootstrap (issue 19): at n = 10^6 with 2,000 resamples, ``bootstrap_interval(f1_score, ...)`` draws 2,000
confusion tables from one multinomial and scores them from counts. The obvious loop draws 2,000 index
vectors of length 10^6 and calls scikit-learn's ``f1_score`` on each resample; at about a tenth of a second
per call that is minutes, so the runner times the loop on **20 of the 2,000 resamples** (1/100 of it) in the
same run: a ratio ``loop(20) / course_lib(2,000)`` of 1x or more means the full loop is at least 100x slower.

DeLong: ``roc_auc_interval`` at n = 10^7 sorts each class once and places every score in the other class
by binary search; the goal is at most 3x the time of course_lib's own ``roc_auc_score`` (ratio >= 0.33x).
"""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm

from benchmarks._harness import Case
from course_lib import bootstrap_interval, f1_score, roc_auc_interval, roc_auc_score

FULL_RESAMPLES = 2000
LOOP_SHARE = 100  # the loop runs FULL_RESAMPLES / LOOP_SHARE resamples


def _labels(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    p = np.where(y == 1, rng.random(n) < 0.75, rng.random(n) < 0.1).astype(np.int64)
    return y, p


def _obvious_loop(y, p, n_resamples, seed=0):
    """What a first bootstrap does: resample row indices, call scikit-learn, take quantiles."""
    rng = np.random.default_rng(seed)
    n = len(y)
    values = []
    for _ in range(n_resamples):
        idx = rng.integers(0, n, n)
        values.append(skm.f1_score(y[idx], p[idx]))
    return np.quantile(values, [0.025, 0.975])


def _scores(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    return y, rng.random(n) + 0.5 * y


def cases(quick: bool = False) -> list[Case]:
    n_boot, n_auc = (10_000, 100_000) if quick else (1_000_000, 10_000_000)
    y, p = _labels(n_boot)
    loop = FULL_RESAMPLES // LOOP_SHARE
    y_auc, s_auc = _scores(n_auc)
    return [
        Case(
            "uncertainty",
            f"bootstrap_interval f1 n={n_boot:.0e} R={FULL_RESAMPLES} (loop: {loop} of {FULL_RESAMPLES} resamples)",
            lambda: bootstrap_interval(f1_score, y, p, n_resamples=FULL_RESAMPLES, random_state=0),
            {f"scikit-learn f1_score loop, {loop} resamples": lambda: _obvious_loop(y, p, loop)},
            repeat=3,
            target=f">= 1x here = >= {LOOP_SHARE}x the full loop",
        ),
        Case(
            "uncertainty",
            f"roc_auc_interval (DeLong) n={n_auc:.0e}",
            lambda: roc_auc_interval(y_auc, s_auc),
            {
                "course_lib roc_auc_score": lambda: roc_auc_score(y_auc, s_auc),
                "scikit-learn roc_auc_score": lambda: skm.roc_auc_score(y_auc, s_auc),
            },
            repeat=3,
            target=">= 0.33x course_lib roc_auc_score (within 3x)",
        ),
    ]
