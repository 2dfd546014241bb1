"""Running one notebook in a separate, limited process and reading back what it reports.

Why a plain subprocess with an IPython shell rather than a Jupyter kernel
(nbclient): the grader needs the values the student's functions return, through
a channel the notebook does not own. A kernel would hand them back through the
same stdout/display stream that the student's code writes to (so a notebook can
print a forged result), start ZeroMQ sockets and extra threads, and take a second
or more to start. A plain ``python -I -B`` child reports over its own pipe, sets
its rlimits before any student code exists, runs IPython syntax through
``InteractiveShell.run_cell`` (magics work), and starts in about 0.3 s.

The grader side, here, enforces what the child cannot be trusted with: a
wall-clock deadline after which the whole process group is killed, bounded reads
(a flood of output is discarded, a flood of results is cut off), a fresh
temporary folder as working directory and HOME, and an environment with nothing
of the grader's in it.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from course_lib.checks._plain import Malformed, from_json
from course_lib.checks._time_limit import ran_past
from course_lib.checks.framework import Raised, Refused, Result

MAX_REPORT_BYTES = 64 << 20
TAIL_BYTES = 8192
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])  # the folder holding course_lib/
_LIVE: set[subprocess.Popen] = set()  # children to kill on Ctrl-C
_LIVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Limits:
    timeout: float = 60.0  # wall-clock seconds for one run of a notebook
    memory_mb: int = 2048  # address space (RLIMIT_AS)
    file_mb: int = 64  # largest file the notebook may write (RLIMIT_FSIZE)


@dataclass
class Report:
    """What one run of a notebook reported (all of it parsed defensively)."""

    cell_errors: dict[int, tuple[str, str]] = field(default_factory=dict)
    results: dict[str, list[Result]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    not_callable: dict[str, str] = field(default_factory=dict)
    not_from_scratch: dict[str, tuple[str, str]] = field(default_factory=dict)  # question -> (package, where)
    finished: bool = False
    death: str = ""  # why it stopped early: "timeout", or a crash described in words
    timed_out: bool = False
    cell: int | None = None  # the cell running when it stopped, if it stopped in the cells
    question: str | None = None  # the question running when it stopped
    tail: str = ""  # the last output of the notebook (for the grader's own failures)
    seconds: float = 0.0


def _environment(root: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "TMPDIR": str(root / "tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(root / ".matplotlib"),
        "IPYTHONDIR": str(root / ".ipython"),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "TQDM_DISABLE": "1",
        "COURSE_LIB_GRADING": "1",
    }


def _matplotlib_cache() -> Path | None:
    """The grader's own matplotlib font cache, copied into each sandbox so plotting does not rebuild it."""
    try:
        import matplotlib
        from matplotlib import font_manager  # noqa: F401 - builds the cache once, here

        return Path(matplotlib.get_cachedir())
    except Exception:  # noqa: BLE001 - no matplotlib, no cache: the notebook builds its own
        return None


_MPL_CACHE: list = []


def _prepare(root: Path) -> None:
    (root / "tmp").mkdir()
    (root / ".matplotlib").mkdir()
    if not _MPL_CACHE:
        _MPL_CACHE.append(_matplotlib_cache())
    cache = _MPL_CACHE[0]
    if cache is not None:
        for font_list in cache.glob("fontlist-*.json"):
            shutil.copy(font_list, root / ".matplotlib" / font_list.name)


def run(
    cells: list[str],
    questions: list[dict],
    limits: Limits,
    deny_read: list[str] = (),
) -> Report:
    """Run ``cells`` in a sandboxed child and call the functions of ``questions`` (each with encoded cases)."""
    root = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        _prepare(root)
        job = {
            "cells": cells,
            "questions": questions,
            "deny_read": [str(p) for p in deny_read],
            "memory_mb": limits.memory_mb,
            "cpu_seconds": max(1, int(limits.timeout) + 1),
            "file_mb": limits.file_mb,
        }
        job_path = root / ".job.json"
        job_path.write_text(json.dumps(job, allow_nan=True), encoding="utf-8")
        return _run_child(root, job_path, limits)
    finally:
        shutil.rmtree(root, onerror=_force_remove)


def _force_remove(function, path, _exc_info) -> None:
    try:
        os.chmod(os.path.dirname(path), 0o700)
        os.chmod(path, 0o700)
        function(path)
    except OSError:
        pass


