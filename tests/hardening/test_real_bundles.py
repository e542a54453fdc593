"""The committed demo bundle and (when built) the England bundle pass the hardened reader:
good input behaves as before; England's negative net spend is accepted and noted."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.bundle.checks_tables import NO_VALUE_STATUSES

ENGLAND = DATA_DIR / "england"


def test_demo_loads_with_no_notes() -> None:
    b = read_bundle(DATA_DIR / "demo")
    assert b.warnings == ()
    assert b.values["value"].notna().sum() > 0


@pytest.mark.skipif(not (ENGLAND / "bundle.yaml").exists(), reason="England bundle not built")
def test_england_loads_and_notes_negative_spend() -> None:
    b = read_bundle(ENGLAND)
    assert any("'gbp_per_head' are below 0" in w for w in b.warnings), b.warnings
    blank = b.values[b.values["status"].isin(NO_VALUE_STATUSES)]
    assert np.isnan(blank[["value", "lower_ci", "upper_ci"]].to_numpy()).all()
    assert (b.values["value"] < 0).any(), "negative net spend is kept"
