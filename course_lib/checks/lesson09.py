"""Checks for exercises/09_calibration_and_chance.ipynb: MCC, ECE, a temperature, cost-derived decisions, kappa."""

from __future__ import annotations

import warnings

import numpy as np

from course_lib.checks import Args, Question
from course_lib.metrics.calibration import (
    apply_temperature,
    calibration_bins,
    expected_calibration_error,
    fit_temperature,
)
from course_lib.metrics.from_counts import cohen_kappa_from_table, matthews_corrcoef_from_table
from course_lib.teaching.costs import cost_derived_threshold, mean_cost_at_thresholds

NOTEBOOK = "09_calibration_and_chance.ipynb"


# --------------------------------------------------------------------------------------------------- q1 MCC


def _mcc_from_counts(tp, fp, fn, tn):
    """course_lib's MCC of the 2 x 2 table ``[[TN, FP], [FN, TP]]`` (rows truth): no labels rebuilt."""
    return matthews_corrcoef_from_table(np.array([[tn, fp], [fn, tp]]))


def _random_counts(rng: np.random.Generator) -> Args:
    """Four counts up to 60 (n >= 1); zeros are common, so a zero denominator comes up often."""
    counts = [int(c) for c in rng.integers(0, 61, 4)]
    for i in range(4):
        if rng.random() < 0.25:
            counts[i] = 0
    if sum(counts) == 0:
        counts[int(rng.integers(4))] = int(rng.integers(1, 20))
    return Args(*counts)


q1 = Question(
    "q1",
    points=2,
    function="mcc_from_counts",
    title="The Matthews correlation coefficient from TP, FP, FN and TN (0 when undefined)",
    reference=_mcc_from_counts,
    fixed=[
        Args(9, 2, 3, 6),  # lesson 02's counts at threshold 0.5
        Args(90, 9, 1, 0),  # lesson 09: F1 0.9474, MCC -0.0316
        Args(0, 0, 5, 95),  # nothing predicted positive: a zero factor, MCC = 0
        Args(50, 0, 0, 50),  # perfect
        Args(0, 7, 3, 0),  # always wrong
        Args(12, 0, 0, 0),  # one class only
    ],
    random=_random_counts,
    hints=[
        "MCC = (TP TN - FP FN) / sqrt((TP + FP)(TP + FN)(TN + FP)(TN + FN)).",
        "If any of the four sums is 0 the fraction is 0/0; return 0.0 then (scikit-learn's convention). "
        "Convert to float before multiplying large counts if you use NumPy integers.",
    ],
    error_hints={
        "ZeroDivisionError": "One of the four sums in the denominator was 0 (for example nothing was predicted "
        "positive): MCC is 0/0 there, and the convention is to return 0.0."
    },
)


@q1.mistake(
    "You divided by the product (TP + FP)(TP + FN)(TN + FP)(TN + FN) itself; MCC divides by its square root, which "
    "is what keeps it between -1 and 1."
)
def _no_square_root(tp, fp, fn, tn):
    product = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    return (tp * tn - fp * fn) / product if product else 0.0


@q1.mistake(
    "The numerator subtracts the disagreements from the agreements: TP TN - FP FN. You added FP FN, so a "
    "classifier that is always wrong does not get -1."
)
def _plus_in_numerator(tp, fp, fn, tn):
    product = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    return (tp * tn + fp * fn) / np.sqrt(product) if product else 0.0


@q1.mistake(
    "Your function returns NaN when a sum in the denominator is 0 (for example nothing predicted positive). MCC is "
    "0/0 there; return 0.0, the convention of scikit-learn and course_lib."
)
def _nan_when_undefined(tp, fp, fn, tn):
    product = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    return _mcc_from_counts(tp, fp, fn, tn) if product else float("nan")


# --------------------------------------------------------------------------------------------------- q2 ECE


def _ece(y_true, y_prob, n_bins):
    return expected_calibration_error(y_true, y_prob, n_bins=n_bins)


# Probabilities that sit exactly on bin edges for 2, 4, 5 or 8 bins, where every sensible way of binning them
# (comparisons with np.linspace's edges, ceil(p * n) - 1, ...) agrees on the side of the edge they are on, so
# that only the right-closed rule decides. (0.6 is left out: np.linspace(0, 1, 6)[3] is 0.6000000000000001.)
_EDGE_VALUES = np.array([0.0, 0.125, 0.2, 0.25, 0.375, 0.4, 0.5, 0.625, 0.75, 0.8, 0.875, 1.0])


