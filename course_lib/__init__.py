"""course_lib: the reference implementation behind *Classification Metrics from Scratch*.

The lessons build every metric by hand; course_lib holds the same ideas written
once, vectorised, validated, and with scikit-learn's names and signatures, so
what a learner writes can be checked against it and what they learn carries
straight over to scikit-learn.
"""

from course_lib.metrics.agreement import balanced_accuracy_score, cohen_kappa_score, matthews_corrcoef
from course_lib.metrics.bootstrap import BootstrapInterval, PairedBootstrap, bootstrap_interval, paired_bootstrap
from course_lib.metrics.budgets import precision_at_k, recall_at_k, tpr_at_fpr
from course_lib.metrics.calibration import (
    apply_temperature,
    calibration_bins,
    calibration_curve,
    expected_calibration_error,
    fit_temperature,
)
from course_lib.metrics.confusion import binary_counts, confusion_matrix, multilabel_confusion_matrix
from course_lib.metrics.curves import (
    ThresholdSweep,
    auc,
    average_precision_score,
    best_threshold,
    best_threshold_range,
    confusion_matrix_at_thresholds,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
    threshold_sweep,
)
from course_lib.metrics.delong import AUCInterval, DeLongTest, delong_test, roc_auc_interval
from course_lib.metrics.fairness import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
)
from course_lib.metrics.groups import GroupMetric, by_group, confusion_matrix_by_group
from course_lib.metrics.intervals import ProportionInterval, proportion_interval, sample_size_for_width
from course_lib.metrics.multiclass_calibration import (
    classwise_calibration_error,
    multiclass_calibration_error,
    top_label_calibration_error,
)
from course_lib.metrics.paired_tests import McNemarResult, mcnemar_test
from course_lib.metrics.prevalence import (
    adjust_to_prevalence,
    estimate_prevalence,
    precision_at_prevalence,
    precision_recall_gain,
)
from course_lib.metrics.probabilistic import brier_score_loss, log_loss
from course_lib.metrics.scores import (
    accuracy_score,
    classification_report,
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from course_lib.metrics.topk import top_k_accuracy_score
from course_lib.metrics.validation import UndefinedMetricWarning

__all__ = [
    "balanced_accuracy_score",
    "cohen_kappa_score",
    "matthews_corrcoef",
    "BootstrapInterval",
    "PairedBootstrap",
    "bootstrap_interval",
    "paired_bootstrap",
    "AUCInterval",
    "DeLongTest",
    "delong_test",
    "roc_auc_interval",
    "ProportionInterval",
    "proportion_interval",
    "sample_size_for_width",
    "McNemarResult",
    "mcnemar_test",
    "precision_at_k",
    "recall_at_k",
    "tpr_at_fpr",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "GroupMetric",
    "by_group",
    "confusion_matrix_by_group",
    "adjust_to_prevalence",
    "estimate_prevalence",
    "precision_at_prevalence",
    "precision_recall_gain",
    "apply_temperature",
    "calibration_bins",
    "calibration_curve",
    "expected_calibration_error",
    "fit_temperature",
    "classwise_calibration_error",
    "multiclass_calibration_error",
    "top_label_calibration_error",
    "brier_score_loss",
    "log_loss",
    "top_k_accuracy_score",
    "ThresholdSweep",
    "auc",
    "average_precision_score",
    "best_threshold",
    "best_threshold_range",
    "confusion_matrix_at_thresholds",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
    "threshold_sweep",
    "UndefinedMetricWarning",
    "accuracy_score",
    "binary_counts",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "multilabel_confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
]
