"""The board pack a presenter hands round: the same slides as the deck, in order, each with its
title, its chart (with alt text), table or figures, the caveat in words, the source on every
slide ("Fictional data" on the demo), and the presenter's note with the method in the speaker
notes, as PowerPoint (python-pptx reads it back) and as PDF (pypdf reads it back)."""

from __future__ import annotations

import io
import re

import altair as alt
import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.charts.theme import attribute
from dashboard.present.kinds import base_slide, build_slides, default_deck
from dashboard.present.model import Slide
from dashboard.present.pack import PackError, board_pack, pack_format, pack_name, write_pack
from dashboard.present.pack_layout import FONT_NAME, Grid, Picture, Text, layout, sizes
from dashboard.present.projector import projector_spec
from dashboard.present.settings import present_settings
from dashboard.view import context_for, default_view

CHART_TITLE = "Spend per head in Elsingstead"
NOTE = "Ask the director about the 2023 jump."
METHOD = "Net current expenditure divided by the mid-year population."
CAVEAT = "Two councils did not report this year."


def _space(text: str) -> str:
    """Text with every run of whitespace (line breaks, PowerPoint's \\v) as one space."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def demo_ctx():
    bundle = read_bundle(DATA_DIR / "demo")
    return context_for(bundle, default_view("demo", bundle))


@pytest.fixture(scope="module")
def slides(demo_ctx) -> list[Slide]:
    """The demo's default deck with a chart slide, a table slide and a long table slide."""
    deck = build_slides(demo_ctx, default_deck(demo_ctx), None)
    data = alt.Data(values=[{"service": s, "gbp": g} for s, g in [("Care", 412), ("Roads", 88)]])
    chart = (
        alt.Chart(data).mark_bar().encode(x="gbp:Q", y="service:N").properties(title=CHART_TITLE)
    )
    spec = projector_spec(attribute(chart, demo_ctx.bundle.attribution).to_dict())
    chart_slide = base_slide(
        demo_ctx,
        "chart",
        "Where the money goes",
        "Care takes most of the money.",
        chart=spec,
        alt="Bar chart: care 412 pounds per head, roads 88.",
        method=METHOD,
        caveat=CAVEAT,
        note=NOTE,
    )
    table = pd.DataFrame({"Service": ["Care", "Roads"], "£ per head": [412.5, 88.0]})
    table_slide = base_slide(
        demo_ctx, "table", "The figures", "Two services.", table=table, alt="Table of spend."
    )
    long = pd.DataFrame({"Place": [f"Place {i}" for i in range(60)], "Value": range(60)})
    long_slide = base_slide(demo_ctx, "table", "Every place", "Sixty rows.", table=long)
    return [deck[0], chart_slide, deck[1], table_slide, long_slide, deck[2]]


@pytest.fixture(scope="module")
def pptx(slides):
    return Presentation(io.BytesIO(board_pack(slides, "pptx")))


@pytest.fixture(scope="module")
def pdf(slides):
    return PdfReader(io.BytesIO(board_pack(slides, "pdf", title="Elsingstead board pack")))


def _slide_text(slide) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for r in shape.table.rows for c in r.cells]
    return _space(" ".join(parts))


# --- PowerPoint -------------------------------------------------------------------------------
def test_pptx_has_one_slide_per_deck_slide_with_its_title_in_order(pptx, slides) -> None:
    assert len(pptx.slides) == len(slides)
    assert [_space(s.shapes.title.text) for s in pptx.slides] == [s.title for s in slides]


def test_pptx_is_16_by_9_at_present_yaml_size(pptx) -> None:
    s = present_settings()
    assert abs(Emu(pptx.slide_width).inches - s.slide_width_in) < 0.01
    assert abs(Emu(pptx.slide_height).inches - s.slide_height_in) < 0.01


