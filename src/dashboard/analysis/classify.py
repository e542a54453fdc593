"""Map classes and colours: class breaks (mapclassify) and the colour scheme a polarity asks for.

Pure code. Every number that is a choice (default and allowed number of classes, colour ramps,
the lightest end of a ramp, the grey for "no value") is read from data/catalogue/maps.yaml.

Vocabulary:

- *breaks* are the upper bounds of the classes, ascending; the last one is the maximum.
- a class holds values ``lower < v <= upper`` (the first class also holds its lower bound, the
  minimum), so every non-missing value falls in exactly one class.
- *compare* mode maps the difference from England's published value (the median of the level's
  councils where the source publishes none) on a diverging scheme centred on zero; *values*
  mode maps the values on a sequential scheme.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from dashboard.bundle.schema import UNITS
from dashboard.catalogue import (
    fail,
    mapping,
    one_of,
    param,
    require,
    section,
    sequence,
    text,
)

#: Classification methods offered to users: id -> label.
METHODS: dict[str, str] = {
    "quantiles": "Quantiles",
    "equal_interval": "Equal intervals",
    "natural_breaks": "Natural breaks",
}
#: What the map colours: the values, or the difference from England (its published value, else
#: the median of the level's councils).
MODES: dict[str, str] = {"values": "Values", "compare": "vs England"}
NO_VALUE = "No value"


# --- settings ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapSettings:
    """Map choices from maps.yaml (units in the field names' comments)."""

    classes: int  # default number of classes
    classes_min: int
    classes_max: int
    default_method: str
    first_indicators: tuple[str, ...]  # indicator ids the map opens on, first available wins
    light_end: float  # position of the lightest class on a ramp, 0..1
    web_tolerance: float  # degrees, boundary simplification for the browser
    coordinate_decimals: int  # decimal places of a degree
    region_close_gaps: float  # degrees, buffer that seals slivers in region outlines
    map_height: int  # pixels
    export_width: int  # pixels
    export_scale: float  # PNG pixels per chart pixel
    palettes: dict[str, tuple[str, ...]]  # ramp name -> colours, one end to the other
    missing_colour: str


FILE = "maps.yaml"


@cache
def map_settings(path: Path | None = None) -> MapSettings:
    """Load and check data/catalogue/maps.yaml (cached)."""
    name = path or FILE

    def value(key: str) -> float:
        return param(name, f"maps.{key}").value

    method = section(name, "maps.default_method")
    choices = sequence(require(method, "choices", FILE, "maps.default_method"), FILE, "choices")
    default = one_of(
        require(method, "value", FILE, "maps.default_method"),
        tuple(METHODS),
        "method",
        FILE,
        "maps.default_method.value",
    )
    if set(choices) != set(METHODS):
        raise fail(
            FILE,
            "maps.default_method.choices",
            f"must be the methods the app offers ({', '.join(METHODS)})",
        )
    palettes: dict[str, tuple[str, ...]] = {}
    for pname, entry in section(name, "maps.palettes").items():
        key = f"maps.palettes.{pname}"
        entry = mapping(entry, FILE, key)
        colours = tuple(str(c) for c in sequence(require(entry, "colours", FILE, key), FILE, key))
        text(entry, "source", FILE, key)
        if len(colours) < 2:
            raise fail(FILE, f"{key}.colours", "needs two or more colours")
        palettes[str(pname)] = colours
    classes = param(name, "maps.classes")
    first = section(name, "maps.first_indicators")
    missing = section(name, "maps.missing_colour")
    text(first, "source", FILE, "maps.first_indicators")
    text(missing, "source", FILE, "maps.missing_colour")
    return MapSettings(
        classes=int(classes.value),
        classes_min=int(classes.min),
        classes_max=int(classes.max),
        default_method=default,
        first_indicators=tuple(
            str(i)
            for i in sequence(
                require(first, "value", FILE, "maps.first_indicators"),
                FILE,
                "maps.first_indicators.value",
            )
        ),
        light_end=value("light_end"),
        web_tolerance=value("web_tolerance"),
        coordinate_decimals=int(value("coordinate_decimals")),
        region_close_gaps=value("region_close_gaps"),
        map_height=int(value("map_height")),
        export_width=int(value("export_width")),
        export_scale=value("export_scale"),
        palettes=palettes,
        missing_colour=text(missing, "value", FILE, "maps.missing_colour"),
    )


# --- breaks -----------------------------------------------------------------------------------
def class_breaks(values: np.ndarray | list[float], method: str, k: int) -> list[float]:
    """Upper bounds of ``k`` classes of the finite ``values`` by ``method`` (see METHODS).

    Fewer than ``k`` breaks come back when the data cannot fill ``k`` distinct classes (few
    distinct values, or quantiles that coincide). Natural breaks are Fisher–Jenks (exact and
    deterministic). Returns [] when there are no finite values.
    """
    if method not in METHODS:
        raise ValueError(f"unknown classification method '{method}' (one of {list(METHODS)})")
    if k < 1:
        raise ValueError("k must be at least 1")
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return []
    distinct = np.unique(x)
    if distinct.size <= k:
        return [float(v) for v in distinct]
    import mapclassify as mc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed", duplicate-quantile notes
        if method == "quantiles":
            bins = mc.Quantiles(x, k=k).bins
        elif method == "equal_interval":
            bins = mc.EqualInterval(x, k=k).bins
        else:
            bins = mc.FisherJenks(x, k=k).bins
    out: list[float] = []
    for b in np.asarray(bins, dtype=float):
        if not out or b > out[-1]:
            out.append(float(b))
    out[-1] = float(x.max())
    return out


def with_zero_break(breaks: list[float]) -> list[float]:
    """Add a break at zero when zero lies strictly inside a class, so that in compare mode no
    class holds both places above and places below the median."""
    if not breaks or 0.0 in breaks or breaks[-1] < 0:
        return list(breaks)
    return sorted([*breaks, 0.0])


def assign_classes(values: np.ndarray | list[float], breaks: list[float]) -> np.ndarray:
    """Class index (0-based) of each value; -1 where the value is missing or not finite."""
    x = np.asarray(values, dtype=float)
    out = np.full(x.shape, -1, dtype=int)
    if not breaks:
        return out
    ok = np.isfinite(x)
    idx = np.searchsorted(np.asarray(breaks), x[ok], side="left")
    out[ok] = np.minimum(idx, len(breaks) - 1)
    return out


# --- colours ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scheme:
    """A colour ramp and its direction for one map."""

    palette: str  # name of a maps.yaml palette
    reverse: bool  # True: the ramp runs dark/better at the low values
    diverging: bool
    note: str  # plain words for the caption, e.g. "darker blue is better"


def scheme_for(polarity: str, mode: str = "values", against: str = "the median") -> Scheme:
    """The colour scheme for an indicator's ``polarity`` in ``mode`` ('values' or 'compare').

    Values: polarity-aware indicators use a blue ramp where darker is better (reversed for
    lower_is_better); neutral ones a purple ramp where darker is higher. Compare: the difference
    from ``against`` (England's value, or the median of councils where England has none) on a
    diverging ramp, blue on the better side and orange on the worse side; neutral indicators on
    brown (below) to purple (above), which implies no judgement and is neither red nor green.
    """
    if mode not in MODES:
        raise ValueError(f"unknown map mode '{mode}'")
    if polarity not in ("higher_is_better", "lower_is_better", "neutral"):
        raise ValueError(f"unknown polarity '{polarity}'")
    if mode == "values":
        if polarity == "neutral":
            return Scheme("neutral", False, False, "darker is higher (no better or worse)")
        return Scheme("better", polarity == "lower_is_better", False, "darker blue is better")
    if polarity == "neutral":
        return Scheme(
            "diverging_neutral",
            False,
            True,
            f"purple above, brown below {against} (no better or worse)",
        )
    return Scheme(
        "diverging",
        polarity == "lower_is_better",
        True,
        f"blue better, orange worse than {against}",
    )


def _hex(c: str) -> np.ndarray:
    c = c.lstrip("#")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def ramp(colours: tuple[str, ...] | list[str], t: float) -> str:
    """The colour at position ``t`` (0..1) along ``colours``, interpolated in RGB."""
    t = min(max(float(t), 0.0), 1.0)
    pos = t * (len(colours) - 1)
    i = min(int(math.floor(pos)), len(colours) - 2)
    f = pos - i
    rgb = (1 - f) * _hex(colours[i]) + f * _hex(colours[i + 1])
    return "#" + "".join(f"{int(round(v)):02x}" for v in rgb)


def class_colours(
    breaks: list[float], lowest: float, scheme: Scheme, settings: MapSettings | None = None
) -> list[str]:
    """One colour per class. Sequential: evenly spaced from the light end to the darkest.
    Diverging: classes below zero take the one arm and classes above it the other, stepping
    out from zero class by class (the same number of steps on both arms, so the first class
    above and the first below are equally strong); an outlier class does not wash out the
    others, and the class furthest out on the longer arm takes the end colour."""
    s = settings or map_settings()
    colours = s.palettes[scheme.palette]
    n = len(breaks)
    if n == 0:
        return []
    if not scheme.diverging:
        ts = [s.light_end + (1 - s.light_end) * (i / (n - 1) if n > 1 else 1.0) for i in range(n)]
        if scheme.reverse:
            ts = ts[::-1]
    else:
        lows = [lowest, *breaks[:-1]]
        mids = [(lo + hi) / 2 for lo, hi in zip(lows, breaks, strict=True)]
        below = [i for i, m in enumerate(mids) if m < 0]
        above = [i for i, m in enumerate(mids) if m >= 0]
        steps = max(len(below), len(above), 1)
        ts = [0.5] * n
        for order, i in enumerate(reversed(below), start=1):  # nearest zero first
            ts[i] = 0.5 - 0.5 * order / steps
        for order, i in enumerate(above, start=1):
            ts[i] = 0.5 + 0.5 * order / steps
        if scheme.reverse:
            ts = [1 - t for t in ts]
    return [ramp(colours, t) for t in ts]


# --- labels and ranks ---------------------------------------------------------------------------
def number_text(
    value: float, unit: str, *, signed: bool = False, decimals: int | None = None
) -> str:
    """A bare number in the unit's format (the unit goes in the legend title); ``decimals``
    overrides the unit's number of decimal places."""
    spec = UNITS.get(unit, ("", ",.2f"))[1]
    if decimals is not None:
        spec = re.sub(r"\.\d+f$", f".{decimals}f", spec)
    text = f"{value:{'+' if signed and value != 0 else ''}{spec}}"
    return text.replace("-", "−")


def label_decimals(bounds: list[float], unit: str, most: int = 3) -> int:
    """Decimal places that keep every class boundary distinct in a legend: the unit's own,
    or more (up to ``most``) when classes are narrower than it can show."""
    m = re.search(r"\.(\d+)f$", UNITS.get(unit, ("", ",.2f"))[1])
    base = int(m.group(1)) if m else 2
    for d in range(base, most + 1):
        texts = [f"{b:.{d}f}" for b in bounds]
        if len(set(texts)) == len(set(bounds)):
            return d
    return most


def class_labels(
    breaks: list[float], lowest: float, unit: str, counts: list[int], *, signed: bool = False
) -> list[str]:
    """Legend labels such as '12.5 – 15.0 (30)': the class's range and how many places are in it."""
    lows = [lowest, *breaks[:-1]]
    d = label_decimals([lowest, *breaks], unit)
    out = []
    for lo, hi, n in zip(lows, breaks, counts, strict=True):
        a = number_text(lo, unit, signed=signed, decimals=d)
        b = number_text(hi, unit, signed=signed, decimals=d)
        rng = a if a == b else f"{a} – {b}"
        out.append(f"{rng} ({n})")
    return out


def ranks(values: np.ndarray | list[float], polarity: str) -> np.ndarray:
    """Rank of each value among the finite ones: 1 = best (highest for higher_is_better and
    neutral, lowest for lower_is_better); ties share the best rank; 0 where missing."""
    x = np.asarray(values, dtype=float)
    ok = np.isfinite(x)
    key = -x if polarity != "lower_is_better" else x
    out = np.zeros(x.shape, dtype=int)
    finite = key[ok]
    out[ok] = np.searchsorted(np.sort(finite), finite, side="left") + 1
    return out
