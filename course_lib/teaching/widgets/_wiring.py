"""What the lessons' sliders have in common: the readout, the slider box, and a figure that redraws fast.

Every widget in :mod:`course_lib.teaching.widgets` is the same wire: a slider, a text readout
(a ``<pre>`` with a CSS class a browser test can find) and a picture. On each move it
computes the new state with the lesson's pure function, shows the text at once, then
moves the figure's artists and sends the new PNG. The pieces:

- :func:`readout_html`: the text lines as the HTML the readout shows;
- :func:`make_slider`: an ipywidgets slider with the options every lesson uses
  (:func:`threshold_slider`: the one lessons 04 and 05 share);
- :func:`slider_box`: the slider, readout and picture wired together;
- :class:`Picture`: base class of the widgets' figures, whose :meth:`Picture.to_png`
  redraws only what moves (:class:`Blitter`), several times cheaper than drawing the
  whole figure, and pixel for pixel the same as a full draw;
- :func:`two_panels` and :func:`update_confusion_matrix`: the figures' common layout, and new
  counts in a heatmap already drawn;
- :func:`check_threshold`, :data:`SLIDER_GRID` and :func:`grid_index`: the threshold
  sliders' (lessons 04 and 05) grid of thresholds.

    >>> readout_html("TP < FP", "threshold-readout")
    "<pre class='threshold-readout'>TP &lt; FP</pre>"
"""

from __future__ import annotations

import html
import io
import numbers
from operator import attrgetter

import numpy as np

from course_lib.metrics.validation import _describe, expected

SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = 0.0, 1.0, 0.01

#: The threshold sliders' grid as exact two-decimal floats: 0.0, 0.01, ..., 1.0.
SLIDER_GRID = np.round(np.arange(101) * SLIDER_STEP, 2)

#: Pixels of slack around an axes' extent when deciding whether a later artist could paint over it.
_OVERLAP_MARGIN_PX = 2


def check_threshold(threshold) -> float:
    """``threshold`` as a float, or a TypeError/ValueError naming the argument."""
    if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool):
        raise TypeError(expected("threshold", "a number", _describe(threshold)))
    if not np.isfinite(threshold):
        raise ValueError(expected("threshold", "a finite number", _describe(threshold)))
    return float(threshold)


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
    ``readout(state)`` its HTML, and ``picture`` (a :class:`Picture`) shows it; ``state``
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


def update_confusion_matrix(ax, cm, *, cell_names=None) -> None:
    """Show the counts ``cm`` in a heatmap that ``plots.plot_confusion_matrix`` drew on ``ax``.

    New image data, colour limits, cell texts and text colours, chosen exactly as
    ``plot_confusion_matrix`` chooses them, so the result equals a fresh plot of ``cm``.
    """
    cm = np.asarray(cm)
    image = ax.images[0]
    image.set_data(cm)
    image.set_clim(0, max(float(cm.max()), 1e-12))
    values_format = "d" if np.issubdtype(cm.dtype, np.integer) else ".2f"
    middle = (float(cm.max()) + float(cm.min())) / 2  # dark cells get white text
    for text, (i, j) in zip(ax.texts, np.ndindex(cm.shape), strict=True):
        value = format(cm[i, j], values_format)
        text.set_text(value if cell_names is None else f"{cell_names[i][j]}\n{value}")
        text.set_color("white" if cm[i, j] > middle else "black")


