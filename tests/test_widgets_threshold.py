"""Lesson 04's threshold explorer: the pure functions against scikit-learn, and the wiring of the widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

from course_lib.teaching.datasets import make_scores, twenty_samples  # noqa: E402
from course_lib.teaching.widgets.threshold import (  # noqa: E402
    READOUT_CLASS,
    SLIDER_GRID,
    ThresholdExplorer,
    ThresholdView,
    format_view,
    readout_html,
    threshold_explorer,
    threshold_view,
)


def sklearn_view(y_true, y_score, threshold) -> dict:
    """The oracle: the same numbers from scikit-learn on explicit predictions."""
    y_pred = (np.asarray(y_score) >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return dict(
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        precision=skm.precision_score(y_true, y_pred, zero_division=0),
        recall=skm.recall_score(y_true, y_pred, zero_division=0),
        f1=skm.f1_score(y_true, y_pred, zero_division=0),
        accuracy=skm.accuracy_score(y_true, y_pred),
    )


def assert_matches(view: ThresholdView, expected: dict):
    assert (view.tp, view.fp, view.tn, view.fn) == (expected["tp"], expected["fp"], expected["tn"], expected["fn"])
    for name in ("precision", "recall", "f1", "accuracy"):
        assert getattr(view, name) == pytest.approx(expected[name], abs=1e-12), name


# Scores on a coarse grid so ties, and thresholds exactly at a score, are common.
labelled_scores = st.integers(1, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 20).map(lambda k: k / 20), min_size=n, max_size=n),
    )
)


@settings(max_examples=300, deadline=None)
@given(data=labelled_scores, threshold=st.one_of(st.integers(-2, 22).map(lambda k: k / 20), st.floats(-0.5, 1.5)))
def test_threshold_view_matches_sklearn(data, threshold):
    y_true, y_score = data
    assert_matches(threshold_view(y_true, y_score, threshold), sklearn_view(y_true, y_score, threshold))


@settings(max_examples=60, deadline=None)
@given(data=labelled_scores)
def test_explorer_grid_agrees_with_the_direct_computation_everywhere(data):
    y_true, y_score = data
    explorer = ThresholdExplorer(y_true, y_score)
    for t in SLIDER_GRID:
        assert explorer.view(float(t)) == threshold_view(y_true, y_score, float(t))


def test_slider_grid_holds_the_decimals_as_written():
    assert len(SLIDER_GRID) == 101
    assert SLIDER_GRID.tolist() == [k / 100 for k in range(101)]
    assert 0.35 in SLIDER_GRID.tolist() and 0.35000000000000003 not in SLIDER_GRID.tolist()


def test_explorer_snaps_float_noise_to_the_grid():
    y_true, y_score = twenty_samples()
    explorer = ThresholdExplorer(y_true, y_score)
    noisy = 7 * 0.05  # 0.35000000000000003: 0.35 plus rounding error, as a browser may send it
    assert noisy != 0.35
    view = explorer.view(noisy)
    assert view.threshold == 0.35 and view.tp == 12  # the positive scored exactly 0.35 counts


def test_explorer_off_grid_threshold_is_computed_exactly():
    y_true, y_score = twenty_samples()
    explorer = ThresholdExplorer(y_true, y_score)
    view = explorer.view(0.2205)
    assert view == threshold_view(y_true, y_score, 0.2205)
    assert (view.tp, view.fp) == (12, 2)


def test_explorer_knows_the_tied_best_range():
    explorer = ThresholdExplorer(*twenty_samples())
    assert round(explorer.best_f1, 4) == 0.9231
    assert explorer.best_f1_range == (0.22, 0.35)
    assert "0.9231" in repr(explorer)


def test_the_textbook_numbers_through_the_explorer():
    explorer = ThresholdExplorer(*twenty_samples())
    at_half, at_030 = explorer.view(0.5), explorer.view(0.30)
    assert (at_half.tp, at_half.fp, at_half.tn, at_half.fn) == (9, 2, 6, 3)
    assert round(at_half.f1, 4) == 0.7826 and round(at_030.f1, 4) == 0.9231
    np.testing.assert_array_equal(at_half.confusion_matrix(), [[6, 2], [3, 9]])


# --------------------------------------------------------------------------- the text the widget shows


def test_format_view_lines_are_the_published_contract():
    # A browser test compares the widget's text with these lines; change them only together.
    text = format_view(threshold_view(*twenty_samples(), 0.5))
    assert text.splitlines() == [
        "threshold = 0.50",
        "TP = 9  FP = 2  TN = 6  FN = 3",
        "precision = 0.8182  recall = 0.7500  F1 = 0.7826",
        "accuracy = 0.7500",
    ]


@settings(max_examples=100, deadline=None)
@given(data=labelled_scores, k=st.integers(0, 100))
def test_format_view_shows_the_oracle_numbers(data, k):
    y_true, y_score = data
    t = float(SLIDER_GRID[k])
    expected = sklearn_view(y_true, y_score, t)
    lines = format_view(threshold_view(y_true, y_score, t)).splitlines()
    assert lines[0] == f"threshold = {t:.2f}"
    assert lines[1] == f"TP = {expected['tp']}  FP = {expected['fp']}  TN = {expected['tn']}  FN = {expected['fn']}"
    assert lines[2] == (
        f"precision = {expected['precision']:.4f}  recall = {expected['recall']:.4f}  F1 = {expected['f1']:.4f}"
    )


def test_format_view_says_when_precision_is_undefined():
    view = threshold_view(*twenty_samples(), 0.96)
    assert view.undefined == ("precision",)
    assert view.precision == 0.0
    assert format_view(view).splitlines()[-1] == "undefined: precision (no sample scores >= 0.96), shown as 0"


def test_format_view_says_when_recall_is_undefined():
    view = threshold_view([0, 0, 0], [0.1, 0.5, 0.9], 0.5)
    assert "recall" in view.undefined
    assert "undefined: recall (y_true has no positives), shown as 0" in format_view(view)


def test_readout_html_is_escaped_and_findable():
    html = readout_html(threshold_view(*twenty_samples(), 0.99))
    assert html.startswith(f"<pre class='{READOUT_CLASS}'>") and html.endswith("</pre>")
    assert "&gt;= 0.99" in html and ">= 0.99" not in html.replace("&gt;", "")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("threshold", "error"), [("0.5", TypeError), (None, TypeError), (True, TypeError)])
def test_threshold_must_be_a_number(threshold, error):
    with pytest.raises(error, match="`threshold`"):
        threshold_view([0, 1], [0.2, 0.8], threshold)


@pytest.mark.parametrize("threshold", [float("nan"), float("inf")])
def test_threshold_must_be_finite(threshold):
    with pytest.raises(ValueError, match="`threshold`"):
        ThresholdExplorer([0, 1], [0.2, 0.8]).view(threshold)


def test_bad_scores_are_reported_by_name():
    with pytest.raises(ValueError, match="`y_score`"):
        threshold_view([0, 1], [0.2, float("nan")], 0.5)


# --------------------------------------------------------------------------- the picture and the wiring


def test_static_figure_shows_the_view():
    explorer = ThresholdExplorer(*twenty_samples())
    picture = explorer.figure(0.3)
    texts = sorted(t.get_text() for t in picture.ax_cm.texts)
    assert texts == ["FN\n0", "FP\n2", "TN\n6", "TP\n12"]
    assert picture.ax_cm.get_title() == "Confusion matrix at threshold 0.30"
    assert list(picture.marker["line"].get_xdata()) == [0.3, 0.3]
    view = explorer.view(0.3)
    assert list(picture.marker["dots"].get_ydata()) == [view.precision, view.recall, view.f1]


def test_figure_update_reuses_its_artists():
    explorer = ThresholdExplorer(*twenty_samples())
    picture = explorer.figure(0.5)
    n_artists = len(picture.ax_curve.get_children()), len(picture.ax_cm.get_children())
    picture.update(explorer.view(0.9))
    assert (len(picture.ax_curve.get_children()), len(picture.ax_cm.get_children())) == n_artists
    assert sorted(t.get_text() for t in picture.ax_cm.texts) == ["FN\n9", "FP\n0", "TN\n8", "TP\n3"]
    np.testing.assert_array_equal(picture.ax_cm.images[0].get_array(), [[8, 0], [9, 3]])


def test_widget_is_a_thin_wire_around_format_view():
    y_true, y_score = make_scores(500, positive_rate=0.2, seed=3)
    box = threshold_explorer(y_true, y_score, threshold=0.5)
    slider, readout, image = box.children
    assert (slider.min, slider.max, slider.step, slider.value) == (0.0, 1.0, 0.01, 0.5)
    assert slider.continuous_update is True and slider.readout_format == ".2f"
    assert READOUT_CLASS in readout._dom_classes
    assert readout.value == readout_html(threshold_view(y_true, y_score, 0.5))
    first_png = bytes(image.value)
    assert first_png.startswith(b"\x89PNG")
    for t in (0.3, 0.31, 0.1 + 0.2, 0.97, 0.0):
        slider.value = t
        assert readout.value == readout_html(threshold_view(y_true, y_score, round(t, 2)))
    assert bytes(image.value).startswith(b"\x89PNG") and bytes(image.value) != first_png


def test_widget_picture_matches_the_static_picture():
    # The blitted update draws the same image as a fresh figure drawn in full at that threshold
    # (tests/test_widgets_wiring.py walks every widget along a longer path).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from course_lib.teaching.widgets.blitting import rgba_png
    from course_lib.teaching.widgets.threshold import ThresholdFigure

    y_true, y_score = twenty_samples()
    explorer = ThresholdExplorer(y_true, y_score)
    moved = ThresholdFigure(explorer, explorer.view(0.5), figure=Figure(figsize=(10, 7), dpi=72))
    moved.to_png()
    moved.update(explorer.view(0.3))
    fresh = FigureCanvasAgg(ThresholdFigure(explorer, explorer.view(0.3), figure=Figure(figsize=(10, 7), dpi=72)).fig)
    fresh.draw()
    assert moved.to_png() == rgba_png(fresh)


@pytest.mark.parametrize("threshold", [0.0, 1.0])  # the slider's ends
def test_both_ends_of_the_slider(threshold):
    y_true, y_score = twenty_samples()
    view = ThresholdExplorer(y_true, y_score).view(threshold)
    assert view == threshold_view(y_true, y_score, threshold)
    expected = sklearn_view(y_true, y_score, threshold)
    for name in ("tp", "fp", "tn", "fn"):
        assert getattr(view, name) == expected[name]
    if threshold == 0.0:  # everything predicted positive
        assert (view.fn, view.tn, view.recall, view.undefined) == (0, 0, 1.0, ())
    else:  # nothing scores 1.00: precision is 0/0, shown as 0 and said in words
        assert (view.tp, view.fp, view.precision, view.undefined) == (0, 0, 0.0, ("precision",))
        assert format_view(view).splitlines()[-1] == "undefined: precision (no sample scores >= 1.00), shown as 0"
