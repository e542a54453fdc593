"""The app's pages: one entry each, used by app.py's navigation and the Home page's guide."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    """One page. ``projector``: drawn for a projector (story mode), without the sidebar, the
    top navigation or the fictional-data banner (its slides say "Fictional data")."""

    path: str
    title: str
    icon: str
    url_path: str
    question: str
    projector: bool = False


PAGES: tuple[PageInfo, ...] = (
    PageInfo(
        "pages/home.py",
        "Home",
        ":material/home:",
        "home",
        "How does my place compare at a glance: spend, need and outcomes against similar places?",
    ),
    PageInfo(
        "pages/profile.py",
        "Profile",
        ":material/stacked_bar_chart:",
        "profile",
        "Where is my place better, similar or worse than its peers, on every indicator, and how has it moved?",
    ),
    PageInfo(
        "pages/value.py",
        "Value for money",
        ":material/balance:",
        "value",
        "Outcomes per pound, given need: better or worse than expected, and the efficiency frontier.",
    ),
    PageInfo(
        "pages/maps.py",
        "Maps",
        ":material/map:",
        "maps",
        "Where does each place stand on any indicator, and how does that change over time?",
    ),
    PageInfo(
        "pages/collective.py",
        "Public spend here",
        ":material/account_balance:",
        "collective",
        "What do the council, NHS, police, fire, DWP and voluntary sector spend here together?",
    ),
    PageInfo(
        "pages/scenario.py",
        "Scenarios",
        ":material/savings:",
        "scenario",
        "What if we invested in prevention? Projected outcomes, who pays and who benefits; compare and save.",
    ),
    PageInfo(
        "pages/data.py",
        "Data",
        ":material/dataset:",
        "data",
        "Where does every figure come from: sources, periods, units, licences, coverage; download the data.",
    ),
    PageInfo(
        "pages/layers.py",
        "Your data",
        ":material/upload_file:",
        "layers",
        "Add your own figures: newer local data and partners' spend, checked row by row, private to its link.",
    ),
    PageInfo(
        "pages/present.py",
        "Present",
        ":material/slideshow:",
        "present",
        "Story mode for the projector: the place's case slide by slide; edit, save and share the deck.",
        projector=True,
    ),
)
