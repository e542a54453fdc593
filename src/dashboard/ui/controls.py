"""Session-state keys, one typed object per page (and one for the shared sidebar).

A widget's key is also what AppTest and the browser tests find it by, and some keys (the
sidebar's) are mirrored in the URL: change a name here and nowhere else. Keys that depend on
the choice (level, service, outcome, map slot) are methods, so a choice keeps its own widget
state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SidebarKeys:
    """The shared sidebar (ui.state): one key per part of the view."""

    dataset: str = "w_dataset"
    level: str = "w_level"
    place: str = "w_place"
    group: str = "w_group"
    period: str = "w_period"
    custom: str = "w_custom"
    prices: str = "w_prices"
    last_dataset: str = "_last_dataset"
    pending_place: str = "_pending_place"
    load_error: str = "load_error"
    url_notes: str = "url_notes"

    def view_keys(self) -> dict[str, str]:
        """View field name -> widget key (the fields that go in the URL)."""
        names = ("dataset", "level", "place", "group", "period", "custom", "prices")
        return {n: getattr(self, n) for n in names}


@dataclass(frozen=True)
class HomeKeys:
    place: str = "home_place"


@dataclass(frozen=True)
class ProfileKeys:
    tab: str = "profile_tab"
    detailed: str = "profile_detailed"
    trend_indicator: str = "profile_trend_indicator"


@dataclass(frozen=True)
class ValueKeys:
    scope: str = "vfm_scope"
    tab: str = "vfm_tab"
    scatter: str = "vfm_scatter"
    rts: str = "vfm_rts"

    def service(self, level: str) -> str:
        return f"vfm_service_{level}"

    def spend(self, level: str, service: str) -> str:
        return f"vfm_spend_{level}_{service}"

    def outcome(self, level: str, service: str, spend_line: str = "") -> str:
        """The outcome picker of a service (of one of its spend lines other than the first)."""
        return f"vfm_outcome_{level}_{service}" + (f"_{spend_line}" if spend_line else "")

    def needs(self, level: str, service: str) -> str:
        return f"vfm_needs_{level}_{service}"

    def dea_outputs(self, level: str, service: str, outcome_id: str) -> str:
        return f"vfm_dea_outputs_{level}_{service}_{outcome_id}"


@dataclass(frozen=True)
class MapsKeys:
    two: str = "map_two"
    compare: str = "map_compare"
    shape: str = "map_shape"
    mode: str = "map_mode"
    method: str = "map_method"
    k: str = "map_k"

    def service(self, slot: str) -> str:
        return f"map_service_{slot}"

    def indicator(self, slot: str) -> str:
        return f"map_indicator_{slot}"

    def period(self, slot: str) -> str:
        return f"map_period_{slot}"

    def chart(self, slot: str, picks: int) -> str:
        """Carries the number of places picked on the map (picks), so the chart starts afresh
        once a click has selected a place, and is kept when the place is chosen elsewhere."""
        return f"map_chart_{slot}_{picks}"

    def picks(self, slot: str) -> str:
        """How many places a click on the map has selected in this session."""
        return f"map_picks_{slot}"

    def png(self, slot: str) -> str:
        return f"map_png_{slot}"

    def svg(self, slot: str) -> str:
        return f"map_svg_{slot}"


@dataclass(frozen=True)
class DataKeys:
    search: str = "dict_search"
    kinds: str = "dict_kinds"
    services: str = "dict_services"


@dataclass(frozen=True)
class LayerKeys:
    """The Your data page (ui.layers): the upload form and the layers this session holds."""

    title: str = "layer_title"
    file: str = "layer_file"
    check: str = "layer_check"
    result: str = "_layer_result"
    delete_keys: str = "_layer_delete_keys"
    delete_key_input: str = "layer_delete_key"

    def delete(self, name: str) -> str:
        return f"layer_delete_{name}"


@dataclass(frozen=True)
class CollectiveKeys:
    measure: str = "collective_measure"


SIDEBAR = SidebarKeys()
HOME = HomeKeys()
PROFILE = ProfileKeys()
VALUE = ValueKeys()
MAPS = MapsKeys()
DATA = DataKeys()
LAYERS = LayerKeys()
COLLECTIVE = CollectiveKeys()
