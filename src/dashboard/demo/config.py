"""Settings of the demo generator (data/catalogue/demo.yaml) and its random streams."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np

from dashboard import CATALOGUE_DIR
from dashboard.catalogue import read_catalogue_yaml, thaw

#: The fixed seed of the committed demo bundle in data/demo/.
DEFAULT_SEED: int = 20250401
DEMO_CONFIG: Path = CATALOGUE_DIR / "demo.yaml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The generator's assumptions, with every ``{value, unit, note}`` unwrapped to its value."""
    return _unwrap(thaw(read_catalogue_yaml(path or DEMO_CONFIG)))


def _unwrap(node: Any) -> Any:
    if isinstance(node, dict):
        if "value" in node and set(node) <= {"value", "unit", "note"}:
            return _unwrap(node["value"])
        return {k: _unwrap(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_unwrap(v) for v in node]
    return node


def random_stream(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per step, so changing one step leaves the others alone."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])
