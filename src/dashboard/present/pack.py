"""The board pack: a deck's slides as a PowerPoint file or a PDF, built on the server with no
browser, no office suite and no network.

Each slide carries its title, its message, its chart (drawn by vl-convert at present.yaml's
``pack.image_scale``), table or figures, its bullets, the caveat in words, and the source and
licence in the footer ("Fictional data" first on demo data). The presenter's note, with what
the chart shows, the method and the caveat, goes in the speaker notes (PowerPoint) or a text
note on the page (PDF). Both formats share one layout (present.pack_layout).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from dashboard.export.images import to_png, to_svg
from dashboard.present.model import Figure, Slide
from dashboard.present.pack_layout import Layout, layout, plain_text
from dashboard.present.pack_pdf import merge_pages, page_pdf, slide_svg
from dashboard.present.pack_pptx import pptx_pack
from dashboard.present.settings import present_settings

#: The pack's formats: file extension -> MIME type.
FORMATS: dict[str, str] = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
#: The text fields of a Slide (cleaned before drawing).
TEXT_FIELDS = ("title", "message", "attribution", "alt", "method", "caveat", "note")
#: Charts drawn at once. One: vl-convert 1.9 runs Vega on a single engine thread, so two
#: workers measured no faster on a 10-slide pack (benchmarks/bench_board_pack.py compares).
WORKERS = 1


class PackError(ValueError):
    """A pack that cannot be made (no slides, an unknown format)."""


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    return struct.unpack(">II", png[16:24])


def _svg_size(svg: str) -> tuple[float, float]:
    head = re.search(r"<svg\b[^>]*>", svg)
    text = head.group(0) if head else ""
    w = re.search(r'\bwidth="([\d.]+)', text)
    h = re.search(r'\bheight="([\d.]+)', text)
    if not (w and h):
        raise PackError("a chart's SVG has no size")
    return float(w.group(1)), float(h.group(1))


def _drawn(fn):  # type: ignore[no-untyped-def]
    """``fn`` returning None when vl-convert cannot draw the chart (the slide says so)."""

    def draw(spec):  # type: ignore[no-untyped-def]
        try:
            return fn(spec)
        except ValueError:
            return None

    return draw


def _map(fn, items: Sequence) -> list:  # type: ignore[no-untyped-def]
    todo = [i for i, s in enumerate(items) if s is not None]
    out: list = [None] * len(items)
    if len(todo) > 1 and WORKERS > 1:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for i, r in zip(todo, pool.map(fn, [items[i] for i in todo]), strict=True):
                out[i] = r
    else:
        for i in todo:
            out[i] = fn(items[i])
    return out


def _layouts(
    slides: Sequence[Slide], sizes_px: Sequence[tuple[float, float] | None]
) -> list[Layout]:
    n = len(slides)
    return [layout(s, i, n, px) for i, (s, px) in enumerate(zip(slides, sizes_px, strict=True), 1)]


def pptx_bytes(slides: Sequence[Slide], title: str = "") -> bytes:
    """The pack as a PowerPoint (.pptx) file."""
    scale = present_settings().image_scale
    pngs = _map(_drawn(lambda c: to_png(c, scale=scale)), [s.chart for s in slides])
    sizes_px = [None if p is None else tuple(v / scale for v in _png_size(p)) for p in pngs]
    return pptx_pack(slides, _layouts(slides, sizes_px), pngs, title)


def pdf_bytes(slides: Sequence[Slide], title: str = "") -> bytes:
    """The pack as a PDF file, one page per slide."""
    svgs = _map(_drawn(lambda c: to_svg(c).decode("utf-8")), [s.chart for s in slides])
    sizes_px = [None if s is None else _svg_size(s) for s in svgs]
    layouts = _layouts(slides, sizes_px)
    pages = _map(lambda pair: page_pdf(slide_svg(*pair)), list(zip(layouts, svgs, strict=True)))
    return merge_pages(slides, layouts, pages, title)


def _plain(slide: Slide) -> Slide:
    """The slide with every text field as text a file can hold (present.pack_layout's
    plain_text): a note typed with a control character still makes a pack."""
    return replace(
        slide,
        **{k: plain_text(getattr(slide, k)) for k in TEXT_FIELDS},
        bullets=tuple(plain_text(b) for b in slide.bullets),
        figures=tuple(
            Figure(plain_text(f.label), plain_text(f.value), plain_text(f.note))
            for f in slide.figures
        ),
    )


def board_pack(slides: list[Slide], fmt: str, *, title: str = "") -> bytes:
    """The board pack of ``slides`` as ``fmt`` ("pptx" or "pdf") bytes; ``title`` is the
    document's title (default: the first slide's)."""
    if not slides:
        raise PackError("a board pack needs at least one slide")
    slides = [_plain(s) for s in slides]
    title = plain_text(title or slides[0].title)
    if fmt == "pptx":
        return pptx_bytes(slides, title)
    if fmt == "pdf":
        return pdf_bytes(slides, title)
    raise PackError(f"'{str(fmt)[:20]}' is not a board-pack format (pptx or pdf)")


def pack_name(place_name: str, fmt: str) -> str:
    """A file name for a place's pack, e.g. "board-pack-wigan.pptx" (letters, digits and
    dashes only, so any system and browser keeps it)."""
    if fmt not in FORMATS:
        raise PackError(f"'{str(fmt)[:20]}' is not a board-pack format (pptx or pdf)")
    slug = re.sub(r"[^a-z0-9]+", "-", plain_text(place_name).lower()).strip("-")[:60]
    return f"board-pack-{slug or 'place'}.{fmt}"


def pack_format(path: Path | str) -> str:
    """The format a file name asks for, from its extension; PackError for any other."""
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise PackError(
            f"'{Path(path).name[:60]}' does not end in .pptx or .pdf (the board pack's formats)"
        )
    return ext


def write_pack(path: Path | str, slides: list[Slide], *, title: str = "") -> int:
    """Write the board pack to ``path`` (PowerPoint for .pptx, PDF for .pdf); return its size
    in bytes."""
    data = board_pack(slides, pack_format(path), title=title)
    Path(path).write_bytes(data)
    return len(data)
