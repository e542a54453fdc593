"""Escaping text from data before it goes into markdown."""

from __future__ import annotations

import re

import pytest

from dashboard.formatting import WORD_JOINER, escape_markdown

ATTACKS = [
    "**x** [click](http://example.invalid) ![img](http://example.invalid/px.png)",
    "<img src=x onerror=alert(1)>",
    ":red[boo] :material/warning:",
    "# Heading\n- item\n1. first",
    "$x^2$ and `code` and ~~gone~~ and __under__",
    "see www.example.invalid or mail a@example.invalid or https://example.invalid",
    "| a | b |",
    "&amp; &lt;b&gt; &#58;",
    "1) first",
]


def _unescaped(text: str, chars: str) -> list[str]:
    """Characters of ``chars`` in ``text`` not preceded by a backslash."""
    return re.findall(r"(?<!\\)[" + re.escape(chars) + "]", text)


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_markdown_syntax_survives(attack: str) -> None:
    out = escape_markdown(attack)
    assert "\n" not in out
    assert _unescaped(out, "*_[]<>#!|~$:`@") == []
    assert "www." not in out.lower()
    assert not re.match(r"^\s*([-+]|\d+[.)])", out)


def test_ordinary_text_stays_readable() -> None:
    text = "Children's social care (£ per head), King's Lynn & West Norfolk - 2024-25. 12.5%"
    assert escape_markdown(text) == text


@pytest.mark.parametrize("attack", ATTACKS)
def test_escaping_keeps_every_character(attack: str) -> None:
    shown = escape_markdown(attack).replace("\\", "").replace(WORD_JOINER, "")
    assert shown == " ".join(attack.splitlines())


@pytest.mark.parametrize(
    "text",
    [
        "http://example.invalid",
        "HTTPS://example.invalid/x",
        "www.example.invalid",
        "_www.example.invalid",
        "a@example.invalid",
        ":material/warning:",
        ":streamlit:",
    ],
)
def test_autolinks_and_icons_are_broken(text: str) -> None:
    """The renderer makes links and icons after escapes are resolved (a backslash cannot stop
    them), so an invisible word joiner goes inside each pattern."""
    out = escape_markdown(text).replace("\\", "").lower()
    for pattern in ("http://", "https://", "www.", "a@", ":material/", ":streamlit"):
        assert pattern not in out
    assert out.replace(WORD_JOINER, "") == text.lower()


def test_list_marker_escapes_its_punctuation() -> None:
    """``1\\.`` shows "1."; ``\\1.`` would show the backslash."""
    assert escape_markdown("1. first") == "1\\. first"
    assert escape_markdown("12) x") == "12\\) x"
    assert escape_markdown("- item") == "\\- item"
    assert escape_markdown("12.5% of spend") == "12.5% of spend"


def test_entities_are_shown_as_typed() -> None:
    assert escape_markdown("&amp; & x") == "\\&amp; & x"


def test_non_text_is_shown_as_its_text() -> None:
    assert escape_markdown(None) == "None"
    assert escape_markdown(3) == "3"
