"""The widget layer: the only part of kneesci that imports ipywidgets.

The explorer is imported at once; the other widgets (and matplotlib, which the game, comparison,
nomogram and management views draw with) load on first use, so a class's explorer kernels do not
each carry a plotting library they never call (docs/performance.md, "Memory").
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .apphost import short_tracebacks_in_an_app
from .explorer import Explorer

if TYPE_CHECKING:
    from .compare import Comparison
    from .game import DiagnosticGame
    from .management import ManagementExplorer
    from .nomogram import NomogramExplorer
    from .quiz import Feedback, MultipleChoice, NumericAnswer, exercise

# name -> the module of this package that defines it
_LAZY = {
    "Comparison": "compare",
    "DiagnosticGame": "game",
    "ManagementExplorer": "management",
    "NomogramExplorer": "nomogram",
    "Feedback": "quiz",
    "MultipleChoice": "quiz",
    "NumericAnswer": "quiz",
    "exercise": "quiz",
}

__all__ = [
    "Comparison",
    "DiagnosticGame",
    "Explorer",
    "Feedback",
    "ManagementExplorer",
    "MultipleChoice",
    "NomogramExplorer",
    "NumericAnswer",
    "exercise",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # the next look-up is a plain attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


short_tracebacks_in_an_app()  # a Voila app's errors show no paths or source lines (apphost.py)
