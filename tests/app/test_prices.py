"""Cash or real terms, chosen in the sidebar and kept in the URL: the Profile, Home and the Data
download say which, and money of an older period differs between the two; a bundle whose price
index is bad runs in cash and says why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard import DATA_DIR

from .conftest import DATASETS, no_exception, start, widget

PROFILE = "pages/profile.py"


def _table(at):
    at.session_state["profile_tab"] = "Table and download"
    at.run()
    no_exception(at)
    return at.dataframe[0].value


def _spend(table, indicator: str = "Total net current expenditure per head") -> str:
    rows = table[table["indicator"].str.startswith(indicator[:20])]
    assert not rows.empty, table["indicator"].tolist()
    return str(rows["value"].iloc[0])


@pytest.mark.parametrize("dataset", DATASETS)
def test_profile_in_real_terms_labels_the_basis_and_changes_older_money(dataset: str) -> None:
    first = {"demo": "2020-21", "england": "2017-18"}[dataset]
    cash = start({"dataset": dataset, "period": first}, page=PROFILE)
    no_exception(cash)
    real = start({"dataset": dataset, "period": first, "prices": "real"}, page=PROFILE)
    no_exception(real)
    assert widget(real, "Money").value == "real"
    assert real.query_params["prices"] in ("real", ["real"]), "the choice is in the URL"
    captions = " ".join(c.value for c in real.caption)
    assert "money: real terms, 2024-25 prices (" in captions
    assert "money: cash" in " ".join(c.value for c in cash.caption)
    before, after = _table(cash), _table(real)
    assert before["indicator"].tolist() == after["indicator"].tolist()
    older = before["period"].isin(["2017-18", "2020-21", "2018", "2021"])
    spend = older & before["value"].str.startswith("£") & ~before["value"].str.match(r"^£0( |$)")
    assert spend.sum() >= 5
    assert (before.loc[spend, "value"] != after.loc[spend, "value"]).all(), "older money re-priced"
    other = ~before["value"].str.contains("£")
    assert before.loc[other, "value"].tolist() == after.loc[other, "value"].tolist()
    assert before["judgement"].tolist() == after["judgement"].tolist(), "judgements unchanged"


def test_trend_chart_says_real_terms_on_its_axis() -> None:
    at = start({"dataset": "demo", "prices": "real"}, page=PROFILE)
    at.session_state["profile_tab"] = "Trends"
    at.run()
    no_exception(at)
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "per head, real terms, 2024-25 prices)" in spec
    widget(at, "Money").set_value("cash").run()
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "per head, cash)" in spec
    assert "prices" not in at.query_params


def test_home_money_cards_say_the_basis() -> None:
    at = start({"dataset": "demo", "period": "2021-22", "prices": "real"})
    no_exception(at)
    text = " ".join(c.value for c in at.caption)
    assert "real terms, 2024-25 prices" in text


def test_a_bad_price_index_runs_in_cash_and_says_why(tmp_path: Path, extra_bundles) -> None:
    root = Path(shutil.copytree(DATA_DIR / "demo", tmp_path / "broken"))
    text = (root / "deflators.csv").read_text(encoding="utf-8").splitlines()
    text[3] = text[3].split(",")[0] + ",lots"
    (root / "deflators.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    extra_bundles({"broken": root})
    at = start({"dataset": "broken", "prices": "real"}, page=PROFILE)
    no_exception(at)
    money = widget(at, "Money")
    assert money.value == "cash" and money.disabled
    shown = " ".join(c.value for c in at.caption) + " ".join(w.value for w in at.warning)
    assert "deflators.csv, row 4, column 'index'" in shown.replace("\\", "")
    assert "money: cash" in " ".join(c.value for c in at.caption)


def _map_spec(at) -> str:
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    return json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)


def test_map_legend_of_money_says_the_basis() -> None:
    at = start({"dataset": "demo", "period": "2021-22", "prices": "real"}, page="pages/maps.py")
    no_exception(at)
    widget(at, "Indicator").set_value("spend_total_per_head").run()
    no_exception(at)
    real = _map_spec(at)
    assert "£ per head, real terms, 2024-25 prices" in real
    widget(at, "Money").set_value("cash").run()
    cash = _map_spec(at)
    assert "£ per head, cash" in cash and "real terms" not in cash


def test_data_download_has_a_price_basis_column() -> None:
    at = start({"dataset": "demo", "prices": "real"}, page="pages/data.py")
    no_exception(at)
    text = " ".join(m.value for m in at.markdown)
    assert "money in real terms, 2024-25 prices (fictional deflator, demo)" in text
    assert "price_basis" in text
    sources = at.dataframe[0].value
    assert sources["dataset"].str.contains("price index for real terms").any()


def test_scenario_money_states_its_price_basis() -> None:
    at = start({"dataset": "demo", "prices": "real"}, page="pages/scenario.py")
    no_exception(at)
    text = " ".join(f"{c.value} {c.proto.help}" for c in at.caption)  # the line and its help
    assert "at 2024-25 prices" in text and "no other is re-priced with the deflator" in text
    assert "NHS unit costs (at 2024/25 prices) are uplifted to the base year" in text
