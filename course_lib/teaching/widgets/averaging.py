"""Lesson 06's imbalance slider: watch macro, weighted and micro F1 move apart.

One fixed classifier is scored on test sets whose class mix changes. The model
is described by its *row-normalised* confusion matrix ``rates``: ``rates[i, j]``
is the fraction of true class ``i`` that it predicts as class ``j``. The default,
:data:`LAZY_MODEL`, is good on class 0 and leans towards it when unsure, the way a
model trained on imbalanced data does. Its behaviour per class never changes;
only the share of class 0 in the test set does (the rest is split between the
other classes). So any change in a score is the *average's* doing:

- micro F1 (= accuracy for single-label data) and weighted F1 follow the
  majority class and rise towards its F1 as it takes over;
- macro F1 gives each class one vote and falls, because the minority classes'
  precision suffers from the majority's stray predictions.

Everything the slider shows comes from :func:`averages_at_share` (numbers) and
:func:`format_averages` (the text lines); tests call both directly. The widget
in :func:`averaging_explorer` only wires a slider to them.

    >>> result = averages_at_share(0.9)
    >>> result.support.tolist()
    [900, 50, 50]
    >>> print(format_averages(result).splitlines()[2])
    macro F1 = 0.6297  weighted F1 = 0.9051  micro F1 = 0.9090
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.metrics.from_counts import accuracy_from_table, scores_from_table
from course_lib.metrics.validation import _describe, check_int, check_real, expected
from course_lib.teaching.widgets import _wiring, blitting

#: Row-normalised confusion matrix of a classifier that leans towards class 0.
LAZY_MODEL = np.array(
    [
        [0.96, 0.02, 0.02],  # class 0: nearly always right
        [0.35, 0.60, 0.05],  # class 1: a third of it called class 0
        [0.60, 0.10, 0.30],  # class 2: mostly called class 0
    ]
)

#: The slider moves the share of class 0 in whole percent, 34 % (near balance) to 98 % (extreme). An
#: integer slider: a browser announces its bounds and value exactly (a float one rounds them to one
#: decimal and says 0.9000000000000001), and a percent is a share a learner reads at a glance.
SHARE_PERCENT_MIN, SHARE_PERCENT_MAX, SHARE_PERCENT_STEP = 34, 98, 1
SHARE_MIN, SHARE_MAX, SHARE_STEP = SHARE_PERCENT_MIN / 100, SHARE_PERCENT_MAX / 100, SHARE_PERCENT_STEP / 100

#: Every share the slider can show, as exact two-decimal floats (0.34, 0.35, ..., 0.98).
SLIDER_SHARES = np.arange(SHARE_PERCENT_MIN, SHARE_PERCENT_MAX + 1, SHARE_PERCENT_STEP) / 100


@dataclass(frozen=True)
class AveragesAtShare:
    """Everything the slider shows for one majority share."""

    majority_share: float
    confusion: np.ndarray  # (K, K) integer counts, rows = truth
    support: np.ndarray  # (K,) true samples per class
    precision: np.ndarray  # (K,)
    recall: np.ndarray  # (K,)
    f1: np.ndarray  # (K,)
    macro_f1: float
    weighted_f1: float
    micro_f1: float
    accuracy: float

    def __repr__(self) -> str:
        return (
            f"AveragesAtShare(majority_share={self.majority_share:.2f}, macro_f1={self.macro_f1:.4f}, "
            f"weighted_f1={self.weighted_f1:.4f}, micro_f1={self.micro_f1:.4f})"
        )


def _check_rates(rates) -> np.ndarray:
    rates = np.asarray(rates, dtype=np.float64)
    if rates.ndim != 2 or rates.shape[0] != rates.shape[1] or rates.shape[0] < 2:
        raise ValueError(expected("rates", "a square K x K matrix with K >= 2", f"shape {rates.shape}"))
    if not np.isfinite(rates).all() or (rates < 0).any() or not np.allclose(rates.sum(axis=1), 1.0):
        raise ValueError(expected("rates", "non-negative rows that each sum to 1", _describe(rates)))
    return rates


def _check_share(majority_share) -> float:
    return check_real(majority_share, "majority_share", low=0.0, high=1.0, low_open=True, high_open=True)


def _check_n_samples(n_samples) -> int:
    return check_int(n_samples, "n_samples", minimum=10)


def class_supports(majority_share: float, *, n_classes: int = 3, n_samples: int = 1000) -> np.ndarray:
    """How many test samples each class gets: class 0 takes ``majority_share``, the rest split evenly.

    >>> class_supports(0.9).tolist()
    [900, 50, 50]
    """
    share, n = _check_share(majority_share), _check_n_samples(n_samples)
    n_major = int(round(share * n))
    rest = n - n_major
    # Spread the remainder one by one over the first minority classes so the total is exactly n.
    minority = np.full(n_classes - 1, rest // (n_classes - 1)) + (np.arange(n_classes - 1) < rest % (n_classes - 1))
    return np.concatenate([[n_major], minority]).astype(np.int64)


def confusion_at_share(majority_share: float, *, rates=LAZY_MODEL, n_samples: int = 1000) -> np.ndarray:
    """The K x K confusion matrix of the model ``rates`` on a test set with this class mix.

    Row ``i`` shares class ``i``'s support out by ``rates[i]`` in whole samples,
    with the largest-remainder rule: round every share down, then give the
    samples still missing to the largest fractional parts. Each row sums to its
    support exactly and each cell is within one sample of ``support * rate``.
    """
    rates = _check_rates(rates)
    support = class_supports(majority_share, n_classes=len(rates), n_samples=n_samples)
    exact = support[:, None] * rates
    cm = np.floor(exact).astype(np.int64)
    missing = support - cm.sum(axis=1)
    # Rank each row's cells by fractional part (largest first, ties by column) and top up the first `missing`.
    order = np.argsort(-(exact - cm), axis=1, kind="stable")
    rank = np.argsort(order, axis=1, kind="stable")
    return cm + (rank < missing[:, None])


def averages_at_share(majority_share: float, *, rates=LAZY_MODEL, n_samples: int = 1000) -> AveragesAtShare:
    """Per-class precision/recall/F1 and the three F1 averages at one class mix.

    Every score comes straight from the confusion matrix (the metrics core's
    ``scores_from_table``): no labels are rebuilt. ``zero_division=0`` so a class
    that is never predicted scores 0 silently (the lesson discusses that case).

    macro    = mean_k F1_k
    weighted = sum_k support_k F1_k / n
    micro    = 2 sum TP / (2 sum TP + sum FP + sum FN) = accuracy (single-label data)
    """
    cm = confusion_at_share(majority_share, rates=rates, n_samples=n_samples)
    precision, recall, f1, support = scores_from_table(cm, average=None, zero_division=0.0)
    averages = {
        average: scores_from_table(cm, average=average, zero_division=0.0)[2]
        for average in ("macro", "weighted", "micro")
    }
    return AveragesAtShare(
        majority_share=float(majority_share),
        confusion=cm,
        support=np.asarray(support, dtype=np.int64),
        precision=precision,
        recall=recall,
        f1=f1,
        macro_f1=float(averages["macro"]),
        weighted_f1=float(averages["weighted"]),
        micro_f1=float(averages["micro"]),
        accuracy=float(accuracy_from_table(cm)),
    )


def averages_over_shares(shares, *, rates=LAZY_MODEL, n_samples: int = 1000) -> dict[str, np.ndarray]:
    """The three averages (and accuracy) for every share in ``shares``, for the static plot."""
    results = [averages_at_share(float(s), rates=rates, n_samples=n_samples) for s in np.asarray(shares).ravel()]
    return {
        "share": np.array([r.majority_share for r in results]),
        "macro": np.array([r.macro_f1 for r in results]),
        "weighted": np.array([r.weighted_f1 for r in results]),
        "micro": np.array([r.micro_f1 for r in results]),
        "accuracy": np.array([r.accuracy for r in results]),
    }


def format_averages(result: AveragesAtShare) -> str:
    """The text lines the slider shows (a browser test reads them).

    >>> print(format_averages(averages_at_share(0.5)).splitlines()[0])
    majority share = 0.50  support = 500 / 250 / 250
    """
    lines = [
        f"majority share = {result.majority_share:.2f}  support = {' / '.join(str(s) for s in result.support)}",
        f"accuracy = {result.accuracy:.4f}",
        f"macro F1 = {result.macro_f1:.4f}  weighted F1 = {result.weighted_f1:.4f}  micro F1 = {result.micro_f1:.4f}",
        f"micro - macro = {result.micro_f1 - result.macro_f1:+.4f}",
    ]
    for k, (p, r, f) in enumerate(zip(result.precision, result.recall, result.f1, strict=True)):
        lines.append(f"class {k}: precision = {p:.4f}  recall = {r:.4f}  F1 = {f:.4f}  support = {result.support[k]}")
    return "\n".join(lines)


AVERAGE_COLORS = {"macro": "vermillion", "weighted": "blue", "micro": "green"}

#: CSS class of the readout, so a browser test can find it.
READOUT_CLASS = "averaging-readout"


def readout_html(result: AveragesAtShare) -> str:
    """:func:`format_averages`'s text as the HTML the widget shows (a ``<pre>`` with a CSS class)."""
    return _wiring.readout_html(format_averages(result), READOUT_CLASS)