def _run_child(root: Path, job_path: Path, limits: Limits) -> Report:
    read_end, write_end = os.pipe()
    bootstrap = (
        f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); "
        "from course_lib.grading._child import main; main(sys.argv[1:])"
    )
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", bootstrap, str(job_path), str(write_end)],
            cwd=root,
            env=_environment(root),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(write_end,),
            start_new_session=True,  # its own process group: one killpg takes everything it started
        )
    finally:
        os.close(write_end)
    with _LIVE_LOCK:
        _LIVE.add(proc)
    try:
        report_bytes, tail, timed_out, flooded = _collect(proc, read_end, start + limits.timeout)
    finally:
        os.close(read_end)
        _kill(proc)
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    report = _parse(report_bytes)
    report.seconds = time.monotonic() - start
    report.tail = tail.decode("utf-8", "replace")
    if not report.finished:
        report.timed_out = timed_out
        report.death = _death(proc.returncode, timed_out, flooded, limits)
    return report


def _collect(proc: subprocess.Popen, report_fd: int, deadline: float):
    """Read the result pipe (bounded) and the output (last bytes only) until both close or time runs out."""
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ, "out")
    selector.register(report_fd, selectors.EVENT_READ, "report")
    report, tail = bytearray(), bytearray()
    timed_out = flooded = False
    open_streams = 2
    while open_streams:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        for key, _ in selector.select(timeout=min(remaining, 1.0)):
            fd = key.fileobj if isinstance(key.fileobj, int) else key.fileobj.fileno()
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
            elif key.data == "out":
                tail = (tail + chunk)[-TAIL_BYTES:]
            else:
                report += chunk
                if len(report) > MAX_REPORT_BYTES:
                    flooded = True
                    open_streams = 0
                    break
    selector.close()
    if not timed_out and not flooded:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
    return bytes(report), bytes(tail), timed_out, flooded


def _kill(proc: subprocess.Popen) -> None:
    """Kill the child's whole process group (harmless if it is already gone), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def kill_all() -> None:
    """Kill every sandbox still running (on Ctrl-C)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _death(returncode: int, timed_out: bool, flooded: bool, limits: Limits) -> str:
    if timed_out:
        return ran_past(limits.timeout)  # the inline check's words too
    if flooded:
        return "sent the grader more than 64 MB of results"
    if returncode is not None and returncode < 0:
        sig = -returncode
        if sig == signal.SIGSEGV:
            return "crashed the Python process with a segmentation fault"
        if sig == signal.SIGXCPU:
            return f"used more than {limits.timeout:g} s of CPU time"
        if sig == signal.SIGXFSZ:
            return f"tried to write a file larger than {limits.file_mb} MB"
        if sig == signal.SIGKILL:
            return f"was killed (out of memory? the limit is {limits.memory_mb} MB)"
        return f"was killed by signal {signal.Signals(sig).name if sig in signal.Signals else sig}"
    return f"ended the Python process (exit status {returncode}) before grading finished (os._exit or sys.exit?)"


def _parse(data: bytes) -> Report:
    """The child's records; anything malformed is ignored, the first answer to a question counts."""
    report = Report()
    for line in data.split(b"\n"):
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if type(record) is not dict:
            continue
        try:
            _apply(report, record)
        except (Malformed, KeyError, TypeError, ValueError, IndexError):
            continue
    return report


def _apply(report: Report, record: dict) -> None:
    if "run" in record and type(record["run"]) is int:
        report.cell, report.question = record["run"], None
    elif "cell" in record and type(record["cell"]) is int and "error" in record:
        kind, text = record["error"]
        report.cell_errors.setdefault(record["cell"], (str(kind)[:60], str(text)[:300]))
    elif "start" in record and type(record["start"]) is str:
        report.cell, report.question = None, record["start"]
    elif "q" in record and type(record["q"]) is str:
        qid = record["q"]
        if (
            qid in report.results
            or qid in report.missing
            or qid in report.not_callable
            or qid in report.not_from_scratch
        ):
            return
        if record.get("missing") is True:
            report.missing.add(qid)
        elif "not_callable" in record:
            report.not_callable[qid] = str(record["not_callable"])[:60]
        elif "not_from_scratch" in record:
            package, where = record["not_from_scratch"]
            report.not_from_scratch[qid] = (str(package)[:60], str(where)[:200])
        else:
            report.results[qid] = [_result(r) for r in record["results"]]
        report.question = None
    elif record.get("done") is True:
        report.finished = True
        report.cell = report.question = None


def _result(record) -> Result:
    if type(record) is not dict or len(record) != 1:
        raise Malformed("bad result")
    if "ok" in record:
        return from_json(record["ok"])
    if "refused" in record:
        return Refused(str(record["refused"])[:200])
    kind, text = record["raised"]
    return Raised(str(kind)[:60], str(text)[:300])
