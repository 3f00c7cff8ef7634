"""The headless Chromium the browser tests drive (Debian's chromium + chromium-driver).

``scripts/install-browser.sh`` installs them. Without them a browser test skips locally and
fails in CI (``CI=true``), so CI cannot pass without running it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--disable-dev-shm-usage")


def unavailable(reason: str) -> None:
    """Skip the test here; fail it in CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser test (scripts/install-browser.sh)")
    pytest.skip(f"{reason}; run scripts/install-browser.sh to enable this test")


def chromium(profile: Path, downloads: Path | None = None) -> Iterator[Any]:
    """A headless Chromium with a fresh ``profile`` (and downloads saved in ``downloads``),
    for a fixture to ``yield from``; quit and the profile removed afterwards."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        unavailable(f"{CHROMIUM} or {CHROMEDRIVER} not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
