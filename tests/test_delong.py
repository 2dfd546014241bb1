"""DeLong: placements equal the O(n^2) definition, the SE agrees with the bootstrap, 95 % coverage, no overflow."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from course_lib import bootstrap_interval, delong_test, roc_auc_interval, roc_auc_score
from course_lib.metrics.delong import placements


def brute_force(y, score):
    """The definition: psi for every (positive, negative) pair, O(m n)."""
    x, z = score[y == 1], score[y == 0]
    psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


@st.composite
def labelled_scores(draw, max_n=80):
    n = draw(st.integers(2, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    levels = draw(st.sampled_from([2, 3, 10, 1000]))  # few levels: many ties
    score = rng.integers(0, levels, n) / levels + draw(st.floats(0, 1)) * y
    return y, score


@settings(max_examples=500, deadline=None)
@given(labelled_scores())
def test_placements_equal_the_definition(data):
    y, score = data
    v10, v01 = placements(score[y == 1], score[y == 0])
    b10, b01 = brute_force(y, score)
    np.testing.assert_allclose(v10, b10, rtol=0, atol=1e-12)
    np.testing.assert_allclose(v01, b01, rtol=0, atol=1e-12)
    result = roc_auc_interval(y, score)
    assert result.estimate == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    m, n = len(b10), len(b01)
    variance = (b10.var(ddof=1) / m if m > 1 else 0) + (b01.var(ddof=1) / n if n > 1 else 0)
    assert result.std_error == pytest.approx(math.sqrt(variance), abs=1e-12)
    assert 0.0 <= result.low <= result.estimate <= result.high <= 1.0


@settings(max_examples=300, deadline=None)
@given(labelled_scores(), st.integers(0, 2**32 - 1))
def test_paired_test_equals_the_definition(data, seed):
    y, score_a = data
    score_b = np.random.default_rng(seed).permutation(score_a) * 0.5 + score_a * 0.5
    a10, a01 = brute_force(y, score_a)
    b10, b01 = brute_force(y, score_b)
    m, n = len(a10), len(a01)
    cov10 = np.cov(a10, b10) if m > 1 else np.zeros((2, 2))
    cov01 = np.cov(a01, b01) if n > 1 else np.zeros((2, 2))
    s = cov10 / m + cov01 / n
    variance = s[0, 0] + s[1, 1] - 2 * s[0, 1]
    result = delong_test(y, score_a, score_b)
    assert result.difference == pytest.approx(a10.mean() - b10.mean(), abs=1e-12)
    assert result.std_error == pytest.approx(math.sqrt(max(variance, 0)), abs=1e-9)
    assert 0.0 <= result.pvalue <= 1.0


def test_identical_scores_are_no_difference():
    y = np.array([0, 1, 0, 1, 1])
    s = np.array([0.1, 0.7, 0.4, 0.3, 0.9])
    assert delong_test(y, s, s) == (0.0, 0.0, 0.0, 1.0)


def test_paired_test_is_antisymmetric():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    a, b = rng.normal(size=300) + y, rng.normal(size=300) + 0.5 * y
    ab, ba = delong_test(y, a, b), delong_test(y, b, a)
    assert ab.difference == pytest.approx(-ba.difference)
    assert ab.pvalue == pytest.approx(ba.pvalue)


def test_standard_error_agrees_with_the_bootstrap():
    rng = np.random.default_rng(2)
    y = (rng.random(2000) < 0.3).astype(int)
    score = rng.normal(size=2000) + 1.2 * y
    delong = roc_auc_interval(y, score)
    boot = bootstrap_interval(roc_auc_score, y, score, n_resamples=3000, random_state=3)
    assert boot.resamples.std(ddof=1) == pytest.approx(delong.std_error, rel=0.06)
    assert boot.low == pytest.approx(delong.low, abs=0.006)
    assert boot.high == pytest.approx(delong.high, abs=0.006)


def test_coverage_at_moderate_n():
    """Binormal scores with a shift d: the true AUC is Phi(d / sqrt 2); 95 % intervals hold it 93-97 % of the time."""
    rng = np.random.default_rng(4)
    d, m, n, repetitions = 1.2, 150, 250, 2000
    true_auc = stats.norm.cdf(d / math.sqrt(2))
    y = np.r_[np.ones(m, int), np.zeros(n, int)]
    hits = 0
    for _ in range(repetitions):
        score = np.r_[rng.normal(d, 1, m), rng.normal(0, 1, n)]
        result = roc_auc_interval(y, score)
        hits += result.low <= true_auc <= result.high
    assert 0.93 <= hits / repetitions <= 0.97


def test_interval_stays_inside_zero_one():
    y = np.array([0] * 30 + [1] * 5)
    score = np.r_[np.linspace(0, 0.5, 30), [0.45, 0.9, 0.95, 0.97, 0.99]]
    result = roc_auc_interval(y, score)
    assert result.estimate > 0.98 and result.high == 1.0
    perfect = roc_auc_interval(y, np.r_[np.zeros(30), np.ones(5)])
    assert perfect == (1.0, 1.0, 1.0, 0.0)


def test_no_overflow_where_pROC_once_failed():
    """n = 144,720 (m n > 2^31): the estimate equals roc_auc_score and the interval is a proper interval."""
    rng = np.random.default_rng(5)
    n = 144_720
    y = (rng.random(n) < 0.5).astype(np.int32)
    score = (rng.normal(size=n) + y).astype(np.float32)
    result = roc_auc_interval(y, score)
    assert result.estimate == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert 0 < result.std_error < 0.01
    assert 0 < result.low < result.estimate < result.high < 1


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "name"),
    [
        (([1, 1, 1], [0.1, 0.2, 0.3]), {}, ValueError, "y_true"),
        (([0, 1, 1], [0.1, 0.2]), {}, ValueError, "y_true"),
        (([0, 1, 2], [0.1, 0.2, 0.3]), {}, ValueError, "y_true"),
        (([0, 1], [0.1, np.nan]), {}, ValueError, "y_score"),
        (([0, 1], [0.1, 0.2]), {"confidence": 1.5}, ValueError, "confidence"),
    ],
)
def test_bad_input_names_the_argument(args, kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        roc_auc_interval(*args, **kwargs)


def test_delong_test_bad_input():
    with pytest.raises(ValueError, match="`score_a`|`y_true`"):
        delong_test([0, 1, 1], [0.1, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="`score_a`"):
        delong_test([0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2])
    with pytest.raises(ValueError, match="`y_true`"):
        delong_test([0, 0, 0], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3])


def test_the_case_where_confidenceinterval_returned_an_auc_above_one():
    """jacobgil/confidenceinterval issue #15: delong_roc_variance gave 1.0000001 on these 50 cases."""
    y = np.array([0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1])
    y = np.r_[y, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1]]
    score = np.array(
        [0.00721543, 0.53823202, 0.8211329, 0.24135367, 0.61904833, 0.51323922, 0.50633062, 0.32820338, 0.0909322,
         0.75047184, 0.68729921, 0.9778512, 0.71006862, 0.4194739, 0.31955396, 0.84841144, 0.75825972, 0.9168877,
         0.86957666, 0.29215992, 0.77219873, 0.87827124, 0.57069033, 0.5206118, 0.73469778, 0.54911986, 0.63431484,
         0.69279543, 0.96744707, 0.98569492, 0.82269733, 0.9818143, 0.57780473, 0.86393161, 0.69898409, 0.95322689,
         0.66892306, 0.82946166, 0.78274066, 0.84924395, 0.87428222, 0.37256549, 0.33853178, 0.79422342, 0.14013082,
         0.98968488, 0.2856893, 0.95359197, 0.13624191, 0.72447603]
    )  # fmt: skip
    assert roc_auc_interval(y, score) == (1.0, 1.0, 1.0, 0.0)
