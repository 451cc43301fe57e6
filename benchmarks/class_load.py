"""A class opens the explorer: K students, each in their own browser, against one Voila server.

    make class-load                                    # K = 5 and 10, all at once and over 30 s
    make class-load K="10" ARRIVAL="0"                 # one K, everyone on the same second
    .venv/bin/python benchmarks/class_load.py --students 30 --pool 30 --clicks 2
                                   # 30 students on a pool of 30 preheated kernels
    .venv/bin/python benchmarks/class_load.py --students 10 --arrival 0 \
        --voila-arg=--VoilaExecutor.iopub_timeout=4   # Voila's default: pages stay blank

For every K and arrival spread it starts a fresh Voila (the repository's voila.json and offline
template; without --pool the pool is off, so the whole cost of a page lands inside the
measurement), lets K students arrive (all on the same second, or spread evenly over --arrival
seconds), each in a browser context of their own (their own cookies, cache and connections) or,
with --browser-per-student, a Chromium process of their own, waits until every page shows its
chart, then lets each student click. It reports, per K:

* until chart: the seconds from each student's arrival until their page shows its chart (median
  and slowest), and the pages that never showed it within --timeout (stalled);
* open CPU: CPU-seconds of the server and its kernels from the first arrival until every page
  shows its chart, per student; with --pool, also the CPU the server spent starting and
  filling the pool, per kernel;
* click CPU: server (Voila) and kernel CPU per click;
* kernel RSS: the median resident memory of the kernels once the pages are open;
* messages and bytes the page received over its kernel's websocket until its chart showed;
* the students' own browser CPU, which here runs on the same cores as the server.

The floor runs in the same session with the same K, arrival and pool: a bare notebook that
imports numpy, matplotlib.pyplot (as any notebook that draws does) and ipywidgets and shows two
widgets. Every figure of the explorer is also given as a ratio to the floor's; the ratios are
what carry to another machine. Nothing here is asserted: the figures are printed (and written as
JSON with --json).
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
# The repository, so that the helper module shared with the browser tests is found when this file
# runs as a script.
sys.path.insert(0, str(ROOT))
from kneesci_testing.browser import BIN, CHROMIUM, FLAGS  # noqa: E402

# as `make app` serves a class on Linux (Unix sockets: no TCP port for thirty kernels to race for)
IPC_KERNELS = ["--KernelManager.transport=ipc"] if sys.platform.startswith("linux") else []
IDLE_SECONDS = 10.0  # the idle baseline taken before the clicks
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
    arrival_s: float
    pool: int
    browsers: str  # "context" (one per student in a shared Chromium) or "process"
    until_chart_s: list[float]
    stalled: int
    open_cpu_s_per_student: float
    open_server_cpu_s_per_student: float
    open_kernel_cpu_s_per_student: float
    open_browser_cpu_s_per_student: float
    pool_fill_cpu_s_per_kernel: float | None
    click_cpu_ms: float | None
    click_server_ms: float | None
    click_kernel_ms: float | None
    kernel_rss_mb: float
    kernels: int
    messages_at_open: float | None
    kb_at_open: float | None
    seconds_until_every_chart: float
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu(process: psutil.Process, only: set[int] | None = None) -> tuple[float, float]:
    """CPU-seconds of the server itself and of its kernels (live or already reaped).

    With `only`, just the kernels with those process ids: the ones serving the class, so that a
    kernel Voila starts while the class clicks (a pool refilling) is not charged to the clicks."""
    times = process.cpu_times()
    server = times.user + times.system
    kernels = 0.0 if only is not None else times.children_user + times.children_system
    for child in process.children(recursive=True):
        if only is not None and child.pid not in only:
            continue
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

    def __init__(self, notebook: Path, pool: int, workdir: Path, extra: list[str] = ()):
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
                *IPC_KERNELS,
                *extra,
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

    def wait_pool(self, size: int, timeout: float = 1800) -> None:
        """Until `size` kernels exist and the server's tree has used almost no CPU for five
        seconds: every pool kernel has run the notebook. The threshold is absolute (not a share
        of the machine), so other work on the machine does not make a filling pool look idle."""
        deadline = time.monotonic() + timeout
        last = sum(tree_cpu(self.process))
        quiet = 0
        while time.monotonic() < deadline:
            time.sleep(1)
            now = sum(tree_cpu(self.process))
            busy = now - last
            last = now
            quiet = quiet + 1 if busy < 0.1 + 0.004 * size else 0
            if len(kernel_processes(self.process)) >= size and quiet >= 5:
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


class Student:
    """One student's page: when they arrived, when the chart showed, what the kernel sent."""

    def __init__(self, page):
        self.page = page
        self.until_chart: float | None = None
        self.messages = 0
        self.bytes = 0
        self.counting = True
        page.on("websocket", self._websocket)

    def _websocket(self, socket) -> None:
        def received(payload) -> None:
            if self.counting:
                self.messages += 1
                self.bytes += len(payload)

        socket.on("framereceived", received)


