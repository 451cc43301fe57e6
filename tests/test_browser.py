"""End to end in headless Chromium: the explorer in Voilà, and the notebook run in JupyterLab.

Needs Debian's `chromium` and axe-core from npm (`make test` installs both where it can). Set
KNEESCI_SKIP_BROWSER=1 to leave these tests out on a machine without them.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BIN = Path(sys.executable).parent
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe findings that come from Voilà's or JupyterLab's own page, not from kneesci's widgets.
HOST_CHROME_RULES = {
    "scrollable-region-focusable",
    "landmark-one-main",
    "region",
    "page-has-heading-one",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("KNEESCI_SKIP_BROWSER") == "1", reason="KNEESCI_SKIP_BROWSER=1"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early ({process.returncode}): {url}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"server did not answer at {url}")


def serve(command: list[str], url: str, tmp_path: Path, env: dict | None = None):
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed by the caller's finaliser
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    try:
        wait_for(url, process)
    except Exception:
        process.terminate()
        raise RuntimeError((tmp_path / "server.log").read_text()[-3000:]) from None
    return process, log


def stop(process: subprocess.Popen, log) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is not installed: run `make test` (installs it) or apt-get install chromium"
        )
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def serve_explorer_app(tmp_path: Path) -> tuple[str, subprocess.Popen, object]:
    """Voilà serving a copy of the explorer app notebook; returns its URL and the server."""
    port = free_port()
    shutil.copy(ROOT / "notebooks" / "explorer_app.ipynb", tmp_path / "explorer_app.ipynb")
    url = f"http://127.0.0.1:{port}/"
    command = [str(BIN / "voila"), "explorer_app.ipynb", "--no-browser", "--Voila.ip=127.0.0.1"]
    process, log = serve([*command, f"--port={port}"], url, tmp_path)
    return url, process, log


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    url, process, log = serve_explorer_app(tmp_path_factory.mktemp("voila"))
    yield url
    stop(process, log)


def ranking(page) -> list[str]:
    return page.locator("#kneesci-ranking li").all_inner_texts()


def position(lines: list[str], label: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(label + ":"))


def set_finding(page, finding: str, state: str) -> None:
    group = page.locator(f".kneesci-finding-{finding}")
    group.scroll_into_view_if_needed()
    group.get_by_role("radio", name=state, exact=True).check()


def wait_changed(page, selector_fn, old, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector_fn() != old:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the view did not change")


def chart_src(page) -> str:
    return page.locator("#kneesci-differential-chart").get_attribute("src")


def exercise_explorer(page) -> None:
    """Click a finding present and check every view that should move, moved."""
    page.wait_for_selector("#kneesci-ranking li", timeout=60_000)
    before, chart_before = ranking(page), chart_src(page)
    l3_before = position(before, "L3 radiculopathy")
    set_finding_in_group(page, "Examination", "femoral_nerve_stretch_positive", "present")
    wait_changed(page, lambda: ranking(page), before)
    after = ranking(page)
    assert position(after, "L3 radiculopathy") < l3_before, (before, after)
    assert chart_src(page) != chart_before
    assert page.locator("#kneesci-red-flag").count() == 0
    set_finding_in_group(page, "Symptoms", "saddle_anaesthesia", "present")
    page.wait_for_selector("#kneesci-red-flag", timeout=10_000)
    banner = page.locator("#kneesci-red-flag").inner_text()
    assert "cauda equina" in banner.lower() and "referral" in banner.lower()


def set_finding_in_group(page, group: str, finding: str, state: str) -> None:
    """Open the finding's collapsible section if needed, as a student would, then click."""
    control = page.locator(f".kneesci-finding-{finding}")
    if not control.is_visible():
        page.locator(".kneesci-explorer").get_by_text(group, exact=False).first.click()
        control.wait_for(state="visible", timeout=10_000)
    set_finding(page, finding, state)


def test_voila_explorer_moves_the_differential(browser, voila_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(voila_url, timeout=120_000)
    exercise_explorer(page)
    page.close()


def test_voila_page_has_no_serious_accessibility_violations(browser, voila_url):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make test` (npm ci installs it)")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(voila_url, timeout=120_000)
    page.wait_for_selector("#kneesci-ranking li", timeout=60_000)
    set_finding_in_group(page, "Symptoms", "saddle_anaesthesia", "present")
    page.wait_for_selector("#kneesci-red-flag")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("critical", "serious") and v["id"] not in HOST_CHROME_RULES
    ]
    assert not serious, json.dumps(serious, indent=1)
    assert result["passes"], "axe ran no checks"
    page.close()


def test_jupyterlab_run_all_then_click(browser, tmp_path):
    port, token = free_port(), "kneesci-test"
    shutil.copy(ROOT / "notebooks" / "explorer_app.ipynb", tmp_path / "explorer_app.ipynb")
    env = {
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    process, log = serve(
        [
            str(BIN / "jupyter"),
            "lab",
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}",
            "--LabApp.news_url=",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        f"http://127.0.0.1:{port}/api/status?token={token}",
        tmp_path,
        env,
    )
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(
            f"http://127.0.0.1:{port}/lab/tree/explorer_app.ipynb?token={token}", timeout=120_000
        )
        page.wait_for_selector(".jp-Notebook", timeout=60_000)
        page.wait_for_function(
            "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel"
            "?.status === 'idle'",
            timeout=60_000,
        )
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            exercise_explorer(page)
        except Exception:
            page.screenshot(path=str(tmp_path / "lab-failure.png"))
            raise
        page.close()
    finally:
        stop(process, log)
