"""Execute course notebooks in place and store clean, deterministic outputs.

    python -m tools.nbtools notebooks/04_threshold.ipynb [more.ipynb ...]

Use it after editing a lesson or a solution (``make notebooks`` runs it on all
of them). It runs the notebook top to bottom in the project's kernel, then
normalises what would otherwise change from run to run or machine to machine:
cell ids become positional, execution timings and saved widget state are
dropped (GitHub's viewer refuses widget state without a 'state' key), and the
kernelspec is always set so JupyterLab never asks which kernel to use.

The notebook-level metadata is stored exactly as JupyterLab would write it after
opening the notebook on the course's kernel: the kernelspec, and the kernel's own
``language_info`` (its Python version, mimetype, codemirror mode ...) as the
executing kernel reported it. Otherwise the kernel fills those in the moment a
learner opens a lesson, the tab shows unsaved changes at once, and autosave writes
a metadata diff into a tracked file (a conflict at the learner's next ``git pull``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}  # only for a notebook no kernel has run yet
# The first code cell of every lesson, solution and exercise. The `torch` extra brings torchmetrics, which
# lessons 03, 04 and 07 import (Colab has torch already; pip keeps it).
COLAB_MARK = "# Running in Google Colab?"
COLAB_CELL = """# Running in Google Colab? This installs course_lib there; everywhere else `make lab` already did.
import sys

if "google.colab" in sys.modules:
    %pip install -q "course-lib[torch] @ git+https://github.com/classification-metrics-from-scratch/course.git\""""


def normalise(nb: nbformat.NotebookNode, clear_outputs: bool = False) -> nbformat.NotebookNode:
    """Deterministic metadata, ids and (optionally) no outputs.

    ``language_info`` is kept as the kernel that executed ``nb`` wrote it (nbclient copies the kernel's
    ``kernel_info_reply``, as JupyterLab does), so opening the stored file changes nothing.
    """
    language_info = nb.metadata.get("language_info") or LANGUAGE_INFO
    nb.metadata = nbformat.NotebookNode(
        kernelspec=dict(KERNELSPEC),
        language_info=nbformat.from_dict(language_info),
        **{k: v for k, v in nb.metadata.items() if k in ("colab",)},
    )
    colab = next((c for c in nb.cells if c.cell_type == "code"), None)
    if colab is not None and colab.source.startswith(COLAB_MARK):
        colab.source = COLAB_CELL
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:02d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code":
            if clear_outputs:
                cell.outputs = []
                cell.execution_count = None
            cell.outputs = _coalesce_streams(cell.get("outputs", []))
            for number, output in enumerate(cell.get("outputs", [])):
                output.get("metadata", {}).pop("execution", None)
                # Widget state is not stored, so a model id only adds a random diff on every run.
                view = output.get("data", {}).get(WIDGET_MIME)
                if view is not None:
                    view["model_id"] = f"cell-{index:02d}-widget-{number}"
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def _coalesce_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how prints are split into chunks depends on timing."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def execute(path: Path, timeout: int = 120) -> float:
    """Run ``path`` in place; returns the wall-clock seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(normalise(nb), path)
    return seconds


def kernel_language_info(kernel_name: str = "python3") -> dict:
    """The ``language_info`` the course's kernel reports (what JupyterLab writes into a notebook it opens)."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name=kernel_name)
    try:
        msg_id = client.kernel_info()
        while True:
            reply = client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]["language_info"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main(paths: list[str]) -> int:
    for name in paths:
        seconds = execute(Path(name))
        print(f"{name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
