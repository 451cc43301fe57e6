"""A class opens the explorer at once: K headless-Chromium students against one Voila server.

    .venv/bin/python benchmarks/class_load.py                  # K = 1, 5, 10, 30
    .venv/bin/python benchmarks/class_load.py --students 1 5   # a smaller set
    .venv/bin/python benchmarks/class_load.py --preheat 10 --stagger 0.5
                                   # + 10 students, 0.5 s apart, on a pool of 10 preheated kernels

For each K it starts a fresh Voila (the repository's voila.json and offline template, preheating
off so that the whole cost of a page lands inside the measurement), opens K pages together and
waits until every page shows its chart, then lets each student click. It reports:

* open CPU: CPU-seconds of the server and its kernels, from the first request until every page
  shows its chart, divided by K;
* click CPU: server + kernel CPU per click, and its ratio to the kernel's own redraw (the
  explorer's `set_finding` timed in this process, without any messaging);
* kernel RSS: the median resident memory of the kernels once the pages are open;
* time until every page shows its chart (wall clock; this machine's other work shows here), and
  the students' own browser CPU, which here runs on the same cores as the server.

The floor runs in the same session for every K: a bare notebook that imports numpy,
matplotlib.pyplot (as any notebook that draws does) and ipywidgets and shows two widgets. The
ratios to the floor are what carry to another machine.
With --preheat N, a server with a pool of N preheated kernels is filled first, then N students
open the app together; the report gives each student's time until the chart shows.
Nothing here is asserted: the figures are printed (and written as JSON with --json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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

OPEN_TIMEOUT_MS = 900_000  # a page that has not shown its chart after 15 minutes is counted
CLICKED = ("femoral_nerve_stretch_positive", "slr_positive")
FLOOR_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": (
                "import ipywidgets as widgets\n"
                "import matplotlib.pyplot as plt\n"
                "import numpy as np\n"
                "\n"
                "box = widgets.Checkbox(description='present')\n"
                "label = widgets.HTML('<b id=\"floor-ready\">0</b>')\n"
                "box.observe(lambda c: setattr(label, 'value', "
                "f'<b id=\"floor-ready\">{int(np.sum([c.new]))}</b>'), names='value')\n"
                "widgets.VBox([box, label])"
            ),
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@dataclass
class App:
    """What a student opens, how to tell it is ready, and how to click in it."""

    name: str
    notebook: Path
    ready: str  # CSS selector present once the page shows its chart (or the floor's label)
    changed: str  # JS expression whose value changes after a click is answered

    async def prepare(self, page) -> None:
        """Open the section the clicks happen in, as a student would (not measured)."""
        if self.name == "explorer":
            control = page.locator(f".kneesci-finding-{CLICKED[0]}")
            if not await control.is_visible():
                await (
                    page.locator(".kneesci-explorer")
                    .get_by_text("Examination", exact=False)
                    .first.click()
                )
                await control.wait_for(state="visible", timeout=60_000)

    async def click(self, page, i: int) -> None:
        """One click, answered: wait until the page shows the kernel's new view."""
        before = await page.evaluate(f"() => {self.changed}")
        if self.name == "floor":
            await page.get_by_role("checkbox").click()
        else:
            # two examination findings with real likelihood ratios, cycled through the three
            # states, so that every click moves the chart
            finding = CLICKED[i % len(CLICKED)]
            state = ("present", "absent", "not asked")[(i // len(CLICKED)) % 3]
            control = page.locator(f".kneesci-finding-{finding}")
            await control.get_by_role("radio", name=state, exact=True).check()
        await page.wait_for_function(f"old => {self.changed} !== old", arg=before, timeout=60_000)


@dataclass
class Run:
    app: str
    students: int
    preheated: bool
    open_cpu_s_per_student: float
    open_kernel_cpu_s_per_student: float
    open_browser_cpu_s_per_student: float
    seconds_until_every_chart: float
    seconds_until_chart_each: list[float]
    click_cpu_ms: float | None
    click_server_ms: float | None
    click_kernel_ms: float | None
    kernel_rss_mb: float
    kernels: int
    pages_without_chart: int
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu(process: psutil.Process) -> tuple[float, float]:
    """CPU-seconds of the server itself and of its kernels (live or already reaped)."""
    times = process.cpu_times()
    server = times.user + times.system
    kernels = times.children_user + times.children_system
    for child in process.children(recursive=True):
        try:
            t = child.cpu_times()
            kernels += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return server, kernels


def browser_cpu() -> float:
    """CPU-seconds of this benchmark's Chromium processes: the students' side, which on a
    one-machine benchmark competes with the server for the same cores."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name():
                t = child.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def kernel_processes(process: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in process.children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


class Voila:
    """A Voila server on one notebook, configured from the repository's voila.json."""

    def __init__(self, notebook: Path, pool: int, workdir: Path):
        shutil.copy(notebook, workdir / notebook.name)
        shutil.copy(ROOT / "voila.json", workdir / "voila.json")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(workdir / "voila.log", "w")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            [
                str(BIN / "voila"),
                notebook.name,
                "--no-browser",
                "--Voila.ip=127.0.0.1",
                f"--port={self.port}",
                f"--VoilaConfiguration.preheat_kernel={pool > 0}",
                f"--VoilaConfiguration.default_pool_size={max(pool, 0)}",
            ],
            cwd=workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter")},
        )
        self.process = psutil.Process(self.popen.pid)
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"Voila did not start on {self.url}")

    def wait_pool(self, size: int, timeout: float = 900) -> None:
        """Until `size` kernels exist and the server tree has been idle for two seconds."""
        deadline = time.monotonic() + timeout
        last = sum(tree_cpu(self.process))
        quiet = 0
        while time.monotonic() < deadline:
            time.sleep(1)
            now = sum(tree_cpu(self.process))
            busy = now - last
            last = now
            quiet = quiet + 1 if busy < 0.05 * max(1, size) else 0
            if len(kernel_processes(self.process)) >= size and quiet >= 2:
                return
        raise TimeoutError("the preheated pool did not fill")

    def settle(self, seconds: float = 1.5) -> None:
        time.sleep(seconds)

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
        self.log.close()


