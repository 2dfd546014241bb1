"""The course look: one matplotlib style and the plots every lesson shares.

Each helper draws on an ``ax`` you pass (or on a new figure), labels its axes,
sets a title and returns the ``Axes`` so a lesson can add to it. The look is
one dictionary of rcParams, :data:`COURSE_RC`; every helper draws inside it,
so a plot looks the same whether or not the notebook called
:func:`use_course_style` first.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness, and each metric keeps its colour in every
lesson (precision blue, recall orange, F1 green).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_confusion_matrix([[6, 2], [3, 9]], labels=["negative", "positive"])
    >>> ax.get_xlabel()
    'Predicted label'
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
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


# --------------------------------------------------------------------------- confusion matrix


@_styled
def plot_confusion_matrix(
    cm,
    *,
    labels=None,
    cell_names=None,
    ax: Axes | None = None,
    title: str = "Confusion matrix",
    xlabel: str = "Predicted label",
    ylabel: str = "True label",
    values_format: str | None = None,
    cmap: str = "Blues",
    colorbar: bool = False,
) -> Axes:
    """Heatmap of a K x K confusion matrix with every cell labelled by its value.

    Parameters
    ----------
    cm : array-like of shape (K, K)
        Counts (or normalised rates); rows are the true class, columns the prediction.
    labels : sequence of str, optional
        Class names along both axes, in the order of the rows. Default ``0 .. K-1``.
    cell_names : array-like of str, shape (K, K), optional
        A name written above each value, e.g. ``[["TN", "FP"], ["FN", "TP"]]``.
    values_format : str, optional
        Format spec for the values; default ``"d"`` for integers, ``".2f"`` otherwise.

    Returns
    -------
    matplotlib.axes.Axes
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"Expected argument `cm` to be a square 2-D matrix, but got shape {cm.shape}.")
    k = cm.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else [str(label) for label in labels]
    if len(labels) != k:
        raise ValueError(f"Expected argument `labels` to be {k} names, but got {len(labels)}.")
    if values_format is None:
        values_format = "d" if np.issubdtype(cm.dtype, np.integer) else ".2f"
    ax = _axes(ax, figsize=(1.3 * k + 2.2, 1.1 * k + 1.8))
    image = ax.imshow(cm, cmap=cmap, vmin=0, vmax=max(float(cm.max()), 1e-12))
    # Dark cells get white text, light cells black text, so every number stays readable.
    middle = (float(cm.max()) + float(cm.min())) / 2
    for i in range(k):
        for j in range(k):
            text = format(cm[i, j], values_format)
            if cell_names is not None:
                text = f"{cell_names[i][j]}\n{text}"
            color = "white" if cm[i, j] > middle else "black"
            ax.text(j, i, text, ha="center", va="center", color=color, fontsize=11, fontweight="bold")
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(False)
    ax.spines[:].set_visible(False)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return ax


# --------------------------------------------------------------------------- metrics against the threshold


@_styled
def plot_metric_vs_threshold(
    thresholds,
    metrics: dict,
    *,
    threshold: float | None = None,
    ax: Axes | None = None,
    title: str = "Metrics against the decision threshold",
    xlabel: str = "Decision threshold (predict positive when score >= threshold)",
    ylabel: str = "Score",
    drawstyle: str = "steps-pre",
) -> Axes:
    """One line per metric against the threshold, with an optional marker at ``threshold``.

    Parameters
    ----------
    thresholds : array-like of shape (n_thresholds,)
    metrics : dict of name -> array-like of shape (n_thresholds,)
        e.g. ``{"precision": p, "recall": r, "f1": f}``; known names get the course colours.
    threshold : float, optional
        Draw the marker (a vertical line and a dot on each curve) here; see
        :func:`draw_threshold_marker`.
    drawstyle : str, default "steps-pre"
        With ``score >= t`` a metric is a step function of t, constant on each
        interval ``(previous threshold, t]``; "steps-pre" draws exactly that for
        increasing thresholds. Pass "default" for straight segments.
    """
    ax = _axes(ax)
    thresholds = np.asarray(thresholds, dtype=float)
    for name, values in metrics.items():
        ax.plot(thresholds, values, label=name, color=METRIC_COLORS.get(name.lower()), drawstyle=drawstyle)
    ax.set_xlim(float(thresholds.min()), float(thresholds.max()))
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="lower left")
    if threshold is not None:
        if drawstyle == "steps-pre":  # the value drawn at t is the one of the first threshold >= t
            index = min(int(np.searchsorted(thresholds, threshold, side="left")), len(thresholds) - 1)
            values = {name: np.asarray(v)[index] for name, v in metrics.items()}
        else:
            values = {name: np.interp(threshold, thresholds, v) for name, v in metrics.items()}
        draw_threshold_marker(ax, threshold, values)
    return ax


