"""The plumbing every lesson slider shares (course_lib.teaching.widgets._wiring), above all the fast redraw.

Each widget's figure repaints only what moves on a slider move (blitting). These tests
hold it to the strict standard: after any sequence of moves, the PNG it sends is
byte for byte the PNG of a fresh figure drawn in full at the same position, for each
of the four widgets, and blitting really is in use (not a silent fall-back to full draws).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_lib.teaching import plots  # noqa: E402
from course_lib.teaching.datasets import eight_samples, make_scores, twenty_samples  # noqa: E402
from course_lib.teaching.widgets import _wiring, blitting  # noqa: E402
from course_lib.teaching.widgets.averaging import (  # noqa: E402
    SHARE_MAX,
    SHARE_MIN,
    AveragingFigure,
    averages_at_share,
    averages_over_shares,
    averaging_explorer,
)
from course_lib.teaching.widgets.operating_point import OperatingPointExplorer, OperatingPointFigure  # noqa: E402
from course_lib.teaching.widgets.temperature import TemperatureExplorer, TemperatureFigure  # noqa: E402
from course_lib.teaching.widgets.threshold import ThresholdExplorer, ThresholdFigure, threshold_explorer  # noqa: E402


def full_draw_png(figure) -> bytes:
    """The reference: every artist drawn by one ordinary full draw, encoded like the widgets' PNGs."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return blitting.rgba_png(canvas)


def threshold_case():
    explorer = ThresholdExplorer(*make_scores(300, positive_rate=0.3, seed=5))

    def picture(threshold):
        return ThresholdFigure(explorer, explorer.view(threshold), figure=Figure(figsize=(10, 7), dpi=72))

    return picture, explorer.view


def operating_point_case():
    explorer = OperatingPointExplorer(*make_scores(300, positive_rate=0.3, seed=5))

    def picture(threshold):
        figure = Figure(figsize=(9.6, 4.6), dpi=72, layout="constrained")
        return OperatingPointFigure(explorer, explorer.point(threshold), figure=figure)

    return picture, explorer.point


def temperature_case():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    explorer = TemperatureExplorer(y, rng.normal(size=300) * 3 + (2 * y - 1))

    def picture(temperature):
        figure = Figure(figsize=(9.6, 4.6), dpi=72, layout="constrained")
        return TemperatureFigure(explorer, explorer.view(temperature), figure=figure)

    return picture, explorer.view


def averaging_case():
    curves = averages_over_shares(np.round(np.arange(SHARE_MIN, SHARE_MAX + 0.005, 0.01), 2))

    def picture(share):
        figure = Figure(figsize=(10.5, 4.2), dpi=72, layout="constrained")
        return AveragingFigure(averages_at_share(share), curves, figure=figure)

    return picture, averages_at_share


# Each path starts somewhere, visits the ends of the slider (markers in the corners, over
# legends, undefined precision, an empty-looking heatmap) and comes back.
CASES = {
    "threshold": (threshold_case, [0.5, 0.0, 0.07, 0.31, 0.93, 1.0, 0.5]),
    "operating_point": (operating_point_case, [0.6, 0.0, 0.02, 0.45, 0.99, 1.0, 0.6]),
    "temperature": (temperature_case, [1.0, 0.25, 0.5, 2.65, 8.0, 1.0]),
    "averaging": (averaging_case, [0.9, 0.34, 0.5, 0.98, 0.9]),
}


@pytest.mark.parametrize("name", CASES)
def test_every_blitted_frame_is_the_full_draw(name):
    make_case, path = CASES[name]
    picture, state_at = make_case()
    moved = picture(path[0])
    assert moved.to_png() == full_draw_png(picture(path[0]).fig)
    for value in path[1:]:
        moved.update(state_at(value))
        assert moved.to_png() == full_draw_png(picture(value).fig), f"{name}: the frame at {value} differs"
    # Blitting is in use: the kept bitmap exists, and a frame paints far fewer artists than the figure holds.
    assert moved._blitter._background is not None
    all_artists = moved.fig.findobj()
    assert 0 < len(moved._blitter._layer) < len(all_artists) / 4


def test_an_artist_painted_over_the_moving_one_falls_back_to_full_draws():
    # An inset Axes, painted after the main one, covers where its moving line goes: pasting the
    # line on top would hide the inset's corner. The blitter must see that and draw in full.
    def picture(x):
        figure = Figure(figsize=(4, 3), dpi=72)
        ax = figure.add_subplot()
        ax.set_xlim(0, 1)
        (line,) = ax.plot([x, x], [0, 1], linewidth=8)
        inset = figure.add_axes((0.5, 0.4, 0.3, 0.3))
        inset.plot([0, 1], [1, 0])
        return figure, line

    figure, line = picture(0.1)
    blitter = blitting.Blitter(figure, [line])
    assert blitter.png() == full_draw_png(picture(0.1)[0])
    line.set_xdata([0.65, 0.65])  # under the inset
    assert blitter.png() == full_draw_png(picture(0.65)[0])
    assert blitter._background is None


