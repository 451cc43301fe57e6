"""What a student reads when the app reveals an answer or explains a term: rendered text, labels
instead of ids, "Author Year" instead of reference keys, and nothing that leaves the app."""

from __future__ import annotations

import re

import pytest

from kneesci.cases import load_cases
from kneesci.citations import readable, reference_url, short_citation
from kneesci.widgets import Explorer
from kneesci.widgets import explorer as explorer_module

ID_WITH_UNDERSCORE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")


@pytest.fixture(scope="module")
def library(kb):
    return load_cases(kb)


@pytest.fixture
def explorer(kb):
    return Explorer(kb)


def visible_text(markup: str) -> str:
    """The words on screen: tags and attribute values (link targets) removed."""
    return re.sub(r"<[^>]+>", " ", markup)


def test_short_citations_name_the_authors_and_year(kb):
    assert short_citation(kb.references["lam2015"]) == "Lam and Amies 2015"
    assert short_citation(kb.references["dibra2017"]) == "Dibra et al. 2017"
    nice = short_citation(kb.references["nice_ng59"])
    assert nice == "National Institute for Health and Care Excellence 2016"


def test_a_reference_links_to_its_doi_first(kb):
    with_doi = next(r for r in kb.references.values() if r.doi)
    assert reference_url(with_doi) == f"https://doi.org/{with_doi.doi}"


def test_readable_text_swaps_ids_and_keys_for_labels_and_citations(kb):
    text = "so hip_internal_rotation_limited stands for it (lam2015); diabetes stays a word"
    assert readable(text, kb) == (
        'so "Hip internal rotation limited" stands for it (Lam and Amies 2015); '
        "diabetes stays a word"
    )
    marked_up = readable("see dibra2017 <now>", kb, as_html=True)
    assert 'target="_blank" rel="noopener">Dibra et al. 2017</a>' in marked_up
    assert "&lt;now&gt;" in marked_up


def test_the_answer_panel_shows_rendered_text_without_ids_or_keys(explorer, kb, library):
    checked = 0
    for case_id in library:
        explorer.load_case(case_id)
        explorer.show_answer()
        shown = visible_text(explorer.answer_view.value)
        assert "**" not in shown and not re.search(r"(^|\n)\s*- ", shown), case_id
        assert "<b>Diagnosis:</b>" in explorer.answer_view.value, case_id
        for token in ID_WITH_UNDERSCORE.findall(shown):
            assert token not in kb.findings and token not in kb.conditions, (case_id, token)
        keys = {k for k in kb.references if re.search(r"[\d_]", k)}
        words = set(re.findall(r"[\w-]+", shown))
        assert not words & keys, (case_id, words & keys)
        checked += 1
    assert checked == len(library) > 40


def test_the_hip_case_answer_reads_as_a_clinician_would_write_it(explorer):
    explorer.load_case("hip_oa_after_knee_replacement")
    explorer.show_answer()
    shown = explorer.answer_view.value
    assert "Hip internal rotation limited" in shown
    assert "hip_internal_rotation_limited" not in shown and "lam2015" not in shown
    assert "Lam and Amies 2015" in shown and "Dibra et al. 2017</a>" in shown


def test_the_answer_can_be_hidden_again(explorer):
    explorer.load_case("hip_oa_after_knee_replacement")
    explorer.answer_button.click()
    assert "Hip osteoarthritis" in explorer.answer_view.value
    assert explorer.answer_button.description == "Hide the answer"
    explorer.answer_button.click()
    assert explorer.answer_view.value == ""
    assert explorer.answer_button.description == "Show the answer"


def test_loading_another_case_puts_the_answer_away(explorer):
    explorer.load_case("hip_oa_after_knee_replacement")
    explorer.show_answer()
    explorer.load_case("early_hip_oa_lateral_pain")
    assert explorer.answer_view.value == ""
    assert explorer.answer_button.description == "Show the answer"


def html_of(widget) -> str:
    """Every HTML value in a widget tree, joined."""
    own = widget.value if isinstance(getattr(widget, "value", None), str) else ""
    return own + "".join(html_of(child) for child in getattr(widget, "children", ()))


def test_no_link_in_the_explorer_leaves_the_app(explorer):
    # Voila answers 403 for a notebook, and a link in the same tab took the patient away with it.
    for text in (explorer_module.BITS_HELP, explorer_module.LR_HELP):
        assert ".ipynb" not in text and "href" not in text
    explorer.load_case("hip_oa_after_knee_replacement")
    explorer.show_answer()
    explorer.show_export()
    links = [a for a in re.findall(r"<a [^>]*>", html_of(explorer)) if "download=" not in a]
    assert links, "the answer cites at least one linked reference"
    assert all('target="_blank"' in a and 'rel="noopener"' in a for a in links), links
    assert not any(".ipynb" in a for a in links), links


def test_docstring_examples_run():
    import doctest

    import kneesci.citations

    assert doctest.testmod(kneesci.citations).failed == 0
