"""Where everything goes on a board-pack slide: one layout, drawn twice (PowerPoint by
present.pack_pptx, PDF by present.pack_pdf), so both packs look the same.

Pure code. Positions and sizes are in points (1/72 inch) on a slide of present.yaml's
``pack.slide_width_in`` x ``pack.slide_height_in``; type sizes come from present.yaml's
``slide`` sizes in px at the issue's 1280 px projector width, turned into points at this
slide's scale (so 24 px body text on a 1280 px screen is 18 pt on a 13.333 in slide).
Text is wrapped here, measured in Liberation Sans (the charts' font) when it is installed.
"""

from __future__ import annotations

import glob
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from dashboard.export.images import FONT_DIRS
from dashboard.formatting import format_value
from dashboard.present.model import Figure, Slide
from dashboard.present.projector import CHAR_WIDTH
from dashboard.present.settings import present_settings

#: The projector width the issue's type sizes are stated at (px).
PROJECTOR_WIDTH_PX = 1280
#: The font every text of the pack is set in (the charts' font, charts.theme.FONT).
FONT_NAME = "Liberation Sans"
#: Colours: near-black text, dark grey secondary text (both above 7:1 on white), a dark amber
#: caveat, light panels behind figures and table headers, rules.
INK = "1A1A1A"
SECONDARY = "3D3D3D"
CAVEAT = "7A3E00"
PANEL = "F1F3F5"
RULE = "8A949E"
ACCENT = "0072B2"  # charts.theme OKABE_ITO blue
ELLIPSIS = "…"
#: Said where a chart should be when vl-convert could not draw it.
NO_CHART = "This chart could not be drawn for the pack: see it in the app."
#: Rounding room when a text is measured against the width it was measured for (pt).
TOLERANCE_PT = 1 / 100
#: The kind of the deck's opening slide (present.kinds), laid out as a cover.
OPENING_KIND = "title"
FICTIONAL_MARK = "Fictional data"


#: Characters XML (so PowerPoint and SVG) cannot hold: C0 controls but tab and newline,
#: surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def plain_text(value: object) -> str:
    """``value`` as text a slide can carry: tabs as spaces, characters XML cannot hold
    (control characters) left out."""
    return _NOT_XML.sub("", str(value)).replace("\t", " ")


@cache
def _font(bold: bool):  # type: ignore[no-untyped-def]
    """Liberation Sans (PIL) for measuring, or None when it is not installed."""
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    for d in FONT_DIRS:
        for path in glob.glob(f"{d}/{name}"):
            return ImageFont.truetype(path, 100)
    return None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` set at ``size`` pt (points)."""
    font = _font(bold)
    if font is None:
        return len(text) * size * CHAR_WIDTH
    return font.getlength(text) * size / 100


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pt at ``size`` pt (a word longer
    than a line is cut)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if text_width(trial, size, bold) <= width + TOLERANCE_PT:
                line = trial
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def clip(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` on one line of ``width`` pt, cut with an ellipsis when too long."""
    if text_width(text, size, bold) <= width + TOLERANCE_PT:
        return text
    while text and text_width(text + ELLIPSIS, size, bold) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Text:
    """Lines of text in a box: ``size`` pt, left-aligned unless ``align`` is "right" or
    "center"; ``role`` names it (title, message, footer, ...)."""

    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    size: float
    role: str
    bold: bool = False
    colour: str = INK
    align: str = "left"
    italic: bool = False

    @property
    def leading(self) -> float:
        """The distance between baselines (pt)."""
        return self.size * 6 / 5


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (a panel) or, with ``h`` zero, a rule."""

    x: float
    y: float
    w: float
    h: float
    colour: str


@dataclass(frozen=True)
class Picture:
    """The slide's chart, fitted into its box keeping its aspect ratio."""

    x: float
    y: float
    w: float
    h: float
    alt: str


@dataclass(frozen=True)
class Grid:
    """A table: a header row and body rows of text, ``widths`` pt per column; ``more`` says
    how many rows did not fit."""

    x: float
    y: float
    widths: tuple[float, ...]
    row_h: float
    size: float
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    alt: str
    more: int = 0

    @property
    def w(self) -> float:
        return sum(self.widths)

    @property
    def h(self) -> float:
        return self.row_h * (len(self.rows) + 1)


