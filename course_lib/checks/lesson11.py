"""Checks for exercises/11_uncertainty.ipynb: the Wilson interval, a bootstrap drawn as counts, McNemar's test,
and the number of positives an interval needs."""

from __future__ import annotations

import numpy as np
from scipy import stats

from course_lib.checks import Args, Question
from course_lib.metrics.intervals import proportion_interval, sample_size_for_width
from course_lib.metrics.paired_tests import mcnemar_test
from course_lib.metrics.resample_counts import draw_tables

NOTEBOOK = "11_uncertainty.ipynb"

# --------------------------------------------------------------------------------------------------- q1 Wilson


def _wilson_interval(successes, trials, confidence=0.95):
    return tuple(proportion_interval(successes, trials, confidence=confidence, method="wilson"))


def _random_proportion(rng: np.random.Generator) -> Args:
    """Small n often; 0 and n successes often (where Wald and Wilson differ most)."""
    n = int(rng.choice([int(rng.integers(1, 30)), int(rng.integers(30, 500))]))
    x = int(rng.choice([0, n, int(rng.integers(0, n + 1))]))
    return Args(x, n, confidence=float(rng.choice([0.9, 0.95, 0.99])))


q1 = Question(
    "q1",
    points=2,
    function="wilson_interval",
    title="The Wilson interval for a proportion",
    reference=_wilson_interval,
    fixed=[Args(81, 103), Args(0, 30), Args(30, 30), Args(1, 10, confidence=0.9), Args(5, 7, confidence=0.99)],
    random=_random_proportion,
    rtol=1e-4,  # z = 1.96 instead of 1.959964... is fine
    atol=1e-6,
    hints=[
        "z is the (1 + confidence) / 2 quantile of the standard normal: `scipy.stats.norm.ppf((1 + confidence) / 2)`.",
        "centre = (p + z**2 / (2 n)) / (1 + z**2 / n); half-width = z * sqrt(p (1 - p) / n + z**2 / (4 n**2)) / "
        "(1 + z**2 / n); return (centre - half, centre + half).",
    ],
)


def _wald(successes, trials, confidence=0.95):
    p = successes / trials
    half = stats.norm.ppf((1 + confidence) / 2) * np.sqrt(p * (1 - p) / trials)
    return p - half, p + half


@q1.mistake(
    "That is the Wald interval p +- z sqrt(p (1 - p) / n), not Wilson's. Wald collapses to a single point at 0 or n "
    "successes and covers far less than it claims at small n; Wilson's centre moves towards 1/2 and its width has "
    "the extra z^2 / 4n^2 term."
)
def _wald_interval(successes, trials, confidence=0.95):
    return _wald(successes, trials, confidence)


@q1.mistake(
    "That is the Wald interval p +- z sqrt(p (1 - p) / n) (clipped to [0, 1]), not Wilson's. Wilson's centre moves "
    "towards 1/2 and its width has the extra z^2 / 4n^2 term."
)
def _wald_clipped(successes, trials, confidence=0.95):
    return tuple(np.clip(_wald(successes, trials, confidence), 0.0, 1.0))


# --------------------------------------------------------------------------------------------------- q2 bootstrap


def _f1_of(tables: np.ndarray) -> np.ndarray:
    tn, fp, fn, tp = np.moveaxis(tables.astype(float), -1, 0)
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(denominator), where=denominator > 0)


_REFERENCE_RESAMPLES = 200_000  # the reference's own Monte-Carlo error is then a fifth of a learner's


def _bootstrap_f1_sd(tn, fp, fn, tp, n_resamples=20_000, seed=0):
    rng = np.random.default_rng(12345)
    tables = draw_tables(np.array([tn, fp, fn, tp]), _REFERENCE_RESAMPLES, rng)
    return float(_f1_of(tables).std())


