"""An offline classroom: neither Voila nor JupyterLab asks for anything from off the machine.

Every request the browser makes is recorded while a student opens the explorer and clicks; any
request to a host other than 127.0.0.1 fails the test, whether or not it would have been answered.
Voila is run as `make app` runs it: with the repository's voila.json (the kneesci template, which
drops the lab template's Font Awesome CDN links, and a preheated kernel). The last test checks that
voila.json's culling shuts down the kernel of a page a student has closed.
"""

from __future__ import annotations

import json
import shutil
import time
from urllib.parse import urlsplit

from kneesci_testing.browser import (
    BROWSER_MARKS,
    ROOT,
    exercise_explorer,
    serve_app_as_configured,
    serve_lab,
    stop,
)

pytestmark = BROWSER_MARKS

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def off_machine(urls: list[str]) -> list[str]:
    """The requests that would leave the machine."""
    return [
        u
        for u in urls
        if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS
    ]


def recording_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return page, requests


def test_off_machine_recognises_a_cdn_request():
    urls = [
        "http://127.0.0.1:8866/voila/static/voila.js",
        "data:image/png;base64,AAAA",
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css",
    ]
    assert off_machine(urls) == [urls[2]]


def running_kernels(process) -> int:
    """The kernels a Voila server is running now."""
    import psutil

    running = 0
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            running += "ipykernel" in " ".join(child.cmdline())
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            pass  # a kernel that has just exited (a zombie until reaped) is not running
    return running


def settle(count, expected: int, timeout: float = 30) -> int:
    """The count once it reaches `expected`, or whatever it is when the time is up."""
    deadline = time.monotonic() + timeout
    while count() != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return count()


def test_voila_app_makes_no_request_off_the_machine(browser, tmp_path):
    url, process, log = serve_app_as_configured(tmp_path)
    try:
        page, requests = recording_page(browser)
        page.goto(url, timeout=120_000)
        exercise_explorer(page)
        # The Reset button's icon still draws: Font Awesome comes from Voila's own bundle.
        icon_font = page.evaluate(
            "() => getComputedStyle(document.querySelector('.kneesci-explorer button i.fa'))"
            ".fontFamily"
        )
        page.close()
    finally:
        stop(process, log)
    assert len(requests) > 10, "the recorder saw too few requests to be recording"
    assert off_machine(requests) == []
    assert "Font Awesome" in icon_font


def test_jupyterlab_makes_no_request_off_the_machine(browser, tmp_path):
    token = "kneesci-offline"
    shutil.copy(ROOT / "notebooks" / "explorer_app.ipynb", tmp_path / "explorer_app.ipynb")
    base, process, log = serve_lab(tmp_path, token)
    try:
        page, requests = recording_page(browser)
        page.goto(f"{base}lab/tree/explorer_app.ipynb?token={token}", timeout=120_000)
        page.wait_for_function(
            "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel"
            "?.status === 'idle'",
            timeout=60_000,
        )
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        exercise_explorer(page)
        page.close()
    finally:
        stop(process, log)
    assert len(requests) > 10
    assert off_machine(requests) == []


def test_voila_culls_the_kernel_of_a_closed_page(browser, tmp_path):
    """voila.json's culling, with the timeout shortened: a closed page's kernel is shut down."""
    url, process, log = serve_app_as_configured(
        tmp_path,
        "--VoilaConfiguration.preheat_kernel=False",
        "--MappingKernelManager.cull_idle_timeout=4",
        "--MappingKernelManager.cull_interval=1",
    )

    def kernels() -> int:
        return running_kernels(process)

    try:
        page = browser.new_page()
        page.goto(url, timeout=120_000)
        page.wait_for_selector("#kneesci-differential-chart", timeout=120_000)
        assert kernels() >= 1  # the page's kernel is running
        page.close()
        deadline = time.monotonic() + 60
        while kernels() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernels() == 0
    finally:
        stop(process, log)


