"""The one error the catalogue loader raises: it names the file, the key path and the reason."""

from __future__ import annotations


class CatalogueError(ValueError):
    """A catalogue YAML that is refused.

    ``file`` is the file name (for example ``vfm.yaml``), ``key`` the dotted key path inside it
    (for example ``settings.top_quartile.value``; None when the whole file is at fault) and
    ``reason`` what is wrong. The message reads ``vfm.yaml: settings.top_quartile.value: 0.99 is
    outside [0.5, 0.95]``.
    """

    def __init__(self, file: str, key: str | None, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}" if key else f"{file}: {reason}")
        self.file = file
        self.key = key
        self.reason = reason
