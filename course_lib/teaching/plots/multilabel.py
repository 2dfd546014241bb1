"""One 2 x 2 confusion matrix per label, drawn as a row of heatmaps (lesson 07).

The blocks are what :func:`course_lib.metrics.confusion.multilabel_confusion_matrix`
returns: shape ``(n_labels, 2, 2)``, each ``[[TN, FP], [FN, TP]]``. Every panel uses
one colour scale (the largest count of all panels), so a bright cell means the same
count in every panel and the labels can be compared at a glance.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> axes = plot_label_confusion_grid([[[3, 0], [0, 3]], [[2, 1], [2, 1]]], labels=["cat", "dog"])
    >>> [ax.get_title() for ax in axes]
    ['cat', 'dog']
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from course_lib.teaching.plots.style import _styled

CELL_NAMES = (("TN", "FP"), ("FN", "TP"))


def _check_blocks(blocks) -> np.ndarray:
    blocks = np.asarray(blocks)
    if blocks.ndim != 3 or blocks.shape[1:] != (2, 2) or len(blocks) == 0:
        raise ValueError(
            f"Expected argument `blocks` to be an array of shape (n_labels, 2, 2), but got {blocks.shape}."
        )
    if not np.issubdtype(blocks.dtype, np.integer) or (blocks < 0).any():
        raise ValueError("Expected argument `blocks` to hold non-negative integer counts, but got other values.")
    return blocks


@_styled
def plot_label_confusion_grid(blocks, *, labels=None, ncols: int | None = None, suptitle: str | None = None):
    """A grid of 2 x 2 heatmaps, one per label, each cell named (TN, FP, FN, TP) and counted.

    Parameters
    ----------
    blocks : array-like of shape (n_labels, 2, 2)
        ``[[TN, FP], [FN, TP]]`` per label (scikit-learn's layout): rows are the truth
        (absent, present), columns the prediction (off, on).
    labels : sequence of str, optional
        One title per panel; default ``label 0``, ``label 1``, ...
    ncols : int, optional
        Panels per row; default all in one row (at most 4).

    Returns
    -------
    ndarray of matplotlib.axes.Axes
        One Axes per label, in order (flattened).
    """
    blocks = _check_blocks(blocks)
    n_labels = len(blocks)
    labels = [f"label {j}" for j in range(n_labels)] if labels is None else [str(name) for name in labels]
    if len(labels) != n_labels:
        raise ValueError(f"Expected argument `labels` to be {n_labels} names, but got {len(labels)}.")
    ncols = min(n_labels, 4) if ncols is None else int(ncols)
    nrows = -(-n_labels // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.9 * ncols, 2.9 * nrows + 0.4), squeeze=False)
    top = max(int(blocks.max()), 1)
    for j, ax in enumerate(axes.flat):
        if j >= n_labels:
            ax.set_visible(False)
            continue
        ax.imshow(blocks[j], cmap="Blues", vmin=0, vmax=top)
        for row in range(2):
            for col in range(2):
                value = int(blocks[j, row, col])
                color = "white" if value > top / 2 else "black"
                text = f"{CELL_NAMES[row][col]}\n{value}"
                ax.text(col, row, text, ha="center", va="center", color=color, fontsize=11, fontweight="bold")
        ax.set_xticks([0, 1], ["off", "on"])
        ax.set_yticks([0, 1], ["absent", "present"])
        ax.set_xlabel("Predicted")
        if j % ncols == 0:
            ax.set_ylabel("True")
        ax.set_title(labels[j])
        ax.grid(False)
        ax.spines[:].set_visible(False)
    if suptitle:
        fig.suptitle(suptitle)
    return axes.flat[:n_labels]
