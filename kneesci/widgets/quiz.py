"""Exercise widgets: a question, a Check button and immediate, explained feedback.

Students click; tests and notebooks call `.check()` with the same effect. Feedback is written
into an HTML region with role="status" so screen readers announce it, and it always starts with
the words "Correct" or "Not quite", so colour is never the only cue.

>>> q = MultipleChoice("Which root supplies the medial malleolus?", ["L3", "L4", "L5", "S1"],
...                    answer="L4", explanation="It is the L4 key sensory point.")
>>> q.check("L4").correct
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import ipywidgets as widgets

from ..course.exercises import get_exercise
from ..model.knowledge_base import KnowledgeBase, load

CORRECT = "Correct"
NOT_QUITE = "Not quite"

# Colours pair with a symbol and a word; the green/orange pair stays distinct in colour blindness.
_STYLE = {
    True: ("&#10003;", "#00734F", "#E6F4EF"),  # check mark
    False: ("&#10007;", "#A34400", "#FDF0E6"),  # cross
    None: ("&#8505;", "#333333", "#F2F2F2"),  # information sign, for prompts
}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or wrong, and a message that explains why."""

    correct: bool
    message: str


def _verdict(correct: bool, detail: str, explanation: str) -> Feedback:
    """A Feedback whose message leads with the verdict word, then the detail and explanation."""
    head = CORRECT if correct else NOT_QUITE
    parts = [f"{head}{': ' + detail if detail else '.'}"]
    if explanation:
        parts.append(explanation)
    return Feedback(correct, " ".join(parts))


def _as_feedback(result: Any, explanation: str) -> Feedback:
    """Accept a checker's Feedback as is, or turn a plain True/False into one."""
    if isinstance(result, Feedback):
        return result
    if isinstance(result, bool):
        return _verdict(result, "", explanation)
    raise TypeError(
        f"An answer checker must return Feedback or a bool, not {type(result).__name__}."
    )


def _feedback_html(correct: bool | None, message: str) -> str:
    """Markup for the feedback region: symbol + text + colour, announced politely."""
    symbol, colour, background = _STYLE[correct]
    return (
        '<div role="status" aria-live="polite" '
        f'style="border-left: 4px solid {colour}; background: {background}; color: {colour}; '
        'padding: 4px 8px; margin-top: 4px;">'
        f'<span aria-hidden="true">{symbol}</span> {html.escape(message)}</div>'
    )


class _Exercise:
    """Shared parts: the question text, the feedback region, and display in a notebook."""

    def __init__(self, question: str, explanation: str, title: str = ""):
        if not str(question).strip():
            raise ValueError("An exercise needs a question; got an empty string.")
        self.question = str(question)
        self.explanation = str(explanation)
        self.title = title
        self.feedback: Feedback | None = None
        heading = (
            f"<span class='kneesci-exercise-title'>{html.escape(title)}</span><br>" if title else ""
        )
        self.prompt = widgets.HTML(f"<p>{heading}<strong>{html.escape(self.question)}</strong></p>")
        self.status = widgets.HTML(
            '<div role="status" aria-live="polite"></div>',
            layout=widgets.Layout(width="100%"),
        )
        self.check_button = widgets.Button(
            description="Check",
            tooltip="Check your answer",
            icon="check",
            button_style="",
        )
        self.check_button.on_click(self._on_click)

    @property
    def widget(self) -> widgets.VBox:
        """The ipywidgets layout shown in the notebook."""
        return self.box

    def _show(self, correct: bool | None, message: str) -> None:
        self.status.value = _feedback_html(correct, message)

    def _record(self, feedback: Feedback) -> Feedback:
        self.feedback = feedback
        self._show(feedback.correct, feedback.message)
        return feedback

    def _on_click(self, _button: widgets.Button) -> None:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        # A widget view where a kernel is live, the question as text everywhere else (HTML export).
        bundle = self.box._repr_mimebundle_(**kwargs) or {}
        bundle = dict(bundle)
        bundle["text/plain"] = repr(self)
        return bundle