def test_every_pptx_slide_carries_the_attribution_and_says_fictional(pptx, slides) -> None:
    for i, slide in enumerate(pptx.slides):
        text = _slide_text(slide)
        assert _space(slides[i].attribution) in text, f"slide {i + 1} lacks the source"
        assert "Fictional data" in text, f"slide {i + 1} does not say the data are fictional"


def test_content_slides_show_their_chart_table_or_figures(pptx, slides) -> None:
    for slide, s in zip(pptx.slides, slides, strict=True):
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
        tables = [sh for sh in slide.shapes if sh.has_table]
        assert len(pictures) == (1 if s.chart else 0), s.title
        assert len(tables) == (1 if s.table is not None else 0), s.title
        text = _slide_text(slide)
        for f in s.figures:
            assert f.value in text, f"{s.title}: figure {f.label} missing"
    table = next(sh for sh in pptx.slides[3].shapes if sh.has_table).table
    assert [c.text for c in table.rows[0].cells] == ["Service", "£ per head"]
    assert table.cell(1, 0).text == "Care"


def test_every_picture_has_alt_text_and_fits_the_slide_unstretched(pptx, slides) -> None:
    for slide, s in zip(pptx.slides, slides, strict=True):
        for pic in (sh for sh in slide.shapes if sh.shape_type == 13):
            assert pic._element.nvPicPr.cNvPr.get("descr") == s.alt
            assert pic.left >= 0 and pic.top >= 0
            assert pic.left + pic.width <= pptx.slide_width
            assert pic.top + pic.height <= pptx.slide_height
            w, h = pic.image.size
            assert abs(pic.width / pic.height - w / h) < 0.01, "aspect ratio kept"


def test_chart_picture_is_sharp_on_the_projector(pptx, slides) -> None:
    """The PNG has at least one pixel for every projector pixel it covers (1280 px across
    the slide), however much the chart was scaled to fill the slide."""
    pic = next(sh for sh in pptx.slides[1].shapes if sh.shape_type == 13)
    width_px, _ = pic.image.size
    shown_px = pic.width / pptx.slide_width * 1280
    assert width_px >= shown_px - 1


def test_speaker_notes_hold_the_note_method_and_caveat(pptx) -> None:
    notes = pptx.slides[1].notes_slide.notes_text_frame.text
    assert NOTE in notes and METHOD in notes and CAVEAT in notes


def test_the_caveat_is_on_the_slide_itself(pptx) -> None:
    assert CAVEAT in _slide_text(pptx.slides[1])
    assert CAVEAT not in _slide_text(pptx.slides[0])


def test_every_pptx_run_is_set_in_liberation_sans(pptx) -> None:
    fonts = {
        r.font.name
        for slide in pptx.slides
        for sh in slide.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    }
    assert fonts == {FONT_NAME}


def test_a_long_table_is_cut_to_the_slide_and_says_how_many_rows_are_left(pptx) -> None:
    frame = next(sh for sh in pptx.slides[4].shapes if sh.has_table)
    assert frame.top + frame.height <= pptx.slide_height
    last = frame.table.rows[len(frame.table.rows) - 1].cells[0].text
    shown = len(frame.table.rows) - 2  # less the header and the "more rows" line
    assert f"and {60 - shown} more rows" in last


def test_document_properties_name_the_pack(pptx, slides) -> None:
    assert pptx.core_properties.title == slides[0].title
    assert pptx.core_properties.author == "Place Value Explorer"


# --- PDF --------------------------------------------------------------------------------------
def test_pdf_has_a_page_per_slide_with_a_bookmark_each(pdf, slides) -> None:
    assert len(pdf.pages) == len(slides)
    assert [o.title for o in pdf.outline] == [s.title for s in slides]
    assert [pdf.get_destination_page_number(o) for o in pdf.outline] == list(range(len(slides)))


def test_pdf_metadata(pdf) -> None:
    assert pdf.metadata.title == "Elsingstead board pack"
    assert pdf.metadata.author == "Place Value Explorer"


