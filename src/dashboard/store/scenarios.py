"""Saved scenarios, decks and data layers in a real database (SQLAlchemy 2.x): a SQLite file by default, or any URL.

The schema is created or migrated when a :class:`ScenarioStore` opens: a ``schema_version``
table records each migration applied, and every migration is idempotent, so two servers starting
at once, or one starting twice, leave the same schema. SQLite runs in WAL mode with a busy
timeout and takes its write lock at the start of each transaction, so saves from many threads
queue instead of failing; PostgreSQL (psycopg) handles concurrency itself.

Where the database is (:func:`database_url`): ``DATABASE_URL`` when set (for example
``postgresql://user:pass@host/db``), else the SQLite file at ``PVE_DB_PATH`` (default
``data/scenarios.sqlite``).
"""

from __future__ import annotations

import os
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from dashboard import DATA_DIR
from dashboard.catalogue import param
from dashboard.store.errors import StoreError
from dashboard.store.layers import LayerStoreMixin, create_layers_table

T = TypeVar("T")

DEFAULT_DB_PATH = DATA_DIR / "scenarios.sqlite"
#: Longest text accepted in each field (characters): limits.yaml ``saved`` (and ``url`` for the
#: place code), the same limits a record is held to when it is opened.
_LIMIT_KEYS = {
    "name": "saved.name_max_chars",
    "description": "saved.description_max_chars",
    "author": "saved.author_max_chars",
    "place_code": "url.code_max_chars",
    "dataset": "saved.dataset_max_chars",
}
MAX_LENGTH = {f: int(param("limits.yaml", key).value) for f, key in _LIMIT_KEYS.items()}
ID_BYTES = 6  # ids are 12 hexadecimal characters
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: First pause (milliseconds) before retrying a step that SQLite refused as locked; it doubles,
#: with jitter, up to ``SQLITE_RETRY_MAX_MS``, until ``SQLITE_BUSY_TIMEOUT_MS`` has passed.
SQLITE_RETRY_FIRST_MS = 5
SQLITE_RETRY_MAX_MS = 250