@dataclass(frozen=True)
class Layout:
    """One slide's layout: the slide's size (pt) and what is drawn, in drawing order."""

    width: float
    height: float
    items: tuple[Text | Rect | Picture | Grid, ...] = field(default_factory=tuple)

    def texts(self, role: str) -> list[Text]:
        return [i for i in self.items if isinstance(i, Text) and i.role == role]


@dataclass(frozen=True)
class Sizes:
    """The pack's type sizes (pt) and margins, from present.yaml."""

    width: float
    height: float
    margin: float
    gap: float
    title: float
    message: float
    body: float
    small: float
    footer: float
    figure: float


@cache
def sizes() -> Sizes:
    """Type sizes in points: present.yaml's px sizes at this slide's scale."""
    s = present_settings()
    width, height = s.slide_width_in * 72, s.slide_height_in * 72
    pt = width / PROJECTOR_WIDTH_PX  # points per projector px
    body = s.body_font_px * pt
    return Sizes(
        width=width,
        height=height,
        margin=body * 2,
        gap=body * 4 / 3,
        title=body * 5 / 3,
        message=body * 10 / 9,
        body=body,
        small=math.ceil(s.min_font_px * pt),
        footer=math.ceil(s.attribution_font_px * pt),
        figure=body * 2,
    )


def chart_size_pt(width_px: float, height_px: float) -> tuple[float, float]:
    """A chart of ``width_px`` x ``height_px`` (chart px) in points at the projector scale."""
    pt = sizes().width / PROJECTOR_WIDTH_PX
    return width_px * pt, height_px * pt


