"""``python -m course_lib.grading`` is ``course-grade``."""

import sys

from .cli import main

sys.exit(main())
