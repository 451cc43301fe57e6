"""voila.json, read by `make app` and by Voila started from the repository's folder: the offline
template, a preheated pool and idle-kernel culling (docs/deploy.md explains each setting)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = json.loads((ROOT / "voila.json").read_text())
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "kneesci"


def test_the_app_uses_the_offline_template_shipped_with_the_package():
    assert CONFIG["VoilaConfiguration"]["template"] == "kneesci"
    assert json.loads((TEMPLATE / "conf.json").read_text())["base_template"] == "lab"
    assert "cdn.jsdelivr.net" in (TEMPLATE / "index.html.j2").read_text()  # the links it drops


def test_kernels_are_preheated_and_refilled_after_the_class_has_opened():
    assert CONFIG["VoilaConfiguration"]["preheat_kernel"] is True
    assert CONFIG["VoilaConfiguration"]["default_pool_size"] >= 1
    # Refilling costs as much CPU as opening; in the class-load benchmark a class of 10 took about a
    # minute to open on two cores, so the refill waits until the class is in.
    assert CONFIG["VoilaKernelManager"]["fill_delay"] >= 60


def test_idle_kernels_of_closed_pages_are_culled():
    culling = CONFIG["MappingKernelManager"]
    assert 0 < culling["cull_idle_timeout"] <= 3600
    assert 0 < culling["cull_interval"] <= culling["cull_idle_timeout"]
    assert culling["cull_connected"] is False


def test_a_page_waits_for_its_output_when_a_class_opens_together():
    # After a kernel answers, Voila waits `iopub_timeout` seconds for the cell's output and then
    # drops what has not arrived; at 4 s (nbclient's default) ten pages opened together on two
    # cores lost the explorer's output and stayed blank (docs/performance.md).
    executor = CONFIG["VoilaExecutor"]
    assert executor["iopub_timeout"] >= 60
    # Voila's page asks the kernel for the widgets' state; the copy the server kept was unused.
    assert executor["store_widget_state"] is False
