"""The one control under every chart: download it as PNG or SVG, its data as CSV, or show the
data as a table (the chart's accessible twin).

Every file says what it shows: the image has the chart's subtitle (place, period, comparison,
method) and the attribution inside it; the CSV ends with the same lines, the licence and the attribution (last), the
way every other download does (export.tables.to_csv_bytes). Files are built only when their
button is clicked, and the table only while the toggle is on, so a page run costs no more than
drawing the button row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.analysis.classify import map_settings
from dashboard.export.chart_data import chart_table, export_spec
from dashboard.export.images import to_png, to_svg
from dashboard.export.tables import to_csv_bytes
from dashboard.formatting import escape_markdown
from dashboard.ui.state import Context
from dashboard.view import REAL

Chart = alt.TopLevelMixin | dict[str, Any]
#: A chart, or how to make it (called only when a file or the table is asked for).
ChartSource = Chart | Callable[[], Chart]
Table = pd.DataFrame | Callable[[], pd.DataFrame]

TABLE_LABEL = "Show as table"
KEY_PREFIX = "chart_tools"


@dataclass(frozen=True)
class ChartFiles:
    """What a chart's files say and are called (plain text)."""

    title: str
    subtitle: tuple[str, ...]
    notes: tuple[str, ...]
    stem: str


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:60].strip("-") or "chart"


def chart_files(
    ctx: Context,
    name: str,
    *,
    period: str | None = None,
    method: str = "",
    group: bool = True,
) -> ChartFiles:
    """The subtitle lines, CSV notes and file stem of chart ``name`` in this view: place and
    period (``period``, else the view's), the comparison group when ``group``, cash or real
    terms, the ``method`` line; the notes add the attribution and the licence."""
    b, v = ctx.bundle, ctx.view
    place = b.place_name(v.place)
    when = period or v.period
    where = f"{place}, {when}"
    if group and ctx.group_text:
        where += f"; compared with {ctx.group_text}"
    if v.prices == REAL:
        where += "; money in real terms"
    subtitle = tuple(s for s in (where, method) if s)
    licence = str(b.meta.get("licence", "") or "")
    notes = (f"{name} ({place})", *subtitle, f"Licence: {licence}" if licence else "")
    notes = tuple(s for s in (*notes, b.attribution) if s)  # the attribution last
    return ChartFiles(
        title=f"{name} ({place})",
        subtitle=subtitle,
        notes=notes,
        stem=f"{_slug(place)}-{_slug(name)}-{_slug(when)}",
    )


def _get(source: Any) -> Any:
    return source() if callable(source) else source


@dataclass(frozen=True)
class ChartExport:
    """One chart's files and table, each built when asked for."""

    chart: ChartSource
    files: ChartFiles
    attribution: str
    table_source: Table | None = None
    image: ChartSource | None = None

    def spec(self) -> dict[str, Any]:
        """The chart as exported: subtitle lines and attribution inside it."""
        return export_spec(
            _get(self.image if self.image is not None else self.chart),
            title=self.files.title,
            subtitle=self.files.subtitle,
            attribution=self.attribution,
        )

    def table(self) -> pd.DataFrame:
        """The chart's data as shown (headers in words, no ids)."""
        if self.table_source is not None:
            return _get(self.table_source)
        return chart_table(_get(self.chart))

    def png(self) -> bytes:
        """PNG at maps.yaml's export scale (PNG pixels per chart pixel)."""
        return to_png(self.spec(), map_settings().export_scale)

    def svg(self) -> bytes:
        """SVG, text as text."""
        return to_svg(self.spec())

    def csv(self) -> bytes:
        """The table as CSV, then the title, subtitle, licence and attribution lines."""
        return to_csv_bytes(self.table(), self.files.notes)


#: The download buttons under a chart, by file extension: label, MIME type, icon and help.
FILE_BUTTONS: dict[str, tuple[str, str, str, str]] = {
    "png": (
        "PNG",
        "image/png",
        ":material/image:",
        "The chart as a picture, with its source and licence",
    ),
    "svg": (
        "SVG",
        "image/svg+xml",
        ":material/draw:",
        "The chart as a vector drawing (for print and slides)",
    ),
    "csv": (
        "CSV",
        "text/csv",
        ":material/table:",
        "The chart's data, with its source and licence at the end",
    ),
}


def chart_tools(
    ctx: Context,
    chart: ChartSource,
    name: str,
    *,
    key: str = "",
    period: str | None = None,
    method: str = "",
    group: bool = True,
    table: Table | None = None,
    image: ChartSource | None = None,
) -> ChartExport:
    """Under a chart: PNG (at the export scale of maps.yaml), SVG and CSV downloads and the
    "Show as table" toggle. ``table`` is the chart's data as shown (default: the rows the chart
    encodes, see export.chart_data.chart_table); ``image`` the chart to export when it differs
    from the one drawn (a map, whose shapes the browser fetches, exports with them inline).
    ``key`` tells two charts of one name on a page apart. Returns the export (for tests)."""
    files = chart_files(ctx, name, period=period, method=method, group=group)
    ex = ChartExport(chart, files, ctx.bundle.attribution, table, image)
    k = f"{KEY_PREFIX}_{_slug(key or name)}"
    row = st.container(horizontal=True, vertical_alignment="center")
    for ext, (label, mime, icon, what) in FILE_BUTTONS.items():
        row.download_button(
            label,
            data=getattr(ex, ext),  # ChartExport.png / .svg / .csv, built when clicked
            file_name=f"{files.stem}.{ext}",
            mime=mime,
            icon=icon,
            key=f"{k}_{ext}",
            on_click="ignore",
            help=what,
        )
    if row.toggle(TABLE_LABEL, key=f"{k}_table"):
        df = ex.table()
        numbers = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
        st.dataframe(
            df,
            hide_index=True,
            width="stretch",
            column_config={c: st.column_config.NumberColumn(format="localized") for c in numbers},
        )
        st.caption(escape_markdown(" ".join(files.subtitle)))  # names from data, as text
    return ex
