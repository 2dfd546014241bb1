"""Lesson 09's temperature slider: the reliability diagram moves, the ROC curve does not.

Dividing a binary model's logits by a temperature T > 0 before the sigmoid changes
every probability (T > 1 pulls them towards 1/2, T < 1 pushes them towards 0 and 1)
but never their order. So the calibration picture and the probability scores move
with T, while everything that depends only on the ranking (the ROC curve, ROC-AUC)
and everything that depends only on the side of 1/2 (accuracy at threshold 0.5, since
``sigmoid(z / T) >= 0.5`` exactly when ``z >= 0``) stays put.

- :func:`temperature_view` computes everything the slider shows at one T (tests call it);
- :func:`format_temperature_view` turns it into the text lines the widget displays;
- :class:`TemperatureExplorer` holds one data set, draws the static picture
  (reliability diagram and ROC curve) and answers each slider move;
- :func:`temperature_explorer` wires an ipywidgets slider to the above and nothing more.

    >>> view = temperature_view([0, 0, 1, 1], [-3.0, 1.0, 2.0, 4.0], 2.0, n_bins=2)
    >>> print(format_temperature_view(view))
    temperature T = 2.00
    ECE (2 bins) = 0.1042
    log-loss = 0.4039  Brier = 0.1268
    accuracy (threshold 0.5) = 0.7500  ROC-AUC = 1.0000
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.metrics.calibration import _check_logits, _check_temperature, apply_temperature, calibration_bins
from course_lib.metrics.curves import roc_auc_score, roc_curve
from course_lib.metrics.probabilistic import brier_score_loss, log_loss
from course_lib.metrics.validation import check_int, expected
from course_lib.teaching.widgets import _wiring, blitting

#: The slider moves log2(T) from -2 to 3 (T from 0.25 to 8) in steps of 0.05.
SLIDER_LOG2_MIN, SLIDER_LOG2_MAX, SLIDER_LOG2_STEP = -2.0, 3.0, 0.05

#: CSS class of the readout, so a browser test can find it.
READOUT_CLASS = "temperature-readout"


@dataclass(frozen=True)
class TemperatureView:
    """Everything the temperature slider shows for one T (binary logits)."""

    temperature: float
    n_bins: int
    prob_true: np.ndarray  # reliability diagram: fraction of positives per non-empty bin
    prob_pred: np.ndarray  # mean predicted probability per non-empty bin
    counts: np.ndarray  # samples per non-empty bin
    ece: float
    log_loss: float
    brier: float
    accuracy: float  # of predicting positive when the probability is >= 0.5
    roc_auc: float


def _check_binary_logits(logits) -> np.ndarray:
    z = _check_logits(logits)
    if z.ndim != 1:
        raise ValueError(expected("logits", "a 1-D array of binary logits", f"shape {z.shape}"))
    return z


def _check_n_bins(n_bins) -> int:
    return check_int(n_bins, "n_bins", minimum=1)


def temperature_view(y_true, logits, temperature, *, n_bins: int = 10) -> TemperatureView:
    """Calibration, scores and ranking of ``sigmoid(logits / temperature)`` against ``y_true`` (labels 0/1).

    ECE uses ``n_bins`` uniform bins, the same as the reliability diagram.
    """
    z = _check_binary_logits(logits)
    n_bins = _check_n_bins(n_bins)
    probabilities = apply_temperature(z, temperature)
    bins = calibration_bins(y_true, probabilities, n_bins=n_bins)
    y = np.asarray(y_true)
    return TemperatureView(
        temperature=_check_temperature(temperature),
        n_bins=n_bins,
        prob_true=bins.prob_true,
        prob_pred=bins.prob_pred,
        counts=bins.counts,
        ece=bins.ece,
        log_loss=log_loss(y, probabilities, labels=[0, 1]),
        brier=brier_score_loss(y, probabilities),
        accuracy=float(np.mean((probabilities >= 0.5) == (y == 1))),
        roc_auc=roc_auc_score(y, probabilities),
    )


def format_temperature_view(view: TemperatureView) -> str:
    """The text the explorer displays, one fact per line."""
    return "\n".join(
        [
            f"temperature T = {view.temperature:.2f}",
            f"ECE ({view.n_bins} bins) = {view.ece:.4f}",
            f"log-loss = {view.log_loss:.4f}  Brier = {view.brier:.4f}",
            f"accuracy (threshold 0.5) = {view.accuracy:.4f}  ROC-AUC = {view.roc_auc:.4f}",
        ]
    )


def readout_html(view: TemperatureView) -> str:
    """:func:`format_temperature_view`'s text as the HTML the widget shows."""
    return _wiring.readout_html(format_temperature_view(view), READOUT_CLASS)


