"""Lesson 09's temperature slider: the pure function against its definitions, the picture, the wiring."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import binary_labels_with_grid_values
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit
from sklearn.calibration import calibration_curve as sk_calibration_curve

from course_lib.metrics.calibration import apply_temperature, expected_calibration_error
from course_lib.metrics.curves import roc_auc_score
from course_lib.teaching.widgets.temperature import (
    READOUT_CLASS,
    TemperatureExplorer,
    format_temperature_view,
    readout_html,
    temperature_explorer,
    temperature_view,
)


def labelled_logits():
    """Both classes present; logits on a 0.25 grid within +-8, so no two saturate to the same probability."""
    return binary_labels_with_grid_values(low=-32, high=32, scale=4)


temperatures = st.sampled_from([0.25, 0.5, 0.8, 1.0, 1.7, 3.0, 8.0])


@settings(max_examples=200, deadline=None)
@given(data=labelled_logits(), temperature=temperatures, n_bins=st.integers(1, 15))
def test_view_equals_the_definitions(data, temperature, n_bins):
    y, z = data
    view = temperature_view(y, z, temperature, n_bins=n_bins)
    p = apply_temperature(z, temperature)  # checked against scipy's expit in test_calibration.py
    prob_true, prob_pred = sk_calibration_curve(y, p, n_bins=n_bins)
    np.testing.assert_allclose(view.prob_true, prob_true, atol=1e-12)
    np.testing.assert_allclose(view.prob_pred, prob_pred, atol=1e-12)
    assert view.counts.sum() == len(y)
    assert view.ece == pytest.approx(expected_calibration_error(y, p, n_bins=n_bins), abs=1e-12)
    assert view.log_loss == pytest.approx(skm.log_loss(y, p), abs=1e-12)
    assert view.brier == pytest.approx(skm.brier_score_loss(y, p), abs=1e-12)
    assert view.accuracy == skm.accuracy_score(y, (p >= 0.5).astype(int))


@settings(max_examples=200, deadline=None)
@given(data=labelled_logits(), temperature=temperatures)
def test_ranking_auc_and_accuracy_do_not_move_with_temperature(data, temperature):
    y, z = data
    view, at_one = temperature_view(y, z, temperature), temperature_view(y, z, 1.0)
    assert view.roc_auc == at_one.roc_auc == roc_auc_score(y, z)
    assert view.roc_auc == pytest.approx(skm.roc_auc_score(y, z), abs=1e-12)
    assert view.accuracy == at_one.accuracy == skm.accuracy_score(y, (z >= 0).astype(int))


def test_softening_an_overconfident_model_lowers_ece_and_log_loss():
    rng = np.random.default_rng(0)
    z = rng.normal(size=5000) * 6
    y = (rng.random(z.size) < expit(z / 3)).astype(int)  # the logits are 3 times too confident
    hot, right = temperature_view(y, z, 1.0), temperature_view(y, z, 3.0)
    assert right.ece < hot.ece / 3
    assert right.log_loss < hot.log_loss
    assert right.roc_auc == hot.roc_auc


def test_format_is_one_fact_per_line():
    view = temperature_view([0, 0, 1, 1], [-3.0, 1.0, 2.0, 4.0], 2.0, n_bins=2)
    lines = format_temperature_view(view).splitlines()
    assert lines == [
        "temperature T = 2.00",
        f"ECE (2 bins) = {view.ece:.4f}",
        f"log-loss = {view.log_loss:.4f}  Brier = {view.brier:.4f}",
        f"accuracy (threshold 0.5) = {view.accuracy:.4f}  ROC-AUC = {view.roc_auc:.4f}",
    ]
    assert readout_html(view).startswith(f"<pre class='{READOUT_CLASS}'>")


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: temperature_view([0, 1], [[0.1, 0.2], [0.3, 0.4]], 1.0), ValueError, "logits"),
        (lambda: temperature_view([0, 1], [0.1, np.nan], 1.0), ValueError, "logits"),
        (lambda: temperature_view([0, 1], [0.1, 0.2], 0.0), ValueError, "temperature"),
        (lambda: temperature_view([0, 1], [0.1, 0.2], "hot"), TypeError, "temperature"),
        (lambda: temperature_view([0, 1], [0.1, 0.2], 1.0, n_bins=0), ValueError, "n_bins"),
        (lambda: temperature_view([0, 1, 2], [0.1, 0.2, 0.3], 1.0), ValueError, "y_true"),
        (lambda: temperature_view([0, 1], [0.1, 0.2, 0.3], 1.0), ValueError, "y_true"),
        (lambda: TemperatureExplorer([0, 1], [[0.1], [0.2], [0.3]]), ValueError, "y_true"),
    ],
)
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        call()


def test_figure_moves_the_reliability_diagram_but_not_the_roc_curve():
    rng = np.random.default_rng(1)
    z = rng.normal(size=300) * 4
    y = (rng.random(300) < expit(z / 2)).astype(int)
    explorer = TemperatureExplorer(y, z)
    picture = explorer.figure(1.0)
    roc_before = [line.get_xydata().copy() for line in picture.ax_roc.lines]
    reliability_before = picture.ax_reliability.lines[1].get_xydata().copy()
    assert picture.ax_reliability.get_xlabel().startswith("Mean predicted probability")
    assert picture.ax_roc.get_xlabel().startswith("False positive rate")
    picture.update(explorer.view(2.0))
    assert picture.ax_reliability.get_title().endswith("T = 2.00")
    assert not np.array_equal(picture.ax_reliability.lines[1].get_xydata(), reliability_before)
    for line, before in zip(picture.ax_roc.lines, roc_before, strict=True):
        np.testing.assert_array_equal(line.get_xydata(), before)
    assert picture.to_png().startswith(b"\x89PNG")
    plt.close("all")


def test_widget_is_a_thin_wire_to_the_pure_function():
    y, z = np.array([0, 0, 1, 1, 0, 1]), np.array([-2.0, 0.5, 1.5, 3.0, 2.5, -0.5])
    box = temperature_explorer(y, z, temperature=1.0)
    slider, readout, image = box.children
    assert readout.value == readout_html(temperature_view(y, z, 1.0))
    assert READOUT_CLASS in readout._dom_classes and "temperature-explorer" in box._dom_classes
    before = image.value
    slider.value = 2.0
    assert readout.value == readout_html(temperature_view(y, z, 2.0))
    assert image.value != before
    plt.close("all")


# --------------------------------------------------------------------------- the two plots lesson 09 adds


def test_reliability_diagram_draws_points_gaps_and_one_diagonal():
    from course_lib.teaching.plots import plot_reliability_diagram

    ax = plot_reliability_diagram([0.1, 0.5, 0.7], [0.2, 0.5, 0.9], counts=[10, 5, 30], ece=0.1234, label="A")
    plot_reliability_diagram([0.3], [0.4], ax=ax, label="B", gaps=False)
    labels = [line.get_label() for line in ax.lines]
    assert labels.count("perfectly calibrated") == 1
    assert "A (ECE = 0.1234)" in labels and "B" in labels
    np.testing.assert_array_equal(ax.lines[1].get_xydata(), [[0.2, 0.1], [0.5, 0.5], [0.9, 0.7]])
    gaps = ax.collections[1]  # the scatter of bin sizes comes first, then the gap segments
    assert [seg[:, 1].tolist() for seg in gaps.get_segments()] == [[0.2, 0.1], [0.5, 0.5], [0.9, 0.7]]
    assert ax.get_xlabel().startswith("Mean predicted probability") and ax.get_ylabel().startswith("Fraction")
    plt.close("all")


def test_expected_scores_marks_each_minimum_and_the_truth():
    from course_lib.teaching.plots import plot_expected_scores

    p = np.linspace(0.01, 0.99, 99)
    ax = plot_expected_scores(p, {"squared": (p - 0.3) ** 2, "linear": 1 - p}, true_probability=0.3)
    labels = [line.get_label() for line in ax.lines]
    assert "squared (smallest at p = 0.30)" in labels and "linear (smallest at p = 0.99)" in labels
    assert "true probability q = 0.3" in labels
    markers = [line for line in ax.lines if line.get_marker() == "o"]
    assert [tuple(np.ravel(m.get_data())) for m in markers] == [(0.3, 0.0), (0.99, pytest.approx(0.01))]
    plt.close("all")


@pytest.mark.parametrize("log2_temperature", [-2.0, 3.0])  # the slider's ends: T = 0.25 and T = 8
def test_both_ends_of_the_slider(log2_temperature):
    from course_lib.teaching.widgets import temperature

    assert (temperature.SLIDER_LOG2_MIN, temperature.SLIDER_LOG2_MAX) == (-2.0, 3.0)
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 400)
    z = rng.normal(size=400) * 3 + (2 * y - 1)
    t = 2.0**log2_temperature
    view = temperature_view(y, z, t)
    p = expit(z / t)
    assert view.temperature == t
    assert view.log_loss == pytest.approx(skm.log_loss(y, p), rel=1e-6)  # scikit-learn clips p to [eps, 1 - eps]
    assert view.brier == pytest.approx(skm.brier_score_loss(y, p), rel=1e-9)
    assert view.roc_auc == pytest.approx(skm.roc_auc_score(y, z), abs=1e-12)  # the ranking never moves
    assert view.accuracy == np.mean((z >= 0) == (y == 1))
    assert format_temperature_view(view).splitlines()[0] == f"temperature T = {t:.2f}"
