"""The one error a save refuses with (shared by every kind of saved record)."""

from __future__ import annotations


class StoreError(ValueError):
    """A save refused (empty or too long a field); ``field`` names it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)
