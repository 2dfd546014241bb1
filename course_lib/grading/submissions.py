"""Reading a submitted .ipynb as data: its code cells, or a reason it cannot be graded.

The notebook is parsed as JSON and nothing in it is executed or trusted: the
file must be a regular file (not a link to /dev/zero or to another student's
work) of sane size, and only the ``source`` of code cells is kept.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

MAX_NOTEBOOK_BYTES = 32 << 20


class InvalidNotebook(Exception):
    """The submission cannot be read as a notebook; the message says why, for the feedback."""


def code_cells(path: Path) -> list[str]:
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise InvalidNotebook(f"cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidNotebook("it is not a regular file (a link or a folder?)")
    if info.st_size == 0:
        raise InvalidNotebook("the file is empty")
    if info.st_size > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(f"the file is larger than {MAX_NOTEBOOK_BYTES >> 20} MB")
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read(MAX_NOTEBOOK_BYTES + 1))
    except (ValueError, RecursionError):
        raise InvalidNotebook("it is not valid notebook JSON (a corrupt or truncated file?)") from None
    except OSError as exc:
        raise InvalidNotebook(f"cannot read the file ({exc.strerror})") from None
    if type(data) is not dict or type(data.get("cells")) is not list or data.get("nbformat") != 4:
        raise InvalidNotebook("it is not a Jupyter notebook in format 4 (no list of cells)")
    sources = []
    for cell in data["cells"]:
        if type(cell) is not dict:
            raise InvalidNotebook("a cell is not a JSON object")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if type(source) is list and all(type(part) is str for part in source):
            source = "".join(source)
        if type(source) is not str:
            raise InvalidNotebook("a code cell has no readable source")
        sources.append(source)
    return sources
