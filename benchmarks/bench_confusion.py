"""confusion_matrix and macro F1 at n = 1e6 and 1e7 against scikit-learn and a bare bincount."""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm

import course_lib as cl
from benchmarks._harness import Case


def _labels(n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, size=n)
    # A decent classifier: right 70% of the time, otherwise a random class.
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, k, size=n))
    return y_true, y_pred


def cases(quick: bool) -> list[Case]:
    sizes = [10_000] if quick else [1_000_000, 10_000_000]
    out = []
    for n in sizes:
        for k in (2, 100):
            t, p = _labels(n, k)
            out.append(
                Case(
                    "confusion",
                    f"confusion_matrix n={n:.0e} K={k}",
                    lambda t=t, p=p: cl.confusion_matrix(t, p),
                    {
                        "scikit-learn": lambda t=t, p=p: skm.confusion_matrix(t, p),
                        "bare np.bincount": lambda t=t, p=p, k=k: np.bincount(t * k + p, minlength=k * k),
                    },
                    target=">= 20x scikit-learn at 1e7; within 1.5x of bare bincount",
                )
            )
            out.append(
                Case(
                    "confusion",
                    f"f1_score macro n={n:.0e} K={k}",
                    lambda t=t, p=p: cl.f1_score(t, p, average="macro"),
                    {"scikit-learn": lambda t=t, p=p: skm.f1_score(t, p, average="macro")},
                    target="faster than scikit-learn",
                )
            )
    return out
