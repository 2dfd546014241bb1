"""Lesson 05's operating-point slider: the pure function against scikit-learn's curves, the text, the wiring."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sklearn.metrics as skm
from _parity import binary_labels_with_grid_values
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.teaching.datasets import eight_samples
from course_lib.teaching.widgets.operating_point import (
    READOUT_CLASS,
    SLIDER_GRID,
    OperatingPointExplorer,
    format_operating_point,
    operating_point,
    operating_point_explorer,
    readout_html,
)


def labelled_scores():
    """Binary labels with both classes present and scores on a coarse grid (so ties are common)."""
    return binary_labels_with_grid_values(low=0, high=20, scale=20)


@settings(max_examples=300, deadline=None)
@given(data=labelled_scores(), threshold=st.sampled_from(SLIDER_GRID.tolist()))
def test_point_matches_scikit_learn_counts_and_rates(data, threshold):
    y, scores = data
    point = operating_point(y, scores, threshold)
    predicted = (scores >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    assert (point.tp, point.fp, point.tn, point.fn) == (tp, fp, tn, fn)
    assert point.tpr == pytest.approx(skm.recall_score(y, predicted))
    assert point.recall == point.tpr
    assert point.fpr == pytest.approx(fp / (fp + tn))
    if tp + fp:
        assert point.precision_defined
        assert point.precision == pytest.approx(skm.precision_score(y, predicted))
    else:
        assert not point.precision_defined and point.precision == 0.0  # ThresholdSweep's rule: 0/0 is 0
        assert point.pr_xy == (point.recall, 1.0)  # drawn where the PR curve ends


@settings(max_examples=300, deadline=None)
@given(data=labelled_scores(), threshold=st.sampled_from(SLIDER_GRID.tolist()))
def test_point_lies_on_scikit_learns_roc_and_pr_curves(data, threshold):
    """The marker is one of the curve's own points: the one of the smallest score >= threshold."""
    y, scores = data
    point = operating_point(y, scores, threshold)
    fpr, tpr, roc_thresholds = skm.roc_curve(y, scores, drop_intermediate=False)
    # roc_curve's thresholds decrease from inf; the classifier `score >= threshold` is the last one >= threshold.
    i = np.flatnonzero(roc_thresholds >= threshold)[-1]
    assert (point.fpr, point.tpr) == pytest.approx((fpr[i], tpr[i]))
    precision, recall, pr_thresholds = skm.precision_recall_curve(y, scores)
    above = np.flatnonzero(pr_thresholds >= threshold)
    j = above[0] if len(above) else len(pr_thresholds)  # past every score: the final (recall 0, precision 1) point
    assert point.pr_xy == pytest.approx((recall[j], precision[j]))


@settings(max_examples=100, deadline=None)
@given(data=labelled_scores())
def test_explorer_on_the_grid_equals_the_definition(data):
    y, scores = data
    explorer = OperatingPointExplorer(y, scores)
    for threshold in SLIDER_GRID[::7]:
        assert explorer.point(float(threshold)) == operating_point(y, scores, float(threshold))
    # Off the grid (and the browser's 0.30000000000000004) the explorer still agrees.
    assert explorer.point(0.123) == operating_point(y, scores, 0.123)
    assert explorer.point(0.1 + 0.2) == operating_point(y, scores, 0.3)
    assert explorer.roc_auc == pytest.approx(skm.roc_auc_score(y, scores))
    assert explorer.average_precision == pytest.approx(skm.average_precision_score(y, scores))


def test_worked_numbers_of_the_lesson():
    explorer = OperatingPointExplorer(*eight_samples())
    assert (round(explorer.roc_auc, 4), round(explorer.average_precision, 4)) == (0.8125, 0.8542)
    point = explorer.point(0.6)
    assert (point.tp, point.fp, point.tn, point.fn) == (3, 1, 3, 1)
    assert point.roc_xy == (0.25, 0.75) and point.pr_xy == (0.75, 0.75)


