"""The course opens wherever a learner is: Binder, Colab, VS Code or classic Notebook.

- Binder builds the image from ``environment.yml`` alone: it must install course_lib
  itself and every package any notebook imports (nothing a learner has to add by hand).
- Colab runs one notebook at a time from GitHub: the README links each lesson there,
  and the install cell (checked by test_notebook_standards.py) points at the same repository.
- VS Code and the classic Notebook may show no widgets at all: every widget lesson
  shows a static picture and a printed table, from stored outputs, before its widget.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from _notebook_files import LESSONS, ROOT, WIDGET_MIME, code_cells, ids, load, source
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

NOTEBOOK_DIRS = ("notebooks", "solutions", "exercises")
NOTEBOOKS = sorted(p for d in NOTEBOOK_DIRS for p in (ROOT / d).glob("*.ipynb"))
IGNORE_OUTPUT_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
# Where the course lives on GitHub, as the Colab install cell names it.
REPOSITORY = re.compile(r"git\+https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?\"")
# Cell magics whose body is still Python (anything else, e.g. %%bash, is not parsed).
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}


# --------------------------------------------------------------------------------------------
# Binder: environment.yml alone
# --------------------------------------------------------------------------------------------


@cache
def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def pip_lines() -> list[str]:
    sections = [d["pip"] for d in environment()["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(sections) == 1, "environment.yml needs exactly one `pip:` section"
    return [str(line).strip() for line in sections[0]]


def pinned_distributions() -> set[str]:
    names = set()
    for line in pip_lines():
        if line.startswith("-"):  # -e ., --extra-index-url ...
            continue
        requirement = Requirement(line)
        assert len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "==", (
            f"environment.yml: {line!r} is not an exact pin"
        )
        names.add(canonicalize_name(requirement.name))
    return names


def test_binder_reads_environment_yml_from_the_root():
    """repo2docker prefers binder/ or .binder/ when one exists; then the root file would be ignored."""
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), f"{folder}/ would make Binder ignore the root environment.yml"
    conda = [d for d in environment()["dependencies"] if isinstance(d, str)]
    python = [d for d in conda if re.fullmatch(r"python\s*[=<>]=?\s*3\.\d+.*", d)]
    assert python, "environment.yml should pin Python (repo2docker otherwise picks its own default)"
    minor = int(re.search(r"3\.(\d+)", python[0])[1])
    assert minor >= 11, f"environment.yml pins {python[0]}, but course_lib needs Python >= 3.11 (pyproject.toml)"
    assert "pip" in conda, "environment.yml must install pip for its `pip:` section"


def test_environment_yml_installs_course_lib_itself():
    """`-e .` in the pip section: repo2docker then copies the whole repository before installing."""
    assert "-e ." in pip_lines(), "environment.yml must install course_lib with `-e .` in its pip section"


@cache
def installed_by_environment() -> frozenset[str]:
    """Distributions environment.yml installs: its pins, course_lib's own dependencies, and theirs.

    Walks the installed metadata (this test runs in the pinned environment), following
    each requirement whose marker holds here, extras included where a pin asks for them.
    """
    todo = [Requirement(line) for line in pip_lines() if not line.startswith("-")]
    # `-e .` installs course_lib's own dependencies, as pyproject.toml declares them.
    todo += [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # a conditional dependency not installed on this platform
        seen.add(name)
        for text in requires:
            child = Requirement(text)
            environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(env) for env in environments):
                todo.append(child)
    return frozenset(seen)


def notebook_imports(path: Path) -> dict[str, str]:
    """Top-level module name -> the first line importing it, over every code cell of ``path``.

    IPython syntax is neutralised first: a `%magic` or `!shell` line becomes `pass` (keeping
    its indentation, so an `if` around a `%pip` stays valid Python), a cell magic other than
    a timing one skips its cell. Imports under ``if "google.colab" in sys.modules:`` are
    Colab's business, not Binder's, and are left out.
    """
    found: dict[str, str] = {}
    for number, cell in enumerate(code_cells(load(path))):
        text = source(cell)
        first = text.lstrip().split("\n", 1)[0]
        if first.startswith("%%") and first[2:].split()[0] not in PYTHON_CELL_MAGICS:
            continue
        lines = []
        for line in text.splitlines():
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                line = line[: len(line) - len(stripped)] + "pass"
            lines.append(line)
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError as error:
            raise AssertionError(
                f"{path.name}, code cell {number}: not Python after removing magics: {error}"
            ) from error
        for node in walk_outside_colab_branches(tree):
            for name in absolute_imports(node):
                found.setdefault(name.split(".")[0], ast.get_source_segment("\n".join(lines), node) or name)
    return found


def absolute_imports(node: ast.AST) -> list[str]:
    """The modules ``node`` imports by absolute name (``import a.b, c`` -> a.b, c); none for any other node."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def walk_outside_colab_branches(tree: ast.AST):
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and "google.colab" in ast.unparse(node.test):
            stack.extend(node.orelse)  # the Colab branch is skipped, its else branch is not
            continue
        stack.extend(ast.iter_child_nodes(node))


