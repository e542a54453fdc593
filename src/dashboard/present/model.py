"""A deck: the slides a presenter shows, as saved (:class:`Deck`, a list of :class:`SlideRef`)
and as drawn (:class:`Slide`, built from the data by dashboard.present.kinds).

Pure code. A saved deck is JSON: the view it was made on (the app's query parameters), the
saved scenario it shows (optional) and its slides in order, each a kind, the settings that kind
reads and the presenter's note. Everything read back is checked and bounded (limits.yaml
``deck``): a deck that breaks the rules is refused with a :class:`DeckError` that says where.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.bundle.limits import input_limit

DECK_VERSION = 1


class DeckError(ValueError):
    """A deck refused: ``where`` names the part (e.g. "slide 3, note")."""

    def __init__(self, message: str, *, where: str = "") -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Figure:
    """A headline figure on a slide: its label, the value as text and a line under it."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Slide:
    """One slide as drawn: plain text throughout (never markdown or HTML).

    ``chart`` is a Vega-Lite spec with its data inline, sized for a projector
    (present.projector); ``table`` a small table shown instead of (or beside) a chart;
    ``figures`` headline figures; ``bullets`` lines of text (title and sources slides).
    ``alt`` describes the chart or table in words (its alt text); ``method`` the method and
    caveats (speaker notes in the board pack); ``caveat`` a warning that the evidence is weak,
    shown on the slide itself; ``attribution`` source and licence, on every slide."""

    kind: str
    title: str
    message: str
    attribution: str
    chart: dict[str, Any] | None = None
    table: pd.DataFrame | None = None
    figures: tuple[Figure, ...] = ()
    bullets: tuple[str, ...] = ()
    alt: str = ""
    method: str = ""
    caveat: str = ""
    note: str = ""
    fictional: bool = False

    @property
    def has_content(self) -> bool:
        """True when the slide shows a chart, a table or figures (a content slide)."""
        return self.chart is not None or self.table is not None or bool(self.figures)


@dataclass(frozen=True)
class SlideRef:
    """One slide as saved: its kind, the settings it reads (text to text) and the note."""

    kind: str
    params: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Deck:
    """A saved deck: the view's query parameters, the scenario id (or "") and the slides."""

    view: dict[str, str]
    slides: tuple[SlideRef, ...]
    scenario_id: str = ""


def _limit(key: str) -> int:
    return int(input_limit("deck", key))


def _text(
    value: object, where: str, key: str, *, required: bool = False, numbers: bool = False
) -> str:
    """``value`` as text within limits.yaml ``deck.<key>``; a number is accepted (as text)
    only when ``numbers`` (a slide's settings)."""
    if value is None:
        value = ""
    allowed = (str, int, float) if numbers else (str,)
    if not isinstance(value, allowed) or isinstance(value, bool):
        raise DeckError("is not text", where=where)
    text = str(value)
    limit = _limit(key)
    if len(text) > limit:
        raise DeckError(f"is longer than {limit:,} characters", where=where)
    if required and not text.strip():
        raise DeckError("is needed", where=where)
    return text


def deck_to_json(deck: Deck) -> str:
    """The deck as JSON text (checked first: see :func:`deck_from_json`)."""
    check_deck(deck)
    return json.dumps(
        {
            "version": DECK_VERSION,
            "view": dict(deck.view),
            "scenario_id": deck.scenario_id,
            "slides": [
                {"kind": s.kind, "params": dict(s.params), "note": s.note} for s in deck.slides
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def check_deck(deck: Deck, kinds: frozenset[str] | None = None) -> Deck:
    """Raise DeckError unless ``deck`` keeps limits.yaml's ``deck`` rules (and, when given,
    every slide's kind is one of ``kinds``); return it."""
    most = _limit("max_slides")
    if not deck.slides:
        raise DeckError("has no slides", where="deck")
    if len(deck.slides) > most:
        raise DeckError(f"has {len(deck.slides)} slides (at most {most})", where="deck")
    for key, value in deck.view.items():
        _text(key, "view", "key_max_chars", required=True)
        _text(value, f"view, {key}", "value_max_chars")
    _text(deck.scenario_id, "scenario_id", "key_max_chars")
    for i, s in enumerate(deck.slides, start=1):
        _text(s.kind, f"slide {i}, kind", "key_max_chars", required=True)
        if kinds is not None and s.kind not in kinds:
            raise DeckError(
                f"'{s.kind[:40]}' is not a kind of slide this app draws", where=f"slide {i}"
            )
        _text(s.note, f"slide {i}, note", "note_max_chars")
        for key, value in s.params.items():
            _text(key, f"slide {i}, settings", "key_max_chars", required=True)
            _text(value, f"slide {i}, {key}", "value_max_chars")
    return deck


def deck_from_json(text: str, kinds: frozenset[str] | None = None) -> Deck:
    """The deck in ``text`` (JSON from :func:`deck_to_json`), checked; DeckError when it is
    not one."""
    most = _limit("json_max_chars")
    if len(text) > most:
        raise DeckError(f"is {len(text):,} characters long (at most {most:,})", where="deck")
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise DeckError(f"is not JSON ({exc.__class__.__name__})", where="deck") from None
    if not isinstance(raw, dict):
        raise DeckError("is not a JSON object", where="deck")
    if raw.get("version") != DECK_VERSION:
        raise DeckError(
            f"has version {str(raw.get('version'))[:20]!r}, not {DECK_VERSION}", where="deck"
        )
    view = raw.get("view", {})
    slides = raw.get("slides", [])
    if not isinstance(view, dict):
        raise DeckError("is not an object", where="view")
    if not isinstance(slides, list):
        raise DeckError("is not a list", where="slides")
    refs = []
    for i, s in enumerate(slides, start=1):
        if not isinstance(s, dict):
            raise DeckError("is not an object", where=f"slide {i}")
        params = s.get("params", {})
        if not isinstance(params, dict):
            raise DeckError("is not an object", where=f"slide {i}, settings")
        refs.append(
            SlideRef(
                kind=_text(s.get("kind"), f"slide {i}, kind", "key_max_chars", required=True),
                params={
                    _text(k, f"slide {i}, settings", "key_max_chars"): _text(
                        v, f"slide {i}, {str(k)[:40]}", "value_max_chars", numbers=True
                    )
                    for k, v in params.items()
                },
                note=_text(s.get("note", ""), f"slide {i}, note", "note_max_chars"),
            )
        )
    deck = Deck(
        view={
            _text(k, "view", "key_max_chars"): _text(v, f"view, {str(k)[:40]}", "value_max_chars")
            for k, v in view.items()
        },
        slides=tuple(refs),
        scenario_id=_text(raw.get("scenario_id", ""), "scenario_id", "key_max_chars"),
    )
    return check_deck(deck, kinds)