def _random_calibration(rng: np.random.Generator) -> Args:
    n = int(rng.integers(1, 40))
    if rng.random() < 0.5:
        n_bins = int(rng.choice([2, 4, 5, 8]))
        y_prob = np.where(rng.random(n) < 0.5, rng.choice(_EDGE_VALUES, n), rng.random(n))
    else:
        n_bins = int(rng.integers(2, 21))
        y_prob = rng.random(n) ** rng.choice([1.0, 3.0])
    y_true = (rng.random(n) < np.clip(y_prob + rng.normal(0, 0.2, n), 0, 1)).astype(int)
    return Args(y_true, y_prob, n_bins)


q2 = Question(
    "q2",
    points=3,
    function="expected_calibration_error",
    title="Expected calibration error of positive-class probabilities, uniform right-closed bins",
    reference=_ece,
    fixed=[
        Args(np.array([0, 1, 1, 1]), np.array([0.2, 0.6, 0.7, 0.9]), 2),
        Args(np.array([0, 1, 0, 1, 1, 0, 1]), np.array([0.2, 0.2, 0.4, 0.5, 1.0, 0.0, 0.8]), 5),
        Args(np.array([1, 0, 0, 1, 0, 1]), np.array([0.25, 0.25, 0.5, 0.75, 0.75, 0.125]), 4),
        Args(np.array([0, 0, 0, 1] * 5), np.full(20, 0.25), 10),  # the base rate for everyone: ECE 0
    ],
    random=_random_calibration,
    hints=[
        "Edges: `np.linspace(0, 1, n_bins + 1)`. Bin b holds the p with edges[b] < p <= edges[b + 1]; bin 0 also "
        "holds p = 0. `np.searchsorted(edges[1:-1], y_prob)` gives every sample's bin at once.",
        "For each non-empty bin: its share of the samples, n_b / n, times |fraction of positives - mean "
        "probability|. Add them up; empty bins add nothing.",
    ],
)


@q2.mistake(
    "A probability exactly on an edge went into the bin on its right. The bins are closed on the right, "
    "(edges[b], edges[b + 1]]: p = 0.2 with 5 bins belongs to the first bin [0, 0.2] (as in scikit-learn's "
    "calibration_curve). `np.searchsorted(edges[1:-1], y_prob)` does it; `np.digitize` or `floor(p * n_bins)` does not."
)
def _left_closed(y_true, y_prob, n_bins):
    # One unit in the last place to the right moves a value on an edge into the next bin, and changes the
    # mean probabilities by far less than the checks' tolerance.
    nudged = np.minimum(np.nextafter(np.asarray(y_prob, dtype=float), 2.0), 1.0)
    return expected_calibration_error(y_true, nudged, n_bins=n_bins)


@q2.mistake(
    "You averaged the bins' gaps without weights. ECE weights each bin by its share of the samples, n_b / n: a bin "
    "with one sample counts far less than a bin with a hundred."
)
def _unweighted(y_true, y_prob, n_bins):
    bins = calibration_bins(y_true, y_prob, n_bins=n_bins)
    return float(np.mean(np.abs(bins.prob_true - bins.prob_pred)))


@q2.mistake(
    "You made n_bins - 1 bins: `np.linspace(0, 1, n_bins)` has n_bins edges. n_bins bins need n_bins + 1 edges, "
    "`np.linspace(0, 1, n_bins + 1)`."
)
def _one_bin_short(y_true, y_prob, n_bins):
    return expected_calibration_error(y_true, y_prob, n_bins=max(n_bins - 1, 1))


# --------------------------------------------------------------------------------------------------- q3 temperature


def _fit_temperature(logits, y_true):
    return fit_temperature(logits, y_true)


def _has_signal(z, y) -> bool:
    """The log-loss falls when the logits are first switched on (dL/dbeta < 0 at beta = 0)."""
    return float(np.mean((0.5 - y) * z)) < -1e-3


def _random_logits(rng: np.random.Generator) -> Args:
    """Binary logits and labels drawn from sigmoid(z / T_true); never separable, always some signal."""
    while True:
        n = int(rng.integers(20, 150))
        z = rng.normal(size=n) * rng.uniform(1.0, 8.0)
        y = (rng.random(n) < apply_temperature(z, rng.uniform(0.5, 4.0))).astype(int)
        y[np.argmin(z)], y[np.argmax(z)] = 1, 0  # a positive below every negative logit: not separable
        if _has_signal(z, y):
            return Args(np.round(z, 3), y)


