"""Take the README's screenshot: the explorer in Voila, headless Chromium, two findings set.

.venv/bin/python tools/screenshot.py [docs/explorer.png]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository, so that the helper module shared with the browser tests is found when this
# file runs as a script.
sys.path.insert(0, str(ROOT))
from kneesci_testing.browser import (  # noqa: E402
    CHROMIUM,
    FLAGS,
    serve_explorer_app,
    set_finding_in_group,
    stop,
)


def main() -> None:
    from playwright.sync_api import sync_playwright

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "explorer.png"
    url, process, log = serve_explorer_app(Path(tempfile.mkdtemp()))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, timeout=120_000)
            page.wait_for_selector("#kneesci-ranking li", state="attached", timeout=60_000)
            set_finding_in_group(page, "Symptoms", "knee_pain", "present")
            set_finding_in_group(page, "Examination", "femoral_nerve_stretch_positive", "present")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(target))
            browser.close()
    finally:
        stop(process, log)
    if shutil.which("pngquant"):  # smaller file for the repository, when available
        subprocess.run(["pngquant", "--force", "--ext", ".png", "--quality", "70-90", str(target)])
    print(f"{target}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
