"""``python -m course_lib.grading`` is ``course-grade``."""

import sys

from course_lib.grading.cli import main

sys.exit(main())
