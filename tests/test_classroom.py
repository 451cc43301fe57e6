"""`make app HOST=...` serves the explorer to a room; docs/classroom.md says what that exposes."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_app_command(**variables: str) -> list[str]:
    """The Voila command line `make app` would run, as make prints it."""
    assignments = [f"{k}={v}" for k, v in variables.items()]
    out = subprocess.run(
        ["make", "-n", "-W", ".venv/.installed-stamp", "app", *assignments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = out.replace("\\\n", " ").splitlines()
    voila = [line for line in lines if "/voila " in line]
    assert len(voila) == 1, out
    return shlex.split(voila[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_app_listens_on_this_machine_only_by_default():
    command = make_app_command()
    assert "--Voila.ip=127.0.0.1" in command
    assert "--port=8866" in command


def test_make_app_starts_kernels_on_unix_sockets_not_tcp_ports():
    # thirty kernels starting at once on TCP can race for a port, and the loser dies
    assert "--KernelManager.transport=ipc" in make_app_command()


def test_make_app_host_port_and_pool_reach_voila():
    command = make_app_command(HOST="0.0.0.0", PORT="8900", POOL="30")
    assert "--Voila.ip=0.0.0.0" in command
    assert "--port=8900" in command
    assert "--VoilaConfiguration.default_pool_size=30" in command


def test_make_app_warns_when_it_serves_a_room():
    out = subprocess.run(
        ["make", "-W", ".venv/.installed-stamp", "-n", "app", "HOST=0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "WITHOUT A LOGIN" in out
    assert "docs/classroom.md" in out


@pytest.mark.skipif(os.environ.get("KNEESCI_SKIP_BROWSER") == "1", reason="starts Voila")
def test_make_app_host_serves_the_room(tmp_path):
    """Run as `make app HOST=0.0.0.0` runs it, Voila listens on every address, not loopback."""
    port = free_port()
    command = make_app_command(HOST="0.0.0.0", PORT=str(port), POOL="1")
    command[0] = str(ROOT / command[0])
    log = open(tmp_path / "voila.log", "w")  # noqa: SIM115 - closed below
    env = {**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter")}
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        page = ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as answer:
                    page = answer.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        listening = {
            c.laddr.ip
            for c in psutil.Process(process.pid).net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port
        }
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    assert "kneesci" in page.lower(), (tmp_path / "voila.log").read_text()[-2000:]
    assert "0.0.0.0" in listening or "::" in listening, listening


def test_classroom_guide_has_the_handout_checklist_and_what_is_exposed():
    text = (ROOT / "docs" / "classroom.md").read_text(encoding="utf-8")
    for heading in ("## What this exposes", "## Pre-class checklist", "## Student handout"):
        assert heading in text
    assert "no login" in text
    assert "make app HOST=" in text


def test_readme_is_short_and_sends_each_reader_to_their_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 150
    assert "## Students: start here" in readme and "## Lecturers: start here" in readme
    for guide in ("classroom", "lecturer-guide", "deploy", "development", "performance"):
        assert f"docs/{guide}.md" in readme, guide
        assert (ROOT / "docs" / f"{guide}.md").is_file(), guide
