"""What the lessons' sliders have in common: the slider, the readout, and the box that wires them.

Every widget in :mod:`course_lib.teaching.widgets` is the same wire: a slider, a text readout
(a ``<pre>`` with a CSS class a browser test can find) and a picture. On each move it
computes the new state with the lesson's pure function, shows the text at once, then
moves the figure's artists and sends the new PNG (:mod:`course_lib.teaching.widgets.blitting`
redraws only what moves). The pieces:

- :func:`readout_html`: the text lines as the HTML the readout shows;
- :func:`make_slider`: an ipywidgets slider with the options every lesson uses
  (:func:`threshold_slider`: the one lessons 04 and 05 share);
- :func:`slider_box`: the slider, readout and picture (a :class:`~course_lib.teaching.widgets.blitting.Picture`)
  wired together;
- :func:`two_panels` and :func:`update_confusion_matrix`: the figures' common layout, and new
  counts in a heatmap already drawn;
- :func:`check_threshold`, :data:`SLIDER_GRID` and :func:`grid_index`: the threshold
  sliders' (lessons 04 and 05) grid of thresholds.

    >>> readout_html("TP < FP", "threshold-readout")
    "<pre class='threshold-readout'>TP &lt; FP</pre>"
"""

from __future__ import annotations

import html

import numpy as np

from course_lib.metrics.validation import _describe, check_real, expected

SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = 0.0, 1.0, 0.01

#: The threshold sliders' grid as exact two-decimal floats: 0.0, 0.01, ..., 1.0.
SLIDER_GRID = np.round(np.arange(101) * SLIDER_STEP, 2)


def check_threshold(threshold) -> float:
    """``threshold`` as a float, or a TypeError/ValueError naming the argument."""
    return check_real(threshold, "threshold")


def grid_index(threshold: float) -> int | None:
    """The index of ``threshold`` in :data:`SLIDER_GRID`, or None when it is not on the grid.

    Any float within 1e-9 of a grid value counts, which absorbs a browser's ``0.30000000000000004``.

    >>> grid_index(0.1 + 0.2), grid_index(0.305), grid_index(1.5)
    (30, None, None)
    """
    index = int(round((threshold - SLIDER_MIN) / SLIDER_STEP))
    if 0 <= index < len(SLIDER_GRID) and abs(SLIDER_GRID[index] - threshold) < 1e-9:
        return index
    return None


def readout_html(text: str, css_class: str) -> str:
    """``text`` as the readout's HTML: an escaped ``<pre>`` carrying ``css_class`` (a browser test finds it)."""
    return f"<pre class='{css_class}'>{html.escape(text)}</pre>"


def make_slider(kind, **options):
    """An ipywidgets slider of class ``kind`` that reports every move, shows two decimals and is 480 px wide."""
    import ipywidgets as widgets

    defaults = {"readout_format": ".2f", "continuous_update": True, "layout": widgets.Layout(width="480px")}
    return kind(**{**defaults, **options})


def threshold_slider(threshold: float):
    """The decision-threshold slider of lessons 04 and 05: 0.00 to 1.00 in steps of 0.01."""
    import ipywidgets as widgets

    return make_slider(
        widgets.FloatSlider, value=threshold, min=SLIDER_MIN, max=SLIDER_MAX, step=SLIDER_STEP, description="threshold"
    )


def slider_box(slider, state, *, answer, readout, picture, name: str):
    """Wire ``slider`` to a readout and a picture; returns an ``ipywidgets.VBox`` of ``[slider, readout, image]``.

    ``answer(value)`` computes the state at a slider value (the lesson's pure function),
    ``readout(state)`` its HTML, and ``picture`` (a :class:`~course_lib.teaching.widgets.blitting.Picture`) shows it; ``state``
    is what the slider starts at. The readout widget gets the CSS class ``{name}-readout``
    and the box ``{name}-explorer``: browser tests find the widget by them.
    """
    import ipywidgets as widgets

    text = widgets.HTML(value=readout(state))
    text.add_class(f"{name}-readout")
    image = widgets.Image(value=picture.to_png(), format="png")

    def on_move(change):
        new_state = answer(change["new"])
        text.value = readout(new_state)  # the numbers first: they are the cheap part, and go out before the PNG
        picture.update(new_state)
        image.value = picture.to_png()

    slider.observe(on_move, names="value")
    box = widgets.VBox([slider, text, image])
    box.add_class(f"{name}-explorer")
    return box


