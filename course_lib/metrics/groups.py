"""Metrics per group: the same computation on each group's counts.

A group metric needs no new formula. Count one K x K confusion table per group in a
single pass (one ``np.bincount`` over ``group * K * K + true * K + pred``), then hand
each group's counts to the same count-level computation as the overall score. The
overall table is the sum of the group tables, so the overall value comes from the
same counts too. This is the idea of fairlearn's ``MetricFrame``, much smaller.

Conventions (fairlearn 0.15's, so the numbers agree):

- groups are listed in sorted order of their labels (strings or numbers);
- a rate whose denominator is 0 in a group (TPR in a group with no positives, FPR in
  a group with no negatives) is 0.0, as ``fairlearn.metrics.true_positive_rate`` returns
  there (it takes the rates from scikit-learn's ``confusion_matrix(normalize="true")``,
  which turns 0/0 into 0). Pass ``zero_division=np.nan`` to see such a group as undefined;
- ``difference()`` is the largest minus the smallest group value (``method="between_groups"``)
  or the largest absolute distance of a group to the overall value (``"to_overall"``),
  skipping NaN; ``ratio()`` is the smallest over the largest, or the smallest
  group/overall ratio turned to be <= 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_lib.metrics.from_counts import scores_from_counts
from course_lib.metrics.validation import (
    _describe,
    as_array,
    check_consistent_length,
    check_label_pair,
    check_sample_weight,
    check_zero_division,
    expected,
)

METHODS = ("between_groups", "to_overall")


# --------------------------------------------------------------------------- counting


def check_groups(groups, n_samples: int, name: str = "groups") -> np.ndarray:
    """A 1-D array of group labels (strings or integers), one per sample."""
    arr = as_array(groups, name)
    if arr.ndim != 1:
        raise ValueError(expected(name, "a 1-D array of group labels, one per sample", f"shape {arr.shape}"))
    if len(arr) != n_samples:
        raise ValueError(expected(name, f"one group label per sample ({n_samples})", f"{len(arr)} labels"))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(expected(name, "free of NaN (every sample needs a group)", "NaN"))
    if arr.dtype.kind not in "iufbU":
        raise TypeError(expected(name, "strings or numbers", f"dtype {arr.dtype}"))
    return arr


@dataclass(frozen=True)
class GroupTables:
    """One K x K confusion table per group (rows truth, columns prediction)."""

    groups: np.ndarray  # (G,) sorted group labels
    classes: np.ndarray  # (K,) sorted class labels, shared by every group
    tables: np.ndarray  # (G, K, K) counts (float sums with sample weights)

    @property
    def overall(self) -> np.ndarray:
        """The K x K table of all samples: the sum of the group tables."""
        return self.tables.sum(axis=0)


def confusion_matrix_by_group(y_true, y_pred, *, groups, sample_weight=None, labels=None) -> GroupTables:
    """Count every group's K x K confusion table in one vectorised pass.

    Each sample lands in cell ``(group, true class, predicted class)`` of a
    G x K x K array; the flat index ``g * K * K + t * K + p`` makes that one bincount.

    >>> t = confusion_matrix_by_group([1, 0, 1, 1], [1, 1, 0, 1], groups=["a", "a", "b", "b"])
    >>> t.tables.tolist()
    [[[0, 1], [0, 1]], [[0, 0], [1, 1]]]
    """
    return count_group_tables(y_true, y_pred, groups, sample_weight=sample_weight, labels=labels)


def count_group_tables(y_true, y_pred, groups, *, sample_weight=None, labels=None, groups_name="groups") -> GroupTables:
    """:func:`confusion_matrix_by_group`, with the name the caller gives its groups argument (for errors)."""
    _, y_true, y_pred = check_label_pair(y_true, y_pred)
    if y_true.ndim != 1:
        raise ValueError(expected("y_true", "1-D class labels", "a multilabel indicator matrix"))
    group_labels, group_index = np.unique(check_groups(groups, len(y_true), groups_name), return_inverse=True)
    weights = check_sample_weight(sample_weight, len(y_true))
    observed = np.concatenate([y_true, y_pred])
    classes = np.unique(observed) if labels is None else np.asarray(labels)
    if labels is not None and not np.isin(observed, classes).all():
        raise ValueError(expected("labels", "every label that occurs in y_true and y_pred", _describe(classes)))
    k = len(classes)
    true_index, pred_index = np.searchsorted(classes, y_true), np.searchsorted(classes, y_pred)
    flat = (group_index * k + true_index) * k + pred_index
    counts = np.bincount(flat, weights=weights, minlength=len(group_labels) * k * k)
    tables = counts.reshape(len(group_labels), k, k)
    return GroupTables(group_labels, classes, tables if weights is not None else tables.astype(np.int64))


# --------------------------------------------------------------------------- metrics from counts


def _binary_cells(tables: np.ndarray, classes: np.ndarray, pos_label):
    """(tn, fp, fn, tp) per table (leading axes kept); every class other than pos_label is negative."""
    if pos_label not in classes.tolist():
        zeros = np.zeros(tables.shape[:-2])
        total = tables.sum(axis=(-2, -1))
        return total + zeros, zeros, zeros, zeros  # no positive label anywhere: all negative
    j = int(np.flatnonzero(classes == pos_label)[0])
    tp = tables[..., j, j]
    fn = tables[..., j, :].sum(axis=-1) - tp
    fp = tables[..., :, j].sum(axis=-1) - tp
    tn = tables.sum(axis=(-2, -1)) - tp - fn - fp
    return tn, fp, fn, tp


def _ratio(numerator, denominator, zero_division) -> np.ndarray:
    value = check_zero_division(zero_division)
    numerator, denominator = np.asarray(numerator, float), np.asarray(denominator, float)
    return np.divide(numerator, denominator, out=np.full(numerator.shape, value), where=denominator != 0)


def _selection_rate(tn, fp, fn, tp, zero_division=0.0):
    return _ratio(tp + fp, tn + fp + fn + tp, zero_division)


def _true_positive_rate(tn, fp, fn, tp, zero_division=0.0):
    return _ratio(tp, tp + fn, zero_division)


def _false_positive_rate(tn, fp, fn, tp, zero_division=0.0):
    return _ratio(fp, fp + tn, zero_division)


def _true_negative_rate(tn, fp, fn, tp, zero_division=0.0):
    return _ratio(tn, tn + fp, zero_division)


def _false_negative_rate(tn, fp, fn, tp, zero_division=0.0):
    return _ratio(fn, fn + tp, zero_division)


def _precision(tn, fp, fn, tp, zero_division=0.0):
    return scores_from_counts(tp, fp, fn, zero_division=zero_division)[0]


def _recall(tn, fp, fn, tp, zero_division=0.0):
    return scores_from_counts(tp, fp, fn, zero_division=zero_division)[1]


def _f1(tn, fp, fn, tp, zero_division=0.0):
    return scores_from_counts(tp, fp, fn, zero_division=zero_division)[2]


def _accuracy(tn, fp, fn, tp, zero_division=0.0):
    return _ratio(tp + tn, tn + fp + fn + tp, zero_division)


# name -> (count-level compute on (tn, fp, fn, tp), its default zero_division)
COUNT_METRICS = {
    "selection_rate": _selection_rate,
    "true_positive_rate": _true_positive_rate,
    "false_positive_rate": _false_positive_rate,
    "true_negative_rate": _true_negative_rate,
    "false_negative_rate": _false_negative_rate,
    "precision": _precision,
    "recall": _recall,
    "f1": _f1,
    "accuracy": _accuracy,
}

# course_lib's and scikit-learn's function names that mean the same thing
_ALIASES = {
    "precision_score": "precision",
    "recall_score": "recall",
    "f1_score": "f1",
    "accuracy_score": "accuracy",
    "tpr": "true_positive_rate",
    "fpr": "false_positive_rate",
}


def _metric_name(metric) -> str:
    name = metric if isinstance(metric, str) else getattr(metric, "__name__", None)
    name = _ALIASES.get(name, name)
    if name not in COUNT_METRICS:
        raise ValueError(
            expected("metric", f"one of {sorted(COUNT_METRICS)} (or a function of that name)", _describe(metric))
        )
    return name


def _check_method(method) -> str:
    if method not in METHODS:
        raise ValueError(expected("method", f"one of {METHODS}", _describe(method)))
    return method


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class GroupMetric:
    """A metric per group and overall; ``difference()`` and ``ratio()`` summarise the gap."""

    metric: str
    by_group: dict  # group label -> value
    overall: float
    sizes: dict = field(repr=False)  # group label -> number (or weight) of samples

    def _values(self) -> np.ndarray:
        return np.array(list(self.by_group.values()), dtype=float)

    def group_max(self) -> float:
        values = self._values()
        return float(np.nanmax(values)) if not np.isnan(values).all() else float("nan")

    def group_min(self) -> float:
        values = self._values()
        return float(np.nanmin(values)) if not np.isnan(values).all() else float("nan")

    def difference(self, method: str = "between_groups") -> float:
        """max - min over groups, or max |group - overall| (``method="to_overall"``); NaN groups skipped."""
        if _check_method(method) == "between_groups":
            return self.group_max() - self.group_min()
        distances = np.abs(self._values() - self.overall)
        return float(np.nanmax(distances)) if not np.isnan(distances).all() else float("nan")

    def ratio(self, method: str = "between_groups") -> float:
        """min / max over groups, or the smallest group/overall ratio folded to <= 1 (``"to_overall"``)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if _check_method(method) == "between_groups":
                return float(np.float64(self.group_min()) / np.float64(self.group_max()))
            ratios = self._values() / np.float64(self.overall)
            folded = np.where(ratios > 1, 1 / ratios, ratios)
        return float(np.nanmin(folded)) if not np.isnan(folded).all() else float("nan")

    def __repr__(self) -> str:
        width = max([len(str(g)) for g in self.by_group] + [len("overall")])
        lines = [f"GroupMetric({self.metric})"]
        for group, value in self.by_group.items():
            lines.append(f"  {str(group):<{width}}  {value:.4f}  (n={_fmt_size(self.sizes[group])})")
        lines.append(f"  {'overall':<{width}}  {self.overall:.4f}")
        lines.append(f"  difference {self.difference():.4f}, ratio {self.ratio():.4f}")
        return "\n".join(lines)