def draw_threshold_marker(ax: Axes, threshold: float, values: dict | None = None) -> dict:
    """Mark ``threshold`` on a metric-vs-threshold plot: a vertical line plus one dot per metric.

    Returns the artists ``{"line": Line2D, "dots": Line2D}``; pass them to
    :func:`move_threshold_marker` to move the marker without redrawing the plot.
    """
    line = ax.axvline(threshold, color=METRIC_COLORS["marker"], linestyle="--", linewidth=1.5, zorder=3)
    ys = [] if values is None else [float(v) for v in values.values()]
    (dots,) = ax.plot(
        [threshold] * len(ys),
        ys,
        linestyle="none",
        marker="o",
        markersize=7,
        markerfacecolor="white",
        markeredgecolor=METRIC_COLORS["marker"],
        markeredgewidth=2,
        zorder=4,
    )
    return {"line": line, "dots": dots}


def move_threshold_marker(marker: dict, threshold: float, values: dict | None = None) -> None:
    """Move a marker made by :func:`draw_threshold_marker` (cheap: no new artists)."""
    marker["line"].set_xdata([threshold, threshold])
    ys = [] if values is None else [float(v) for v in values.values()]
    marker["dots"].set_data([threshold] * len(ys), ys)


# --------------------------------------------------------------------------- ROC and PR curves


@_styled
def plot_roc_curve(
    fpr,
    tpr,
    *,
    auc: float | None = None,
    label: str = "model",
    ax: Axes | None = None,
    chance: bool = True,
    title: str = "ROC curve",
    color: str | None = None,
) -> Axes:
    """ROC curve (false positive rate against true positive rate) with the chance diagonal.

    The legend shows ``auc`` when given. The diagonal is a classifier that ranks at
    random: its expected ROC-AUC is 0.5.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    legend = label if auc is None else f"{label} (AUC = {auc:.4f})"
    ax.plot(fpr, tpr, drawstyle="default", label=legend, color=color)
    if chance and not any(line.get_label() == "chance (AUC = 0.5)" for line in ax.lines):
        ax.plot(
            [0, 1], [0, 1], linestyle="--", linewidth=1.2, color=METRIC_COLORS["chance"], label="chance (AUC = 0.5)"
        )
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("False positive rate (FP / N)")
    ax.set_ylabel("True positive rate = recall (TP / P)")
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax


@_styled
def plot_pr_curve(
    recall,
    precision,
    *,
    average_precision: float | None = None,
    base_rate: float | None = None,
    label: str = "model",
    ax: Axes | None = None,
    title: str = "Precision-recall curve",
    color: str | None = None,
) -> Axes:
    """Precision-recall curve, drawn as the step function average precision sums.

    ``recall`` and ``precision`` come in scikit-learn's order (recall decreasing,
    as ``precision_recall_curve`` returns them): each precision is drawn over the
    recall interval to the left of its point, the rectangle that AP adds up.

    ``base_rate`` (the fraction of positives) draws the no-skill line: a
    classifier that ranks at random has precision equal to the base rate at
    every recall.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    legend = label if average_precision is None else f"{label} (AP = {average_precision:.4f})"
    ax.step(recall, precision, where="post", label=legend, color=color)
    if base_rate is not None:
        ax.axhline(
            base_rate,
            linestyle="--",
            linewidth=1.2,
            color=METRIC_COLORS["chance"],
            label=f"no skill (precision = {base_rate:.3g})",
        )
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.05)
    ax.set_aspect("equal")
    ax.set_xlabel("Recall (TP / P)")
    ax.set_ylabel("Precision (TP / (TP + FP))")
    ax.set_title(title)
    ax.legend(loc="lower left")
    return ax


# --------------------------------------------------------------------------- learning curves


