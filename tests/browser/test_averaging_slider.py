"""Lesson 06 in a real JupyterLab: the class-mix slider at both ends of its range, as numbers, aria values and picture.

The slider is an integer slider in whole percent (34 to 98), so what a screen reader
hears is exact: noUiSlider writes ``aria-valuemin``/``-valuemax``/``-valuenow`` with one
decimal and ``aria-valuetext`` as the value itself (a float slider said 0.3 to 1.0 and
0.9000000000000001). At each end the widget's text equals ``format_averages`` of the pure
function, and the picture it shows is saved for a look.
"""

from __future__ import annotations

import pytest

from course_lib.teaching.widgets.averaging import READOUT_CLASS, averages_at_share, format_averages

pytestmark = pytest.mark.browser

NOTEBOOK = "06_multiclass_averaging.ipynb"
READOUT = f"pre.{READOUT_CLASS}"
START = 90  # the lesson's averaging_explorer(value=0.9)


def expected_text(percent: float) -> str:
    return format_averages(averages_at_share(round(percent) / 100))


def aria(slider) -> dict:
    names = ("aria-valuemin", "aria-valuemax", "aria-valuenow", "aria-valuetext")
    return {name: slider.handle.get_attribute(name) for name in names}


def test_both_ends_of_the_share_slider_are_exact_for_eyes_and_screen_readers(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "06_averaging-ends"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="share of class 0")
        slider.wait_for_text(expected_text(START))
        assert aria(slider) == {
            "aria-valuemin": "34.0",
            "aria-valuemax": "98.0",
            "aria-valuenow": "90.0",
            "aria-valuetext": "90",
        }
        for key, percent in (("End", 98), ("Home", 34)):
            slider.press(key)
            slider.wait_for_text(expected_text(percent))
            slider.wait_until_settled()
            assert aria(slider)["aria-valuetext"] == str(percent)
            assert aria(slider)["aria-valuenow"] == f"{percent}.0"
            assert slider.output.locator(".widget-readout").first.text_content().strip() == str(percent)
            assert slider.text().splitlines()[0].startswith(f"majority share = {percent / 100:.2f}")
            assert slider.picture() is not None
            slider.output.locator("img").first.screenshot(path=str(tmp_path / f"averaging_{percent}.png"))
        for key, percent in (("ArrowRight", 35), ("ArrowLeft", 34)):
            slider.press(key)
            slider.wait_for_text(expected_text(percent))
            assert aria(slider)["aria-valuetext"] == str(percent)
        print(f"\nlesson 06 share slider at both ends: pictures in {tmp_path}")
