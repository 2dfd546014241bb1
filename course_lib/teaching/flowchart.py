"""Which metric should I report? A small decision flowchart you can call.

The flowchart never recommends a rate that one trivial classifier can max out:
recall alone is 1 for "flag everything", precision alone is high for "flag
only the surest case". Where one error is costlier it recommends a pair (one
rate at a required level of the other), F-beta with the beta the costs
suggest, or the expected cost itself.

The questions, in order:

1. More than two classes? Macro-F1 (every class counts the same), with the
   per-class table beside it (lesson 06).
2. Are the predicted probabilities themselves used (a risk shown to a person,
   an expected value computed from them)? Then score the probabilities with a
   proper scoring rule: log-loss or the Brier score (lesson 09).
3. Is the decision threshold known? If not, summarise the ranking over every
   threshold: ROC-AUC, which does not depend on the share of positives
   because TPR and FPR are each computed within one true class. With rare
   positives whose top-ranked cases are acted on, add average precision, which
   weighs mistakes at the top of the ranking more; AP's value depends on the
   share of positives, so compare APs only on one test set (lesson 05).
4. With a known threshold: is one error clearly costlier?

   * costs known and probabilities calibrated: the expected cost per sample at
     the cost-derived threshold c_FP / (c_FP + c_FN) (lesson 09);
   * a required level of the other rate: recall at that precision (misses
     costlier) or precision at that recall (false alarms costlier);
   * otherwise F-beta (lesson 03): beta = sqrt(c_FN / c_FP) when the costs are
     known, else 2 when misses are costlier and 0.5 when false alarms are.

5. Equal costs: accuracy if the classes are balanced; otherwise F1, with MCC
   or balanced accuracy beside it when both classes matter.

    >>> choose_metric(threshold_known=True, balanced=False).metric
    'F1'
    >>> choose_metric(threshold_known=True, balanced=False, costlier="false negatives").metric
    'F2'
    >>> choose_metric(threshold_known=True, balanced=False, costs=(1, 9), calibrated=True).threshold
    0.1
"""

from __future__ import annotations

import math
from typing import NamedTuple

from course_lib.metrics.validation import _describe, expected

COSTLIER_OPTIONS = (None, "false negatives", "false positives")

# The questions as the text tree and Recommendation.path word them.
Q_CLASSES = "More than two classes?"
Q_PROBABILITIES = "Are the probabilities themselves used?"
Q_THRESHOLD = "Threshold known?"
Q_BALANCED = "Classes balanced?"
Q_COSTLIER = "One error clearly costlier?"
Q_HOW = "What do you know about the costs?"


class Recommendation(NamedTuple):
    """The flowchart's answer.

    ``metric`` names what to report, ``reason`` says why in one sentence,
    ``path`` lists the (question, answer) pairs that led there, ``threshold``
    is the cost-derived threshold (expected-cost leaf only) and ``beta`` the
    F-beta weight (F-beta leaf only).
    """

    metric: str
    reason: str
    path: tuple[tuple[str, str], ...] = ()
    threshold: float | None = None
    beta: float | None = None

    def __str__(self) -> str:
        return f"{self.metric}: {self.reason}"


