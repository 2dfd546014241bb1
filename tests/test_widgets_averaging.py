"""Lesson 06's imbalance slider: the pure function against scikit-learn, the text the slider shows, the wiring."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.teaching.widgets import averaging
from course_lib.teaching.widgets.averaging import (
    LAZY_MODEL,
    READOUT_CLASS,
    averages_at_share,
    averages_over_shares,
    averaging_explorer,
    class_supports,
    confusion_at_share,
    format_averages,
    plot_averages,
    readout_html,
    share_percent,
)


def labels_from_confusion(cm):
    """``(y_true, y_pred)`` with exactly the confusion matrix ``cm``: scikit-learn takes labels, not tables."""
    cm = np.asarray(cm)
    rows, cols = np.indices(cm.shape).reshape(2, -1)
    return np.repeat(rows, cm.ravel()), np.repeat(cols, cm.ravel())


shares = st.floats(min_value=0.01, max_value=0.99, allow_nan=False)
sizes = st.integers(min_value=10, max_value=5000)


@st.composite
def row_stochastic(draw):
    """A random K x K row-normalised confusion matrix, K from 2 to 8, zeros allowed."""
    k = draw(st.integers(min_value=2, max_value=8))
    raw = np.array(draw(st.lists(st.integers(0, 20), min_size=k * k, max_size=k * k)), dtype=float).reshape(k, k)
    raw[:, 0] += raw.sum(axis=1) == 0  # no empty row
    return raw / raw.sum(axis=1, keepdims=True)


@settings(max_examples=200, deadline=None)
@given(share=shares, n_samples=sizes, rates=row_stochastic())
def test_scores_match_scikit_learn_on_the_same_labels(share, n_samples, rates):
    result = averages_at_share(share, rates=rates, n_samples=n_samples)
    y_true, y_pred = labels_from_confusion(result.confusion)
    labels = np.arange(len(rates))
    np.testing.assert_array_equal(skm.confusion_matrix(y_true, y_pred, labels=labels), result.confusion)
    p, r, f, s = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    np.testing.assert_allclose(result.precision, p)
    np.testing.assert_allclose(result.recall, r)
    np.testing.assert_allclose(result.f1, f)
    np.testing.assert_array_equal(result.support, s)
    for average in ("macro", "weighted", "micro"):
        expected = skm.f1_score(y_true, y_pred, labels=labels, average=average, zero_division=0)
        assert getattr(result, f"{average}_f1") == pytest.approx(expected, abs=1e-12)
    assert result.accuracy == pytest.approx(skm.accuracy_score(y_true, y_pred))


@settings(max_examples=200, deadline=None)
@given(share=shares, n_samples=sizes, rates=row_stochastic())
def test_confusion_rows_hold_the_supports_and_follow_the_rates(share, n_samples, rates):
    cm = confusion_at_share(share, rates=rates, n_samples=n_samples)
    support = class_supports(share, n_classes=len(rates), n_samples=n_samples)
    assert (cm >= 0).all()
    np.testing.assert_array_equal(cm.sum(axis=1), support)
    assert support.sum() == n_samples and support[0] == round(share * n_samples)
    assert support[1:].max() - support[1:].min() <= 1  # the minorities share the rest evenly
    # Every cell is the rate times the support, rounded to a whole sample one way or the other.
    assert np.abs(cm - support[:, None] * rates).max() < 1


@settings(max_examples=100, deadline=None)
@given(share=shares, n_samples=sizes)
def test_micro_f1_is_accuracy_for_single_label_data(share, n_samples):
    result = averages_at_share(share, n_samples=n_samples)
    assert result.micro_f1 == pytest.approx(result.accuracy)


def test_worked_numbers_of_the_lesson():
    at_90 = averages_at_share(0.9)
    np.testing.assert_array_equal(at_90.confusion, [[864, 18, 18], [18, 30, 2], [30, 5, 15]])
    assert (round(at_90.macro_f1, 4), round(at_90.weighted_f1, 4), round(at_90.micro_f1, 4)) == (0.6297, 0.9051, 0.909)


def test_the_averages_move_apart_as_the_majority_grows():
    curves = averages_over_shares(np.round(np.arange(0.34, 0.985, 0.01), 2))
    gap = curves["micro"] - curves["macro"]
    assert gap[0] < 0.03 < 0.45 < gap[-1]
    assert np.all(np.diff(curves["micro"]) > 0)  # accuracy follows the majority class up
    assert curves["macro"][-1] < curves["macro"][0]  # macro ends below where it started
    np.testing.assert_allclose(curves["micro"], curves["accuracy"])


def test_format_shows_every_number_the_slider_promises():
    result = averages_at_share(0.75)
    lines = format_averages(result).splitlines()
    assert lines[0] == "majority share = 0.75  support = 750 / 125 / 125"
    assert lines[1] == f"accuracy = {result.accuracy:.4f}"
    match = re.fullmatch(r"macro F1 = (\S+)  weighted F1 = (\S+)  micro F1 = (\S+)", lines[2])
    assert match is not None
    assert [float(v) for v in match.groups()] == pytest.approx(
        [result.macro_f1, result.weighted_f1, result.micro_f1], abs=5e-5
    )
    assert lines[3] == f"micro - macro = {result.micro_f1 - result.macro_f1:+.4f}"
    for k, line in enumerate(lines[4:]):
        numbers = [float(v) for v in re.findall(r"= (\S+)", line)]
        expected = [result.precision[k], result.recall[k], result.f1[k], result.support[k]]
        assert line.startswith(f"class {k}: ") and numbers == pytest.approx(expected, abs=5e-5)
    assert len(lines) == 4 + len(LAZY_MODEL)


def test_repr_names_the_averages():
    assert repr(averages_at_share(0.5)).startswith("AveragesAtShare(majority_share=0.50, macro_f1=")


def test_the_test_helper_rebuilds_the_table():
    cm = np.array([[2, 0, 1], [0, 0, 0], [3, 1, 4]])
    y_true, y_pred = labels_from_confusion(cm)
    np.testing.assert_array_equal(skm.confusion_matrix(y_true, y_pred, labels=[0, 1, 2]), cm)


def test_the_widget_never_rebuilds_labels():
    assert not hasattr(averaging, "labels_from_confusion")
    assert "precision_recall_fscore_support" not in vars(averaging)  # scores come from the table


@pytest.mark.parametrize(
    ("share", "support", "macro", "weighted", "micro"),
    [(0.34, [340, 330, 330], 0.6001, 0.6007, 0.623), (0.98, [980, 10, 10], 0.4955, 0.9603, 0.95)],
)
def test_both_ends_of_the_slider(share, support, macro, weighted, micro):
    result = averages_at_share(share)
    assert result.support.tolist() == support and result.confusion.sum() == 1000
    assert (round(result.macro_f1, 4), round(result.weighted_f1, 4), round(result.micro_f1, 4)) == (
        macro,
        weighted,
        micro,
    )
    y_true, y_pred = labels_from_confusion(result.confusion)
    assert result.macro_f1 == pytest.approx(skm.f1_score(y_true, y_pred, average="macro", zero_division=0))
    assert format_averages(result).splitlines()[0].startswith(f"majority share = {share:.2f}")


def test_the_slider_grid_is_exact_whole_percents():
    assert (averaging.SHARE_PERCENT_MIN, averaging.SHARE_PERCENT_MAX, averaging.SHARE_PERCENT_STEP) == (34, 98, 1)
    assert averaging.SLIDER_SHARES[0] == 0.34 and averaging.SLIDER_SHARES[-1] == 0.98
    # exact two-decimal floats: no 0.35000000000000003
    assert [float(s) for s in averaging.SLIDER_SHARES] == [float(f"0.{p}") for p in range(34, 99)]
    assert share_percent(0.9) == 90 and share_percent(0.1 + 0.8) == 90
    for bad in (0.335, 0.99, 0.2):
        with pytest.raises(ValueError, match="`value`"):
            share_percent(bad)


@pytest.mark.parametrize("share", [0.34, 0.98])
def test_the_picture_at_both_ends_keeps_markers_inside_and_minority_cells_shaded(share):
    from matplotlib.figure import Figure

    curves = averages_over_shares(averaging.SLIDER_SHARES)
    figure = averaging.AveragingFigure(averages_at_share(share), curves, figure=Figure(figsize=(10.5, 4.2), dpi=72))
    left, right = figure.ax_averages, figure.ax_cm
    low, high = left.get_xlim()
    assert low < averaging.SHARE_MIN and averaging.SHARE_MAX < high  # whole dots, dashed line off the frame
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure.fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = left.get_window_extent(renderer)
    for dot in figure.dots.values():
        box = dot.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and box.y1 <= frame.y1, (share, box, frame)
    shades = right.images[0].get_array()
    confusion = averages_at_share(share).confusion
    np.testing.assert_allclose(shades, confusion / confusion.sum(axis=1, keepdims=True))
    assert right.images[0].get_clim() == (0.0, 1.0)
    assert shades[1, 1] > 0.5 and shades[2, 0] > 0.5  # the minority rows' big cells are dark at every share


@pytest.mark.parametrize("share", [0, 1, 1.5, -0.2, float("nan")])
def test_share_out_of_range_is_a_value_error_naming_it(share):
    with pytest.raises(ValueError, match="`majority_share`"):
        averages_at_share(share)


@pytest.mark.parametrize("share", ["0.5", None, True, [0.5]])
def test_share_not_a_number_is_a_type_error_naming_it(share):
    with pytest.raises(TypeError, match="`majority_share`"):
        averages_at_share(share)


@pytest.mark.parametrize(
    "rates",
    [
        np.ones((2, 3)) / 3,  # not square
        [[1.0]],  # one class
        [[0.5, 0.6], [0.5, 0.5]],  # a row that does not sum to 1
        [[1.2, -0.2], [0.5, 0.5]],  # a negative rate
        [[np.nan, 1.0], [0.5, 0.5]],
    ],
)
def test_bad_rates_are_a_value_error_naming_them(rates):
    with pytest.raises(ValueError, match="`rates`"):
        averages_at_share(0.5, rates=rates)


@pytest.mark.parametrize(("n_samples", "error"), [(5, ValueError), (100.0, TypeError), ("100", TypeError)])
def test_bad_n_samples_names_it(n_samples, error):
    with pytest.raises(error, match="`n_samples`"):
        averages_at_share(0.5, n_samples=n_samples)


def test_plot_marks_the_current_share():
    result = averages_at_share(0.8)
    curves = averages_over_shares([0.4, 0.6, 0.8, 0.9])
    fig = plot_averages(result, curves)
    left, right = fig.axes[:2]
    assert left.get_xlabel() == "Share of class 0 in the test set" and left.get_ylabel() == "F1"
    marker_ys = sorted(line.get_ydata()[0] for line in left.lines if len(line.get_xdata()) == 1)
    assert marker_ys == pytest.approx(sorted([result.macro_f1, result.weighted_f1, result.micro_f1]))
    assert right.get_title() == "Confusion matrix at share 0.80"
    plt.close(fig)


def test_explorer_is_a_thin_wire_to_the_pure_function():
    explorer = averaging_explorer(value=0.6)
    slider, readout, image = explorer.children
    assert type(slider).__name__ == "IntSlider"  # a browser announces an integer slider exactly
    assert (slider.min, slider.max, slider.step, slider.value) == (34, 98, 1, 60)
    assert slider.description == "share of class 0 (%)"
    assert readout.value == readout_html(averages_at_share(0.6))
    assert READOUT_CLASS in readout._dom_classes and "averaging-explorer" in explorer._dom_classes
    before = image.value
    for percent in (95, 98, 34):
        slider.value = percent
        assert (
            readout.value == f"<pre class='{READOUT_CLASS}'>{format_averages(averages_at_share(percent / 100))}</pre>"
        )
    assert image.value != before and bytes(image.value).startswith(b"\x89PNG")
