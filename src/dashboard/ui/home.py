"""The Home page's view model: the place picker, the place's line and the headline cards as
ready text (from analysis.summary's cards). Text from the bundle (names, regions, labels,
periods, sources, statuses) is escaped where it goes into markdown; the picker's labels are
plain text and left as they are."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.analysis.periods import period_note
from dashboard.analysis.prices import (
    CASH,
    axis_label,
    is_money,
    missing_index_text,
    price_factor,
    prices_label,
)
from dashboard.analysis.summary import Card, headline_cards
from dashboard.bundle import Bundle
from dashboard.formatting import escape_markdown, format_difference, format_value
from dashboard.ui.cached import per_view
from dashboard.ui.state import Context

#: Streamlit markdown for each verdict, as it reads in "... the group".
VERDICT = {
    "better": ":blue[**better than**]",
    "worse": ":orange[**worse than**]",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
}
#: Cards per row.
CARDS_PER_ROW = 3


@dataclass(frozen=True)
class CardView:
    """One headline card: metric label, value and delta as text, help and caption."""

    label: str
    value: str
    delta: str | None
    help: str
    caption: str


@dataclass(frozen=True)
class HomeView:
    codes: tuple[str, ...]
    index: int
    labels: dict[str, str]  # code -> "Name (code)" for the picker (plain text)
    name: str  # markdown (escaped)
    caption: str  # markdown (escaped)
    rows: tuple[tuple[CardView, ...], ...]  # cards, CARDS_PER_ROW to a row


def _card(card: Card, chosen: str, bundle: Bundle | None = None, prices: str = CASH) -> CardView:
    """One card's text; money at the price basis ``prices`` (the factor of the card's own
    period, so judgements are unchanged) with the basis in its help and caption; the card's
    period is said when it is not the ``chosen`` one."""
    j = card.judgement
    period = escape_markdown(card.period)
    when = period_note(card.period, chosen)
    money = is_money(card.unit) and bundle is not None
    factor = price_factor(bundle, card.period, prices) if money else 1.0
    basis = f" Money: {escape_markdown(prices_label(bundle, prices))}." if money and bundle else ""
    help_text = (
        f"Group median {format_value(j.benchmark * factor, card.unit)} (n={j.n}). "
        f"Judged by {j.method}. Period {period}.{basis} Source: {escape_markdown(card.source)}."
    )
    verdict = VERDICT.get(j.verdict)
    if math.isnan(card.value):
        caption = (
            f"No {period} value ({escape_markdown(card.status or 'missing')} in the source); "
            "an earlier period in the sidebar may have one. See the Data page's notes."
        )
    else:
        judged = f"{verdict} the group" if verdict else f"not judged: {j.method}"
        caption = f"{judged} · {escape_markdown(when)}" if when else judged
        if money and bundle is not None:
            caption += f" · {escape_markdown(axis_label(bundle, prices))}"
    if money and math.isnan(factor):
        caption = escape_markdown(missing_index_text(card.period)).capitalize() + "."
    return CardView(
        label=escape_markdown(card.label),
        value=format_value(card.value * factor, card.unit, compact=True),
        delta=None
        if j.verdict == ""
        else f"{format_difference(card.difference * factor, card.unit)} vs median",
        help=help_text,
        caption=caption,
    )


@per_view
def home_view(ctx: Context) -> HomeView:
    """Everything the Home page shows for the view's place and comparison group (built once
    per view and shared by every session)."""
    view, bundle = ctx.view, ctx.bundle
    codes = tuple(bundle.place_codes(view.level))
    labels = {c: f"{bundle.place_name(c)} ({c})" for c in codes}
    me = bundle.place(view.place)
    kind = me["kind"].replace("_", " ")
    caption = (
        f"{kind.capitalize()} council · {escape_markdown(me['region_name'])} · {view.level} tier"
        f" · compared with {escape_markdown(ctx.group_text)} · {escape_markdown(view.period)}"
    )
    cards = [
        _card(c, view.period, bundle, view.prices)
        for c in headline_cards(bundle, view.place, view.level, ctx.group, view.period)
    ]
    rows = tuple(tuple(cards[i : i + CARDS_PER_ROW]) for i in range(0, len(cards), CARDS_PER_ROW))
    name = escape_markdown(bundle.place_name(view.place))
    return HomeView(codes, codes.index(view.place), labels, name, caption, rows)
