"""Reliability diagrams and expected scores (lesson 09)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.plots.style import METRIC_COLORS, _axes, _styled


@_styled
def plot_reliability_diagram(
    prob_true,
    prob_pred,
    *,
    counts=None,
    ece: float | None = None,
    label: str = "model",
    ax: Axes | None = None,
    title: str = "Reliability diagram",
    color: str | None = None,
    gaps: bool = True,
) -> Axes:
    """Observed fraction of positives against mean predicted probability, one point per non-empty bin.

    The diagonal is perfect calibration. Points below it are overconfident (the event
    happens less often than predicted), points above it underconfident. With ``gaps``
    each point's distance to the diagonal is drawn: the expected calibration error is
    the average of these gaps weighted by ``counts`` (then the marker areas follow the
    counts too). The legend shows ``ece`` when given.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    prob_true, prob_pred = np.asarray(prob_true, dtype=float), np.asarray(prob_pred, dtype=float)
    if not any(line.get_label() == "perfectly calibrated" for line in ax.lines):
        ax.plot(
            [0, 1], [0, 1], linestyle="--", linewidth=1.2, color=METRIC_COLORS["chance"], label="perfectly calibrated"
        )
    legend = label if ece is None else f"{label} (ECE = {ece:.4f})"
    (line,) = ax.plot(prob_pred, prob_true, marker="o", markersize=4, label=legend, color=color)
    if counts is not None:
        counts = np.asarray(counts, dtype=float)
        ax.scatter(prob_pred, prob_true, s=12 + 150 * counts / counts.max(), color=line.get_color(), alpha=0.35)
    if gaps:
        ax.vlines(prob_pred, prob_pred, prob_true, color=line.get_color(), linewidth=1.0, alpha=0.6)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("Mean predicted probability (per bin)")
    ax.set_ylabel("Fraction of positives (per bin)")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


@_styled
def plot_expected_scores(
    reported,
    curves: dict,
    *,
    true_probability: float,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Expected score of reporting probability p, one curve per scoring rule, each minimum marked.

    ``curves`` maps a name to the expected score at each ``reported`` p when the event
    happens with probability ``true_probability`` q. A proper scoring rule is smallest
    at p = q (the dotted line); an improper one rewards reporting something else.
    """
    ax = _axes(ax, figsize=(6.0, 4.2))
    reported = np.asarray(reported, dtype=float)
    for name, values in curves.items():
        values = np.asarray(values, dtype=float)
        best = int(np.argmin(values))
        (line,) = ax.plot(reported, values, label=f"{name} (smallest at p = {reported[best]:.2f})")
        ax.plot([reported[best]], [values[best]], marker="o", markersize=7, color=line.get_color(), linestyle="none")
    ax.axvline(
        true_probability,
        linestyle=":",
        color=METRIC_COLORS["chance"],
        label=f"true probability q = {true_probability:g}",
    )
    ax.set_xlabel("Reported probability p")
    ax.set_ylabel("Expected score (lower is better)")
    ax.set_title(title or f"Expected scores when the truth is 1 with probability {true_probability:g}")
    ax.legend()
    return ax
