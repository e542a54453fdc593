"""The corpus of bad links: every URL parameter the app reads (dataset, level, place, group,
period, custom, the Scenarios page's share link ``scenario``) and ones it does not, each refused
or trimmed with a note that names the parameter and quotes the value as text (escaped), while the
rest of the view opens on a valid bundle and place, within the AppTest timeout.

Each case runs the real app.py in AppTest (st.navigation mode, as a real server runs it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.bundle.limits import input_limit
from dashboard.bundle.schema import LEVELS
from dashboard.formatting import escape_markdown
from dashboard.ui.data import available_datasets, load_bundle
from dashboard.view import shown
from tests.app.conftest import APP, navigation_mode  # noqa: F401 - autouse fixture

#: Seconds one run may take: a rerun loop or a runaway value fails the case, never hangs it.
RUN_TIMEOUT_S = 30
#: A value that would be a link, an image and bold text if shown as markdown.
MARKDOWN = "**x** [click](http://example.invalid) ![img](http://example.invalid/px.png)"
HTML = '<img src="http://example.invalid/px.png" onerror="alert(1)">'
DIRECTIVE = ":red[alarm] :material/warning: $x^2$"
HEADING = "# Heading\n- item"

DEMO = load_bundle(available_datasets()["demo"])
UPPER = DEMO.place_codes("upper")
LOWER = DEMO.place_codes("lower")
LONG = "E" * 5000
#: A lower-tier place that is not an upper-tier one (a district).
DISTRICT = next(c for c in LOWER if c not in UPPER)


@dataclass(frozen=True)
class UrlCase:
    """A link: ``query`` (a list is a parameter given several times), the parameter a note
    must name, the values it must quote, and the page it opens on."""

    id: str
    query: dict
    param: str
    quoted: tuple[str, ...] = ()
    page: str | None = None
    where: str = "warning"  # "error" for the Scenarios page's own refusal of a share link
    extra: dict = field(default_factory=dict)


def _q(**kw) -> dict:
    return {"dataset": "demo", **kw}


CASES: list[UrlCase] = [
    # dataset
    UrlCase("dataset-unknown", {"dataset": "nosuch"}, "dataset", ("nosuch",)),
    UrlCase("dataset-markdown", {"dataset": MARKDOWN}, "dataset", (MARKDOWN,)),
    UrlCase("dataset-html", {"dataset": HTML}, "dataset", (HTML,)),
    UrlCase("dataset-empty", {"dataset": ""}, "dataset", ("",)),
    UrlCase("dataset-too-long", {"dataset": "d" * 5000}, "dataset", ("d" * 5000,)),
    UrlCase("dataset-twice", {"dataset": ["demo", "england"]}, "dataset", ("demo", "england")),
    UrlCase("dataset-case", {"dataset": "DEMO"}, "dataset", ("DEMO",)),
    # level
    UrlCase("level-unknown", _q(level="middle"), "level", ("middle",)),
    UrlCase("level-case", _q(level="UPPER"), "level", ("UPPER",)),
    UrlCase("level-markdown", _q(level=MARKDOWN), "level", (MARKDOWN,)),
    UrlCase("level-too-long", _q(level="u" * 300), "level", ("u" * 300,)),
    UrlCase("level-twice", _q(level=["upper", "lower"]), "level", ("upper", "lower")),
    # place
    UrlCase("place-unknown", _q(place="E99999999"), "place", ("E99999999",)),
    UrlCase("place-markdown", _q(place=MARKDOWN), "place", (MARKDOWN,)),
    UrlCase("place-html", _q(place=HTML), "place", (HTML,)),
    UrlCase("place-directive", _q(place=DIRECTIVE), "place", (DIRECTIVE,)),
    UrlCase("place-heading-newline", _q(place=HEADING), "place", (HEADING,)),
    UrlCase("place-wrong-tier", _q(level="upper", place=DISTRICT), "place", (DISTRICT,)),
    UrlCase("place-too-long", _q(place=LONG), "place", (LONG,)),
    UrlCase("place-twice", _q(place=[UPPER[1], UPPER[2]]), "place", (UPPER[1], UPPER[2])),
    UrlCase("place-control-chars", _q(place="E06\x07\x1b[31m"), "place", ("E06\x07\x1b[31m",)),
    UrlCase("place-unicode", _q(place="E06\u202e000001 ✓"), "place", ("E06\u202e000001 ✓",)),
    # group
    UrlCase("group-unknown", _q(group="friends"), "group", ("friends",)),
    UrlCase("group-directive", _q(group=DIRECTIVE), "group", (DIRECTIVE,)),
    UrlCase("group-too-long", _q(group="g" * 1000), "group", ("g" * 1000,)),
    UrlCase("group-twice", _q(group=["region", "kind"]), "group", ("region", "kind")),
    # period
    UrlCase("period-unknown", _q(period="1066-67"), "period", ("1066-67",)),
    UrlCase("period-maths", _q(period="$\\frac{1}{0}$"), "period", ("$\\frac{1}{0}$",)),
    UrlCase("period-too-long", _q(period="2" * 400), "period", ("2" * 400,)),
    UrlCase("period-twice", _q(period=list(DEMO.periods[:2])), "period", tuple(DEMO.periods[:2])),
    # prices (cash or real terms)
    UrlCase("prices-unknown", _q(prices="nominal"), "prices", ("nominal",)),
    UrlCase("prices-markdown", _q(prices=MARKDOWN), "prices", (MARKDOWN,)),
    UrlCase("prices-twice", _q(prices=["real", "cash"]), "prices", ("real", "cash")),
    # custom
    UrlCase(
        "custom-20000-copies",
        _q(group="custom", custom=",".join([UPPER[3]] * 20_000)),
        "custom",
        (",".join([UPPER[3]] * 20_000),),
    ),
    UrlCase(
        "custom-duplicates",
        _q(group="custom", custom=",".join([UPPER[3], UPPER[4], UPPER[3], UPPER[3]])),
        "custom",
        (UPPER[3],),
        extra={"custom": (UPPER[3], UPPER[4])},
    ),
    UrlCase(
        "custom-unknown-codes",
        _q(group="custom", custom=f"{UPPER[3]},E99999999,X1"),
        "custom",
        ("E99999999", "X1"),
        extra={"custom": (UPPER[3],)},
    ),
    UrlCase(
        "custom-markdown-code",
        _q(group="custom", custom=f"{UPPER[3]},{MARKDOWN.replace(',', ' ')}"),
        "custom",
        (MARKDOWN.replace(",", " "),),
        extra={"custom": (UPPER[3],)},
    ),
    UrlCase(
        "custom-includes-the-place",
        _q(group="custom", place=UPPER[2], custom=f"{UPPER[2]},{UPPER[5]}"),
        "custom",
        extra={"custom": (UPPER[5],)},
    ),
    UrlCase(
        "custom-without-custom-group",
        _q(group="region", custom=f"{UPPER[3]},{UPPER[4]}"),
        "custom",
        extra={"custom": ()},
    ),
    UrlCase("custom-twice", _q(group="custom", custom=[UPPER[3], UPPER[4]]), "custom"),
    # the share link (?scenario=) and the page it belongs to
    UrlCase(
        "scenario-unknown-id",
        _q(scenario="nosuchid0000"),
        "scenario",
        ("nosuchid0000",),
        page="pages/scenario.py",
        where="error",
    ),
    UrlCase(
        "scenario-markdown",
        _q(scenario=MARKDOWN),
        "scenario",
        (MARKDOWN,),
        page="pages/scenario.py",
    ),
    UrlCase("scenario-html", _q(scenario=HTML), "scenario", (HTML,), page="pages/scenario.py"),
    UrlCase("scenario-path", _q(scenario="../../etc/passwd"), "scenario", ("../../etc/passwd",)),
    UrlCase("scenario-too-long", _q(scenario="a" * 5000), "scenario", ("a" * 5000,)),
    UrlCase("scenario-twice", _q(scenario=["abc", "def"]), "scenario", ("abc", "def")),
    UrlCase("scenario-sql", _q(scenario="1' OR '1'='1"), "scenario", ("1' OR '1'='1",)),
    # parameters the app does not read
    UrlCase("unknown-key", _q(foo="bar"), "foo"),
    UrlCase("unknown-key-markdown", _q(**{MARKDOWN: "1"}), MARKDOWN),
    UrlCase("unknown-keys-many", _q(**{f"k{i}": "v" for i in range(200)}), "k0"),
    # other pages show the same notes
    UrlCase("profile-place", _q(place=MARKDOWN), "place", (MARKDOWN,), page="pages/profile.py"),
    UrlCase("value-period", _q(period=HTML), "period", (HTML,), page="pages/value.py"),
    UrlCase("data-group", _q(group=MARKDOWN), "group", (MARKDOWN,), page="pages/data.py"),
    # several at once: each noted, the rest of the view kept
    UrlCase(
        "several-at-once",
        _q(level="lower", place=MARKDOWN, period="1999-00", group=HTML),
        "place",
        (MARKDOWN,),
        extra={"level": "lower", "also": ("period", "group")},
    ),
]

READ = ("dataset", "level", "place", "group", "period", "custom", "scenario", "prices")
_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
_TAG = re.compile(r"(?<!\\)<[A-Za-z/!]")
_DIRECTIVE = re.compile(r"(?<!\\):[a-z]+(?<!\\)\[")


def run(case: UrlCase) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    for k, v in case.query.items():
        at.query_params[k] = v
    if case.page:
        at.switch_page(case.page)
    at.run()
    return at


def notes(at: AppTest, where: str) -> list[str]:
    return [w.value for w in (at.error if where == "error" else at.warning)]


def url(at: AppTest) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def assert_safe(text: str) -> None:
    """Nothing in a note is live markdown that could come from input: no link, image, tag or
    colour directive (our own **bold** parameter names are the only markup)."""
    assert not _LINK.search(text), text
    assert not _TAG.search(text), text
    assert not _DIRECTIVE.search(text), text
    assert "\n" not in text, text


def assert_valid_view(at: AppTest) -> None:
    ss = at.session_state
    paths = available_datasets()
    assert ss["w_dataset"] in paths
    bundle = load_bundle(paths[ss["w_dataset"]])
    assert ss["w_level"] in LEVELS
    codes = bundle.place_codes(ss["w_level"])
    assert ss["w_place"] in codes
    assert ss["w_period"] in bundle.periods
    custom = list(ss["w_custom"]) if "w_custom" in ss else []
    assert len(custom) == len(set(custom)) and set(custom) <= set(codes) - {ss["w_place"]}
    assert at.title, "the page still draws"


def test_corpus_size_and_coverage() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    params = {c.param for c in CASES}
    assert {
        "dataset",
        "level",
        "place",
        "group",
        "period",
        "custom",
        "scenario",
        "prices",
    } <= params


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_link_is_refused_with_a_note(case: UrlCase) -> None:
    at = run(case)
    assert not at.exception, [e.value for e in at.exception]
    assert_valid_view(at)
    found = notes(at, case.where)
    # the note names a parameter the app reads in bold, one it does not read quoted (escaped)
    name = f"**{case.param}**" if case.param in READ else shown(case.param)
    mine = [n for n in found if name in n]
    assert mine, (name, found)
    for text in found:
        assert_safe(text)
    for value in case.quoted:
        assert any(shown(value) in n for n in mine), (shown(value), mine)
    written = url(at)
    # nothing silently accepted: a refused value is not written back into the URL
    raw = case.query.get(case.param)
    if isinstance(raw, str) and case.param != "custom" and not case.extra:
        assert written.get(case.param) != raw, written
    if case.param not in case.query or isinstance(raw, list):
        assert written.get(case.param) != raw
    if "custom" in case.extra:
        assert tuple(at.session_state["w_custom"]) == case.extra["custom"]
        got = written.get("custom", "")
        assert tuple(c for c in got.split(",") if c) == case.extra["custom"]
    if "level" in case.extra:
        assert at.session_state["w_level"] == case.extra["level"]
    for other in case.extra.get("also", ()):
        assert any(f"**{other}**" in n for n in found), (other, found)
    assert len(written.get("custom", "")) <= input_limit("url", "custom_max_chars")


def test_many_unknown_keys_are_listed_in_one_bounded_note() -> None:
    case = next(c for c in CASES if c.id == "unknown-keys-many")
    at = run(case)
    listed = [n for n in notes(at, "warning") if "does not read" in n]
    assert len(listed) == 1
    most = input_limit("url", "max_keys")
    assert f"and {200 - most} more" in listed[0]
    assert not any(k.startswith("k") for k in url(at))


def test_a_good_link_has_no_note() -> None:
    query = _q(level="upper", place=UPPER[2], group="custom", custom=f"{UPPER[3]},{UPPER[4]}")
    at = run(UrlCase("good", query, "place"))
    assert not at.exception
    assert not [n for n in notes(at, "warning") if "Link parameter" in n]
    assert url(at) == {**query, "period": DEMO.periods[-1]}


def test_the_quoted_value_is_cut_and_escaped() -> None:
    text = shown(MARKDOWN * 10)
    limit = input_limit("url", "shown_max_chars")
    assert text == "'" + escape_markdown((MARKDOWN * 10)[:limit] + "…") + "'"
    assert_safe(text)
