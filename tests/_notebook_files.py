"""The course's notebooks read as the JSON they are stored as, for tests of what is stored in them."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def ids(paths: list[Path]) -> list[str]:
    """Test ids such as ``notebooks/01_accuracy_paradox.ipynb``: the folder says which copy of a lesson it is."""
    return [f"{p.parent.name}/{p.name}" for p in paths]
