"""The website's builder (tools/site.py) and its publishing workflow, without a browser.

tests/browser/test_site.py builds the real site and reads it in Chromium; these check the
pieces a maintainer edits: what a lesson page is made of, the landing page, the workflow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tools import site

ROOT = Path(__file__).resolve().parents[1]


def _lesson_with_slider() -> tuple[str, dict]:
    for path in site.lessons():
        nb = json.loads(path.read_text())
        if any(site._is_slider(c) for c in nb["cells"]):
            return path.name, nb
    raise AssertionError("no lesson stores a slider")


def test_a_lesson_page_links_out_of_the_repository_and_replaces_sliders():
    name, nb = _lesson_with_slider()
    before = json.dumps(nb)
    page = site.site_notebook(nb, name)
    assert json.dumps(nb) == before, "the stored notebook must not be modified"
    text = json.dumps(page)
    assert "](../exercises/" not in text and "](../course_lib/" not in text
    assert site.WIDGET_MIME not in text
    notes = [c for c in page["cells"] if c.get("outputs") and "text/markdown" in c["outputs"][0].get("data", {})]
    assert notes and all(c["outputs"][0]["data"]["text/markdown"] == site.SLIDER_NOTE for c in notes)
    links = page["cells"][1]["source"]
    assert f"{site.BLOB}/exercises/{name}" in links and site.COLAB in links and site.BINDER in links


def test_repository_links_point_at_github_and_the_readme_at_the_landing_page():
    nb = {
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "[ex](../exercises/01_a.ipynb) [r](../README.md#x)"}
        ],
    }
    page = site.site_notebook(nb, "01_a.ipynb")
    assert page["cells"][0]["source"] == f"[ex]({site.BLOB}/exercises/01_a.ipynb) [r](../index.md#x)"


def test_the_landing_page_lists_every_lesson_in_order():
    names = [p.name for p in site.lessons()]
    page = site.index_page((ROOT / "README.md").read_text(), names)
    positions = [page.index(f"](lessons/{n})") for n in names]
    assert positions == sorted(positions)
    assert "```{toctree}" in page and all(f"lessons/{n.removesuffix('.ipynb')}" in page for n in names)


def test_a_lesson_missing_from_the_readme_map_stops_the_build():
    with pytest.raises(SystemExit, match="lacks 99_unmapped.ipynb"):
        site.index_page((ROOT / "README.md").read_text(), ["99_unmapped.ipynb"])


def test_the_pages_workflow_builds_with_make_book_and_deploys_that_folder():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run") for step in build["steps"]]
    assert "make book" in runs
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "build/site"
    assert "$(BIN)/python -m tools.site build/site" in (ROOT / "Makefile").read_text()
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
