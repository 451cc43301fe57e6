"""``python -m kneesci check [PATH]``: check a knowledge-base folder and list every problem."""

import sys

from .course.check import main

sys.exit(main())
