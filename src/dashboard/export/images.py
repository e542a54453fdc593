"""Charts to PNG and SVG with vl-convert (offline: no browser, no network).

Charts must carry their data inline (vl-convert cannot fetch the app's static files) and their
attribution inside the chart (see dashboard.charts.theme.attribute), so the image carries its
source and licence wherever it goes.

Fonts: the theme asks for Liberation Sans first (charts.theme.FONT). vl-convert draws a PNG's
text with the fonts it knows; the Debian fonts-liberation2 folders are registered with it once,
so a machine whose only fonts are the ones the test script installs still draws the text.
"""

from __future__ import annotations

import glob
from functools import cache
from typing import Any

import altair as alt
import vl_convert as vlc

#: Where Debian installs Liberation Sans (fonts-liberation2, fonts-liberation).
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
#: vl-convert may fetch no URL: a chart carries its data inline (offline, and no request is
#: made from the server on a user's behalf).
NO_URLS: list[str] = []


@cache
def registered_fonts() -> tuple[str, ...]:
    """The font folders registered with vl-convert (once per process): those of FONT_DIRS that
    hold a Liberation Sans file."""
    found = tuple(d for d in FONT_DIRS if glob.glob(f"{d}/LiberationSans-*.ttf"))
    for d in found:
        vlc.register_font_directory(d)
    return found


def _spec(chart: alt.TopLevelMixin | dict[str, Any]) -> dict[str, Any]:
    return chart if isinstance(chart, dict) else chart.to_dict()


def to_png(chart: alt.TopLevelMixin | dict[str, Any], scale: float = 2.0) -> bytes:
    """PNG bytes of ``chart`` at ``scale`` image pixels per chart pixel."""
    registered_fonts()
    return vlc.vegalite_to_png(_spec(chart), scale=scale, allowed_base_urls=NO_URLS)


def to_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> bytes:
    """SVG (UTF-8 bytes) of ``chart``; text stays text, in the theme's fonts."""
    registered_fonts()
    return vlc.vegalite_to_svg(_spec(chart), allowed_base_urls=NO_URLS).encode("utf-8")
