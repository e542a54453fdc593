"""Ordinal scales (data/catalogue/ordinals.yaml): the words of each grade of an ordinal
indicator (Ofsted: 1 Outstanding .. 4 Inadequate) and the texts official files use for them.
Shared by the builder (text -> grade) and the pages (grade -> words)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from dashboard.catalogue import fail, join, mapping, number, read_catalogue_yaml, sequence, text

FILE = "ordinals.yaml"


@dataclass(frozen=True)
class Scale:
    """One ordinal scale: grade -> label (and a short label), file text -> grade."""

    id: str
    title: str
    labels: dict[int, str]
    short: dict[int, str]
    read: dict[str, int]

    def words(self, grade: float, short: bool = False) -> str | None:
        """The label of ``grade`` (None when it is missing or not a grade of the scale)."""
        if grade is None or (isinstance(grade, float) and math.isnan(grade)):
            return None
        if float(grade) != round(float(grade)):
            return None
        g = int(round(float(grade)))
        return (self.short.get(g) if short else None) or self.labels.get(g)

    def between(self, grade: float, short: bool = True) -> str | None:
        """Words for a middle that may fall between two grades: 'Good', or 'Good to Requires
        improvement' for 2.5."""
        if grade is None or math.isnan(grade):
            return None
        lo, hi = math.floor(grade), math.ceil(grade)
        a, b = self.words(float(lo), short), self.words(float(hi), short)
        if a is None or b is None:
            return None
        return a if lo == hi else f"{a} to {b}"

    def grade_of(self, text_in_file: str) -> int | None:
        """The grade an official file's text stands for (None when unknown)."""
        return self.read.get(str(text_in_file).strip().lower())


@cache
def _scales() -> tuple[dict[str, Scale], dict[str, str]]:
    doc = read_catalogue_yaml(FILE)
    scales: dict[str, Scale] = {}
    for sid, raw in mapping(doc.get("scales"), FILE, "scales").items():
        key = join("scales", sid)
        mapping(raw, FILE, key)
        labels, short, read = {}, {}, {}
        for i, g in enumerate(
            sequence(raw.get("grades"), FILE, join(key, "grades"), non_empty=True)
        ):
            gk = join(join(key, "grades"), i)
            mapping(g, FILE, gk)
            grade = int(number(g.get("grade"), FILE, join(gk, "grade")))
            labels[grade] = text(g, "label", FILE, gk)
            if g.get("short"):
                short[grade] = text(g, "short", FILE, gk)
            for t in sequence(g.get("read_as", ()), FILE, join(gk, "read_as")):
                read[str(t).strip().lower()] = grade
            read.setdefault(labels[grade].lower(), grade)
        scales[str(sid)] = Scale(str(sid), text(raw, "title", FILE, key), labels, short, read)
    by_indicator: dict[str, str] = {}
    for ind, sid in mapping(doc.get("indicators"), FILE, "indicators").items():
        if sid not in scales:
            raise fail(FILE, join("indicators", ind), f"unknown scale '{sid}'")
        by_indicator[str(ind)] = str(sid)
    return scales, by_indicator


def ordinal_scale(indicator_id: str) -> Scale | None:
    """The scale of an ordinal indicator (None when ordinals.yaml does not list it)."""
    scales, by_indicator = _scales()
    sid = by_indicator.get(indicator_id)
    return scales[sid] if sid else None


def scale(scale_id: str) -> Scale:
    """A scale by its id (a CatalogueError when ordinals.yaml has none)."""
    scales, _ = _scales()
    if scale_id not in scales:
        raise fail(FILE, "scales", f"no scale '{scale_id}'")
    return scales[scale_id]
