"""Run a few lines in a fresh interpreter: what a new kernel imports, before anything else has."""

from __future__ import annotations

import subprocess
import sys


def fresh_python(code: str) -> str:
    """The stripped standard output of `code` run by a new Python process (raises on failure)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()
