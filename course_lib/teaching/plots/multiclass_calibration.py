"""Reliability diagrams of K-class probabilities: the top label, and each class (lesson 10).

Both draw :class:`course_lib.metrics.multiclass_calibration.ReliabilityCounts`, the per-bin
counts that the ECEs are computed from, so the picture and the number never disagree.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from course_lib.metrics.multiclass_calibration import reliability_counts
    >>> y_prob = [[0.62, 0.28, 0.10]] * 10
    >>> ax = plot_classwise_reliability(reliability_counts([0] * 6 + [1] + [2] * 3, y_prob, multiclass="classwise"))
    >>> len(ax.get_legend().get_texts())
    4
"""

from __future__ import annotations

from matplotlib.axes import Axes

from course_lib.teaching.plots.calibration import plot_reliability_diagram
from course_lib.teaching.plots.style import COLORS, _axes, _styled

#: One colour per class, in column order (Okabe-Ito, skipping the metric colours' first two).
CLASS_COLORS = (
    COLORS["green"],
    COLORS["vermillion"],
    COLORS["purple"],
    COLORS["sky"],
    COLORS["blue"],
    COLORS["orange"],
)


@_styled
def plot_top_label_reliability(
    bins, *, ax: Axes | None = None, label: str = "top label", title: str = "Top-label reliability"
) -> Axes:
    """Accuracy of the predicted class against its mean confidence, per non-empty bin.

    ``bins``: ``reliability_counts(..., multiclass="top-label")``. The legend shows the
    top-label ECE (the count-weighted mean gap to the diagonal).
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    plot_reliability_diagram(
        bins.prob_true(0), bins.prob_pred(0), counts=bins.counts[0][bins.counts[0] > 0],
        ece=float(bins.row_errors()[0]), label=label, ax=ax, title=title,
    )  # fmt: skip
    ax.set_xlabel("Mean confidence (largest probability, per bin)")
    ax.set_ylabel("Accuracy of the predicted class (per bin)")
    return ax


@_styled
def plot_classwise_reliability(
    bins, *, ax: Axes | None = None, class_names=None, title: str = "Class-wise reliability"
) -> Axes:
    """One reliability curve per class: frequency of class j against the mean probability of class j.

    ``bins``: ``reliability_counts(..., multiclass="classwise")``. Each legend entry shows
    that class's ECE; the title gives the class-wise ECE, their mean.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    names = bins.rows if class_names is None else tuple(class_names)
    errors = bins.row_errors()
    for row, name in enumerate(names):
        filled = bins.counts[row] > 0
        plot_reliability_diagram(
            bins.prob_true(row), bins.prob_pred(row), counts=bins.counts[row][filled], ece=float(errors[row]),
            label=f"class {name}", ax=ax, title=title, color=CLASS_COLORS[row % len(CLASS_COLORS)],
        )  # fmt: skip
    ax.set_title(f"{title} (class-wise ECE = {errors.mean():.4f})")
    ax.set_xlabel("Mean predicted probability of the class (per bin)")
    ax.set_ylabel("Frequency of the class (per bin)")
    ax.legend(loc="upper left", fontsize="small")
    return ax


__all__ = ["CLASS_COLORS", "plot_classwise_reliability", "plot_top_label_reliability"]