def _fmt_size(size) -> str:
    return f"{size:g}" if isinstance(size, float) else str(size)


def _plain(label):
    """A group label as a plain Python value (readable keys: 'a', not np.str_('a'))."""
    return label.item() if hasattr(label, "item") else label


def _describe_missing_pos_label(pos_label, labels) -> str:
    return expected("pos_label", f"one of the labels in y_true and y_pred {labels[:6]}", _describe(pos_label))


def metric_from_tables(metric, tables: GroupTables, *, pos_label=1, zero_division=0.0) -> GroupMetric:
    """Evaluate a count-level metric on each group's table and on their sum."""
    name = _metric_name(metric)
    compute = COUNT_METRICS[name]
    check_zero_division(zero_division)
    labels = tables.classes.tolist()
    # A positive label that never occurs is fine when the data are all negative (0 or -1); with any other
    # labels it is almost surely a wrong pos_label (strings, say), and every rate would silently be 0.
    if pos_label not in labels and not (tables.classes.dtype.kind in "iu" and set(labels) <= {0, -1}):
        raise ValueError(_describe_missing_pos_label(pos_label, labels))
    stacked = np.concatenate([tables.tables, tables.overall[None]])  # the groups, then overall
    values = compute(*_binary_cells(stacked, tables.classes, pos_label), zero_division=zero_division)
    sizes = tables.tables.sum(axis=(1, 2))
    keys = [_plain(g) for g in tables.groups]
    return GroupMetric(
        metric=name,
        by_group=dict(zip(keys, (float(v) for v in values[:-1]), strict=True)),
        overall=float(values[-1]),
        sizes=dict(zip(keys, (_plain(s) for s in sizes), strict=True)),
    )


