"""What the browser tests, the browser benchmarks and the screenshot tool share.

Servers (Voila, JupyterLab) on free ports, headless Chromium's switches, and the page helpers
that set a finding or read the ranking the way a student's clicks would. One module, imported
by tests/, benchmarks/ and tools/, so none of them reaches into another's files.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent  # the repository
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
SIZES = {"laptop": (1366, 768), "tablet": (768, 1024)}
THEMES = ("light", "dark")
LAB_THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
# axe findings that come from Voilà's or JupyterLab's own page, not from kneesci's widgets.
HOST_CHROME_RULES = {
    "scrollable-region-focusable",
    "landmark-one-main",
    "region",
    "page-has-heading-one",
}
CLASSROOM_APP = """\
from kneesci.exercises import load_specs
from kneesci.widgets import exercise
from kneesci.widgets.game import DiagnosticGame
import ipywidgets, kneesci

ipywidgets.VBox([DiagnosticGame()] + [exercise(i).widget for i in load_specs(kneesci.load())])
"""


# --- servers ------------------------------------------------------------------------------------
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


def write_apps(folder: Path) -> None:
    """The explorer app, and a classroom app with the game and every exercise."""
    shutil.copy(ROOT / "notebooks" / "explorer_app.ipynb", folder / "explorer_app.ipynb")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CLASSROOM_APP)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "classroom_app.ipynb")


def serve_explorer_app(tmp_path: Path) -> tuple[str, subprocess.Popen, object]:
    """Voilà serving a copy of the explorer app notebook; returns its URL and the server."""
    port = free_port()
    shutil.copy(ROOT / "notebooks" / "explorer_app.ipynb", tmp_path / "explorer_app.ipynb")
    url = f"http://127.0.0.1:{port}/"
    command = [str(BIN / "voila"), "explorer_app.ipynb", "--no-browser", "--Voila.ip=127.0.0.1"]
    process, log = serve([*command, f"--port={port}"], url, tmp_path)
    return url, process, log


def serve_lab(folder: Path, token: str) -> tuple[str, subprocess.Popen, object]:
    """JupyterLab on `folder` with its own settings, and the same switches as `make lab`.

    No news feed and no update check, so nothing is fetched from off the machine; the app is
    exposed to the page so tests can drive it. Returns the base URL and the server.
    """
    port = free_port()
    env = {
        "JUPYTER_CONFIG_DIR": str(folder / "config"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(folder / "settings"),
        # as `make lab`: the students' page config (no nbgrader menus, no news toast)
        "JUPYTER_CONFIG_PATH": str(ROOT / "jupyter_config" / "student"),
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
            f"--ServerApp.root_dir={folder}",
            "--LabApp.news_url=",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        f"http://127.0.0.1:{port}/api/status?token={token}",
        folder,
        env,
    )
    return f"http://127.0.0.1:{port}/", process, log


def open_in_lab(browser, lab, notebook: str):
    """Open a notebook in JupyterLab and run every cell, as a student would."""
    base, token, folder = lab
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    # Each notebook in a workspace of its own, so one page never restores the other's tabs.
    workspace = Path(notebook).stem
    page.goto(
        f"{base}lab/workspaces/{workspace}/tree/{notebook}?token={token}&reset", timeout=120_000
    )
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_function(
        "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel"
        "?.status === 'idle'",
        timeout=60_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # As on a tablet: the side panels closed, so the notebook has the screen.
    page.evaluate(
        "() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }"
    )
    return page


def lab_theme(page, theme: str) -> None:
    page.evaluate(
        "t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})",
        LAB_THEMES[theme],
    )
    light = "true" if theme == "light" else "false"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")


def close_lab_page(page) -> None:
    page.evaluate(
        "async () => await window.jupyterapp.shell.currentWidget.sessionContext.shutdown()"
    )
    page.close()


# --- page helpers -------------------------------------------------------------------------------
def ranking(page) -> list[str]:
    # the text ranking starts closed (the chart shows it): read it whether open or not
    return page.locator("#kneesci-ranking li").all_text_contents()


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
    """What the differential chart shows (HTML bars: their markup moves with every click)."""
    return page.locator("#kneesci-differential-chart").inner_html()


def set_finding_in_group(page, group: str, finding: str, state: str) -> None:
    """Open the finding's collapsible section if needed, as a student would, then click."""
    control = page.locator(f".kneesci-finding-{finding}")
    if not control.is_visible():
        page.locator(".kneesci-explorer .jupyter-widget-Collapse-header").filter(
            has_text=group
        ).first.click()
        control.wait_for(state="visible", timeout=10_000)
    set_finding(page, finding, state)


def exercise_explorer(page) -> None:
    """Click a finding present and check every view that should move, moved."""
    page.wait_for_selector("#kneesci-ranking li", state="attached", timeout=60_000)
    before, chart_before = ranking(page), chart_src(page)
    l3_before = position(before, "L3 radiculopathy")
    set_finding_in_group(page, "Examination", "femoral_nerve_stretch_positive", "present")
    wait_changed(page, lambda: ranking(page), before)
    after = ranking(page)
    assert position(after, "L3 radiculopathy") < l3_before, (before, after)
    assert chart_src(page) != chart_before
    assert page.locator("#kneesci-red-flag").count() == 0


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.height > 0 && r.top >= -1 && r.bottom <= window.innerHeight + 1; }""",
        selector,
    )


def axe_serious(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make test` (npm ci installs it)")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run({include: [['.kneesci-explorer']]}, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert result["passes"], "axe ran no checks"
    return [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("critical", "serious") and v["id"] not in HOST_CHROME_RULES
    ]


def stable_box(page, selector: str) -> dict:
    """The element's box, waiting out a redraw that replaces the element in the page."""
    for _ in range(50):
        page.locator(selector).wait_for(state="visible", timeout=10_000)
        box = page.locator(selector).bounding_box()
        if box is not None:
            return box
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} never settled")


def plain(text: str) -> str:
    """Text as a reader sees it: the page's non-breaking spaces as plain ones."""
    return " ".join(text.replace("\xa0", " ").split())


def screenshot(page, name: str) -> None:
    (ROOT / "build").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "build" / f"{name}.png"))


@contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """What the page looked like when a check failed, in build/<name>.png; the failure stands."""
    try:
        yield
    except Exception:
        screenshot(page, name)
        raise


# The marks every browser test module carries: `browser`, and skipped on KNEESCI_SKIP_BROWSER=1.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("KNEESCI_SKIP_BROWSER") == "1", reason="KNEESCI_SKIP_BROWSER=1"
    ),
]


TEMPLATES = ROOT / "share" / "jupyter"


def serve_app_as_configured(tmp_path: Path, *switches: str, pool_size: int = 2):
    """Voila on the explorer app with the repository's voila.json, as `make app` runs it.

    The server's readiness probe opens the page once and takes a preheated kernel; the pool
    refills only after voila.json's `fill_delay`, so the pool holds one kernel for the probe and
    one for the student.
    """
    shutil.copy(ROOT / "notebooks" / "explorer_app.ipynb", tmp_path / "explorer_app.ipynb")
    shutil.copy(ROOT / "voila.json", tmp_path / "voila.json")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [
        str(BIN / "voila"),
        "explorer_app.ipynb",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--VoilaConfiguration.default_pool_size={pool_size}",
        *switches,
    ]
    process, log = serve(command, url, tmp_path, {"JUPYTER_PATH": str(TEMPLATES)})
    return url, process, log
