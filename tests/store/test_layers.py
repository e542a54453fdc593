"""Saved data layers: stored bytes exactly, private (only by id), deletable with the key only,
refused when too large, surviving a restart and the migration from version 3; on SQLite and
PostgreSQL (the ``store_url`` fixture)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, inspect, select

from dashboard.bundle.limits import input_limit
from dashboard.present.model import Deck, SlideRef, deck_to_json
from dashboard.scenario import Scenario, scenario_to_json
from dashboard.store import SCHEMA_VERSION, ScenarioStore, StoreError
from dashboard.store.layers import layers
from dashboard.store.scenarios import MIGRATIONS, decks, scenarios, schema_version

#: A small XLSX-like payload: every byte value, NULs and a CRLF, so nothing is decoded.
CONTENT = bytes(range(256)) * 40 + b"\r\n\x00PK\x03\x04"


def _save(store: ScenarioStore, content: bytes = CONTENT, **kw: str):  # type: ignore[no-untyped-def]
    args = {"dataset": "england", "title": "Wigan partners' data", "filename": "wigan.xlsx"}
    args.update(kw)
    return store.save_layer(args["dataset"], args["title"], args["filename"], content)


def test_a_saved_layer_comes_back_byte_for_byte(store: ScenarioStore) -> None:
    saved, key = _save(store)
    assert len(saved.id) >= 22 and saved.id != key, "an unguessable id and a separate key"
    got = store.get_layer(saved.id)
    assert got is not None
    assert got.content == CONTENT and got.size_bytes == len(CONTENT)
    assert (got.dataset, got.title, got.filename) == (
        "england",
        "Wigan partners' data",
        "wigan.xlsx",
    )
    assert got.created_at.tzinfo is not None and got.created_at <= datetime.now(UTC)
    with store.engine.connect() as conn:
        row = conn.execute(select(layers).where(layers.c.id == saved.id)).one()._mapping
    assert row["delete_key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(v) for v in row.values()}, "the delete key itself is not stored"


def test_a_layer_survives_a_restart(store_url: str) -> None:
    first = ScenarioStore(store_url)
    saved, _ = _save(first)
    first.close()
    second = ScenarioStore(store_url)
    got = second.get_layer(saved.id)
    second.close()
    assert got is not None and got.content == CONTENT and got.title == saved.title


def test_a_layer_is_reachable_only_by_its_id(store: ScenarioStore) -> None:
    saved, _ = _save(store)
    other, _ = _save(store, title="Another")
    public = [n for n in dir(store) if not n.startswith("_")]
    assert not [n for n in public if "layer" in n and n.startswith(("list", "all", "find"))]
    assert not [n for n in public if "layers" in n], public
    assert saved.id != other.id
    for guess in ("", "1", saved.id[:-1], saved.id.upper(), saved.id + "x", "x" * 22, "x" * 500):
        if guess != saved.id and guess != other.id:
            assert store.get_layer(guess) is None, guess
    assert store.get_layer(None) is None  # type: ignore[arg-type]
    assert store.get(saved.id) is None and store.get_deck(saved.id) is None
    assert store.list() == [] and store.list_decks() == []


def test_only_the_right_key_deletes(store: ScenarioStore) -> None:
    saved, key = _save(store)
    other, other_key = _save(store)
    assert not store.delete_layer(saved.id, "wrong-key")
    assert not store.delete_layer(saved.id, other_key), "another layer's key"
    assert not store.delete_layer(saved.id, "")
    assert not store.delete_layer("nope", key)
    assert store.get_layer(saved.id) is not None
    assert store.delete_layer(saved.id, key)
    assert store.get_layer(saved.id) is None
    assert not store.delete_layer(saved.id, key), "already gone"
    assert store.get_layer(other.id) is not None, "the other layer is untouched"


def test_over_size_content_is_refused(store: ScenarioStore) -> None:
    limit = input_limit("upload", "max_bytes")
    with pytest.raises(StoreError) as err:
        _save(store, content=b"x" * (limit + 1))
    assert err.value.field == "content" and f"{limit:,}" in str(err.value)
    saved, _ = _save(store, content=b"x" * limit)
    assert store.get_layer(saved.id).size_bytes == limit  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "kw", "content"),
    [
        ("title", {"title": "  "}, CONTENT),
        ("title", {"title": "t" * (input_limit("saved", "layer_title_max_chars") + 1)}, CONTENT),
        ("filename", {"filename": ""}, CONTENT),
        ("filename", {"filename": "f" * (input_limit("saved", "filename_max_chars") + 1)}, CONTENT),
        ("dataset", {"dataset": ""}, CONTENT),
        ("dataset", {"dataset": "d" * (input_limit("saved", "dataset_max_chars") + 1)}, CONTENT),
        ("content", {}, b""),
        ("content", {}, "text, not bytes"),
    ],
)
def test_a_missing_or_too_long_field_is_refused(
    store: ScenarioStore, field: str, kw: dict, content: bytes
) -> None:
    with pytest.raises(StoreError) as err:
        _save(store, content=content, **kw)
    assert err.value.field == field
    with store.engine.connect() as conn:
        assert conn.execute(select(layers.c.id)).first() is None, "nothing saved"


def test_migration_from_version_3_adds_layers_and_keeps_the_rest(store_url: str) -> None:
    scenario_json = scenario_to_json(Scenario(place_code="P1", budgets={"reablement": 1.0}))
    deck_json = deck_to_json(Deck(view={"dataset": "demo"}, slides=(SlideRef("title"),)))
    now = datetime.now(UTC)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # a database as version 3 left it, with a scenario and a deck
        schema_version.create(conn, checkfirst=True)
        for version, step in MIGRATIONS:
            if version <= 3:
                step(conn)
                conn.execute(schema_version.insert().values(version=version, applied_at=now))
        common = {"name": "kept", "place_code": "P1", "dataset": "demo", "author": "a"}
        conn.execute(
            scenarios.insert().values(
                id="s1", description="", scenario_json=scenario_json, created_at=now, **common
            )
        )
        conn.execute(decks.insert().values(id="d1", deck_json=deck_json, created_at=now, **common))
    with engine.connect() as conn:
        assert "saved_layers" not in inspect(conn).get_table_names()
    engine.dispose()

    store = ScenarioStore(store_url)
    try:
        assert store.version() == SCHEMA_VERSION == 4
        with store.engine.connect() as conn:
            assert "saved_layers" in inspect(conn).get_table_names()
            versions = sorted(conn.execute(select(schema_version.c.version)).scalars())
        assert versions == [1, 2, 3, 4]
        assert store.get("s1").scenario_json == scenario_json  # type: ignore[union-attr]
        assert store.get_deck("d1").deck_json == deck_json  # type: ignore[union-attr]
        saved, _ = _save(store)
        assert store.get_layer(saved.id) is not None
    finally:
        store.close()
