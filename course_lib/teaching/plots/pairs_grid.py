"""The ROC staircase drawn on the grid of positive-negative pairs.

Sort the positives by score, highest first, up the y-axis, and the negatives,
highest first, along the x-axis: one cell per (positive, negative) pair, each
cell 1/P high and 1/N wide. A cell is a *win* when its positive outscores its
negative, a *tie* when they score the same. The ROC curve (drawn without
dropping points) runs exactly along the border of the winning cells; a block
of tied cells it crosses on its diagonal, which leaves half the block below.
So the area under it is the fraction of pairs ranked correctly, ties counting
one half: ROC-AUC read as a probability.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> grid = pair_outcomes([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])
    >>> grid.outcomes.tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    >>> grid.auc
    0.75
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from course_lib.metrics.validation import _describe, expected
from course_lib.teaching.plots.style import COLORS, METRIC_COLORS, _axes, _styled


class PairGrid(NamedTuple):
    """``outcomes[i, j]``: 1 if the (i+1)-th highest positive outscores the (j+1)-th highest negative, 0.5 for a tie, else 0."""

    outcomes: np.ndarray
    positive_scores: np.ndarray
    negative_scores: np.ndarray
    wins: int
    ties: int
    auc: float


def pair_outcomes(y_true, y_score) -> PairGrid:
    """Every positive-negative pair's outcome, positives and negatives each sorted by score, highest first.

    Returns
    -------
    PairGrid
        ``auc = (wins + ties / 2) / (P N)``.
    """
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    if y_true.ndim != 1 or y_score.shape != y_true.shape:
        raise ValueError(expected("y_score", f"a 1-D array of the shape of `y_true` {y_true.shape}", y_score.shape))
    if not np.all(np.isin(y_true, (0, 1))) or len(np.unique(y_true)) < 2:
        raise ValueError(expected("y_true", "binary labels with both 0 and 1", _describe(np.unique(y_true).tolist())))
    positives = np.sort(y_score[y_true == 1])[::-1]
    negatives = np.sort(y_score[y_true == 0])[::-1]
    outcomes = (positives[:, None] > negatives[None, :]) + 0.5 * (positives[:, None] == negatives[None, :])
    wins = int(np.sum(outcomes == 1))
    ties = int(np.sum(outcomes == 0.5))
    return PairGrid(outcomes.astype(float), positives, negatives, wins, ties, float(outcomes.mean()))


def roc_staircase(y_true, y_score) -> tuple[np.ndarray, np.ndarray]:
    """(FPR, TPR) at every distinct score from the highest down, starting at (0, 0): the ROC curve, no point dropped."""
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    thresholds = np.unique(y_score)[::-1]
    predicted = y_score[None, :] >= thresholds[:, None]
    tp = np.r_[0, (predicted & (y_true == 1)).sum(axis=1)]
    fp = np.r_[0, (predicted & (y_true == 0)).sum(axis=1)]
    return fp / max(int(np.sum(y_true == 0)), 1), tp / max(int(np.sum(y_true == 1)), 1)


@_styled
def plot_pair_grid(
    y_true,
    y_score,
    *,
    ax: Axes | None = None,
    annotate_scores: bool = True,
    title: str | None = None,
) -> tuple[Axes, PairGrid]:
    """Draw the pair grid (wins shaded, ties half-shaded, losses blank) with the ROC staircase on top.

    Returns
    -------
    (Axes, PairGrid)
        The grid's counts are the numbers written in the title.
    """
    grid = pair_outcomes(y_true, y_score)
    n_pos, n_neg = grid.outcomes.shape
    ax = _axes(ax, figsize=(5.4, 5.2))
    # Row i (the (i+1)-th highest positive) is drawn from y = i / P to (i + 1) / P: the lowest row is the top scorer.
    colors = ListedColormap(["white", COLORS["sky"], COLORS["green"]])
    ax.imshow(
        np.round(grid.outcomes * 2).astype(int),
        cmap=colors,
        vmin=0,
        vmax=2,
        origin="lower",
        extent=(0, 1, 0, 1),
        aspect="auto",
        alpha=0.55,
        interpolation="nearest",
    )
    for x in np.linspace(0, 1, n_neg + 1):
        ax.axvline(x, color=COLORS["grey"], linewidth=0.5)
    for y in np.linspace(0, 1, n_pos + 1):
        ax.axhline(y, color=COLORS["grey"], linewidth=0.5)
    fpr, tpr = roc_staircase(y_true, y_score)
    ax.plot(fpr, tpr, color=METRIC_COLORS["fpr"], linewidth=2.5, label=f"ROC curve, area {grid.auc:.4f}")
    if annotate_scores and n_pos <= 12 and n_neg <= 12:
        ax.set_xticks((np.arange(n_neg) + 0.5) / n_neg, [f"{s:g}" for s in grid.negative_scores])
        ax.set_yticks((np.arange(n_pos) + 0.5) / n_pos, [f"{s:g}" for s in grid.positive_scores])
        ax.set_xlabel("Negatives, highest score first (FPR →)")
        ax.set_ylabel("Positives, highest score first (TPR →)")
        ax.grid(False)
    else:
        ax.set_xlabel("False positive rate (negatives, highest score first)")
        ax.set_ylabel("True positive rate (positives, highest score first)")
    tie_text = f" + {grid.ties} ties × ½" if grid.ties else ""
    ax.set_title(
        title
        if title is not None
        else f"{grid.wins}{tie_text} of {grid.outcomes.size} pairs ranked correctly = {grid.auc:.4f}"
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right")
    return ax, grid