def test_item_6_a_reloaded_or_closed_page_gives_its_kernel_back(browser, tmp_path):
    """The kneesci template's `_xsrf` cookie lets the page's shutdown request through.

    Culling stays at voila.json's twenty minutes, so only the page's own request can shut a kernel
    down within the test. The pool is off, so every kernel counted belongs to a page (or to the
    server's readiness probe, counted before the student arrives).
    """
    url, process, log = serve_app_as_configured(
        tmp_path, "--VoilaConfiguration.preheat_kernel=False"
    )
    try:
        before = running_kernels(process)  # the readiness probe's page, opened without a browser
        page = browser.new_page()
        refused: list[str] = []
        page.on(
            "response",
            lambda r: (
                refused.append(r.url) if "api/shutdown" in r.url and r.status >= 400 else None
            ),
        )
        page.goto(url, timeout=120_000)
        page.wait_for_selector("#kneesci-differential-chart", timeout=120_000)
        assert running_kernels(process) == before + 1
        for _ in range(2):
            page.reload(timeout=120_000)
            page.wait_for_selector("#kneesci-differential-chart", timeout=120_000)
        after_reloads = settle(lambda: running_kernels(process), before + 1)
        page.goto(
            "about:blank"
        )  # the student leaves the page (a closed tab unloads it the same way)
        after_leaving = settle(lambda: running_kernels(process), before)
        page.close()
    finally:
        stop(process, log)
    log_text = (tmp_path / "server.log").read_text()
    assert "_xsrf' argument missing" not in log_text
    assert refused == []
    assert after_reloads == before + 1  # one page, one kernel: the two reloaded-away ones are gone
    assert after_leaving == before


def kernel_message(msg_type: str, content: dict) -> str:
    import uuid

    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "forger",
        "session": "forger",
        "version": "5.3",
        "date": "",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def forge_widget_messages(ws_url: str, seconds: float = 8) -> list[str]:
    """Send malformed widget messages to every widget of a kernel; the frames that come back."""
    import asyncio

    from tornado.websocket import websocket_connect

    ws = await websocket_connect(ws_url)
    await ws.write_message(kernel_message("comm_info_request", {}))
    comms = None
    while comms is None:
        reply = json.loads(await ws.read_message())
        if reply["header"]["msg_type"] == "comm_info_reply":
            comms = reply["content"]["comms"]
    assert len(comms) > 50  # the explorer's widgets
    forged = [
        {"method": "update", "state": {"index": 99}, "buffer_paths": []},  # an invalid state
        {"method": "custom", "content": {"type": "click"}},  # a click without coordinates
        {"method": "custom", "content": {"relativeX": "1e999", "relativeY": 3}},
    ]
    for comm_id in comms:
        for data in forged:
            await ws.write_message(kernel_message("comm_msg", {"comm_id": comm_id, "data": data}))
    frames: list[str] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        try:
            frame = await asyncio.wait_for(ws.read_message(), 1)
        except TimeoutError:
            continue
        if frame is None:
            break
        frames.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))
    ws.close()
    return frames


def leaks(frames: list[str]) -> list[str]:
    """Frames that show the server's files or source lines."""
    signs = ("site-packages", "Traceback", 'File \\"', str(ROOT))
    return [f for f in frames if any(sign in f for sign in signs)]


def test_item_5_a_kernel_error_shows_no_traceback_on_the_page(browser, tmp_path):
    """Forged widget messages make the kernel raise; no path or source line reaches any socket."""
    import asyncio
    import re
    from concurrent.futures import ThreadPoolExecutor

    url, process, log = serve_app_as_configured(
        tmp_path, "--VoilaConfiguration.preheat_kernel=False"
    )
    try:
        page = browser.new_page()
        page_frames: list[str] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda payload: page_frames.append(
                    payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
                ),
            ),
        )
        page.goto(url, timeout=120_000)
        page.wait_for_selector("#kneesci-differential-chart", timeout=120_000)
        kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', page.content()).group(1)
        ws_url = f"{url.replace('http', 'ws')}api/kernels/{kernel_id}/channels?session_id=forger"
        # Playwright's own event loop runs in this thread: the forger gets a thread of its own.
        with ThreadPoolExecutor(1) as pool:
            frames = pool.submit(asyncio.run, forge_widget_messages(ws_url)).result()
        page.wait_for_timeout(2000)  # let Playwright deliver the page's frames
        page_text = page.inner_text("body")
        page.close()
    finally:
        stop(process, log)
    log_text = (tmp_path / "server.log").read_text()
    assert len(page_frames) > 10 and frames, "the sockets were not recorded"
    # The kernel did raise: its error reached the server, which replaced it (or, in jupyter_server
    # 2.x, dropped it while looking for the replacement text) instead of passing it on.
    replaced = [f for f in frames if '"msg_type": "error"' in f]
    assert replaced or "_on_error" in log_text
    assert leaks(frames) == []
    assert leaks(page_frames) == []
    assert "site-packages" not in page_text and "Traceback" not in page_text