def rgba_png(canvas) -> bytes:
    """The Agg ``canvas``'s current pixels as PNG bytes (RGB, light compression: encoding is on every move)."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    bitmap = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    bitmap.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _parent(artist):
    """What paints ``artist`` in a full draw: its Axes, or the figure for an Axes or a figure-level artist."""
    from matplotlib.axes import Axes

    if isinstance(artist, Axes) or artist.axes is None:
        return artist.get_figure(root=True)
    return artist.axes


def _draw_order(parent) -> list:
    """The artists ``parent.draw`` paints after its background patch, in its order (as Axes.draw sorts them)."""
    from matplotlib.axes import Axes

    children = [child for child in parent.get_children() if child is not parent.patch]
    if isinstance(parent, Axes):
        if not (parent.axison and parent.get_frame_on()):
            children = [child for child in children if child not in parent.spines.values()]
        if not parent.axison:
            children = [child for child in children if child not in parent._axis_map.values()]
    return sorted(children, key=attrgetter("zorder"))  # stable, like the draw itself


class Blitter:
    """A figure drawn once in full, then redrawn by painting only what moves (matplotlib's "blitting").

    ``moving`` lists the artists that change between frames; an Axes listed there is
    repainted whole (``update`` may then clear and replot it). In each other Axes, the
    *layer* is the first moving artist and every artist painted after it (a legend over
    a marker, tick marks over a heatmap's edge): they are left out of the full draw,
    whose bitmap is kept, and each :meth:`png` pastes the bitmap back and paints the
    layer on top in the full draw's order. So a frame is the full draw's pixels at a
    fraction of its cost: no layout pass, and nothing painted before the moving artists.
    If another Axes painted later could reach into a repainted one, every frame is a
    full draw instead (correct, just slower).
    """

    def __init__(self, figure, moving):
        self.figure = figure
        self.moving = list(moving)
        self._canvas = self._background = self._layer = None

    def png(self) -> bytes:
        """The figure as PNG bytes."""
        if self._canvas is None:
            self._prepare()
        if self._background is None:  # no safe layer: draw everything
            self._canvas.draw()
        else:
            self._canvas.restore_region(self._background)
            renderer = self._canvas.get_renderer()
            for artist in self._layer:
                artist.draw(renderer)
        return rgba_png(self._canvas)

    def _prepare(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self._canvas = FigureCanvasAgg(self.figure)
        # In an Axes, the first moving artist and everything painted after it; at the figure level, the moving Axes.
        figure_layer = [artist for artist in self.moving if _parent(artist) is self.figure]
        layers = {}
        inside = [artist for artist in self.moving if artist not in figure_layer and artist.axes not in figure_layer]
        for parent in dict.fromkeys(_parent(artist) for artist in inside):
            order = _draw_order(parent)
            layers[parent] = order[min(order.index(artist) for artist in inside if _parent(artist) is parent) :]
        layered = figure_layer + [artist for layer in layers.values() for artist in layer]
        for artist in layered:
            artist.set_animated(True)  # left out of the full draw below
        self._canvas.draw()
        if not self._nothing_paints_over(figure_layer + list(layers), drawn_whole=figure_layer):
            for artist in layered:
                artist.set_animated(False)
            return
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)
        # The figure paints its children in order, each Axes its own layer when its turn comes.
        self._layer = []
        for child in _draw_order(self.figure):
            self._layer.extend([child] if child in figure_layer else layers.get(child, []))

    def _nothing_paints_over(self, repainted, *, drawn_whole) -> bool:
        """True when no figure-level artist painted after a repainted Axes reaches into it.

        A frame paints the layer last, so a later artist overlapping a repainted Axes would
        end up under it instead of on top, unlike in a full draw (an Axes repainted whole,
        ``drawn_whole``, is painted in its turn and cannot).
        """
        renderer = self._canvas.get_renderer()
        order = _draw_order(self.figure)
        for artist in repainted:
            region = artist.get_tightbbox(renderer).padded(_OVERLAP_MARGIN_PX)
            for later in order[order.index(artist) + 1 :]:
                extent = later.get_tightbbox(renderer) if later.get_visible() else None
                if later not in drawn_whole and extent is not None and extent.overlaps(region):
                    return False
        return True


class Picture:
    """Base of the widgets' figures: ``update(state)`` moves artists, :meth:`to_png` shows the result.

    A subclass sets ``self.fig`` and lists in :meth:`_moving_artists` what ``update`` changes.
    """

    fig = None
    _blitter = None

    def _moving_artists(self) -> list:
        raise NotImplementedError

    def update(self, state) -> None:
        raise NotImplementedError

    def to_png(self) -> bytes:
        """The figure as PNG bytes (what the widget's Image shows), redrawing only what moves.

        The first call draws everything that never changes (axes, curves, legends) once
        and keeps the bitmap; later calls paste it back and paint only the moving artists
        (and whatever a full draw paints over them) on top: see :class:`Blitter`.
        """
        if self._blitter is None:
            self._blitter = Blitter(self.fig, self._moving_artists())
        return self._blitter.png()
