"""Iso-F1 and iso-F-beta contours in the precision-recall plane, with a model's point.

Every point (recall r, precision p) has one F-beta value,
F = (1 + b^2) p r / (b^2 p + r). The points with the same value form a curve;
solving for p gives :func:`iso_fbeta_precision`. Drawn for a few values, the
curves show at a glance what F1 rewards: they bend towards the axes, so a point
near an axis (one rate high, the other low) sits on a low contour.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> round(fbeta_from_precision_recall(0.9, 0.1), 4)
    0.18
    >>> round(float(iso_fbeta_precision(0.75, 0.7826)), 4)
    0.8182
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.metrics.validation import _describe, expected
from course_lib.teaching.plots.style import COLORS, METRIC_COLORS, _axes, _styled


def _check_beta(beta) -> float:
    if isinstance(beta, bool) or not isinstance(beta, (int, float)):
        raise TypeError(expected("beta", "a positive number", _describe(beta)))
    if not (beta > 0 and np.isfinite(beta)):
        raise ValueError(expected("beta", "a positive number", _describe(beta)))
    return float(beta)


def fbeta_from_precision_recall(precision, recall, beta: float = 1.0):
    """F-beta = (1 + b^2) p r / (b^2 p + r), with 0 where p = r = 0.

    >>> fbeta_from_precision_recall(0.5, 0.5)
    0.5
    """
    b2 = _check_beta(beta) ** 2
    p, r = np.asarray(precision, dtype=float), np.asarray(recall, dtype=float)
    denominator = b2 * p + r
    value = np.divide((1 + b2) * p * r, denominator, out=np.zeros(np.broadcast(p, r).shape), where=denominator > 0)
    return float(value) if value.ndim == 0 else value


def iso_fbeta_precision(recall, level: float, beta: float = 1.0):
    """The precision at which F-beta equals ``level`` for the given recall; NaN where no precision in [0, 1] does.

    From F (b^2 p + r) = (1 + b^2) p r:  p = F r / ((1 + b^2) r - F b^2).

    >>> iso_fbeta_precision([0.5, 1.0], 0.5).tolist()
    [0.5, 0.3333333333333333]
    """
    b2 = _check_beta(beta) ** 2
    if not 0 < level < 1:
        raise ValueError(expected("level", "a number strictly between 0 and 1", _describe(level)))
    r = np.asarray(recall, dtype=float)
    denominator = (1 + b2) * r - level * b2
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(denominator > 0, level * r / denominator, np.nan)
    p = np.where((p >= 0) & (p <= 1), p, np.nan)  # a precision above 1 means: not reachable
    return float(p) if p.ndim == 0 else p


@_styled
def plot_iso_fbeta(
    precision: float,
    recall: float,
    *,
    beta: float = 1.0,
    levels=(0.2, 0.4, 0.6, 0.8),
    ax: Axes | None = None,
    label: str = "the model",
    color: str | None = None,
    title: str | None = None,
) -> Axes:
    """Draw iso-F-beta curves for ``levels`` and the point (recall, precision) with its own contour.

    Parameters
    ----------
    precision, recall : float
        The model's operating point.
    beta : float, default 1.0
        1 draws iso-F1 curves; 2 weighs recall more, 0.5 precision.
    levels : sequence of float in (0, 1)
        The F-beta values of the grey contours.

    Returns
    -------
    Axes
        The model's own contour is the solid line through its point, labelled with its F-beta.
    """
    beta = _check_beta(beta)
    ax = _axes(ax, figsize=(5.2, 5))
    recalls = np.linspace(0.001, 1, 1000)
    name = "F1" if beta == 1 else f"F{beta:g}"
    for level in levels:
        p = iso_fbeta_precision(recalls, level, beta)
        ax.plot(recalls, p, color=METRIC_COLORS["chance"], linewidth=1, linestyle="--")
        shown = np.flatnonzero(np.isfinite(p) & (p <= 0.97))
        if len(shown):
            i = shown[len(shown) // 6]
            ax.text(recalls[i], p[i], f"{name} = {level:g}", fontsize=8, color=METRIC_COLORS["chance"], va="bottom")
    value = fbeta_from_precision_recall(precision, recall, beta)
    color = color or METRIC_COLORS["f1"]
    if 0 < value < 1:
        ax.plot(recalls, iso_fbeta_precision(recalls, value, beta), color=color, linewidth=2)
    ax.plot([recall], [precision], "o", markersize=9, color=color, zorder=4)
    ax.annotate(
        f"{label}: {name} = {value:.4f}",
        xy=(recall, precision),
        xytext=(-12, -4),
        textcoords="offset points",
        ha="right",
        va="top",
        color=color,
        fontweight="bold",
    )
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("Recall")
    ax.set_ylabel("Precision")
    ax.set_title(title if title is not None else f"Iso-{name} curves in the precision-recall plane")
    ax.plot([0, 1], [0, 1], color=COLORS["grey"], linewidth=0.5, alpha=0.5)  # precision = recall, where F-beta = both
    return ax