async def open_class(
    p, app: App, url: str, k: int, arrival: float, per_process: bool, timeout_s: float
) -> tuple[list[Student], list]:
    """K students arrive evenly over `arrival` seconds (all at once when 0) and open the page."""
    browsers = []
    shared = None if per_process else await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

    async def one(i: int) -> Student:
        await asyncio.sleep(arrival * i / max(k - 1, 1))
        if per_process:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            browsers.append(browser)
        else:
            browser = shared
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        student = Student(await context.new_page())
        start = time.monotonic()
        try:
            await student.page.goto(url, timeout=timeout_s * 1e3)
            await student.page.wait_for_selector(app.ready, timeout=timeout_s * 1e3)
            student.until_chart = time.monotonic() - start
        except Exception:
            shot = Path(tempfile.gettempdir()) / f"class_load-{app.name}-{i}.png"
            await student.page.screenshot(path=str(shot))
            print(f"a page did not show its chart; screenshot {shot}", file=sys.stderr)
        student.counting = False
        return student

    students = await asyncio.gather(*(one(i) for i in range(k)))
    return students, browsers + ([shared] if shared else [])


async def measure(
    app: App,
    k: int,
    clicks: int,
    pool: int,
    workdir: Path,
    arrival: float = 0.0,
    per_process: bool = False,
    timeout_s: float = 300,
    extra: list[str] = (),
) -> Run:
    from playwright.async_api import async_playwright

    server = Voila(app.notebook, pool, workdir, extra)
    notes: list[str] = []
    fill = None
    try:
        if pool:
            server.wait_pool(pool)
            fill = sum(tree_cpu(server.process)) / pool  # the server's start-up included
        server.settle()
        async with async_playwright() as p:
            server0, kernels0 = tree_cpu(server.process)
            browser0 = browser_cpu()
            start = time.monotonic()
            students, browsers = await open_class(
                p, app, server.url, k, arrival, per_process, timeout_s
            )
            every = time.monotonic() - start
            server1, kernels1 = tree_cpu(server.process)
            open_browser_cpu = browser_cpu() - browser0
            opened = [s for s in students if s.until_chart is not None]
            if len(opened) < k:
                notes.append(f"{k - len(opened)} of {k} pages never showed the chart")
            kernels = kernel_processes(server.process)
            rss = [kp.memory_info().rss / 2**20 for kp in kernels]
            click_cpu = click_server = click_kernel = None
            if clicks and opened:
                for s in opened:
                    await app.prepare(s.page)
                server.settle()
                serving = {kp.pid for kp in kernels}  # not the pool's refill
                # The idle cost of K open pages (heartbeats, websocket pings) over the clicking
                # time is not a click's: measured first, then taken off (and reported).
                i0, i_start = tree_cpu(server.process, serving), time.monotonic()
                await asyncio.sleep(IDLE_SECONDS)
                i1, idle_span = tree_cpu(server.process, serving), time.monotonic() - i_start
                idle_server, idle_kernel = (i1[0] - i0[0]) / idle_span, (i1[1] - i0[1]) / idle_span
                s0, k0 = tree_cpu(server.process, serving)
                t0 = time.monotonic()
                for i in range(clicks):
                    for s in opened:
                        await app.click(s.page, i)
                s1, k1 = tree_cpu(server.process, serving)
                span = time.monotonic() - t0
                n = clicks * len(opened)
                raw = ((s1 - s0) + (k1 - k0)) / n * 1e3
                click_server = max(0.0, (s1 - s0) - idle_server * span) / n * 1e3
                click_kernel = max(0.0, (k1 - k0) - idle_kernel * span) / n * 1e3
                click_cpu = click_server + click_kernel
                notes.append(
                    f"a click: {raw:.1f} ms of CPU as measured, of which {raw - click_cpu:.1f} ms "
                    f"is the {k} open pages' idle cost over the {span:.0f} s of clicking "
                    f"(idle: server {idle_server * 1e3:.1f}, kernels {idle_kernel * 1e3:.1f} ms/s)"
                )
            for browser in browsers:
                await browser.close()
    finally:
        server.stop()
    return Run(
        app=app.name,
        students=k,
        arrival_s=arrival,
        pool=pool,
        browsers="process" if per_process else "context",
        until_chart_s=[round(s.until_chart, 2) for s in opened],
        stalled=k - len(opened),
        open_cpu_s_per_student=(server1 + kernels1 - server0 - kernels0) / k,
        open_server_cpu_s_per_student=(server1 - server0) / k,
        open_kernel_cpu_s_per_student=(kernels1 - kernels0) / k,
        open_browser_cpu_s_per_student=open_browser_cpu / k,
        pool_fill_cpu_s_per_kernel=fill,
        click_cpu_ms=click_cpu,
        click_server_ms=click_server,
        click_kernel_ms=click_kernel,
        kernel_rss_mb=statistics.median(rss) if rss else float("nan"),
        kernels=len(kernels),
        messages_at_open=statistics.median(s.messages for s in opened) if opened else None,
        kb_at_open=statistics.median(s.bytes for s in opened) / 1024 if opened else None,
        seconds_until_every_chart=every,
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
            # the chart as HTML bars (or, in 0.3's first explorer, a PNG): it moves on each click
            "document.querySelector('#kneesci-differential-chart').outerHTML",
        ),
    }


