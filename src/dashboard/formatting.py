"""Numbers in words a director reads: units, signs and missing values."""

from __future__ import annotations

import math
import re

from dashboard.bundle.schema import MONEY_UNITS, UNITS

_PREFIX_GBP = set(MONEY_UNITS)
#: Words after the amount of a per-person money unit (dropped by ``compact`` for per head only).
_GBP_SUFFIX = {
    "gbp_thousands": "k",
    "gbp_per_child": " per child",
    "gbp_per_person_65_plus": " per resident aged 65+",
}


def unit_label(unit: str) -> str:
    """Short unit label for axes and legends, e.g. 'gbp_per_head' -> '£ per head'."""
    return UNITS.get(unit, (unit, ""))[0]


def format_value(
    value: float | None, unit: str, *, signed: bool = False, compact: bool = False
) -> str:
    """Format a value with its unit: 1234.5 'gbp_per_head' -> '£1,235 per head'.

    ``compact`` drops "per head" (for cards whose label already says it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    spec = UNITS.get(unit, ("", ",.2f"))[1].replace(",", ",")
    sign = "+" if signed and value > 0 else ""
    if unit in _PREFIX_GBP:
        neg = "-" if value < 0 else sign
        body = f"£{abs(value):{spec}}"
        suffix = (
            " per head" if unit == "gbp_per_head" and not compact else _GBP_SUFFIX.get(unit, "")
        )
        return f"{neg}{body}{suffix}"
    text = f"{sign}{value:{spec}}"
    if unit == "percent":
        return f"{text}%"
    if unit in ("score", "ratio", "ordinal", "rank", "count"):
        return text
    return f"{text} {unit_label(unit)}"


def format_difference(diff: float, unit: str) -> str:
    """A signed difference; percentages become percentage points."""
    if unit == "percent":
        if math.isnan(diff):
            return "no value"
        return f"{diff:+.1f} pts"
    return format_value(diff, unit, signed=True)


def format_gbp(value: float | None, *, signed: bool = False, words: bool = False) -> str:
    """Money in £ for a headline: £5.6m, £850k, -£1.2bn; ``words`` gives "£189.1 million".

    The one money formatter of the app (value in £; "n/a" when missing or not finite)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    v = abs(value)
    if words:
        body = f"£{v / 1e6:,.1f} million" if v >= 1e6 else f"£{v:,.0f}"
    elif v >= 1e9:
        body = f"£{v / 1e9:,.2f}bn"
    elif v >= 1e6:
        body = f"£{v / 1e6:,.1f}m"
    elif v >= 1e3:
        body = f"£{v / 1e3:,.0f}k"
    else:
        body = f"£{v:,.0f}"
    return sign + body


#: Characters that start markdown, HTML or Streamlit syntax (emphasis, code, links and images,
#: headings, tables, strikethrough, maths, colour and icon directives, autolinked e-mails, HTML).
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#!|~$:@{}")
_ESCAPES = str.maketrans({ch: "\\" + ch for ch in _MARKDOWN_SPECIAL})
#: A list or heading marker at the start: the marker's punctuation is escaped ("1\\." not "\\1.").
_LEADING_MARKER = re.compile(r"^(\s*)(\d+(?=[.)])|(?=[-+=]))(.)(?=\s|$)")
#: An HTML entity (``&amp;``, ``&#58;``) would show as the character it stands for.
_ENTITY = re.compile(r"&(?=#?\w+;)")
#: The markdown renderer turns ``http://``, ``www.`` and ``name@host`` into links, and
#: ``:material/x:`` into an icon, after escapes are resolved: a backslash cannot stop them. An
#: invisible word joiner (U+2060) inside each breaks the pattern and renders as nothing.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(
    r"(?i)(?<=http)(?=://)|(?<=https)(?=://)|(?<=www)(?=\.)|(?=@)|(?<=:)(?=material/|streamlit:)"
)


def escape_markdown(text: object) -> str:
    """Text from data, the URL or a saved record, made safe to put inside markdown.

    The result renders as the same characters: no emphasis, link, image, heading, list, HTML tag,
    entity, maths, autolink, icon or ``:colour[...]`` directive can come from it. Line breaks
    become spaces; autolinks and icons are broken by an invisible ``WORD_JOINER``. Ordinary
    punctuation (apostrophes, hyphens, brackets, full stops, ampersands) is left as it is."""
    flat = _AUTOLINK.sub(WORD_JOINER, " ".join(str(text).splitlines()))
    body = flat.translate(_ESCAPES)
    body = _ENTITY.sub(r"\\&", body)
    return _LEADING_MARKER.sub(r"\1\2\\\3", body)
