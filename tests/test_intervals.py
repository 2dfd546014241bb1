"""proportion_interval against statsmodels, its coverage by simulation, and sample_size_for_width."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from course_lib import proportion_interval, sample_size_for_width
from course_lib.metrics.intervals import wilson_width

STATSMODELS_NAME = {"wilson": "wilson", "wald": "normal", "clopper-pearson": "beta"}


@st.composite
def counts(draw):
    n = draw(st.integers(1, 2000))
    x = draw(st.one_of(st.just(0), st.just(n), st.integers(0, n)))  # 0 and n successes drawn often
    return x, n


@settings(max_examples=1000, deadline=None)
@given(counts(), st.sampled_from(sorted(STATSMODELS_NAME)), st.floats(0.5, 0.999))
def test_equal_to_statsmodels(xn, method, confidence):
    x, n = xn
    ours = proportion_interval(x, n, confidence=confidence, method=method)
    low, high = proportion_confint(x, n, alpha=1 - confidence, method=STATSMODELS_NAME[method])
    assert ours.low == pytest.approx(low, abs=1e-12)
    assert ours.high == pytest.approx(high, abs=1e-12)
    assert 0.0 <= ours.low <= x / n <= ours.high <= 1.0


def _coverage(n, p, method, repetitions=20_000, seed=0):
    """Share of simulated binomial samples whose interval holds p (each x's interval computed once)."""
    table = np.array([proportion_interval(x, n, method=method) for x in range(n + 1)])
    x = np.random.default_rng(seed).binomial(n, p, size=repetitions)
    return np.mean((table[x, 0] <= p) & (p <= table[x, 1]))


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_wilson_covers_about_95_percent_at_moderate_n(p):
    assert 0.93 <= _coverage(200, p, "wilson") <= 0.97


def test_clopper_pearson_covers_at_least_95_percent():
    for p in (0.03, 0.2, 0.5):
        assert _coverage(50, p, "clopper-pearson") >= 0.945


def test_wald_under_covers_at_small_n_and_extreme_rate():
    wald, wilson = _coverage(20, 0.05, "wald"), _coverage(20, 0.05, "wilson")
    assert wald < 0.70  # far below the nominal 95 %: x = 0 (36 % of samples) gives the interval [0, 0]
    assert wilson > 0.90  # Wilson dips below 95 % too at n = 20 (92.6 % here), far less than Wald


def test_wald_at_zero_successes_is_a_single_point():
    assert proportion_interval(0, 30, method="wald") == (0.0, 0.0)
    assert proportion_interval(0, 30).high > 0.1


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"successes": 0, "trials": 0}, ValueError, "trials"),
        ({"successes": 5, "trials": 3}, ValueError, "successes"),
        ({"successes": -1, "trials": 3}, ValueError, "successes"),
        ({"successes": 2.5, "trials": 3}, ValueError, "successes"),
        ({"successes": "2", "trials": 3}, TypeError, "successes"),
        ({"successes": 1, "trials": 3, "confidence": 1.0}, ValueError, "confidence"),
        ({"successes": 1, "trials": 3, "confidence": 0}, ValueError, "confidence"),
        ({"successes": 1, "trials": 3, "confidence": 95}, ValueError, "confidence"),
        ({"successes": 1, "trials": 3, "confidence": "95%"}, TypeError, "confidence"),
        ({"successes": 1, "trials": 3, "method": "agresti"}, ValueError, "method"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, name):
    successes, trials = kwargs.pop("successes"), kwargs.pop("trials")
    with pytest.raises(error, match=f"`{name}`"):
        proportion_interval(successes, trials, **kwargs)


def test_integral_floats_are_counts():
    assert proportion_interval(3.0, 10.0) == proportion_interval(3, 10)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 0.5), st.floats(0.0, 1.0), st.floats(0.01, 1.0))
def test_sample_size_for_width_is_the_smallest(width, rate, share):
    n = sample_size_for_width(width, rate, share=share)
    trials = int(np.floor(n * share))
    assert wilson_width(rate, trials) <= width + 1e-12
    smaller = int(np.ceil((n - 1) * share)) if n > 1 else 0
    if smaller >= 1 and np.ceil(smaller / share) < n:
        assert wilson_width(rate, smaller) > width


def test_sample_size_grows_as_prevalence_falls():
    sizes = [sample_size_for_width(0.1, 0.8, share=s) for s in (0.5, 0.1, 0.01)]
    assert sizes[0] < sizes[1] < sizes[2]
    assert sizes[2] == pytest.approx(100 * sizes[0] / 2, rel=0.01)


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [((0.0, 0.5), ValueError, "width"), ((0.1, 1.5), ValueError, "rate"), ((0.1, 0.5, 0.0), ValueError, "share")],
)
def test_sample_size_bad_input(args, error, name):
    width, rate, *share = args
    with pytest.raises(error, match=f"`{name}`"):
        sample_size_for_width(width, rate, share=share[0] if share else 1.0)