def ratio(value: float | None, floor: float | None) -> str:
    if value is None or not floor:
        return "-"
    return f"{value / floor:.2f}x"


def report(runs: list[Run], redraw: float) -> None:
    def key(r: Run) -> tuple:
        return (r.students, r.arrival_s, r.pool, r.browsers)

    floors = {key(r): r for r in runs if r.app == "floor"}
    print(f"kernel's own redraw (explorer set_finding, CPU): median {redraw:.1f} ms")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    header = (
        f"{'app':8} {'K':>3} {'arrive s':>8} {'pool':>4} {'chart s med/max':>16} {'stalled':>7} "
        f"{'open CPU s':>10} {'x floor':>7} {'click ms':>8} {'(server)':>8} {'x floor':>7} "
        f"{'RSS MB':>7} {'x floor':>7} {'msgs':>5} {'KB':>6}"
    )
    print(header)
    for r in runs:
        f = floors.get(key(r)) if r.app != "floor" else None
        times = sorted(r.until_chart_s)
        chart = f"{statistics.median(times):.1f}/{times[-1]:.1f}" if times else "-"
        click = f"{r.click_cpu_ms:8.1f}" if r.click_cpu_ms is not None else f"{'-':>8}"
        server = f"{r.click_server_ms:8.1f}" if r.click_server_ms is not None else f"{'-':>8}"
        print(
            f"{r.app:8} {r.students:3d} {r.arrival_s:8.0f} {r.pool:4d} {chart:>16} "
            f"{r.stalled:7d} {r.open_cpu_s_per_student:10.2f} "
            f"{ratio(r.open_cpu_s_per_student, f and f.open_cpu_s_per_student):>7} {click} "
            f"{server} {ratio(r.click_cpu_ms, f and f.click_cpu_ms):>7} {r.kernel_rss_mb:7.1f} "
            f"{ratio(r.kernel_rss_mb, f and f.kernel_rss_mb):>7} "
            f"{r.messages_at_open or 0:5.0f} {r.kb_at_open or 0:6.0f}"
        )
        if r.pool_fill_cpu_s_per_kernel is not None:
            print(
                f"    pool of {r.pool}: {r.pool_fill_cpu_s_per_kernel:.2f} CPU-s per kernel to fill"
                f" ({ratio(r.pool_fill_cpu_s_per_kernel, f and f.pool_fill_cpu_s_per_kernel)}"
                " the floor's)"
            )
        print(
            f"    server {r.open_server_cpu_s_per_student:.2f} + kernels "
            f"{r.open_kernel_cpu_s_per_student:.2f} CPU-s per student to open; the students' "
            f"browsers {r.open_browser_cpu_s_per_student:.2f}; every chart after "
            f"{r.seconds_until_every_chart:.0f} s"
        )
        for note in r.notes:
            print(f"    {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[5, 10])
    parser.add_argument(
        "--arrival",
        type=float,
        nargs="+",
        default=[0.0, 30.0],
        help="seconds over which the class arrives (0: all on the same second)",
    )
    parser.add_argument("--clicks", type=int, default=8, help="clicks per student")
    parser.add_argument(
        "--pool", type=int, default=0, help="preheat a pool of this many kernels (0: no pool)"
    )
    parser.add_argument(
        "--browser-per-student",
        action="store_true",
        help="a Chromium process per student (default: a browser context per student)",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a page stalls")
    parser.add_argument(
        "--voila-arg", action="append", default=[], help="an extra Voila switch (repeatable)"
    )
    parser.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "explorer_app.ipynb")
    parser.add_argument("--only", choices=["floor", "explorer", "probe"], help="one app only")
    parser.add_argument(
        "--controls-probe",
        type=int,
        default=0,
        help="also measure the floor plus this many radio groups in a collapsed section",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = apps(Path(tmp), args.notebook, args.controls_probe)
        for k in args.students:
            for arrival in args.arrival:
                for name, app in targets.items():
                    if args.only and name != args.only:
                        continue
                    workdir = Path(tempfile.mkdtemp(dir=tmp))
                    run = asyncio.run(
                        measure(
                            app,
                            k,
                            args.clicks,
                            args.pool,
                            workdir,
                            arrival,
                            args.browser_per_student,
                            args.timeout,
                            args.voila_arg,
                        )
                    )
                    run.app = name
                    runs.append(run)
                    print(f"  {name} K={k}: {asdict(run)}", file=sys.stderr, flush=True)
    redraw = kernel_redraw_ms()
    report(runs, redraw)
    if args.json:
        args.json.write_text(
            json.dumps({"kernel_redraw_ms": redraw, "runs": [asdict(r) for r in runs]}, indent=1)
        )


if __name__ == "__main__":
    main()
