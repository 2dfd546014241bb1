"""Prevalence shift and group gaps (lesson 12): precision against the positive rate, a rate per group with intervals."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.metrics.prevalence import precision_at_prevalence
from course_lib.teaching.plots.style import METRIC_COLORS, _axes, _styled


def precision_prevalence_curve(tpr: float, fpr: float, prevalences=None):
    """``(prevalences, precision)``: the pure function under :func:`plot_precision_vs_prevalence`.

    Prevalences default to 200 points spread evenly on a log scale from 0.001 to 0.999.
    """
    prevalences = np.logspace(-3, np.log10(0.999), 200) if prevalences is None else np.asarray(prevalences, float)
    precision = np.array([precision_at_prevalence(tpr, fpr, float(pi), zero_division=0.0) for pi in prevalences])
    return prevalences, precision


@_styled
def plot_precision_vs_prevalence(
    tpr: float,
    fpr: float,
    *,
    marks: dict | None = None,
    ax: Axes | None = None,
    title: str = "Same TPR and FPR, precision moves with prevalence",
) -> Axes:
    """Precision of one operating point (``tpr``, ``fpr``) as the share of positives varies (log x-axis).

    ``marks`` maps a label to ``(prevalence, measured precision)``: points measured on test sets, drawn on
    the curve to show that the formula predicts them. The dashed line is the no-skill precision (= prevalence).
    """
    ax = _axes(ax, figsize=(6.0, 4.0))
    prevalences, precision = precision_prevalence_curve(tpr, fpr)
    ax.plot(prevalences, precision, color=METRIC_COLORS["precision"], label=f"TPR {tpr:.3f}, FPR {fpr:.3f}")
    ax.plot(prevalences, prevalences, linestyle="--", color=METRIC_COLORS["chance"], label="no skill (= prevalence)")
    for label, (prevalence, measured) in (marks or {}).items():
        ax.plot([prevalence], [measured], marker="o", linestyle="none", label=label)
    ax.set_xscale("log")
    ax.set_xlim(prevalences[0], 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Prevalence (share of positives), log scale")
    ax.set_ylabel("Precision")
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax


@_styled
def plot_group_rates(
    values: dict,
    *,
    intervals: dict | None = None,
    ax: Axes | None = None,
    ylabel: str = "True positive rate",
    title: str = "A rate per group, with 95 % intervals",
) -> Axes:
    """One point per group (``values``: group -> rate) with its interval (``intervals``: group -> (low, high))."""
    ax = _axes(ax, figsize=(5.0, 3.6))
    groups = list(values)
    positions = np.arange(len(groups))
    rates = np.array([values[g] for g in groups], dtype=float)
    if intervals is not None:
        low = np.array([intervals[g][0] for g in groups], dtype=float)
        high = np.array([intervals[g][1] for g in groups], dtype=float)
        ax.errorbar(positions, rates, yerr=[rates - low, high - rates], fmt="none", capsize=5, color="black")
    ax.plot(positions, rates, marker="o", linestyle="none", markersize=8, color=METRIC_COLORS["tpr"])
    ax.set_xticks(positions, [str(g) for g in groups])
    ax.set_ylim(0, 1)
    ax.set_xlabel("Group")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


__all__ = ["plot_group_rates", "plot_precision_vs_prevalence", "precision_prevalence_curve"]