async def open_class(browser, app: App, url: str, k: int, stagger: float = 0.0):
    async def one(i: int):
        await asyncio.sleep(i * stagger)  # students arriving a moment apart, if asked
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        start = time.monotonic()
        try:
            await page.goto(url, timeout=OPEN_TIMEOUT_MS)
            await page.wait_for_selector(app.ready, timeout=OPEN_TIMEOUT_MS)
        except Exception:
            shot = Path(tempfile.gettempdir()) / f"class_load-{app.name}-{id(page)}.png"
            await page.screenshot(path=str(shot))
            print(f"a page did not show its chart; screenshot {shot}", file=sys.stderr)
            return page, None
        return page, time.monotonic() - start

    return await asyncio.gather(*(one(i) for i in range(k)))


async def measure(
    app: App, k: int, clicks: int, pool: int, workdir: Path, stagger: float = 0.0
) -> Run:
    from playwright.async_api import async_playwright

    server = Voila(app.notebook, pool, workdir)
    notes: list[str] = []
    try:
        if pool:
            server.wait_pool(pool)
        server.settle()
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            server0, kernels0 = tree_cpu(server.process)
            browser0 = browser_cpu()
            start = time.monotonic()
            pages = await open_class(browser, app, server.url, k, stagger)
            opened = [(page, t) for page, t in pages if t is not None]
            if len(opened) < k:
                notes.append(f"{k - len(opened)} of {k} pages never showed the chart")
            every = time.monotonic() - start
            server1, kernels1 = tree_cpu(server.process)
            open_cpu = server1 + kernels1 - server0 - kernels0
            open_kernel_cpu = kernels1 - kernels0
            open_browser_cpu = browser_cpu() - browser0
            kernels = kernel_processes(server.process)
            rss = [kp.memory_info().rss / 2**20 for kp in kernels]
            click_cpu = click_server = click_kernel = None
            if clicks and opened:
                for page, _ in opened:
                    await app.prepare(page)
                server.settle()
                s0, k0 = tree_cpu(server.process)
                for i in range(clicks):
                    for page, _ in opened:
                        await app.click(page, i)
                s1, k1 = tree_cpu(server.process)
                n = clicks * len(opened)
                click_server, click_kernel = (s1 - s0) / n * 1e3, (k1 - k0) / n * 1e3
                click_cpu = click_server + click_kernel
            await browser.close()
        if pool:
            notes.append(f"pool of {pool} preheated kernels filled before the class opened")
    finally:
        server.stop()
    return Run(
        app=app.name,
        students=k,
        preheated=bool(pool),
        open_cpu_s_per_student=open_cpu / k,
        open_kernel_cpu_s_per_student=open_kernel_cpu / k,
        open_browser_cpu_s_per_student=open_browser_cpu / k,
        seconds_until_every_chart=every,
        seconds_until_chart_each=sorted(round(t, 2) for _, t in opened),
        click_cpu_ms=click_cpu,
        click_server_ms=click_server,
        click_kernel_ms=click_kernel,
        kernel_rss_mb=statistics.median(rss) if rss else float("nan"),
        pages_without_chart=k - len(opened),
        kernels=len(kernels),
        notes=notes,
    )


