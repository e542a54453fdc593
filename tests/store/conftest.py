"""The store on SQLite (a temporary file) and on a real PostgreSQL (PVE_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from dashboard.store import ScenarioStore

PG_URL = os.environ.get("PVE_TEST_POSTGRES_URL", "")


def _fresh_postgres_schema(url: str) -> Iterator[str]:
    """A new PostgreSQL schema per test (dropped afterwards), so tests start from nothing."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not PG_URL,
                reason="PVE_TEST_POSTGRES_URL is not set (scripts/test.sh starts a throwaway "
                "PostgreSQL when its server binaries are installed)",
            ),
        ),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scenarios.sqlite'}"
    else:
        yield from _fresh_postgres_schema(PG_URL)


@pytest.fixture
def store(store_url: str) -> Iterator[ScenarioStore]:
    s = ScenarioStore(store_url)
    yield s
    s.close()
