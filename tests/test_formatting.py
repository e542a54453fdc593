"""Escaping text from data before it goes into markdown."""

from __future__ import annotations

import re

import pytest

from dashboard.formatting import escape_markdown

ATTACKS = [
    "**x** [click](http://example.invalid) ![img](http://example.invalid/px.png)",
    "<img src=x onerror=alert(1)>",
    ":red[boo] :material/warning:",
    "# Heading\n- item\n1. first",
    "$x^2$ and `code` and ~~gone~~ and __under__",
    "see www.example.invalid or mail a@example.invalid or https://example.invalid",
    "| a | b |",
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


def test_escaping_keeps_every_character() -> None:
    attack = ATTACKS[0]
    assert escape_markdown(attack).replace("\\", "") == attack


def test_non_text_is_shown_as_its_text() -> None:
    assert escape_markdown(None) == "None"
    assert escape_markdown(3) == "3"
