"""The number-line picture: its counts are the confusion counts, the slider update moves them, histograms count."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix

from course_lib.teaching.datasets import twenty_samples
from course_lib.teaching.plots import (
    class_histograms,
    number_line_counts,
    plot_score_histograms,
    plot_score_number_line,
    update_score_number_line,
)
from course_lib.teaching.plots.number_line import stacked_offsets


@st.composite
def labelled_scores(draw):
    n = draw(st.integers(1, 40))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    scores = np.array(draw(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0]), min_size=n, max_size=n)))
    threshold = draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.75, 1.0, 1.5]))
    return y, scores, threshold


@settings(max_examples=300, deadline=None)
@given(labelled_scores())
def test_counts_match_scikit_learn_with_ties_at_the_threshold(case):
    y, scores, threshold = case
    tn, fp, fn, tp = confusion_matrix(y, (scores >= threshold).astype(int), labels=[0, 1]).ravel()
    assert number_line_counts(y, scores, threshold) == (tp, fp, tn, fn)


def test_picture_of_the_twenty_samples_shows_the_lesson_counts():
    y, s = twenty_samples()
    handle = plot_score_number_line(y, s, 0.5)
    assert handle.counts == (9, 2, 6, 3)
    texts = {name: label.get_text() for name, label in handle.labels.items()}
    assert texts == {"tp": "TP = 9", "fn": "FN = 3", "fp": "FP = 2", "tn": "TN = 6"}
    # Every sample is drawn once: 12 positives (filled circles) and 8 negatives (squares).
    dots = [line for line in handle.ax.get_lines() if line.get_marker() in ("o", "s")]
    assert sorted(len(line.get_xdata()) for line in dots) == [8, 12]
    # The shaded right side of each row starts at the threshold.
    assert handle.shades["tp"].get_x() == 0.5 and handle.shades["fn"].get_width() == 0.5
    plt.close(handle.ax.figure)


def test_update_moves_line_regions_and_labels():
    y, s = twenty_samples()
    handle = plot_score_number_line(y, s, 0.5)
    same = update_score_number_line(handle, 0.3)
    assert same is handle and handle.counts == (12, 2, 6, 0)
    assert list(handle.line.get_xdata()) == [0.3, 0.3]
    assert handle.labels["fn"].get_text() == "FN = 0" and handle.shades["tp"].get_x() == 0.3
    assert "0.3" in handle.ax.get_title()
    update_score_number_line(handle, 2.0)  # beyond the drawn range: nothing predicted positive
    assert handle.counts == (0, 0, 8, 12) and handle.shades["tp"].get_width() == 0
    plt.close(handle.ax.figure)


def test_stacked_offsets_separate_ties():
    assert stacked_offsets([0.3, 0.3, 0.1, 0.3]).tolist() == [0, 1, 0, 2]


@settings(max_examples=100, deadline=None)
@given(labelled_scores())
def test_histograms_count_every_sample_of_each_class(case):
    y, scores, _ = case
    pos, neg, edges = class_histograms(y, scores, np.linspace(0, 1, 6))
    assert pos.sum() == np.sum(y == 1) and neg.sum() == np.sum(y == 0)
    assert len(edges) == 6


def test_histogram_plot_is_in_counts():
    rng = np.random.default_rng(0)
    y = (rng.random(1000) < 0.1).astype(int)
    s = rng.random(1000)
    ax, pos, neg = plot_score_histograms(y, s, bins=10, threshold=0.5)
    heights = sorted(round(p.get_height()) for p in ax.patches)
    assert sorted(np.r_[pos, neg].tolist()) == heights
    assert pos.sum() + neg.sum() == 1000
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("y", "s", "name"),
    [([0, 2], [0.1, 0.2], "y_true"), ([0, 1], [0.1], "y_score"), ([0, 1], [0.1, np.nan], "y_score")],
)
def test_bad_input_is_named(y, s, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        number_line_counts(y, s, 0.5)