def test_every_pdf_page_carries_title_attribution_and_fictional(pdf, slides) -> None:
    for i, page in enumerate(pdf.pages):
        text = _space(page.extract_text())
        assert _space(slides[i].title) in text
        assert _space(slides[i].attribution) in text, f"page {i + 1} lacks the source"
        assert "Fictional data" in text


def test_pdf_chart_is_text_not_a_picture(pdf) -> None:
    """The chart is nested as vector graphics: its title is searchable text on the page."""
    assert CHART_TITLE in pdf.pages[1].extract_text()
    assert CAVEAT in _space(pdf.pages[1].extract_text())


def test_pdf_notes_are_a_text_note_on_the_page(pdf) -> None:
    annots = [a.get_object() for a in pdf.pages[1].get("/Annots", [])]
    notes = [a["/Contents"] for a in annots if a["/Subtype"] == "/Text"]
    assert len(notes) == 1 and NOTE in notes[0] and METHOD in notes[0]


def test_pdf_pages_are_the_slide_size(pdf) -> None:
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (
        round(sizes().width),
        round(sizes().height),
    )


# --- layout -----------------------------------------------------------------------------------
def _boxes(lay):  # type: ignore[no-untyped-def]
    return [i for i in lay.items if isinstance(i, Text | Picture | Grid)]


def test_nothing_leaves_the_slide_and_text_boxes_do_not_overlap(demo_ctx, slides) -> None:
    long = base_slide(
        demo_ctx,
        "chart",
        "A very long title " * 8,
        "A very long message that goes on and on " * 12,
        chart=slides[1].chart,
        caveat="A long caveat " * 20,
        bullets=tuple(f"Bullet {i} " * 12 for i in range(12)),
    )
    for s in [*slides, long]:
        lay = layout(s, 1, 1, (900, 420) if s.chart else None)
        boxes = _boxes(lay)
        for b in boxes:
            assert b.x >= 0 and b.y >= 0, s.title
            assert b.x + b.w <= lay.width + 0.5 and b.y + b.h <= lay.height + 0.5, s.title
        main = [
            b
            for b in boxes
            if not isinstance(b, Text)
            or b.role in {"title", "message", "footer", "caveat", "bullets"}
        ]
        for i, a in enumerate(main):
            for b in main[i + 1 :]:
                apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
                assert apart, f"{s.title[:30]}: {type(a).__name__} overlaps {type(b).__name__}"


def test_body_text_is_at_least_the_projector_body_size(slides) -> None:
    """24 px at 1280 px wide is 18 pt on a 13.333 in slide: message, bullets, captions."""
    least = present_settings().body_font_px * sizes().width / 1280
    for s in slides:
        lay = layout(s, 1, 1, (900, 420) if s.chart else None)
        for t in lay.texts("message") + lay.texts("bullets") + lay.texts("title"):
            assert t.size >= least - 0.01, f"{s.title}: {t.role} at {t.size} pt"


# --- errors and files -------------------------------------------------------------------------
def test_unknown_format_and_empty_deck_are_refused(slides) -> None:
    with pytest.raises(PackError, match="not a board-pack format"):
        board_pack(slides, "docx")
    with pytest.raises(PackError, match="at least one slide"):
        board_pack([], "pdf")
    with pytest.raises(PackError, match=r"\.pptx or \.pdf"):
        pack_format("pack.key")


def test_write_pack_chooses_the_format_by_extension(tmp_path, slides) -> None:
    write_pack(tmp_path / "a.PDF", slides[:1])
    write_pack(tmp_path / "a.pptx", slides[:1])
    assert (tmp_path / "a.PDF").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "a.pptx").read_bytes()[:2] == b"PK"


