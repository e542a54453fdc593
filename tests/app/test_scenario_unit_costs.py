"""The Scenarios page shows each NHS unit cost with its schedule rows, price year and uplift."""

from __future__ import annotations

import pytest

from dashboard.store import database_url

from .conftest import no_exception, start


@pytest.fixture(autouse=True)
def scenario_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PVE_DB_PATH", str(tmp_path / "scenarios.sqlite"))
    return database_url()


def test_an_interventions_assumptions_show_unit_costs_and_their_uplift() -> None:
    at = start({"dataset": "demo"}, page="pages/scenario.py")
    no_exception(at)
    at.session_state["sc_detail"] = "falls_prevention"  # the row whose assumptions to open
    at.session_state["sc_pop"] = True
    at.run()
    no_exception(at)
    tables = [df.value for df in at.dataframe if "source" in df.value.columns]
    rows = next(t for t in tables if t["parameter"].str.contains("unit cost").any())
    ae = rows[rows["parameter"].str.contains("A&E attendance") & rows["unit"].eq("£ per event")]
    assert len(ae) == 1
    source = ae["source"].iloc[0]
    assert "National Cost Collection 2024/25" in source and "VB01Z" in source
    # the demo's base year is 2024-25, the unit costs' price year: factor 1, said so
    assert "£280 at 2024/25 prices × 1.000 (" in source and "2024-25 = base year" in source
    counts = rows[rows["unit"].eq("events per success a year")]
    assert len(counts) == 3
