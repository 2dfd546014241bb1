"""Expected cost against the decision threshold (lesson 09).

The curve comes from :func:`course_lib.teaching.costs.mean_cost_at_thresholds`;
this module only draws it, with the cost-derived threshold ``c_fp / (c_fp + c_fn)``
(and optionally a tuned one) marked.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_expected_cost([0, 0, 1, 1], [0.1, 0.3, 0.2, 0.9], c_fp=1, c_fn=4)
    >>> ax.get_xlabel()
    'Threshold t (predict positive when p >= t)'
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.costs import cost_derived_threshold, mean_cost_at_thresholds
from course_lib.teaching.plots.style import COLORS, METRIC_COLORS, _axes, _styled

GRID = np.round(np.arange(1, 1000) / 1000, 3)


@_styled
def plot_expected_cost(
    y_true,
    y_prob,
    *,
    c_fp,
    c_fn,
    thresholds=None,
    tuned_threshold: float | None = None,
    label: str = "mean cost on these samples",
    color: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Mean cost per sample against the threshold, with ``c_fp / (c_fp + c_fn)`` marked.

    The curve is :func:`~course_lib.teaching.costs.mean_cost_at_thresholds` on
    ``thresholds`` (default 0.001, 0.002, ..., 0.999). A vertical dashed line and a
    dot mark the cost-derived threshold and its cost; ``tuned_threshold`` (e.g. one
    chosen on validation data) gets a dotted line and a square. Call it twice on
    one ``ax`` to compare two sets of probabilities (the markers are drawn once).
    """
    ax = _axes(ax, figsize=(6.4, 4.0))
    grid = GRID if thresholds is None else np.asarray(thresholds, dtype=float)
    costs = mean_cost_at_thresholds(y_true, y_prob, grid, c_fp=c_fp, c_fn=c_fn)
    (line,) = ax.plot(grid, costs, label=label, color=color)
    star = cost_derived_threshold(c_fp=c_fp, c_fn=c_fn)
    star_cost = mean_cost_at_thresholds(y_true, y_prob, [star], c_fp=c_fp, c_fn=c_fn)[0]
    marker_label = f"c_FP / (c_FP + c_FN) = {star:.4f}"
    if not any(existing.get_label() == marker_label for existing in ax.lines):
        ax.axvline(star, color=METRIC_COLORS["marker"], linestyle="--", linewidth=1.3, label=marker_label)
    ax.plot([star], [star_cost], "o", color=line.get_color(), markersize=6)
    if tuned_threshold is not None:
        tuned_cost = mean_cost_at_thresholds(y_true, y_prob, [tuned_threshold], c_fp=c_fp, c_fn=c_fn)[0]
        tuned_label = f"tuned threshold = {tuned_threshold:.2f}"
        if not any(existing.get_label() == tuned_label for existing in ax.lines):
            ax.axvline(tuned_threshold, color=COLORS["grey"], linestyle=":", linewidth=1.5, label=tuned_label)
        ax.plot([tuned_threshold], [tuned_cost], "s", color=line.get_color(), markersize=6)
    ax.set_xlim(0, 1)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Threshold t (predict positive when p >= t)")
    ax.set_ylabel("Mean cost per sample")
    ax.set_title(title or f"Expected cost, c_FP = {c_fp:g}, c_FN = {c_fn:g}")
    ax.legend()
    return ax
