"""Prevalence shift (precision at a new prevalence, prior adjustment, EM estimate of the prior) and alert budgets
(precision@k, recall@k, TPR at a maximum FPR), each against an independent reference: exact counts, Bayes' rule,
simulation, a from-scratch sort, scikit-learn's roc_curve.
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from course_lib import (
    adjust_to_prevalence,
    estimate_prevalence,
    precision_at_k,
    precision_at_prevalence,
    precision_recall_gain,
    recall_at_k,
    tpr_at_fpr,
)

# --------------------------------------------------------------------------- precision at a new prevalence


@settings(max_examples=2000, deadline=None)
@given(tp=st.integers(0, 500), fn=st.integers(0, 500), fp=st.integers(0, 500), tn=st.integers(0, 500))
def test_precision_at_prevalence_equals_the_counts_of_a_test_set_at_that_prevalence(tp, fn, fp, tn):
    positives, negatives = tp + fn, fp + tn
    if positives == 0 or negatives == 0 or tp + fp == 0:
        return
    ours = precision_at_prevalence(tp / positives, fp / negatives, positives / (positives + negatives))
    assert ours == pytest.approx(tp / (tp + fp), rel=1e-12)


def test_precision_at_prevalence_is_what_resampling_at_that_prevalence_measures():
    """Measure TPR and FPR at prevalence 0.5, then draw big test sets at prevalence 0.02 and measure precision."""
    rng = np.random.default_rng(1)
    threshold = 1.0
    tpr, fpr = norm.sf(threshold, loc=2.0), norm.sf(threshold)  # positives ~ N(2, 1), negatives ~ N(0, 1)
    predicted = precision_at_prevalence(tpr, fpr, 0.02)
    misses = 0
    for _ in range(40):
        y = rng.random(200_000) < 0.02
        score = rng.normal(np.where(y, 2.0, 0.0), 1.0)
        alarms = score >= threshold
        measured = (alarms & y).sum() / alarms.sum()
        standard_error = np.sqrt(predicted * (1 - predicted) / alarms.sum())  # a proportion among the alarms
        misses += abs(measured - predicted) > 3 * standard_error
    assert misses <= 2  # P(|z| > 3) = 0.0027 per draw; 3 or more misses in 40 has probability below 1e-4


def test_precision_at_prevalence_broadcasts_and_handles_nothing_predicted():
    values = precision_at_prevalence(np.array([1.0, 0.5, 0.0]), np.array([0.0, 0.5, 0.0]), 0.2, zero_division=np.nan)
    assert values[0] == 1.0 and values[1] == pytest.approx(0.2) and np.isnan(values[2])
    with pytest.warns(UserWarning, match="ill-defined"):
        assert precision_at_prevalence(0.0, 0.0, 0.3) == 0.0


# --------------------------------------------------------------------------- prior adjustment


@settings(max_examples=2000, deadline=None)
@given(
    p=st.floats(1e-6, 1 - 1e-6),
    from_prevalence=st.floats(1e-4, 1 - 1e-4),
    to_prevalence=st.floats(1e-4, 1 - 1e-4),
)
def test_adjustment_is_bayes_rule_on_the_odds(p, from_prevalence, to_prevalence):
    odds = p / (1 - p) * (to_prevalence / (1 - to_prevalence)) / (from_prevalence / (1 - from_prevalence))
    ours = adjust_to_prevalence([p], from_prevalence=from_prevalence, to_prevalence=to_prevalence)[0]
    assert ours == pytest.approx(odds / (1 + odds), rel=1e-9, abs=1e-300)
    back = adjust_to_prevalence([ours], from_prevalence=to_prevalence, to_prevalence=from_prevalence)[0]
    assert back == pytest.approx(p, rel=1e-6, abs=1e-12)


def test_adjustment_gives_the_true_posterior_at_the_new_prevalence():
    """Two Gaussian classes: the exact posterior at prevalence 0.5, adjusted to 0.05, is the exact posterior at 0.05."""
    x = np.linspace(-4, 6, 101)
    likelihood_1, likelihood_0 = norm.pdf(x, loc=2.0), norm.pdf(x)

    def posterior(prior):
        return prior * likelihood_1 / (prior * likelihood_1 + (1 - prior) * likelihood_0)

    adjusted = adjust_to_prevalence(posterior(0.5), from_prevalence=0.5, to_prevalence=0.05)
    np.testing.assert_allclose(adjusted, posterior(0.05), rtol=1e-12)
    assert adjust_to_prevalence([0.0, 1.0], from_prevalence=0.3, to_prevalence=0.9).tolist() == [0.0, 1.0]


def test_em_recovers_a_known_shifted_prior():
    """The EM estimate is the maximum-likelihood prior; its standard error is 1 / sqrt(n I), I the Fisher information.

    With known class densities f1, f0, the log-likelihood of pi is sum log(pi f1 + (1 - pi) f0), so
    I(pi) = E[(f1 - f0)^2 / (pi f1 + (1 - pi) f0)^2]. We estimate I by Monte Carlo and require each of 30 estimates
    to lie within 4 standard errors (probability 6e-5 each of failing by chance).
    """
    rng = np.random.default_rng(3)
    true_prior, n = 0.1, 5_000

    def sample(size):
        y = rng.random(size) < true_prior
        x = rng.normal(np.where(y, 2.0, 0.0), 1.0)
        f1, f0 = norm.pdf(x, loc=2.0), norm.pdf(x)
        return f1, f0, f1 / (f1 + f0)  # the posterior calibrated at the training prior 0.5

    f1, f0, _ = sample(200_000)
    information = np.mean((f1 - f0) ** 2 / (true_prior * f1 + (1 - true_prior) * f0) ** 2)
    standard_error = 1 / np.sqrt(n * information)
    errors = []
    for _ in range(30):
        _, _, probability = sample(n)
        estimate = estimate_prevalence(probability, train_prevalence=0.5)
        errors.append(estimate - true_prior)
        assert abs(estimate - true_prior) < 4 * standard_error
    assert abs(np.mean(errors)) < 4 * standard_error / np.sqrt(30)
    assert np.mean(sample(n)[2]) > 0.2  # the unadjusted mean is far off (the reason for EM)


def test_em_fixed_point_is_self_consistent():
    rng = np.random.default_rng(0)
    p = rng.beta(2, 5, 1000)
    estimate = estimate_prevalence(p, train_prevalence=0.4)
    adjusted = adjust_to_prevalence(p, from_prevalence=0.4, to_prevalence=estimate)
    assert adjusted.mean() == pytest.approx(estimate, abs=1e-8)


def test_precision_recall_gain_definition():
    precision_gain, recall_gain = precision_recall_gain(
        np.array([0.2, 0.6, 1.0]), np.array([0.2, 0.5, 1.0]), prevalence=0.2
    )
    np.testing.assert_allclose(precision_gain, [0.0, (0.6 - 0.2) / (0.8 * 0.6), 1.0])
    np.testing.assert_allclose(recall_gain, [0.0, (0.5 - 0.2) / (0.8 * 0.5), 1.0])
    assert precision_recall_gain(0.0, 0.5, prevalence=0.5)[0] == -np.inf


# --------------------------------------------------------------------------- budgets


def _expected_tp_at_k_by_sorting(y, score, k):
    """From scratch: sort descending; each case scored above the k-th score is in, a tied case is in with
    probability (k - above) / (size of the tied block)."""
    kth = np.sort(score)[::-1][k - 1]
    above = score > kth
    tied = score == kth
    share = (k - above.sum()) / tied.sum()
    return y[above].sum() + share * y[tied].sum()


@st.composite
def scored_labels(draw):
    n = draw(st.integers(1, 50))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    score = np.array(draw(st.lists(st.integers(0, draw(st.integers(1, 12))), min_size=n, max_size=n))) / 4
    k = draw(st.integers(1, n))
    return y, score, k


@settings(max_examples=3000, deadline=None)
@given(case=scored_labels())
def test_precision_and_recall_at_k_equal_a_from_scratch_sort(case):
    y, score, k = case
    expected_tp = _expected_tp_at_k_by_sorting(y, score, k)
    assert precision_at_k(y, score, k=k) == pytest.approx(expected_tp / k, rel=1e-12, abs=1e-15)
    if y.sum() > 0:
        assert recall_at_k(y, score, k=k) == pytest.approx(expected_tp / y.sum(), rel=1e-12, abs=1e-15)


def test_without_ties_precision_at_k_is_the_positives_among_the_top_k():
    rng = np.random.default_rng(0)
    y, score = rng.integers(0, 2, 300), rng.random(300)
    for k in (1, 7, 150, 300):
        top = np.argsort(-score)[:k]
        assert precision_at_k(y, score, k=k) == y[top].mean()


def test_ties_at_the_cut_are_the_average_over_random_tie_orders():
    rng = np.random.default_rng(0)
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    score = np.array([0.9, 0.7, 0.7, 0.7, 0.7, 0.2, 0.1, 0.1])
    draws = [y[np.lexsort((rng.random(len(y)), -score))][:3].mean() for _ in range(20_000)]
    assert precision_at_k(y, score, k=3) == pytest.approx(np.mean(draws), abs=0.01)
    assert precision_at_k(y, score, k=3) == pytest.approx((1 + 2 * 2 / 4) / 3)


@settings(max_examples=3000, deadline=None)
@given(case=scored_labels(), max_fpr=st.sampled_from([0.01, 0.1, 0.25, 1 / 3, 0.5, 0.75, 1.0]))
def test_tpr_at_fpr_is_the_best_roc_point_within_the_budget(case, max_fpr):
    y, score, _ = case
    if y.min() == y.max():
        return
    fpr, tpr, _ = skm.roc_curve(y, score, drop_intermediate=False)
    assert tpr_at_fpr(y, score, max_fpr=max_fpr) == tpr[fpr <= max_fpr].max()


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: precision_at_k([1, 0], [0.2, 0.1], k=0), ValueError, "`k`"),
        (lambda: precision_at_k([1, 0], [0.2, 0.1], k=3), ValueError, "`k`"),
        (lambda: recall_at_k([1, 0], [0.2, 0.1], k=1.5), TypeError, "`k`"),
        (lambda: recall_at_k([0, 0], [0.2, 0.1], k=1), ValueError, "`y_true`"),
        (lambda: precision_at_k([1, 0], [0.2], k=1), ValueError, "`y_true`"),
        (lambda: tpr_at_fpr([1, 0], [0.2, 0.1], max_fpr=0), ValueError, "`max_fpr`"),
        (lambda: tpr_at_fpr([1, 0], [0.2, 0.1], max_fpr=1.5), ValueError, "`max_fpr`"),
        (lambda: tpr_at_fpr([1, 1], [0.2, 0.1], max_fpr=0.5), ValueError, "`y_true`"),
        (lambda: precision_at_prevalence(0.9, 0.1, 0), ValueError, "`prevalence`"),
        (lambda: precision_at_prevalence(0.9, 0.1, 1.0), ValueError, "`prevalence`"),
        (lambda: precision_at_prevalence(0.9, 0.1, float("nan")), ValueError, "`prevalence`"),
        (lambda: precision_at_prevalence(0.9, 0.1, True), TypeError, "`prevalence`"),
        (lambda: precision_at_prevalence(1.2, 0.1, 0.5), ValueError, "`tpr`"),
        (lambda: precision_at_prevalence(0.9, -0.1, 0.5), ValueError, "`fpr`"),
        (lambda: adjust_to_prevalence([0.5, 1.2], from_prevalence=0.5, to_prevalence=0.1), ValueError, "`y_prob`"),
        (lambda: adjust_to_prevalence([0.5], from_prevalence=0.0, to_prevalence=0.1), ValueError, "`from_prevalence`"),
        (lambda: adjust_to_prevalence([0.5], from_prevalence=0.5, to_prevalence=2), ValueError, "`to_prevalence`"),
        (lambda: estimate_prevalence([0.5], train_prevalence=1), ValueError, "`train_prevalence`"),
        (lambda: estimate_prevalence([[0.5]], train_prevalence=0.5), ValueError, "`y_prob`"),
        (
            lambda: estimate_prevalence([0.2, 0.7], train_prevalence=0.5, max_iter=1, tol=1e-12),
            ValueError,
            "`max_iter`",
        ),
    ],
)
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
