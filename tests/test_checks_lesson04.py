"""Lesson 04's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
from _checks_helpers import mistake_diagnosis_test

from course_lib.checks import lesson04 as check


def _f1_loop(y_true, y_score, thresholds, strict=False, nan=False):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    out = []
    for t in thresholds:
        pred = y_score > t if strict else y_score >= t
        tp = np.sum(pred & (y_true == 1))
        fp = np.sum(pred & (y_true == 0))
        fn = np.sum(~pred & (y_true == 1))
        if nan:
            with np.errstate(invalid="ignore", divide="ignore"):
                p, r = np.float64(tp) / (tp + fp), np.float64(tp) / (tp + fn)
                out.append(2 * p * r / (p + r))
        else:
            out.append(2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0)
    return np.array(out)


def sweep_strict(y_true, y_score, thresholds):
    return _f1_loop(y_true, y_score, thresholds, strict=True)


def sweep_nan(y_true, y_score, thresholds):
    return _f1_loop(y_true, y_score, thresholds, nan=True)


def sweep_sorted(y_true, y_score, thresholds):
    return _f1_loop(y_true, y_score, sorted(thresholds))


def best_first_strict_improvement_on_sorted(y_true, y_score, thresholds):
    best_t, best_f = None, -1.0
    for t in sorted(thresholds):
        f = _f1_loop(y_true, y_score, [t])[0]
        if f > best_f:  # the textbook's loop: keeps the first, that is the smallest, of tied thresholds
            best_t, best_f = t, f
    return best_t, best_f


def best_loop_with_ge(y_true, y_score, thresholds):
    best_t, best_f = None, -1.0
    for t in thresholds:  # right on an increasing list, wrong on any other order
        f = _f1_loop(y_true, y_score, [t])[0]
        if f >= best_f:
            best_t, best_f = t, f
    return best_t, best_f


def best_loop_with_gt(y_true, y_score, thresholds):
    best_t, best_f = None, -1.0
    for t in thresholds:
        f = _f1_loop(y_true, y_score, [t])[0]
        if f > best_f:
            best_t, best_f = t, f
    return best_t, best_f


def best_index(y_true, y_score, thresholds):
    f1 = _f1_loop(y_true, y_score, thresholds)
    t = np.asarray(thresholds, dtype=float)
    best = t[f1 == f1.max()].max()
    return int(np.flatnonzero(t == best)[0]), f1.max()


def best_swapped(y_true, y_score, thresholds):
    f1 = _f1_loop(y_true, y_score, thresholds)
    t = np.asarray(thresholds, dtype=float)
    return f1.max(), t[f1 == f1.max()].max()


def best_strict(y_true, y_score, thresholds):
    f1 = _f1_loop(y_true, y_score, thresholds, strict=True)
    t = np.asarray(thresholds, dtype=float)
    return t[f1 == f1.max()].max(), f1.max()


def _best(y_true, y_score, thresholds):
    f1 = _f1_loop(y_true, y_score, thresholds)
    t = np.asarray(thresholds, dtype=float)
    return t[f1 == f1.max()].max(), f1.max()


def tuned_on_test(y_val, s_val, y_test, s_test, thresholds):
    t, f = _best(y_test, s_test, thresholds)
    return t, f


def reported_validation(y_val, s_val, y_test, s_test, thresholds):
    return _best(y_val, s_val, thresholds)


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, sweep_strict, "_strictly_greater"),
        (check.q1, sweep_nan, "_nan_when_nothing_predicted"),
        (check.q1, sweep_sorted, "_sorted_thresholds"),
        (check.q2, best_first_strict_improvement_on_sorted, "_smallest_tie"),
        (check.q2, best_loop_with_ge, "_last_in_list"),
        (check.q2, best_loop_with_gt, "_first_in_list"),
        (check.q2, best_index, "_index_not_value"),
        (check.q2, best_swapped, "_order_swapped"),
        (check.q2, best_strict, "_best_with_strictly_greater"),
        (check.q3, tuned_on_test, "_tuned_on_test"),
        (check.q3, reported_validation, "_validation_f1"),
    ]
)


def test_textbook_tie_on_the_twenty_samples():
    """The seeds' 'best F1 0.9231 at 0.30' is one point of a tie, and which points tie depends on the grid."""
    rounded, _, float_grid, _ = check.q2.fixed
    threshold, f1 = check.q2.expected(rounded).value
    assert (float(threshold), round(float(f1), 4)) == (0.35, 0.9231)  # 0.25, 0.30 and 0.35 tie on the rounded grid
    assert best_first_strict_improvement_on_sorted(*rounded.args)[0] == 0.25  # the textbook's loop keeps 0.25
    threshold, f1 = check.q2.expected(float_grid).value
    assert (float(threshold), round(float(f1), 4)) == (0.3, 0.9231)  # np.arange's "0.35" drops out


def test_a_loop_written_with_the_course_convention_is_correct():
    def best_threshold(y_true, y_score, thresholds):
        best_t, best_f = None, -1.0
        for t in thresholds:
            f = _f1_loop(y_true, y_score, [t])[0]
            if f > best_f or (f == best_f and t > best_t):
                best_t, best_f = t, f
        return best_t, best_f

    assert check.q2.check(best_threshold, seed=0).status == "correct"
