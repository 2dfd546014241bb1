"""The output folder: records that survive a crash, grades.csv and one feedback file per student.

    OUT_DIR/records/<student>/<notebook>.json   one per graded notebook, written atomically
    OUT_DIR/grades.csv                          student, notebook, question, points, max_points, status, message
    OUT_DIR/feedback/<student>.md               per-student feedback with every diagnosis

The records are the truth: each is written to a temporary file, fsynced and
renamed into place the moment its notebook is graded, so a crash, a kill or
Ctrl-C loses at most the notebooks being graded at that instant. grades.csv and
the feedback files are rebuilt from the records (again atomically) after every
notebook. A rerun skips every notebook whose record exists and whose file has
not changed since; ``--force`` grades everything again.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
from pathlib import Path

from course_lib.grading.grader import RECORD_VERSION

CSV_COLUMNS = ("student", "notebook", "question", "points", "max_points", "status", "message")


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:  # Ctrl-C in the middle: the old file stays whole, and no temporary is left behind
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class Gradebook:
    def __init__(self, out_dir: Path):
        self.out = out_dir
        self.records_dir = out_dir / "records"
        self.feedback_dir = out_dir / "feedback"

    def record_path(self, student: str, notebook: str) -> Path:
        return self.records_dir / student / f"{notebook}.json"

    def load(self, student: str, notebook: str) -> dict | None:
        try:
            record = json.loads(self.record_path(student, notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if type(record) is not dict or record.get("version") != RECORD_VERSION or "rows" not in record:
            return None
        return record

    def is_done(self, student: str, notebook: str, digest: str | None) -> bool:
        """Graded already, and the submission is the same file (or still absent)."""
        record = self.load(student, notebook)
        return record is not None and not record.get("grader_error") and record.get("digest") == digest

    def save(self, record: dict) -> None:
        atomic_write(self.record_path(record["student"], record["notebook"]), json.dumps(record, indent=1) + "\n")

    def write_csv(self, students: list[str], notebooks: list[str]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for student in students:
            for notebook in notebooks:
                record = self.load(student, notebook)
                for row in record["rows"] if record else []:
                    writer.writerow(
                        [
                            _cell(student),
                            notebook,
                            row["question"],
                            row["points"],
                            row["max_points"],
                            row["status"],
                            _cell(row["message"]),
                        ]
                    )
        atomic_write(self.out / "grades.csv", buffer.getvalue())

    def write_feedback(self, student: str, notebooks: list[str]) -> None:
        records = [r for r in (self.load(student, nb) for nb in notebooks) if r is not None]
        atomic_write(self.feedback_dir / f"{student}.md", feedback_markdown(student, records))


def _cell(text: str) -> str:
    """One line, and no leading = + - @ (a spreadsheet would run it as a formula)."""
    text = " ".join(str(text).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# ---------------------------------------------------------------------------------------------------------------
# Feedback. The course's own words are Markdown (`code`, *emphasis*) and render as such. Text that came from the
# student (exception names and messages, a cell's first line, anything the sandbox reported) is untrusted: each
# piece is rendered either as a code span with a delimiter it cannot close, or as text with every ASCII punctuation
# character backslash-escaped, so it can never become markup (links, HTML, emphasis) in the instructor's view.

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _literal(text: str) -> str:
    """``text`` as literal Markdown text: CommonMark renders every backslash-escaped punctuation character as itself."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def _code(text: str) -> str:
    """``text`` as one code span (shown verbatim, HTML included), whatever backticks it holds."""
    text = " ".join(str(text).split())
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fenced(text: str) -> str:
    return "```text\n" + str(text).replace("```", "'''") + "\n```"


def _message(row: dict) -> str:
    """A row's message as Markdown: the course's text as written, the student's pieces (``untrusted``) literal."""
    message = " ".join(str(row["message"]).split())
    if "untrusted" not in row:  # a record from before messages said which parts are the student's: all literal
        return _literal(message)
    pieces = sorted({" ".join(str(p).split()) for p in row["untrusted"]} - {""}, key=len, reverse=True)
    if not pieces:
        return message
    out, position, in_code = [], 0, False
    for match in re.finditer("|".join(map(re.escape, pieces)), message):
        course = message[position : match.start()]
        in_code ^= course.count("`") % 2 == 1
        after = message[match.end() : match.end() + 1]
        if in_code and course.endswith("`") and after == "`":  # `piece`: the whole span is the student's text
            out += [course[:-1], _code(match.group())]
            position, in_code = match.end() + 1, False
        elif in_code:  # inside a longer code span: only a backtick could end it early
            out += [course, match.group().replace("`", "'")]
            position = match.end()
        else:
            out += [course, _literal(match.group())]
            position = match.end()
    return "".join(out) + message[position:]


def _cell_text(text: str) -> str:
    """A title (the course's Markdown) inside a table cell, where a bare ``|`` would end the cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def feedback_markdown(student: str, records: list[dict]) -> str:
    total = sum(row["points"] for r in records for row in r["rows"])
    possible = sum(row["max_points"] for r in records for row in r["rows"])
    out = [f"# Feedback: {_code(student)}", "", f"**Total: {total} / {possible} points**", ""]
    for record in records:
        rows = record["rows"]
        got, of = sum(r["points"] for r in rows), sum(r["max_points"] for r in rows)
        out += [f"## {record['notebook']}: {got} / {of} points", ""]
        if len({(r["status"], r["message"]) for r in rows}) == 1 and rows[0]["status"] != "correct":
            out += [f"{rows[0]['status'].capitalize()}: {_message(rows[0])}", ""]  # one cause for all
            continue
        out += ["| question | points | status |", "|---|---:|---|"]
        for row in rows:
            out.append(
                f"| {row['question']}: {_cell_text(row['title'])} | {row['points']}/{row['max_points']} | {row['status']} |"
            )
        out.append("")
        for row in rows:
            if row["status"] == "correct":
                continue
            out += [f"### {row['question']}: {row['status']}", "", _message(row), ""]
            if row.get("details"):
                out += [_fenced(row["details"]), ""]
        if record.get("cell_errors"):
            out += ["Cells that raised an error while the grader ran the notebook:", ""]
            for index, kind, text, first_line in record["cell_errors"]:
                out.append(f"- code cell {index + 1} ({_code(first_line)}): {_code(f'{kind}: {text}')}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
