"""Cash and real terms: the price factor, the label, the conversion of money columns only, and
the view's ``prices`` in the URL."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.analysis.prices import (
    convert_frame,
    price_factor,
    prices_label,
    unavailable_reason,
)
from dashboard.bundle import read_bundle, validate_bundle
from dashboard.view import read_query, resolve_view
from tests.hardening.corpus import base_bundle

INDEX = {"2022-23": 100.0, "2023-24": 108.0, "2024-25": 112.0}


def _with_deflator(index: dict[str, float] = INDEX, base: str = "2024-25"):
    b = base_bundle()
    meta = {
        **b.meta,
        "deflator": {
            "series": "Test index",
            "label": "test deflator",
            "base_period": base,
            "source": {"publisher": "P", "title": "T", "url": "https://x.invalid", "licence": "L"},
        },
    }
    frame = pd.DataFrame({"period": list(index), "index": list(index.values())})
    return validate_bundle(replace(b, meta=meta, deflators=frame))


def test_cash_is_one_and_real_is_the_ratio_of_the_base_index_to_the_periods() -> None:
    b = _with_deflator()
    assert price_factor(b, "2022-23", "cash") == 1.0
    assert price_factor(b, "2022-23", "real") == pytest.approx(112.0 / 100.0)
    assert price_factor(b, "2024-25", "real") == 1.0
    assert price_factor(b, "2022-23", "real", base="2023-24") == pytest.approx(1.08)
    assert math.isnan(price_factor(b, "2019-20", "real")), "a period without an index"


def test_the_label_names_the_price_base_and_the_index() -> None:
    b = _with_deflator()
    assert prices_label(b, "cash") == "cash"
    assert prices_label(b, "real") == "real terms, 2024-25 prices (test deflator)"
    assert unavailable_reason(b) is None


def test_without_an_index_real_terms_are_unavailable_and_say_why() -> None:
    b = base_bundle()
    assert prices_label(b, "real") == "cash"
    assert math.isnan(price_factor(b, "2024-25", "real"))
    assert "has no price index" in unavailable_reason(b)


def test_only_money_rows_are_converted() -> None:
    b = _with_deflator()
    frame = pd.DataFrame(
        {
            "period": ["2022-23", "2022-23", "2024-25"],
            "unit": ["gbp_per_head", "percent", "gbp"],
            "value": [100.0, 50.0, 7.0],
        }
    )
    out = convert_frame(frame, b, "real", ["value"])
    assert out["value"].tolist() == pytest.approx([112.0, 50.0, 7.0])
    assert frame["value"].tolist() == [100.0, 50.0, 7.0], "the input is left alone"
    assert convert_frame(frame, b, "cash", ["value"]) is frame


def test_the_demo_has_a_fictional_index_that_says_so() -> None:
    demo = read_bundle(DATA_DIR / "demo")
    assert "fictional" in prices_label(demo, "real")
    assert set(demo.periods) <= set(demo.deflators["period"])


def test_prices_round_trips_through_the_url() -> None:
    demo = read_bundle(DATA_DIR / "demo")
    params, notes = read_query({"dataset": ["demo"], "prices": ["real"]})
    view, more = resolve_view(params, {"demo": demo}, "demo")
    assert view.prices == "real" and not notes and not more
    assert view.to_query()["prices"] == "real"
    again, _ = resolve_view(read_query(view.to_query())[0], {"demo": demo}, "demo")
    assert again == view
    cash = replace(view, prices="cash")
    assert "prices" not in cash.to_query(), "cash links stay as they were"


def test_a_bad_prices_value_or_a_bundle_without_an_index_falls_back_to_cash() -> None:
    demo = read_bundle(DATA_DIR / "demo")
    view, notes = resolve_view({"prices": "nominal"}, {"demo": demo}, "demo")
    assert view.prices == "cash" and any("**prices**" in n and "nominal" in n for n in notes)
    plain = replace(demo, deflators=None)
    view, notes = resolve_view({"prices": "real"}, {"demo": plain}, "demo")
    assert view.prices == "cash" and any("not available" in n for n in notes)
