"""Lesson 05 in a real JupyterLab: the operating-point slider moves TPR, FPR, precision and recall.

The lesson runs in JupyterLab, the slider answers the keyboard, and after each move the
text the widget shows is exactly ``format_operating_point(operating_point(...))`` for the
slider's new threshold, computed here from the definition (the widget answers from a
precomputed sweep, so the two paths are independent).
"""

from __future__ import annotations

import pytest

from course_lib.teaching.datasets import eight_samples
from course_lib.teaching.widgets.operating_point import READOUT_CLASS, format_operating_point, operating_point

pytestmark = pytest.mark.browser

NOTEBOOK = "05_roc_pr_curves.ipynb"
READOUT = f"pre.{READOUT_CLASS}"
START = 0.6  # the lesson's operating_point_explorer(..., threshold=0.6)


def expected_text(threshold: float) -> str:
    """What the lesson's widget must show at ``threshold`` (it explores the eight worked samples)."""
    y_true, y_score = eight_samples()
    return format_operating_point(operating_point(y_true, y_score, round(threshold, 2)))


def rates(text: str) -> str:
    return text.splitlines()[2]  # "TPR = ...  FPR = ..."


def test_arrow_keys_move_the_operating_point(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "05_roc_pr_curves-arrows"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="threshold")
        assert slider.value() == START
        slider.wait_for_text(expected_text(START))

        # The positive scored exactly 0.6 stops counting at 0.61 (TPR 0.75 -> 0.50, precision 0.75 -> 0.6667)
        # and counts again on the way back down.
        moves = ["ArrowRight"] * 2 + ["ArrowLeft"] * 3
        threshold, texts = slider.step_through(moves, START, expected_text)
        shown = [rates(text) for text in texts]
        assert threshold == 0.59
        assert len(set(shown)) == 2, f"TPR should drop above 0.60 and come back below it, saw {shown}"
        assert len(slider.latencies_ms("pictured")) == len(moves), "the ROC/PR figure did not change with the slider"
        slider.assert_presses_answered(len(moves), "lesson 05 operating-point slider")


def test_typed_thresholds_and_the_end_key(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "05_roc_pr_curves-typed"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="threshold")
        for typed, line in [("0.5", "TPR = 0.7500  FPR = 0.5000"), ("0.4", "TPR = 1.0000  FPR = 0.5000")]:
            slider.type_and_check(typed, expected_text)
            assert rates(slider.text()) == line
        # End jumps to the slider's maximum: nothing scores >= 1.00, precision is undefined there.
        slider.press("End")
        slider.wait_for_text(expected_text(1.0))
        slider.wait_until_settled()
        assert slider.value() == 1.0
        assert "undefined: precision" in slider.text()
        print(f"\nlesson 05 operating-point slider, typed values and End included: {slider.latency_report()}")


def test_both_ends_of_the_slider_numbers_and_aria_values(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "05-ends"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="threshold")
        slider.check_threshold_ends(expected_text, tmp_path, "05")