@cache
def import_names_to_distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def provider(module: str) -> str | None:
    """Why ``module`` is importable on Binder, or None when nothing environment.yml installs provides it."""
    if module in sys.stdlib_module_names or module == "__future__":
        return "standard library"
    if module == "course_lib":
        return "course_lib (-e .)"
    for distribution in import_names_to_distributions().get(module, []):
        if canonicalize_name(distribution) in installed_by_environment():
            return distribution
    return None


def test_the_import_scan_sees_through_magics_and_the_colab_branch(tmp_path):
    """The scanner itself: a wrong one would let every notebook pass."""
    nb = {
        "cells": [
            {"cell_type": "code", "source": 'import sys\nif "google.colab" in sys.modules:\n    %pip install x\n'},
            {"cell_type": "code", "source": "import numpy as np\nfrom sklearn.metrics import f1_score\n!ls\n"},
            {"cell_type": "code", "source": "%%bash\nimport nothing\n"},
            {"cell_type": "code", "source": "%%time\nfrom course_lib.metrics.scores import f1_score\n"},
            {"cell_type": "code", "source": "def f():\n    import polars\n"},
            {"cell_type": "markdown", "source": "import markdown_is_not_code"},
        ]
    }
    path = tmp_path / "probe.ipynb"
    path.write_text(json.dumps(nb))
    assert set(notebook_imports(path)) == {"sys", "numpy", "sklearn", "course_lib", "polars"}
    assert provider("numpy") == "numpy" and provider("json") == "standard library"
    assert provider("polars") is None, "a package environment.yml does not install must be reported"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_import_a_notebook_makes_is_installed_by_environment_yml(path):
    missing = {module: line for module, line in notebook_imports(path).items() if provider(module) is None}
    assert not missing, (
        f"{path.parent.name}/{path.name} imports what environment.yml does not install "
        f"(Binder would fail): {missing}; pin the package in requirements.txt and environment.yml"
    )


def module_imports(path: Path) -> dict[str, str]:
    """Top-level module name -> importing line, for absolute imports anywhere in a Python file."""
    text = path.read_text()
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(text)):
        for name in absolute_imports(node):
            found.setdefault(name.split(".")[0], ast.get_source_segment(text, node) or name)
    return found


def test_every_import_course_lib_makes_is_installed_by_environment_yml():
    """A notebook importing course_lib imports what course_lib imports (PIL for the slider's picture, torch ...)."""
    missing = {
        f"{path.relative_to(ROOT)}: {line}"
        for path in sorted((ROOT / "course_lib").rglob("*.py"))
        for module, line in module_imports(path).items()
        if provider(module) is None
    }
    assert not missing, f"course_lib imports what environment.yml does not install: {sorted(missing)}"


def test_there_are_notebooks_to_scan():
    assert LESSONS, "no lessons found: the import scan would pass vacuously"


# --------------------------------------------------------------------------------------------
# README: the Binder badge and one Colab link per lesson
# --------------------------------------------------------------------------------------------


