"""The widget layer: the only part of kneesci that imports ipywidgets."""

from .apphost import short_tracebacks_in_an_app
from .compare import Comparison
from .explorer import Explorer
from .game import DiagnosticGame
from .management import ManagementExplorer
from .nomogram import NomogramExplorer
from .quiz import Feedback, MultipleChoice, NumericAnswer, exercise

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

short_tracebacks_in_an_app()  # a Voila app's errors show no paths or source lines (apphost.py)
