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


# --------------------------------------------------------------------------------------------------- q4, q5


def _distinct_f1(y_true, y_score):
    scores = sorted(set(float(v) for v in y_score))
    return scores, [_f1_loop(y_true, y_score, [t])[0] for t in scores]


def range_lowest_tied_score(y_true, y_score):
    scores, f1 = _distinct_f1(y_true, y_score)
    best = max(f1)
    top = max(i for i, f in enumerate(f1) if f == best)
    bottom = top
    while bottom > 0 and f1[bottom - 1] == best:
        bottom -= 1
    return scores[bottom], scores[top]  # closed at the bottom: one score too high


def range_over_every_tie(y_true, y_score):
    scores, f1 = _distinct_f1(y_true, y_score)
    tied = [i for i, f in enumerate(f1) if f == max(f1)]
    low = scores[tied[0] - 1] if tied[0] > 0 else float("-inf")
    return low, scores[tied[-1]]


def range_backwards(y_true, y_score):
    scores, f1 = _distinct_f1(y_true, y_score)
    best = max(f1)
    top = max(i for i, f in enumerate(f1) if f == best)
    bottom = top
    while bottom > 0 and f1[bottom - 1] == best:
        bottom -= 1
    return scores[top], scores[bottom - 1] if bottom > 0 else float("-inf")


def grid_by_adding(start, stop, step):
    return np.arange(start, stop + step / 2, step)  # stop included, but k * step carries binary rounding error


def grid_arange_rounded(start, stop, step):
    return np.round(np.arange(start, stop, step), 6)  # rounded, but stop is left out


def grid_linspace(start, stop, step):
    return np.linspace(start, stop, int(round((stop - start) / step)) + 1)


test_new_questions_mistakes_are_diagnosed = mistake_diagnosis_test(
    [
        (check.q4, range_lowest_tied_score, "_low_is_lowest_tied"),
        (check.q4, range_over_every_tie, "_spans_gaps"),
        (check.q4, range_backwards, "_range_swapped"),
        (check.q5, grid_by_adding, "_float_arange"),
        (check.q5, grid_linspace, "_unrounded_linspace"),
    ]
)


def test_tie_range_reference_is_the_lesson_range_and_holds_on_random_cases():
    assert check.q4.expected(check.q4.fixed[0]).value.tolist() == [0.22, 0.35]
    for case in check.q4.cases(seed=5, n_random=200):
        y_true, y_score = case.args
        low, high = (float(v) for v in check.q4.expected(case).value)
        scores = np.unique(y_score)
        f1 = _f1_loop(y_true, y_score, scores)
        inside = (scores > low) & (scores <= high)
        assert np.all(f1[inside] == f1.max()) and f1[scores == high][0] == f1.max()
        # Just below the range, F1 is not the best (unless the range is unbounded below).
        if np.isfinite(low):
            assert _f1_loop(y_true, y_score, [low])[0] < f1.max()


def test_grid_reference_holds_the_written_decimals():
    for case in check.q5.cases(seed=0, n_random=200):
        start, stop, step = case.args
        grid = check.q5.expected(case).value
        written = [float(f"{start + k * step:.6f}") for k in range(len(grid))]
        assert grid.tolist() == written and grid[0] == start and grid[-1] == stop
    assert float(check.q5.expected(check.q5.fixed[0]).value[6]) == 0.35


def test_grid_without_its_stop_is_told_the_length():
    outcome = check.q5.check(grid_arange_rounded, seed=0)
    assert outcome.status == "incorrect"
    assert (
        outcome.message
        == "`threshold_grid` should return 19 numbers (shape (19,)), but it returned 18 numbers (shape (18,))."
    )
