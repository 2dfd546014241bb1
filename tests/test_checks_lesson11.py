"""Lesson 11's checks against mistakes written the way a learner writes them."""

from __future__ import annotations

import numpy as np
from _checks_helpers import mistake_diagnosis_test
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

from course_lib.checks import lesson11 as check

# --------------------------------------------------------------------------------------------------- q1


def wald_interval(successes, trials, confidence=0.95):
    p = successes / trials
    z = 1.96 if confidence == 0.95 else stats.norm.ppf((1 + confidence) / 2)
    half = z * (p * (1 - p) / trials) ** 0.5
    return p - half, p + half


def wald_interval_clipped(successes, trials, confidence=0.95):
    low, high = wald_interval(successes, trials, confidence)
    return max(0.0, low), min(1.0, high)


def wilson_with_z_196(successes, trials, confidence=0.95):
    """A correct answer with z rounded to 1.96 where the confidence is 95 %."""
    z = 1.96 if confidence == 0.95 else stats.norm.ppf((1 + confidence) / 2)
    p, n = successes / trials, trials
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5 / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def test_q1_reference_equals_statsmodels():
    for case in check.q1.cases(seed=0, n_random=100):
        successes, trials = case.args
        expected = proportion_confint(successes, trials, alpha=1 - case.kwargs.get("confidence", 0.95), method="wilson")
        np.testing.assert_allclose(check._wilson_interval(*case.args, **case.kwargs), expected, atol=1e-12)


def test_q1_z_rounded_to_196_passes():
    assert check.q1.check(wilson_with_z_196, seed=0).status == "correct"


# --------------------------------------------------------------------------------------------------- q2


def _f1(tables):
    tn, fp, fn, tp = tables.T
    denominator = 2 * tp + fp + fn
    return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)


def bootstrap_by_class(tn, fp, fn, tp, n_resamples=20_000, seed=0):
    """Positives and negatives resampled separately: two binomials for the two rates."""
    rng = np.random.default_rng(seed)
    positives, negatives = fn + tp, tn + fp
    tp_r = rng.binomial(positives, tp / positives, n_resamples)
    fp_r = rng.binomial(negatives, fp / negatives, n_resamples)
    tables = np.stack([negatives - fp_r, fp_r, positives - tp_r, tp_r], axis=1)
    return float(_f1(tables).std())


def bootstrap_variance(tn, fp, fn, tp, n_resamples=20_000, seed=0):
    rng = np.random.default_rng(seed)
    cells = np.array([tn, fp, fn, tp])
    return float(_f1(rng.multinomial(cells.sum(), cells / cells.sum(), n_resamples)).var())


def bootstrap_by_rows(tn, fp, fn, tp, n_resamples=20_000, seed=0):
    """A correct answer the slow way (fewer resamples, still inside the tolerance): resample rows."""
    rng = np.random.default_rng(seed)
    cells = np.repeat(np.arange(4), [tn, fp, fn, tp])  # one cell id per row of the test set
    drawn = rng.choice(cells, size=(4000, len(cells)))
    tables = np.stack([(drawn == k).sum(axis=1) for k in range(4)], axis=1)
    return float(_f1(tables).std())


def test_q2_row_resampling_is_also_correct():
    assert check.q2.check(bootstrap_by_rows, seed=1).status == "correct"


def test_q2_reference_matches_a_large_row_bootstrap():
    rng = np.random.default_rng(3)
    y = np.repeat([0, 0, 1, 1], [300, 100, 20, 80])
    p = np.repeat([0, 1, 0, 1], [300, 100, 20, 80])
    values = []
    for _ in range(3000):
        idx = rng.integers(0, len(y), len(y))
        tp = np.sum((y[idx] == 1) & (p[idx] == 1))
        values.append(2 * tp / (tp + np.sum(y[idx] == 1) + np.sum(p[idx] == 1) - tp))
    assert abs(np.std(values) / check._bootstrap_f1_sd(300, 100, 20, 80) - 1) < 0.06


# --------------------------------------------------------------------------------------------------- q3


def _b_c(y_true, pred_a, pred_b):
    b = sum(a == t and bb != t for t, a, bb in zip(y_true, pred_a, pred_b, strict=True))
    c = sum(a != t and bb == t for t, a, bb in zip(y_true, pred_a, pred_b, strict=True))
    return b, c


def mcnemar_one_sided(y_true, pred_a, pred_b):
    b, c = _b_c(y_true, pred_a, pred_b)
    return stats.binomtest(min(b, c), b + c, 0.5, alternative="less").pvalue if b + c else 1.0


def two_proportion_z_test(y_true, pred_a, pred_b):
    n = len(y_true)
    acc_a = sum(a == t for t, a in zip(y_true, pred_a, strict=True)) / n
    acc_b = sum(b == t for t, b in zip(y_true, pred_b, strict=True)) / n
    pooled = (acc_a + acc_b) / 2
    if pooled in (0, 1):
        return 1.0
    z = (acc_a - acc_b) / (2 * pooled * (1 - pooled) / n) ** 0.5
    return 2 * stats.norm.sf(abs(z))


def mcnemar_chi_square(y_true, pred_a, pred_b):
    b, c = _b_c(y_true, pred_a, pred_b)
    return stats.chi2.sf((abs(b - c) - 1) ** 2 / (b + c), 1) if b + c else 1.0


def test_q3_reference_equals_statsmodels():
    for case in check.q3.cases(seed=0, n_random=100):
        y, a, b = (np.asarray(v) for v in case.args)
        right_a, right_b = a == y, b == y
        table = [[np.sum(right_a & right_b), np.sum(right_a & ~right_b)], [np.sum(~right_a & right_b), 0]]
        if table[0][1] + table[1][0] == 0:
            assert check._mcnemar_pvalue(y, a, b) == 1.0
            continue
        assert np.isclose(check._mcnemar_pvalue(y, a, b), mcnemar(table, exact=True).pvalue, rtol=1e-12)


# --------------------------------------------------------------------------------------------------- q4


def positives_needed_wald(width, rate, confidence=0.95):
    z = stats.norm.ppf((1 + confidence) / 2)
    return int(np.ceil(4 * z**2 * rate * (1 - rate) / width**2))


def positives_needed_one_short(width, rate, confidence=0.95):
    z = stats.norm.ppf((1 + confidence) / 2)
    n = 1
    while True:
        width_next = 2 * z * np.sqrt(rate * (1 - rate) / (n + 1) + z**2 / (4 * (n + 1) ** 2)) / (1 + z**2 / (n + 1))
        if width_next <= width:  # stops one step early: returns the last n that is still too wide
            return n
        n += 1


test_learner_mistake_is_diagnosed = mistake_diagnosis_test(
    [
        (check.q1, wald_interval, "_wald_interval"),
        (check.q1, wald_interval_clipped, "_wald_clipped"),
        (check.q2, bootstrap_by_class, "_classes_separately"),
        (check.q2, bootstrap_variance, "_variance"),
        (check.q3, mcnemar_one_sided, "_one_sided"),
        (check.q3, two_proportion_z_test, "_unpaired"),
        (check.q3, mcnemar_chi_square, "_chi_square"),
        (check.q4, positives_needed_wald, "_wald_size"),
        (check.q4, positives_needed_one_short, "_one_short"),
    ]
)
