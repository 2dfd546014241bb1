"""The expected-cost curve: the numbers it draws are the counts' costs, and the cost-derived threshold is the minimum."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402

from course_lib.teaching import plots  # noqa: E402
from course_lib.teaching.costs import cost_derived_threshold, mean_cost_at_thresholds  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _cost_by_loop(y_true, y_prob, threshold, c_fp, c_fn):
    tn, fp, fn, tp = confusion_matrix(y_true, (np.asarray(y_prob) >= threshold).astype(int), labels=[0, 1]).ravel()
    return (c_fp * fp + c_fn * fn) / len(y_true)


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(st.tuples(st.integers(0, 1), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])), min_size=1),
    thresholds=st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.5, 0.9, 1.0, 1.5]), min_size=1, max_size=6),
    c_fp=st.floats(0.01, 100),
    c_fn=st.floats(0.01, 100),
)
def test_mean_cost_equals_the_cost_of_the_confusion_counts(data, thresholds, c_fp, c_fn):
    y_true, y_prob = (np.array(column) for column in zip(*data, strict=True))
    ours = mean_cost_at_thresholds(y_true, y_prob, thresholds, c_fp=c_fp, c_fn=c_fn)
    expected = [_cost_by_loop(y_true, y_prob, t, c_fp, c_fn) for t in thresholds]
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(c_fp=st.floats(0.01, 100), c_fn=st.floats(0.01, 100), seed=st.integers(0, 10**6))
def test_cost_derived_threshold_minimises_the_expected_cost_of_calibrated_probabilities(c_fp, c_fn, seed):
    # With labels drawn from the probabilities, the *expected* cost at t is sum over p >= t of c_fp (1 - p)
    # plus sum over p < t of c_fn p; the threshold c_fp / (c_fp + c_fn) minimises it over every t.
    p = np.random.default_rng(seed).random(200)
    grid = np.linspace(0, 1, 401)
    expected_cost = [np.sum(np.where(p >= t, c_fp * (1 - p), c_fn * p)) for t in grid]
    star = cost_derived_threshold(c_fp=c_fp, c_fn=c_fn)
    at_star = np.sum(np.where(p >= star, c_fp * (1 - p), c_fn * p))
    assert at_star <= min(expected_cost) + 1e-9 * max(1.0, at_star)


def test_cost_derived_threshold_values_and_errors():
    assert cost_derived_threshold(c_fp=1, c_fn=1) == 0.5
    assert cost_derived_threshold(c_fp=1, c_fn=10) == 1 / 11
    with pytest.raises(ValueError, match="`c_fn`"):
        cost_derived_threshold(c_fp=1, c_fn=0)
    with pytest.raises(TypeError, match="`c_fp`"):
        cost_derived_threshold(c_fp="1", c_fn=2)
    with pytest.raises(ValueError, match="`c_fp`"):
        mean_cost_at_thresholds([0, 1], [0.2, 0.8], [0.5], c_fp=np.nan, c_fn=1)


def test_plot_expected_cost_draws_the_curve_and_marks_both_thresholds():
    y_true = np.array([0, 0, 0, 1, 1, 0, 1, 0])
    y_prob = np.array([0.05, 0.2, 0.3, 0.4, 0.9, 0.6, 0.15, 0.1])
    grid = np.array([0.1, 0.2, 0.5, 0.8])
    ax = plots.plot_expected_cost(y_true, y_prob, c_fp=1, c_fn=4, thresholds=grid, tuned_threshold=0.5)
    curve = ax.lines[0]
    np.testing.assert_allclose(curve.get_xdata(), grid)
    np.testing.assert_allclose(curve.get_ydata(), [_cost_by_loop(y_true, y_prob, t, 1, 4) for t in grid])
    labels = [line.get_label() for line in ax.lines]
    assert "c_FP / (c_FP + c_FN) = 0.2000" in labels and "tuned threshold = 0.50" in labels
    dots = [line for line in ax.lines if line.get_marker() in ("o", "s")]
    np.testing.assert_allclose(
        [d.get_ydata()[0] for d in dots], [_cost_by_loop(y_true, y_prob, t, 1, 4) for t in (0.2, 0.5)]
    )
    assert ax.get_xlabel().startswith("Threshold") and ax.get_ylabel() == "Mean cost per sample"


def test_two_curves_on_one_axes_share_one_marker_line():
    y_true, y_prob = np.array([0, 1, 0, 1]), np.array([0.1, 0.7, 0.4, 0.3])
    ax = plots.plot_expected_cost(y_true, y_prob, c_fp=1, c_fn=9, label="a")
    plots.plot_expected_cost(y_true, y_prob**2, c_fp=1, c_fn=9, label="b", ax=ax)
    assert [line.get_label() for line in ax.lines].count("c_FP / (c_FP + c_FN) = 0.1000") == 1
    assert {"a", "b"} <= {line.get_label() for line in ax.lines}
