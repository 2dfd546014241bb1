"""Lesson 10's temperature slider for K classes: both reliability diagrams move, the ranking does not.

Dividing K-class logits by one temperature T > 0 before the softmax keeps the order of the
classes in every row, so accuracy and top-k accuracy stay the same at every T, while the
probabilities, and with them the top-label ECE, the class-wise ECE, log-loss and Brier,
move. One scalar moves all classes alike: a bias that affects one class more than the
others stays.

- :func:`multiclass_temperature_view` computes everything the slider shows at one T (tests call it);
- :func:`format_multiclass_temperature_view` turns it into the text lines the widget displays;
- :class:`MulticlassTemperatureFigure` draws the top-label and the class-wise reliability diagrams;
- :func:`multiclass_temperature_explorer` wires an ipywidgets slider to the above and nothing more.

    >>> view = multiclass_temperature_view([0, 1, 2, 2], [[2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 3.0],
    ...                                                  [1.0, 0.0, 0.5]], 2.0, n_bins=5)
    >>> print(format_multiclass_temperature_view(view))
    temperature T = 2.00
    top-label ECE (5 bins) = 0.2153  class-wise ECE = 0.1748
    log-loss = 0.7085  Brier = 0.3893
    accuracy = 0.7500  top-2 accuracy = 1.0000
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.metrics.multiclass_calibration import ReliabilityCounts, reliability_counts
from course_lib.metrics.probabilistic import brier_score_loss, log_loss
from course_lib.metrics.temperature import _check_logits, _check_temperature, apply_temperature
from course_lib.metrics.topk import top_k_accuracy_from_counts, true_class_rank_counts
from course_lib.metrics.validation import check_int, expected
from course_lib.teaching.widgets import _wiring, blitting

#: The slider moves log2(T) from -2 to 3 (T from 0.25 to 8) in steps of 0.05.
SLIDER_LOG2_MIN, SLIDER_LOG2_MAX, SLIDER_LOG2_STEP = -2.0, 3.0, 0.05

#: CSS class of the readout, so a browser test can find it.
READOUT_CLASS = "multiclass-temperature-readout"


@dataclass(frozen=True)
class MulticlassTemperatureView:
    """Everything the K-class temperature slider shows for one T."""

    temperature: float
    n_bins: int
    top_label: ReliabilityCounts  # one row: the top-label diagram's per-bin counts
    classwise: ReliabilityCounts  # K rows: one diagram per class
    top_label_ece: float
    classwise_ece: float
    log_loss: float
    brier: float
    accuracy: float
    top2_accuracy: float


def _check_multiclass_logits(logits) -> np.ndarray:
    z = _check_logits(logits)
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(expected("logits", "a 2-D array (n_samples, n_classes) with at least 2 columns", z.shape))
    return z


def multiclass_temperature_view(y_true, logits, temperature, *, n_bins: int = 10) -> MulticlassTemperatureView:
    """Calibration and scores of ``softmax(logits / temperature)`` against ``y_true`` (labels 0 .. K-1)."""
    z = _check_multiclass_logits(logits)
    n_bins = check_int(n_bins, "n_bins", minimum=1)
    labels = np.arange(z.shape[1])
    probabilities = apply_temperature(z, temperature)
    top = reliability_counts(y_true, probabilities, labels=labels, n_bins=n_bins)
    per_class = reliability_counts(y_true, probabilities, multiclass="classwise", labels=labels, n_bins=n_bins)
    ranks = true_class_rank_counts(y_true, z, labels=labels)  # the logits rank the classes as the probabilities do
    return MulticlassTemperatureView(
        temperature=_check_temperature(temperature),
        n_bins=n_bins,
        top_label=top,
        classwise=per_class,
        top_label_ece=float(top.row_errors()[0]),
        classwise_ece=float(per_class.row_errors().mean()),
        log_loss=log_loss(y_true, probabilities, labels=labels),
        brier=brier_score_loss(y_true, probabilities, labels=labels),
        accuracy=top_k_accuracy_from_counts(ranks, 1),
        top2_accuracy=top_k_accuracy_from_counts(ranks, 2),
    )


def format_multiclass_temperature_view(view: MulticlassTemperatureView) -> str:
    """The text the explorer displays, one group of facts per line."""
    return "\n".join(
        [
            f"temperature T = {view.temperature:.2f}",
            f"top-label ECE ({view.n_bins} bins) = {view.top_label_ece:.4f}  class-wise ECE = {view.classwise_ece:.4f}",
            f"log-loss = {view.log_loss:.4f}  Brier = {view.brier:.4f}",
            f"accuracy = {view.accuracy:.4f}  top-2 accuracy = {view.top2_accuracy:.4f}",
        ]
    )


def readout_html(view: MulticlassTemperatureView) -> str:
    """:func:`format_multiclass_temperature_view`'s text as the HTML the widget shows."""
    return _wiring.readout_html(format_multiclass_temperature_view(view), READOUT_CLASS)


class MulticlassTemperatureFigure(blitting.Picture):
    """Top-label reliability (left) and class-wise reliability (right); both redraw on :meth:`update`."""

    def __init__(self, view: MulticlassTemperatureView, *, figure=None):
        from course_lib.teaching import plots

        self._plots = plots
        self.fig, (self.ax_top, self.ax_classes) = _wiring.two_panels(figure, figsize=(10.0, 4.8))
        self.update(view)

    def update(self, view: MulticlassTemperatureView) -> None:
        for ax in (self.ax_top, self.ax_classes):
            ax.clear()
        suffix = f", T = {view.temperature:.2f}"
        self._plots.plot_top_label_reliability(view.top_label, ax=self.ax_top, title="Top label" + suffix)
        self._plots.plot_classwise_reliability(view.classwise, ax=self.ax_classes, title="Per class" + suffix)

    def _moving_artists(self) -> list:
        return [self.ax_top, self.ax_classes]


def multiclass_temperature_explorer(y_true, logits, *, temperature: float = 1.0, n_bins: int = 10):
    """A log-scale temperature slider moving both reliability diagrams of a K-class model.

    Only wiring: numbers from :func:`multiclass_temperature_view`, text from
    :func:`format_multiclass_temperature_view`, picture from :class:`MulticlassTemperatureFigure`.
    Returns an ``ipywidgets.VBox`` of ``[slider, readout (HTML), picture (Image)]``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    z = _check_multiclass_logits(logits)

    def answer(t):
        return multiclass_temperature_view(y_true, z, t, n_bins=n_bins)

    view = answer(temperature)
    picture = MulticlassTemperatureFigure(view, figure=Figure(figsize=(10.0, 4.8), dpi=72, layout="constrained"))
    slider = _wiring.make_slider(
        widgets.FloatLogSlider,
        value=view.temperature,
        base=2,
        min=SLIDER_LOG2_MIN,
        max=SLIDER_LOG2_MAX,
        step=SLIDER_LOG2_STEP,
        description="T",
    )
    return _wiring.slider_box(
        slider, view, answer=answer, readout=readout_html, picture=picture, name="multiclass-temperature"
    )


__all__ = [
    "MulticlassTemperatureFigure",
    "MulticlassTemperatureView",
    "format_multiclass_temperature_view",
    "multiclass_temperature_explorer",
    "multiclass_temperature_view",
    "readout_html",
]
