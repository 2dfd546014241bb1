"""Opening and running a lesson in JupyterLab without editing it leaves the tracked file as it was.

JupyterLab, on opening a notebook, copies the kernel's ``language_info`` (and the kernelspec) into the notebook's
metadata; running cells replaces outputs and execution counts; saving writes the notebook with nbformat's JSON
(indent 1, sorted keys). Here a lesson is run the same way (nbclient with the course kernel, which copies the
kernel's ``kernel_info_reply`` exactly as JupyterLab does) and written with nbformat like JupyterLab's server; its
metadata, cell ids, cell metadata and sources must equal the stored file's, so ``git status`` stays clean.
Outputs are compared by strict nbval, run by ``make test`` on every lesson.
"""

from __future__ import annotations

import nbformat
import pytest
from _notebook_files import LESSONS, ROOT
from nbclient import NotebookClient

LESSON = ROOT / "notebooks" / "01_accuracy_paradox.ipynb"


def shape(nb: nbformat.NotebookNode) -> dict:
    cells = [(c.get("id"), c.cell_type, c.source, dict(c.metadata)) for c in nb.cells]
    return {"metadata": dict(nb.metadata), "cells": cells, "format": (nb.nbformat, nb.nbformat_minor)}


@pytest.mark.notebooks
def test_running_a_lesson_as_jupyterlab_does_changes_no_metadata_or_source(tmp_path):
    assert LESSON in LESSONS
    stored = nbformat.read(LESSON, as_version=nbformat.NO_CONVERT)
    nb = nbformat.read(LESSON, as_version=nbformat.NO_CONVERT)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        record_timing=False,  # JupyterLab's default (its "recordTiming" setting is off)
        resources={"metadata": {"path": str(LESSON.parent)}},
    ).execute()
    saved = tmp_path / LESSON.name
    nbformat.write(nb, saved)  # what jupyter_server's contents manager calls on save
    assert shape(nbformat.read(saved, as_version=nbformat.NO_CONVERT)) == shape(stored)


def test_the_normalisation_keeps_the_kernels_language_info():
    from tools.nbtools import normalise

    info = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python", "file_extension": ".py"}
    nb = nbformat.v4.new_notebook(metadata={"language_info": info, "widgets": {}})
    assert normalise(nb).metadata["language_info"] == info and "widgets" not in nb.metadata
