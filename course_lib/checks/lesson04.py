"""Checks for exercises/04_threshold.ipynb: an F1 sweep, the best threshold, tuning on validation data,
the range of tied thresholds, and a threshold grid that holds the decimals you wrote."""

from __future__ import annotations

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.curves import best_threshold, best_threshold_range, threshold_sweep
from course_lib.teaching.datasets import twenty_samples

NOTEBOOK = "04_threshold.ipynb"

_TWENTY_TRUE, _TWENTY_SCORE = twenty_samples()
_GRID = np.round(np.arange(0.05, 1.0, 0.05), 2)  # 0.05, 0.10, ..., 0.95 exactly as written
_FLOAT_GRID = np.arange(0.05, 1.0, 0.05)  # the textbook's grid: its "0.35" is 0.35000000000000003


def _labels_and_scores(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Both classes present; scores on a 0.05 grid, higher for positives, so ties are common."""
    y_true = (rng.random(n) < rng.uniform(0.2, 0.7)).astype(int)
    y_true[rng.choice(n, 2, replace=False)] = [0, 1]
    raw = rng.normal(loc=y_true * rng.uniform(0.5, 2.5), scale=1.0)
    y_score = np.round(np.clip(np.round(20 / (1 + np.exp(-raw))) / 20, 0.0, 1.0), 2)
    return y_true, y_score


def _thresholds(rng: np.random.Generator, y_score: np.ndarray) -> np.ndarray:
    """Some grid values, some scores (a score exactly at a threshold), sometimes above every score; any order."""
    picks = list(rng.choice(_GRID, int(rng.integers(1, 8)), replace=False))
    picks += list(rng.choice(y_score, int(rng.integers(0, 4))))
    if rng.random() < 0.3:
        picks.append(1.0)  # nothing predicted positive: F1 = 0 by convention
    thresholds = np.unique(np.round(picks, 2))
    return rng.permutation(thresholds) if rng.random() < 0.5 else thresholds


def _random_sweep(rng: np.random.Generator) -> Args:
    y_true, y_score = _labels_and_scores(rng, int(rng.integers(2, 40)))
    return Args(y_true, y_score, _thresholds(rng, y_score))


_SWEEP_CASES = [
    Args(_TWENTY_TRUE, _TWENTY_SCORE, _GRID),
    Args(_TWENTY_TRUE, _TWENTY_SCORE, _GRID[::-1].copy()),
    Args(_TWENTY_TRUE, _TWENTY_SCORE, _FLOAT_GRID),
    Args(np.array([0, 1, 1, 0]), np.array([0.2, 0.5, 0.8, 0.5]), np.array([0.5, 0.9, 0.2])),
]


# --------------------------------------------------------------------------------------------------- q1 sweep


def _f1_at_thresholds(y_true, y_score, thresholds):
    return threshold_sweep(y_true, y_score, thresholds).f1


q1 = Question(
    "q1",
    points=2,
    function="f1_at_thresholds",
    title="F1 at every threshold of a sweep (score >= threshold is positive)",
    reference=_f1_at_thresholds,
    fixed=_SWEEP_CASES,
    random=_random_sweep,
    hints=[
        "Loop over the thresholds; at each one, predict `y_score >= t`, count TP, FP and FN, and compute "
        "F1 = 2 TP / (2 TP + FP + FN).",
        "Where nothing is predicted positive and there is nothing to find, the denominator is 0: use 0 there. "
        "Keep the results in the order of `thresholds`.",
    ],
)


@q1.mistake(
    "A score exactly equal to the threshold must count as positive: use `y_score >= t`, not `y_score > t` "
    "(the F1 differs at every threshold that equals some score)."
)
def _strictly_greater(y_true, y_score, thresholds):
    return threshold_sweep(y_true, y_score, np.nextafter(np.asarray(thresholds, dtype=float), np.inf)).f1


@q1.mistake(
    "NaN where nothing is predicted positive: precision TP / (TP + FP) is 0 / 0 there, and so is your F1. "
    "By convention (zero_division=0) F1 is 0; 2 TP / (2 TP + FP + FN) avoids the 0 / 0."
)
def _nan_when_nothing_predicted(y_true, y_score, thresholds):
    sweep = threshold_sweep(y_true, y_score, thresholds)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = sweep.tp / (sweep.tp + sweep.fp)
        recall = sweep.tp / (sweep.tp + sweep.fn)
        return 2 * precision * recall / (precision + recall)


@q1.mistake(
    "Your F1 values come in increasing order of threshold, but `thresholds` may arrive unsorted: return "
    "F1[i] for thresholds[i], in the order given."
)
def _sorted_thresholds(y_true, y_score, thresholds):
    return threshold_sweep(y_true, y_score, np.sort(thresholds)).f1


# --------------------------------------------------------------------------------------------- q2 best threshold


def _best_threshold(y_true, y_score, thresholds):
    return best_threshold(y_true, y_score, metric="f1", thresholds=thresholds)


def _tied(y_true, y_score, thresholds) -> tuple[np.ndarray, float]:
    """The thresholds reaching the best F1, in the order given, and that F1."""
    sweep = threshold_sweep(y_true, y_score, thresholds)
    best = sweep.f1.max()
    return np.asarray(thresholds, dtype=float)[sweep.f1 == best], float(best)


q2 = Question(
    "q2",
    points=2,
    function="best_threshold",
    title="The threshold with the best F1 (ties: the largest threshold)",
    reference=_best_threshold,
    fixed=_SWEEP_CASES,
    random=_random_sweep,
    hints=[
        "Reuse your sweep: compute F1 at every threshold, then find the largest F1.",
        "Several thresholds can reach that F1 (a tie is a range). Among them return the largest: "
        "`max(t for t, f in zip(thresholds, f1s) if f == best)`.",
    ],
)


@q2.mistake(
    "Among thresholds tied for the best F1 you returned the smallest (a loop with `if f1 > best` keeps the first "
    "on an increasing grid). The convention here is the largest: the most conservative of equally good "
    "classifiers."
)
def _smallest_tie(y_true, y_score, thresholds):
    tied, best = _tied(y_true, y_score, thresholds)
    return float(tied.min()), best


@q2.mistake(
    "`thresholds` may arrive unsorted: among tied thresholds you returned the last one in the list, which is the "
    "largest only when the list is increasing. Compare the thresholds themselves (or sort them first)."
)
def _last_in_list(y_true, y_score, thresholds):
    tied, best = _tied(y_true, y_score, thresholds)
    return float(tied[-1]), best


@q2.mistake(
    "`thresholds` may arrive unsorted, and among tied thresholds you returned the first one in the list. "
    "Return the largest tied threshold, whatever the order of the list."
)
def _first_in_list(y_true, y_score, thresholds):
    tied, best = _tied(y_true, y_score, thresholds)
    return float(tied[0]), best


@q2.mistake("You returned the position of the best threshold in the list; return the threshold value itself.")
def _index_not_value(y_true, y_score, thresholds):
    threshold, best = _best_threshold(y_true, y_score, thresholds)
    return float(np.flatnonzero(np.asarray(thresholds, dtype=float) == threshold)[0]), best


@q2.mistake("Return `(threshold, f1)` in that order; you returned `(f1, threshold)`.")
def _order_swapped(y_true, y_score, thresholds):
    threshold, best = _best_threshold(y_true, y_score, thresholds)
    return best, threshold


@q2.mistake(
    "Your sweep predicts positive for `y_score > t`; a score equal to the threshold must count as positive "
    "(`>=`), which changes the F1 and so the best threshold."
)
def _best_with_strictly_greater(y_true, y_score, thresholds):
    thresholds = np.asarray(thresholds, dtype=float)
    f1 = threshold_sweep(y_true, y_score, np.nextafter(thresholds, np.inf)).f1
    return float(thresholds[f1 == f1.max()].max()), float(f1.max())


# ----------------------------------------------------------------------------------- q3 validation, then test


def _tune_then_test(y_val, s_val, y_test, s_test, thresholds):
    threshold, _ = best_threshold(y_val, s_val, metric="f1", thresholds=thresholds)
    return threshold, float(threshold_sweep(y_test, s_test, [threshold]).f1[0])


def _random_split(rng: np.random.Generator) -> Args:
    y_val, s_val = _labels_and_scores(rng, int(rng.integers(4, 40)))
    y_test, s_test = _labels_and_scores(rng, int(rng.integers(4, 40)))
    return Args(y_val, s_val, y_test, s_test, _thresholds(rng, np.concatenate([s_val, s_test])))


_HALF = 10  # the twenty samples split in two: the first half validates, the second tests

q3 = Question(
    "q3",
    points=2,
    function="tune_then_test",
    title="Choose the threshold on validation data, report F1 on the test data",
    reference=_tune_then_test,
    fixed=[
        Args(_TWENTY_TRUE[:_HALF], _TWENTY_SCORE[:_HALF], _TWENTY_TRUE[_HALF:], _TWENTY_SCORE[_HALF:], _GRID),
        Args(_TWENTY_TRUE[_HALF:], _TWENTY_SCORE[_HALF:], _TWENTY_TRUE[:_HALF], _TWENTY_SCORE[:_HALF], _GRID),
    ],
    random=_random_split,
    hints=[
        "Two steps: pick the threshold with your `best_threshold` on the *validation* labels and scores only; "
        "then compute the F1 of that one threshold on the *test* data.",
        "The test set is looked at once, after every choice is made; the number it gives is the honest estimate.",
    ],
)


@q3.mistake(
    "You chose the threshold on the test set. That makes the test F1 optimistic: the threshold has seen the "
    "test labels. Choose it on validation, then measure once on test."
)
def _tuned_on_test(y_val, s_val, y_test, s_test, thresholds):
    return _tune_then_test(y_test, s_test, y_test, s_test, thresholds)


@q3.mistake(
    "You reported the F1 on the validation data (where the threshold was chosen, so it flatters the model). "
    "Report the F1 of the chosen threshold on the test data."
)
def _validation_f1(y_val, s_val, y_test, s_test, thresholds):
    return best_threshold(y_val, s_val, metric="f1", thresholds=thresholds)


# --------------------------------------------------------------------------------------------------- q4 tie range


def _best_f1_range(y_true, y_score):
    return best_threshold_range(y_true, y_score, metric="f1")


def _random_labels_and_scores(rng: np.random.Generator) -> Args:
    return Args(*_labels_and_scores(rng, int(rng.integers(2, 30))))


q4 = Question(
    "q4",
    points=2,
    function="best_f1_range",
    title="The whole range of thresholds that reach the best F1",
    reference=_best_f1_range,
    fixed=[
        Args(_TWENTY_TRUE, _TWENTY_SCORE),  # (0.22, 0.35]
        Args(np.array([1, 0, 1, 0]), np.array([0.7, 0.6, 0.5, 0.6])),  # best at 0.5 and at 0.7, not between
        Args(np.array([1, 1, 0]), np.array([0.3, 0.2, 0.1])),  # the range starts at the lowest score
        Args(np.array([0, 1, 1, 0, 1]), np.array([0.1, 0.4, 0.4, 0.4, 0.9])),  # a tie at the top of the range
    ],
    random=_random_labels_and_scores,
    hints=[
        "F1 only changes when the threshold crosses a score, so compute it at every distinct score "
        "(`np.unique(y_score)`) and find the best value.",
        "`high` is the largest distinct score with the best F1. Walk down the distinct scores while F1 stays best; "
        "`low` is the first distinct score below them that does not tie (or `-np.inf` if every lower one ties).",
    ],
)


@q4.mistake(
    "Your `low` is the lowest *tied score*, but that score reaches the best F1 itself: the range is open at the "
    "bottom, `low < t <= high`, so `low` is the next distinct score *below* the tied ones (or -inf)."
)
def _low_is_lowest_tied(y_true, y_score):
    low, high = _best_f1_range(y_true, y_score)
    scores = np.unique(np.asarray(y_score, dtype=float))
    return float(scores[scores > low].min()), high


@q4.mistake(
    "Your range spans thresholds that do not reach the best F1: the best value can be reached on separate runs of "
    "scores. Keep only the run that ends at the largest best score, stopping at the first score that does not tie."
)
def _spans_gaps(y_true, y_score):
    sweep = threshold_sweep(y_true, y_score)
    best = np.flatnonzero(sweep.f1 == sweep.f1.max())
    low = float(sweep.thresholds[best[0] - 1]) if best[0] > 0 else float("-inf")
    return low, float(sweep.thresholds[best[-1]])


@q4.mistake("Return `(low, high)` with `low < high`; you returned them the other way round.")
def _range_swapped(y_true, y_score):
    low, high = _best_f1_range(y_true, y_score)
    return high, low


# --------------------------------------------------------------------------------------------------- q5 grid


def _threshold_grid(start, stop, step):
    # From integers: k steps of `step`, each value rounded to the decimals the arguments were written with.
    n = int(round((stop - start) / step)) + 1
    return np.round(start + step * np.arange(n), 6)


def _random_grid(rng: np.random.Generator) -> Args:
    step = float(rng.choice([0.01, 0.02, 0.05, 0.1, 0.25, 0.001]))
    start_k = int(rng.integers(0, 10))
    n = int(rng.integers(1, 40))
    return Args(round(start_k * step, 6), round((start_k + n - 1) * step, 6), step)


q5 = Question(
    "q5",
    points=2,
    function="threshold_grid",
    title="A threshold grid that holds exactly the decimals you wrote, both ends included",
    reference=_threshold_grid,
    fixed=[Args(0.05, 0.95, 0.05), Args(0.1, 0.9, 0.1), Args(0.0, 1.0, 0.01), Args(0.3, 0.3, 0.1)],
    random=_random_grid,
    rtol=0.0,
    atol=0.0,  # the point of the question: 0.35 must be 0.35, not 0.35000000000000003
    hints=[
        "Count the values first: n = round((stop - start) / step) + 1. Then build them from the integers 0 .. n - 1.",
        "`start + step * np.arange(n)` still carries binary rounding errors: round the result "
        "(`np.round(..., 6)`), so each value is the float Python gives for that decimal.",
    ],
)


@q5.mistake(
    "Some of your values are not the decimals you wrote (e.g. 0.35000000000000003 instead of 0.35): adding a float "
    "step again and again accumulates binary rounding error. Round the values, or build them from integers."
)
def _float_arange(start, stop, step):
    return np.arange(start, stop + step / 2, step)


@q5.mistake(
    "`np.linspace` gets the ends and the count right, but its inner values still carry binary rounding error "
    "(its 0.35 is not 0.35). Round them."
)
def _unrounded_linspace(start, stop, step):
    return np.linspace(start, stop, int(round((stop - start) / step)) + 1)


QUESTIONS = (q1, q2, q3, q4, q5)
