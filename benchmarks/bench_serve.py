"""Serving many: server CPU per new session, browser round trips per page, memory plateau.

Run: python benchmarks/bench_serve.py [--dataset england] [--runs 7] [--only cpu,trip,bytes,rss]
     [--sessions 200]

Everything is measured against a real ``streamlit run`` server driven by Debian's Chromium,
with a floor measured the same way in the same run: a bare page with one select box.

- cpu: server CPU (user + system, from /proc) per new browser session that opens Home and
  then Scenarios, one session at a time on a warm server. Target (issue 17): <= 250 ms.
- trip: the round trip of one interaction, from the browser sending the change (an option
  picked in a select box) to its receiving the script run's end (Streamlit's
  ``script_finished`` message, read off the page's websocket), for a place change on every page (a place seen before, and one never seen)
  and for the Maps indicator change. Target: <= 3 x floor + 50 ms.
- bytes: what a new browser's first load of Home moves over HTTP, direct and through nginx.
- rss: the server's resident memory after each of N sessions (default 200), each on a place
  no earlier session opened (upper tier, then lower), opening Home and then every page with
  per-place work. Target: the last 100 sessions grow it by <= 10%.

Medians of --runs (default 7). The machine is shared: figures move by 10-20% between runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import PROJECT_ROOT  # noqa: E402
from dashboard.bundle.io import read_bundle  # noqa: E402
from dashboard.ui.pages import PAGES  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, launch  # noqa: E402

FLOOR_APP = """
import streamlit as st
picked = st.selectbox("Place", ["a", "b"], key="pick")
st.write(f"Picked {picked}")
"""

#: Logs, in the page, every websocket message with its performance.now() time: sent (the
#: browser's BackMsg) and received (a ForwardMsg, marked when it is a run's end: its top-level
#: field 6, ``script_finished``, read with a minimal protobuf walk). Installed before the
#: page's own scripts run.
WS_LOG_JS = """
(() => {
  const log = window.__pveWs = [];
  const finished = b => {
    let i = 0;
    const varint = () => { let v = 0, m = 1, c; do { c = b[i++]; v += (c & 127) * m; m *= 128; } while (c & 128 && i < b.length); return v; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (field === 6 && wire === 0) return true;
      if (wire === 0) varint(); else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  function Logged(...args) {
    const ws = new Native(...args);
    const send = ws.send.bind(ws);
    ws.send = data => { log.push(['s', performance.now(), false]); return send(data); };
    ws.addEventListener('message', e => {
      const t = performance.now();
      log.push(['r', t, e.data instanceof ArrayBuffer && finished(new Uint8Array(e.data))]);
    });
    return ws;
  }
  Logged.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Logged[k] = Native[k];
  window.WebSocket = Logged;
})();
"""
#: The app is connected and idle (the floor page has no title or sidebar).
IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]');
}
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used (s), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """The process's resident memory (MB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def idle(pg) -> None:
    pg.wait_for_function(IDLE_JS, polling=20, timeout=120_000)


def pick(pg, label: str, text: str) -> float:
    """Choose the option whose label contains ``text`` in the select box ``label``; return the
    seconds from the browser sending the change to its receiving the end of the script run
    it started (the last ``script_finished`` before the app is idle)."""
    combo = pg.locator(f'input[role="combobox"][aria-label^="{label}"]').first
    combo.click()
    combo.fill(text)
    option = pg.get_by_role("option", name=re.compile(re.escape(text))).first
    option.wait_for()
    pg.evaluate("() => { window.__pveWs.length = 0; }")
    option.click()
    pg.wait_for_function(FINISHED_JS, polling=20, timeout=120_000)
    idle(pg)
    log = pg.evaluate("() => window.__pveWs")
    sent = next(t for kind, t, _ in log if kind == "s")
    return (max(t for kind, t, fin in log if kind == "r" and fin and t > sent) - sent) / 1000


#: A run's end has arrived since the change was sent.
FINISHED_JS = "() => window.__pveWs.some(e => e[0] === 'r' && e[2])"


def new_page(browser, width: int = 1280, height: int = 720):
    """A page of its own context that logs its websocket messages (WS_LOG_JS)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(WS_LOG_JS)
    return context.new_page()


def app_server() -> Server:
    return launch()


@contextlib.contextmanager
def floor_server():
    """A server of the one-widget page (FLOOR_APP), with the app's configuration."""
    with tempfile.TemporaryDirectory() as d:
        app = Path(d) / "floor.py"
        app.write_text(FLOOR_APP)
        srv = launch(script=app)
        try:
            yield srv
        finally:
            srv.stop()


def floor_trip(browser, runs: int) -> float:
    with floor_server() as srv:
        pg = new_page(browser)
        pg.goto(srv.url)
        idle(pg)
        times = [pick(pg, "Place", "ba"[i % 2]) for i in range(runs + 1)][1:]
        pg.context.close()
        return statistics.median(times)


def floor_cpu(browser, runs: int) -> float:
    with floor_server() as srv:
        visit = lambda pg: (pg.goto(srv.url), idle(pg))  # noqa: E731
        return statistics.median(_sessions(browser, srv, runs, visit))


def _sessions(browser, srv: Server, runs: int, visit) -> list[float]:
    """Server CPU (s) of each of ``runs`` new sessions (after one to warm up), one at a time."""
    out = []
    for i in range(runs + 1):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        pg = context.new_page()
        before = cpu_seconds(srv.proc.pid)
        visit(pg)
        context.close()
        time.sleep(0.5)  # the server closes the session after the socket goes
        if i:
            out.append(cpu_seconds(srv.proc.pid) - before)
    return out


def home_then_scenarios(url: str, dataset: str):
    """A visit: open Home, wait for its cards, go to Scenarios, wait for its headline."""

    def visit(pg) -> None:
        pg.goto(f"{url}/?dataset={dataset}")
        idle(pg)
        pg.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
        pg.locator('[data-testid="stTopNavLink"]').filter(has_text="Scenarios").click()
        pg.wait_for_selector('[data-testid="stMetricLabel"]:has-text("NPV")', timeout=120_000)
        idle(pg)

    return visit


def measure_cpu(browser, dataset: str, runs: int) -> None:
    print(f"--- server CPU per new session (Home, then Scenarios) on {dataset}", flush=True)
    floor = floor_cpu(browser, runs)
    print(f"floor: a new session on the one-widget page      {floor * 1000:7.0f} ms CPU")
    srv = app_server()
    try:
        times = _sessions(browser, srv, runs, home_then_scenarios(srv.url, dataset))
    finally:
        srv.stop()
    _cpu_line("new session, Home then Scenarios (direct)", times)
    proxied = _through_proxy(browser, dataset, runs)
    if proxied is not None:
        replica, proxy = proxied
        _cpu_line("the same through nginx: the replica", replica)
        print(
            f"{'  and nginx (static files from its cache)':<48}"
            f"{statistics.median(proxy) * 1000:7.0f} ms CPU",
            flush=True,
        )


def _cpu_line(name: str, times: list[float]) -> None:
    med = statistics.median(times)
    print(
        f"{name:<48}{med * 1000:7.0f} ms CPU"
        f"   target <= 250 ms {'OK' if med <= 0.25 else 'OVER'}"
        f"   (runs: {', '.join(f'{t * 1000:.0f}' for t in times)})",
        flush=True,
    )


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


@contextlib.contextmanager
def one_replica_cluster():
    """scripts/cluster.sh with one replica behind nginx: yields its state (PROXY, REPLICA1_PID,
    NGINX_DIR, ...), or None when the cluster cannot start here."""
    import subprocess

    from tests.e2e.conftest import free_port

    with tempfile.TemporaryDirectory() as d:
        env = {
            **os.environ,
            "PVE_REPLICAS": "1",
            "PVE_CLUSTER_DIR": d,
            "PVE_PROXY_PORT": str(free_port()),
            "PYTHON": sys.executable,
        }
        script = str(PROJECT_ROOT / "scripts" / "cluster.sh")
        up = subprocess.run(["bash", script, "up"], env=env, capture_output=True, text=True)
        if up.returncode != 0:
            print(f"(no cluster here: {up.stderr.strip()[-300:]})", flush=True)
            yield None
            return
        try:
            text = (Path(d) / "state.env").read_text()
            yield dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        finally:
            subprocess.run(["bash", script, "down"], env=env, capture_output=True)


def _through_proxy(browser, dataset: str, runs: int) -> tuple[list[float], list[float]] | None:
    """Per-session CPU of one replica behind nginx (scripts/cluster.sh with one replica), and
    of nginx's workers; None when the cluster cannot start here."""
    with one_replica_cluster() as state:
        if state is None:
            return None
        replica = int(state["REPLICA1_PID"])
        master = int((Path(state["NGINX_DIR"]) / "nginx.pid").read_text())
        visit = home_then_scenarios(state["PROXY"], dataset)
        replica_cpu, nginx_cpu = [], []
        for i in range(runs + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            pg = context.new_page()
            workers = [master, *_children(master)]
            before = cpu_seconds(replica), sum(cpu_seconds(w) for w in workers)
            visit(pg)
            context.close()
            time.sleep(0.5)
            if i:
                replica_cpu.append(cpu_seconds(replica) - before[0])
                nginx_cpu.append(sum(cpu_seconds(w) for w in workers) - before[1])
        return replica_cpu, nginx_cpu


def first_load_bytes(browser, url: str) -> tuple[int, int]:
    """(bytes on the wire, requests) of a new browser's first load of ``url`` until the app
    is idle: every HTTP response's headers and body as sent (compressed where it was); the
    websocket's messages are not counted."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    responses = []
    pg.on("requestfinished", lambda request: responses.append(request))
    pg.goto(url)
    idle(pg)
    pg.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
    idle(pg)
    total = 0
    for request in responses:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return total, len(responses)


def measure_bytes(browser, dataset: str) -> None:
    print(f"--- first load of Home in a new browser on {dataset}: bytes on the wire", flush=True)
    srv = app_server()
    try:
        direct, n = first_load_bytes(browser, f"{srv.url}/?dataset={dataset}")
    finally:
        srv.stop()
    print(f"{'direct from a replica':<48}{direct / 1e6:7.2f} MB   ({n} requests)", flush=True)
    with one_replica_cluster() as state:
        if state is not None:
            proxied, n = first_load_bytes(browser, f"{state['PROXY']}/?dataset={dataset}")
            print(
                f"{'through nginx (gzip)':<48}{proxied / 1e6:7.2f} MB   ({n} requests; "
                f"{proxied / direct:.0%} of direct)",
                flush=True,
            )


def place_labels(dataset: str, level: str) -> list[str]:
    bundle = read_bundle(PROJECT_ROOT / "data" / dataset)
    return list(bundle.place_codes(level))


def measure_trips(browser, dataset: str, runs: int) -> None:
    print(f"--- browser round trip of one interaction on {dataset}", flush=True)
    floor = floor_trip(browser, runs)
    budget = 3 * floor + 0.050
    print(f"floor: one-widget page, option picked           {floor * 1000:7.0f} ms")
    print(f"budget: 3 x floor + 50 ms                       {budget * 1000:7.0f} ms")
    codes = place_labels(dataset, "upper")
    fresh = iter(codes[20:])
    srv = app_server()
    over = 0
    try:
        pg = new_page(browser)
        for info in PAGES:
            if info.projector:
                continue
            pg.goto(f"{srv.url}/{info.url_path}?dataset={dataset}&level=upper&place={codes[0]}")
            idle(pg)
            seen = [pick(pg, "Place", codes[1 + i % 2]) for i in range(runs + 2)][2:]
            new = [pick(pg, "Place", next(fresh)) for _ in range(runs)]
            over += _line(info.title + ", place seen before", seen, budget)
            over += _line(info.title + ", place never seen", new, budget)
        pg.goto(f"{srv.url}/maps?dataset={dataset}&level=upper&place={codes[0]}")
        idle(pg)
        labels = _indicator_labels(pg)[: runs + 1]
        new = [pick(pg, "Indicator", label) for label in labels]
        seen = [pick(pg, "Indicator", label) for label in labels]
        over += _line("Maps, indicator drawn before", seen[1:], budget)
        over += _line("Maps, indicator never drawn", new[1:], budget)
        pg.context.close()
    finally:
        srv.stop()
    print(f"{over} interactions over the budget", flush=True)


def _indicator_labels(pg) -> list[str]:
    """Up to 12 of the Maps indicator box's option labels, not the one shown (read from its
    list)."""
    combo = pg.locator('input[role="combobox"][aria-label^="Indicator"]').first
    combo.click()
    pg.get_by_role("option").first.wait_for()
    options = pg.locator('[role="option"]:not([aria-selected="true"])')  # not the one shown
    labels = [t.strip() for t in options.all_inner_texts()[:12]]
    combo.press("Escape")
    idle(pg)
    return labels


def _line(name: str, times: list[float], budget: float) -> bool:
    med = statistics.median(times)
    print(
        f"{name:<48}{med * 1000:7.0f} ms   {'OK' if med <= budget else 'OVER'}"
        f"   (max {max(times) * 1000:.0f})",
        flush=True,
    )
    return med > budget


def goto_page(pg, url_path: str) -> None:
    """Open the page at ``url_path`` from the top navigation and wait for its run to end."""
    pg.evaluate("() => { window.__pveWs.length = 0; }")
    pg.locator(f'[data-testid="stTopNavLink"][href$="/{url_path}"]').click()
    pg.wait_for_function(FINISHED_JS, polling=20, timeout=120_000)
    idle(pg)


def measure_rss(browser, dataset: str, sessions: int) -> None:
    print(
        f"--- server memory across {sessions} sessions on different places ({dataset}): each "
        "opens Home on its place, then every page with per-place work",
        flush=True,
    )
    places = [
        (level, code) for level in ("upper", "lower") for code in place_labels(dataset, level)
    ]
    paths = [p.url_path for p in PAGES if p.url_path not in {"home", "layers", "present"}]
    srv = app_server()
    rss = [rss_mb(srv.proc.pid)]
    t0 = time.perf_counter()
    try:
        for i in range(sessions):
            level, code = places[i % len(places)]
            pg = new_page(browser, 1920, 1080)  # wide enough for every page's link
            pg.goto(f"{srv.url}/?dataset={dataset}&level={level}&place={code}")
            idle(pg)
            for url_path in paths:
                goto_page(pg, url_path)
            pg.context.close()
            rss.append(rss_mb(srv.proc.pid))
            if (i + 1) % 25 == 0:
                print(
                    f"after {i + 1:4d} sessions: {rss[-1]:7.0f} MB"
                    f"   ({time.perf_counter() - t0:.0f} s)",
                    flush=True,
                )
    finally:
        srv.stop()
    half = len(rss) // 2
    growth = rss[-1] / rss[half] - 1
    print(
        f"RSS at start {rss[0]:.0f} MB, after {half} sessions {rss[half]:.0f} MB, "
        f"after {sessions} {rss[-1]:.0f} MB, peak {max(rss):.0f} MB; "
        f"growth over the last {sessions - half}: {growth:.1%} "
        f"(target <= 10%: {'OK' if growth <= 0.10 else 'OVER'})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="england")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--only", default="cpu,trip,bytes,rss")
    args = parser.parse_args()
    what = set(args.only.split(","))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        if "cpu" in what:
            measure_cpu(browser, args.dataset, args.runs)
        if "trip" in what:
            measure_trips(browser, args.dataset, args.runs)
        if "bytes" in what:
            measure_bytes(browser, args.dataset)
        if "rss" in what:
            measure_rss(browser, args.dataset, args.sessions)
        browser.close()


if __name__ == "__main__":
    main()