def plot_averages(result: AveragesAtShare, curves: dict[str, np.ndarray], *, figure=None):
    """Left: the three averages against the majority share, marked at ``result``. Right: its confusion matrix.

    Draws on ``figure`` (a matplotlib Figure made without pyplot) when given, else on a
    new pyplot figure (so ``plt.show()`` shows it). Returns the figure.
    """
    return AveragingFigure(result, curves, figure=figure).fig


class AveragingFigure(blitting.Picture):
    """:func:`plot_averages`'s two panels, drawn once; :meth:`update` moves them to another share.

    Updating moves the vertical line and the three dots and puts the new counts in the
    heatmap; ``to_png()`` repaints only those (see :class:`course_lib.teaching.widgets.blitting.Picture`).
    """

    def __init__(self, result: AveragesAtShare, curves: dict[str, np.ndarray], *, figure=None):
        from course_lib.teaching import plots

        self.fig, (left, right) = _wiring.two_panels(figure, figsize=(10.5, 4.2), width_ratios=[1.6, 1])
        self.ax_averages, self.ax_cm = left, right
        self.dots = {}
        with plots.course_style():
            for name, color in AVERAGE_COLORS.items():
                left.plot(curves["share"], curves[name], color=plots.COLORS[color], label=f"{name} F1")
                (self.dots[name],) = left.plot(
                    [result.majority_share],
                    [getattr(result, f"{name}_f1")],
                    marker="o",
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=plots.COLORS[color],
                    markeredgewidth=2,
                )
            self.line = left.axvline(
                result.majority_share, color=plots.METRIC_COLORS["marker"], linestyle="--", linewidth=1.2
            )
            # Room beyond both ends of the slider, so a dot at 0.34 or 0.98 is drawn whole and the dashed
            # line stays clear of the frame.
            low, high = float(curves["share"].min()), float(curves["share"].max())
            margin = 0.03 * (high - low)
            left.set_xlim(low - margin, high + margin)
            left.set_ylim(0.0, 1.05)
            left.set_xlabel("Share of class 0 in the test set")
            left.set_ylabel("F1")
            left.set_title("Same model, changing class mix")
            left.legend(loc="lower left")
        plots.plot_confusion_matrix(result.confusion, ax=right, title=self._cm_title(result))
        # Shade each row by its share of the true class: at share 0.98 a minority row holds 10 samples
        # against 900+ in class 0, and shading by count would leave it white. The shades are the
        # model's rates, which the slider never changes; only the counts written in the cells move.
        _wiring.update_confusion_matrix(right, result.confusion, shade="row")
        right.set_xlabel("Predicted label (shade: share of the true class)")

    @staticmethod
    def _cm_title(result: AveragesAtShare) -> str:
        return f"Confusion matrix at share {result.majority_share:.2f}"

    def update(self, result: AveragesAtShare) -> None:
        """Show ``result``: the line and dots at its share, its counts in the heatmap, a new title."""
        for name, dot in self.dots.items():
            dot.set_data([result.majority_share], [getattr(result, f"{name}_f1")])
        self.line.set_xdata([result.majority_share, result.majority_share])
        _wiring.update_confusion_matrix(self.ax_cm, result.confusion, shade="row")
        self.ax_cm.title.set_text(self._cm_title(result))  # keeps the course font

    def _moving_artists(self) -> list:
        return [*self.dots.values(), self.line, *self.ax_cm.images, *self.ax_cm.texts, self.ax_cm.title]


