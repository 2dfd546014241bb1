"""Generate exercise notebooks from solution notebooks (solutions are the source of truth).

    python -m tools.authoring solutions exercises           # regenerate (what `make exercises` runs)
    python -m tools.authoring solutions exercises --check   # exit 1 if anything generated is stale

An answer region is marked the way nbgrader marks it, inside a function body::

    def precision_recall(y_true, y_pred, zero_division=0.0):
        ### BEGIN SOLUTION
        ...
        ### END SOLUTION

and becomes, in ``exercises/``, a stub that raises ``NotImplementedError`` (which the
checks report as "not attempted yet"). Everything else stays identical, except that
outputs are cleared, every code cell is tagged ``nbval-ignore-output`` (an exercise
stores no outputs, so nbval only checks that it runs), cells tagged ``solution-only``
are dropped, and ids/metadata are normalised by tools/nbtools.py.

The generator also writes ``course_lib/checks/_solutions.py``: the answer cells'
code, which ``check.qN.solution()`` prints (it lives in the package so that it
works wherever course_lib is installed, Colab included).
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

import nbformat

from tools import nbtools

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = (
    "{indent}# YOUR CODE HERE\n"
    '{indent}raise NotImplementedError("Replace this line with your answer, then run the check below.")'
)
IGNORE_OUTPUT = "nbval-ignore-output"
SOLUTION_ONLY = "solution-only"
REPO = Path(__file__).resolve().parents[1]
SOLUTIONS_MODULE = REPO / "course_lib" / "checks" / "_solutions.py"
_LESSON_FILE = re.compile(r"^(\d\d)_[A-Za-z0-9_]+\.ipynb$")


class AuthoringError(ValueError):
    """A solution notebook breaks one of the rules in course_lib/checks/README.md."""


# ---------------------------------------------------------------------------------------------------------------
# One cell.


def _regions(lines: list[str], where: str) -> list[tuple[int, int]]:
    """(begin, end) line indices of the answer regions; markers must pair up and not nest."""
    regions, begin = [], None
    for i, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise AuthoringError(f"{where}: line {i + 1} opens a region inside another one")
            begin = i
        elif marker == END:
            if begin is None:
                raise AuthoringError(f"{where}: line {i + 1} closes a region that was never opened")
            regions.append((begin, i))
            begin = None
        elif "BEGIN SOLUTION" in marker or "END SOLUTION" in marker:
            raise AuthoringError(f"{where}: line {i + 1} looks like a marker but is not exactly `{BEGIN}`/`{END}`")
    if begin is not None:
        raise AuthoringError(f"{where}: the region opened on line {begin + 1} is never closed")
    return regions


def _python(source: str) -> str:
    """The cell as plain Python (IPython's %magics and !commands turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _enclosing_functions(source: str, regions, where: str) -> list[str]:
    """The name of the top-level function around each region (a region must sit inside one)."""
    try:
        tree = ast.parse(_python(source))
    except SyntaxError as exc:
        raise AuthoringError(f"{where}: the cell is not valid Python ({exc.msg}, line {exc.lineno})") from None
    names = []
    for begin, end in regions:
        owner = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.lineno <= begin + 1 <= node.end_lineno
        ]
        if not owner:
            raise AuthoringError(
                f"{where}: the region on lines {begin + 1}-{end + 1} is not inside a function body; "
                "an exercise must run top to bottom, so answers live in functions"
            )
        names.append(owner[0])
    return names


def strip_regions(source: str, where: str = "cell") -> str:
    """The cell with every answer region replaced by the stub."""
    lines = source.split("\n")
    regions = _regions(lines, where)
    _enclosing_functions(source, regions, where)
    out, start = [], 0
    for begin, end in regions:
        out += lines[start:begin]
        indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
        out += STUB.format(indent=indent).split("\n")
        start = end + 1
    out += lines[start:]
    return "\n".join(out)


def answer_functions(source: str, where: str = "cell") -> dict[str, str]:
    """``{function name: the cell's code without the marker lines}`` for a cell with answer regions."""
    lines = source.split("\n")
    regions = _regions(lines, where)
    if not regions:
        return {}
    names = _enclosing_functions(source, regions, where)
    code = "\n".join(line for line in lines if line.strip() not in (BEGIN, END)).strip("\n") + "\n"
    return dict.fromkeys(names, code)


# ---------------------------------------------------------------------------------------------------------------
# One notebook.


