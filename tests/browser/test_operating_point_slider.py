"""Lesson 05 in a real JupyterLab: the operating-point slider moves TPR, FPR, precision and recall.

The lesson runs in JupyterLab, the slider answers the keyboard, and after each move the
text the widget shows is exactly ``format_operating_point(operating_point(...))`` for the
slider's new threshold, computed here from the definition (the widget answers from a
precomputed sweep, so the two paths are independent).
"""

from __future__ import annotations

import statistics

import pytest

from course_lib.datasets import eight_samples
from course_lib.widgets.operating_point import READOUT_CLASS, format_operating_point, operating_point

pytestmark = pytest.mark.browser

NOTEBOOK = "05_roc_pr_curves.ipynb"
READOUT = f"pre.{READOUT_CLASS}"
START = 0.6  # the lesson's operating_point_explorer(..., threshold=0.6)


def expected_text(threshold: float) -> str:
    """What the lesson's widget must show at ``threshold`` (it explores the eight worked samples)."""
    y_true, y_score = eight_samples()
    return format_operating_point(operating_point(y_true, y_score, round(threshold, 2)))


class Lesson:
    """The lesson opened and run once per module, by the first test that needs it."""

    def __init__(self, lab_page):
        self.lab_page = lab_page
        self.slider = None

    def ready(self):
        if self.slider is None:
            self.lab_page.open(NOTEBOOK)
            self.lab_page.run_all(NOTEBOOK)
            slider = self.lab_page.slider(READOUT, description="threshold")
            slider.install_latency_probe()
            self.slider = slider
        return self.slider


@pytest.fixture(scope="module")
def lesson(lab_page):
    return Lesson(lab_page)


def rates(text: str) -> str:
    return text.splitlines()[2]  # "TPR = ...  FPR = ..."


def test_arrow_keys_move_the_operating_point(lesson, lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "05_roc_pr_curves-arrows"):
        slider = lesson.ready()
        assert slider.value() == START
        slider.wait_for_text(expected_text(START))

        # The positive scored exactly 0.6 stops counting at 0.61 (TPR 0.75 -> 0.50, precision 0.75 -> 0.6667)
        # and counts again on the way back down.
        moves = ["ArrowRight"] * 2 + ["ArrowLeft"] * 3
        threshold, shown = START, []
        for key in moves:
            slider.press(key)
            threshold = round(threshold + (0.01 if key == "ArrowRight" else -0.01), 2)
            assert round(slider.value(), 2) == threshold, f"after {key} the slider is at {slider.value()}"
            slider.wait_for_text(expected_text(threshold))
            assert slider.output.locator(".widget-readout").first.text_content().strip() == f"{threshold:.2f}"
            slider.wait_until_settled()  # the figure too; the next press starts from an idle kernel
            shown.append(rates(slider.text()))
        assert threshold == 0.59
        assert len(set(shown)) == 2, f"TPR should drop above 0.60 and come back below it, saw {shown}"
        assert len(slider.latencies_ms("pictured")) == len(moves), "the ROC/PR figure did not change with the slider"

        latencies = slider.latencies_ms()
        print(f"\nlesson 05 operating-point slider: {slider.latency_report()}")
        assert len(latencies) == len(moves), f"only {len(latencies)} of {len(moves)} presses changed the text"
        # A sanity bound, not the target (300 ms; timing belongs to benchmarks, and CI machines are shared).
        assert statistics.median(latencies) < 5000


def test_typed_thresholds_and_the_end_key(lesson, lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "05_roc_pr_curves-typed"):
        slider = lesson.ready()
        for typed, line in [("0.5", "TPR = 0.7500  FPR = 0.5000"), ("0.4", "TPR = 1.0000  FPR = 0.5000")]:
            slider.type_value(typed)
            slider.wait_for_text(expected_text(float(typed)))
            slider.wait_until_settled()
            assert round(slider.value(), 2) == float(typed)
            assert rates(slider.text()) == line
        # End jumps to the slider's maximum: nothing scores >= 1.00, precision is undefined there.
        slider.press("End")
        slider.wait_for_text(expected_text(1.0))
        slider.wait_until_settled()
        assert slider.value() == 1.0
        assert "undefined: precision" in slider.text()
        print(f"\nlesson 05 operating-point slider, typed values and End included: {slider.latency_report()}")
