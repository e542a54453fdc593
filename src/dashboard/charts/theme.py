"""One look for every chart: readable on a projector, colour-blind safe, attributed.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies). Judgement
colours use blue for better and orange for worse, never red/green alone; neutral indicators use
a sequential single-hue scale.
"""

from __future__ import annotations

import altair as alt

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: The selected place, its comparison group, everyone else.
HIGHLIGHT = {"place": "#D55E00", "group": "#0072B2", "other": "#B8C2CC"}
#: Polarity-aware judgement colours (better / similar / worse / not judged).
JUDGEMENT = {
    "better": "#0072B2",
    "similar": "#C9CED6",
    "worse": "#E69F00",
    "": "#EEEEEE",
    "higher": "#6B8EAD",
    "lower": "#A7BBCF",
}
#: Quintiles of a neutral indicator (1 lowest to 5 highest): one hue (purple), light to dark, so
#: they never read as better (blue) or worse (orange).
QUINTILES = ["#E4E1F0", "#BCB6DA", "#9389C0", "#6A5BA6", "#44307F"]
#: One colour per agency of the scenario catalogue (scenario.yaml agencies) and of the bundle's
#: spend lines (bundle.schema.AGENCIES), keyed by agency id and the same in every chart (money by agency, cash flow, waterfall, the deal). None is the
#: better (blue) or worse (orange) of JUDGEMENT, nor a green or red: nothing about an agency is
#: judged.
AGENCY_COLOURS: dict[str, str] = {
    "council": "#882255",
    "nhs": "#56B4E9",
    "dwp": "#CC79A7",
    "police_justice": "#DDAA33",
    "police": "#DDAA33",
    "fire": "#5D3A9B",
    "voluntary": "#44AA99",
    "other": "#8A949E",
}
#: An agency the mapping does not know yet.
AGENCY_FALLBACK = "#5A6570"
#: Money flows of a scenario (what is paid, what comes back), distinct from every agency colour.
FLOW_COLOURS: dict[str, str] = {
    "cost": "#D55E00",
    "benefit_cashable": "#332288",
    "benefit_noncashable": "#9A8FCB",
    "total": "#1B1F24",
}
SEQUENTIAL = "blues"
DIVERGING = "blueorange"
MISSING = "#D9D9D9"


def agency_colour(agency_id: str) -> str:
    """The colour of an agency (by its id in scenario.yaml)."""
    return AGENCY_COLOURS.get(agency_id, AGENCY_FALLBACK)


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 340},
            "title": {
                "fontSize": 17,
                "fontWeight": 600,
                "anchor": "start",
                "color": "#1B1F24",
                "subtitleFontSize": 13,
                "subtitleColor": "#4A5560",
                "offset": 10,
            },
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "titleFontWeight": 600,
                "labelColor": "#333",
                "titleColor": "#333",
                "gridColor": "#E6E9ED",
                "domainColor": "#8A949E",
                "tickColor": "#8A949E",
                "labelLimit": 260,
            },
            "legend": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "titleFontWeight": 600,
                "symbolSize": 120,
                "orient": "bottom",
                "direction": "horizontal",
            },
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "range": {"category": OKABE_ITO},
            "point": {"size": 70},
            "text": {"fontSize": 12},
        }
    }


@alt.theme.register("place_value", enable=True)
def place_value_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(_theme())


#: Fewest characters a line of attribution is wrapped to, however narrow the chart.
ATTRIBUTION_MIN_CHARS = 50


def attribute(chart: alt.TopLevelMixin, text: str, width: int | None = None) -> alt.TopLevelMixin:
    """Put the source and licence under a chart, so it travels with exports and screenshots.

    The text is wrapped to ``width`` (px, at about 6 px a character), else to the chart's own
    width when it states one, else at 120 characters. A faceted chart states none: pass the
    width its plot and the text beside it take, or the text runs past the chart."""
    width = width if width is not None else getattr(chart, "width", None)
    chars = max(ATTRIBUTION_MIN_CHARS, width // 6) if isinstance(width, int) else 120
    lines = [text] if len(text) <= chars else _wrap(text, chars)
    return alt.vconcat(
        chart,
        alt.Chart(alt.Data(values=[{}]))
        .mark_text(align="left", baseline="top", fontSize=11, color="#5A6570", lineHeight=14)
        .encode(text=alt.value(lines), x=alt.value(0), y=alt.value(0))
        .properties(height=14 * len(lines), width=1),
        spacing=6,
    ).configure_view(stroke=None)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return [*lines, cur] if cur else lines