class TemperatureExplorer:
    """One data set's logits: the ROC curve (fixed) and the calibration at any temperature.

    >>> TemperatureExplorer([0, 1, 1, 0], [-2.0, 3.0, 0.5, 1.0])
    TemperatureExplorer(4 samples, ROC-AUC 0.7500)
    """

    def __init__(self, y_true, logits, *, n_bins: int = 10):
        self.logits = _check_binary_logits(logits)
        self.y_true = np.asarray(y_true)
        self.n_bins = _check_n_bins(n_bins)
        # The ROC curve depends on the order of the scores only: the logits give it once for every T.
        self.fpr, self.tpr, _ = roc_curve(self.y_true, self.logits)
        self.roc_auc = roc_auc_score(self.y_true, self.logits)

    def __repr__(self) -> str:
        return f"TemperatureExplorer({len(self.logits)} samples, ROC-AUC {self.roc_auc:.4f})"

    def view(self, temperature: float) -> TemperatureView:
        return temperature_view(self.y_true, self.logits, temperature, n_bins=self.n_bins)

    def figure(self, temperature: float, *, figure=None) -> TemperatureFigure:
        """Reliability diagram (left) and ROC curve (right) at ``temperature``.

        With ``figure`` (a matplotlib Figure made without pyplot) it draws there; otherwise
        it makes one with pyplot, so ``plt.show()`` shows it.
        """
        return TemperatureFigure(self, self.view(temperature), figure=figure)


class TemperatureFigure(blitting.Picture):
    """The explorer's two panels; :meth:`update` redraws the reliability diagram only.

    ``to_png()`` repaints that panel alone (see :class:`course_lib.teaching.widgets.blitting.Picture`).
    """

    def __init__(self, explorer: TemperatureExplorer, view: TemperatureView, *, figure=None):
        from course_lib.teaching import plots

        self._plots = plots
        self.fig, (self.ax_reliability, self.ax_roc) = _wiring.two_panels(figure, figsize=(9.6, 4.6))
        plots.plot_roc_curve(explorer.fpr, explorer.tpr, auc=explorer.roc_auc, ax=self.ax_roc)
        self.ax_roc.title.set_text("ROC curve (the same at every T)")  # keeps the course font
        self.update(view)

    def update(self, view: TemperatureView) -> None:
        """Redraw the reliability diagram for ``view``; the ROC panel is left as it is."""
        self.ax_reliability.clear()
        self._plots.plot_reliability_diagram(
            view.prob_true,
            view.prob_pred,
            counts=view.counts,
            ece=view.ece,
            label=f"T = {view.temperature:.2f}",
            ax=self.ax_reliability,
            title=f"Reliability diagram, T = {view.temperature:.2f}",
        )
        # At T = 0.25 the probabilities crowd at 0 and 1: room for the bins' dots on the frame.
        _wiring.room_for_markers(self.ax_reliability)

    def _moving_artists(self) -> list:
        return [self.ax_reliability]


def temperature_explorer(y_true, logits, *, temperature: float = 1.0, n_bins: int = 10):
    """A log-scale temperature slider moving the reliability diagram while the ROC curve stays put.

    Only wiring: numbers from :meth:`TemperatureExplorer.view`, text from
    :func:`format_temperature_view`, picture from :class:`TemperatureFigure`.
    Returns an ``ipywidgets.VBox`` of ``[slider, readout (HTML), picture (Image)]``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    explorer = TemperatureExplorer(y_true, logits, n_bins=n_bins)
    view = explorer.view(temperature)
    picture = TemperatureFigure(explorer, view, figure=Figure(figsize=(9.6, 4.6), dpi=72, layout="constrained"))
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
        slider, view, answer=explorer.view, readout=readout_html, picture=picture, name="temperature"
    )
