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

from course_lib.teaching.plots.calibration import plot_expected_scores, plot_reliability_diagram
from course_lib.teaching.plots.confusion import plot_confusion_matrix
from course_lib.teaching.plots.cost import plot_expected_cost
from course_lib.teaching.plots.curves import plot_pr_curve, plot_roc_curve
from course_lib.teaching.plots.iso_f1 import fbeta_from_precision_recall, iso_fbeta_precision, plot_iso_fbeta
from course_lib.teaching.plots.multiclass_calibration import plot_classwise_reliability, plot_top_label_reliability
from course_lib.teaching.plots.multilabel import plot_label_confusion_grid
from course_lib.teaching.plots.number_line import (
    class_histograms,
    number_line_counts,
    plot_score_histograms,
    plot_score_number_line,
    update_score_number_line,
)
from course_lib.teaching.plots.pairs_grid import pair_outcomes, plot_pair_grid
from course_lib.teaching.plots.scale import plot_auc_error_bound, plot_range_shuffle
from course_lib.teaching.plots.shift import plot_group_rates, plot_precision_vs_prevalence
from course_lib.teaching.plots.style import COLORS, COURSE_RC, METRIC_COLORS, course_style, subplots, use_course_style
from course_lib.teaching.plots.thresholds import draw_threshold_marker, move_threshold_marker, plot_metric_vs_threshold
from course_lib.teaching.plots.training import plot_learning_curves, plot_loss_surface
from course_lib.teaching.plots.uncertainty import (
    plot_coverage,
    plot_interval_width,
    plot_intervals,
    plot_sampling_spread,
)

__all__ = [
    "COLORS",
    "plot_group_rates",
    "plot_precision_vs_prevalence",
    "plot_coverage",
    "plot_interval_width",
    "plot_intervals",
    "plot_sampling_spread",
    "COURSE_RC",
    "METRIC_COLORS",
    "course_style",
    "subplots",
    "use_course_style",
    "plot_confusion_matrix",
    "plot_metric_vs_threshold",
    "draw_threshold_marker",
    "move_threshold_marker",
    "plot_roc_curve",
    "plot_pr_curve",
    "plot_learning_curves",
    "plot_loss_surface",
    "plot_reliability_diagram",
    "plot_expected_scores",
    "plot_top_label_reliability",
    "plot_classwise_reliability",
    "plot_auc_error_bound",
    "plot_range_shuffle",
    "plot_score_number_line",
    "update_score_number_line",
    "number_line_counts",
    "plot_score_histograms",
    "class_histograms",
    "plot_iso_fbeta",
    "iso_fbeta_precision",
    "fbeta_from_precision_recall",
    "plot_pair_grid",
    "pair_outcomes",
    "plot_expected_cost",
    "plot_label_confusion_grid",
]
