"""A department's route, end to end: a local JupyterHub where students log in, get the course
through an nbgitpuller link, open 00_start_here and use the explorer.

The hub is JupyterHub (the `hub` extra) with configurable-http-proxy (npm, package.json), the
dummy authenticator and the simple local-process spawner, on 127.0.0.1 only. The course comes
from a local clone of this repository, exactly as a real link would bring it from the public one.
`make test` installs all of it; KNEESCI_SKIP_BROWSER=1 leaves it out with the other browser tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from kneesci_testing.browser import (
    BIN,
    BROWSER_MARKS,
    ROOT,
    exercise_explorer,
    free_port,
    serve,
    stop,
)

pytestmark = BROWSER_MARKS

PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "kneesci-class"
STUDENTS = ("ada", "ben", "chen")
BRANCH = "course"


def nbgitpuller_link(hub: str, repo: str, branch: str, notebook: str) -> str:
    """The link a lecturer hands out: log in, pull (or update) the course, open one notebook."""
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": "kneesci",
            "urlpath": f"lab/tree/kneesci/{notebook}",
        },
        quote_via=quote,
    )
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def test_the_link_names_the_repository_branch_and_notebook():
    link = nbgitpuller_link(
        "https://hub.example.edu", "https://github.com/o/r", "main", "notebooks/00_start_here.ipynb"
    )
    assert link == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fr"
        "&branch=main&targetpath=kneesci&urlpath=lab%2Ftree%2Fkneesci%2Fnotebooks%2F00_start_here.ipynb"
    )


def hub_config(tmp_path: Path, port: int) -> Path:
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(
        f"""
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(tmp_path / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{tmp_path / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp_path / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp_path / "homes" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
# As root in CI; no news feed or update check, as in a classroom without internet.
c.Spawner.args = [
    "--allow-root",
    "--LabApp.news_url=",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.expose_app_in_browser=True",
]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.cleanup_servers = True
"""
    )
    return config


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> str:
    """A local clone of the repository with the course on one branch: the nbgitpuller source."""
    clone = tmp_path_factory.mktemp("origin") / "kneesci.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(ROOT), str(clone)], check=True)
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(["git", "-C", str(clone), "branch", "-f", BRANCH, head], check=True)
    return f"file://{clone}"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not PROXY.exists():
        pytest.fail("configurable-http-proxy is missing: run `make test` (npm ci installs it)")
    pytest.importorskip("jupyterhub", reason="the hub extra: pip install -e '.[hub]'")
    tmp_path = tmp_path_factory.mktemp("hub")
    port = free_port()
    config = hub_config(tmp_path, port)
    url = f"http://127.0.0.1:{port}"
    process, log = serve(
        [str(BIN / "jupyterhub"), "-f", str(config)],
        f"{url}/hub/api",
        tmp_path,
        {
            "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
            "JUPYTER_PATH": str(ROOT / "share/jupyter"),
        },
    )
    yield url, tmp_path
    stop(process, log)


def keep_every_cell_in_the_page(home: Path) -> None:
    """JupyterLab leaves cells far from the viewport out of the page; the test reads the
    explorer's ranking below many cells, so this student's Lab keeps all of them rendered."""
    settings = home / ".jupyter/lab/user-settings/@jupyterlab/notebook-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')


def log_in(page, hub_url: str, student: str, next_url: str) -> None:
    page.goto(f"{hub_url}/hub/login?next={quote(next_url, safe='')}", timeout=120_000)
    page.locator("input[name=username]").fill(student)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()


def test_students_log_in_pull_the_course_and_use_the_explorer(browser, hub, course):
    hub_url, hub_dir = hub
    notebook = "notebooks/00_start_here.ipynb"
    link = nbgitpuller_link(hub_url, course, BRANCH, notebook)
    assert STUDENTS, "nothing to check"
    for student in STUDENTS:
        keep_every_cell_in_the_page(hub_dir / "homes" / student)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            log_in(page, hub_url, student, link.removeprefix(hub_url))
            # spawn, pull, then JupyterLab opens the notebook
            page.wait_for_url(f"**/user/{student}/lab/tree/kneesci/{notebook}", timeout=240_000)
            page.wait_for_function(
                "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel"
                "?.status === 'idle'",
                timeout=120_000,
            )
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            exercise_explorer(page)
        except Exception:
            page.screenshot(path=str(hub_dir / f"{student}-failure.png"))
            raise
        finally:
            context.close()
        home = hub_dir / "homes" / student / "kneesci"
        assert (home / notebook).is_file(), f"{student} did not get the course"
        assert (home / ".git").is_dir()


def test_a_second_click_on_the_link_keeps_the_students_work(browser, hub, course):
    """nbgitpuller merges: a student's own edits survive when the lecturer's link is used again."""
    hub_url, hub_dir = hub
    student = STUDENTS[0]
    notes = hub_dir / "homes" / student / "kneesci" / "my_notes.md"
    notes.write_text("the femoral stretch test moved L3 up\n")
    link = nbgitpuller_link(hub_url, course, BRANCH, "notebooks/00_start_here.ipynb")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        log_in(page, hub_url, student, link.removeprefix(hub_url))
        page.wait_for_url("**/lab/tree/kneesci/notebooks/00_start_here.ipynb", timeout=240_000)
    finally:
        context.close()
    assert notes.read_text() == "the femoral stretch test moved L3 up\n"


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:randomly"]))
