"""Indicator groups by what they measure (data/catalogue/groups.yaml): the sections of the
Profile page's spine chart and table. An indicator listed under a group in the file's
``indicators`` belongs to it; any other takes its service's group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dashboard.catalogue import fail, join, mapping, read_catalogue_yaml, sequence, text
from dashboard.layers.merge import ORIGIN_LOCAL

FILE = "groups.yaml"
#: The group of every indicator from a data layer (shown after the catalogue's groups).
LOCAL_GROUP = "local"
LOCAL_GROUP_LABEL = "Local data"


@dataclass(frozen=True)
class Groups:
    """The groups in screen order, the group of each service and the indicators placed by id."""

    order: tuple[str, ...]
    labels: dict[str, str]
    by_service: dict[str, str]
    by_indicator: dict[str, str]

    def of(self, indicator_id: str, service: str) -> str:
        """The group id of an indicator (its own listing, else its service's, else the last)."""
        return self.by_indicator.get(indicator_id) or self.by_service.get(service, self.order[-1])

    def of_row(self, indicator_id: str, service: str, origin: str | None) -> str:
        """Like :meth:`of`, but every indicator from a data layer (``origin`` "local") is in
        the "Local data" group."""
        return LOCAL_GROUP if origin == ORIGIN_LOCAL else self.of(indicator_id, service)

    def label(self, group_id: str) -> str:
        if group_id == LOCAL_GROUP:
            return LOCAL_GROUP_LABEL
        return self.labels.get(group_id, group_id.replace("_", " ").capitalize())

    def rank(self, group_id: str) -> int:
        """Position on screen (0 first; local data after every catalogue group)."""
        if group_id == LOCAL_GROUP:
            return len(self.order) + 1
        return self.order.index(group_id) if group_id in self.order else len(self.order)


@cache
def indicator_groups() -> Groups:
    """groups.yaml, checked: every group has an id and a label; services and indicators name
    known groups; no indicator is listed twice."""
    doc = read_catalogue_yaml(FILE)
    items = sequence(doc.get("groups"), FILE, "groups", non_empty=True)
    labels: dict[str, str] = {}
    for i, raw in enumerate(items):
        key = join("groups", i)
        mapping(raw, FILE, key)
        labels[text(raw, "id", FILE, key)] = text(raw, "label", FILE, key)
    by_service: dict[str, str] = {}
    for service, group in mapping(doc.get("services"), FILE, "services").items():
        if group not in labels:
            raise fail(FILE, join("services", service), f"unknown group '{group}'")
        by_service[str(service)] = str(group)
    by_indicator: dict[str, str] = {}
    for group, ids in mapping(doc.get("indicators"), FILE, "indicators").items():
        if group not in labels:
            raise fail(FILE, join("indicators", group), f"unknown group '{group}'")
        for ind in sequence(ids, FILE, join("indicators", group)):
            if ind in by_indicator:
                raise fail(FILE, join("indicators", group), f"'{ind}' is listed twice")
            by_indicator[str(ind)] = str(group)
    return Groups(tuple(labels), labels, by_service, by_indicator)
