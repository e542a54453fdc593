"""Through a real local cluster (scripts/cluster.sh: two replicas, a shared PostgreSQL, nginx
in front): compressed and cached JavaScript, a browser kept on one replica, a scenario saved on
one replica opened by its link on the other, and a user carried over when their replica dies.

Skipped with the reason when nginx or PostgreSQL cannot be had on this machine."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import PROJECT_ROOT
from dashboard.bundle import read_bundle
from dashboard.scenario.io import scenario_to_json
from dashboard.scenario.spec import Scenario
from dashboard.store import ScenarioStore
from tests.e2e.conftest import TIMEOUT_MS, browser, free_port, new_page, wait_for_app

pytestmark = pytest.mark.e2e

SCRIPT = PROJECT_ROOT / "scripts" / "cluster.sh"
#: scripts/cluster.sh exits with this when nginx or PostgreSQL cannot be had here.
UNAVAILABLE = 3
__all__ = ["browser"]  # the Chromium fixture of the browser tests


def _state(folder: Path) -> dict[str, str]:
    text = (folder / "state.env").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("cluster")
    env = {
        **os.environ,
        "PVE_PROXY_PORT": str(free_port()),
        "PVE_CLUSTER_DIR": str(folder),
        "PYTHON": os.environ.get("PYTHON", "python"),
    }
    up = subprocess.run(
        ["bash", str(SCRIPT), "up"], env=env, capture_output=True, text=True, timeout=600
    )
    if up.returncode == UNAVAILABLE:
        pytest.skip(f"no local cluster here: {up.stderr.strip()[-300:]}")
    assert up.returncode == 0, up.stdout + up.stderr
    try:
        yield _state(folder)
    finally:
        subprocess.run(["bash", str(SCRIPT), "down"], env=env, capture_output=True, timeout=120)


def _get(url: str, headers: dict[str, str] | None = None):
    """(status, headers, body); every Set-Cookie header kept, under "Set-Cookie" as a list."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        found = dict(response.headers)
        found["Set-Cookie"] = response.headers.get_all("Set-Cookie") or []
        return response.status, found, response.read()


def test_the_javascript_arrives_compressed_and_cached(cluster) -> None:
    proxy = cluster["PROXY"]
    status, _, html = _get(f"{proxy}/")
    assert status == 200
    script = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', html)
    assert script, html[:500]
    status, headers, body = _get(f"{proxy}/{script.group(1).decode()}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")
    plain = gzip.decompress(body)
    assert len(body) < len(plain) / 2  # at least halved on the wire


def test_a_browser_stays_on_one_replica(cluster) -> None:
    proxy = cluster["PROXY"]
    _, first, _ = _get(f"{proxy}/_stcore/health")
    routes = [c.split(";", 1)[0] for c in first["Set-Cookie"] if c.startswith("pve_route=")]
    assert len(routes) == 1, first["Set-Cookie"]
    cookie = routes[0]
    seen = {
        _get(f"{proxy}/_stcore/health", {"Cookie": cookie})[1]["X-PVE-Upstream"] for _ in range(10)
    }
    assert len(seen) == 1
    # and the replicas are both in use: different browsers land on both
    spread = {_get(f"{proxy}/_stcore/health")[1]["X-PVE-Upstream"] for _ in range(30)}
    assert len(spread) == 2


def test_a_scenario_saved_on_one_replica_opens_by_link_on_the_other(cluster, browser) -> None:
    place = read_bundle(PROJECT_ROOT / "data" / "demo").default_place("upper")
    store = ScenarioStore(cluster["DATABASE_URL"])
    sid = store.save(
        "Shared across replicas",
        "",
        place,
        "demo",
        "Cluster test",
        scenario_to_json(Scenario(place, 12, {"reablement": 250_000.0})),
    )
    store.close()
    for port in (cluster["REPLICA1_PORT"], cluster["REPLICA2_PORT"]):
        page = new_page(browser, 1280, 720)
        try:
            page.goto(f"http://127.0.0.1:{port}/scenario?dataset=demo&place={place}&scenario={sid}")
            wait_for_app(page)
            page.get_by_text("Shared across replicas", exact=False).first.wait_for()
        finally:
            page.context.close()


def test_when_a_replica_dies_the_user_reloads_and_continues_on_the_other(cluster, browser) -> None:
    proxy = cluster["PROXY"]
    place = read_bundle(PROJECT_ROOT / "data" / "demo").place_codes("upper")[3]
    url = f"{proxy}/profile?dataset=demo&level=upper&place={place}"
    page = new_page(browser, 1280, 720)
    try:
        page.goto(url)
        wait_for_app(page)
        upstream = page.request.get(f"{proxy}/_stcore/health").headers["x-pve-upstream"]
        port = upstream.rsplit(":", 1)[1]
        which = next(k for k, v in cluster.items() if k.endswith("_PORT") and v == port)
        os.kill(int(cluster[which.replace("_PORT", "_PID")]), signal.SIGTERM)
        page.reload()
        wait_for_app(page)
        after = page.request.get(f"{proxy}/_stcore/health").headers["x-pve-upstream"]
        assert after != upstream
        box = page.locator('[data-testid="stSidebar"] input[aria-label="Place"]')
        expect(box).to_have_value(re.compile(rf"\({place}\)$"), timeout=TIMEOUT_MS)
        assert f"place={place}" in page.url
    finally:
        page.context.close()