def repository() -> str:
    """owner/name on GitHub, from the Colab install cell of the first lesson."""
    match = REPOSITORY.search(source(code_cells(load(LESSONS[0]))[0]))
    assert match, "the Colab install cell names no GitHub repository"
    return match[1]


def readme() -> str:
    return (ROOT / "README.md").read_text()


def test_readme_has_a_binder_badge_that_opens_an_existing_notebook():
    links = re.findall(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme())
    assert links, "README.md has no mybinder.org link (the Binder badge)"
    for link in links:
        assert link.startswith(f"https://mybinder.org/v2/gh/{repository()}/"), f"{link} is not this repository"
        target = re.search(r"urlpath=(?:lab/tree/|lab%2Ftree%2F)([^&)]+)", link)
        if target:
            opened = target[1].replace("%2F", "/")
            assert (ROOT / opened).exists(), f"the Binder link opens {opened}, which does not exist"
    badge = re.search(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge[^)]*\)\]\(https://mybinder\.org/v2/gh/", readme())
    assert badge, "README.md should show the Binder badge image as the link: [![Binder](...badge...)](...)"


@pytest.mark.parametrize("lesson", LESSONS, ids=ids(LESSONS))
def test_readme_lesson_map_links_each_lesson_to_colab(lesson):
    colab = f"https://colab.research.google.com/github/{repository()}/blob/main/notebooks/{lesson.name}"
    rows = [line for line in readme().splitlines() if f"(notebooks/{lesson.name})" in line]
    assert rows, f"README.md's lesson map has no row for notebooks/{lesson.name}"
    assert f"({colab})" in rows[0], f"the lesson map row for {lesson.name} lacks its Colab link {colab}"


# --------------------------------------------------------------------------------------------
# VS Code / classic Notebook: a static picture and table before every widget
# --------------------------------------------------------------------------------------------


def tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def is_widget_cell(cell: dict) -> bool:
    return any(WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", []))


def is_static_fallback(cell: dict) -> bool:
    """An untagged cell (nbval compares it) whose stored outputs hold a PNG and printed text."""
    outputs = cell.get("outputs", [])
    has_png = any("image/png" in output.get("data", {}) for output in outputs)
    printed = any(
        output.get("output_type") == "stream" and output.get("name") == "stdout" and "".join(output["text"]).strip()
        for output in outputs
    )
    return has_png and printed and not (tags(cell) & IGNORE_OUTPUT_TAGS) and "NBVAL_" not in source(cell)


WIDGET_NOTEBOOKS = [p for p in NOTEBOOKS if any(is_widget_cell(c) for c in code_cells(load(p)))]


@pytest.mark.parametrize("path", WIDGET_NOTEBOOKS, ids=ids(WIDGET_NOTEBOOKS))
def test_each_widget_has_a_static_picture_and_table_before_it(path):
    cells = code_cells(load(path))
    previous_widget = -1
    for index, cell in enumerate(cells):
        if not is_widget_cell(cell):
            continue
        since_last = cells[previous_widget + 1 : index]
        assert any(is_static_fallback(c) for c in since_last), (
            f"{path.parent.name}/{path.name}: the widget in code cell {index} ({source(cell)[:80]!r}) has no "
            "earlier untagged cell showing a static picture (image/png) and a printed table; "
            "without widgets (VS Code, classic Notebook, GitHub) the learner would see nothing"
        )
        previous_widget = index


@pytest.mark.parametrize(
    "lesson", ["04_threshold.ipynb", "05_roc_pr_curves.ipynb"], ids=["04_threshold", "05_roc_pr_curves"]
)
def test_the_slider_lessons_have_a_widget_and_its_fallback(lesson):
    """The two slider lessons the browser tests drive are among those checked above."""
    path = ROOT / "notebooks" / lesson
    assert path.exists(), f"notebooks/{lesson} is missing"
    assert path in WIDGET_NOTEBOOKS, f"notebooks/{lesson} stores no widget output (run tools/nbtools.py on it)"