def kernel_redraw_ms(changes: int = 60) -> float:
    """The kernel's own work per click: the explorer's set_finding, CPU time, no messaging."""
    from kneesci.widgets import Explorer

    explorer = Explorer()
    findings = list(explorer.kb.findings)[:6]
    times = []
    for i in range(changes):
        value = (True, False, None)[(i // len(findings)) % 3]
        start = time.process_time()
        explorer.set_finding(findings[i % len(findings)], value)
        times.append((time.process_time() - start) * 1e3)
    return statistics.median(times)


def controls_probe(controls: int) -> dict:
    """The floor plus `controls` finding-like radio groups (one shared Layout and style) in a
    collapsed section: what building collapsed sections lazily would save, measured."""
    probe = json.loads(json.dumps(FLOOR_NOTEBOOK))
    floor_source = probe["cells"][0]["source"].rsplit("\n", 1)[0]  # all but the display line
    probe["cells"][0]["source"] = floor_source + (
        "\n\nlook = dict(layout=widgets.Layout(width='auto'), "
        "style=widgets.RadioButtons().style)\n"
        f"radios = [widgets.RadioButtons(options=['not asked', 'present', 'absent'], "
        f"description=f'finding {{i}}', orientation='horizontal', **look) "
        f"for i in range({controls})]\n"
        "section = widgets.Accordion([widgets.VBox(radios)], titles=('Examination',), "
        "selected_index=None)\n"
        "widgets.VBox([box, label, section])"
    )
    return probe


def apps(workdir: Path, notebook: Path, probe: int = 0) -> dict[str, App]:
    floor = workdir / "floor.ipynb"
    floor.write_text(json.dumps(FLOOR_NOTEBOOK))
    ready = "document.querySelector('#floor-ready').textContent"
    extra = {}
    if probe:
        path = workdir / "controls_probe.ipynb"
        path.write_text(json.dumps(controls_probe(probe)))
        extra["probe"] = App("floor", path, "#floor-ready", ready)
    return {
        "floor": App("floor", floor, "#floor-ready", ready),
        **extra,
        "explorer": App(
            "explorer",
            notebook,
            "#kneesci-differential-chart",
            "document.querySelector('#kneesci-differential-chart').src",
        ),
    }


def report(runs: list[Run], redraw: float) -> None:
    floor = {r.students: r for r in runs if r.app == "floor" and not r.preheated}
    print(f"kernel's own redraw (explorer set_finding, CPU): median {redraw:.1f} ms")
    header = (
        f"{'app':9} {'K':>3} {'open CPU s/student':>19} {'x floor':>8} {'click ms':>9} "
        f"{'x redraw':>9} {'kernel RSS MB':>14} {'x floor':>8} {'all charts s':>13}"
    )
    print(header)
    for r in runs:
        f = floor.get(r.students)
        open_ratio = r.open_cpu_s_per_student / f.open_cpu_s_per_student if f else float("nan")
        rss_ratio = r.kernel_rss_mb / f.kernel_rss_mb if f else float("nan")
        click = f"{r.click_cpu_ms:9.1f}" if r.click_cpu_ms is not None else f"{'-':>9}"
        ratio = (
            f"{r.click_cpu_ms / redraw:9.1f}"
            if r.click_cpu_ms is not None and r.app != "floor"
            else f"{'-':>9}"
        )
        name = r.app + (" (pool)" if r.preheated else "")
        print(
            f"{name:9} {r.students:3d} {r.open_cpu_s_per_student:19.2f} {open_ratio:8.2f} "
            f"{click} {ratio} {r.kernel_rss_mb:14.1f} {rss_ratio:8.2f} "
            f"{r.seconds_until_every_chart:13.1f}"
        )
        if r.preheated:
            print(f"    each student until the chart shows (s): {r.seconds_until_chart_each}")
        for note in r.notes:
            print(f"    {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 30])
    parser.add_argument("--clicks", type=int, default=8, help="clicks per student")
    parser.add_argument("--preheat", type=int, default=0, help="students on a preheated pool")
    parser.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "explorer_app.ipynb")
    parser.add_argument("--only", choices=["floor", "explorer", "probe"], help="one app only")
    parser.add_argument(
        "--controls-probe",
        type=int,
        default=0,
        help="also measure the floor plus this many radio groups in a collapsed section",
    )
    parser.add_argument(
        "--stagger", type=float, default=0.0, help="seconds between students on the preheated pool"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = apps(Path(tmp), args.notebook, args.controls_probe)
        for k in args.students:
            for name, app in targets.items():
                if args.only and name != args.only:
                    continue
                workdir = Path(tempfile.mkdtemp(dir=tmp))
                run = asyncio.run(measure(app, k, args.clicks, 0, workdir))
                run.app = name
                runs.append(run)
                print(f"  {name} K={k}: {asdict(run)}", file=sys.stderr, flush=True)
        if args.preheat:
            workdir = Path(tempfile.mkdtemp(dir=tmp))
            app = targets["explorer"]
            run = asyncio.run(measure(app, args.preheat, 0, args.preheat, workdir, args.stagger))
            runs.append(run)
    redraw = kernel_redraw_ms()
    report(runs, redraw)
    if args.json:
        args.json.write_text(
            json.dumps({"kernel_redraw_ms": redraw, "runs": [asdict(r) for r in runs]}, indent=1)
        )


if __name__ == "__main__":
    main()
