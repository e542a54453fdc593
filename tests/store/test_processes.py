"""Several app processes opening one fresh SQLite file at the same moment all come up, and the
schema is migrated once (each migration recorded once)."""

from __future__ import annotations

import multiprocessing as mp
import traceback
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from dashboard.store.scenarios import SCHEMA_VERSION, ScenarioStore, schema_version

PROCESSES = 6
WAIT_S = 120


def _open_store(url: str, barrier: mp.synchronize.Barrier, results: mp.Queue) -> None:
    """Child process: wait for the others, open the store (which migrates), report back."""
    try:
        barrier.wait(timeout=WAIT_S)
        store = ScenarioStore(url)
        sid = store.save("from a process", "", "P", "demo", "proc", "{}")
        results.put(("ok", store.version(), sid))
        store.close()
    except BaseException:  # noqa: BLE001 - sent to the parent, which fails the test
        results.put(("error", traceback.format_exc(), ""))


@pytest.mark.timeout(240)
def test_processes_starting_together_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    ctx = mp.get_context("spawn")  # real, separate interpreters, as two app servers would be
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_open_store, args=(url, barrier, results)) for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=WAIT_S) for _ in procs]
    for p in procs:
        p.join(timeout=WAIT_S)
    errors = [detail for status, detail, _ in got if status != "ok"]
    assert not errors, errors[0]
    assert [v for _, v, _ in got] == [SCHEMA_VERSION] * PROCESSES
    assert len({sid for _, _, sid in got}) == PROCESSES
    engine = create_engine(url)
    with engine.connect() as conn:
        versions = sorted(conn.execute(select(schema_version.c.version)).scalars())
    engine.dispose()
    assert versions == list(range(1, SCHEMA_VERSION + 1)), "each migration recorded once"
    assert all(p.exitcode == 0 for p in procs)