# --- what a presenter or a bundle may throw at it ----------------------------------------------
def test_control_characters_in_text_still_make_a_pack(demo_ctx) -> None:
    """A note pasted with a control character (XML cannot hold it) does not break the pack."""
    s = base_slide(
        demo_ctx, "x", "Bell\x07 title", "Tab\there", note="Form\x0cfeed note", bullets=("a\x00b",)
    )
    prs = Presentation(io.BytesIO(board_pack([s], "pptx")))
    assert _space(prs.slides[0].shapes.title.text) == "Bell title"
    assert "Formfeed note" in prs.slides[0].notes_slide.notes_text_frame.text
    assert "ab" in _slide_text(prs.slides[0])
    pdf = PdfReader(io.BytesIO(board_pack([s], "pdf")))
    assert "Bell title" in pdf.pages[0].extract_text()


def test_a_chart_that_cannot_be_drawn_is_said_and_fetches_nothing(demo_ctx) -> None:
    """A chart asking for data from a URL is not fetched: the slide says it could not be
    drawn and the other slides are made as usual."""
    bad = {"data": {"url": "http://example.invalid/x.csv"}, "mark": "bar"}
    s = base_slide(demo_ctx, "chart", "Remote data", "Should not load.", chart=bad)
    ok = base_slide(demo_ctx, "x", "Next", "Fine.", bullets=("One",))
    prs = Presentation(io.BytesIO(board_pack([s, ok], "pptx")))
    assert not [sh for sh in prs.slides[0].shapes if sh.shape_type == 13]
    assert "could not be drawn" in _slide_text(prs.slides[0])
    pdf = PdfReader(io.BytesIO(board_pack([s, ok], "pdf")))
    assert len(pdf.pages) == 2 and "could not be drawn" in _space(pdf.pages[0].extract_text())


def test_fictional_slides_say_so_even_when_their_source_does_not() -> None:
    s = Slide("x", "Made up", "Invented.", attribution="Source: nobody (CC0)", fictional=True)
    real = Slide("x", "Real", "Published.", attribution="Source: ONS (OGL v3.0)")
    prs = Presentation(io.BytesIO(board_pack([s, real], "pptx")))
    assert "Fictional data" in _slide_text(prs.slides[0])
    assert "Fictional" not in _slide_text(prs.slides[1])
    pdf = PdfReader(io.BytesIO(board_pack([s, real], "pdf")))
    assert "Fictional data" in pdf.pages[0].extract_text()
    assert "Fictional" not in pdf.pages[1].extract_text()


def test_panels_and_rules_are_marked_decorative(pptx) -> None:
    """Shapes that carry no text or picture are decorative (screen readers skip them);
    everything else has text or alt text."""
    for slide in pptx.slides:
        for sh in slide.shapes:
            marks = [e.get("val") for e in sh._element.iter() if e.tag.endswith("}decorative")]
            if sh.shape_type in (1, 9) and not (sh.has_text_frame and sh.text_frame.text):
                assert marks == ["1"], sh.name
            else:
                assert marks == [], f"{sh.name} carries content: not decorative"
            if sh.shape_type == 13:
                assert sh._element.nvPicPr.cNvPr.get("descr")


def test_pdf_embeds_only_liberation_sans(pdf) -> None:
    """The PDF carries its fonts: it reads the same on a machine with none installed."""
    fonts = set()
    for page in pdf.pages:
        for f in page["/Resources"].get("/Font", {}).values():
            f = f.get_object()
            descendants = f.get("/DescendantFonts") or [f]
            for d in descendants:
                d = d.get_object()
                desc = d["/FontDescriptor"].get_object()
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add(str(d["/BaseFont"]).split("+")[-1].split("-")[0])
    assert fonts == {"LiberationSans"}


def test_pack_file_names_are_safe() -> None:
    assert pack_name("Wigan", "pptx") == "board-pack-wigan.pptx"
    assert pack_name("King's Lynn & West Norfolk/../x", "pdf") == (
        "board-pack-king-s-lynn-west-norfolk-x.pdf"
    )
    with pytest.raises(PackError):
        pack_name("Wigan", "exe")
