"""Iso-F-beta curves: every point of a contour has the contour's F-beta; the formula matches scikit-learn."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import fbeta_score

from course_lib.teaching.plots import fbeta_from_precision_recall, iso_fbeta_precision, plot_iso_fbeta


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 1), min_size=2, max_size=30),
    st.lists(st.integers(0, 1), min_size=2, max_size=30),
    st.sampled_from([0.5, 1.0, 2.0, 3.0]),
)
def test_fbeta_from_precision_recall_matches_scikit_learn(y_true, y_pred, beta):
    n = min(len(y_true), len(y_pred))
    y_true, y_pred = np.array(y_true[:n]), np.array(y_pred[:n])
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    expected = fbeta_score(y_true, y_pred, beta=beta, zero_division=0.0)
    if tp + fp and tp + fn:
        assert np.isclose(fbeta_from_precision_recall(p, r, beta), expected)


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("level", [0.1, 0.4, 0.7826, 0.95])
def test_every_point_of_a_contour_has_its_level(beta, level):
    recalls = np.linspace(0.01, 1, 500)
    p = iso_fbeta_precision(recalls, level, beta)
    ok = np.isfinite(p)
    assert ok.sum() > 10
    np.testing.assert_allclose(fbeta_from_precision_recall(p[ok], recalls[ok], beta), level)
    assert np.all((p[ok] >= 0) & (p[ok] <= 1 + 1e-12))
    # Below the recall the level needs (at precision 1), no precision reaches it.
    r_min = level * beta**2 / (1 + beta**2 - level)  # F-beta at precision 1 is (1 + b^2) r / (b^2 + r)
    assert np.all(~ok[recalls < r_min - 1e-9])


def test_lesson_point_lies_on_its_contour():
    assert round(float(iso_fbeta_precision(0.75, 18 / 23)), 4) == 0.8182
    assert round(fbeta_from_precision_recall(9 / 11, 0.75, 2.0), 4) == 0.7627


def test_plot_labels_the_model_point():
    ax = plot_iso_fbeta(9 / 11, 0.75, beta=2.0, levels=(0.3, 0.6))
    texts = [t.get_text() for t in ax.texts]
    assert "the model: F2 = 0.7627" in texts
    assert "F2 = 0.3" in texts and "F2 = 0.6" in texts
    assert ax.get_xlabel() == "Recall" and ax.get_ylabel() == "Precision"
    plt.close(ax.figure)


@pytest.mark.parametrize(("beta", "error"), [(0, ValueError), (-1, ValueError), ("2", TypeError), (True, TypeError)])
def test_bad_beta_is_named(beta, error):
    with pytest.raises(error, match="`beta`"):
        fbeta_from_precision_recall(0.5, 0.5, beta)


def test_bad_level_is_named():
    with pytest.raises(ValueError, match="`level`"):
        iso_fbeta_precision(0.5, 1.0)
