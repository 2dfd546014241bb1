"""Lesson 04's threshold explorer: move the decision threshold, watch every count and score move.

A score becomes a prediction through a threshold t (positive when ``score >= t``).
Everything the slider shows at one threshold is a :class:`ThresholdView`:

- :func:`threshold_view` computes it directly from the data (the definition, for tests);
- :class:`ThresholdExplorer` sweeps the slider's grid once (``course_lib.metrics.curves.threshold_sweep``,
  one sort for all 101 thresholds) and then answers each slider move by indexing, so a
  move costs microseconds, not a pass over the data;
- :func:`format_view` turns a view into the text lines the widget displays, which a
  browser test can read and compare with this function's output;
- :meth:`ThresholdExplorer.figure` draws the confusion matrix next to the
  metric-vs-threshold plot with a marker at t;
- :func:`threshold_explorer` wires an ipywidgets slider to the above and nothing more.

The slider's grid is ``0.00, 0.01, ..., 1.00`` built as ``np.round(np.arange(...), 2)``, so
0.35 on the slider is the float 0.35, not 0.35000000000000003 (which would leave out a
sample scored exactly 0.35).

    >>> from course_lib.teaching.datasets import twenty_samples
    >>> y_true, y_score = twenty_samples()
    >>> print(format_view(threshold_view(y_true, y_score, 0.5)))
    threshold = 0.50
    TP = 9  FP = 2  TN = 6  FN = 3
    precision = 0.8182  recall = 0.7500  F1 = 0.7826
    accuracy = 0.7500
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.metrics.curves import best_threshold, best_threshold_range, threshold_sweep
from course_lib.teaching.widgets import _wiring, blitting
from course_lib.teaching.widgets._wiring import SLIDER_GRID, SLIDER_MIN, check_threshold, grid_index
from course_lib.teaching.widgets._wiring import SLIDER_MAX as SLIDER_MAX  # (re-exported: public names of this module)
from course_lib.teaching.widgets._wiring import SLIDER_STEP as SLIDER_STEP  # (re-exported)

#: CSS class of the readout, so a browser test can find it.
READOUT_CLASS = "threshold-readout"


@dataclass(frozen=True)
class ThresholdView:
    """Everything the explorer shows at one threshold.

    Ratios whose denominator is 0 are reported as 0 and flagged in ``undefined``
    (only precision can be: when nothing scores at least the threshold).
    """

    threshold: float
    tp: int
    fp: int
    tn: int
    fn: int
    precision: float
    recall: float
    f1: float
    accuracy: float
    undefined: tuple[str, ...] = ()

    def confusion_matrix(self) -> np.ndarray:
        """The four counts in scikit-learn's layout ``[[TN, FP], [FN, TP]]``."""
        return np.array([[self.tn, self.fp], [self.fn, self.tp]])


def _view_from_sweep(sweep, index: int, threshold: float) -> ThresholdView:
    tp, fp = int(sweep.tp[index]), int(sweep.fp[index])
    fn = int(sweep.fn[index])
    undefined = []
    if tp + fp == 0:
        undefined.append("precision")
    if tp + fn == 0:
        undefined.append("recall")
    if 2 * tp + fp + fn == 0:
        undefined.append("F1")
    return ThresholdView(
        threshold=threshold,
        tp=tp,
        fp=fp,
        tn=int(sweep.tn[index]),
        fn=fn,
        precision=float(sweep.precision[index]),
        recall=float(sweep.recall[index]),
        f1=float(sweep.f1[index]),
        accuracy=float(sweep.accuracy[index]),
        undefined=tuple(undefined),
    )


def threshold_view(y_true, y_score, threshold: float) -> ThresholdView:
    """The counts and scores of the classifier ``score >= threshold``, computed from scratch.

    precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 TP / (2 TP + FP + FN),
    accuracy = (TP + TN) / n; an undefined ratio (0/0) is 0 and named in ``view.undefined``.

    >>> view = threshold_view([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.6], 0.5)
    >>> (view.tp, view.fp, view.tn, view.fn)
    (1, 1, 1, 1)
    """
    threshold = check_threshold(threshold)
    sweep = threshold_sweep(y_true, y_score, [threshold])
    return _view_from_sweep(sweep, 0, threshold)


