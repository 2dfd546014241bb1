"""Group fairness differences with fairlearn's names, arguments and values.

Each is one gap of one rate across the groups of ``sensitive_features``, computed
from the groups' confusion counts (:mod:`course_lib.metrics.groups`):

- demographic parity: the selection rate P(y_pred = 1 | group) = (TP + FP) / n;
- equal opportunity: the true positive rate P(y_pred = 1 | y = 1, group) = TP / (TP + FN);
- equalized odds: both the true positive rate and the false positive rate
  FP / (FP + TN); ``agg="worst_case"`` reports the larger of the two gaps, ``"mean"``
  their mean.

``method="between_groups"`` (default) is the largest minus the smallest group value;
``"to_overall"`` is the largest absolute distance of a group from the value on all
samples. The ``*_ratio`` functions are the smallest over the largest (or the smallest
group/overall ratio folded to be <= 1). As in fairlearn 0.15, a group with no positives
has TPR 0.0 and a group with no negatives has FPR 0.0 (scikit-learn's
``confusion_matrix(normalize="true")`` turns their 0/0 into 0), so such a group can make
a gap look large: look at the group sizes before reading the number.

A difference of 0 says the groups have equal rates on these data; it says nothing about
how precise each rate is (see the per-group intervals in lesson 12).
"""

from __future__ import annotations

import numpy as np

from course_lib.metrics.groups import GroupMetric, count_group_tables, metric_from_tables
from course_lib.metrics.validation import _describe, expected

AGGREGATIONS = ("worst_case", "mean")


def _rate_by_group(rate: str, y_true, y_pred, sensitive_features, sample_weight) -> GroupMetric:
    tables = count_group_tables(
        y_true, y_pred, sensitive_features, sample_weight=sample_weight, groups_name="sensitive_features"
    )
    return metric_from_tables(rate, tables)


def _rates_by_group(rates, y_true, y_pred, sensitive_features, sample_weight) -> list[GroupMetric]:
    """Several rates from one count of the group tables."""
    tables = count_group_tables(
        y_true, y_pred, sensitive_features, sample_weight=sample_weight, groups_name="sensitive_features"
    )
    return [metric_from_tables(rate, tables) for rate in rates]


def _aggregate(values, agg) -> float:
    if agg not in AGGREGATIONS:
        raise ValueError(expected("agg", f"one of {AGGREGATIONS}", _describe(agg)))
    if agg == "worst_case":
        return float(max(values))  # Python's max, as fairlearn: a NaN first stays, a NaN later is passed over
    return float(np.nanmean(values)) if not np.isnan(values).all() else float("nan")  # pandas' mean skips NaN


def demographic_parity_difference(
    y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None
) -> float:
    """Largest gap in selection rate (TP + FP) / n between groups.

    ``y_true`` is only used for its length and the label set: the selection rate
    ignores the truth.

    >>> demographic_parity_difference([0, 1, 0, 1], [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    return _rate_by_group("selection_rate", y_true, y_pred, sensitive_features, sample_weight).difference(method)


def demographic_parity_ratio(
    y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None
) -> float:
    """Smallest over largest selection rate across groups (1 means equal rates).

    >>> demographic_parity_ratio([0, 1, 0, 1], [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    return _rate_by_group("selection_rate", y_true, y_pred, sensitive_features, sample_weight).ratio(method)


def equal_opportunity_difference(
    y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None
) -> float:
    """Largest gap in true positive rate TP / (TP + FN) between groups.

    >>> equal_opportunity_difference([1, 1, 1, 1], [1, 1, 1, 0], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    return _rate_by_group("true_positive_rate", y_true, y_pred, sensitive_features, sample_weight).difference(method)


def equal_opportunity_ratio(
    y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None
) -> float:
    """Smallest over largest true positive rate across groups."""
    return _rate_by_group("true_positive_rate", y_true, y_pred, sensitive_features, sample_weight).ratio(method)


def equalized_odds_difference(
    y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None, agg="worst_case"
) -> float:
    """The larger (``agg="worst_case"``) or the mean (``"mean"``) of the TPR gap and the FPR gap.

    >>> equalized_odds_difference([1, 0, 1, 0], [1, 0, 1, 1], sensitive_features=["a", "a", "b", "b"])
    1.0
    """
    if agg not in AGGREGATIONS:
        raise ValueError(expected("agg", f"one of {AGGREGATIONS}", _describe(agg)))
    rates = _rates_by_group(
        ("true_positive_rate", "false_positive_rate"), y_true, y_pred, sensitive_features, sample_weight
    )
    return _aggregate([r.difference(method) for r in rates], agg)


def equalized_odds_ratio(
    y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None, agg="worst_case"
) -> float:
    """The smaller (``agg="worst_case"``) or the mean (``"mean"``) of the TPR ratio and the FPR ratio."""
    if agg not in AGGREGATIONS:
        raise ValueError(expected("agg", f"one of {AGGREGATIONS}", _describe(agg)))
    rates = _rates_by_group(
        ("true_positive_rate", "false_positive_rate"), y_true, y_pred, sensitive_features, sample_weight
    )
    ratios = [r.ratio(method) for r in rates]
    if agg == "worst_case":
        return float(min(ratios))
    return _aggregate(ratios, "mean")


__all__ = [
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
]
