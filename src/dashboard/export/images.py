"""Charts to PNG and SVG with vl-convert (offline: no browser, no network).

Charts must carry their data inline (vl-convert cannot fetch the app's static files) and their
attribution inside the chart (see dashboard.charts.theme.attribute), so the image carries its
source and licence wherever it goes.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert as vlc


def _spec(chart: alt.TopLevelMixin | dict[str, Any]) -> dict[str, Any]:
    return chart if isinstance(chart, dict) else chart.to_dict()


def to_png(chart: alt.TopLevelMixin | dict[str, Any], scale: float = 2.0) -> bytes:
    """PNG bytes of ``chart`` at ``scale`` image pixels per chart pixel."""
    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def to_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> bytes:
    """SVG (UTF-8 bytes) of ``chart``; text stays text, in the theme's fonts."""
    return vlc.vegalite_to_svg(_spec(chart)).encode("utf-8")
