"""The widget layer: the only part of kneesci that imports ipywidgets."""

from .explorer import Explorer
from .quiz import Feedback, MultipleChoice, NumericAnswer

__all__ = ["Explorer", "Feedback", "MultipleChoice", "NumericAnswer"]
