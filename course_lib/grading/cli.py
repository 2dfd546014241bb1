"""``course-grade SUBMISSIONS_DIR --out OUT_DIR``: grade a class of filled exercise notebooks.

Exit status: 0 when grading finished (whatever the students scored), 2 when the
arguments are unusable, 3 when the grader itself cannot run (its sandbox cannot
start, a checks module is broken), 130 when interrupted (rerun to resume). Every
failure of the grader is one line on stderr starting with ``course-grade: error:``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import secrets
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from course_lib.grading import sandbox
from course_lib.grading.gradebook import Gradebook
from course_lib.grading.grader import GraderError, file_digest, grade_notebook, lessons, notebook_seed

EXIT_OK, EXIT_USAGE, EXIT_GRADER, EXIT_INTERRUPTED = 0, 2, 3, 130


class _Usage(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course-grade",
        description="Grade every student's exercise notebooks in a sandbox; write grades.csv and feedback/.",
    )
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR", help="one folder per student")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR", help="where results go")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="per notebook run (60)")
    parser.add_argument("--memory", type=int, default=2048, metavar="MB", help="memory per notebook (2048)")
    parser.add_argument(
        "--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)), metavar="N", help="notebooks at once"
    )
    parser.add_argument("--force", action="store_true", help="grade again what is already graded")
    parser.add_argument("--seed", type=int, default=None, help="make the random test cases reproducible")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _students(folder: Path) -> list[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise _Usage(f"cannot read {folder}: {exc.strerror}") from None
    students = [e.name for e in entries if not e.name.startswith(".") and e.is_dir()]
    if not students:
        raise _Usage(f"{folder} holds no student folders (expected one folder per student)")
    return students


def _lock(out: Path):
    handle = open(out / ".lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise _Usage(f"another course-grade is writing to {out}") from None
    return handle


def _preflight(limits: sandbox.Limits) -> None:
    """Run a two-line notebook in the sandbox: if that fails, the grader cannot grade anyone."""
    from course_lib.checks._args import Args, encode

    report = sandbox.run(
        ["def plus_one(x):\n    return x + 1"],
        [{"id": "preflight", "function": "plus_one", "cases": [encode(Args(41))]}],
        sandbox.Limits(timeout=max(30.0, limits.timeout), memory_mb=limits.memory_mb, file_mb=limits.file_mb),
    )
    results = report.results.get("preflight")
    if not report.finished or not results or getattr(results[0], "value", None) != 42:
        last = " | ".join(report.tail.strip().splitlines()[-3:]) or report.death or "no output"
        raise GraderError(f"the sandbox cannot run a trivial notebook ({last})")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _grade(args)
    except _Usage as exc:
        print(f"course-grade: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GraderError as exc:
        print(f"course-grade: error: {exc}", file=sys.stderr)
        return EXIT_GRADER


def _grade(args) -> int:
    if not args.submissions.is_dir():
        raise _Usage(f"{args.submissions} is not a folder")
    if args.timeout <= 0 or args.memory < 256 or args.jobs < 1:
        raise _Usage("--timeout must be > 0, --memory at least 256 (MB), --jobs at least 1")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _Usage(f"cannot create {args.out}: {exc.strerror}") from None
    submissions = args.submissions.resolve()
    out = args.out.resolve()
    if out == submissions or submissions in out.parents:
        raise _Usage("OUT_DIR must not be inside SUBMISSIONS_DIR (it would look like a student)")
    lock = _lock(out)
    try:
        return _grade_locked(args, submissions, out)
    finally:
        lock.close()


def _grade_locked(args, submissions: Path, out: Path) -> int:
    by_notebook = lessons()
    notebooks = sorted(by_notebook)
    students = _students(submissions)
    limits = sandbox.Limits(timeout=args.timeout, memory_mb=args.memory)
    _preflight(limits)
    book = Gradebook(out)
    class_seed = args.seed if args.seed is not None else secrets.randbits(63)
    deny_read = [str(submissions), str(out)]
    tasks = [
        (student, notebook)
        for student in students
        for notebook in notebooks
        if args.force or not book.is_done(student, notebook, file_digest(submissions / student / notebook))
    ]
    start = time.monotonic()
    progress = _progress(len(students) * len(notebooks), len(students) * len(notebooks) - len(tasks), args)
    graded = 0
    executor = ThreadPoolExecutor(max_workers=args.jobs)
    try:
        futures = {
            executor.submit(
                _grade_one,
                student,
                submissions / student / notebook,
                by_notebook[notebook],
                limits,
                class_seed,
                deny_read,
            ): (student, notebook)
            for student, notebook in tasks
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                student, _ = futures[future]
                book.save(future.result())
                book.write_feedback(student, notebooks)
                book.write_csv(students, notebooks)
                graded += 1
                if progress is not None:
                    progress.set_postfix_str(student[:20], refresh=False)
                    progress.update(1)
    except KeyboardInterrupt:
        executor.shutdown(wait=False, cancel_futures=True)
        sandbox.kill_all()
        executor.shutdown(wait=True)
        if progress is not None:
            progress.close()
        book.write_csv(students, notebooks)  # the gradebook matches every record saved so far
        for student in students:
            book.write_feedback(student, notebooks)
        print(
            f"course-grade: interrupted after {graded} notebooks; every grade so far is saved in {out}. "
            "Run the same command again to resume.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    executor.shutdown(wait=True)
    if progress is not None:
        progress.close()
    for student in students:
        book.write_feedback(student, notebooks)
    book.write_csv(students, notebooks)
    seconds = time.monotonic() - start
    print(
        f"course-grade: graded {graded} notebooks ({len(students)} students x {len(notebooks)} exercises, "
        f"{len(students) * len(notebooks) - len(tasks)} already graded) in {seconds:.1f} s -> "
        f"{out / 'grades.csv'} and {out / 'feedback'}/",
        file=sys.stderr,
    )
    return EXIT_OK


def _grade_one(student, path, module, limits, class_seed, deny_read) -> dict:
    seed = notebook_seed(class_seed, student, path.name)
    try:
        return grade_notebook(student, path, module, limits, seed, deny_read)
    except Exception as exc:  # noqa: BLE001 - a grader bug on one notebook must not stop the class
        from course_lib.checks.framework import CRASHED

        rows = [
            {
                "title": q.title,
                "question": q.id,
                "status": CRASHED,
                "points": 0,
                "max_points": q.points,
                "message": f"The grader failed on this notebook ({type(exc).__name__}: {exc}); it will retry on rerun.",
                "details": "",
            }
            for q in module.QUESTIONS
        ]
        print(
            f"course-grade: warning: grading {student}/{path.name} failed: {type(exc).__name__}: {exc}", file=sys.stderr
        )
        return {
            "version": 1,
            "student": student,
            "notebook": path.name,
            "seed": seed,
            "digest": None,
            "grader_error": True,
            "rows": rows,
            "cell_errors": [],
            "runs": 0,
            "seconds": 0.0,
        }


def _progress(total: int, initial: int, args):
    if args.no_progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="notebook", desc="grading", file=sys.stderr, dynamic_ncols=True)