def _check_flag(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(expected(name, "True or False", _describe(value)))
    return value


def _check_rate(value, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(expected(name, "a number in (0, 1] or None", _describe(value)))
    if not 0 < value <= 1:
        raise ValueError(expected(name, "a number in (0, 1] or None", _describe(value)))
    return float(value)


def _check_costs(costs) -> tuple[float, float] | None:
    if costs is None:
        return None
    wrong = "a pair (cost of a false positive, cost of a false negative) of positive numbers"
    if not isinstance(costs, (tuple, list)) or len(costs) != 2:
        raise TypeError(expected("costs", wrong, _describe(costs)))
    for value in costs:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(expected("costs", wrong, _describe(costs)))
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(expected("costs", wrong, _describe(costs)))
    return float(costs[0]), float(costs[1])


def _costlier_from(costlier, costs) -> str | None:
    if costlier not in COSTLIER_OPTIONS:
        raise ValueError(expected("costlier", f"one of {COSTLIER_OPTIONS}", _describe(costlier)))
    if costs is None:
        return costlier
    cost_fp, cost_fn = costs
    from_costs = None if cost_fp == cost_fn else ("false negatives" if cost_fn > cost_fp else "false positives")
    if costlier is not None and costlier != from_costs:
        raise ValueError(expected("costlier", f"{from_costs!r}, as `costs` say", _describe(costlier)))
    return from_costs


def choose_metric(
    *,
    threshold_known: bool,
    balanced: bool,
    costlier: str | None = None,
    costs: tuple[float, float] | None = None,
    calibrated: bool = False,
    required_precision: float | None = None,
    required_recall: float | None = None,
    probabilities_used: bool = False,
    n_classes: int = 2,
) -> Recommendation:
    """Walk the metric-choice flowchart and return a :class:`Recommendation`.

    Parameters
    ----------
    threshold_known : bool
        Will the classifier be used at one fixed decision threshold?
    balanced : bool
        Are the classes roughly equally frequent?
    costlier : {None, "false negatives", "false positives"}
        Which error hurts more, if one clearly does. Implied by ``costs`` when given.
    costs : (cost_fp, cost_fn), optional
        The cost of one false positive and of one false negative.
    calibrated : bool
        Are the model's scores calibrated probabilities? With ``costs`` this
        leads to the expected cost at the threshold ``cost_fp / (cost_fp + cost_fn)``.
    required_precision, required_recall : float in (0, 1], optional
        A level the other rate must reach: recall is then reported at
        ``required_precision`` (misses costlier), precision at ``required_recall``.
    probabilities_used : bool
        Are the probabilities themselves used, not only a yes/no decision?
    n_classes : int
        Number of classes (2 for a binary problem).

    Returns
    -------
    Recommendation
        ``metric``, ``reason``, the ``path`` of (question, answer) pairs, and
        ``threshold`` / ``beta`` where the leaf has one.

    Examples
    --------
    >>> answer = choose_metric(threshold_known=True, balanced=False, costlier="false negatives",
    ...                        required_precision=0.8)
    >>> answer.metric
    'recall at precision >= 0.8'
    >>> round(choose_metric(threshold_known=True, balanced=True, costs=(1, 4)).beta, 4)
    2.0
    """
    threshold_known = _check_flag(threshold_known, "threshold_known")
    balanced = _check_flag(balanced, "balanced")
    calibrated = _check_flag(calibrated, "calibrated")
    probabilities_used = _check_flag(probabilities_used, "probabilities_used")
    if isinstance(n_classes, bool) or not isinstance(n_classes, int):
        raise TypeError(expected("n_classes", "an int >= 2", _describe(n_classes)))
    if n_classes < 2:
        raise ValueError(expected("n_classes", "an int >= 2", _describe(n_classes)))
    costs = _check_costs(costs)
    costlier = _costlier_from(costlier, costs)
    required_precision = _check_rate(required_precision, "required_precision")
    required_recall = _check_rate(required_recall, "required_recall")
    if required_precision is not None and required_recall is not None:
        raise ValueError(expected("required_recall", "None when `required_precision` is given", "both"))

    path: list[tuple[str, str]] = []
    if n_classes > 2:
        path.append((Q_CLASSES, "yes"))
        return Recommendation(
            "macro-F1",
            "every class counts the same however rare; show the per-class precision, recall and F1 beside it.",
            tuple(path),
        )
    path.append((Q_CLASSES, "no"))
    if probabilities_used:
        path.append((Q_PROBABILITIES, "yes"))
        return Recommendation(
            "log-loss or Brier score",
            "the probabilities themselves are used, so score them with a proper scoring rule, "
            "whose expected value is best for the true probabilities; check calibration too.",
            tuple(path),
        )
    path.append((Q_PROBABILITIES, "no"))
    if not threshold_known:
        path.append((Q_THRESHOLD, "no"))
        if balanced:
            path.append((Q_BALANCED, "yes"))
            return Recommendation(
                "ROC-AUC",
                "with no fixed threshold, judge the ranking over all thresholds: ROC-AUC is the chance that a "
                "random positive outscores a random negative; its population value does not depend on the share of positives.",
                tuple(path),
            )
        path.append((Q_BALANCED, "no"))
        return Recommendation(
            "ROC-AUC, and AP on one test set",
            "ROC-AUC's population value does not depend on the share of positives; average precision weighs "
            "mistakes among the top-ranked cases more (McDermott et al. 2024), which matters when those are "
            "acted on, but it falls with the share of positives, so compare APs only on one test set.",
            tuple(path),
        )
    path.append((Q_THRESHOLD, "yes"))
    if costlier is None:
        path.append((Q_COSTLIER, "neither"))
        if balanced:
            path.append((Q_BALANCED, "yes"))
            return Recommendation(
                "accuracy",
                "balanced classes and equal error costs: the fraction right is fair, and a constant answer "
                "scores only about one half.",
                tuple(path),
            )
        path.append((Q_BALANCED, "no"))
        return Recommendation(
            "F1",
            "imbalanced classes: accuracy rewards always predicting the majority class; F1 needs both precision "
            "and recall of the positive class. When both classes matter, report MCC or balanced accuracy beside it.",
            tuple(path),
        )
    misses = costlier == "false negatives"
    path.append((Q_COSTLIER, costlier))
    if costs is not None and calibrated:
        cost_fp, cost_fn = costs
        threshold = cost_fp / (cost_fp + cost_fn)
        path.append((Q_HOW, "the costs, and calibrated probabilities"))
        return Recommendation(
            "expected cost",
            f"with calibrated probabilities, predicting positive when p >= c_FP / (c_FP + c_FN) = {threshold:.4g} "
            "minimises the expected cost per sample; report that cost.",
            tuple(path),
            threshold=threshold,
        )
    required = required_precision if misses else required_recall
    wrong_floor = required_recall if misses else required_precision
    if wrong_floor is not None:
        name, other = ("required_recall", "required_precision") if misses else ("required_precision", "required_recall")
        raise ValueError(expected(name, f"None when {costlier} are costlier (give `{other}`)", _describe(wrong_floor)))
    if required is not None:
        path.append((Q_HOW, "a level the other rate must reach"))
        rate, other = ("recall", "precision") if misses else ("precision", "recall")
        gamed = "flagging everything" if misses else "flagging only the surest case"
        return Recommendation(
            f"{rate} at {other} >= {required:g}",
            f"maximise {rate} among the thresholds whose {other} is at least {required:g}: {rate} alone can "
            f"reach 1 by {gamed}, and the required {other} rules that out.",
            tuple(path),
        )
    if costs is not None:
        beta = math.sqrt(costs[1] / costs[0])
        how = "the costs, but not calibrated probabilities"
    else:
        beta = 2.0 if misses else 0.5
        how = "only which error is costlier"
    path.append((Q_HOW, how))
    name = f"F{beta:g}" if costs is None else f"F-beta with beta = {beta:.4g}"
    return Recommendation(
        name,
        f"F-beta weighs a miss beta^2 = {beta**2:.4g} times a false alarm in its denominator, "
        f"(1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP), and it is 1 only with no error of either kind.",
        tuple(path),
        beta=beta,
    )


# The tree as (depth, text, leaf) rows; a leaf row names the leaf that :func:`_leaf_of` gives.
_TREE = (
    (0, Q_CLASSES, None),
    (1, "yes → macro-F1", "multiclass"),
    (1, "no  → " + Q_PROBABILITIES, None),
    (2, "yes → log-loss or Brier score", "probabilities"),
    (2, "no  → " + Q_THRESHOLD, None),
    (3, "no  → " + Q_BALANCED, None),
    (4, "yes → ROC-AUC", "ranking balanced"),
    (4, "no  → ROC-AUC, and AP on one test set", "ranking imbalanced"),
    (3, "yes → " + Q_COSTLIER, None),
    (4, "misses (FN) or false alarms (FP) → " + Q_HOW, None),
    (5, "the costs, and calibrated probabilities → expected cost at the cost-derived threshold", "expected cost"),
    (5, "a required precision (misses costlier) → recall at that precision", "recall at precision"),
    (5, "a required recall (false alarms costlier) → precision at that recall", "precision at recall"),
    (5, "only which is costlier, or uncalibrated → F-beta (beta > 1 if misses cost more)", "F-beta"),
    (4, "neither → " + Q_BALANCED, None),
    (5, "yes → accuracy", "accuracy"),
    (5, "no  → F1, with MCC or balanced accuracy beside it", "F1"),
)


def _leaf_of(answer: Recommendation) -> str:
    """The name of the tree leaf a recommendation comes from."""
    if answer.threshold is not None:
        return "expected cost"
    if answer.beta is not None:
        return "F-beta"
    for prefix in ("recall at precision", "precision at recall", "ROC-AUC, and AP"):
        if answer.metric.startswith(prefix):
            return "ranking imbalanced" if prefix == "ROC-AUC, and AP" else prefix
    named = {"macro-F1": "multiclass", "log-loss or Brier score": "probabilities", "ROC-AUC": "ranking balanced"}
    return named.get(answer.metric, answer.metric)


def _is_last_child(index: int) -> bool:
    depth = _TREE[index][0]
    for later_depth, _, _ in _TREE[index + 1 :]:
        if later_depth <= depth:
            return later_depth < depth
    return True


def flowchart_text(**answers) -> str:
    """The flowchart as an indented text tree.

    Called with the keyword answers of :func:`choose_metric`, it marks the leaf
    those answers reach with ``◀`` and prints the recommendation under the tree.

    >>> print(flowchart_text().splitlines()[0])
    More than two classes?
    >>> print(flowchart_text(threshold_known=True, balanced=False).splitlines()[-1][:30])
    → F1: imbalanced classes: accu
    """
    chosen = _leaf_of(choose_metric(**answers)) if answers else None
    lines, open_levels = [], []
    for index, (depth, text, leaf) in enumerate(_TREE):
        last = _is_last_child(index)
        if depth == 0:
            prefix = ""
        else:
            prefix = "".join("    " if closed else "│   " for closed in open_levels[1:depth]) + (
                "└── " if last else "├── "
            )
        del open_levels[depth:]
        open_levels.append(last)
        lines.append(prefix + text + ("  ◀" if leaf is not None and leaf == chosen else ""))
    if answers:
        lines.append(f"→ {choose_metric(**answers)}")
    return "\n".join(lines)
