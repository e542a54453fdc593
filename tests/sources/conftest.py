"""Fixtures for the England builder tests: the raw folder and one bundle built per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import dashboard


def raw_dir() -> Path:
    """Official files: $PVE_RAW_DIR, else ../shared/data/raw beside the repository."""
    env = os.environ.get("PVE_RAW_DIR")
    return Path(env) if env else Path(dashboard.PROJECT_ROOT).parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def raw() -> Path:
    path = raw_dir()
    if not path.is_dir():
        pytest.skip(f"official raw data folder not found ({path}); set PVE_RAW_DIR to run these")
    return path


@pytest.fixture(scope="session")
def england(raw: Path, tmp_path_factory: pytest.TempPathFactory):
    """(bundle, report) built once per session from the raw folder into a temporary directory."""
    from dashboard.bundle import read_bundle
    from dashboard.sources.england import build_england

    out = tmp_path_factory.mktemp("england")
    report = build_england(raw, out)
    return read_bundle(out), report