def test_format_is_the_lines_a_browser_test_reads():
    text = format_operating_point(operating_point(*eight_samples(), 0.6))
    assert text.splitlines() == [
        "threshold = 0.60",
        "TP = 3  FP = 1  TN = 3  FN = 1",
        "TPR = 0.7500  FPR = 0.2500",
        "precision = 0.7500  recall = 0.7500",
    ]


@settings(max_examples=100, deadline=None)
@given(data=labelled_scores(), threshold=st.sampled_from(SLIDER_GRID.tolist()))
def test_format_round_trips_every_number(data, threshold):
    point = operating_point(*data, threshold)
    lines = format_operating_point(point).splitlines()
    assert float(re.fullmatch(r"threshold = (\S+)", lines[0]).group(1)) == pytest.approx(threshold)
    assert [int(v) for v in re.findall(r"= (\d+)", lines[1])] == [point.tp, point.fp, point.tn, point.fn]
    tpr, fpr = (float(v) for v in re.fullmatch(r"TPR = (\S+)  FPR = (\S+)", lines[2]).groups())
    precision, recall = (float(v) for v in re.fullmatch(r"precision = (\S+)  recall = (\S+)", lines[3]).groups())
    # Four decimals are within half a unit (5e-5) of the value; a tie such as 1/32 = 0.03125 -> "0.0312"
    # sits exactly on that bound, so allow for the float error of the subtraction too.
    assert [tpr, fpr, precision, recall] == pytest.approx(
        [point.tpr, point.fpr, point.precision, point.recall], abs=5e-5 + 1e-12
    )
    assert (len(lines) == 5) == (not point.precision_defined)


def test_undefined_precision_is_said_in_words():
    lines = format_operating_point(operating_point(*eight_samples(), 0.99)).splitlines()
    assert lines[3] == "precision = 0.0000  recall = 0.0000"
    assert lines[4].startswith("undefined: precision (no sample scores >= 0.99)")


@pytest.mark.parametrize(("threshold", "error"), [("0.5", TypeError), (None, TypeError), (True, TypeError)])
def test_threshold_not_a_number_names_it(threshold, error):
    with pytest.raises(error, match="`threshold`"):
        operating_point(*eight_samples(), threshold)


@pytest.mark.parametrize("threshold", [float("nan"), float("inf")])
def test_threshold_not_finite_names_it(threshold):
    with pytest.raises(ValueError, match="`threshold`"):
        OperatingPointExplorer(*eight_samples()).point(threshold)


def test_bad_data_is_refused_by_the_curves_with_the_argument_named():
    with pytest.raises(ValueError, match="`y_score`"):
        operating_point([0, 1, 1], [0.2, float("nan"), 0.4], 0.5)
    with pytest.raises(ValueError, match="`y_true`"):
        operating_point([0, 1, 1], [0.2, 0.4], 0.5)


def test_figure_puts_both_markers_on_their_curves():
    explorer = OperatingPointExplorer(*eight_samples())
    picture = explorer.figure(0.45)
    assert tuple(np.ravel(picture.roc_marker.get_data())) == (0.5, 0.75)
    assert tuple(np.ravel(picture.pr_marker.get_data())) == pytest.approx((0.75, 0.6))
    assert picture.ax_roc.get_xlabel().startswith("False positive rate")
    assert picture.ax_pr.get_xlabel().startswith("Recall")
    picture.update(explorer.point(0.8))
    assert tuple(np.ravel(picture.roc_marker.get_data())) == (0.0, 0.5)
    assert picture.ax_pr.get_title().endswith("threshold 0.80")
    assert picture.to_png().startswith(b"\x89PNG")
    plt.close("all")


def test_widget_is_a_thin_wire_to_the_pure_function():
    y_true, y_score = eight_samples()
    box = operating_point_explorer(y_true, y_score, threshold=0.6)
    slider, readout, image = box.children
    assert readout.value == readout_html(operating_point(y_true, y_score, 0.6))
    assert READOUT_CLASS in readout._dom_classes and "operating-point-explorer" in box._dom_classes
    before = image.value
    slider.value = 0.35
    assert readout.value == readout_html(operating_point(y_true, y_score, 0.35))
    assert "TPR = 1.0000  FPR = 0.5000" in readout.value
    assert image.value != before
    plt.close("all")