@_styled
def plot_learning_curves(
    train,
    validation,
    *,
    x=None,
    metric: str = "loss",
    xlabel: str = "Epoch",
    ax: Axes | None = None,
    title: str = "Learning curves",
    mark_best: bool = True,
    lower_is_better: bool | None = None,
) -> Axes:
    """Training and validation curves of one metric, with the best validation point marked.

    ``lower_is_better`` defaults to True when ``metric`` contains "loss" or
    "error". The gap between the curves is the generalisation gap.
    """
    ax = _axes(ax)
    train, validation = np.asarray(train, dtype=float), np.asarray(validation, dtype=float)
    x = np.arange(1, len(train) + 1) if x is None else np.asarray(x)
    ax.plot(x, train, label=f"training {metric}", color=METRIC_COLORS["train"])
    ax.plot(x, validation, label=f"validation {metric}", color=METRIC_COLORS["validation"])
    if mark_best:
        if lower_is_better is None:
            lower_is_better = any(word in metric.lower() for word in ("loss", "error"))
        best = int(np.argmin(validation) if lower_is_better else np.argmax(validation))
        ax.plot(
            [x[best]],
            [validation[best]],
            marker="o",
            linestyle="none",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=METRIC_COLORS["marker"],
            markeredgewidth=2,
            label=f"best validation ({xlabel.lower()} {x[best]})",
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(metric)
    ax.set_title(title)
    ax.legend()
    return ax


# --------------------------------------------------------------------------- loss surfaces (lesson 08)


@_styled
def plot_loss_surface(
    p_positive,
    p_negative,
    values,
    *,
    ax: Axes | None = None,
    title: str = "Loss",
    levels: int = 11,
    vmax: float | None = None,
    colorbar: bool = True,
) -> Axes:
    """Filled contours of a loss over (probability given to positives, probability given to negatives).

    ``p_positive`` and ``p_negative`` are 1-D grids; ``values[i, j]`` is the loss
    at ``p_negative[i]``, ``p_positive[j]`` (``np.meshgrid``'s layout), e.g. one
    entry of :func:`course_lib.teaching.losses.one_label_loss_surface`. The best corner,
    positives at 1 and negatives at 0, is bottom right.
    """
    ax = _axes(ax, figsize=(4.6, 4.0))
    values = np.asarray(values, dtype=float)
    top = float(np.nanmax(values[np.isfinite(values)])) if vmax is None else vmax
    clipped, steps = np.minimum(values, top), np.linspace(0, top, levels)  # BCE is +inf at the worst corners
    filled = ax.contourf(p_positive, p_negative, clipped, levels=steps, cmap="viridis")
    ax.contour(p_positive, p_negative, clipped, levels=steps, colors="white", linewidths=0.5)
    ax.plot([1], [0], marker="*", markersize=14, color=COLORS["vermillion"], clip_on=False, linestyle="none")
    ax.set_xlabel("probability given to every positive")
    ax.set_ylabel("probability given to every negative")
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.grid(False)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, shrink=0.85)
    return ax


# --------------------------------------------------------------------------- calibration (lesson 09)


@_styled
def plot_reliability_diagram(
    prob_true,
    prob_pred,
    *,
    counts=None,
    ece: float | None = None,
    label: str = "model",
    ax: Axes | None = None,
    title: str = "Reliability diagram",
    color: str | None = None,
    gaps: bool = True,
) -> Axes:
    """Observed fraction of positives against mean predicted probability, one point per non-empty bin.

    The diagonal is perfect calibration. Points below it are overconfident (the event
    happens less often than predicted), points above it underconfident. With ``gaps``
    each point's distance to the diagonal is drawn: the expected calibration error is
    the average of these gaps weighted by ``counts`` (then the marker areas follow the
    counts too). The legend shows ``ece`` when given.
    """
    ax = _axes(ax, figsize=(4.8, 4.5))
    prob_true, prob_pred = np.asarray(prob_true, dtype=float), np.asarray(prob_pred, dtype=float)
    if not any(line.get_label() == "perfectly calibrated" for line in ax.lines):
        ax.plot(
            [0, 1], [0, 1], linestyle="--", linewidth=1.2, color=METRIC_COLORS["chance"], label="perfectly calibrated"
        )
    legend = label if ece is None else f"{label} (ECE = {ece:.4f})"
    (line,) = ax.plot(prob_pred, prob_true, marker="o", markersize=4, label=legend, color=color)
    if counts is not None:
        counts = np.asarray(counts, dtype=float)
        ax.scatter(prob_pred, prob_true, s=12 + 150 * counts / counts.max(), color=line.get_color(), alpha=0.35)
    if gaps:
        ax.vlines(prob_pred, prob_pred, prob_true, color=line.get_color(), linewidth=1.0, alpha=0.6)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("Mean predicted probability (per bin)")
    ax.set_ylabel("Fraction of positives (per bin)")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


@_styled
def plot_expected_scores(
    reported,
    curves: dict,
    *,
    true_probability: float,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Expected score of reporting probability p, one curve per scoring rule, each minimum marked.

    ``curves`` maps a name to the expected score at each ``reported`` p when the event
    happens with probability ``true_probability`` q. A proper scoring rule is smallest
    at p = q (the dotted line); an improper one rewards reporting something else.
    """
    ax = _axes(ax, figsize=(6.0, 4.2))
    reported = np.asarray(reported, dtype=float)
    for name, values in curves.items():
        values = np.asarray(values, dtype=float)
        best = int(np.argmin(values))
        (line,) = ax.plot(reported, values, label=f"{name} (smallest at p = {reported[best]:.2f})")
        ax.plot([reported[best]], [values[best]], marker="o", markersize=7, color=line.get_color(), linestyle="none")
    ax.axvline(
        true_probability,
        linestyle=":",
        color=METRIC_COLORS["chance"],
        label=f"true probability q = {true_probability:g}",
    )
    ax.set_xlabel("Reported probability p")
    ax.set_ylabel("Expected score (lower is better)")
    ax.set_title(title or f"Expected scores when the truth is 1 with probability {true_probability:g}")
    ax.legend()
    return ax


# --------------------------------------------------------------------------- metrics at scale (lesson 13)


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
