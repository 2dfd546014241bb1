"""The course look: colours, the rcParams every plot draws inside, and the axes helpers."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

# Okabe & Ito (2008), "Color Universal Design".
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
    "black": "#000000",
}

# One colour per idea, the same in every lesson.
METRIC_COLORS = {
    "precision": COLORS["blue"],
    "recall": COLORS["orange"],
    "f1": COLORS["green"],
    "accuracy": COLORS["purple"],
    "fpr": COLORS["vermillion"],
    "tpr": COLORS["orange"],
    "train": COLORS["blue"],
    "validation": COLORS["orange"],
    "test": COLORS["purple"],
    "marker": COLORS["vermillion"],
    "chance": COLORS["grey"],
}

COURSE_RC = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linestyle": "-",
    "axes.prop_cycle": plt.cycler(
        color=[COLORS[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "grey")]
    ),
    "lines.linewidth": 2.0,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "image.cmap": "Blues",
}


def use_course_style() -> None:
    """Apply the course look to every figure made from now on in this session."""
    plt.rcParams.update(COURSE_RC)


def course_style():
    """The course look for the figures made inside a ``with`` block only.

    >>> with course_style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    return plt.rc_context(COURSE_RC)


def _styled(function):
    """Draw inside the course style, whatever the global rcParams are."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with course_style():
            return function(*args, **kwargs)

    return wrapper


def _axes(ax: Axes | None, figsize=None) -> Axes:
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


@_styled
def subplots(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` in the course style (a shortcut for multi-panel figures)."""
    return plt.subplots(nrows, ncols, **kwargs)
