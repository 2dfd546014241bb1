"""The lesson 12 plots draw what their pure functions compute."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import precision_at_prevalence
from course_lib.teaching.plots import plot_group_rates, plot_precision_vs_prevalence
from course_lib.teaching.plots.shift import precision_prevalence_curve


def test_curve_is_precision_at_each_prevalence():
    prevalences, precision = precision_prevalence_curve(0.8, 0.1, [0.01, 0.5])
    assert precision.tolist() == [precision_at_prevalence(0.8, 0.1, 0.01), precision_at_prevalence(0.8, 0.1, 0.5)]
    prevalences, _ = precision_prevalence_curve(0.8, 0.1)
    assert len(prevalences) == 200 and prevalences[0] == pytest.approx(0.001)


def test_precision_plot_draws_the_curve_the_baseline_and_the_marks():
    ax = plot_precision_vs_prevalence(0.7, 0.08, marks={"clinic": (0.3, 0.78)})
    curve, baseline, mark = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), precision_prevalence_curve(0.7, 0.08)[1])
    np.testing.assert_allclose(baseline.get_ydata(), baseline.get_xdata())
    assert mark.get_xdata().tolist() == [0.3] and mark.get_ydata().tolist() == [0.78]
    assert ax.get_xscale() == "log"
    plt.close("all")


def test_group_rates_plot_has_one_point_and_one_interval_per_group():
    ax = plot_group_rates({"A": 0.7, "B": 0.5}, intervals={"A": (0.6, 0.8), "B": (0.2, 0.8)})
    assert ax.lines[-1].get_ydata().tolist() == [0.7, 0.5]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]
    segments = ax.collections[0].get_segments()
    assert [tuple(s[:, 1]) for s in segments] == [pytest.approx((0.6, 0.8)), pytest.approx((0.2, 0.8))]
    plt.close("all")
