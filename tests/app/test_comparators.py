"""Official comparator sets in the app: offered in the sidebar, followed by the pages, and set
beside ours on the Profile's neighbours tab with the overlap in words."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.peers import peer_spec

from .conftest import england_built, no_exception, start, widget

PAGE = "pages/profile.py"
NEEDS_ENGLAND = pytest.mark.skipif(not england_built(), reason="England bundle not built")


def heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("##### How"))


def neighbours_tab(at: AppTest) -> AppTest:
    at.session_state["profile_tab"] = "Statistical neighbours"
    return at.run()


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.info])


def test_the_demo_offers_its_fictional_set_and_the_group_follows_it() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    no_exception(at)
    group = widget(at, "Compare with")
    assert "demo_fictional" in group.options or any("Fictional" in o for o in group.options)
    n = peer_spec("upper").n_peers
    assert heading(at).endswith(f"({n})")
    group.set_value("demo_fictional")
    at.run()
    no_exception(at)
    assert "Fictional Statistics Office neighbours" in heading(at)
    assert heading(at).endswith("(10)"), "the comparison group has the set's 10 members"
    assert at.query_params["group"] in ("demo_fictional", ["demo_fictional"])


def test_the_neighbours_tab_shows_the_overlap_sentence_on_the_demo() -> None:
    at = neighbours_tab(start({"dataset": "demo"}, page=PAGE))
    no_exception(at)
    text = texts(at)
    m = re.search(
        r"\*\*(\d+) of our (\d+)\*\* statistical neighbours of .+? are also in the "
        r"Fictional Statistics Office neighbours",
        text,
    )
    assert m, text[:500]
    assert int(m.group(2)) == peer_spec("upper").n_peers and int(m.group(1)) <= 10
    assert "Only in ours" in text and "Only in theirs" in text
    assert "Why ours differs" in text and "Their method" in text
    assert "Overlap across every place of each tier" in text
    # the side-by-side table: our list and theirs, each marked where the other has it
    side = next(d.value for d in at.dataframe if "also theirs" in d.value.columns)
    assert side["also theirs"].sum() == int(m.group(1)) == side["also ours"].sum()


@NEEDS_ENGLAND
def test_england_kent_against_ons_and_dfe() -> None:
    at = start({"dataset": "england", "place": "E10000016", "group": "ons_2025"}, page=PAGE)
    no_exception(at)
    assert not at.warning or all("group" not in w.value for w in at.warning)
    assert "ONS nearest neighbours of October 2025 (15)" in heading(at)
    at = neighbours_tab(at)
    no_exception(at)
    text = texts(at)
    assert re.search(
        r"\*\*\d+ of our 15\*\* statistical neighbours of Kent are also in the "
        r"ONS nearest neighbours of October 2025 \(15 places\)",
        text,
    )
    assert re.search(r"are also in the DfE statistical neighbours of May 2025 \(10 places\)", text)
    assert "Office for National Statistics" in text and "Department for Education" in text
