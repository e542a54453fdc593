"""One computation of a map's classes serves every place: the place and its comparison group
change only the roles (the server classes a map once per indicator, not once per place)."""

from __future__ import annotations

import pytest

from dashboard import DATA_DIR
from dashboard.analysis.map_values import (
    ROLE_GROUP,
    ROLE_OTHER,
    ROLE_PLACE,
    indicator_periods,
    map_values,
    with_roles,
)
from dashboard.bundle import read_bundle

from ..app.conftest import DATASETS


def _fields(mv) -> dict:
    return {k: v for k, v in mv.__dict__.items() if k != "table"}


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("mode", ["values", "compare"])
def test_roles_set_on_shared_classes_equal_the_place_own_map(dataset: str, mode: str) -> None:
    bundle = read_bundle(DATA_DIR / dataset)
    codes = list(bundle.place_codes("upper"))
    place, group = codes[3], codes[10:20]
    ids = [i for i in bundle.indicators_at("upper")["id"] if indicator_periods(bundle, i, "upper")]
    ordinal = [i for i in ids if bundle.indicator(i)["unit"] == "ordinal"]
    for ind in [*ids[::9], *ordinal[:1]]:
        period = indicator_periods(bundle, ind, "upper")[-1]
        args = dict(method="quantiles", k=5, mode=mode)
        own = map_values(bundle, "upper", ind, period, place=place, group=group, **args)
        shared = map_values(bundle, "upper", ind, period, place="", group=[], **args)
        assert set(shared.table["role"]) == {ROLE_OTHER}, "no place, no group"
        moved = with_roles(shared, place, group)
        assert moved.table.equals(own.table), ind
        assert repr(_fields(moved)) == repr(_fields(own)), ind
        roles = dict(zip(moved.table["code"], moved.table["role"], strict=True))
        assert roles[place] == ROLE_PLACE
        assert {roles[c] for c in group if c in roles} == {ROLE_GROUP}
        assert set(shared.table["role"]) == {ROLE_OTHER}, "the shared map is left as it was"