_RNG = np.random.default_rng(9)
_Z_OVER = np.round(_RNG.normal(size=60) * 6, 3)
_Y_OVER = (_RNG.random(60) < apply_temperature(_Z_OVER, 3.0)).astype(int)
_Y_OVER[np.argmin(_Z_OVER)], _Y_OVER[np.argmax(_Z_OVER)] = 1, 0

q3 = Question(
    "q3",
    points=3,
    function="fit_temperature",
    title="The temperature T minimising the mean log-loss of sigmoid(logits / T)",
    reference=_fit_temperature,
    fixed=[
        Args(np.array([-4.0, -3.0, 3.0, 5.0, 4.0, -5.0]), np.array([0, 1, 1, 1, 0, 0])),  # overconfident: T > 1
        Args(np.array([-1.0, -0.5, -0.2, 0.3, 0.6, 1.2, 0.1]), np.array([0, 0, 1, 1, 1, 1, 0])),  # T < 1
        Args(_Z_OVER, _Y_OVER),
    ],
    random=_random_logits,
    hints=[
        "Work with beta = 1 / T. The mean log-loss L(beta) = mean(log(1 + exp(beta z)) - y beta z) is convex, and "
        "its derivative mean((sigmoid(beta z) - y) z) increases with beta: find where it crosses 0.",
        "Bisection: start from a bracket such as beta in [1e-3, 1e3] where the derivative is negative at the left "
        "end and positive at the right end, halve it (in log space, the geometric mean) about 100 times, return "
        "T = 1 / beta. Compute sigmoid without overflow, e.g. `np.exp(-np.logaddexp(0, -x))`.",
    ],
    rtol=1e-4,
)


@q3.mistake(
    "You returned 1/T, the inverse temperature. The probabilities are sigmoid(logits / T): an overconfident model "
    "needs T > 1 (dividing shrinks the logits). Did you compute sigmoid(logits * T), or return beta?"
)
def _inverse(logits, y_true):
    return 1.0 / fit_temperature(logits, y_true)


def _brier_optimal_temperature(logits, y_true):
    z, y = np.asarray(logits, dtype=float), np.asarray(y_true, dtype=float)

    def brier(log_t):
        return float(np.mean((apply_temperature(z, float(np.exp(log_t))) - y) ** 2))

    grid = np.linspace(np.log(1e-3), np.log(1e3), 1201)
    best = int(np.argmin([brier(g) for g in grid]))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    golden = (np.sqrt(5) - 1) / 2
    for _ in range(80):  # golden-section search inside the best grid cell's neighbours
        a, b = high - golden * (high - low), low + golden * (high - low)
        if brier(a) < brier(b):
            high = b
        else:
            low = a
    return float(np.exp((low + high) / 2))


@q3.mistake(
    "Your T minimises the Brier score (the mean squared error of the probabilities), not the log-loss. Temperature "
    "scaling minimises the mean log-loss, -mean(y log p + (1 - y) log(1 - p)), on the validation data."
)
def _minimises_brier(logits, y_true):
    return _brier_optimal_temperature(logits, y_true)


# --------------------------------------------------------------------------------------------------- q4, q5 costs
# Probabilities and thresholds c_fp / (c_fp + c_fn) on a grid of sixteenths: every way of writing the rule is exact in
# floating point, so every correct answer decides a probability on the threshold alike, and a `>` shows.

_COST_PAIRS = [(1, 1), (1, 3), (3, 1), (1, 7), (3, 5), (5, 3), (7, 1), (2, 6), (1, 15), (3, 13), (10, 30)]


def _random_cost_case(rng: np.random.Generator) -> Args:
    c_fp, c_fn = _COST_PAIRS[int(rng.integers(len(_COST_PAIRS)))]
    return Args(rng.integers(0, 17, int(rng.integers(1, 30))) / 16, c_fp=float(c_fp), c_fn=float(c_fn))


def _cost_decisions(y_prob, c_fp, c_fn):
    return (np.asarray(y_prob, dtype=float) >= cost_derived_threshold(c_fp=c_fp, c_fn=c_fn)).astype(int)


