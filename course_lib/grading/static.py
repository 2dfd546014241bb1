"""Reading a student's code without running it: from-scratch violations and the functions defined.

A from-scratch question ("count TP, FP, TN, FN yourself") is worth nothing if the
answer calls ``sklearn.metrics.confusion_matrix``. The rule is checked on the
source, never by executing it: starting from the answer's function, everything it
can reach by name (helper functions, module-level aliases, default values,
decorators) must not import or reference a forbidden package, name it in a
string (``__import__("sklearn")``), or use ``eval``/``exec``/``__import__``/
``importlib``, whose target the grader cannot see.

Exploring with scikit-learn elsewhere in the notebook (to compare results) is
fine: only what the answer's function reaches counts.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

OPAQUE_CALLS = {"eval", "exec", "__import__", "compile", "globals", "importlib", "__builtins__", "builtins"}


@dataclass
class Program:
    """The top-level definitions of a notebook's code cells, in execution order (the last binding wins)."""

    bindings: dict[str, list[ast.AST]] = field(default_factory=dict)  # name -> defs / assigned values / imports
    imports: dict[str, str] = field(default_factory=dict)  # name -> module it was imported from
    functions: set[str] = field(default_factory=set)


def to_python(source: str) -> str:
    """IPython syntax (%magics, !commands) as plain Python; pure text processing."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - unparseable cells are simply skipped
        return source


def parse_program(cells: list[str]) -> Program:
    program = Program()
    for source in cells:
        try:
            tree = ast.parse(to_python(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # it will fail at run time too; nothing here can be reached from it
        for node in tree.body:
            _bind(program, node)
    return program


def _bind(program: Program, node: ast.AST) -> None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        program.bindings.setdefault(node.name, []).append(node)
        if not isinstance(node, ast.ClassDef):
            program.functions.add(node.name)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            program.imports[name] = alias.name if alias.asname else alias.name.split(".")[0]
            program.bindings.setdefault(name, []).append(node)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            name = alias.asname or alias.name
            program.imports[name] = f"{node.module or ''}.{alias.name}"
            program.bindings.setdefault(name, []).append(node)
    elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for name in _names_bound(target):
                program.bindings.setdefault(name, []).append(node)
    else:
        # if/for/with/try blocks at top level: their bindings count too (an import inside `try:`).
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                _bind(program, child)


def _names_bound(target: ast.AST):
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


def _is_forbidden(module: str, forbidden: tuple[str, ...]) -> str | None:
    root = module.lstrip(".").split(".")[0]
    return root if root in forbidden else None


def violation(program: Program, function: str, forbidden: tuple[str, ...]) -> str | None:
    """Why the answer ``function`` is not from scratch, or None when it is."""
    words = re.compile(r"\b(" + "|".join(re.escape(f) for f in forbidden) + r")\b")
    seen: set[str] = set()
    todo = [function]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in program.imports:
            module = program.imports[name]
            if bad := _is_forbidden(module, forbidden):
                via = "" if name == function else f" through `{name}`"
                return f"it uses {bad}{via} (`{module}`)"
        for node in program.bindings.get(name, []):
            local = _local_names(node)
            docstrings = _docstrings(node)
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom) and sub is not node:
                    modules = [a.name for a in sub.names] if isinstance(sub, ast.Import) else [sub.module or ""]
                    for module in modules:
                        if bad := _is_forbidden(module, forbidden):
                            return f"it imports {bad} (`{module}`)"
                elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and words.search(sub.value):
                    if id(sub) in docstrings:  # a docstring only documents (and the run-time watch still runs)
                        continue
                    return f"it names {words.search(sub.value).group(1)} in a string"
                elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in local:
                    if sub.id in OPAQUE_CALLS:
                        return f"it uses `{sub.id}`, which hides what it calls from the grader"
                    todo.append(sub.id)
                elif isinstance(sub, ast.Attribute) and sub.attr == "modules":
                    if isinstance(sub.value, ast.Name) and sub.value.id == "sys":
                        return "it uses `sys.modules`, which hides what it calls from the grader"
    return None


def _docstrings(node: ast.AST) -> set[int]:
    """``id()`` of each docstring constant inside ``node`` (the first statement of a def or class body)."""
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and sub.body:
            first = sub.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _local_names(node: ast.AST) -> set[str]:
    """Parameters and variables assigned inside a function: names that do not refer to the notebook's."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.arg):
            names.add(sub.arg)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names - OPAQUE_CALLS
