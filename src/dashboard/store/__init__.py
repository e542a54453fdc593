"""Saved scenarios, decks and data layers in a database through SQLAlchemy: SQLite file or a
URL."""

from dashboard.store.layers import SavedLayer
from dashboard.store.scenarios import (
    DEFAULT_DB_PATH,
    SCHEMA_VERSION,
    SavedDeck,
    SavedScenario,
    ScenarioStore,
    StoreError,
    database_url,
)

__all__ = [
    "DEFAULT_DB_PATH",
    "SCHEMA_VERSION",
    "SavedDeck",
    "SavedLayer",
    "SavedScenario",
    "ScenarioStore",
    "StoreError",
    "database_url",
]