class MultipleChoice(_Exercise):
    """A single-answer multiple-choice question.

    `answer` is one of `options`, or a callable that takes the chosen option and returns
    Feedback (or a bool), for answers that kneesci checks against the model.
    """

    def __init__(
        self,
        question: str,
        options: Sequence[str],
        answer: str | Callable[[str], Feedback | bool],
        explanation: str = "",
        title: str = "",
    ):
        super().__init__(question, explanation, title)
        self.options: tuple[str, ...] = tuple(str(o) for o in options)
        if len(self.options) < 2:
            raise ValueError(f"A multiple-choice question needs two or more options: {question!r}.")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"Options must differ from one another: {self.options!r}.")
        if not callable(answer) and answer not in self.options:
            raise ValueError(
                f"The answer {answer!r} is not one of the options {list(self.options)!r}."
            )
        self.answer = answer
        self.choices = widgets.RadioButtons(
            options=self.options,
            value=None,
            description="Answer",  # the accessible name of the radio group
            style={"description_width": "initial"},
            layout=widgets.Layout(width="max-content"),
        )
        self.box = widgets.VBox(
            [self.prompt, self.choices, self.check_button, self.status],
            layout=widgets.Layout(margin="8px 0"),
        )

    def __repr__(self) -> str:
        lines = [self.title] if self.title else []
        lines.append(self.question)
        lines += [f"  {chr(ord('A') + i)}. {o}" for i, o in enumerate(self.options)]
        return "\n".join(lines)

    def check(self, choice: str) -> Feedback:
        """Judge one option, show the feedback in the widget, and return it."""
        if choice not in self.options:
            raise ValueError(f"{choice!r} is not one of the options {list(self.options)!r}.")
        if callable(self.answer):
            feedback = _as_feedback(self.answer(choice), self.explanation)
        else:
            feedback = _verdict(choice == self.answer, "", self.explanation)
        return self._record(feedback)

    def _on_click(self, _button: widgets.Button) -> None:
        if self.choices.value is None:
            self._show(None, "Choose one of the options first, then press Check.")
            return
        self.check(self.choices.value)


def parse_number(text: str | Real) -> float:
    """Read a student's typed number, forgiving a trailing % and a decimal comma.

    >>> parse_number(" 42,5 % ")
    42.5
    """
    if isinstance(text, bool):
        raise TypeError("Give a number, not True/False.")
    if isinstance(text, Real):
        value = float(text)
    else:
        cleaned = str(text).strip().rstrip("%").strip().replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            raise ValueError(f"{text!r} is not a number; type digits such as 42 or 42.5.") from None
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number.")
    return value


class NumericAnswer(_Exercise):
    """A question answered with a number, accepted within +/- `tolerance` of `answer`.

    `answer` may be a callable that takes the number and returns Feedback (or a bool).
    """

    def __init__(
        self,
        question: str,
        answer: float | Callable[[float], Feedback | bool],
        tolerance: float = 0.0,
        explanation: str = "",
        unit: str = "",
        title: str = "",
    ):
        super().__init__(question, explanation, title)
        if not callable(answer):
            answer = parse_number(answer)
        if not (isinstance(tolerance, Real) and tolerance >= 0 and math.isfinite(tolerance)):
            raise ValueError(f"tolerance must be a finite number >= 0, not {tolerance!r}.")
        self.answer = answer
        self.tolerance = float(tolerance)
        self.unit = unit
        self.entry = widgets.Text(
            value="",
            placeholder="type a number",
            description="Answer" + (f" ({unit})" if unit else ""),
            style={"description_width": "initial"},
            continuous_update=False,
        )
        self.box = widgets.VBox(
            [self.prompt, widgets.HBox([self.entry, self.check_button]), self.status],
            layout=widgets.Layout(margin="8px 0"),
        )

    def __repr__(self) -> str:
        head = f"{self.title}\n" if self.title else ""
        return f"{head}{self.question}\n  Answer: ____{' ' + self.unit if self.unit else ''}"

    def check(self, value: float | str) -> Feedback:
        """Judge one number, show the feedback in the widget, and return it."""
        number = parse_number(value)
        if callable(self.answer):
            feedback = _as_feedback(self.answer(number), self.explanation)
        else:
            # A small allowance so that 0.1 + 0.2 style rounding never fails a right answer.
            gap = number - self.answer
            if abs(gap) <= self.tolerance + 1e-9:
                feedback = _verdict(True, "", self.explanation)
            else:
                direction = "too high" if gap > 0 else "too low"
                feedback = _verdict(False, f"{_fmt(number)} is {direction}.", self.explanation)
        return self._record(feedback)

    def _on_click(self, _button: widgets.Button) -> None:
        if not self.entry.value.strip():
            self._show(None, "Type a number first, then press Check.")
            return
        try:
            self.check(self.entry.value)
        except ValueError as err:
            self._show(None, str(err))


def _fmt(number: float) -> str:
    """A number as a student typed it: no trailing .0 on whole numbers."""
    return f"{number:g}"


def exercise(exercise_id: str, kb: KnowledgeBase | None = None) -> MultipleChoice | NumericAnswer:
    """The notebook exercise with this id (from `data/exercises.yaml`), ready to answer.

    The answer and its explanation stay in the kernel until the student presses Check, so neither
    the notebook, Voila's page nor the HTML build shows them beforehand.
    """
    spec = get_exercise(exercise_id, kb if kb is not None else _default_kb())
    notebook, _, number = spec.id.partition(".")
    title = f"Exercise {int(notebook)}.{int(number)}"
    if spec.optional:
        title += " (optional extension)"
    if spec.kind == "choice":
        return MultipleChoice(
            spec.question, spec.options, spec.answer, spec.explanation, title=title
        )
    return NumericAnswer(
        spec.question, spec.answer, spec.tolerance, spec.explanation, spec.unit, title=title
    )


_KB: list[KnowledgeBase] = []


def _default_kb() -> KnowledgeBase:
    # One bundled knowledge base for all of a notebook's exercises.
    if not _KB:
        _KB.append(load())
    return _KB[0]