def averaging_explorer(*, value: float = 0.9, rates=LAZY_MODEL, n_samples: int = 1000):
    """A slider over the majority share (in percent), showing :func:`format_averages`'s lines and :func:`plot_averages`.

    Only wiring: every number comes from :func:`averages_at_share`. Returns an
    ``ipywidgets.VBox`` of ``[slider, readout (HTML), picture (Image)]``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    curves = averages_over_shares(SLIDER_SHARES, rates=rates, n_samples=n_samples)

    def answer(percent: int) -> AveragesAtShare:
        return averages_at_share(int(percent) / 100, rates=rates, n_samples=n_samples)

    result = answer(share_percent(value))
    # A Figure made without pyplot: the inline backend never shows or keeps it; one figure serves every move.
    picture = AveragingFigure(result, curves, figure=Figure(figsize=(10.5, 4.2), dpi=72, layout="constrained"))
    slider = _wiring.make_slider(
        widgets.IntSlider,
        value=share_percent(value),
        min=SHARE_PERCENT_MIN,
        max=SHARE_PERCENT_MAX,
        step=SHARE_PERCENT_STEP,
        description="share of class 0 (%)",
        readout_format="d",
        style={"description_width": "initial"},
    )
    return _wiring.slider_box(slider, result, answer=answer, readout=readout_html, picture=picture, name="averaging")


def share_percent(share: float) -> int:
    """The slider position (whole percent) of a share on the slider's grid; a ValueError names any other.

    >>> share_percent(0.9), share_percent(0.34)
    (90, 34)
    """
    share = _check_share(share)
    percent = int(round(share * 100))
    if abs(percent - share * 100) > 1e-9 or not SHARE_PERCENT_MIN <= percent <= SHARE_PERCENT_MAX:
        raise ValueError(expected("value", f"a share from {SHARE_MIN} to {SHARE_MAX} in steps of 0.01", repr(share)))
    return percent
