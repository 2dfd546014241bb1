"""Lesson 05's operating-point slider: one threshold, one point on the ROC curve and one on the PR curve.

Every threshold t is one classifier (positive when ``score >= t``) and therefore one
*operating point*: (FPR, TPR) on the ROC curve and (recall, precision) on the PR
curve. The slider moves t; both markers move together, because both come from the
same four counts.

- :func:`operating_point` computes the point at one threshold from the data (the
  definition, for tests);
- :class:`OperatingPointExplorer` sweeps the slider's grid and draws both curves
  once, then answers each slider move by indexing;
- :func:`format_operating_point` turns a point into the text lines the widget
  shows, which a browser test reads and compares with this function's output;
- :func:`operating_point_explorer` wires an ipywidgets slider to the above and
  nothing more.

Every number comes from :class:`~course_lib.metrics.curves.ThresholdSweep`, with its
one rule for a ratio whose denominator is 0: it is 0 (FPR = FP / N follows the same
rule). When nothing scores at least t, precision is 0/0: the readout shows the
sweep's 0 and says so, and the marker goes where the PR curve draws that
classifier (``precision_recall_curve``'s last point: precision 1, recall 0).

    >>> from course_lib.teaching.datasets import eight_samples
    >>> print(format_operating_point(operating_point(*eight_samples(), 0.6)))
    threshold = 0.60
    TP = 3  FP = 1  TN = 3  FN = 1
    TPR = 0.7500  FPR = 0.2500
    precision = 0.7500  recall = 0.7500
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.metrics.curves import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
    threshold_sweep,
)
from course_lib.teaching.widgets import _wiring, blitting
from course_lib.teaching.widgets._wiring import SLIDER_GRID, check_threshold, grid_index
from course_lib.teaching.widgets._wiring import SLIDER_MAX as SLIDER_MAX  # (re-exported: public names of this module)
from course_lib.teaching.widgets._wiring import SLIDER_STEP as SLIDER_STEP  # (re-exported)

#: CSS class of the readout, so a browser test can find it.
READOUT_CLASS = "operating-point-readout"


@dataclass(frozen=True)
class OperatingPoint:
    """The classifier ``score >= threshold``: its counts and its place on both curves.

    Ratios are :class:`~course_lib.metrics.curves.ThresholdSweep`'s (0 where the denominator
    is 0). ``precision_defined`` is False when nothing is predicted positive; ``precision``
    is then 0 and :attr:`pr_xy` puts the point at precision 1, where the PR curve draws it.
    """

    threshold: float
    tp: int
    fp: int
    tn: int
    fn: int
    tpr: float
    fpr: float
    precision: float
    recall: float
    precision_defined: bool = True

    @property
    def roc_xy(self) -> tuple[float, float]:
        """Where the point sits on the ROC curve: (FPR, TPR)."""
        return self.fpr, self.tpr

    @property
    def pr_xy(self) -> tuple[float, float]:
        """Where the point sits on the PR curve: (recall, precision), precision 1 when it is 0/0 (the curve's end)."""
        return self.recall, self.precision if self.precision_defined else 1.0


def _point_from_sweep(sweep, index: int, threshold: float) -> OperatingPoint:
    tp, fp, tn, fn = (int(a[index]) for a in (sweep.tp, sweep.fp, sweep.tn, sweep.fn))
    n_negatives = fp + tn
    return OperatingPoint(
        threshold=threshold,
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        tpr=float(sweep.recall[index]),  # TPR is recall
        fpr=fp / n_negatives if n_negatives else 0.0,  # the sweep's rule: 0 where the denominator is 0
        precision=float(sweep.precision[index]),
        recall=float(sweep.recall[index]),
        precision_defined=tp + fp > 0,
    )


def operating_point(y_true, y_score, threshold: float) -> OperatingPoint:
    """The operating point of ``score >= threshold`` on both curves.

    TPR = recall = TP / P, FPR = FP / N, precision = TP / (TP + FP).

    >>> point = operating_point([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.3)
    >>> point.roc_xy, point.pr_xy
    ((0.5, 1.0), (1.0, 0.6666666666666666))
    """
    threshold = check_threshold(threshold)
    return _point_from_sweep(threshold_sweep(y_true, y_score, [threshold]), 0, threshold)


def format_operating_point(point: OperatingPoint) -> str:
    """The text the explorer displays, one fact per line (a browser test reads these lines).

    >>> print(format_operating_point(operating_point([0, 1], [0.2, 0.9], 0.95)).splitlines()[-1])
    undefined: precision (no sample scores >= 0.95), shown as 0; the PR curve draws it at 1
    """
    lines = [
        f"threshold = {point.threshold:.2f}",
        f"TP = {point.tp}  FP = {point.fp}  TN = {point.tn}  FN = {point.fn}",
        f"TPR = {point.tpr:.4f}  FPR = {point.fpr:.4f}",
        f"precision = {point.precision:.4f}  recall = {point.recall:.4f}",
    ]
    if not point.precision_defined:
        lines.append(
            f"undefined: precision (no sample scores >= {point.threshold:.2f}), shown as 0; the PR curve draws it at 1"
        )
    return "\n".join(lines)


def readout_html(point: OperatingPoint) -> str:
    """:func:`format_operating_point`'s text as the HTML the widget shows (a ``<pre>`` with a CSS class)."""
    return _wiring.readout_html(format_operating_point(point), READOUT_CLASS)


class OperatingPointExplorer:
    """One data set's ROC and PR curves, and its operating point at every slider position.

    >>> from course_lib.teaching.datasets import eight_samples
    >>> OperatingPointExplorer(*eight_samples())
    OperatingPointExplorer(8 samples, ROC-AUC 0.8125, AP 0.8542)
    """

    def __init__(self, y_true, y_score):
        self.y_true, self.y_score = np.asarray(y_true), np.asarray(y_score)
        self.sweep = threshold_sweep(y_true, y_score, SLIDER_GRID)
        self.fpr, self.tpr, _ = roc_curve(y_true, y_score, drop_intermediate=False)
        self.precision, self.recall, _ = precision_recall_curve(y_true, y_score)
        self.roc_auc = roc_auc_score(y_true, y_score)
        self.average_precision = average_precision_score(y_true, y_score)
        self.base_rate = float(self.sweep.tp[0] + self.sweep.fn[0]) / len(self.y_true)

    def __repr__(self) -> str:
        return (
            f"OperatingPointExplorer({len(self.y_true)} samples, ROC-AUC {self.roc_auc:.4f}, "
            f"AP {self.average_precision:.4f})"
        )

    def point(self, threshold: float) -> OperatingPoint:
        """What the slider shows at ``threshold`` (indexing when it is on the grid, else computed)."""
        threshold = check_threshold(threshold)
        index = grid_index(threshold)
        if index is not None:
            return _point_from_sweep(self.sweep, index, float(SLIDER_GRID[index]))
        return operating_point(self.y_true, self.y_score, threshold)

    def figure(self, threshold: float, *, figure=None) -> OperatingPointFigure:
        """ROC curve (left) and PR curve (right), each with the marker at ``threshold``.

        With ``figure`` (a matplotlib Figure made without pyplot) it draws there; otherwise
        it makes one with pyplot, so ``plt.show()`` shows it.
        """
        return OperatingPointFigure(self, self.point(threshold), figure=figure)


_MARKER_STYLE = dict(
    linestyle="none", marker="o", markersize=10, markerfacecolor="white", markeredgewidth=2.5, zorder=5
)


class OperatingPointFigure(blitting.Picture):
    """The explorer's two panels, drawn once; :meth:`update` moves both markers.

    ``to_png()`` repaints only the markers and titles (see :class:`course_lib.teaching.widgets.blitting.Picture`).
    """

    def __init__(self, explorer: OperatingPointExplorer, point: OperatingPoint, *, figure=None):
        from course_lib.teaching import plots

        self.fig, (self.ax_roc, self.ax_pr) = _wiring.two_panels(figure, figsize=(9.6, 4.6))
        plots.plot_roc_curve(explorer.fpr, explorer.tpr, auc=explorer.roc_auc, ax=self.ax_roc)
        plots.plot_pr_curve(
            explorer.recall,
            explorer.precision,
            average_precision=explorer.average_precision,
            base_rate=explorer.base_rate,
            ax=self.ax_pr,
        )
        color = plots.METRIC_COLORS["marker"]
        with plots.course_style():
            (self.roc_marker,) = self.ax_roc.plot([], [], markeredgecolor=color, **_MARKER_STYLE)
            (self.pr_marker,) = self.ax_pr.plot([], [], markeredgecolor=color, **_MARKER_STYLE)
        for ax in (self.ax_roc, self.ax_pr):
            _wiring.room_for_markers(ax)  # the curves' ends sit in the corners, where the slider's ends go
        self.update(point)

    def update(self, point: OperatingPoint) -> None:
        """Move both markers to ``point`` and name the threshold in the titles."""
        self.roc_marker.set_data([point.fpr], [point.tpr])
        self.pr_marker.set_data(*([value] for value in point.pr_xy))
        self.ax_roc.title.set_text(f"ROC curve, threshold {point.threshold:.2f}")
        self.ax_pr.title.set_text(f"Precision-recall curve, threshold {point.threshold:.2f}")

    def _moving_artists(self) -> list:
        return [self.roc_marker, self.pr_marker, self.ax_roc.title, self.ax_pr.title]


def operating_point_explorer(y_true, y_score, *, threshold: float = 0.5):
    """A threshold slider moving the operating point along the ROC and PR curves at once.

    Only wiring: numbers from :meth:`OperatingPointExplorer.point`, text from
    :func:`format_operating_point`, picture from :class:`OperatingPointFigure`.
    Returns an ``ipywidgets.VBox`` of ``[slider, readout (HTML), picture (Image)]``.
    """
    from matplotlib.figure import Figure

    explorer = OperatingPointExplorer(y_true, y_score)
    point = explorer.point(threshold)
    # A Figure made without pyplot: the inline backend never shows or keeps it; one figure serves every move.
    picture = OperatingPointFigure(explorer, point, figure=Figure(figsize=(9.6, 4.6), dpi=72, layout="constrained"))
    slider = _wiring.threshold_slider(point.threshold)
    return _wiring.slider_box(
        slider, point, answer=explorer.point, readout=readout_html, picture=picture, name="operating-point"
    )
