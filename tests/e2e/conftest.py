"""Real-browser fixtures: `streamlit run app.py` on a free port, Playwright on Debian's Chromium.

Every wait here is for a condition (the server answers, the script has finished, the text is
there) and returns as soon as it holds. The limits below only bound how long a broken app can
hang a test; they are generous because the machine the suite runs on may be busy.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import PROJECT_ROOT

CHROMIUM = os.environ.get("PVE_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("PVE_SCREENSHOTS", PROJECT_ROOT / "artifacts" / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

#: How long a new server may take to answer its health check (s).
SERVER_START_S = float(os.environ.get("PVE_E2E_SERVER_START_S", "180"))
#: How long any one browser wait may take (ms): a page's first run on a cold server included.
TIMEOUT_MS = int(os.environ.get("PVE_E2E_TIMEOUT_MS", "120000"))
#: Between two health checks the process itself is waited on (returns early if it exits).
POLL_S = 0.25

pytestmark = pytest.mark.e2e

#: True once the script run has finished and the page is drawn: the app is connected, the
#: script is not running (``notRunning`` only after a run, never before the first), the page's
#: title and the shared sidebar are there and nothing drawn is left over from an earlier run.
APP_IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"] h1')) return false;
  if (!document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"]')) return false;
  return !document.querySelector('[data-stale="true"]');
}
"""

#: Resolves after two animation frames: whatever the last change laid out has been painted.
PAINTED_JS = (
    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `streamlit run app.py` process (or of another ``script``, run from the project root
    with its configuration); its log goes to a file (a pipe nobody reads fills up and stalls
    the server)."""

    def __init__(self, env: dict[str, str] | None = None, script: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="pve-e2e-", suffix=".log")[1])
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script or PROJECT_ROOT / "app.py"),
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                cmd,
                cwd=PROJECT_ROOT,
                env={**os.environ, **(env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_healthy(self, timeout: float = SERVER_START_S) -> None:
        """Poll the health endpoint until it answers 200 (or the process exits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            try:
                code = self.proc.wait(timeout=POLL_S)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"streamlit exited with code {code}:\n{self.log_tail()}")
        raise TimeoutError(f"{self.url} not healthy in {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.unlink(missing_ok=True)


def launch(env: dict[str, str] | None = None, script: Path | None = None) -> Server:
    """A new server (of app.py, or ``script``), healthy (its first page request still to
    come)."""
    srv = Server(env, script)
    try:
        srv.wait_healthy()
    except Exception:
        srv.proc.kill()
        srv.proc.wait()
        srv.log.unlink(missing_ok=True)
        raise
    return srv


def start_server(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """(process, URL) of a new healthy server: the older interface of ``launch`` (the caller
    stops the process; its log file goes when the test session ends)."""
    srv = launch(env)
    atexit.register(srv.log.unlink, missing_ok=True)
    return srv.proc, srv.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(browser, width: int = 1440, height: int = 900):
    """A page in a context of its own, with the suite's limits."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture(scope="session")
def server(browser) -> Iterator[str]:
    """One server for the session, warmed by one page load (so every test finds it in the
    same state whatever runs first; a server's very first request is tested in test_urls)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    srv = launch()
    try:
        pg = new_page(browser)
        try:
            pg.goto(f"{srv.url}/?dataset=demo")
            wait_for_app(pg)
        finally:
            pg.context.close()
        yield srv.url
    finally:
        srv.stop()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    pg = new_page(browser)
    yield pg
    pg.context.close()


def wait_for_app(pg) -> None:
    """Wait until Streamlit has finished running the script and drawn the page."""
    pg.wait_for_function(APP_IDLE_JS, polling=100)


#: The chosen tab's panel has been drawn (a page with lazy tabs draws the open one in a rerun).
TAB_DRAWN_JS = """
(label) => {
  const tab = [...document.querySelectorAll('[role="tab"]')].find(t => t.innerText.trim() === label);
  if (!tab || tab.getAttribute('aria-selected') !== 'true') return false;
  const panel = document.getElementById(tab.getAttribute('aria-controls'));
  return !!panel && !!panel.querySelector('[data-testid="stElementContainer"]');
}
"""


def open_tab(pg, label: str) -> None:
    """Click a tab and wait until its panel is drawn and the script has finished."""
    pg.get_by_role("tab", name=label).click()
    pg.wait_for_function(TAB_DRAWN_JS, arg=label)
    wait_for_app(pg)


def wait_painted(pg) -> None:
    """Wait for fonts and for the next paint (before a screenshot)."""
    pg.evaluate("() => document.fonts.ready.then(() => true)")
    pg.evaluate(PAINTED_JS)


def page_not_found(pg) -> bool:
    """Whether Streamlit's "Page not found" dialog is open."""
    return pg.locator('[role="dialog"]').filter(has_text="Page not found").count() > 0


def screenshot(pg, name: str, folder: Path | None = None, full_page: bool = True) -> Path:
    """Save the page. For the whole page, Streamlit scrolls inside its main section, so the
    viewport is stretched to that section's height first (and restored after)."""
    folder = folder or SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    size = pg.viewport_size
    if full_page:
        height = pg.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }"
        )
        pg.set_viewport_size(
            {"width": size["width"], "height": max(size["height"], min(int(height), 6000))}
        )
    wait_painted(pg)
    pg.screenshot(path=str(path), full_page=full_page)
    if full_page:
        pg.set_viewport_size(size)
    return path
