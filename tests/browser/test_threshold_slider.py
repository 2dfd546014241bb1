"""Lesson 04 in a real JupyterLab: the threshold slider moves the confusion counts and F1.

Unit tests prove ``course_lib.teaching.widgets.threshold`` computes the right numbers; this proves
a learner gets them: the lesson runs in JupyterLab, the slider answers the keyboard, and
the text it shows after each move is exactly ``format_view(threshold_view(...))`` for the
slider's new threshold, computed here from the definition (the widget itself answers
from a precomputed sweep, so the two paths are independent).
"""

from __future__ import annotations

import pytest

from course_lib.teaching.datasets import twenty_samples
from course_lib.teaching.widgets.threshold import READOUT_CLASS, format_view, threshold_view

pytestmark = pytest.mark.browser

NOTEBOOK = "04_threshold.ipynb"
READOUT = f"pre.{READOUT_CLASS}"
START = 0.5  # the lesson's threshold_explorer(..., threshold=0.5)


def expected_text(threshold: float) -> str:
    """What the lesson's widget must show at ``threshold`` (it explores the twenty worked samples)."""
    y_true, y_score = twenty_samples()
    return format_view(threshold_view(y_true, y_score, round(threshold, 2)))


def test_arrow_keys_move_the_counts_and_f1(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "04_threshold-arrows"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="threshold")
        assert slider.value() == START
        slider.wait_for_text(expected_text(START))

        # 0.50 -> 0.57 crosses the sample scored exactly 0.55 (positive at t = 0.55, negative from 0.56),
        # then back to 0.55: the false positives go 2 -> 1 -> 2 and F1 0.7826 -> 0.8182 -> 0.7826.
        moves = ["ArrowRight"] * 7 + ["ArrowLeft"] * 2
        threshold, texts = slider.step_through(moves, START, expected_text)
        shown = {text.splitlines()[1] for text in texts}  # the TP/FP/TN/FN line
        assert threshold == 0.55
        assert len(shown) == 2, f"the counts should have changed at 0.56 and back at 0.55, saw {shown}"
        assert len(slider.latencies_ms("pictured")) == len(moves), "the figure did not change with the slider"
        slider.assert_presses_answered(len(moves), "lesson 04 threshold slider")


def test_typed_thresholds_show_best_f1_and_undefined_precision(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "04_threshold-typed"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="threshold")
        for typed, meaning in [("0.3", "F1 = 0.9231"), ("0.97", "undefined: precision")]:
            slider.type_and_check(typed, expected_text)
            assert meaning in slider.text()
        print(f"\nlesson 04 threshold slider, typed values included: {slider.latency_report()}")


def test_both_ends_of_the_slider_numbers_and_aria_values(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "04-ends"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="threshold")
        slider.check_threshold_ends(expected_text, tmp_path, "04")
