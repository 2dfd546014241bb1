"""Scores on a number line, one row per true class, cut by the threshold into TP / FP / TN / FN.

The picture every later idea builds on: a threshold t splits each class's row
in two. Right of t (``score >= t``) the positives are true positives and the
negatives false positives; left of t the positives are false negatives and the
negatives true negatives. :func:`number_line_counts` is the pure function under
the picture; :func:`plot_score_number_line` draws it and returns a handle that
:func:`update_score_number_line` moves to a new threshold (what a slider calls).
:func:`plot_score_histograms` draws the same two rows as histograms in counts,
for data sets too large for one dot per sample.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> handle = plot_score_number_line([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5)
    >>> handle.counts
    RegionCounts(tp=1, fp=1, tn=1, fn=1)
    >>> update_score_number_line(handle, 0.3).counts
    RegionCounts(tp=2, fp=1, tn=1, fn=0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes

from course_lib.metrics.validation import _describe, expected
from course_lib.teaching.plots.style import COLORS, METRIC_COLORS, _axes, _styled

# Which row (true class) and side of the threshold each region is.
REGION_COLORS = {"tp": COLORS["green"], "fn": COLORS["orange"], "fp": COLORS["vermillion"], "tn": COLORS["blue"]}
_ROW = {1: 1.0, 0: 0.0}  # positives drawn above negatives


class RegionCounts(NamedTuple):
    """How many samples fall in each region of the number line."""

    tp: int
    fp: int
    tn: int
    fn: int


def _scores_and_labels(y_true, y_score) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    if y_true.ndim != 1 or y_score.shape != y_true.shape:
        raise ValueError(expected("y_score", f"a 1-D array of the shape of `y_true` {y_true.shape}", y_score.shape))
    if not np.all(np.isin(y_true, (0, 1))):
        raise ValueError(expected("y_true", "binary labels 0 and 1", _describe(np.unique(y_true).tolist())))
    if not np.all(np.isfinite(y_score)):
        raise ValueError(expected("y_score", "finite numbers", "NaN or inf"))
    return y_true.astype(int), y_score


def number_line_counts(y_true, y_score, threshold: float) -> RegionCounts:
    """Count the samples in each region: ``score >= threshold`` is predicted positive.

    Returns
    -------
    RegionCounts
        ``(tp, fp, tn, fn)``.

    >>> number_line_counts([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.2], 0.5)
    RegionCounts(tp=2, fp=1, tn=1, fn=0)
    """
    y_true, y_score = _scores_and_labels(y_true, y_score)
    said = y_score >= threshold
    positive = y_true == 1
    return RegionCounts(
        int(np.sum(positive & said)),
        int(np.sum(~positive & said)),
        int(np.sum(~positive & ~said)),
        int(np.sum(positive & ~said)),
    )


def stacked_offsets(values) -> np.ndarray:
    """0, 1, 2, ... for the first, second, third sample sharing a value (so tied dots do not hide each other).

    >>> stacked_offsets([0.5, 0.2, 0.5, 0.5]).tolist()
    [0, 0, 1, 2]
    """
    values = np.asarray(values)
    offsets = np.zeros(len(values), dtype=int)
    seen: dict = {}
    for i, value in enumerate(values.tolist()):
        offsets[i] = seen.get(value, 0)
        seen[value] = offsets[i] + 1
    return offsets


@dataclass
class NumberLineHandle:
    """The artists of one number-line picture, so a slider can move them without a redraw."""

    ax: Axes
    y_true: np.ndarray
    y_score: np.ndarray
    threshold: float
    counts: RegionCounts
    line: object = None
    shades: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    xlim: tuple = (0.0, 1.0)


def _label_text(name: str, count: int) -> str:
    return f"{name.upper()} = {count}"


def _place(handle: NumberLineHandle) -> None:
    """Put the shaded regions and their labels where the threshold now is."""
    low, high = handle.xlim
    t = min(max(handle.threshold, low), high)
    handle.line.set_xdata([handle.threshold, handle.threshold])
    for name, row, left in (("tp", 1, False), ("fn", 1, True), ("fp", 0, False), ("tn", 0, True)):
        x0, x1 = (low, t) if left else (t, high)
        shade = handle.shades[name]
        shade.set_x(x0)
        shade.set_width(max(x1 - x0, 0.0))
        label = handle.labels[name]
        label.set_text(_label_text(name, getattr(handle.counts, name)))
        label.set_position((x0 + 0.01 * (high - low) if left else x1 - 0.01 * (high - low), _ROW[row] + 0.4))
        label.set_horizontalalignment("left" if left else "right")


@_styled
def plot_score_number_line(
    y_true,
    y_score,
    threshold: float,
    *,
    ax: Axes | None = None,
    xlim: tuple[float, float] = (0.0, 1.0),
    title: str | None = None,
    xlabel: str = "Score (predict positive when score >= threshold)",
) -> NumberLineHandle:
    """Draw each sample as a dot at its score, one row per true class, with the threshold and four labelled regions.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (n_samples,)
    y_score : array-like of float, shape (n_samples,)
    threshold : float
        Samples with ``score >= threshold`` are predicted positive.
    ax : Axes, optional
    xlim : (float, float)
        The score range drawn (scores outside it are still counted).
    title : str, optional
        Defaults to "Scores by true class at threshold t".

    Returns
    -------
    NumberLineHandle
        ``counts`` holds the four region counts (the numbers written on the picture);
        pass the handle to :func:`update_score_number_line` to move the threshold.
    """
    y_true, y_score = _scores_and_labels(y_true, y_score)
    ax = _axes(ax, figsize=(8, 3.2))
    offsets = stacked_offsets(np.round(y_score, 12) + 10 * y_true)  # stack ties within a class
    spacing = 0.07
    for label, marker in ((1, "o"), (0, "s")):
        keep = y_true == label
        ax.plot(
            y_score[keep],
            _ROW[label] + 0.08 + spacing * offsets[keep],
            linestyle="none",
            marker=marker,
            markersize=7,
            markerfacecolor="white" if label == 0 else COLORS["black"],
            markeredgecolor=COLORS["black"],
            zorder=3,
        )
    handle = NumberLineHandle(ax, y_true, y_score, float(threshold), number_line_counts(y_true, y_score, threshold))
    handle.xlim = (float(xlim[0]), float(xlim[1]))
    for name, row in (("tp", 1), ("fn", 1), ("fp", 0), ("tn", 0)):
        handle.shades[name] = ax.add_patch(
            _rectangle((0, _ROW[row] - 0.05), 0, 0.6, color=REGION_COLORS[name], alpha=0.18, zorder=1)
        )
        handle.labels[name] = ax.text(
            0, 0, "", va="center", fontweight="bold", color=REGION_COLORS[name], fontsize=10, zorder=4
        )
    handle.line = ax.axvline(threshold, color=METRIC_COLORS["marker"], linestyle="--", linewidth=2, zorder=5)
    _place(handle)
    ax.set_xlim(*handle.xlim)
    ax.set_ylim(-0.15, 1.7)
    ax.set_yticks([0.25, 1.25], ["actual\nnegative", "actual\npositive"])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    ax.set_title(title if title is not None else f"Scores by true class at threshold {threshold:g}")
    return handle


def update_score_number_line(handle: NumberLineHandle, threshold: float) -> NumberLineHandle:
    """Move the threshold of a drawn number line: the line, the shaded regions and the four counts.

    Returns the same handle with ``threshold`` and ``counts`` updated (the figure is
    not redrawn here; a widget calls ``fig.canvas.draw_idle()`` after it).
    """
    handle.threshold = float(threshold)
    handle.counts = number_line_counts(handle.y_true, handle.y_score, threshold)
    _place(handle)
    handle.ax.set_title(f"Scores by true class at threshold {threshold:g}")
    return handle


def _rectangle(xy, width, height, **kwargs):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, linewidth=0, **kwargs)


def class_histograms(y_true, y_score, bins) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts of positives and of negatives per score bin: ``(positive_counts, negative_counts, edges)``.

    >>> pos, neg, edges = class_histograms([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.4], [0, 0.5, 1])
    >>> pos.tolist(), neg.tolist()
    ([1, 1], [2, 0])
    """
    y_true, y_score = _scores_and_labels(y_true, y_score)
    edges = np.histogram_bin_edges(y_score, bins=bins)  # shared by both classes, over every score
    positive_counts, _ = np.histogram(y_score[y_true == 1], bins=edges)
    negative_counts, _ = np.histogram(y_score[y_true == 0], bins=edges)
    return positive_counts, negative_counts, edges


@_styled
def plot_score_histograms(
    y_true,
    y_score,
    *,
    bins=20,
    threshold: float | None = None,
    ax: Axes | None = None,
    title: str = "Scores by true class",
    xlabel: str = "Score",
    ylabel: str = "Samples (count)",
) -> tuple[Axes, np.ndarray, np.ndarray]:
    """Histograms of the scores of each true class, in counts (not densities), on shared bins.

    In counts, a rare class looks as rare as it is: at 1 % positives the positive
    histogram is a sliver beside the negatives, which is what precision sees.

    Returns
    -------
    (Axes, positive_counts, negative_counts)
    """
    positive_counts, negative_counts, edges = class_histograms(y_true, y_score, bins)
    ax = _axes(ax)
    centers, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    ax.bar(centers, negative_counts, width=widths, color=REGION_COLORS["tn"], alpha=0.55, label="actual negative")
    ax.bar(centers, positive_counts, width=widths, color=REGION_COLORS["tp"], alpha=0.75, label="actual positive")
    if threshold is not None:
        ax.axvline(
            threshold, color=METRIC_COLORS["marker"], linestyle="--", linewidth=2, label=f"threshold {threshold:g}"
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper center")
    return ax, positive_counts, negative_counts
