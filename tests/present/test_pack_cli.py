"""``python -m dashboard board-pack``: writes a place's pack as .pptx or .pdf, reopens a saved
deck (its order and notes), and refuses bad input with one line on stderr and exit code 1."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.cli import main
from dashboard.present.case import preset_scenario
from dashboard.present.kinds import DEFAULT_SLIDES, KINDS
from dashboard.present.model import Deck, SlideRef, deck_to_json
from dashboard.scenario import load_catalogue, scenario_to_json
from dashboard.store.scenarios import ScenarioStore

DEMO = read_bundle(DATA_DIR / "demo")
WIGAN = "E08000010"
ENGLAND = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
needs_england = pytest.mark.skipif(
    not (ENGLAND / "bundle.yaml").exists(),
    reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
)


def _titles(path: Path) -> list[str]:
    prs = Presentation(str(path))
    return [re.sub(r"\s+", " ", s.shapes.title.text) for s in prs.slides]


@pytest.fixture()
def store(tmp_path, monkeypatch) -> ScenarioStore:
    """A store on a temporary SQLite file, the one the command opens (PVE_DB_PATH)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PVE_DB_PATH", str(tmp_path / "pack.sqlite"))
    s = ScenarioStore()
    yield s
    s.close()


def test_writes_a_pptx_and_a_pdf_of_the_default_deck(tmp_path, capsys) -> None:
    place = DEMO.default_place("upper")
    for ext in ("pptx", "pdf"):
        out = tmp_path / f"pack.{ext}"
        assert main(["board-pack", "--dataset", "demo", "--place", place, "--out", str(out)]) == 0
        said = capsys.readouterr().out
        assert str(out) in said and f"{len(DEFAULT_SLIDES)} slides" in said
    prs = Presentation(str(tmp_path / "pack.pptx"))
    assert len(prs.slides) == len(DEFAULT_SLIDES)
    assert DEMO.place_name(place) in prs.slides[0].shapes.title.text
    pdf = PdfReader(str(tmp_path / "pack.pdf"))
    assert len(pdf.pages) == len(DEFAULT_SLIDES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "demo", "--place", "X06000024", "--out", "pack.docx"], r"\.pptx or \.pdf"),
        (["--dataset", "demo", "--place", "NOWHERE", "--out", "pack.pdf"], "is not a place"),
        (["--dataset", "atlantis", "--place", "X06000024", "--out", "pack.pdf"], "unknown dataset"),
        (["--dataset", "demo", "--out", "pack.pdf"], "--place is needed"),
        (
            ["--dataset", "demo", "--place", "X06000024", "--period", "1066", "--out", "a.pdf"],
            "not a period",
        ),
        (
            ["--dataset", "demo", "--place", "X06000024", "--group", "zz", "--out", "a.pdf"],
            "not a comparison group",
        ),
        (
            ["--dataset", "demo", "--place", "X06000024", "--deck", "feedbeef", "--out", "a.pdf"],
            "no saved deck",
        ),
        (
            ["--dataset", "demo", "--place", "X06000024", "--scenario", "feed", "--out", "a.pdf"],
            "no saved scenario",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(
    args, message, tmp_path, monkeypatch, capsys, store
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["board-pack", *args]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert err.startswith("error: ") and err.count("\n") == 1, "one line, no traceback"
    assert not list(tmp_path.glob("*.p*")), "nothing written"


def test_a_lower_tier_code_picks_the_lower_tier(tmp_path, capsys) -> None:
    lower_only = next(c for c in DEMO.place_codes("lower") if c not in DEMO.place_codes("upper"))
    out = tmp_path / "district.pptx"
    assert main(["board-pack", "--dataset", "demo", "--place", lower_only, "--out", str(out)]) == 0
    assert DEMO.place_name(lower_only) in _titles(out)[0]
    args = ["--dataset", "demo", "--place", lower_only, "--level", "upper", "--out", str(out)]
    assert main(["board-pack", *args]) == 1
    assert "upper-tier place" in capsys.readouterr().err


def test_a_saved_deck_keeps_its_order_and_notes(tmp_path, store) -> None:
    place = DEMO.default_place("upper")
    kinds = list(reversed(DEFAULT_SLIDES))
    deck = Deck(
        view={"dataset": "demo", "level": "upper", "place": place, "group": "region"},
        slides=tuple(SlideRef(k, note=f"Say this on {k}.") for k in kinds),
    )
    deck_id = store.save_deck("For the board", place, "demo", "tester", deck_to_json(deck))
    out = tmp_path / "deck.pptx"
    # no --place: the deck's view says which place
    assert main(["board-pack", "--dataset", "demo", "--deck", deck_id, "--out", str(out)]) == 0
    prs = Presentation(str(out))
    assert len(prs.slides) == len(kinds)
    assert prs.core_properties.title == "For the board"
    for slide, kind in zip(prs.slides, kinds, strict=True):
        assert f"Say this on {kind}." in slide.notes_slide.notes_text_frame.text
    titles = _titles(out)
    assert titles[0] == "Sources and method" and titles[-1].startswith(DEMO.place_name(place))
    assert KINDS[kinds[0]].label in titles[0]


def test_a_saved_scenario_is_read_from_the_store(tmp_path, store, capsys) -> None:
    place = DEMO.default_place("upper")
    scenario = preset_scenario(DEMO, place, catalogue=load_catalogue())
    sid = store.save("Ours", "", place, "demo", "tester", scenario_to_json(scenario))
    out = tmp_path / "s.pdf"
    args = ["--dataset", "demo", "--place", place, "--scenario", sid, "--out", str(out)]
    assert main(["board-pack", *args]) == 0
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == len(DEFAULT_SLIDES)


@needs_england
def test_england_pack_for_wigan(tmp_path) -> None:
    out = tmp_path / "wigan.pdf"
    assert main(["board-pack", "--dataset", "england", "--place", WIGAN, "--out", str(out)]) == 0
    pdf = PdfReader(str(out))
    assert len(pdf.pages) == len(DEFAULT_SLIDES)
    first = pdf.pages[0].extract_text()
    assert "Wigan" in first and "Open Government Licence" in re.sub(r"\s+", " ", first)
    assert "Fictional" not in first


def test_a_saved_deck_with_a_bad_view_is_refused_in_words(tmp_path, store, capsys) -> None:
    deck = Deck(view={"place": "X06000024", "level": "middle"}, slides=(SlideRef("title"),))
    deck_id = store.save_deck("Odd", "X06000024", "demo", "tester", deck_to_json(deck))
    args = ["--dataset", "demo", "--deck", deck_id, "--out", str(tmp_path / "a.pdf")]
    assert main(["board-pack", *args]) == 1
    assert "'middle' is not a tier" in capsys.readouterr().err


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    args = ["--dataset", "demo", "--place", "X06000024", "--deck", "abc"]
    assert main(["board-pack", *args, "--out", str(tmp_path / "a.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot open the database") and err.count("\n") == 1