q4 = Question(
    "q4",
    points=2,
    function="cost_decisions",
    title="Decisions from calibrated probabilities and two costs (the cost-derived threshold)",
    reference=_cost_decisions,
    fixed=[
        Args(np.array([0.05, 0.1, 0.3, 0.9]), c_fp=1.0, c_fn=10.0),
        Args(np.array([0.25, 0.2, 0.5, 0.75, 0.8]), c_fp=1.0, c_fn=3.0),  # 0.25 is exactly the threshold
        Args(np.array([0.7, 0.75, 0.8, 0.3]), c_fp=3.0, c_fn=1.0),  # false alarms costlier: threshold 0.75
        Args(np.array([0.125, 0.5, 0.0625]), c_fp=1.0, c_fn=7.0),
    ],
    random=_random_cost_case,
    hints=[
        "For a sample with probability p, predicting positive costs c_fp with probability 1 - p; predicting negative "
        "costs c_fn with probability p. Choose the cheaper one.",
        "(1 - p) c_fp <= p c_fn is the same as p >= c_fp / (c_fp + c_fn): that is the threshold, and `>=` decides a "
        "probability that sits exactly on it.",
    ],
)


@q4.mistake(
    "You swapped the costs: your threshold is c_fn / (c_fp + c_fn). The costlier a miss (c_fn), the *lower* the "
    "threshold must be, so that more samples are flagged: predict positive when p >= c_fp / (c_fp + c_fn)."
)
def _swapped_costs(y_prob, c_fp, c_fn):
    return _cost_decisions(y_prob, c_fn, c_fp)


@q4.mistake(
    "Your threshold is the ratio c_fp / c_fn. Compare the two expected costs, (1 - p) c_fp and p c_fn: positive wins "
    "when p >= c_fp / (c_fp + c_fn), the sum in the denominator."
)
def _ratio_threshold(y_prob, c_fp, c_fn):
    return (np.asarray(y_prob, dtype=float) >= c_fp / c_fn).astype(int)


@q4.mistake(
    "You used `>` at the threshold: a probability exactly at c_fp / (c_fp + c_fn) costs the same either way, and the "
    "convention here (as everywhere in the course) is `>=`, predict positive."
)
def _strict_cost_threshold(y_prob, c_fp, c_fn):
    return (np.asarray(y_prob, dtype=float) > cost_derived_threshold(c_fp=c_fp, c_fn=c_fn)).astype(int)


@q4.mistake(
    "You thresholded at 0.5 whatever the costs: that is the cost-derived threshold only when c_fp == c_fn. Use "
    "c_fp / (c_fp + c_fn)."
)
def _always_half(y_prob, c_fp, c_fn):
    return (np.asarray(y_prob, dtype=float) >= 0.5).astype(int)


_THRESHOLDS = np.arange(0, 17) / 16


def _random_cost_curve_case(rng: np.random.Generator) -> Args:
    n = int(rng.integers(1, 30))
    y_true = rng.integers(0, 2, n) if rng.random() < 0.8 else np.zeros(n, dtype=int)
    thresholds = np.sort(rng.choice(_THRESHOLDS, int(rng.integers(1, 6)), replace=False))
    c_fp, c_fn = _COST_PAIRS[int(rng.integers(len(_COST_PAIRS)))]
    return Args(y_true, rng.integers(0, 17, n) / 16, thresholds, c_fp=float(c_fp), c_fn=float(c_fn))


def _mean_cost(y_true, y_prob, thresholds, c_fp, c_fn):
    return mean_cost_at_thresholds(y_true, y_prob, thresholds, c_fp=c_fp, c_fn=c_fn)


q5 = Question(
    "q5",
    points=2,
    function="mean_cost",
    title="Mean cost per sample at each threshold (the curve of the expected-cost picture)",
    reference=_mean_cost,
    fixed=[
        Args(np.array([0, 0, 1, 1]), np.array([0.05, 0.3, 0.2, 0.9]), np.array([0.1, 0.5]), c_fp=1.0, c_fn=9.0),
        Args(
            np.array([0, 1, 0, 1, 0]), np.array([0.25, 0.25, 0.5, 0.75, 1.0]), np.array([0.25, 0.5]), c_fp=1.0, c_fn=3.0
        ),  # fmt: skip
        Args(np.array([0, 0, 0]), np.array([0.1, 0.6, 0.9]), np.array([0.0, 0.5, 1.0]), c_fp=2.0, c_fn=6.0),
    ],
    random=_random_cost_curve_case,
    hints=[
        "At each threshold t, predict positive when p >= t, count FP (predicted positive, truly 0) and FN (predicted "
        "negative, truly 1).",
        "The mean cost per sample is (c_fp * FP + c_fn * FN) / n, with n the number of samples (not of errors).",
    ],
)


