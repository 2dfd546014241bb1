"""Inline exercise checks: ``from course_lib.checks import lesson02 as check; check.q1(my_function)``.

Each ``lessonNN`` module holds the questions of ``exercises/NN_topic.ipynb``. How to
write one (and its solutions notebook) is in course_lib/checks/README.md.
"""

from course_lib.checks._args import Args
from course_lib.checks.framework import Mistake, Outcome, Question

__all__ = ["Args", "Mistake", "Outcome", "Question"]
