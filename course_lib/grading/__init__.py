"""The class grader: ``course-grade SUBMISSIONS_DIR --out OUT_DIR`` (or ``python -m course_lib.grading``).

- :mod:`.submissions` reads a submitted notebook as data;
- :mod:`.static` checks from-scratch answers without running them;
- :mod:`.sandbox` runs a notebook in a separate, limited process (:mod:`._child`, :mod:`._guard`);
- :mod:`.grader` turns one notebook into a record of typed outcomes;
- :mod:`.gradebook` keeps the records crash-safe and writes grades.csv and feedback/;
- :mod:`.cli` is the command line.

The grader process never imports or runs student code: it judges only numbers
that the students' functions returned in the sandbox, on inputs it made itself.
"""