@q5.mistake(
    "You swapped the costs: a false positive (predicted 1, truly 0) costs c_fp and a false negative (predicted 0, "
    "truly 1) costs c_fn."
)
def _swapped_cost_weights(y_true, y_prob, thresholds, c_fp, c_fn):
    return _mean_cost(y_true, y_prob, thresholds, c_fn, c_fp)


@q5.mistake(
    "You returned the total cost, not the mean per sample: divide c_fp * FP + c_fn * FN by the number of samples."
)
def _total_cost(y_true, y_prob, thresholds, c_fp, c_fn):
    return _mean_cost(y_true, y_prob, thresholds, c_fp, c_fn) * len(y_true)


@q5.mistake(
    "You used `>` at the threshold: a probability equal to t is predicted positive (`p >= t`), as in every sweep of "
    "the course."
)
def _strict_sweep(y_true, y_prob, thresholds, c_fp, c_fn):
    nudged = np.nextafter(np.asarray(thresholds, dtype=float), np.inf)  # p > t is p >= the next float after t
    return _mean_cost(y_true, y_prob, nudged, c_fp, c_fn)


# --------------------------------------------------------------------------------------------------- q6 kappa


def _kappa_from_counts(tp, fp, fn, tn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the 0/0 case is answered by replace_undefined_by
        return cohen_kappa_from_table(np.array([[tn, fp], [fn, tp]]), replace_undefined_by=0.0)


def _kappa_with_chance(tp, fp, fn, tn, p_e):
    n = tp + fp + fn + tn
    p_o = (tp + tn) / n
    return (p_o - p_e) / (1 - p_e) if p_e != 1 else 0.0


q6 = Question(
    "q6",
    points=2,
    function="kappa_from_counts",
    title="Cohen's kappa from TP, FP, FN and TN: agreement beyond what chance would give",
    reference=_kappa_from_counts,
    fixed=[
        Args(90, 9, 1, 0),  # lesson 09: F1 0.9474, kappa negative
        Args(0, 0, 5, 95),  # the majority classifier: kappa 0
        Args(40, 10, 5, 45),
        Args(0, 0, 0, 7),  # one class only, both labellings agree: 0/0, answered 0
        Args(3, 30, 1, 2),
    ],
    random=_random_counts,
    hints=[
        "p_o = (TP + TN) / n is the observed agreement (the accuracy). p_e is the agreement two independent "
        "labellings with the same class rates would reach: P(both say 1) + P(both say 0).",
        "P(both say 1) = (TP + FP)/n * (TP + FN)/n: the prediction's rate of 1 times the truth's; the same for 0 with "
        "(TN + FN)/n * (TN + FP)/n. kappa = (p_o - p_e) / (1 - p_e), and 0.0 when p_e = 1.",
    ],
)


@q6.mistake(
    "Your chance agreement counts only the positive class, (TP + FP)(TP + FN) / n^2. Two labellings also agree by "
    "chance on the negatives: add (TN + FN)(TN + FP) / n^2."
)
def _positive_chance_only(tp, fp, fn, tn):
    n = tp + fp + fn + tn
    return _kappa_with_chance(tp, fp, fn, tn, (tp + fp) * (tp + fn) / n**2)


@q6.mistake(
    "You used the truth's class rates for both labellings, ((TP + FN)^2 + (TN + FP)^2) / n^2. The chance agreement "
    "multiplies the prediction's rate of each class by the truth's: (TP + FP)(TP + FN) + (TN + FN)(TN + FP), over n^2."
)
def _truth_rates_squared(tp, fp, fn, tn):
    n = tp + fp + fn + tn
    return _kappa_with_chance(tp, fp, fn, tn, ((tp + fn) ** 2 + (tn + fp) ** 2) / n**2)


@q6.mistake("That is the accuracy, p_o. Kappa subtracts the chance agreement: (p_o - p_e) / (1 - p_e).")
def _accuracy_not_kappa(tp, fp, fn, tn):
    return (tp + tn) / (tp + fp + fn + tn)


QUESTIONS = (q1, q2, q3, q4, q5, q6)
