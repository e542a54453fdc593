"""Profile and Home at a glance: indicator groups, grades in words, periods beside values,
trend lines broken at gaps, legends that cannot be confused, Home cards per kind of council."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.groups import indicator_groups
from dashboard.analysis.methods import benchmark_settings
from dashboard.analysis.periods import period_note
from dashboard.analysis.profile import (
    display_table,
    gap_text,
    grade_counts,
    ordinal_judgement,
    profile_table,
    time_segments,
    trend_table,
    value_text,
)
from dashboard.analysis.summary import card_indicators, headline_cards
from dashboard.bundle import Bundle
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.ordinals import ordinal_scale
from dashboard.charts.profile import spine_chart, spine_data, trend_chart
from dashboard.sources.tables import extra_indicators

S = benchmark_settings()
SOURCE = {"publisher": "Pub", "title": "Set", "url": "https://example.invalid", "licence": "OGL"}


# --- groups -----------------------------------------------------------------------------------
def test_employment_and_pay_are_economy_and_work_not_other_services() -> None:
    g = indicator_groups()
    assert g.label(g.of("employment_rate_pct", "other")) == "Economy and work"
    for ind in ("claimant_count_pct", "gdhi_per_head", "median_weekly_pay"):
        assert g.of(ind, "all") == "economy", ind
    assert g.of("spend_other_per_head", "other") == "corporate"  # a real RSX block stays there
    assert g.label(g.of("healthy_life_expectancy_years", "public_health")) == "Health"
    assert g.of("cla_rate_per_10k", "childrens_social_care") == "children"


def test_every_catalogue_indicator_has_a_named_group() -> None:
    g = indicator_groups()
    entries = [*canonical_indicators(), *extra_indicators()]
    for e in entries:
        gid = g.of(e["id"], e["service"])
        assert gid in g.order, e["id"]
    # nothing measuring the economy falls into a catch-all
    economy = {e["id"] for e in entries if g.of(e["id"], e["service"]) == "economy"}
    assert {"employment_rate_pct", "economic_inactivity_pct"} <= economy


# --- grades in words --------------------------------------------------------------------------
def test_grades_read_and_shown_in_words_from_the_catalogue() -> None:
    s = ordinal_scale("ofsted_ilacs_grade")
    assert s is not None
    assert s.grade_of("Requires improvement to be good") == 3 and s.grade_of(" GOOD ") == 2
    assert s.words(3.0) == "Requires improvement to be good"
    assert s.words(3.0, short=True) == "Requires improvement"
    assert s.between(2.5) == "Good to Requires improvement" and s.between(2.0) == "Good"
    assert value_text(3.0, "ordinal", "ofsted_ilacs_grade") == "Requires improvement"
    assert value_text(3.0, "ordinal", "not_a_scale") == "3"
    assert value_text(math.nan, "ordinal", "ofsted_ilacs_grade") == "no value"
    assert ordinal_scale("employment_rate_pct") is None


def test_a_grade_is_compared_with_the_middle_grade_not_a_mean() -> None:
    s = ordinal_scale("ofsted_ilacs_grade")
    group = np.array([2.0, 2.0, 2.0, 3.0, 4.0])  # mean 2.6, middle grade Good
    assert ordinal_judgement(2.0, group, "lower_is_better", s, S).verdict == "similar"
    assert ordinal_judgement(1.0, group, "lower_is_better", s, S).verdict == "better"
    assert ordinal_judgement(3.0, group, "lower_is_better", s, S).verdict == "worse"
    assert ordinal_judgement(2.0, group[:1], "lower_is_better", s, S).verdict == ""
    assert grade_counts(group, s) == "3 Good, 1 Requires improvement, 1 Inadequate"


# --- periods beside values ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value_period", "chosen", "text"),
    [
        ("2024-25", "2024-25", ""),
        ("2022-23", "2024-25", "2022-23, latest"),
        ("2022-2024", "2024-25", "2022-2024, latest"),
        ("2025", "2022-23", "2025, the earliest published"),
        ("", "2024-25", ""),
    ],
)
def test_period_note(value_period: str, chosen: str, text: str) -> None:
    assert period_note(value_period, chosen) == text


def _indicator(id_: str, kind: str, service: str, polarity: str, unit: str, levels=("upper",)):
    return {
        "id": id_,
        "label": id_.replace("_", " "),
        "kind": kind,
        "service": service,
        "unit": unit,
        "polarity": polarity,
        "levels": levels,
        "definition": "d",
        **{f"source_{k}": v for k, v in SOURCE.items()},
    }


def glance_bundle() -> Bundle:
    """Six unitaries U0..U5 and four districts D0..D3 (lower tier with U0..U5). Spend per head in
    2017-18 and 2022-23..2024-25 (a gap), an Ofsted grade with an inspection note, employment
    in 2023 only, healthy life expectancy for unitaries only."""
    us, ds = [f"U{i}" for i in range(6)], [f"D{i}" for i in range(4)]
    places = pd.DataFrame(
        {
            "code": [*us, *ds],
            "name": [f"Place {c}" for c in [*us, *ds]],
            "kind": ["unitary"] * 6 + ["district"] * 4,
            "region_code": "R1",
            "region_name": "One",
            "county_code": "",
        }
    )
    both = ("upper", "lower")
    indicators = pd.DataFrame(
        [
            _indicator("spend_total_per_head", "spend", "all", "neutral", "gbp_per_head", both),
            _indicator(
                "ofsted_ilacs_grade",
                "outcome",
                "childrens_social_care",
                "lower_is_better",
                "ordinal",
            ),
            _indicator(
                "employment_rate_pct", "outcome", "other", "higher_is_better", "percent", both
            ),
            _indicator(
                "healthy_life_expectancy_years",
                "outcome",
                "public_health",
                "higher_is_better",
                "years",
                both,
            ),
            _indicator(
                "preventable_cvd_mortality_per_100k",
                "outcome",
                "public_health",
                "lower_is_better",
                "rate_per_100k",
                both,
            ),
        ]
    )
    recs = []
    for i, c in enumerate([*us, *ds]):
        for p in ("2017-18", "2022-23", "2023-24", "2024-25"):
            recs.append((c, "spend_total_per_head", p, 1000.0 + 10 * i, ""))
        recs.append((c, "employment_rate_pct", "2023", 70.0 + i, ""))
        recs.append((c, "preventable_cvd_mortality_per_100k", "2022-2024", 20.0 + i, ""))
        if c.startswith("U"):
            recs.append((c, "healthy_life_expectancy_years", "2022-2024", 60.0 + i, ""))
            grade = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0][i]
            recs.append((c, "ofsted_ilacs_grade", "2025", grade, "inspected March 2022"))
    values = pd.DataFrame(recs, columns=["place_code", "indicator_id", "period", "value", "note"])
    values = values.assign(lower_ci=math.nan, upper_ci=math.nan, status="")
    meta = {"title": "Glance", "is_demo": True, "attribution": "hand", "licence": "MIT"}
    meta["periods"] = ["2017-18", "2022-23", "2023-24", "2024-25"]
    return Bundle(meta=meta, places=places, indicators=indicators, values=values, geo={})


def test_profile_shows_grades_in_words_with_the_inspection_month_and_groups() -> None:
    b = glance_bundle()
    t = profile_table(b, "U0", "upper", ["U1", "U2", "U3", "U4", "U5"], "2024-25")
    row = t.set_index("indicator_id").loc["ofsted_ilacs_grade"]
    assert row["value_text"] == "Outstanding" and row["judgement"] == "better"
    assert row["period_text"] == "inspected March 2022"
    shown = display_table(t).set_index("indicator")
    assert shown.loc["ofsted ilacs grade", "value"] == "Outstanding"
    assert shown.loc["ofsted ilacs grade", "group median"] == "Good"
    assert shown.loc["ofsted ilacs grade", "group range"] == (
        "3 Good, 1 Requires improvement, 1 Inadequate"
    )
    assert shown.loc["employment rate pct", "group"] == "Economy and work"
    assert shown.loc["employment rate pct", "period"] == "2023, latest"
    assert shown.loc["spend total per head", "period"] == "2024-25"
    spine = spine_data(t).set_index("indicator_id")
    assert spine.loc["ofsted_ilacs_grade", "row_text"] == "Outstanding · inspected Mar 2022"
    assert spine.loc["employment_rate_pct", "row_text"] == "70.0% · 2023"
    assert spine.loc["spend_total_per_head", "row_text"] == "£1,000 per head"


def test_a_district_row_the_kind_lacks_says_it_is_not_published() -> None:
    b = glance_bundle()
    t = profile_table(b, "D0", "lower", ["U1", "U2", "D1", "D2"], "2024-25")
    row = t.set_index("indicator_id").loc["healthy_life_expectancy_years"]
    assert row["value_text"] == "not published for district councils"


def test_spine_keeps_judgements_and_quintiles_in_separate_legends() -> None:
    b = glance_bundle()
    t = profile_table(b, "U0", "upper", ["U1", "U2", "U3", "U4", "U5"], "2024-25")
    spec = spine_chart(t, "Place U0", "the group", "England", "hand").to_dict()
    layers = spec["vconcat"][0]["spec"]["layer"]
    colour = [ly["encoding"]["color"] for ly in layers if "color" in ly.get("encoding", {})]
    fill = [ly["encoding"]["fill"] for ly in layers if "fill" in ly.get("encoding", {})]
    assert len(colour) == 1 and len(fill) == 1
    assert colour[0]["field"] != fill[0]["field"], "two fields: two legends"
    assert not set(colour[0]["scale"]["domain"]) & {"quintile 1 (lowest)", "quintile 5 (highest)"}
    assert set(fill[0]["scale"]["domain"]) >= {"quintile 1 (lowest)", "quintile 5 (highest)"}
    marks = {ly["mark"]["type"]: ly["mark"].get("shape") for ly in layers}
    assert marks["text"] is None  # the value printed on each row
    shapes = {ly["mark"].get("shape") for ly in layers if ly["mark"]["type"] == "point"}
    assert {"circle", "square"} <= shapes


# --- trend lines broken at gaps -------------------------------------------------------------------
def test_time_segments_break_at_gaps() -> None:
    assert time_segments([2018, 2023, 2024, 2025]) == [0, 1, 1, 1]
    assert time_segments([2013, 2014, 2015]) == [0, 0, 0]
    assert time_segments([2019, 2021, 2023, 2027]) == [0, 0, 0, 1]  # every two years, then a gap


def test_trend_spec_draws_no_line_across_a_gap() -> None:
    b = glance_bundle()
    t = trend_table(b, "U0", "upper", ["U1", "U2", "U3"], "spend_total_per_head")
    assert gap_text(t) == "no values between 2017-18 and 2022-23"
    spec = trend_chart(
        t, "Spend", "gbp_per_head", "Place U0", "g", "England", "a", gaps=gap_text(t)
    )
    spec = spec.to_dict()
    rows = [r for d in spec["datasets"].values() for r in d if "series" in r]
    assert rows, "the lines' data is in the spec"
    runs: dict[str, list[int]] = {}
    for r in rows:
        runs.setdefault(r["run"], []).append(r["end_year"])
    for run, years in runs.items():
        ys = sorted(years)
        assert all(b - a == 1 for a, b in zip(ys, ys[1:], strict=False)), (run, ys)
    assert {tuple(sorted(y)) for y in runs.values()} == {(2018,), (2023, 2024, 2025)}
    lines = [ly for ly in spec["vconcat"][0]["layer"] if ly["mark"]["type"] == "line"]
    assert lines[0]["encoding"]["detail"]["field"] == "run"
    assert "broken where nothing is published" in " ".join(spec["title"]["subtitle"])


# --- Home cards per kind of council -------------------------------------------------------------
def test_district_cards_come_from_indicators_districts_have(monkeypatch) -> None:
    import dashboard.analysis.summary as summary

    slots = {
        "lower": [
            ["spend_total_per_head"],
            ["healthy_life_expectancy_years", "preventable_cvd_mortality_per_100k"],
            ["no_such_indicator"],
        ]
    }
    monkeypatch.setattr(summary, "home_cards", lambda level: slots[level])
    b = glance_bundle()
    assert card_indicators(b, "D0", "lower") == [
        "spend_total_per_head",
        "preventable_cvd_mortality_per_100k",
    ]
    assert card_indicators(b, "U0", "lower") == [
        "spend_total_per_head",
        "healthy_life_expectancy_years",
    ]
    cards = headline_cards(b, "D0", "lower", ["D1", "D2", "D3", "U1"], "2024-25")
    assert all(not math.isnan(c.value) for c in cards)
    assert [c.period for c in cards] == ["2024-25", "2022-2024"]


def test_demo_grades_name_the_inspection_they_come_from() -> None:
    from dashboard import DATA_DIR
    from dashboard.analysis.periods import period_end_year
    from dashboard.bundle import read_bundle

    v = read_bundle(DATA_DIR / "demo").values
    o = v[(v["indicator_id"] == "ofsted_ilacs_grade") & v["value"].notna()]
    noted = o[o["note"] != ""]
    assert len(noted) > len(o) / 2
    grade = o.set_index(["place_code", "period"])["value"]
    for rec in noted.head(200).itertuples():
        when = rec.note.removeprefix("inspected in ")
        assert period_end_year(when) <= period_end_year(rec.period)
        assert grade[(rec.place_code, when)] == rec.value, "the grade is the one given then"
