"""Which metric should I report? A small decision flowchart you can call.

The questions, in order:

1. Is the decision threshold known (will the model be used at one fixed
   operating point)? If not, summarise the ranking over every threshold:
   ROC-AUC when the classes are balanced, average precision (the area under
   the precision-recall curve) when positives are rare, because ROC-AUC's
   false positive rate divides by the large pool of negatives and hides
   false alarms (Saito & Rehmsmeier, 2015).
2. With a known threshold: is one kind of error clearly costlier? Missing a
   positive (a false negative) calls for recall; a false alarm (a false
   positive) calls for precision.
3. Otherwise: accuracy if the classes are balanced, F1 if they are not.

The study note this follows ends at ROC-AUC for an unknown threshold whatever
the balance; the course adds the average-precision branch and the cost question.

    >>> choose_metric(threshold_known=True, balanced=False).metric
    'F1'
    >>> print(choose_metric(threshold_known=False, balanced=True))
    ROC-AUC: with no fixed threshold, judge the ranking over all thresholds; with balanced classes the false positive rate is informative.
"""

from __future__ import annotations

from typing import NamedTuple

from course_lib.metrics.validation import _describe, expected

COSTLIER_OPTIONS = (None, "false negatives", "false positives")


class Recommendation(NamedTuple):
    """The flowchart's answer: which metric, and the reason in one sentence."""

    metric: str
    reason: str

    def __str__(self) -> str:
        return f"{self.metric}: {self.reason}"


def _check_flag(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(expected(name, "True or False", _describe(value)))
    return value


def choose_metric(*, threshold_known: bool, balanced: bool, costlier: str | None = None) -> Recommendation:
    """Walk the metric-choice flowchart and return a :class:`Recommendation`.

    Parameters
    ----------
    threshold_known : bool
        Will the classifier be used at one fixed decision threshold?
    balanced : bool
        Are the classes roughly equally frequent?
    costlier : {None, "false negatives", "false positives"}
        Which error hurts more, if one clearly does (only asked when the threshold is known).

    >>> choose_metric(threshold_known=True, balanced=False, costlier="false negatives").metric
    'recall'
    """
    threshold_known = _check_flag(threshold_known, "threshold_known")
    balanced = _check_flag(balanced, "balanced")
    if costlier not in COSTLIER_OPTIONS:
        raise ValueError(expected("costlier", f"one of {COSTLIER_OPTIONS}", _describe(costlier)))
    if not threshold_known:
        if balanced:
            return Recommendation(
                "ROC-AUC",
                "with no fixed threshold, judge the ranking over all thresholds; "
                "with balanced classes the false positive rate is informative.",
            )
        return Recommendation(
            "average precision (PR-AUC)",
            "with no fixed threshold, judge the ranking over all thresholds; with rare positives "
            "ROC-AUC stays flattering, while precision exposes every false alarm.",
        )
    if costlier == "false negatives":
        return Recommendation("recall", "a missed positive is the expensive mistake: TP / (TP + FN) counts them.")
    if costlier == "false positives":
        return Recommendation("precision", "a false alarm is the expensive mistake: TP / (TP + FP) counts them.")
    if balanced:
        return Recommendation("accuracy", "balanced classes and equal error costs: the fraction right is fair.")
    return Recommendation(
        "F1",
        "imbalanced classes: accuracy rewards always predicting the majority class, "
        "F1 ignores true negatives and needs both precision and recall.",
    )


def flowchart_text() -> str:
    """The flowchart as indented text, one leaf per line, generated from :func:`choose_metric`.

    >>> print(flowchart_text().splitlines()[0])
    Threshold known?
    """
    lines = ["Threshold known?"]
    lines.append("├── no  → Classes balanced?")
    for flag, last in ((True, False), (False, True)):
        branch = "└──" if last else "├──"
        leaf = choose_metric(threshold_known=False, balanced=flag).metric
        lines.append(f"│   {branch} {'yes' if flag else 'no '} → {leaf}")
    lines.append("└── yes → One error clearly costlier?")
    for costlier in ("false negatives", "false positives"):
        leaf = choose_metric(threshold_known=True, balanced=True, costlier=costlier).metric
        lines.append(f"    ├── {costlier} → {leaf}")
    lines.append("    └── neither → Classes balanced?")
    for flag, branch in ((True, "├──"), (False, "└──")):
        leaf = choose_metric(threshold_known=True, balanced=flag).metric
        lines.append(f"        {branch} {'yes' if flag else 'no '} → {leaf}")
    return "\n".join(lines)
