"""Metrics against the decision threshold, and the marker a slider moves."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.plots.style import METRIC_COLORS, _axes, _styled


@_styled
def plot_metric_vs_threshold(
    thresholds,
    metrics: dict,
    *,
    threshold: float | None = None,
    ax: Axes | None = None,
    title: str = "Metrics against the decision threshold",
    xlabel: str = "Decision threshold (predict positive when score >= threshold)",
    ylabel: str = "Score",
    drawstyle: str = "steps-pre",
) -> Axes:
    """One line per metric against the threshold, with an optional marker at ``threshold``.

    Parameters
    ----------
    thresholds : array-like of shape (n_thresholds,)
    metrics : dict of name -> array-like of shape (n_thresholds,)
        e.g. ``{"precision": p, "recall": r, "f1": f}``; known names get the course colours.
    threshold : float, optional
        Draw the marker (a vertical line and a dot on each curve) here; see
        :func:`draw_threshold_marker`.
    drawstyle : str, default "steps-pre"
        With ``score >= t`` a metric is a step function of t, constant on each
        interval ``(previous threshold, t]``; "steps-pre" draws exactly that for
        increasing thresholds. Pass "default" for straight segments.
    """
    ax = _axes(ax)
    thresholds = np.asarray(thresholds, dtype=float)
    for name, values in metrics.items():
        ax.plot(thresholds, values, label=name, color=METRIC_COLORS.get(name.lower()), drawstyle=drawstyle)
    ax.set_xlim(float(thresholds.min()), float(thresholds.max()))
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="lower left")
    if threshold is not None:
        if drawstyle == "steps-pre":  # the value drawn at t is the one of the first threshold >= t
            index = min(int(np.searchsorted(thresholds, threshold, side="left")), len(thresholds) - 1)
            values = {name: np.asarray(v)[index] for name, v in metrics.items()}
        else:
            values = {name: np.interp(threshold, thresholds, v) for name, v in metrics.items()}
        draw_threshold_marker(ax, threshold, values)
    return ax


def draw_threshold_marker(ax: Axes, threshold: float, values: dict | None = None) -> dict:
    """Mark ``threshold`` on a metric-vs-threshold plot: a vertical line plus one dot per metric.

    Returns the artists ``{"line": Line2D, "dots": Line2D}``; pass them to
    :func:`move_threshold_marker` to move the marker without redrawing the plot.
    """
    line = ax.axvline(threshold, color=METRIC_COLORS["marker"], linestyle="--", linewidth=1.5, zorder=3)
    ys = [] if values is None else [float(v) for v in values.values()]
    (dots,) = ax.plot(
        [threshold] * len(ys),
        ys,
        linestyle="none",
        marker="o",
        markersize=7,
        markerfacecolor="white",
        markeredgecolor=METRIC_COLORS["marker"],
        markeredgewidth=2,
        zorder=4,
    )
    return {"line": line, "dots": dots}


def move_threshold_marker(marker: dict, threshold: float, values: dict | None = None) -> None:
    """Move a marker made by :func:`draw_threshold_marker` (cheap: no new artists)."""
    marker["line"].set_xdata([threshold, threshold])
    ys = [] if values is None else [float(v) for v in values.values()]
    marker["dots"].set_data([threshold] * len(ys), ys)
