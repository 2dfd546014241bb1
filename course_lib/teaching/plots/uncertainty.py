"""Pictures of sampling noise and intervals (lesson 11): spreads, coverage curves, interval bars, widths."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.plots.style import COLORS, METRIC_COLORS, _axes, _styled


@_styled
def plot_sampling_spread(
    values: dict,
    *,
    truth: float | None = None,
    bins: int = 40,
    ax: Axes | None = None,
    title: str = "One metric, many test sets",
    xlabel: str = "metric on a test set",
) -> Axes:
    """Overlaid histograms of a metric over simulated test sets, one per entry of ``values`` ({label: array}).

    A dashed vertical line marks the population value ``truth``. The width of each
    histogram is the sampling noise a single test set carries.
    """
    ax = _axes(ax)
    arrays = [np.asarray(v, dtype=float) for v in values.values()]
    edges = np.histogram_bin_edges(np.concatenate(arrays), bins=bins)
    for (label, _), data in zip(values.items(), arrays, strict=True):
        ax.hist(data, bins=edges, alpha=0.45, label=f"{label} (sd {data.std(ddof=1):.3f})")
    if truth is not None:
        ax.axvline(truth, color=COLORS["black"], linestyle="--", linewidth=1.2, label=f"population value {truth:.3f}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("test sets")
    ax.set_title(title)
    ax.legend()
    return ax


@_styled
def plot_coverage(
    rates,
    coverage: dict,
    *,
    nominal: float = 0.95,
    ax: Axes | None = None,
    title: str = "How often the interval holds the truth",
    xlabel: str = "true proportion p",
) -> Axes:
    """Coverage probability against the true proportion, one line per method ({name: array}).

    The dashed line is the nominal level; a method is honest where its curve stays near it.
    """
    ax = _axes(ax)
    rates = np.asarray(rates, dtype=float)
    for name, values in coverage.items():
        ax.plot(rates, np.asarray(values, dtype=float), linewidth=1.4, label=name)
    ax.axhline(nominal, color=METRIC_COLORS["chance"], linestyle="--", linewidth=1.2, label=f"nominal {nominal:.0%}")
    ax.set_ylim(max(0.0, min(np.min(v) for v in coverage.values()) - 0.05), 1.005)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("coverage probability")
    ax.set_title(title)
    ax.legend(loc="lower center")
    return ax


@_styled
def plot_intervals(
    labels,
    estimates,
    lows,
    highs,
    *,
    reference: float | None = None,
    ax: Axes | None = None,
    title: str = "Estimates with 95 % intervals",
    xlabel: str = "value",
) -> Axes:
    """A forest plot: one row per label, a dot at the estimate and a bar from low to high.

    ``reference`` draws a vertical line (0 for a difference, a population value for a coverage check).
    """
    ax = _axes(ax, figsize=(6.4, 0.5 + 0.45 * len(labels)))
    estimates, lows, highs = (np.asarray(a, dtype=float) for a in (estimates, lows, highs))
    rows = np.arange(len(labels))[::-1]
    ax.hlines(rows, lows, highs, color=COLORS["blue"], linewidth=3, alpha=0.6)
    ax.plot(estimates, rows, "o", color=COLORS["blue"])
    if reference is not None:
        ax.axvline(reference, color=COLORS["black"], linestyle="--", linewidth=1.2)
    ax.set_yticks(rows, labels)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return ax


@_styled
def plot_interval_width(
    sizes,
    widths: dict,
    *,
    target: float | None = None,
    ax: Axes | None = None,
    title: str = "Interval width against test-set size",
) -> Axes:
    """Interval width against the test-set size (log scale), one line per setting ({label: widths})."""
    ax = _axes(ax)
    sizes = np.asarray(sizes, dtype=float)
    for label, values in widths.items():
        ax.plot(sizes, np.asarray(values, dtype=float), label=label)
    if target is not None:
        ax.axhline(target, color=METRIC_COLORS["chance"], linestyle="--", linewidth=1.2, label=f"target width {target}")
    ax.set_xscale("log")
    ax.set_xlabel("test-set size n")
    ax.set_ylabel("width of the 95 % interval")
    ax.set_title(title)
    ax.legend()
    return ax


__all__ = ["plot_coverage", "plot_interval_width", "plot_intervals", "plot_sampling_spread"]
