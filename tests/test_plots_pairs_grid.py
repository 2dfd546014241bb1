"""The pair grid: its share of correctly ranked pairs is ROC-AUC, and the staircase bounds the winning cells."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from course_lib.teaching.datasets import eight_samples
from course_lib.teaching.plots import pair_outcomes, plot_pair_grid
from course_lib.teaching.plots.pairs_grid import roc_staircase


@st.composite
def both_classes(draw):
    n = draw(st.integers(2, 40))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda v: 0 < sum(v) < len(v)))
    s = draw(st.lists(st.sampled_from([0.0, 0.2, 0.2, 0.5, 0.7, 0.9, 1.0]), min_size=n, max_size=n))
    return np.array(y), np.array(s)


@settings(max_examples=400, deadline=None)
@given(both_classes())
def test_share_of_pairs_is_roc_auc_and_the_staircase_area(case):
    y, s = case
    grid = pair_outcomes(y, s)
    assert np.isclose(grid.auc, roc_auc_score(y, s))
    fpr, tpr = roc_staircase(y, s)
    assert np.isclose(np.trapezoid(tpr, fpr), grid.auc)
    assert grid.wins + grid.ties <= grid.outcomes.size
    assert np.all(np.diff(grid.positive_scores) <= 0) and np.all(np.diff(grid.negative_scores) <= 0)


@settings(max_examples=200, deadline=None)
@given(both_classes())
def test_column_height_under_the_staircase_is_the_column_score(case):
    # Under column j the staircase sits at (positives above negative j + half the tied ones) / P.
    y, s = case
    grid = pair_outcomes(y, s)
    n_pos = grid.outcomes.shape[0]
    column_share = grid.outcomes.sum(axis=0) / n_pos
    fpr, tpr = roc_staircase(y, s)
    n_neg = grid.outcomes.shape[1]
    centers = (np.arange(n_neg) + 0.5) / n_neg
    # Over a column without ties the curve is flat at that height (a tied block is crossed by a diagonal instead).
    untied = ~np.any(grid.outcomes == 0.5, axis=0)
    np.testing.assert_allclose(np.interp(centers, fpr, tpr)[untied], column_share[untied], atol=1e-9)


def test_eight_samples_picture():
    y, s = eight_samples()
    ax, grid = plot_pair_grid(y, s)
    assert (grid.wins, grid.ties, grid.outcomes.size, grid.auc) == (13, 0, 16, 0.8125)
    assert ax.get_title() == "13 of 16 pairs ranked correctly = 0.8125"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.75", "0.5", "0.3", "0.1"]
    plt.close(ax.figure)


def test_ties_are_named_in_the_title():
    ax, grid = plot_pair_grid([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.1])
    assert grid.ties == 1 and grid.auc == 0.875
    assert ax.get_title().startswith("3 + 1 ties × ½ of 4 pairs")
    plt.close(ax.figure)


@pytest.mark.parametrize(("y", "s"), [([1, 1], [0.1, 0.2]), ([0, 2], [0.1, 0.2]), ([0, 1], [0.1])])
def test_bad_input_is_named(y, s):
    with pytest.raises(ValueError, match="`y_"):
        pair_outcomes(y, s)
