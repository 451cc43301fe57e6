"""Exercise widgets: what a student sees after answering, and what an author can rely on."""

from __future__ import annotations

import pytest

from kneesci.widgets.quiz import Feedback, MultipleChoice, NumericAnswer, parse_number


@pytest.fixture
def roots() -> MultipleChoice:
    return MultipleChoice(
        "Which root supplies the skin over the medial malleolus?",
        ["L3", "L4", "L5", "S1"],
        answer="L4",
        explanation="The L4 key sensory point is the medial malleolus.",
    )


@pytest.fixture
def posttest() -> NumericAnswer:
    return NumericAnswer(
        "Post-test probability (%)?", answer=42.0, tolerance=3.0, explanation="Odds x LR."
    )


# --- multiple choice --------------------------------------------------------------------------
def test_right_option_is_marked_correct_with_the_word_correct(roots):
    feedback = roots.check("L4")
    assert feedback.correct
    assert feedback.message.startswith("Correct")


def test_wrong_option_says_not_quite_and_gives_the_explanation(roots):
    feedback = roots.check("L5")
    assert not feedback.correct
    assert feedback.message.startswith("Not quite")
    assert "The L4 key sensory point is the medial malleolus." in feedback.message


def test_option_not_offered_is_rejected_naming_the_options(roots):
    with pytest.raises(ValueError, match="L2.*'L3', 'L4', 'L5', 'S1'"):
        roots.check("L2")


def test_answer_must_be_one_of_the_options():
    with pytest.raises(ValueError, match="not one of the options"):
        MultipleChoice("Pick one", ["a", "b"], answer="c")


def test_a_question_needs_at_least_two_options():
    with pytest.raises(ValueError, match="two or more options"):
        MultipleChoice("Pick one", ["a"], answer="a")


def test_duplicate_options_are_rejected():
    with pytest.raises(ValueError, match="differ"):
        MultipleChoice("Pick one", ["a", "a", "b"], answer="a")


def test_empty_question_is_rejected():
    with pytest.raises(ValueError, match="needs a question"):
        MultipleChoice("  ", ["a", "b"], answer="a")


def test_callable_answer_decides_and_its_feedback_is_returned_unchanged():
    verdict = Feedback(True, "Correct: the model ranks it first.")
    q = MultipleChoice("Which leads?", ["x", "y"], answer=lambda choice: verdict)
    assert q.check("y") is verdict


def test_callable_answer_may_return_a_bool_which_gets_the_explanation():
    q = MultipleChoice("Which?", ["x", "y"], answer=lambda c: c == "y", explanation="Because.")
    assert q.check("x") == Feedback(False, "Not quite. Because.")
    assert q.check("y") == Feedback(True, "Correct. Because.")


def test_callable_answer_returning_something_else_is_an_error():
    q = MultipleChoice("Which?", ["x", "y"], answer=lambda c: "yes")
    with pytest.raises(TypeError, match="Feedback or a bool"):
        q.check("x")


def test_check_writes_the_feedback_into_a_status_region(roots):
    roots.check("S1")
    shown = roots.status.value
    assert 'role="status"' in shown
    assert "Not quite" in shown


def test_feedback_text_is_escaped_so_it_cannot_inject_markup():
    q = MultipleChoice("?", ["a", "b"], answer="a", explanation="<script>x</script>")
    q.check("a")
    assert "<script>" not in q.status.value
    assert "&lt;script&gt;" in q.status.value


def test_latest_feedback_is_remembered(roots):
    assert roots.feedback is None
    roots.check("L3")
    assert roots.feedback is not None and not roots.feedback.correct


def test_pressing_check_without_a_choice_prompts_and_records_no_verdict(roots):
    roots.check_button.click()
    assert "Choose one of the options first" in roots.status.value
    assert roots.feedback is None


def test_pressing_check_judges_the_selected_option(roots):
    roots.choices.value = "L4"
    roots.check_button.click()
    assert roots.feedback == roots.check("L4")
    assert "Correct" in roots.status.value


def test_the_check_button_is_labelled_with_text_not_only_an_icon(roots):
    assert roots.check_button.description == "Check"


def test_plain_text_display_lists_the_question_and_lettered_options(roots):
    text = roots._repr_mimebundle_()["text/plain"]
    assert text.splitlines() == [
        "Which root supplies the skin over the medial malleolus?",
        "  A. L3",
        "  B. L4",
        "  C. L5",
        "  D. S1",
    ]


def test_notebook_display_carries_a_widget_view(roots):
    bundle = roots._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == roots.widget.model_id


# --- numeric answers --------------------------------------------------------------------------
@pytest.mark.parametrize("value", [39.0, 42.0, 45.0])
def test_numbers_within_the_tolerance_are_correct(posttest, value):
    assert posttest.check(value).correct


def test_number_above_the_tolerance_is_called_too_high(posttest):
    feedback = posttest.check(45.5)
    assert not feedback.correct
    assert feedback.message == "Not quite: 45.5 is too high. Odds x LR."


def test_number_below_the_tolerance_is_called_too_low(posttest):
    assert posttest.check(30).message.startswith("Not quite: 30 is too low.")


def test_zero_tolerance_needs_the_exact_value_up_to_rounding_noise():
    n = NumericAnswer("0.1 + 0.2?", answer=0.3)
    assert n.check(0.1 + 0.2).correct
    assert not n.check(0.31).correct


def test_typed_text_with_percent_sign_and_decimal_comma_is_read(posttest):
    assert posttest.check(" 41,5 % ").correct


def test_text_that_is_not_a_number_is_rejected_with_a_hint(posttest):
    with pytest.raises(ValueError, match="not a number"):
        posttest.check("about forty")


@pytest.mark.parametrize("bad", ["nan", "inf"])
def test_non_finite_numbers_are_rejected(bad):
    with pytest.raises(ValueError, match="finite"):
        parse_number(bad)


def test_true_and_false_are_not_numbers():
    with pytest.raises(TypeError):
        parse_number(True)


def test_negative_tolerance_is_rejected():
    with pytest.raises(ValueError, match="tolerance"):
        NumericAnswer("?", answer=1.0, tolerance=-1)


def test_callable_numeric_answer_receives_the_parsed_number():
    seen = []
    n = NumericAnswer("?", answer=lambda x: seen.append(x) or True)
    n.check("12%")
    assert seen == [12.0]


def test_pressing_check_on_an_empty_box_prompts(posttest):
    posttest.check_button.click()
    assert "Type a number first" in posttest.status.value
    assert posttest.feedback is None


def test_pressing_check_on_unreadable_text_explains_without_raising(posttest):
    posttest.entry.value = "forty"
    posttest.check_button.click()
    assert "not a number" in posttest.status.value
    assert posttest.feedback is None


def test_pressing_check_judges_the_typed_number(posttest):
    posttest.entry.value = "43"
    posttest.check_button.click()
    assert posttest.feedback is not None and posttest.feedback.correct


def test_numeric_plain_text_display_shows_the_question_and_unit():
    n = NumericAnswer("How likely?", answer=10, unit="%")
    assert n._repr_mimebundle_()["text/plain"] == "How likely?\n  Answer: ____ %"
