"""Saved data layers: the uploaded file's bytes, reachable only by an unguessable id.

A layer is private: there is no listing. The uploader gets its id (the link's key) and a
separate delete key, shown once; only the key's SHA-256 is stored, so the database alone
cannot delete a layer. The table is created by migration 4 of :mod:`dashboard.store.scenarios`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    select,
)
from sqlalchemy.engine import Connection

from dashboard.catalogue import param
from dashboard.store.errors import StoreError

#: Longest text accepted in each field (characters, limits.yaml ``saved``).
LAYER_MAX_LENGTH = {
    "title": int(param("limits.yaml", "saved.layer_title_max_chars").value),
    "filename": int(param("limits.yaml", "saved.filename_max_chars").value),
    "dataset": int(param("limits.yaml", "saved.dataset_max_chars").value),
}
#: Largest file stored (bytes, limits.yaml ``upload.max_bytes``: the upload's own limit).
MAX_CONTENT_BYTES = int(param("limits.yaml", "upload.max_bytes").value)
#: Random bytes of a layer id and of a delete key (``secrets.token_urlsafe``: about 22 chars).
TOKEN_BYTES = 16
#: Longest id or key looked up (anything longer cannot be one of ours).
ID_MAX_CHARS = 32
KEY_MAX_CHARS = 64

layer_metadata = MetaData()
layers = Table(
    "saved_layers",
    layer_metadata,
    Column("id", String(ID_MAX_CHARS), primary_key=True),
    Column("dataset", String(LAYER_MAX_LENGTH["dataset"]), nullable=False),
    Column("title", String(LAYER_MAX_LENGTH["title"]), nullable=False),
    Column("filename", String(LAYER_MAX_LENGTH["filename"]), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("delete_key_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class SavedLayer:
    """One saved layer: the uploaded file exactly (``content``, ``size_bytes`` bytes), the
    base bundle it joins (``dataset``), its title and file name. ``created_at`` is UTC."""

    id: str
    dataset: str
    title: str
    filename: str
    content: bytes
    size_bytes: int
    created_at: datetime


def create_layers_table(conn: Connection) -> None:
    """Migration 4: the ``saved_layers`` table (idempotent)."""
    layers.create(conn, checkfirst=True)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _text(field: str, value: object) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise StoreError("is needed", field=field)
    limit = LAYER_MAX_LENGTH[field]
    if len(text) > limit:
        raise StoreError(f"is longer than {limit} characters", field=field)
    return text


def _content(value: object) -> bytes:
    if not isinstance(value, bytes | bytearray | memoryview):
        raise StoreError("must be the file's bytes", field="content")
    data = bytes(value)
    if not data:
        raise StoreError("is empty", field="content")
    if len(data) > MAX_CONTENT_BYTES:
        raise StoreError(
            f"is {len(data):,} bytes, more than the limit of {MAX_CONTENT_BYTES:,} bytes",
            field="content",
        )
    return data


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _saved(m: Mapping) -> SavedLayer:
    """A SavedLayer from a row of ``saved_layers`` (or the row just inserted)."""
    return SavedLayer(
        id=m["id"],
        dataset=m["dataset"],
        title=m["title"],
        filename=m["filename"],
        content=bytes(m["content"]),
        size_bytes=int(m["size_bytes"]),
        created_at=_utc(m["created_at"]),
    )


class LayerStoreMixin:
    """The layer methods of :class:`dashboard.store.ScenarioStore` (which owns ``engine`` and
    ``_insert``, the insert under a free id)."""

    engine: Engine
    _insert: Callable[..., str]

    def save_layer(
        self, dataset: str, title: str, filename: str, content: bytes
    ) -> tuple[SavedLayer, str]:
        """Store an uploaded layer file; return it as saved and its delete key (shown once to
        the uploader, never stored: only its SHA-256 is). StoreError names a refused field."""
        row = {
            "dataset": _text("dataset", dataset),
            "title": _text("title", title),
            "filename": _text("filename", filename),
            "content": _content(content),
            "created_at": datetime.now(UTC),
        }
        row["size_bytes"] = len(row["content"])
        key = secrets.token_urlsafe(TOKEN_BYTES)
        row["delete_key_hash"] = _key_hash(key)
        new_id = self._insert(layers, row, make_id=lambda: secrets.token_urlsafe(TOKEN_BYTES))
        return _saved({**row, "id": new_id}), key

    def get_layer(self, layer_id: str) -> SavedLayer | None:
        """The saved layer with this id, or None (there is no other way to reach one)."""
        if not isinstance(layer_id, str) or not layer_id or len(layer_id) > ID_MAX_CHARS:
            return None
        q = select(layers).where(layers.c.id == layer_id)
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        return _saved(row._mapping)

    def delete_layer(self, layer_id: str, delete_key: str) -> bool:
        """Delete the layer when ``delete_key`` is its key; False for a wrong key or id."""
        if not isinstance(layer_id, str) or not layer_id or len(layer_id) > ID_MAX_CHARS:
            return False
        if not isinstance(delete_key, str) or not delete_key or len(delete_key) > KEY_MAX_CHARS:
            return False
        given = _key_hash(delete_key)
        with self.engine.begin() as conn:
            stored = conn.execute(
                select(layers.c.delete_key_hash).where(layers.c.id == layer_id)
            ).scalar()
            if stored is None or not hmac.compare_digest(given, str(stored)):
                return False
            res = conn.execute(
                layers.delete().where(
                    layers.c.id == layer_id, layers.c.delete_key_hash == str(stored)
                )
            )
        return bool(res.rowcount)
