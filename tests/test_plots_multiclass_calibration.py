"""The K-class reliability diagrams draw exactly the per-bin counts the ECEs come from."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import softmax

from course_lib.metrics.multiclass_calibration import reliability_counts
from course_lib.teaching import plots


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    y_prob = softmax(rng.normal(size=(400, 3)) * 2, axis=1)
    return rng.integers(0, 3, 400), y_prob


def test_top_label_diagram_plots_the_non_empty_bins_and_shows_the_ece(data):
    bins = reliability_counts(*data, n_bins=10)
    ax = plots.plot_top_label_reliability(bins)
    curve = [line for line in ax.lines if line.get_label().startswith("top label")][0]
    np.testing.assert_allclose(curve.get_xdata(), bins.prob_pred(0))
    np.testing.assert_allclose(curve.get_ydata(), bins.prob_true(0))
    assert f"{bins.row_errors()[0]:.4f}" in curve.get_label()
    plt.close(ax.figure)


def test_classwise_diagram_draws_one_curve_per_class_and_the_mean_in_the_title(data):
    bins = reliability_counts(*data, multiclass="classwise", n_bins=10)
    ax = plots.plot_classwise_reliability(bins, class_names=["cat", "dog", "owl"])
    curves = [line for line in ax.lines if line.get_label().startswith("class ")]
    assert [c.get_label().split(" (")[0] for c in curves] == ["class cat", "class dog", "class owl"]
    for row, curve in enumerate(curves):
        np.testing.assert_allclose(curve.get_ydata(), bins.prob_true(row))
    assert f"{bins.row_errors().mean():.4f}" in ax.get_title()
    assert sum(line.get_label() == "perfectly calibrated" for line in ax.lines) == 1
    plt.close(ax.figure)
