"""Where this server's bundles are (pure: the app's sidebar and the board-pack command both
read it)."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard import DATA_DIR


def available_datasets() -> dict[str, Path]:
    """Bundles this server can offer: England when built, the demo always, and any extra
    ``name=path`` pairs in the PVE_EXTRA_BUNDLES environment variable (separated by ';')."""
    found: dict[str, Path] = {}
    england = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
    if (england / "bundle.yaml").exists():
        found["england"] = england
    found["demo"] = DATA_DIR / "demo"
    for pair in filter(None, os.environ.get("PVE_EXTRA_BUNDLES", "").split(";")):
        name, _, path = pair.partition("=")
        if name and path:
            found[name.strip()] = Path(path.strip())
    return found