def two_panels(figure=None, *, figsize, width_ratios=None):
    """Two Axes side by side in the course style: ``(fig, (left, right))``.

    On ``figure`` (a matplotlib Figure made without pyplot, as the widgets use) when given,
    else on a new pyplot figure of size ``figsize`` (so ``plt.show()`` shows it).
    """
    from course_lib.teaching import plots

    gridspec_kw = {} if width_ratios is None else {"width_ratios": width_ratios}
    if figure is None:
        return plots.subplots(1, 2, figsize=figsize, gridspec_kw=gridspec_kw)
    with plots.course_style():
        return figure, figure.subplots(1, 2, gridspec_kw=gridspec_kw)


def two_panels_over_a_strip(figure=None, *, figsize, width_ratios=None):
    """Two Axes side by side above one full-width strip: ``(fig, (left, right, strip))``.

    Like :func:`two_panels`; the strip holds a picture that reads left to right along the
    whole width (the scores on a number line).
    """
    from course_lib.teaching import plots

    layout = [["left", "right"], ["strip", "strip"]]
    kwargs = {"width_ratios": width_ratios, "height_ratios": [1.25, 1]}
    with plots.course_style():
        if figure is None:
            import matplotlib.pyplot as plt

            figure = plt.figure(figsize=figsize, layout="constrained")
        else:
            figure.set_layout_engine("constrained")
        axes = figure.subplot_mosaic(layout, **kwargs)
    return figure, (axes["left"], axes["right"], axes["strip"])


def room_for_markers(ax, *, x=(0.0, 1.0), y=(0.0, 1.0), margin: float = 0.03) -> None:
    """Limits a little beyond ``x`` and ``y``, so a marker at an end of a slider's range is drawn whole.

    A slider's extreme values put markers on the axes' edges (threshold 0 or 1, the ROC
    curve's corners): with the limits exactly at the data range, half of each marker and
    the dashed threshold line would disappear into the frame.
    """
    for (low, high), set_limits in ((x, ax.set_xlim), (y, ax.set_ylim)):
        pad = margin * (high - low)
        set_limits(low - pad, high + pad)


def update_confusion_matrix(ax, cm, *, cell_names=None, shade: str = "count") -> None:
    """Show the counts ``cm`` in a heatmap that ``plots.plot_confusion_matrix`` drew on ``ax``.

    ``shade="count"``: image data, colour limits, cell texts and text colours chosen exactly as
    ``plot_confusion_matrix`` chooses them, so the result equals a fresh plot of ``cm``.
    ``shade="row"``: each cell is shaded by its share of its row (the true class), on a fixed
    0-1 scale, while the text still gives the count; a small class's row is then as visible
    as a big one's (an empty row stays white).
    """
    cm = np.asarray(cm)
    if shade not in ("count", "row"):
        raise ValueError(expected("shade", "'count' or 'row'", _describe(shade)))
    if shade == "row":
        totals = cm.sum(axis=1, keepdims=True)
        colours = np.divide(cm, totals, out=np.zeros(cm.shape), where=totals > 0)
        low, high = 0.0, 1.0
    else:
        colours = cm
        low, high = 0.0, max(float(cm.max()), 1e-12)
    image = ax.images[0]
    image.set_data(colours)
    image.set_clim(low, high)
    values_format = "d" if np.issubdtype(cm.dtype, np.integer) else ".2f"
    # Dark cells get white text (plot_confusion_matrix's rule, on what the colours show).
    middle = (high + float(colours.min())) / 2 if shade == "count" else 0.5
    for text, (i, j) in zip(ax.texts, np.ndindex(cm.shape), strict=True):
        value = format(cm[i, j], values_format)
        text.set_text(value if cell_names is None else f"{cell_names[i][j]}\n{value}")
        text.set_color("white" if colours[i, j] > middle else "black")
