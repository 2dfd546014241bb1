"""Grading one notebook, and a whole class, into records (one per student and notebook).

For one submitted notebook:

1. read it as data (:mod:`.submissions`); a corrupt or empty file is graded
   ``invalid notebook``;
2. reject from-scratch answers that use a forbidden package, statically
   (:mod:`.static`);
3. make the test cases here, now: each question's fixed cases plus random ones
   from a seed drawn at grading time, so answers hard-coded for the visible
   examples fail;
4. run the notebook in the sandbox (:mod:`.sandbox`) and get back the numbers its
   functions returned on those cases. If the process dies or hangs while one
   function runs, that question is marked and a fresh sandbox runs the
   notebook again for the questions after it, so one infinite loop costs one
   question, not the notebook;
5. judge the numbers with the same code as the inline check
   (:meth:`course_lib.checks.Question.judge`).
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import os
import pkgutil
import re
import stat
import time
from dataclasses import asdict
from pathlib import Path
from types import ModuleType

from course_lib.checks._args import encode
from course_lib.checks.framework import (
    CRASHED,
    INCORRECT,
    INVALID_NOTEBOOK,
    MISSING,
    NOT_FROM_SCRATCH,
    NOT_SUBMITTED,
    TIMEOUT,
    Outcome,
    Question,
)
from course_lib.grading import sandbox, static
from course_lib.grading.submissions import InvalidNotebook, code_cells

RECORD_VERSION = 1


class GraderError(Exception):
    """The grader itself cannot run (not a problem of any one submission)."""


def lessons() -> dict[str, ModuleType]:
    """``{exercise file name: checks module}`` for every ``course_lib.checks.lessonNN``."""
    import course_lib.checks as package

    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not re.fullmatch(r"lesson\d\d", info.name):
            continue
        try:
            module = importlib.import_module(f"course_lib.checks.{info.name}")
        except Exception as exc:  # noqa: BLE001 - any failure here is the course's bug, reported in one line
            raise GraderError(f"course_lib.checks.{info.name} cannot be imported: {type(exc).__name__}: {exc}") from exc
        notebook, questions = getattr(module, "NOTEBOOK", None), getattr(module, "QUESTIONS", None)
        if not isinstance(notebook, str) or not questions:
            raise GraderError(f"course_lib.checks.{info.name} lacks NOTEBOOK or QUESTIONS (see checks/README.md)")
        found[notebook] = module
    if not found:
        raise GraderError("no course_lib.checks.lessonNN modules: nothing to grade")
    return found


def notebook_seed(class_seed: int, student: str, notebook: str) -> int:
    """A seed per student and notebook, derived from the run's seed (stored with the grade)."""
    digest = hashlib.sha256(f"{class_seed}\0{student}\0{notebook}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def file_digest(path: Path) -> str | None:
    """A fingerprint of the submitted file (None if absent); never opens a link, a FIFO or a device."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file: mode {info.st_mode:o}"
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read(64 << 20)).hexdigest()
    except OSError:
        return None


def _row(question: Question, outcome: Outcome) -> dict:
    return {"title": question.title, **asdict(outcome)}


def grade_notebook(
    student: str,
    path: Path,
    module: ModuleType,
    limits: sandbox.Limits,
    seed: int,
    deny_read: list[str] = (),
) -> dict:
    """The record of one student's notebook: one row per question, and what went wrong while it ran."""
    start = time.monotonic()
    questions: tuple[Question, ...] = tuple(module.QUESTIONS)
    record = {
        "version": RECORD_VERSION,
        "student": student,
        "notebook": path.name,
        "seed": seed,
        "digest": file_digest(path),
        "submitted": path.exists() or path.is_symlink(),
        "cell_errors": [],
        "runs": 0,
    }
    outcomes: dict[str, Outcome] = {}
    if not record["submitted"]:
        for q in questions:
            outcomes[q.id] = q.outcome(NOT_SUBMITTED, f"No {path.name} in this student's folder.")
    else:
        try:
            cells = code_cells(path)
        except InvalidNotebook as why:
            for q in questions:
                outcomes[q.id] = q.outcome(INVALID_NOTEBOOK, f"The notebook could not be read: {why}.")
        else:
            _grade_cells(cells, questions, limits, seed, deny_read, outcomes, record)
    record["rows"] = [_row(q, outcomes[q.id]) for q in questions]
    record["seconds"] = round(time.monotonic() - start, 3)
    return record


def _grade_cells(cells, questions, limits, seed, deny_read, outcomes, record) -> None:
    program = static.parse_program(cells)
    for q in questions:
        if q.from_scratch and q.function in program.bindings:
            why = static.violation(program, q.function, q.forbidden)
            if why:
                outcomes[q.id] = q.outcome(
                    NOT_FROM_SCRATCH,
                    f"`{q.function}` must be written from scratch, but {why}. "
                    f"Write it with plain Python/NumPy ({', '.join(q.forbidden)} are not allowed here).",
                )
    cases = {q.id: q.cases(seed=[seed, i], n_random=2 * q.n_random) for i, q in enumerate(questions)}
    pending = [q for q in questions if q.id not in outcomes]
    while pending:
        jobs = [
            {
                "id": q.id,
                "function": q.function,
                "cases": [encode(c) for c in cases[q.id]],
                "forbidden": list(q.forbidden) if q.from_scratch else None,  # watched at run time (_scratch)
            }
            for q in pending
        ]
        report = sandbox.run(cells, jobs, limits, deny_read)
        record["runs"] += 1
        if not record["cell_errors"]:
            record["cell_errors"] = [
                [i, kind, text, _first_line(cells[i]) if i < len(cells) else ""]
                for i, (kind, text) in sorted(report.cell_errors.items())
            ]
        for q in pending:
            outcome = _judge(q, cases[q.id], report, program)
            if outcome is not None:
                outcomes[q.id] = outcome
        pending = [q for q in pending if q.id not in outcomes]
        if not pending:
            break
        status = TIMEOUT if report.timed_out else CRASHED
        dying = next((q for q in pending if q.id == report.question), None)
        if dying is not None and not report.finished:
            outcomes[dying.id] = dying.outcome(status, f"`{dying.function}` {report.death} while the grader called it.")
            pending = [q for q in pending if q.id != dying.id]
            continue  # a fresh sandbox for the questions after it
        untrusted = ()
        if report.finished:
            why = "the grader could not read what the notebook reported for it"
        elif report.cell is not None and report.cell < len(cells):
            untrusted = (_first_line(cells[report.cell]),)  # the student's source: shown literally
            why = f"the notebook {report.death} while running code cell {report.cell + 1} (`{untrusted[0]}`)"
        else:
            why = f"the notebook {report.death} before its first cell ran"
        for q in pending:
            outcomes[q.id] = q.outcome(status if not report.finished else CRASHED, f"Not graded: {why}.", "", untrusted)
        break


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    text = lines[0] if lines else ""
    return text if len(text) <= 60 else text[:57] + "..."


def _judge(q: Question, cases, report: sandbox.Report, program: static.Program) -> Outcome | None:
    if q.id in report.missing:
        return q.outcome(MISSING, _missing_message(q, program))
    if q.id in report.not_from_scratch:
        return _not_from_scratch(q, *report.not_from_scratch[q.id])
    if q.id in report.not_callable:
        kind = report.not_callable[q.id]  # a type name the notebook chose: shown literally
        return q.outcome(INCORRECT, f"`{q.function}` is a `{kind}`, not a function.", "", (kind,))
    results = report.results.get(q.id)
    if results is None:
        return None
    if len(results) != len(cases):
        return q.outcome(CRASHED, "The grader could not read the results of this question (the notebook tampered).")
    return q.judge(cases, results, graded=True)


def _not_from_scratch(q: Question, package: str, where: str) -> Outcome:
    """The run-time watch saw a forbidden package's code run (``where``: reported by the sandbox, untrusted)."""
    allowed = f"Write it with plain Python/NumPy ({', '.join(q.forbidden)} are not allowed here)."
    if package == "threads":
        message = (
            f"`{q.function}` was called while a thread started by an earlier cell was still running; the grader "
            f"cannot see what that thread runs, so the answer cannot count as from scratch. Start no threads."
        )
        return q.outcome(NOT_FROM_SCRATCH, message)
    if package not in q.forbidden:
        message = f"`{q.function}` switched off the grader's watch ({where}) while it ran. {allowed}"
        return q.outcome(NOT_FROM_SCRATCH, message, "", (where,))
    message = f"`{q.function}` must be written from scratch, but code of {package} ran while the grader called it ({where}). {allowed}"
    return q.outcome(NOT_FROM_SCRATCH, message, "", (where,))


def _missing_message(q: Question, program: static.Program) -> str:
    close = difflib.get_close_matches(q.function, sorted(program.functions), n=1, cutoff=0.6)
    if close:
        return (
            f"The notebook defines no function `{q.function}`; did you rename it to `{close[0]}`? Keep the given name."
        )
    return f"The notebook defines no function `{q.function}` (was its cell deleted? the exercise notebook has it)."
