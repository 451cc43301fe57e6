"""In the room, in headless Chromium through Voila: the lecturer's class session and the explorer's
answer panel, as a lecturer and a student meet them.

The lecturer notebook runs with the answers hidden, merges three students' sheets from its folder
and shows the class summary; the explorer's answer panel reads as rendered text, can be hidden,
and its links open in a new tab without leaving the app.
"""

from __future__ import annotations

import re
import shutil

import pytest

from kneesci.cases import load_cases
from kneesci_testing.browser import (
    BIN,
    BROWSER_MARKS,
    ROOT,
    free_port,
    plain,
    serve,
    stop,
)
from kneesci_testing.players import class_sheets

pytestmark = BROWSER_MARKS


def serve_notebook(tmp_path, name: str):
    """Voila on a copy of one notebook, with its own Jupyter data folder (progress goes there)."""
    shutil.copy(ROOT / "notebooks" / name, tmp_path / name)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [
        str(BIN / "voila"),
        name,
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--VoilaConfiguration.template=kneesci",  # as `make app` serves it (voila.json)
    ]
    process, log = serve(command, url, tmp_path, env={"JUPYTER_DATA_DIR": str(tmp_path / "data")})
    return url, process, log


def test_the_lecturer_page_hides_answers_and_merges_three_sheets(
    browser,
    tmp_path,
    kb,
):
    class_sheets(kb, tmp_path / "class_sheets")
    url, process, log = serve_notebook(tmp_path, "lecturer_class_session.ipynb")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(url, timeout=120_000)
        page.get_by_role("button", name="Read the sheets").wait_for(timeout=120_000)
        assert page.title() == "kneesci class session (lecturer)"
        assert "import" not in plain(page.locator("body").inner_text())  # no code on the page

        # The class's vote, committed on the projector: the diagnosis stays hidden.
        label = kb.conditions[kb.condition_ids[0]].label
        page.get_by_label("Diagnosis", exact=True).select_option(label=label)
        # Every commit names an action too (a level of concern, or none for a patient without one).
        actions = page.locator(".kneesci-action-choice")
        actions.get_by_role("button", name="No red flag: manage as usual", exact=True).click()
        page.get_by_role("button", name="Commit").click()
        page.wait_for_selector("text=hidden by the instructor", timeout=30_000)
        text = plain(page.locator(".kneesci-game").inner_text())
        assert "Correct" not in text and "Not quite" not in text and "Teaching point" not in text

        page.get_by_role("button", name="Read the sheets").click()
        page.wait_for_selector("text=3 students, 9 games.", timeout=60_000)
        summary = page.locator(".kneesci-class-sheets")
        assert "Most often missed" in summary.inner_text()
        assert "On average the class was 80% sure" in plain(summary.inner_text())
        assert summary.locator("img[alt]").count() == 1  # the class calibration plot

        page.get_by_role("button", name="Reveal the answer").click()
        page.wait_for_selector(".kneesci-game >> text=Teaching point", timeout=30_000)
    finally:
        page.close()
        stop(process, log)


@pytest.mark.parametrize("size", [(1366, 768)])
def test_the_answer_panel_reads_as_text_hides_and_links_in_a_new_tab(
    browser,
    tmp_path,
    kb,
    size,
):
    url, process, log = serve_notebook(tmp_path, "explorer_app.ipynb")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        page.goto(url, timeout=120_000)
        assert page.title() == "kneesci explorer"
        page.wait_for_selector("#kneesci-ranking li", state="attached", timeout=120_000)
        case = load_cases(kb)["hip_oa_after_knee_replacement"]
        case_select = page.locator(".kneesci-toolbar select").nth(1)
        case_select.select_option(label=case.student_title)  # the picker follows the game's order
        show = page.get_by_role("button", name="Show the answer")
        show.click()
        panel = page.locator(".kneesci-answer")
        panel.wait_for(timeout=30_000)
        text = panel.inner_text()
        assert "**" not in text and not re.search(r"(^|\n)\s*- ", text)
        assert "hip_internal_rotation_limited" not in text and "lam2015" not in text
        assert "Hip internal rotation limited" in text and "Dibra et al. 2017" in text
        assert panel.locator("b", has_text="Diagnosis:").count() == 1  # rendered, not Markdown

        # A reference opens in a new tab: the app, and its patient, stay where they are.
        links = panel.locator("a")
        assert links.count() >= 1
        for i in range(links.count()):
            assert links.nth(i).get_attribute("target") == "_blank"
            assert links.nth(i).get_attribute("rel") == "noopener"
        assert not page.locator("a[href$='.ipynb']").count()

        page.get_by_role("button", name="Hide the answer").click()
        panel.wait_for(state="detached", timeout=30_000)
        assert page.get_by_role("button", name="Show the answer").is_visible()
    finally:
        page.close()
        stop(process, log)
