"""Saved scenarios: save, get, list, migrations, concurrent saves, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select

from dashboard.scenario import Scenario, load_catalogue, scenario_from_json, scenario_to_json
from dashboard.store import SCHEMA_VERSION, ScenarioStore, StoreError, database_url
from dashboard.store.scenarios import schema_version

THREADS = 8
SAVES_PER_THREAD = 25


def _json(place: str = "E06000001", budget: float = 100_000.0) -> str:
    return scenario_to_json(Scenario(place_code=place, budgets={"reablement": budget}))


def test_save_get_round_trip(store: ScenarioStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    text = _json(budget=250_000.0)
    sid = store.save("More reablement", "Doubling it", "E06000001", "demo", "Ana", text)
    got = store.get(sid)
    assert got is not None
    assert (got.name, got.description, got.place_code, got.dataset, got.author) == (
        "More reablement",
        "Doubling it",
        "E06000001",
        "demo",
        "Ana",
    )
    assert got.scenario_json == text
    assert scenario_from_json(got.scenario_json, load_catalogue()).budgets == {
        "reablement": 250_000.0
    }
    assert got.created_at.tzinfo is not None and got.created_at.utcoffset() == timedelta(0)
    assert before <= got.created_at <= datetime.now(UTC) + timedelta(seconds=5)


def test_unknown_id_is_none(store: ScenarioStore) -> None:
    assert store.get("doesnotexist") is None
    assert store.get("") is None


def test_list_filters_and_orders_newest_first(store: ScenarioStore) -> None:
    a = store.save("A", "", "P1", "demo", "x", _json("P1"))
    b = store.save("B", "", "P2", "demo", "x", _json("P2"))
    c = store.save("C", "", "P1", "england", "x", _json("P1"))
    assert {s.id for s in store.list()} == {a, b, c}
    assert [s.id for s in store.list(dataset="demo", place_code="P1")] == [a]
    assert {s.id for s in store.list(dataset="demo")} == {a, b}
    assert store.list()[0].id == c, "newest first"
    assert store.delete(b) and not store.delete(b)
    assert store.get(b) is None


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("name", {"name": "  "}),
        ("author", {"author": ""}),
        ("name", {"name": "x" * 121}),
        ("scenario_json", {"scenario_json": ""}),
    ],
)
def test_bad_fields_are_refused(store: ScenarioStore, field: str, kwargs: dict) -> None:
    args = dict(
        name="n", description="", place_code="P", dataset="demo", author="a", scenario_json="{}"
    )
    args.update(kwargs)
    with pytest.raises(StoreError) as err:
        store.save(**args)
    assert err.value.field == field
    assert store.count() == 0


def test_migrate_twice_is_idempotent(store_url: str) -> None:
    first = ScenarioStore(store_url)
    sid = first.save("kept", "", "P", "demo", "a", _json())
    assert first.migrate() == SCHEMA_VERSION
    second = ScenarioStore(store_url)  # opening again migrates again
    assert second.version() == SCHEMA_VERSION
    with second.engine.connect() as conn:
        versions = list(conn.execute(select(schema_version.c.version)).scalars())
        tables = set(inspect(conn).get_table_names())
    assert sorted(versions) == list(range(1, SCHEMA_VERSION + 1)), "each migration once"
    assert {"schema_version", "saved_scenarios"} <= tables
    assert second.get(sid) is not None, "data survives a migration"
    first.close()
    second.close()


def test_concurrent_saves_lose_nothing(store: ScenarioStore) -> None:
    ids: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(t: int) -> None:
        try:
            start.wait()
            for k in range(SAVES_PER_THREAD):
                sid = store.save(f"t{t}-{k}", "", "P", "demo", f"thread {t}", _json(budget=k))
                with lock:
                    ids.append(sid)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors[:3]
    assert len(ids) == len(set(ids)) == THREADS * SAVES_PER_THREAD
    assert store.count() == THREADS * SAVES_PER_THREAD
    saved = {s.name for s in store.list(limit=10_000)}
    assert saved == {f"t{t}-{k}" for t in range(THREADS) for k in range(SAVES_PER_THREAD)}
    assert all(store.get(i) is not None for i in ids)


def test_concurrent_stores_starting_together_migrate_once(store_url: str) -> None:
    stores: list[ScenarioStore] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_store() -> None:
        try:
            barrier.wait()
            stores.append(ScenarioStore(store_url))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert not errors, errors[:2]
    assert all(s.version() == SCHEMA_VERSION for s in stores)
    for s in stores:
        s.close()


def test_database_url_from_environment(tmp_path) -> None:
    assert database_url({"DATABASE_URL": "postgres://u:p@h/db"}) == "postgresql+psycopg://u:p@h/db"
    assert database_url({"DATABASE_URL": "postgresql://h/db"}) == "postgresql+psycopg://h/db"
    assert database_url({"DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"
    path = tmp_path / "sub" / "s.sqlite"
    assert database_url({"PVE_DB_PATH": str(path)}) == f"sqlite:///{path}"
    assert database_url({}).endswith("scenarios.sqlite")
    s = ScenarioStore(database_url({"PVE_DB_PATH": str(path)}))
    assert path.exists(), "the SQLite file and its folder are created"
    s.close()