def format_view(view: ThresholdView) -> str:
    """The text the explorer displays, one fact per line (a browser test reads these lines).

    >>> print(format_view(threshold_view([0, 1], [0.2, 0.9], 0.95)).splitlines()[-1])
    undefined: precision (no sample scores >= 0.95), shown as 0
    """
    lines = [
        f"threshold = {view.threshold:.2f}",
        f"TP = {view.tp}  FP = {view.fp}  TN = {view.tn}  FN = {view.fn}",
        f"precision = {view.precision:.4f}  recall = {view.recall:.4f}  F1 = {view.f1:.4f}",
        f"accuracy = {view.accuracy:.4f}",
    ]
    if "precision" in view.undefined:
        lines.append(f"undefined: precision (no sample scores >= {view.threshold:.2f}), shown as 0")
    if "recall" in view.undefined:
        lines.append("undefined: recall (y_true has no positives), shown as 0")
    return "\n".join(lines)


def readout_html(view: ThresholdView) -> str:
    """:func:`format_view`'s text as the HTML the widget shows (a ``<pre>`` with a CSS class)."""
    return _wiring.readout_html(format_view(view), READOUT_CLASS)


class ThresholdExplorer:
    """The threshold lesson's data, swept once over the slider's grid.

    ``explorer.view(t)`` answers by indexing into the sweep when ``t`` is on the
    grid (any float within 1e-9 of a grid value, which absorbs a browser's
    ``0.30000000000000004``) and computes directly otherwise, so it always equals
    :func:`threshold_view`.

    >>> from course_lib.teaching.datasets import twenty_samples
    >>> explorer = ThresholdExplorer(*twenty_samples())
    >>> explorer.view(0.3).f1 == threshold_view(*twenty_samples(), 0.3).f1
    True
    """

    def __init__(self, y_true, y_score):
        self.sweep = threshold_sweep(y_true, y_score, SLIDER_GRID)
        self.y_true, self.y_score = np.asarray(y_true), np.asarray(y_score)
        #: The best F1 over every possible threshold, and the interval (low, high] of thresholds reaching it.
        self.best_f1 = best_threshold(y_true, y_score, metric="f1")[1]
        self.best_f1_range = best_threshold_range(y_true, y_score, metric="f1")

    def __repr__(self) -> str:
        low, high = self.best_f1_range
        return f"ThresholdExplorer({len(self.y_true)} samples, best F1 {self.best_f1:.4f} for thresholds in ({low:.2f}, {high:.2f}])"

    def view(self, threshold: float) -> ThresholdView:
        """What the slider shows at ``threshold``."""
        threshold = check_threshold(threshold)
        index = grid_index(threshold)
        if index is not None:
            return _view_from_sweep(self.sweep, index, float(SLIDER_GRID[index]))
        return threshold_view(self.y_true, self.y_score, threshold)

    def figure(self, threshold: float, *, figure=None):
        """Confusion matrix (left) and precision/recall/F1 against the threshold with a marker (right).

        Returns a :class:`ThresholdFigure`; its ``.fig`` is a matplotlib Figure made
        without pyplot when ``figure`` is given, else with pyplot (so ``plt.show()`` shows it).
        """
        return ThresholdFigure(self, self.view(threshold), figure=figure)

    def show(self, threshold: float = 0.5) -> ThresholdView:
        """The static picture: print the readout and draw the figure (for notebooks without widgets)."""
        import matplotlib.pyplot as plt

        view = self.view(threshold)
        print(format_view(view))
        self.figure(threshold)
        plt.show()
        return view


