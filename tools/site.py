"""Build the course website: one HTML page per lesson, from the outputs stored in ``notebooks/``.

    python -m tools.site build/site        # what `make book` runs; open build/site/index.html

Nothing is executed: CI already re-executes and asserts every notebook, so the site shows
exactly the outputs that passed. The build has two steps:

1. :func:`prepare` writes a Sphinx source folder: ``index.md`` (the README's opening and its
   lesson map) and a copy of each lesson in which
   - links to exercises, solutions and other repository files point at GitHub, and lesson
     links stay relative (Sphinx checks they resolve);
   - a line under the title links the exercise notebook and the Colab and Binder copies;
   - a slider's output (which needs a live kernel and ipywidgets) becomes a note saying so:
     the static figure and table in the cell before it show the same numbers.
2. ``sphinx-build -W`` renders it with myst-nb (no execution), the furo theme and a MathJax
   that ships inside a PyPI package (``sphinx-mathjax-offline``), so neither the build nor the
   pages fetch anything from the network. ``-W`` turns every warning, such as a broken
   internal link, into a failed build.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONF_DIR = REPO / "docs"
GITHUB = "https://github.com/classification-metrics-from-scratch/course"
BLOB = f"{GITHUB}/blob/main"
COLAB = "https://colab.research.google.com/github/classification-metrics-from-scratch/course/blob/main"
BINDER = "https://mybinder.org/v2/gh/classification-metrics-from-scratch/course/HEAD?urlpath=lab/tree"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IGNORE_OUTPUT = "nbval-ignore-output"
SLIDER_NOTE = (
    "*Interactive slider: it runs in JupyterLab (`make lab`, Binder or Colab), where dragging it redraws the "
    "figure. The static figure and table just above show the same numbers at the starting value.*"
)
LESSON_FILE = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
# A Markdown link target that leaves notebooks/: ../exercises/x.ipynb, ../course_lib/..., ../README.md
REPO_LINK = re.compile(r"\]\(\.\./([^)#\s]+)(#[^)\s]*)?\)")


def lessons(notebooks: Path = REPO / "notebooks") -> list[Path]:
    return sorted(p for p in notebooks.glob("*.ipynb") if LESSON_FILE.match(p.name))


def _repo_link(match: re.Match) -> str:
    target, anchor = match[1], match[2] or ""
    if target == "README.md":
        return f"](../index.md{anchor})"
    return f"]({BLOB}/{target}{anchor})"


def _is_slider(cell: dict) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return IGNORE_OUTPUT in tags and any(WIDGET_MIME in out.get("data", {}) for out in cell.get("outputs", []))


def _links_line(name: str) -> str:
    return (
        f"[Exercise notebook]({BLOB}/exercises/{name}) · "
        f"[Open in Colab]({COLAB}/notebooks/{name}) · "
        f"[Launch on Binder]({BINDER}/notebooks/{name})"
    )


def site_notebook(nb: dict, name: str) -> dict:
    """The lesson as the site shows it (see the module docstring); ``nb`` is left untouched."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = REPO_LINK.sub(_repo_link, "".join(cell["source"]))
        elif _is_slider(cell):
            cell["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {"text/markdown": SLIDER_NOTE}}]
    first_markdown = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown")
    links = {"cell_type": "markdown", "metadata": {}, "source": _links_line(name)}
    if "id" in nb["cells"][first_markdown]:
        links["id"] = "site-links"
    nb["cells"].insert(first_markdown + 1, links)
    nb["metadata"].pop("widgets", None)
    return nb


def index_page(readme: str, names: list[str]) -> str:
    """The landing page: the README's opening paragraphs, its lesson map with site links, and the toctree."""
    opening = readme.split("\n## ", 1)[0]
    opening = "\n".join(line for line in opening.splitlines() if not line.startswith("[![Binder]"))
    rows = []
    for line in readme.splitlines():
        match = re.match(r"^\| (\d\d) \| (.+?) \| \[notebooks/(\S+?\.ipynb)\]", line)
        if match and match[3] in names:
            number, topic, name = match.groups()
            rows.append(
                f"| {number} | [{topic}](lessons/{name}) | [exercise]({BLOB}/exercises/{name}) "
                f"| [Colab]({COLAB}/notebooks/{name}) |"
            )
    missing = sorted(set(names) - {re.search(r"lessons/(\S+?\.ipynb)", r)[1] for r in rows})
    if missing:
        raise SystemExit(f"site: the README's lesson map lacks {', '.join(missing)}")
    toctree = "\n".join(f"lessons/{name.removesuffix('.ipynb')}" for name in names)
    return (
        f"{opening.strip()}\n\n"
        "Read the lessons here, or run them: `make lab` opens them in JupyterLab, where the sliders work and every "
        f"exercise checks itself ([the repository]({GITHUB})).\n\n"
        "## Lessons\n\n| # | Lesson | Exercise | Run it |\n|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: Lessons\n\n{toctree}\n```\n"
    )


def prepare(source: Path, repo: Path = REPO) -> list[str]:
    """Write the Sphinx source folder ``source``; returns the lesson file names in order."""
    if source.exists():
        shutil.rmtree(source)
    (source / "lessons").mkdir(parents=True)
    names = [p.name for p in lessons(repo / "notebooks")]
    for name in names:
        nb = json.loads((repo / "notebooks" / name).read_text())
        (source / "lessons" / name).write_text(json.dumps(site_notebook(nb, name), indent=1, ensure_ascii=False))
    (source / "index.md").write_text(index_page((repo / "README.md").read_text(), names))
    return names


def build(out: Path, repo: Path = REPO) -> None:
    """Prepare the sources beside ``out`` and render them into ``out`` (warnings fail the build)."""
    out = out.resolve()
    source = out.parent / f"{out.name}-source"
    prepare(source, repo)
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-c", str(CONF_DIR)]
    subprocess.run([*command, str(source), str(out)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the HTML site into (e.g. build/site)")
    args = parser.parse_args(argv)
    try:
        build(args.out)
    except subprocess.CalledProcessError as error:
        print(f"site: sphinx-build failed with exit status {error.returncode}", file=sys.stderr)
        return 1
    print(f"site: open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
