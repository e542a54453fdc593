"""Story mode's slide kinds on real bundles: every default slide builds with a title, a one-line
message naming the place, attribution, content and alt text; the differences slide is
polarity-aware; a slide that cannot be drawn says why; demo slides say fictional; charts carry
their data inline (vl-convert fetches no URL) and text at the projector's size."""

from __future__ import annotations

import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.present.case import scenario_case
from dashboard.present.kinds import (
    DEFAULT_SLIDES,
    KINDS,
    build_slide,
    build_slides,
    default_deck,
    kind_options,
)
from dashboard.present.kinds_base import profile
from dashboard.present.kinds_profile import JUDGED, UNJUDGED, largest_differences
from dashboard.present.model import SlideRef
from dashboard.present.settings import present_settings
from dashboard.view import context_for, default_view

ENGLAND = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
NEEDS_ENGLAND = pytest.mark.skipif(
    not (ENGLAND / "bundle.yaml").exists(),
    reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
)
#: Places: the demo's default, an English metropolitan district (Wigan), a county (Kent) and a
#: lower-tier district (Sevenoaks).
PLACES = [
    pytest.param(("demo", "upper", ""), id="demo"),
    pytest.param(("england", "upper", "E08000010"), id="wigan", marks=NEEDS_ENGLAND),
    pytest.param(("england", "upper", "E10000016"), id="kent", marks=NEEDS_ENGLAND),
    pytest.param(("england", "lower", "E07000111"), id="sevenoaks", marks=NEEDS_ENGLAND),
]
#: Kinds that are titles or lists of text, not a chart, table or figures.
TEXT_KINDS = {"title", "sources"}

_BUNDLES: dict[str, object] = {}


def _bundle(name: str):
    if name not in _BUNDLES:
        _BUNDLES[name] = read_bundle(DATA_DIR / name if name == "demo" else ENGLAND)
    return _BUNDLES[name]


@pytest.fixture(scope="module", params=PLACES)
def deck(request: pytest.FixtureRequest):
    """The view's context, its scenario case (built once per place) and the default deck."""
    dataset, level, place = request.param
    b = _bundle(dataset)
    view = default_view(dataset, b)
    view = replace(view, level=level, place=place or b.default_place(level))
    ctx = context_for(b, view)
    case = scenario_case(b, view.place)
    slides = build_slides(ctx, default_deck(ctx), case)
    return ctx, case, slides


def test_the_default_deck_is_in_the_order_the_story_tells() -> None:
    assert DEFAULT_SLIDES == (
        "title",
        "glance",
        "differences",
        "value",
        "map",
        "prevention",
        "partners",
        "deal",
        "outcomes",
        "sources",
    )
    assert set(DEFAULT_SLIDES) <= set(KINDS)


def test_every_kind_has_a_menu_label_and_declares_its_settings() -> None:
    labels = [k.label for k in KINDS.values()]
    assert len(set(labels)) == len(labels), "menu labels are distinct"
    for k in KINDS.values():
        assert k.label and k.label[0].isupper(), k.id
        assert all(isinstance(p, str) and p for p in k.params), k.id


def test_every_default_slide_builds_with_title_message_and_attribution(deck) -> None:
    ctx, case, slides = deck
    name = ctx.bundle.place_name(ctx.view.place)
    for ref, s in zip(default_deck(ctx).slides, slides, strict=True):
        assert s.kind == ref.kind, s.message
        assert s.title.strip(), ref.kind
        assert s.message.strip() and "\n" not in s.message, ref.kind
        assert s.message.rstrip().endswith((".", ")")), (ref.kind, s.message)
        assert name in s.message, (ref.kind, s.message)
        assert s.attribution == ctx.bundle.attribution and s.attribution
        if ref.kind not in TEXT_KINDS:
            assert s.has_content, ref.kind
        if s.chart is not None:
            assert len(s.alt) > 20, ref.kind
        for text in (s.title, s.message, s.alt, s.method, s.caveat):
            assert "**" not in text and "<" not in text, (ref.kind, text)


def test_demo_slides_say_fictional_and_england_slides_do_not(deck) -> None:
    ctx, _, slides = deck
    assert all(s.fictional == ctx.bundle.is_demo for s in slides)
    title = next(s for s in slides if s.kind == "title")
    assert any("Fictional" in line for line in title.bullets) == ctx.bundle.is_demo


def test_the_value_slide_carries_the_verdict_as_its_caveat(deck) -> None:
    _, _, slides = deck
    value = next(s for s in slides if s.kind in ("value", "unavailable") and "good" in s.title)
    if value.kind == "value":
        assert value.caveat.split()[0] in ("Weak", "Moderate", "Strong"), value.caveat
        assert "association, not cause" in value.method


def test_glance_reads_higher_or_lower_for_spend_never_better_or_worse(deck) -> None:
    _, _, slides = deck
    glance = next(s for s in slides if s.kind == "glance")
    for f in glance.figures:
        if "spend" in f.label.lower() or "expenditure" in f.label.lower():
            assert "better than" not in f.note and "worse than" not in f.note, f
            assert "not judged" not in f.note or "no value" in f.value, f


