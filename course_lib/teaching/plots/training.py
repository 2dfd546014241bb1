"""Learning curves and loss surfaces (lesson 08)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.plots.style import COLORS, METRIC_COLORS, _axes, _styled


@_styled
def plot_learning_curves(
    train,
    validation,
    *,
    x=None,
    metric: str = "loss",
    xlabel: str = "Epoch",
    ax: Axes | None = None,
    title: str = "Learning curves",
    mark_best: bool = True,
    lower_is_better: bool | None = None,
) -> Axes:
    """Training and validation curves of one metric, with the best validation point marked.

    ``lower_is_better`` defaults to True when ``metric`` contains "loss" or
    "error". The gap between the curves is the generalisation gap.
    """
    ax = _axes(ax)
    train, validation = np.asarray(train, dtype=float), np.asarray(validation, dtype=float)
    x = np.arange(1, len(train) + 1) if x is None else np.asarray(x)
    ax.plot(x, train, label=f"training {metric}", color=METRIC_COLORS["train"])
    ax.plot(x, validation, label=f"validation {metric}", color=METRIC_COLORS["validation"])
    if mark_best:
        if lower_is_better is None:
            lower_is_better = any(word in metric.lower() for word in ("loss", "error"))
        best = int(np.argmin(validation) if lower_is_better else np.argmax(validation))
        ax.plot(
            [x[best]],
            [validation[best]],
            marker="o",
            linestyle="none",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=METRIC_COLORS["marker"],
            markeredgewidth=2,
            label=f"best validation ({xlabel.lower()} {x[best]})",
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(metric)
    ax.set_title(title)
    ax.legend()
    return ax


# --------------------------------------------------------------------------- loss surfaces (lesson 08)


@_styled
def plot_loss_surface(
    p_positive,
    p_negative,
    values,
    *,
    ax: Axes | None = None,
    title: str = "Loss",
    levels: int = 11,
    vmax: float | None = None,
    colorbar: bool = True,
) -> Axes:
    """Filled contours of a loss over (probability given to positives, probability given to negatives).

    ``p_positive`` and ``p_negative`` are 1-D grids; ``values[i, j]`` is the loss
    at ``p_negative[i]``, ``p_positive[j]`` (``np.meshgrid``'s layout), e.g. one
    entry of :func:`course_lib.teaching.losses.one_label_loss_surface`. The best corner,
    positives at 1 and negatives at 0, is bottom right.
    """
    ax = _axes(ax, figsize=(4.6, 4.0))
    values = np.asarray(values, dtype=float)
    top = float(np.nanmax(values[np.isfinite(values)])) if vmax is None else vmax
    clipped, steps = np.minimum(values, top), np.linspace(0, top, levels)  # BCE is +inf at the worst corners
    filled = ax.contourf(p_positive, p_negative, clipped, levels=steps, cmap="viridis")
    ax.contour(p_positive, p_negative, clipped, levels=steps, colors="white", linewidths=0.5)
    ax.plot([1], [0], marker="*", markersize=14, color=COLORS["vermillion"], clip_on=False, linestyle="none")
    ax.set_xlabel("probability given to every positive")
    ax.set_ylabel("probability given to every negative")
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.grid(False)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, shrink=0.85)
    return ax
