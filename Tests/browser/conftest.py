"""Fixtures for the browser tests: the real book built once, a headless Chromium, a local HTTP server.

Environment:
  BUILD_SITE   the build-site executable (default .build/debug/build-site, relative to the repository root)
  BOOK_PUBLIC  an already built site folder to test instead of building one (for working on the theme)
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


class Site:
    """The built book: its folder, and the pages the tests visit, found by following its own links."""

    def __init__(self, public: Path):
        self.public = public
        index = self.read("index.html")
        chapters = re.findall(r'<a class="chapter-link" href="([^"]+)"', index)
        assert chapters, "index.html links to no chapter (a.chapter-link)"
        self.first_chapter = chapters[0]
        self.chapters = chapters
        self.person = self._entity("people", prefer="wang-anshi.html")
        self.place = self._entity("places", prefer="lingzhou.html")
        self.polity = self._entity("polities", prefer="western-xia.html")
        self.event = self._entity("events", prefer="battle-of-mizhi.html")

    def read(self, rel: str) -> str:
        return (self.public / rel).read_text(encoding="utf-8")

    def exists(self, rel: str) -> bool:
        return (self.public / rel).is_file()

    def _entity(self, folder: str, prefer: str) -> str:
        if self.exists(f"{folder}/{prefer}"):
            return f"{folder}/{prefer}"
        listing = self.read(f"{folder}/index.html")
        links = [h for h in re.findall(r'<li><a href="([^"#]+\.html)"', listing) if h != "index.html"]
        assert links, f"{folder}/index.html lists no entity"
        return f"{folder}/{links[0]}"

    def url(self, rel: str) -> str:
        path, _, rest = rel.partition("?")
        uri = (self.public / path).resolve().as_uri()
        return uri + ("?" + rest if rest else "")

    def html_files(self):
        return sorted(p.relative_to(self.public).as_posix() for p in self.public.rglob("*.html"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    given = os.environ.get("BOOK_PUBLIC")
    if given:
        return Site(Path(given).resolve())
    exe = Path(os.environ.get("BUILD_SITE", ".build/debug/build-site"))
    if not exe.is_absolute():
        exe = REPO / exe
    assert exe.is_file(), f"no build-site executable at {exe} (build it first, or set BUILD_SITE)"
    out = tmp_path_factory.mktemp("book") / "Public"
    run = subprocess.run([str(exe), "--quiet", "--output", str(out)], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"build-site failed ({run.returncode}):\n{run.stderr}"
    assert (out / "index.html").is_file()
    return Site(out)


def _chrome_options():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                "--disable-dev-shm-usage", "--lang=en-GB", "--force-color-profile=srgb",
                "--hide-scrollbars", "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture(scope="session")
def driver():
    # Chromium leaves its singleton-socket folder in TMPDIR after quitting: give it a folder of its own, removed after.
    scratch = tempfile.mkdtemp(prefix="build-site-chromium-")
    service = Service(CHROMEDRIVER, env={**os.environ, "TMPDIR": scratch})
    drv = webdriver.Chrome(service=service, options=_chrome_options())
    drv.set_page_load_timeout(60)
    drv.set_script_timeout(120)
    yield drv
    drv.quit()
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def browser(driver):
    """The session's browser, reset to the desktop size, light colours and no leftover console lines."""
    reset_view(driver)
    driver.get("about:blank")
    driver.get_log("browser")
    yield driver
    reset_view(driver)


def reset_view(drv):
    drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    drv.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": [
        {"name": "prefers-color-scheme", "value": "light"}]})
    drv.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    drv.execute_cdp_cmd("Emulation.setEmitTouchEventsForMouse", {"enabled": False})


def set_view(drv, width: int, height: int, dark: bool = False, mobile: bool = False):
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    drv.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


def console_errors(drv):
    """Console lines at error level since the last call (the log is emptied by reading it)."""
    return [e for e in drv.get_log("browser") if e.get("level") == "SEVERE"]


def wait_for(predicate, timeout=5.0, interval=0.05, message="condition"):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message} (last value: {last!r})")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def http_site(site):
    """The built site served by python3 -m http.server from its parent folder, so it lives under a sub-path.
    Yields the base URL of the site folder, e.g. http://127.0.0.1:PORT/Public/"""
    parent = site.public.parent
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(parent)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/{site.public.name}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(base + "index.html", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the local HTTP server did not start")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
