"""Lesson 12's prevalence slider: one operating point, precision moving with the share of positives.

TPR and FPR are properties of the classifier within each class, so they stay fixed as
the slider moves the prevalence pi; precision = pi TPR / (pi TPR + (1 - pi) FPR) moves.

- :func:`prevalence_view` computes everything the slider shows at one pi (tests call it);
- :func:`format_prevalence_view` turns it into the text lines the widget displays;
- :class:`PrevalenceFigure` draws the precision-prevalence curve once and moves a marker on it;
- :func:`prevalence_explorer` wires an ipywidgets slider to the above and nothing more.

    >>> print(format_prevalence_view(prevalence_view(0.9, 0.05, 0.01)))
    prevalence = 1.00%  (TPR 0.9000, FPR 0.0500 stay fixed)
    precision = 0.1538
    per 100,000 cases: 900 true alarms, 4,950 false alarms, 100 missed
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.metrics.prevalence import _check_rates, check_prevalence, precision_at_prevalence
from course_lib.metrics.validation import check_int
from course_lib.teaching.widgets import _wiring, blitting

#: The slider moves log10(pi) from -3 to log10(0.9) (pi from 0.1 % to 90 %).
SLIDER_LOG10_MIN, SLIDER_LOG10_MAX, SLIDER_LOG10_STEP = -3.0, float(np.log10(0.9)), 0.01

#: CSS class of the readout, so a browser test can find it.
READOUT_CLASS = "prevalence-readout"


@dataclass(frozen=True)
class PrevalenceView:
    """What the prevalence slider shows for one prevalence (expected counts per ``n_cases``)."""

    prevalence: float
    tpr: float
    fpr: float
    precision: float
    n_cases: int
    true_alarms: float  # n pi TPR
    false_alarms: float  # n (1 - pi) FPR
    missed: float  # n pi (1 - TPR)


def _scalar_rate(value, name: str) -> float:
    rate = _check_rates(value, name)
    if rate.ndim != 0:
        raise ValueError(
            f"Expected argument `{name}` to be one rate in [0, 1], but got an array of shape {rate.shape}."
        )
    return float(rate)


def prevalence_view(tpr, fpr, prevalence, *, n_cases: int = 100_000) -> PrevalenceView:
    """Precision and the expected alarms per ``n_cases`` of the operating point (``tpr``, ``fpr``) at ``prevalence``."""
    tpr, fpr = _scalar_rate(tpr, "tpr"), _scalar_rate(fpr, "fpr")
    prevalence = check_prevalence(prevalence)
    n_cases = check_int(n_cases, "n_cases", minimum=1)
    return PrevalenceView(
        prevalence=prevalence,
        tpr=tpr,
        fpr=fpr,
        precision=precision_at_prevalence(tpr, fpr, prevalence, zero_division=0.0),
        n_cases=n_cases,
        true_alarms=n_cases * prevalence * tpr,
        false_alarms=n_cases * (1 - prevalence) * fpr,
        missed=n_cases * prevalence * (1 - tpr),
    )


def format_prevalence_view(view: PrevalenceView) -> str:
    """The text the explorer displays, one fact per line."""
    return "\n".join(
        [
            f"prevalence = {view.prevalence:.2%}  (TPR {view.tpr:.4f}, FPR {view.fpr:.4f} stay fixed)",
            f"precision = {view.precision:.4f}",
            f"per {view.n_cases:,} cases: {view.true_alarms:,.0f} true alarms, "
            f"{view.false_alarms:,.0f} false alarms, {view.missed:,.0f} missed",
        ]
    )


def readout_html(view: PrevalenceView) -> str:
    """:func:`format_prevalence_view`'s text as the HTML the widget shows."""
    return _wiring.readout_html(format_prevalence_view(view), READOUT_CLASS)


class PrevalenceFigure(blitting.Picture):
    """The precision-prevalence curve (fixed) with a marker at the slider's prevalence."""

    def __init__(self, view: PrevalenceView, *, figure=None):
        from course_lib.teaching import plots

        if figure is None:
            fig, ax = plots.subplots(figsize=(6.0, 4.0))
        else:
            with plots.course_style():
                fig, ax = figure, figure.subplots()
        self.fig, self.ax = fig, ax
        plots.plot_precision_vs_prevalence(view.tpr, view.fpr, ax=ax)
        (self.marker,) = ax.plot([], [], marker="o", markersize=9, linestyle="none", color="black")
        self.update(view)

    def update(self, view: PrevalenceView) -> None:
        self.marker.set_data([view.prevalence], [view.precision])

    def _moving_artists(self) -> list:
        return [self.marker]


def prevalence_explorer(tpr, fpr, *, prevalence: float = 0.01, n_cases: int = 100_000):
    """A log-scale prevalence slider moving precision along the curve while TPR and FPR stay put.

    Only wiring: numbers from :func:`prevalence_view`, text from :func:`format_prevalence_view`,
    picture from :class:`PrevalenceFigure`. Returns an ``ipywidgets.VBox`` of ``[slider, readout, picture]``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    view = prevalence_view(tpr, fpr, prevalence, n_cases=n_cases)
    picture = PrevalenceFigure(view, figure=Figure(figsize=(6.0, 4.0), dpi=72, layout="constrained"))
    slider = _wiring.make_slider(
        widgets.FloatLogSlider,
        value=view.prevalence,
        base=10,
        min=SLIDER_LOG10_MIN,
        max=SLIDER_LOG10_MAX,
        step=SLIDER_LOG10_STEP,
        description="prevalence",
    )
    slider.readout_format = ".4f"

    def answer(value):
        return prevalence_view(view.tpr, view.fpr, value, n_cases=view.n_cases)

    return _wiring.slider_box(slider, view, answer=answer, readout=readout_html, picture=picture, name="prevalence")


__all__ = ["PrevalenceFigure", "PrevalenceView", "format_prevalence_view", "prevalence_explorer", "prevalence_view"]
