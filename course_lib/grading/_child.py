"""The sandboxed side of the grader: run one student notebook, call its functions, send back numbers.

Started by :mod:`course_lib.grading.sandbox` as a fresh ``python -I -B`` process
in an empty temporary folder with a scrubbed environment. In order, it

1. limits itself (address space, CPU seconds, file size, open files, no core dumps),
   before anything of the student's exists in the process;
2. reads the job (the notebook's code cells and the calls to make) from a file that
   it deletes at once, and points stdin at /dev/null;
3. installs the audit hook of :mod:`course_lib.grading._guard`;
4. runs every code cell in an IPython shell (no kernel: magics work, nothing listens
   on a socket), going on after a cell that raises, as "Run All" with errors would;
5. for each question, looks the function up by name and calls it on each case,
   converting the return value to plain numbers (:func:`course_lib.checks._plain.to_plain`).

Everything it reports is one JSON object per line on the result pipe (a file
descriptor the grader passed, not stdout): ``{"run": i}`` before cell i,
``{"cell": i, "error": [kind, text]}``, ``{"start": id}`` before question id,
``{"q": id, ...}`` with its results, and ``{"done": true}``. The grader treats all
of it as untrusted: it only ever reads numbers out of it and judges them itself.
"""

from __future__ import annotations

import json
import os
import resource
import sys


def _limit(memory_mb: int, cpu_seconds: int, file_mb: int) -> None:
    mib = 1 << 20
    for which, soft, hard in (
        (resource.RLIMIT_AS, memory_mb * mib, memory_mb * mib),
        (resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 2),
        (resource.RLIMIT_FSIZE, file_mb * mib, file_mb * mib),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_NOFILE, 256, 256),
    ):
        resource.setrlimit(which, (soft, hard))


class _Channel:
    """Newline-delimited JSON to the grader, one ``os.write`` per record."""

    def __init__(self, fd: int):
        self.fd = fd
        self.dumps = json.dumps

    def send(self, record: dict) -> None:
        data = (self.dumps(record) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data) :]


def _text(exc: BaseException) -> str:
    try:
        text = " ".join(str(exc).split())
    except Exception:  # noqa: BLE001 - a hostile __str__
        text = ""
    return text[:300]


def main(argv: list[str]) -> None:
    job_path, fd = argv[0], int(argv[1])
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    os.unlink(job_path)
    _limit(job["memory_mb"], job["cpu_seconds"], job["file_mb"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    channel = _Channel(fd)

    import numpy  # noqa: F401 - imported before the guard and the student: a cheaper audit trail
    from traitlets.config import Config

    from course_lib.checks._args import decode
    from course_lib.checks._plain import to_json
    from course_lib.checks.framework import Raised, Refused, Returned, call_learner
    from course_lib.grading import _guard, _scratch

    config = Config()
    config.HistoryManager.enabled = False
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(config=config, colors="nocolor")
    _guard.install(os.getcwd(), job["deny_read"])
    watch = _scratch.Watch()
    watch.install()  # before the first cell: every thread the notebook starts carries the hook

    for index, source in enumerate(job["cells"]):
        channel.send({"run": index})
        result = shell.run_cell(source, store_history=False)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            channel.send({"cell": index, "error": [type(error).__name__, _text(error)]})

    for question in job["questions"]:
        channel.send({"start": question["id"]})
        function = shell.user_ns.get(question["function"])
        if function is None:
            channel.send({"q": question["id"], "missing": True})
            continue
        if not callable(function):
            channel.send({"q": question["id"], "not_callable": type(function).__name__[:60]})
            continue
        forbidden = tuple(question.get("forbidden") or ())
        if forbidden and watch.other_threads():
            channel.send({"q": question["id"], "not_from_scratch": ["threads", str(watch.other_threads())]})
            continue
        callee = watch.watched(function, forbidden) if forbidden else function
        results = []
        for encoded in question["cases"]:
            try:
                result = call_learner(callee, decode(encoded))
            except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt from student code
                result = Raised(type(exc).__name__, _text(exc))
            if forbidden and watch.caught is not None:
                break  # a forbidden package ran: the verdict is known, whatever the answer returned
            if isinstance(result, Returned):
                results.append({"ok": to_json(result)})
            elif isinstance(result, Refused):
                results.append({"refused": result.reason})
            else:
                results.append({"raised": [result.kind, result.text]})
        if forbidden and watch.caught is not None:
            channel.send({"q": question["id"], "not_from_scratch": list(watch.caught)})
        else:
            channel.send({"q": question["id"], "results": results})
    channel.send({"done": True})
    sys.stdout.flush()
    os._exit(0)  # no atexit handlers, no waiting for threads the notebook started


if __name__ == "__main__":
    main(sys.argv[1:])
