"""The lesson 11 pictures draw what they are given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from course_lib.teaching.plots import plot_coverage, plot_interval_width, plot_intervals, plot_sampling_spread


def teardown_function():
    plt.close("all")


def test_sampling_spread_labels_each_histogram_with_its_sd():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.8, 0.04, 500), rng.normal(0.8, 0.02, 500)
    ax = plot_sampling_spread({"n = 1000": a, "n = 4000": b}, truth=0.8)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"n = 1000 (sd {a.std(ddof=1):.3f})" in labels and "population value 0.800" in labels


def test_coverage_draws_one_line_per_method_and_the_nominal_level():
    p = np.linspace(0.01, 0.99, 50)
    ax = plot_coverage(p, {"Wald": np.full(50, 0.9), "Wilson": np.full(50, 0.95)})
    assert len(ax.lines) == 3
    np.testing.assert_allclose(ax.lines[0].get_xdata(), p)
    assert ax.get_ylim()[0] <= 0.85


def test_intervals_rows_and_bars():
    ax = plot_intervals(["A", "B"], [0.8, 0.7], [0.75, 0.6], [0.85, 0.8], reference=0.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    segments = ax.collections[0].get_segments()
    assert [tuple(s[:, 0]) for s in segments] == [(0.75, 0.85), (0.6, 0.8)]


def test_interval_width_uses_a_log_axis_and_shows_the_target():
    ax = plot_interval_width([100, 1000, 10000], {"recall": [0.2, 0.06, 0.02]}, target=0.1)
    assert ax.get_xscale() == "log" and len(ax.lines) == 2
