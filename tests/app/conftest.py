"""AppTest helpers: run the real app.py with its navigation, on a chosen dataset."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR, PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
#: The longest one script run may take (s): a limit, not a wait (a run returns as soon as it
#: ends), generous because the machine the suite runs on may be busy.
TIMEOUT = float(os.environ.get("PVE_APPTEST_TIMEOUT_S", "180"))


def england_built() -> bool:
    return (Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england")) / "bundle.yaml").exists()


DATASETS = [
    "demo",
    pytest.param(
        "england",
        marks=pytest.mark.skipif(
            not england_built(),
            reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
        ),
    ),
]


def start(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    """Run the app once (optionally with a query string and on a given page)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def widget(at: AppTest, label: str):
    """The sidebar or main widget with this label."""
    for kind in ("selectbox", "radio", "multiselect", "text_input"):
        for w in getattr(at, kind):
            if w.label == label:
                return w
    raise LookupError(label)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest resets Streamlit to the legacy pages-folder mode before every run, so a page
    would run once on its own and then again through app.py (see dashboard.ui.context), and a
    button clicked in the first pass would be lost. Keep st.navigation mode, as a real server
    does after its first run. (The legacy first request is covered by a browser test.)"""
    init = PagesManager.__init__

    def patched(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", patched)


@pytest.fixture
def extra_bundles(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    def add(pairs: dict[str, Path]) -> None:
        monkeypatch.setenv("PVE_EXTRA_BUNDLES", ";".join(f"{k}={v}" for k, v in pairs.items()))

    yield add
