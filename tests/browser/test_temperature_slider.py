"""Lesson 09 in a real JupyterLab: the temperature slider at both ends of its range (T = 0.25 and T = 8).

The lesson's data come from a network trained in the notebook, so the test checks what
must hold whatever the data: the readout names the temperature at each end, and the
ranking (ROC-AUC) and the side of 1/2 (accuracy at threshold 0.5) do not move with T.
"""

from __future__ import annotations

import re

import pytest

from course_lib.teaching.widgets.temperature import READOUT_CLASS

pytestmark = pytest.mark.browser

NOTEBOOK = "09_calibration_and_chance.ipynb"
READOUT = f"pre.{READOUT_CLASS}"


def test_both_ends_of_the_temperature_slider(lab_page, tmp_path):
    with lab_page.screenshot_on_failure(tmp_path, "09_temperature-ends"):
        slider = lab_page.lesson_slider(NOTEBOOK, READOUT, description="T")
        slider.wait_for_text(slider.text())  # the widget is there and shows T = 1
        start = slider.text().splitlines()
        assert start[0] == "temperature T = 1.00"
        for key, shown in (("Home", "0.25"), ("End", "8.00")):
            slider.press(key)
            slider.page.wait_for_function(
                "([el, t]) => el.querySelector('pre').textContent.startsWith('temperature T = ' + t)",
                arg=[slider.output.element_handle(), shown],
                timeout=10_000,
            )
            slider.wait_until_settled()
            lines = slider.text().splitlines()
            assert lines[0] == f"temperature T = {shown}"
            assert slider.output.locator(".widget-readout").first.text_content().strip() == shown
            assert lines[3] == start[3], "accuracy at 0.5 and ROC-AUC must not move with T"
            ece = float(re.search(r"= (\S+)$", lines[1]).group(1))
            assert 0 <= ece <= 1
            slider.output.locator("img").first.screenshot(path=str(tmp_path / f"temperature_{shown}.png"))