def _random_table(rng: np.random.Generator) -> Args:
    counts = [int(v) for v in rng.integers([50, 5, 3, 5], [900, 120, 60, 150])]
    return Args(*counts, n_resamples=20_000, seed=int(rng.integers(0, 1000)))


q2 = Question(
    "q2",
    points=3,
    function="bootstrap_f1_sd",
    title="The bootstrap standard deviation of F1, with each resample drawn as a confusion matrix",
    reference=_bootstrap_f1_sd,
    fixed=[Args(900, 50, 10, 40), Args(300, 100, 20, 80), Args(50, 40, 5, 5), Args(854, 43, 22, 81)],
    random=_random_table,
    rtol=0.04,  # Monte-Carlo noise: the sd of 20,000 resamples is known to about 0.5 %
    atol=1e-4,
    hints=[
        "Resampling n rows with replacement and counting the four cells is one multinomial draw: "
        "`rng.multinomial(n, cells / n, size=n_resamples)` gives all the resampled tables at once.",
        "F1 = 2 TP / (2 TP + FP + FN) for each drawn table (0 where the denominator is 0); return the standard "
        "deviation of those values as a float.",
    ],
)


@q2.mistake(
    "Your resamples keep the number of positives (and negatives) fixed: you resampled the two classes separately "
    "(a stratified bootstrap, or two binomials for the two rates). Resampling the test set lets the class sizes "
    "vary as they would in a new test set: draw all four cells from one multinomial with the test set's size."
)
def _classes_separately(tn, fp, fn, tp, n_resamples=20_000, seed=0):
    rng = np.random.default_rng(12345)
    tables = draw_tables(np.array([[tn, fp], [fn, tp]]), _REFERENCE_RESAMPLES, rng, stratify_rows=True)
    return float(_f1_of(tables.reshape(-1, 4)).std())


@q2.mistake("You returned the variance of the resampled F1 values; the question asks for the standard deviation.")
def _variance(tn, fp, fn, tp, n_resamples=20_000, seed=0):
    return _bootstrap_f1_sd(tn, fp, fn, tp) ** 2


# --------------------------------------------------------------------------------------------------- q3 McNemar


def _mcnemar_pvalue(y_true, pred_a, pred_b):
    return float(mcnemar_test(y_true, pred_a, pred_b).pvalue)


def _paired_case(n, accuracy_a, accuracy_b, agreement, rng):
    """Two classifiers whose errors overlap: B copies A's answer on a share `agreement` of the cases."""
    y = rng.integers(0, 2, n)
    pred_a = np.where(rng.random(n) < accuracy_a, y, 1 - y)
    own_b = np.where(rng.random(n) < accuracy_b, y, 1 - y)
    pred_b = np.where(rng.random(n) < agreement, pred_a, own_b)
    return Args(y, pred_a, pred_b)


def _random_pair(rng: np.random.Generator) -> Args:
    n = int(rng.integers(20, 400))
    return _paired_case(n, rng.uniform(0.6, 0.95), rng.uniform(0.5, 0.9), rng.uniform(0.3, 0.9), rng)


_FIXED_RNG = np.random.default_rng(11)

q3 = Question(
    "q3",
    points=3,
    function="mcnemar_pvalue",
    title="McNemar's exact test for two classifiers on the same test set",
    reference=_mcnemar_pvalue,
    fixed=[
        Args(
            np.array([1, 1, 0, 0, 1, 0, 1, 1, 0, 0]),
            np.array([1, 1, 0, 0, 1, 0, 1, 1, 1, 0]),
            np.array([0, 1, 1, 0, 0, 0, 1, 0, 0, 0]),
        ),
        _paired_case(300, 0.85, 0.75, 0.7, _FIXED_RNG),
        _paired_case(200, 0.8, 0.8, 0.5, _FIXED_RNG),
        Args(np.array([0, 1, 1, 0]), np.array([0, 1, 1, 0]), np.array([0, 1, 1, 0])),  # no disagreement: p = 1
    ],
    random=_random_pair,
    hints=[
        "Only the disagreements matter: b = cases only A gets right, c = cases only B gets right.",
        "Under 'equally accurate' b ~ Binomial(b + c, 1/2). The two-sided p-value is "
        "min(1, 2 * scipy.stats.binom.cdf(min(b, c), b + c, 0.5)); with b + c = 0 it is 1.",
    ],
)


