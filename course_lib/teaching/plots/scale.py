"""Metrics at scale (lesson 13): the binned AUC's error bound and the range shuffle."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from course_lib.teaching.plots.style import COLORS, _axes, _styled


@_styled
def plot_auc_error_bound(
    n_bins, bound, error, *, ax: Axes | None = None, title: str = "Binned ROC-AUC: the bound and the true error"
) -> Axes:
    """The error bound 1/2 * sum_b p_b n_b and the actual |AUC_binned - AUC_exact| against the number of bins B.

    Both axes are logarithmic; the actual error must stay under the bound, and an
    actual error of 0 (exact agreement) is drawn at the bottom of the axis.
    """
    ax = _axes(ax, figsize=(6.0, 4.2))
    n_bins = np.asarray(n_bins, dtype=float)
    bound, error = np.asarray(bound, dtype=float), np.asarray(error, dtype=float)
    ax.loglog(n_bins, bound, marker="o", color=COLORS["vermillion"], label="bound ½ Σ p_b n_b (from the state)")
    floor = min(bound.min(), error[error > 0].min() if (error > 0).any() else bound.min()) / 10
    ax.loglog(n_bins, np.maximum(error, floor), marker="s", color=COLORS["blue"], label="|binned AUC − exact AUC|")
    ax.set_xlabel("Number of bins B")
    ax.set_ylabel("AUC error")
    ax.set_title(title)
    ax.legend()
    return ax


@_styled
def plot_range_shuffle(
    edges, counts, owner, *, ax: Axes | None = None, title: str = "Range shuffle: each rank owns a range of scores"
) -> Axes:
    """A histogram of all scores, each bin coloured by the rank that will sort it.

    ``edges`` has one more entry than ``counts`` and ``owner`` (the rank of each
    bin, non-decreasing). The dashed lines are the cut points between ranks.
    """
    ax = _axes(ax, figsize=(6.4, 3.8))
    edges, counts, owner = np.asarray(edges, float), np.asarray(counts), np.asarray(owner)
    palette = [COLORS[c] for c in ("blue", "orange", "green", "purple", "sky", "vermillion")]
    for rank in np.unique(owner):
        mine = owner == rank
        ax.bar(
            edges[:-1][mine],
            counts[mine],
            width=np.diff(edges)[mine],
            align="edge",
            color=palette[int(rank) % len(palette)],
            label=f"rank {rank}: {int(counts[mine].sum()):,} scores",
        )
    for cut in edges[1:-1][np.diff(owner) != 0]:
        ax.axvline(cut, linestyle="--", color=COLORS["black"], linewidth=1.0)
    ax.set_xlabel("Score")
    ax.set_ylabel("Number of predictions")
    ax.set_title(title)
    ax.legend()
    return ax
