"""Lesson 12's prevalence slider: the pure function against its definition, the picture, the wiring."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.teaching.widgets.prevalence import (
    READOUT_CLASS,
    PrevalenceFigure,
    format_prevalence_view,
    prevalence_explorer,
    prevalence_view,
    readout_html,
)

rates = st.one_of(st.just(0.0), st.floats(1e-6, 1.0))  # no subnormal rates: pi * 5e-324 underflows to 0
prevalences = st.floats(0.001, 0.999)


@settings(max_examples=500, deadline=None)
@given(tpr=rates, fpr=rates, prevalence=prevalences)
def test_view_is_the_expected_confusion_counts(tpr, fpr, prevalence):
    view = prevalence_view(tpr, fpr, prevalence, n_cases=1000)
    alarms = view.true_alarms + view.false_alarms
    assert view.true_alarms == pytest.approx(1000 * prevalence * tpr)
    assert view.missed + view.true_alarms == pytest.approx(1000 * prevalence)
    if alarms > 0:
        assert view.precision == pytest.approx(view.true_alarms / alarms, rel=1e-9)
    else:
        assert view.precision == 0.0


def test_readout_says_what_stays_and_what_moves():
    text = format_prevalence_view(prevalence_view(0.5, 0.1, 0.2, n_cases=1000))
    assert text.splitlines() == [
        "prevalence = 20.00%  (TPR 0.5000, FPR 0.1000 stay fixed)",
        "precision = 0.5556",
        "per 1,000 cases: 100 true alarms, 80 false alarms, 100 missed",
    ]


def test_figure_marker_sits_on_the_curve():
    view = prevalence_view(0.7, 0.08, 0.05)
    picture = PrevalenceFigure(view)
    assert list(picture.marker.get_xdata()) == [0.05] and list(picture.marker.get_ydata()) == [view.precision]
    picture.update(prevalence_view(0.7, 0.08, 0.5))
    assert list(picture.marker.get_xdata()) == [0.5]
    plt.close("all")


def test_widget_is_a_thin_wire_to_the_pure_function():
    box = prevalence_explorer(0.7, 0.08, prevalence=0.01)
    slider, readout, image = box.children
    assert readout.value == readout_html(prevalence_view(0.7, 0.08, 0.01))
    assert READOUT_CLASS in readout._dom_classes and "prevalence-explorer" in box._dom_classes
    before = image.value
    slider.value = 0.3
    assert readout.value == readout_html(prevalence_view(0.7, 0.08, slider.value))
    assert image.value != before
    plt.close("all")


@pytest.mark.parametrize(
    ("args", "name"), [((1.2, 0.1, 0.5), "`tpr`"), ((0.5, 0.1, 1.0), "`prevalence`"), (([0.5, 0.6], 0.1, 0.5), "`tpr`")]
)
def test_bad_input_names_the_argument(args, name):
    with pytest.raises(ValueError, match=name):
        prevalence_view(*args)