def make_exercise(solution: nbformat.NotebookNode, where: str = "notebook") -> nbformat.NotebookNode:
    """The exercise notebook generated from a solution notebook (the input is not modified)."""
    nb = copy.deepcopy(solution)
    cells = []
    for index, cell in enumerate(nb.cells):
        tags = list(cell.metadata.get("tags", []))
        if SOLUTION_ONLY in tags:
            continue
        if cell.cell_type == "code":
            cell.source = strip_regions(cell.source, f"{where}, cell {index}")
            if IGNORE_OUTPUT not in tags:
                tags.append(IGNORE_OUTPUT)
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb.cells = cells
    return nbtools.normalise(nb, clear_outputs=True)


def solutions_of(solution: nbformat.NotebookNode, where: str = "notebook") -> dict[str, str]:
    """``{function name: answer cell code}`` for every answer region of the notebook."""
    found: dict[str, str] = {}
    for index, cell in enumerate(solution.cells):
        if cell.cell_type != "code":
            continue
        for name, code in answer_functions(cell.source, f"{where}, cell {index}").items():
            if name in found:
                raise AuthoringError(f"{where}: `{name}` has answer regions in two cells")
            found[name] = code
    return found


# ---------------------------------------------------------------------------------------------------------------
# Whole folders.


def _py_string(text: str) -> str:
    """A Python string literal for ``text`` in the quotes ruff's formatter would choose."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    body = body.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    body = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", body)
    return quote + body + quote


def render_solutions_module(solutions: dict[str, dict[str, str]]) -> str:
    lines = [
        '"""Generated by `python -m tools.authoring solutions exercises` from solutions/*.ipynb: do not edit."""',
        "",
    ]
    if not solutions:
        return "\n".join(lines + ["SOLUTIONS = {}", ""])
    lines.append("SOLUTIONS = {")
    for lesson in sorted(solutions):
        lines.append(f"    {_py_string(lesson)}: {{")
        for name in sorted(solutions[lesson]):
            lines.append(f"        {_py_string(name)}: {_py_string(solutions[lesson][name])},")
        lines.append("    },")
    lines += ["}", ""]
    return "\n".join(lines)


def generate(solutions_dir: Path, exercises_dir: Path, solutions_module: Path = SOLUTIONS_MODULE) -> dict[Path, str]:
    """Every generated file's path and text (nothing written)."""
    files: dict[Path, str] = {}
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(solutions_dir.glob("*.ipynb")):
        match = _LESSON_FILE.match(path.name)
        if not match:
            raise AuthoringError(f"{path}: solution notebooks are named NN_topic.ipynb")
        lesson = f"lesson{match.group(1)}"
        if lesson in texts:
            raise AuthoringError(f"{path}: a second solution notebook for {lesson}")
        solution = nbformat.read(path, as_version=4)
        text = nbformat.writes(make_exercise(solution, str(path)))
        files[exercises_dir / path.name] = text if text.endswith("\n") else text + "\n"
        texts[lesson] = solutions_of(solution, str(path))
    files[solutions_module] = render_solutions_module(texts)
    return files


def stale(solutions_dir: Path, exercises_dir: Path, solutions_module: Path = SOLUTIONS_MODULE) -> list[str]:
    """What ``generate`` would change, in words (empty when everything is up to date)."""
    files = generate(solutions_dir, exercises_dir, solutions_module)
    problems = []
    for path, text in files.items():
        if not path.exists():
            problems.append(f"{path} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path} is out of date")
    for path in sorted(exercises_dir.glob("*.ipynb")):
        if path not in files:
            problems.append(f"{path} has no solution notebook in {solutions_dir}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.authoring", description=__doc__.split("\n\n")[0])
    parser.add_argument("solutions", type=Path, help="folder of solution notebooks (the source of truth)")
    parser.add_argument("exercises", type=Path, help="folder the exercise notebooks are generated into")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    if not args.solutions.is_dir():
        print(f"authoring: error: {args.solutions} is not a folder", file=sys.stderr)
        return 2
    try:
        if args.check:
            problems = stale(args.solutions, args.exercises)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("Run `make exercises` to regenerate.", file=sys.stderr)
            return 1 if problems else 0
        files = generate(args.solutions, args.exercises)
    except AuthoringError as exc:
        print(f"authoring: error: {exc}", file=sys.stderr)
        return 2
    args.exercises.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
