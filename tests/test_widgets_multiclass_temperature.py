"""Lesson 10's K-class temperature slider: the pure function against scikit-learn and torchmetrics, the wiring."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import softmax
from torchmetrics.functional.classification import multiclass_calibration_error

from course_lib.teaching.widgets.multiclass_temperature import (
    READOUT_CLASS,
    MulticlassTemperatureFigure,
    format_multiclass_temperature_view,
    multiclass_temperature_explorer,
    multiclass_temperature_view,
)


@st.composite
def labelled_logits(draw):
    k = draw(st.integers(3, 5))
    n = draw(st.integers(k, 40))
    y = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    y[:k] = np.arange(k)  # every class present
    z = np.array(draw(st.lists(st.integers(-24, 24), min_size=n * k, max_size=n * k))).reshape(n, k) / 4
    return y, z


@settings(max_examples=150, deadline=None)
@given(data=labelled_logits(), temperature=st.sampled_from([0.25, 0.7, 1.0, 2.5, 8.0]))
def test_view_equals_the_reference_libraries(data, temperature):
    y, z = data
    view = multiclass_temperature_view(y, z, temperature, n_bins=10)
    p = softmax(z / temperature, axis=1)
    assert view.log_loss == pytest.approx(skm.log_loss(y, p), rel=1e-9)
    assert view.brier == pytest.approx(skm.brier_score_loss(y, p), rel=1e-9)
    k = z.shape[1]
    assert view.top2_accuracy == pytest.approx(skm.top_k_accuracy_score(y, z, k=2, labels=np.arange(k)))
    assert view.accuracy == pytest.approx(skm.top_k_accuracy_score(y, z, k=1, labels=np.arange(k)))
    probs32 = torch.from_numpy(p.astype(np.float32))
    theirs = float(multiclass_calibration_error(probs32, torch.from_numpy(y), num_classes=k, n_bins=10))
    confidence = p.max(axis=1)
    if np.min(np.abs(confidence[:, None] - np.linspace(0, 1, 11)[None, 1:])) > 1e-6:  # off the edges
        assert view.top_label_ece == pytest.approx(theirs, abs=2e-6)


def test_accuracy_stays_and_temperature_moves_the_probabilities():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(300, 3)) * 4
    y = np.array([rng.choice(3, p=row) for row in softmax(z / 4, axis=1)])  # the truth is softer: T = 4 is right
    views = [multiclass_temperature_view(y, z, t) for t in (1.0, 4.0)]
    assert views[0].accuracy == views[1].accuracy and views[0].top2_accuracy == views[1].top2_accuracy
    assert views[1].log_loss < views[0].log_loss and views[1].top_label_ece < views[0].top_label_ece


def test_format_and_bad_input():
    view = multiclass_temperature_view([0, 1, 2], np.eye(3), 1.0, n_bins=4)
    assert format_multiclass_temperature_view(view).splitlines()[0] == "temperature T = 1.00"
    with pytest.raises(ValueError, match="`logits`"):
        multiclass_temperature_view([0, 1, 2], [0.1, 0.2, 0.3], 1.0)
    with pytest.raises(ValueError, match="`temperature`"):
        multiclass_temperature_view([0, 1, 2], np.eye(3), -1.0)
    with pytest.raises(ValueError, match="`n_bins`"):
        multiclass_temperature_view([0, 1, 2], np.eye(3), 1.0, n_bins=0)


def test_figure_and_widget_are_thin_wires_to_the_pure_function():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(60, 3)) * 2
    y = rng.integers(0, 3, 60)
    figure = MulticlassTemperatureFigure(multiclass_temperature_view(y, z, 1.0))
    assert "class-wise ECE" in figure.ax_classes.get_title()
    assert figure.to_png().startswith(b"\x89PNG")
    plt.close(figure.fig)
    box = multiclass_temperature_explorer(y, z, temperature=1.0)
    slider, readout, image = box.children
    assert READOUT_CLASS in readout.value
    first_png = image.value
    slider.value = 2.0
    assert format_multiclass_temperature_view(multiclass_temperature_view(y, z, 2.0)).split("\n")[1] in readout.value
    assert image.value != first_png