def _discordant(y_true, pred_a, pred_b):
    right_a, right_b = np.asarray(pred_a) == np.asarray(y_true), np.asarray(pred_b) == np.asarray(y_true)
    return int(np.sum(right_a & ~right_b)), int(np.sum(~right_a & right_b)), right_a, right_b


@q3.mistake(
    "Your p-value is one-sided: it is half the two-sided one. Either model could have been the better one, so "
    "double the tail probability (and cap it at 1)."
)
def _one_sided(y_true, pred_a, pred_b):
    b, c, _, _ = _discordant(y_true, pred_a, pred_b)
    return float(stats.binom.cdf(min(b, c), b + c, 0.5)) if b + c else 1.0


@q3.mistake(
    "You compared the two accuracies as if they came from two different test sets (a two-proportion z-test). The "
    "models were scored on the same cases, so their results are paired: only the cases where they disagree (b and "
    "c) carry information about which is better. Use McNemar's test on b and c."
)
def _unpaired(y_true, pred_a, pred_b):
    _, _, right_a, right_b = _discordant(y_true, pred_a, pred_b)
    pooled = (right_a.mean() + right_b.mean()) / 2
    if pooled in (0.0, 1.0):
        return 1.0
    z = (right_a.mean() - right_b.mean()) / np.sqrt(2 * pooled * (1 - pooled) / len(right_a))
    return float(2 * stats.norm.sf(abs(z)))


@q3.mistake(
    "That is the chi-square version with continuity correction, (|b - c| - 1)^2 / (b + c); the question asks for "
    "the exact binomial test on b and c."
)
def _chi_square(y_true, pred_a, pred_b):
    return float(mcnemar_test(y_true, pred_a, pred_b, exact=False).pvalue)


# --------------------------------------------------------------------------------------------------- q4 planning


def _positives_needed(width, rate, confidence=0.95):
    return sample_size_for_width(width, rate, confidence=confidence)


def _random_plan(rng: np.random.Generator) -> Args:
    return Args(float(rng.choice([0.02, 0.05, 0.1, 0.2])), float(rng.choice([0.5, 0.7, 0.8, 0.9, 0.95, 0.99])))


q4 = Question(
    "q4",
    points=2,
    function="positives_needed",
    title="How many positives a recall interval of a given width needs",
    reference=_positives_needed,
    fixed=[Args(0.1, 0.8), Args(0.05, 0.99), Args(0.2, 0.5), Args(0.02, 0.9, confidence=0.9)],
    random=_random_plan,
    hints=[
        "The Wilson width 2 z sqrt(p (1 - p) / n + z**2 / (4 n**2)) / (1 + z**2 / n) shrinks as n grows: "
        "try n = 1, 2, 3, ... (or a binary search) until it is at most `width`.",
        "Return the smallest such n as an int.",
    ],
)


@q4.mistake(
    "You sized the test set with the Wald width 2 z sqrt(p (1 - p) / n), giving n = ceil(4 z^2 p (1 - p) / width^2). "
    "The question plans for the Wilson interval, whose width differs from Wald's, most of all near p = 0 or 1."
)
def _wald_size(width, rate, confidence=0.95):
    z = stats.norm.ppf((1 + confidence) / 2)
    return int(np.ceil(4 * z * z * rate * (1 - rate) / width**2))


@q4.mistake("Your n gives an interval still wider than `width`: return the first n where the width is at most it.")
def _one_short(width, rate, confidence=0.95):
    return _positives_needed(width, rate, confidence) - 1


QUESTIONS = (q1, q2, q3, q4)
