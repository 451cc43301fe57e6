"""Errors in an app kernel are reported by type and message only: no file paths, no source lines.

A Voila page runs its notebook in a kernel whose errors (a widget callback that raises, a widget
state a forged message made invalid) go to every socket of that kernel, the page's included.
voila.json's `allow_tracebacks: false` has the server withhold them; this is the same rule inside
the kernel, for an app served without that file. It applies only in a kernel Voila started (Voila
puts `VOILA_KERNEL_ID` or `VOILA_PREHEAT` in its environment), never in a student's notebook, where
the full traceback is what a learner needs.
"""

from __future__ import annotations

import os

VOILA_ENVIRONMENT = ("VOILA_KERNEL_ID", "VOILA_PREHEAT")


def in_a_voila_kernel() -> bool:
    return any(name in os.environ for name in VOILA_ENVIRONMENT)


def short_tracebacks_in_an_app() -> bool:
    """Switch IPython's error reports to type and message in a Voila kernel; True if switched."""
    if not in_a_voila_kernel():
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    # "Minimal" is IPython's `%xmode Minimal`, set quietly (the magic prints a line to the page).
    shell.InteractiveTB.set_mode("Minimal")
    return True
