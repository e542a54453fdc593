"""The board pack as PowerPoint (python-pptx): each slide's layout (present.pack_layout) drawn
as a title placeholder, text boxes, the chart as a picture with alt text, a native table,
and the speaker notes. Pure code; no network."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from dashboard.present.model import Slide
from dashboard.present.pack_layout import (
    FONT_NAME,
    INK,
    PANEL,
    Grid,
    Layout,
    Picture,
    Rect,
    Text,
    speaker_notes,
)

#: EMU per point (python-pptx's unit: 914,400 per inch).
EMU_PER_PT = 12700
#: The default template's "Title Only" layout.
TITLE_ONLY = 5
AUTHOR = "Place Value Explorer"
_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}


def _emu(pt: float) -> Emu:
    return Emu(round(pt * EMU_PER_PT))


def _lines(frame, t: Text) -> None:  # type: ignore[no-untyped-def]
    """Write ``t``'s lines into a text frame: one paragraph, a line break between lines."""
    frame.word_wrap = True
    frame.auto_size = None
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.TOP
    p = frame.paragraphs[0]
    p.alignment = _ALIGN[t.align]
    p.line_spacing = Pt(t.leading)
    for i, line in enumerate(t.lines):
        if i:
            p.add_line_break()
        run = p.add_run()
        run.text = line
        f = run.font
        f.name = FONT_NAME
        f.size = Pt(t.size)
        f.bold = t.bold
        f.italic = t.italic
        f.color.rgb = RGBColor.from_string(t.colour)


def _set_alt(shape, alt: str) -> None:  # type: ignore[no-untyped-def]
    """Alt text of a picture or table: the descr attribute of its cNvPr (python-pptx has no
    API for it)."""
    for el in shape._element.iter():
        if el.tag.endswith("}cNvPr"):
            el.set("descr", alt)
            return


#: Office's "mark as decorative" extension of a shape's cNvPr (screen readers skip it).
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _decorative(shape) -> None:  # type: ignore[no-untyped-def]
    """Mark a panel or rule as decorative, so a screen reader and PowerPoint's accessibility
    checker do not ask for its alt text."""
    from lxml import etree

    for el in shape._element.iter():
        if el.tag.endswith("}cNvPr"):
            ext_lst = etree.SubElement(el, f"{{{_A}}}extLst")
            ext = etree.SubElement(ext_lst, f"{{{_A}}}ext", uri=DECORATIVE_URI)
            etree.SubElement(
                ext, f"{{{DECORATIVE_NS}}}decorative", {"val": "1"}, nsmap={"adec": DECORATIVE_NS}
            )
            return


def _plain_shape(shape) -> None:  # type: ignore[no-untyped-def]
    """Drop the theme's style (its shadow: some renderers draw it even when switched off)."""
    for el in list(shape._element):
        if el.tag.endswith("}style"):
            shape._element.remove(el)


def _text(slide, t: Text) -> None:  # type: ignore[no-untyped-def]
    # Text boxes are a little wider than the wrapped text so no renderer wraps it again.
    box = slide.shapes.add_textbox(_emu(t.x), _emu(t.y), _emu(t.w + t.size), _emu(t.h))
    if t.align == "right":
        box.left = _emu(t.x - t.size)
    box.name = t.role
    _lines(box.text_frame, t)


def _rect(slide, r: Rect) -> None:  # type: ignore[no-untyped-def]
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE

    if r.h == 0:
        line = slide.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, _emu(r.x), _emu(r.y), _emu(r.x + r.w), _emu(r.y)
        )
        line.line.color.rgb = RGBColor.from_string(r.colour)
        line.line.width = Pt(1)
        _plain_shape(line)
        _decorative(line)
        return
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(r.x), _emu(r.y), _emu(r.w), _emu(r.h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(r.colour)
    shape.line.fill.background()
    _plain_shape(shape)
    _decorative(shape)


def _grid(slide, g: Grid) -> None:  # type: ignore[no-untyped-def]
    n_rows = len(g.rows) + 1 + (1 if g.more else 0)
    frame = slide.shapes.add_table(
        n_rows, len(g.widths), _emu(g.x), _emu(g.y), _emu(g.w), _emu(g.row_h * n_rows)
    )
    frame.name = "table"
    _set_alt(frame, g.alt)
    table = frame.table
    table.first_row = True
    table.horz_banding = False
    for i, w in enumerate(g.widths):
        table.columns[i].width = _emu(w)
    for r in range(n_rows):
        table.rows[r].height = _emu(g.row_h)
    body = list(g.rows)
    if g.more:
        body.append(
            (f"… and {g.more:,} more rows (see the app's Data page)",) + ("",) * (len(g.widths) - 1)
        )
    for r, row in enumerate([g.header, *body]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(PANEL if r == 0 else "FFFFFF")
            cell.margin_left = cell.margin_right = _emu(g.size / 2)
            cell.margin_top = cell.margin_bottom = _emu(g.size / 4)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            align = (
                "right" if g.numeric[c] and r > 0 and not (g.more and r == len(body)) else "left"
            )
            _lines(
                cell.text_frame,
                Text(0, 0, 0, 0, (value,), g.size, "cell", bold=r == 0, colour=INK, align=align),
            )
            cell.text_frame.word_wrap = False
    if g.more:
        last = table.cell(n_rows - 1, 0)
        if len(g.widths) > 1:
            last.merge(table.cell(n_rows - 1, len(g.widths) - 1))


def _title(slide, t: Text) -> None:  # type: ignore[no-untyped-def]
    shape = slide.shapes.title
    shape.left, shape.top = _emu(t.x), _emu(t.y)
    shape.width, shape.height = _emu(t.w + t.size), _emu(t.h)
    frame = shape.text_frame
    frame.text = ""
    _lines(frame, t)


def pptx_pack(
    slides: Sequence[Slide], layouts: Sequence[Layout], pictures: Sequence[bytes | None], title: str
) -> bytes:
    """The PowerPoint file: one slide per layout, ``pictures`` the charts as PNG."""
    prs = Presentation()
    first = layouts[0]
    prs.slide_width, prs.slide_height = _emu(first.width), _emu(first.height)
    prs.core_properties.title = title
    prs.core_properties.author = AUTHOR
    prs.core_properties.subject = "Board pack"
    for s, lay, png in zip(slides, layouts, pictures, strict=True):
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        for item in lay.items:
            if isinstance(item, Text) and item.role == "title":
                _title(slide, item)
            elif isinstance(item, Text):
                _text(slide, item)
            elif isinstance(item, Rect):
                _rect(slide, item)
            elif isinstance(item, Grid):
                _grid(slide, item)
            elif isinstance(item, Picture) and png is not None:
                pic = slide.shapes.add_picture(
                    io.BytesIO(png), _emu(item.x), _emu(item.y), _emu(item.w), _emu(item.h)
                )
                pic.name = "chart"
                _set_alt(pic, item.alt)
        slide.notes_slide.notes_text_frame.text = speaker_notes(s)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
