"""The board pack as PDF, with no browser and no office suite: each slide's layout
(present.pack_layout) written as an SVG page (the chart's own SVG from vl-convert nested in
it, text as text), turned into PDF by vl-convert (svg_to_pdf) and merged with pypdf, with a
bookmark per slide, the document's title and author, and the speaker notes as a text note
(a PDF comment) on each page. Pure code; no network."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import vl_convert as vlc
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text as NoteAnnotation

from dashboard.export.images import registered_fonts
from dashboard.present.model import Slide
from dashboard.present.pack_layout import (
    FONT_NAME,
    INK,
    PANEL,
    RULE,
    Grid,
    Layout,
    Picture,
    Rect,
    Text,
    speaker_notes,
)
from dashboard.present.pack_pptx import AUTHOR

_OPEN_SVG = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')
_FONT = quoteattr(f"{FONT_NAME}, sans-serif")


def _text(t: Text) -> str:
    anchor = {"left": "start", "right": "end", "center": "middle"}[t.align]
    x = {"left": t.x, "right": t.x + t.w, "center": t.x + t.w / 2}[t.align]
    weight = ' font-weight="bold"' if t.bold else ""
    style = ' font-style="italic"' if t.italic else ""
    out = []
    for i, line in enumerate(t.lines):
        # the first baseline sits one type size below the box's top, as in PowerPoint
        y = t.y + t.size * 19 / 20 + i * t.leading
        out.append(
            f'<text x="{x:.2f}" y="{y:.2f}" font-family={_FONT} font-size="{t.size:.2f}"'
            f'{weight}{style} fill="#{t.colour}" text-anchor="{anchor}">{escape(line)}</text>'
        )
    return "".join(out)


def _rect(r: Rect) -> str:
    if r.h == 0:
        return (
            f'<line x1="{r.x:.2f}" y1="{r.y:.2f}" x2="{r.x + r.w:.2f}" y2="{r.y:.2f}" '
            f'stroke="#{r.colour}" stroke-width="1"/>'
        )
    return f'<rect x="{r.x:.2f}" y="{r.y:.2f}" width="{r.w:.2f}" height="{r.h:.2f}" fill="#{r.colour}"/>'


def _grid(g: Grid) -> str:
    out = [
        f'<rect x="{g.x:.2f}" y="{g.y:.2f}" width="{g.w:.2f}" height="{g.row_h:.2f}" fill="#{PANEL}"/>'
    ]
    body = list(g.rows)
    if g.more:
        body.append((f"… and {g.more:,} more rows (see the app's Data page)",))
    for r, row in enumerate([g.header, *body]):
        y = g.y + r * g.row_h
        x = g.x
        for c, value in enumerate(row):
            w = g.widths[c] if len(row) > 1 else g.w
            right = g.numeric[c] and r > 0 and len(row) > 1
            out.append(
                _text(
                    Text(
                        x + g.size / 2,
                        y + (g.row_h - g.size) / 2,
                        w - g.size,
                        g.row_h,
                        (value,),
                        g.size,
                        "cell",
                        bold=r == 0,
                        colour=INK,
                        align="right" if right else "left",
                    )
                )
            )
            x += w
        out.append(_rect(Rect(g.x, y + g.row_h, g.w, 0, RULE)))
    return "".join(out)


def _picture(p: Picture, svg: str) -> str:
    """The chart's SVG nested at the picture's place, scaled to it (aspect kept)."""
    head = _OPEN_SVG.search(svg)
    if head is None:
        return ""
    box = _VIEWBOX.search(head.group(0))
    view = box.group(1) if box else f"0 0 {p.w:.0f} {p.h:.0f}"
    body = svg[head.end() : svg.rindex("</svg>")]
    return (
        f'<svg x="{p.x:.2f}" y="{p.y:.2f}" width="{p.w:.2f}" height="{p.h:.2f}" '
        f'viewBox="{view}" preserveAspectRatio="xMidYMin meet">'
        f"<title>{escape(p.alt)}</title>{body}</svg>"
    )


def slide_svg(lay: Layout, chart_svg: str | None) -> str:
    """One slide as an SVG page (units: points)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{lay.width:.2f}" height="{lay.height:.2f}" '
        f'viewBox="0 0 {lay.width:.2f} {lay.height:.2f}">',
        f'<rect width="{lay.width:.2f}" height="{lay.height:.2f}" fill="#FFFFFF"/>',
    ]
    for item in lay.items:
        if isinstance(item, Text):
            parts.append(_text(item))
        elif isinstance(item, Rect):
            parts.append(_rect(item))
        elif isinstance(item, Grid):
            parts.append(_grid(item))
        elif isinstance(item, Picture) and chart_svg:
            parts.append(_picture(item, chart_svg))
    parts.append("</svg>")
    return "".join(parts)


def page_pdf(svg: str) -> bytes:
    """One SVG page as PDF (vl-convert, the pack's fonts registered)."""
    registered_fonts()
    return vlc.svg_to_pdf(svg)


def merge_pages(
    slides: Sequence[Slide], layouts: Sequence[Layout], pages: Sequence[bytes], title: str
) -> bytes:
    """The slides' PDF pages in one file: a bookmark per slide (its title), the document's
    title and author, the speaker notes as a closed text note at each page's top right."""
    writer = PdfWriter()
    for s, lay, page in zip(slides, layouts, pages, strict=True):
        writer.add_page(PdfReader(io.BytesIO(page)).pages[0])
        n = len(writer.pages) - 1
        writer.add_outline_item(title=s.title, page_number=n)
        notes = speaker_notes(s)
        if notes:
            top = lay.height
            writer.add_annotation(
                n,
                NoteAnnotation(
                    text=notes,
                    rect=(lay.width - 30, top - 26, lay.width - 12, top - 8),
                    open=False,
                ),
            )
    writer.add_metadata({"/Title": title, "/Author": AUTHOR, "/Subject": "Board pack"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
