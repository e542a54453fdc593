"""The Data page states whom every per head figure divides by (and which year's estimate)."""

from __future__ import annotations

from .conftest import no_exception, start, widget


def test_data_page_states_each_per_head_denominator() -> None:
    at = start({"dataset": "demo"}, page="pages/data.py")
    no_exception(at)
    table = next(d.value for d in at.dataframe if "denominator" in d.value.columns)
    per_head = table[table["unit"] == "£ per head"]
    assert len(per_head) >= 5
    assert per_head["denominator"].str.startswith("residents of all ages").all()
    assert per_head["denominator"].str.contains("mid-2024 for 2024-25").all()
    others = table[table["kind"] != "spend"]
    assert (others["denominator"] == "").all()  # published rates: no denominator of ours
    assert any("denominator" in c.value for c in at.caption)
    widget(at, "Search").set_value("matching year").run()
    found = next(d.value for d in at.dataframe if "denominator" in d.value.columns)
    assert set(found["id"]) == set(per_head["id"])
