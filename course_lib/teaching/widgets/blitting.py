"""Figures that redraw fast: paint once, then repaint only the artists a slider moves (matplotlib's "blitting").

- :class:`Picture`: base class of the widgets' figures, whose :meth:`Picture.to_png`
  redraws only what moves (:class:`Blitter`), several times cheaper than drawing the
  whole figure, and pixel for pixel the same as a full draw (tests/test_widgets_wiring.py
  compares them);
- :func:`rgba_png`: a canvas's pixels as PNG bytes.
"""

from __future__ import annotations

import io
from operator import attrgetter

#: Pixels of slack around an axes' extent when deciding whether a later artist could paint over it.
_OVERLAP_MARGIN_PX = 2


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