def fit(w: float, h: float, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """``w`` x ``h`` scaled to fit ``box`` (x, y, w, h) keeping its aspect ratio, centred:
    (x, y, w, h). A small chart grows at most to present.yaml's ``pack.image_scale``, so its
    picture still has a pixel for every projector pixel."""
    bx, by, bw, bh = box
    scale = min(bw / w, bh / h, present_settings().image_scale)
    fw, fh = w * scale, h * scale
    return bx + (bw - fw) / 2, by + (bh - fh) / 2, fw, fh


def footer_text(slide: Slide) -> str:
    """The footer of every slide: "Fictional data" first on demo data, then the source."""
    source = slide.attribution.strip()
    if slide.fictional and not source.lower().startswith(FICTIONAL_MARK.lower()):
        source = f"{FICTIONAL_MARK}. {source}"
    return source


def speaker_notes(slide: Slide) -> str:
    """The presenter's note, then what the chart shows, the method and the caveat."""
    parts = [
        slide.note.strip(),
        f"What the slide shows: {slide.alt.strip()}" if slide.alt.strip() else "",
        f"Method: {slide.method.strip()}" if slide.method.strip() else "",
        f"Caveat: {slide.caveat.strip()}" if slide.caveat.strip() else "",
        f"Source: {slide.attribution.strip()}",
    ]
    if slide.fictional:
        parts.append("Fictional data: every place, name and figure is invented.")
    return "\n\n".join(p for p in parts if p)


def alt_text(slide: Slide) -> str:
    """The chart's or table's alt text (the slide's, else its title and message)."""
    return slide.alt.strip() or f"{slide.title}. {slide.message}".strip()


def _fitted(
    text: str, w: float, size: float, least: float, most_lines: int, bold: bool = False
) -> tuple[list[str], float]:
    """``text`` wrapped at ``size`` pt, down to ``least`` pt until it takes at most
    ``most_lines`` lines (cut with an ellipsis if it never does)."""
    step = size
    while True:
        lines = wrap(text, w, step, bold)
        if len(lines) <= most_lines or step <= least:
            break
        step = max(least, step - 1)
    if len(lines) > most_lines:
        lines = lines[:most_lines]
        lines[-1] = clip(lines[-1] + " " + ELLIPSIS, w, step, bold)
    return lines, step


def _cell(value: object) -> str:
    if isinstance(value, str):
        return plain_text(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return format_value(value, "", compact=True) if abs(value) >= 1e6 else f"{value:,.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return plain_text(value)


def _grid(table: pd.DataFrame, box: tuple[float, float, float, float], alt: str) -> Grid:
    """A table fitted into ``box``: at the body size, down to the small size until its rows
    fit (those that still do not are counted in ``more``), columns as wide as their text
    (cut with an ellipsis when the table is too wide)."""
    z = sizes()
    x, y, w, h = box
    header = tuple(plain_text(c) for c in table.columns)
    numeric = tuple(pd.api.types.is_numeric_dtype(table[c]) for c in table.columns)
    every = [tuple(_cell(v) for v in r) for r in table.itertuples(index=False)]
    size = z.body
    while True:
        row_h = size * 9 / 5
        pad = size * 2  # the cell's margins and room for a renderer that sets text wider
        need = [
            max([text_width(header[i], size, True)] + [text_width(r[i], size) for r in every]) + pad
            for i in range(len(header))
        ]
        fits = max(1, int(h // row_h) - 1)
        if (len(every) <= fits and sum(need) <= w) or size <= z.small:
            break
        size -= 1
    rows, more = every, 0
    if len(rows) > fits:
        more = len(rows) - (fits - 1)
        rows = rows[: fits - 1]
    total = sum(need) or 1
    widths = tuple(n * min(1, w / total) for n in need)
    clipped = tuple(tuple(clip(c, widths[i] - pad, size) for i, c in enumerate(r)) for r in rows)
    header = tuple(clip(c, widths[i] - pad, size, True) for i, c in enumerate(header))
    return Grid(x, y, widths, row_h, size, header, clipped, numeric, alt, more)


def _figures(figures: Sequence[Figure], box: tuple[float, float, float, float]) -> list:
    """Headline figures as cards in a grid: label, value (large), the line under it."""
    z = sizes()
    x, y, w, h = box
    n = len(figures)
    most = max(1, min(n, int(w // (z.body * 12)), 4))
    rows = math.ceil(n / most)
    cols = math.ceil(n / rows)  # balanced: 5 figures as 3 + 2, not 4 + 1
    gap = z.body * 2 / 3
    cw, ch = (w - gap * (cols - 1)) / cols, (h - gap * (rows - 1)) / rows
    # a card no taller than its label (2 lines), value and note (3 lines) need
    ch = min(ch, z.body * 9)
    pad = z.body * 2 / 3
    inner = cw - 2 * pad
    value_size = min(z.figure, ch * 2 / 5)
    label_size = max(z.small, min(z.body, ch / 5))
    note_size = z.small
    out: list = []
    for i, f in enumerate(figures):
        cx = x + (i % cols) * (cw + gap)
        cy = y + (i // cols) * (ch + gap)
        out.append(Rect(cx, cy, cw, ch, PANEL))
        top = cy + pad / 2
        label, lsize = _fitted(f.label, inner, label_size, z.small, 2, bold=True)
        out.append(
            Text(
                cx + pad,
                top,
                inner,
                lsize * 6 / 5 * len(label),
                tuple(label),
                lsize,
                "figure-label",
                bold=True,
            )
        )
        top += lsize * 6 / 5 * len(label)
        value, vsize = _fitted(f.value, inner, value_size, z.body, 1, bold=True)
        out.append(
            Text(
                cx + pad,
                top,
                inner,
                vsize * 6 / 5,
                tuple(value),
                vsize,
                "figure-value",
                bold=True,
                colour=ACCENT,
            )
        )
        top += vsize * 6 / 5
        room = max(1, int((cy + ch - top - pad / 4) // (note_size * 6 / 5)))
        if f.note and room:
            note, nsize = _fitted(f.note, inner, note_size, note_size, room)
            out.append(
                Text(
                    cx + pad,
                    top,
                    inner,
                    nsize * 6 / 5 * len(note),
                    tuple(note),
                    nsize,
                    "figure-note",
                    colour=SECONDARY,
                )
            )
    return out


def _bullets(bullets: Sequence[str], box: tuple[float, float, float, float], alone: bool) -> Text:
    """Bullets as lines of text: larger than the message when they are all the slide shows,
    else at its size, down to the small size until they fit."""
    z = sizes()
    x, y, w, h = box
    size = z.body * 4 / 3 if alone else z.message
    while True:
        lines: list[str] = []
        for b in bullets:
            wrapped = wrap(b, w - size, size)
            lines += ["• " + wrapped[0]] + ["  " + s for s in wrapped[1:]]
        if len(lines) * size * 6 / 5 <= h or size <= z.small:
            break
        size -= 1
    most = max(1, int(h // (size * 6 / 5)))
    if len(lines) > most:
        lines = lines[: most - 1] + [ELLIPSIS]
    return Text(x, y, w, h, tuple(lines), size, "bullets")


#: How much of the content row each part takes when a slide shows more than one.
WEIGHTS = {"chart": 3, "table": 3, "figures": 2, "bullets": 2}


def layout(
    slide: Slide, number: int, total: int, chart_px: tuple[float, float] | None = None
) -> Layout:
    """Slide ``number`` of ``total``: title, message, the content row (chart, table, figures,
    bullets side by side), the caveat, and the footer with the attribution and the slide
    number. ``chart_px`` is the rendered chart's size in chart px (None: no chart)."""
    z = sizes()
    m, inner = z.margin, z.width - 2 * z.margin
    items: list = []
    # the opening slide (kind "title") sets its title larger, a quarter of the way down
    opening = slide.kind == OPENING_KIND
    y = z.height / 4 if opening else z.margin * 2 / 3
    top_size = z.title * 4 / 3 if opening else z.title
    title, tsize = _fitted(slide.title, inner, top_size, z.body, 2, bold=True)
    items.append(
        Text(m, y, inner, tsize * 6 / 5 * len(title), tuple(title), tsize, "title", bold=True)
    )
    y += tsize * 6 / 5 * len(title) + z.body / 3
    items.append(Rect(m, y, z.body * 3, z.body / 6, ACCENT))
    y += z.body * 2 / 3
    if slide.message.strip():
        msg, msize = _fitted(slide.message, inner, z.message, z.body, 3)
        items.append(
            Text(
                m,
                y,
                inner,
                msize * 6 / 5 * len(msg),
                tuple(msg),
                msize,
                "message",
                colour=SECONDARY,
            )
        )
        y += msize * 6 / 5 * len(msg) + z.body * 2 / 3

    # footer: a rule, the source (up to two lines) on the left, the slide number on the right
    number_text = f"{number} / {total}"
    number_w = text_width(number_text, z.footer) + z.footer
    foot, fsize = _fitted(footer_text(slide), inner - number_w - z.footer, z.footer, z.footer, 2)
    foot_h = fsize * 6 / 5 * len(foot)
    foot_y = z.height - z.margin / 2 - foot_h
    items.append(Rect(m, foot_y - z.footer * 2 / 3, inner, 0, RULE))
    items.append(
        Text(m, foot_y, inner - number_w, foot_h, tuple(foot), fsize, "footer", colour=SECONDARY)
    )
    items.append(
        Text(
            m + inner - number_w,
            foot_y,
            number_w,
            foot_h,
            (number_text,),
            fsize,
            "number",
            colour=SECONDARY,
            align="right",
        )
    )
    bottom = foot_y - z.footer * 4 / 3
    if slide.caveat.strip():
        cav, csize = _fitted("Caveat: " + slide.caveat.strip(), inner, z.body, z.small, 2)
        cav_h = csize * 6 / 5 * len(cav)
        bottom -= cav_h
        items.append(
            Text(m, bottom, inner, cav_h, tuple(cav), csize, "caveat", colour=CAVEAT, italic=True)
        )
        bottom -= z.body / 2

    parts = [
        p
        for p, on in (
            ("chart", slide.chart is not None),
            ("table", slide.table is not None and not slide.table.empty),
            ("figures", bool(slide.figures)),
            ("bullets", bool(slide.bullets)),
        )
        if on
    ]
    room = bottom - y
    free = inner - z.gap * (len(parts) - 1)
    weight = sum(WEIGHTS[p] for p in parts) or 1
    x = m
    for p in parts:
        w = free * WEIGHTS[p] / weight
        box = (x, y, w, room)
        if p == "chart" and chart_px is not None:
            cw, ch = chart_size_pt(*chart_px)
            items.append(Picture(*fit(cw, ch, box), alt=alt_text(slide)))
        elif p == "chart":
            lines = wrap(NO_CHART, w, z.body)
            items.append(
                Text(
                    x,
                    y,
                    w,
                    z.body * 6 / 5 * len(lines),
                    tuple(lines),
                    z.body,
                    "missing",
                    colour=CAVEAT,
                )
            )
        elif p == "table" and slide.table is not None:
            items.append(_grid(slide.table, box, alt_text(slide)))
        elif p == "figures":
            items += _figures(slide.figures, box)
        elif p == "bullets":
            items.append(_bullets(slide.bullets, box, len(parts) == 1))
        x += w + z.gap
    return Layout(z.width, z.height, tuple(items))