def test_differences_are_polarity_aware(deck) -> None:
    """Better/worse only for indicators with a better direction, in the direction the
    polarity says; higher/lower (never judged) for neutral ones; the largest first."""
    ctx, _, _ = deck
    table = profile(ctx)
    diffs = largest_differences(table, present_settings().max_differences)
    assert len(diffs) <= present_settings().max_differences
    by_id = table.set_index("indicator_id")
    for r in diffs.itertuples():
        row = by_id.loc[r.indicator_id]
        up = row["value"] > row["group_median"]
        if row["polarity"] == "neutral":
            assert r.direction in UNJUDGED
            assert r.direction == ("higher" if up else "lower")
        else:
            assert r.direction in JUDGED
            better = up if row["polarity"] == "higher_is_better" else not up
            assert r.direction == ("better" if better else "worse")
    z = diffs["z"].abs().tolist()
    assert z == sorted(z, reverse=True)


def test_every_chart_fits_the_projector_and_carries_its_data_inline(deck) -> None:
    """No URL in any chart; every text size at least present.yaml's min_font_px (the source
    line may be the smaller attribution size)."""
    _, _, slides = deck
    s = present_settings()
    for slide in slides:
        if slide.chart is None:
            continue
        text = json.dumps(slide.chart)
        assert '"url"' not in text, slide.kind
        sizes = [int(x) for x in _font_sizes(slide.chart)]
        assert sizes and min(sizes) >= s.attribution_font_px, slide.kind
        assert slide.chart["config"]["axis"]["labelFontSize"] >= s.min_font_px


def _font_sizes(node: object) -> list[float]:
    out: list[float] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("fontSize", "labelFontSize", "titleFontSize") and isinstance(v, int | float):
                out.append(v)
            else:
                out += _font_sizes(v)
    elif isinstance(node, list):
        for v in node:
            out += _font_sizes(v)
    return out


@pytest.mark.parametrize("kind", ["differences", "map", "deal"])
def test_a_few_kinds_render_offline_with_vl_convert(deck, kind: str) -> None:
    pytest.importorskip("vl_convert")
    from dashboard.export.images import to_png

    _, _, slides = deck
    slide = next((s for s in slides if s.kind == kind), None)
    if slide is None or slide.chart is None:
        pytest.skip(f"no {kind} chart for this place")
    png = to_png(slide.chart, scale=1)
    w, h = Image.open(io.BytesIO(png)).size
    s = present_settings()
    assert w > s.chart_width_px // 4 and h > s.chart_height_px // 4, "drawn, not empty"
    # fits the slide's chart box, give or take the projector's estimate of text sizes
    assert w <= s.chart_width_px * 1.1 and h <= s.chart_height_px * 1.15, (w, h)


def test_an_unknown_kind_or_a_bad_setting_gives_an_unavailable_slide_saying_why(deck) -> None:
    ctx, case, _ = deck
    unknown = build_slide(ctx, SlideRef("no_such_kind", note="mine"), case)
    assert unknown.kind == "unavailable" and "no_such_kind" in unknown.message
    assert unknown.note == "mine" and unknown.attribution
    bad_value = build_slide(ctx, SlideRef("map", {"indicator": "not_an_indicator"}), case)
    assert bad_value.kind == "unavailable" and "not_an_indicator" in bad_value.message
    bad_key = build_slide(ctx, SlideRef("glance", {"colour": "red"}), case)
    assert bad_key.kind == "unavailable" and "colour" in bad_key.message
    no_case = build_slide(ctx, SlideRef("prevention"), None)
    assert no_case.kind == "unavailable" and "scenario" in no_case.message


def test_settings_offered_in_the_menu_build_their_slide(deck) -> None:
    """A value the menu offers for a setting gives the slide that setting asks for."""
    ctx, case, _ = deck
    maps = kind_options("map", ctx, case)
    other = [i for i in maps["indicator"] if i != "spend_total_per_head"][0]
    s = build_slide(ctx, SlideRef("map", {"indicator": other, "hex": "hexes"}), case)
    assert s.kind == "map", s.message
    assert ctx.bundle.indicator(other)["label"] in s.message
    if case is not None:
        rules = kind_options("deal", ctx, case)["rule"]
        texts = {build_slide(ctx, SlideRef("deal", {"rule": r}), case).message for r in rules}
        assert len(texts) == len(rules), "each rule names itself"
        for r, label in rules.items():
            message = build_slide(ctx, SlideRef("deal", {"rule": r}), case).message
            assert label.lower() in message, "the slide says how the cost is shared"


def test_every_kind_of_the_menu_builds_with_its_default_settings(deck) -> None:
    """Any chart the app draws, as a slide: content, alt text and a message naming the place."""
    ctx, case, _ = deck
    name = ctx.bundle.place_name(ctx.view.place)
    for kind in sorted(set(KINDS) - set(DEFAULT_SLIDES)):
        s = build_slide(ctx, SlideRef(kind), case)
        assert s.kind == kind, (kind, s.message)
        assert s.has_content and s.alt, kind
        assert name in s.message, (kind, s.message)
        if s.chart is not None:
            assert '"url"' not in json.dumps(s.chart), kind