class ThresholdFigure(blitting.Picture):
    """The explorer's three panels (matrix, curves, number line), drawn once; :meth:`update` moves them.

    Updating changes the existing artists (image data, four cell texts, the title, the
    marker) instead of drawing a new figure on every slider move, and ``to_png()``
    repaints only those (see :class:`course_lib.teaching.widgets.blitting.Picture`).
    """

    def __init__(self, explorer: ThresholdExplorer, view: ThresholdView, *, figure=None):
        from course_lib.teaching import plots

        self.explorer = explorer
        self.fig, (self.ax_cm, self.ax_curve, self.ax_line) = _wiring.two_panels_over_a_strip(
            figure, figsize=(10, 7), width_ratios=[1, 1.6]
        )
        sweep = explorer.sweep
        plots.plot_confusion_matrix(
            view.confusion_matrix(),
            labels=["0 (negative)", "1 (positive)"],
            cell_names=[["TN", "FP"], ["FN", "TP"]],
            ax=self.ax_cm,
        )
        curves = {"precision": sweep.precision, "recall": sweep.recall, "F1": sweep.f1}
        plots.plot_metric_vs_threshold(
            sweep.thresholds,
            curves,
            ax=self.ax_curve,
            xlabel="Decision threshold (positive when score >= threshold)",
            title="Precision, recall and F1 against the threshold",
        )
        with plots.course_style():
            low, high = explorer.best_f1_range
            self.ax_curve.axvspan(
                max(low, SLIDER_MIN),
                high,
                color=plots.METRIC_COLORS["f1"],
                alpha=0.15,
                label=f"best F1 = {explorer.best_f1:.4f} for thresholds in ({low:.2f}, {high:.2f}]",
            )
            self.ax_curve.legend(loc="lower left")
            _wiring.room_for_markers(self.ax_curve)  # thresholds 0 and 1 put the marker on the frame
            self.marker = plots.draw_threshold_marker(self.ax_curve, view.threshold, self._marker_values(view))
        # the scores themselves, one row per true class: the four regions the threshold cuts them into
        self.number_line = plots.plot_score_number_line(
            explorer.y_true, explorer.y_score, view.threshold, ax=self.ax_line, xlim=(-0.03, 1.03)
        )
        self.update(view)

    @staticmethod
    def _marker_values(view: ThresholdView) -> dict:
        return {"precision": view.precision, "recall": view.recall, "f1": view.f1}

    def update(self, view: ThresholdView) -> None:
        """Show ``view``: new counts in the heatmap, the marker moved, a new title."""
        from course_lib.teaching import plots

        _wiring.update_confusion_matrix(self.ax_cm, view.confusion_matrix(), cell_names=[["TN", "FP"], ["FN", "TP"]])
        self.ax_cm.title.set_text(f"Confusion matrix at threshold {view.threshold:.2f}")  # keeps the course font
        plots.move_threshold_marker(self.marker, view.threshold, self._marker_values(view))
        plots.update_score_number_line(self.number_line, view.threshold)

    def _moving_artists(self) -> list:
        # the number line's Axes is repainted whole: its shades, labels, line and title all move
        moving = [*self.ax_cm.images, *self.ax_cm.texts, self.ax_cm.title, self.marker["line"], self.marker["dots"]]
        return [*moving, self.ax_line]


def threshold_explorer(y_true, y_score, *, threshold: float = 0.5):
    """A slider over the decision threshold, showing :func:`format_view`'s lines and the figure.

    Only wiring: the numbers come from :meth:`ThresholdExplorer.view`, the text from
    :func:`format_view`, the picture from :class:`ThresholdFigure`. Returns an
    ``ipywidgets.VBox`` of ``[slider, readout (HTML), picture (Image)]``.
    """
    from matplotlib.figure import Figure

    explorer = ThresholdExplorer(y_true, y_score)
    view = explorer.view(threshold)
    # A Figure made without pyplot: the inline backend never shows or keeps it, and one figure serves every move.
    picture = ThresholdFigure(explorer, view, figure=Figure(figsize=(10, 7), dpi=72))
    slider = _wiring.threshold_slider(view.threshold)
    return _wiring.slider_box(
        slider, view, answer=explorer.view, readout=readout_html, picture=picture, name="threshold"
    )
