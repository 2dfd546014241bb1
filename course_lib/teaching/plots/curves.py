"""ROC and precision-recall curves."""

from __future__ import annotations

from matplotlib.axes import Axes

from course_lib.teaching.plots.style import METRIC_COLORS, _axes, _styled


@_styled
def plot_roc_curve(
    fpr,
    tpr,
    *,
    auc: float | None = None,
    label: str = "model",
    ax: Axes | None = None,
    chance: bool = True,
    title: str = "ROC curve",
    color: str | None = None,
) -> Axes:
    """ROC curve (false positive rate against true positive rate) with the chance diagonal.

    The legend shows ``auc`` when given. The diagonal is a classifier that ranks at
    random: its expected ROC-AUC is 0.5.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    legend = label if auc is None else f"{label} (AUC = {auc:.4f})"
    ax.plot(fpr, tpr, drawstyle="default", label=legend, color=color)
    if chance and not any(line.get_label() == "chance (AUC = 0.5)" for line in ax.lines):
        ax.plot(
            [0, 1], [0, 1], linestyle="--", linewidth=1.2, color=METRIC_COLORS["chance"], label="chance (AUC = 0.5)"
        )
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("False positive rate (FP / N)")
    ax.set_ylabel("True positive rate = recall (TP / P)")
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax


@_styled
def plot_pr_curve(
    recall,
    precision,
    *,
    average_precision: float | None = None,
    base_rate: float | None = None,
    label: str = "model",
    ax: Axes | None = None,
    title: str = "Precision-recall curve",
    color: str | None = None,
) -> Axes:
    """Precision-recall curve, drawn as the step function average precision sums.

    ``recall`` and ``precision`` come in scikit-learn's order (recall decreasing,
    as ``precision_recall_curve`` returns them): each precision is drawn over the
    recall interval to the left of its point, the rectangle that AP adds up.

    ``base_rate`` (the fraction of positives) draws the no-skill line: a
    classifier that ranks at random has precision equal to the base rate at
    every recall.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    legend = label if average_precision is None else f"{label} (AP = {average_precision:.4f})"
    ax.step(recall, precision, where="post", label=legend, color=color)
    if base_rate is not None:
        ax.axhline(
            base_rate,
            linestyle="--",
            linewidth=1.2,
            color=METRIC_COLORS["chance"],
            label=f"no skill (precision = {base_rate:.3g})",
        )
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.05)
    ax.set_aspect("equal")
    ax.set_xlabel("Recall (TP / P)")
    ax.set_ylabel("Precision (TP / (TP + FP))")
    ax.set_title(title)
    ax.legend(loc="lower left")
    return ax
