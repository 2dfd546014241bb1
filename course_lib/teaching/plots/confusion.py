"""The confusion-matrix heatmap."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.plots.style import _axes, _styled


@_styled
def plot_confusion_matrix(
    cm,
    *,
    labels=None,
    cell_names=None,
    ax: Axes | None = None,
    title: str = "Confusion matrix",
    xlabel: str = "Predicted label",
    ylabel: str = "True label",
    values_format: str | None = None,
    cmap: str = "Blues",
    colorbar: bool = False,
) -> Axes:
    """Heatmap of a K x K confusion matrix with every cell labelled by its value.

    Parameters
    ----------
    cm : array-like of shape (K, K)
        Counts (or normalised rates); rows are the true class, columns the prediction.
    labels : sequence of str, optional
        Class names along both axes, in the order of the rows. Default ``0 .. K-1``.
    cell_names : array-like of str, shape (K, K), optional
        A name written above each value, e.g. ``[["TN", "FP"], ["FN", "TP"]]``.
    values_format : str, optional
        Format spec for the values; default ``"d"`` for integers, ``".2f"`` otherwise.

    Returns
    -------
    matplotlib.axes.Axes
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"Expected argument `cm` to be a square 2-D matrix, but got shape {cm.shape}.")
    k = cm.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else [str(label) for label in labels]
    if len(labels) != k:
        raise ValueError(f"Expected argument `labels` to be {k} names, but got {len(labels)}.")
    if values_format is None:
        values_format = "d" if np.issubdtype(cm.dtype, np.integer) else ".2f"
    ax = _axes(ax, figsize=(1.3 * k + 2.2, 1.1 * k + 1.8))
    image = ax.imshow(cm, cmap=cmap, vmin=0, vmax=max(float(cm.max()), 1e-12))
    # Dark cells get white text, light cells black text, so every number stays readable.
    middle = (float(cm.max()) + float(cm.min())) / 2
    for i in range(k):
        for j in range(k):
            text = format(cm[i, j], values_format)
            if cell_names is not None:
                text = f"{cell_names[i][j]}\n{text}"
            color = "white" if cm[i, j] > middle else "black"
            ax.text(j, i, text, ha="center", va="center", color=color, fontsize=11, fontweight="bold")
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(False)
    ax.spines[:].set_visible(False)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return ax
