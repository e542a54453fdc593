"""The Scenarios page's session state: every key in one typed object, read and written here.

A widget's key is also what AppTest and the browser tests find it by: change a name here and
nowhere else. Keys that belong to one intervention are methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st


@dataclass(frozen=True)
class ScenarioKeys:
    """Session-state keys of the Scenarios page (all start with ``sc_``)."""

    preset: str = "sc_preset"
    horizon: str = "sc_horizon"
    cut: str = "sc_cut"
    interventions: str = "sc_ivs"
    overrides: str = "sc_overrides"
    place_for: str = "sc_for"
    ranges: str = "sc_ranges"
    pending: str = "sc_pending"
    opened: str = "sc_opened"
    error: str = "sc_error"
    loaded: str = "sc_loaded"
    load_notes: str = "sc_load_notes"
    refused: str = "sc_refused"
    tab: str = "sc_tab"
    outcome: str = "sc_outcome"
    opt_all: str = "sc_opt_all"
    use_best: str = "sc_use_best"
    compare: str = "sc_compare"
    compare_outcome: str = "sc_compare_outcome"
    how: str = "sc_how"
    save_form: str = "sc_save_form"
    save_name: str = "sc_save_name"
    save_desc: str = "sc_save_desc"
    save_author: str = "sc_save_author"
    saved_id: str = "sc_saved_id"
    open_pick: str = "sc_open_pick"
    open: str = "sc_open"

    def budget(self, iid: str) -> str:
        """An intervention's budget slider (£ thousand a year)."""
        return f"sc_b_{iid}"

    def budget_top(self, iid: str) -> str:
        """The top of an intervention's budget slider (£ thousand a year)."""
        return f"sc_bx_{iid}"

    def popover(self, iid: str) -> str:
        return f"sc_pop_{iid}"

    def override_pick(self, iid: str) -> str:
        return f"sc_op_{iid}"

    def override_value(self, iid: str) -> str:
        return f"sc_ov_{iid}"

    def override_apply(self, iid: str) -> str:
        return f"sc_oa_{iid}"

    def override_reset(self, iid: str) -> str:
        return f"sc_or_{iid}"

    def opt_budget(self, total_k: int) -> str:
        """The best-split budget box, one per total (so it follows the sliders)."""
        return f"sc_opt_budget_{total_k}"


SC = ScenarioKeys()


class ScenarioControls:
    """Typed reads and writes of the page's session state (one place for every key)."""

    keys = SC

    @property
    def _ss(self) -> Any:
        return st.session_state

    def get(self, key: str, default: Any = None) -> Any:
        return self._ss.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._ss[key] = value

    def pop(self, key: str, default: Any = None) -> Any:
        return self._ss.pop(key, default)

    def setdefault(self, key: str, value: Any) -> Any:
        return self._ss.setdefault(key, value)

    # --- typed views of the main controls ---------------------------------------------------
    @property
    def interventions(self) -> list[str]:
        return list(self.get(SC.interventions, []))

    @property
    def overrides(self) -> dict[str, float]:
        return dict(self.get(SC.overrides, {}))

    @overrides.setter
    def overrides(self, value: Mapping[str, float]) -> None:
        self.set(SC.overrides, dict(value))

    def budget_k(self, iid: str) -> float:
        """The budget slider of ``iid`` (£ thousand a year)."""
        return float(self.get(SC.budget(iid), 0.0))

    def horizon(self, default: int) -> int:
        return int(self.get(SC.horizon, default))

    @property
    def cut_share(self) -> float:
        """The prevention cut slider as a share a year (the slider is in %)."""
        return float(self.get(SC.cut, 0)) / 100.0


CONTROLS = ScenarioControls()