def by_group(metric, y_true, y_pred, *, groups, sample_weight=None, pos_label=1, zero_division=0.0) -> GroupMetric:
    """A binary metric per group and overall, from each group's confusion counts.

    Parameters
    ----------
    metric : str or function
        One of ``selection_rate``, ``true_positive_rate``, ``false_positive_rate``,
        ``true_negative_rate``, ``false_negative_rate``, ``precision``, ``recall``, ``f1``,
        ``accuracy``; or a function with one of these names (``precision_score``,
        ``recall_score``, ``f1_score``, ``accuracy_score`` of course_lib or scikit-learn).
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels; every label other than ``pos_label`` is negative.
    groups : array-like of shape (n_samples,)
        The group of each sample (fairlearn calls it ``sensitive_features``).
    sample_weight : array-like, optional
        Each sample counts with its weight.
    zero_division : 0, 1 or np.nan
        The value of a ratio whose denominator is 0 in a group (default 0.0, fairlearn's).

    Returns
    -------
    GroupMetric
        ``.by_group`` (dict, groups sorted), ``.overall``, ``.difference(method=...)``,
        ``.ratio(method=...)``.

    Examples
    --------
    >>> result = by_group("recall", [1, 1, 0, 1, 1, 0], [1, 0, 0, 1, 1, 1], groups=["a", "a", "a", "b", "b", "b"])
    >>> result.by_group, round(result.overall, 4), result.difference()
    ({'a': 0.5, 'b': 1.0}, 0.75, 0.5)
    """
    if isinstance(zero_division, str):
        raise ValueError(expected("zero_division", "0, 1 or np.nan", _describe(zero_division)))
    _metric_name(metric)
    y = as_array(y_true, "y_true")
    check_consistent_length(y_true=y, y_pred=as_array(y_pred, "y_pred"))
    tables = confusion_matrix_by_group(y_true, y_pred, groups=groups, sample_weight=sample_weight)
    return metric_from_tables(metric, tables, pos_label=pos_label, zero_division=zero_division)


__all__ = [
    "COUNT_METRICS",
    "GroupMetric",
    "GroupTables",
    "by_group",
    "check_groups",
    "confusion_matrix_by_group",
    "count_group_tables",
    "metric_from_tables",
]