metadata = MetaData()
schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
scenarios = Table(
    "saved_scenarios",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(MAX_LENGTH["name"]), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("place_code", String(MAX_LENGTH["place_code"]), nullable=False),
    Column("dataset", String(MAX_LENGTH["dataset"]), nullable=False),
    Column("author", String(MAX_LENGTH["author"]), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
#: Story mode's saved decks (dashboard.present.model.Deck as JSON), opened by a link as a
#: scenario is.
decks = Table(
    "saved_decks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(MAX_LENGTH["name"]), nullable=False),
    Column("place_code", String(MAX_LENGTH["place_code"]), nullable=False),
    Column("dataset", String(MAX_LENGTH["dataset"]), nullable=False),
    Column("author", String(MAX_LENGTH["author"]), nullable=False),
    Column("deck_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class SavedDeck:
    """One saved deck (its slides as JSON: dashboard.present.model). ``created_at`` is UTC."""

    id: str
    name: str
    place_code: str
    dataset: str
    author: str
    deck_json: str
    created_at: datetime


@dataclass(frozen=True)
class SavedScenario:
    """One saved scenario. ``created_at`` is timezone-aware UTC."""

    id: str
    name: str
    description: str
    place_code: str
    dataset: str
    author: str
    scenario_json: str
    created_at: datetime


def database_url(env: Mapping[str, str] | None = None) -> str:
    """The database to use: ``DATABASE_URL``, else a SQLite file at ``PVE_DB_PATH``.

    ``postgres://`` and ``postgresql://`` URLs are given the psycopg (version 3) driver."""
    env = os.environ if env is None else env
    url = (env.get("DATABASE_URL") or "").strip()
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    path = Path(env.get("PVE_DB_PATH") or DEFAULT_DB_PATH)
    return f"sqlite:///{path}"


# --- migrations: each takes a connection inside a transaction and is idempotent -------------
def _m1_create_scenarios(conn: Connection) -> None:
    scenarios.create(conn, checkfirst=True)


def _m2_index_place(conn: Connection) -> None:
    names = {ix["name"] for ix in inspect(conn).get_indexes(scenarios.name)}
    if "ix_saved_scenarios_dataset_place" not in names:
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_saved_scenarios_dataset_place "
            "ON saved_scenarios (dataset, place_code, created_at)"
        )


def _m3_create_decks(conn: Connection) -> None:
    decks.create(conn, checkfirst=True)


MIGRATIONS: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _m1_create_scenarios),
    (2, _m2_index_place),
    (3, _m3_create_decks),
    (4, create_layers_table),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database is busy" refusals."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


def _retry_locked(step: Callable[[], T], *, timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> T:
    """Run ``step``, retrying with a growing, jittered pause while SQLite says the database is
    locked, for at most ``timeout_ms`` milliseconds (then the last error is raised).

    SQLite's busy timeout does not cover everything: changing the journal mode, and a lock that
    would deadlock, fail at once with "database is locked" when another process holds the file,
    which is what happens when several app processes open a fresh file at the same moment."""
    deadline = time.monotonic() + timeout_ms / 1000
    pause_ms = SQLITE_RETRY_FIRST_MS
    while True:
        try:
            return step()
        except (sqlite3.OperationalError, OperationalError) as exc:
            if not _is_locked(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause_ms * (1 + random.random()) / 1000)  # noqa: S311 - jitter, not secrets
        pause_ms = min(2 * pause_ms, SQLITE_RETRY_MAX_MS)


def _sqlite_connect_pragmas(dbapi_conn: sqlite3.Connection) -> None:
    """Busy timeout, WAL (persistent in the file: set only when not already) and NORMAL sync."""
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")

        def wal() -> None:
            mode = cur.execute("PRAGMA journal_mode").fetchone()
            if not mode or str(mode[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL").fetchone()

        _retry_locked(wal)
        cur.execute("PRAGMA synchronous = NORMAL")
    finally:
        cur.close()


def _sqlite_setup(engine: Engine) -> None:
    """WAL, a busy timeout and write locks taken at BEGIN (so concurrent saves queue)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below start transactions
        _sqlite_connect_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _clean(field: str, value: object, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise StoreError("is needed", field=field)
    limit = MAX_LENGTH[field]
    if len(text) > limit:
        raise StoreError(f"is longer than {limit} characters", field=field)
    return text


class ScenarioStore(LayerStoreMixin):
    """Saved scenarios, decks and data layers (store/layers.py) in the database at ``url``
    (created or migrated on opening)."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = url or database_url()
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict = {"echo": echo, "future": True}
        if self.is_sqlite:
            db = parsed.database
            if db and db != ":memory:":
                Path(db).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            }
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _sqlite_setup(self.engine)
        self.migrate()

    # --- schema --------------------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply the migrations not yet recorded; return the schema version (idempotent).

        On SQLite the whole migration is one ``BEGIN IMMEDIATE`` transaction (one migrator at a
        time), retried while another process holds the file locked."""
        if self.is_sqlite:
            _retry_locked(self._migrate_once)
        else:
            self._migrate_once()
        return self.version()

    def _migrate_once(self) -> None:
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                # one migrator at a time across processes (released at commit)
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
            schema_version.create(conn, checkfirst=True)
            done = set(conn.execute(select(schema_version.c.version)).scalars())
            for version, step in MIGRATIONS:
                if version in done:
                    continue
                step(conn)
                conn.execute(
                    schema_version.insert().values(version=version, applied_at=datetime.now(UTC))
                )

    def version(self) -> int:
        """The highest migration applied."""
        with self.engine.connect() as conn:
            v = conn.execute(select(func.max(schema_version.c.version))).scalar()
        return int(v or 0)

    # --- records -------------------------------------------------------------------------------
    def save(
        self,
        name: str,
        description: str,
        place_code: str,
        dataset: str,
        author: str,
        scenario_json: str,
    ) -> str:
        """Save a scenario; return its new id (12 hexadecimal characters)."""
        row = {
            "name": _clean("name", name),
            "description": _clean("description", description, required=False),
            "place_code": _clean("place_code", place_code),
            "dataset": _clean("dataset", dataset),
            "author": _clean("author", author),
            "scenario_json": str(scenario_json),
            "created_at": datetime.now(UTC),
        }
        if not row["scenario_json"].strip():
            raise StoreError("is needed", field="scenario_json")
        return self._insert(scenarios, row)

    def _insert(
        self,
        table: Table,
        row: dict,
        make_id: Callable[[], str] = lambda: secrets.token_hex(ID_BYTES),
    ) -> str:
        """Insert ``row`` under a new id from ``make_id`` (another is drawn when one is taken);
        return the id."""
        for _ in range(5):
            new_id = make_id()
            try:
                with self.engine.begin() as conn:
                    conn.execute(table.insert().values(id=new_id, **row))
                return new_id
            except IntegrityError:  # an id already taken: try another
                continue
        raise StoreError("could not find a free id", field="id")

    # --- decks ---------------------------------------------------------------------------------
    def save_deck(
        self, name: str, place_code: str, dataset: str, author: str, deck_json: str
    ) -> str:
        """Save a deck (its JSON from dashboard.present.model.deck_to_json); return its new id."""
        row = {
            "name": _clean("name", name),
            "place_code": _clean("place_code", place_code),
            "dataset": _clean("dataset", dataset),
            "author": _clean("author", author),
            "deck_json": str(deck_json),
            "created_at": datetime.now(UTC),
        }
        if not row["deck_json"].strip():
            raise StoreError("is needed", field="deck_json")
        return self._insert(decks, row)

    def get_deck(self, deck_id: str) -> SavedDeck | None:
        """The saved deck with this id, or None."""
        if not isinstance(deck_id, str) or not deck_id or len(deck_id) > 32:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(decks).where(decks.c.id == deck_id)).first()
        return None if row is None else self._deck(row)

    def list_decks(
        self, *, dataset: str | None = None, place_code: str | None = None, limit: int = 200
    ) -> list[SavedDeck]:
        """Saved decks, newest first, optionally for one dataset and place."""
        q = select(decks)
        if dataset is not None:
            q = q.where(decks.c.dataset == dataset)
        if place_code is not None:
            q = q.where(decks.c.place_code == place_code)
        q = q.order_by(decks.c.created_at.desc(), decks.c.id).limit(int(limit))
        with self.engine.connect() as conn:
            return [self._deck(r) for r in conn.execute(q)]

    @staticmethod
    def _deck(row) -> SavedDeck:  # type: ignore[no-untyped-def]
        m = row._mapping
        return SavedDeck(
            id=m["id"],
            name=m["name"],
            place_code=m["place_code"],
            dataset=m["dataset"],
            author=m["author"],
            deck_json=m["deck_json"],
            created_at=_utc(m["created_at"]),
        )

    def get(self, scenario_id: str) -> SavedScenario | None:
        """The saved scenario with this id, or None."""
        if not isinstance(scenario_id, str) or not scenario_id or len(scenario_id) > 32:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(scenarios).where(scenarios.c.id == scenario_id)).first()
        return None if row is None else self._record(row)

    def list(
        self, *, dataset: str | None = None, place_code: str | None = None, limit: int = 200
    ) -> list[SavedScenario]:
        """Saved scenarios, newest first, optionally for one dataset and place."""
        q = select(scenarios)
        if dataset is not None:
            q = q.where(scenarios.c.dataset == dataset)
        if place_code is not None:
            q = q.where(scenarios.c.place_code == place_code)
        q = q.order_by(scenarios.c.created_at.desc(), scenarios.c.id).limit(int(limit))
        with self.engine.connect() as conn:
            return [self._record(r) for r in conn.execute(q)]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(scenarios)).scalar() or 0)

    def delete(self, scenario_id: str) -> bool:
        """Delete a saved scenario; True when there was one."""
        with self.engine.begin() as conn:
            res = conn.execute(scenarios.delete().where(scenarios.c.id == scenario_id))
        return bool(res.rowcount)

    def close(self) -> None:
        self.engine.dispose()

    @staticmethod
    def _record(row) -> SavedScenario:  # type: ignore[no-untyped-def]
        m = row._mapping
        return SavedScenario(
            id=m["id"],
            name=m["name"],
            description=m["description"] or "",
            place_code=m["place_code"],
            dataset=m["dataset"],
            author=m["author"],
            scenario_json=m["scenario_json"],
            created_at=_utc(m["created_at"]),
        )
