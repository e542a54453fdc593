"""Story mode's sizes (data/catalogue/present.yaml), read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dashboard.catalogue import param

FILE = "present.yaml"


@dataclass(frozen=True)
class PresentSettings:
    """Slide and pack sizes: px on screen, inches on a PowerPoint slide."""

    chart_width_px: int
    chart_height_px: int
    min_font_px: int
    body_font_px: int
    attribution_font_px: int
    max_differences: int
    image_scale: float
    slide_width_in: float
    slide_height_in: float


@cache
def present_settings() -> PresentSettings:
    """present.yaml's settings."""

    def v(key: str) -> float:
        return float(param(FILE, key).value)

    return PresentSettings(
        chart_width_px=int(v("slide.chart_width_px")),
        chart_height_px=int(v("slide.chart_height_px")),
        min_font_px=int(v("slide.min_font_px")),
        body_font_px=int(v("slide.body_font_px")),
        attribution_font_px=int(v("slide.attribution_font_px")),
        max_differences=int(v("slide.max_differences")),
        image_scale=v("pack.image_scale"),
        slide_width_in=v("pack.slide_width_in"),
        slide_height_in=v("pack.slide_height_in"),
    )