def test_update_confusion_matrix_equals_a_fresh_plot():
    def drawn(cm):
        ax = Figure(figsize=(4, 4), dpi=72).add_subplot()
        return plots.plot_confusion_matrix(cm, ax=ax)

    for before, after in [
        (np.array([[5, 1, 0], [2, 7, 1], [0, 0, 9]]), np.array([[0, 0, 0], [0, 3, 0], [1, 0, 0]])),
        (np.array([[0.5, 0.5], [0.1, 0.9]]), np.array([[1.0, 0.0], [0.25, 0.75]])),
        (np.array([[3, 1], [0, 2]]), np.zeros((2, 2), dtype=int)),
    ]:
        ax = drawn(before)
        _wiring.update_confusion_matrix(ax, after)
        fresh = drawn(after)
        assert [t.get_text() for t in ax.texts] == [t.get_text() for t in fresh.texts]
        assert [t.get_color() for t in ax.texts] == [t.get_color() for t in fresh.texts]
        assert ax.images[0].get_clim() == fresh.images[0].get_clim()
        np.testing.assert_array_equal(ax.images[0].get_array(), after)


def test_readout_goes_out_before_the_picture():
    # The learner reads the numbers while the PNG is still being made.
    box = threshold_explorer(*twenty_samples(), threshold=0.5)
    slider, readout, image = box.children
    sent = []
    readout.observe(lambda change: sent.append("readout"), names="value")
    image.observe(lambda change: sent.append("picture"), names="value")
    slider.value = 0.3
    assert sent == ["readout", "picture"]


def test_slider_box_keeps_the_classes_browser_tests_look_for():
    box = averaging_explorer(value=0.5)
    slider, readout, image = box.children
    assert "averaging-explorer" in box._dom_classes and "averaging-readout" in readout._dom_classes
    assert (slider.readout_format, slider.continuous_update, slider.layout.width) == ("d", True, "480px")
    assert slider.style.description_width == "initial"
    assert image.format == "png" and bytes(image.value).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("threshold", "index"),
    [(0.0, 0), (0.1 + 0.2, 30), (0.35, 35), (1.0, 100), (0.305, None), (-0.01, None), (1.01, None)],
)
def test_grid_index_finds_only_the_grid(threshold, index):
    assert _wiring.grid_index(threshold) == index


@pytest.mark.parametrize(("threshold", "error"), [("0.5", TypeError), (True, TypeError), (float("nan"), ValueError)])
def test_check_threshold_names_the_argument(threshold, error):
    with pytest.raises(error, match="`threshold`"):
        _wiring.check_threshold(threshold)


def test_eight_samples_operating_point_blits_from_the_lesson_start():
    # The lesson's own widget (eight samples, start 0.6) blits, as the browser test's latency assumes.
    explorer = OperatingPointExplorer(*eight_samples())
    figure = Figure(figsize=(9.6, 4.6), dpi=72, layout="constrained")
    picture = OperatingPointFigure(explorer, explorer.point(0.6), figure=figure)
    picture.to_png()
    assert picture._blitter._background is not None


def _inside(figure, axes, markers) -> bool:
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    frames = [ax.get_window_extent(renderer) for ax in axes]
    boxes = [marker.get_window_extent(renderer) for marker in markers]
    return all(
        f.x0 <= b.x0 and b.x1 <= f.x1 and f.y0 <= b.y0 and b.y1 <= f.y1 for f, b in zip(frames, boxes, strict=True)
    )


@pytest.mark.parametrize("threshold", [0.0, 1.0])
def test_markers_at_both_ends_of_the_threshold_sliders_are_drawn_whole(threshold):
    explorer = ThresholdExplorer(*twenty_samples())
    picture = ThresholdFigure(explorer, explorer.view(threshold), figure=Figure(figsize=(10, 7), dpi=72))
    dots = picture.marker["dots"]
    assert _inside(picture.fig, [picture.ax_curve], [dots])
    assert picture.ax_curve.get_xlim()[0] < 0 < 1 < picture.ax_curve.get_xlim()[1]  # the dashed line too
    assert picture.ax_line.get_xlim()[0] < 0 < 1 < picture.ax_line.get_xlim()[1]  # and the number line's
    explorer = OperatingPointExplorer(*eight_samples())
    figure = Figure(figsize=(9.6, 4.6), dpi=72, layout="constrained")
    picture = OperatingPointFigure(explorer, explorer.point(threshold), figure=figure)
    assert _inside(picture.fig, [picture.ax_roc, picture.ax_pr], [picture.roc_marker, picture.pr_marker])
