"""ONS subnational population projections (SNPP): persons by single year of age and year.

The reader takes the ONS layout (``AREA_CODE``, ``AGE_GROUP`` and one column per year, e.g. the
2016-based SNPP persons table, or an extract of it holding only some ages) and returns long
rows on the file's own council codes. :func:`successor_map` maps the codes of a projection's
geography onto current councils with the mySociety register (``former-gss-codes`` for recodes,
``replaced-by`` for councils merged into a new one), and :func:`projection_bands` sums single
years of age into the age bands of population.parquet, districts into their current council and
current districts into their county. Every boundary change since 2016 merged whole districts, so
the sums are exact.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.schema import AGE_BANDS
from dashboard.sources.geography import Geography
from dashboard.sources.parsing import Problem, parse_numbers, read_csv_text, require_columns
from dashboard.sources.population import LA_CODE, _band_bounds

#: Columns of the long frame :func:`read_snpp` returns (persons by council, age and year).
SNPP_COLUMNS: tuple[str, ...] = ("code", "age", "year", "persons")
#: Columns of the bundle's population_projection.parquet.
PROJECTION_FRAME_COLUMNS: tuple[str, ...] = ("place_code", "age_band", "year", "persons", "source")

_YEAR = re.compile(r"^\d{4}$")
_OPEN_AGE = re.compile(r"^\s*(\d+)\s*(\+|and over)\s*$", re.I)


def read_snpp(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Persons (projected, may be fractional) by council code, single year of age and year.

    ``age`` is an int (the open top group, "90" or "90 and over", is its lower bound); rows
    whose age is "All ages" are left out. A cell that is not a number is missing and a problem
    naming the file, row and column; a file without ``AREA_CODE``, ``AGE_GROUP`` or any year
    column is refused with a :class:`BundleError` naming the column.
    """
    body = read_csv_text(path)
    require_columns(body, ["AREA_CODE", "AGE_GROUP"], path.name)
    years = [c for c in body.columns if _YEAR.match(c)]
    if not years:
        raise BundleError(path.name, "no year columns (2016, 2017, ...)", column="YYYY")
    rows = pd.Series(np.arange(len(body)) + 2)  # the header is row 1
    codes = body["AREA_CODE"].str.strip()
    age_text = body["AGE_GROUP"].str.strip()
    keep = codes.str.match(LA_CODE) & (age_text.str.lower() != "all ages")
    ages = parse_numbers(
        age_text[keep].str.replace(_OPEN_AGE, r"\1", regex=True),
        file=path.name,
        column="AGE_GROUP",
        rows=rows[keep],
    )
    problems = list(ages.problems)
    whole = (ages.values == ages.values.round()).to_numpy()  # False where missing
    odd = ~whole & ages.values.notna().to_numpy()
    for r, v in zip(rows[keep][odd], age_text[keep][odd], strict=True):
        problems.append(Problem(path.name, int(r), "AGE_GROUP", str(v)))
    frames = []
    for col in years:
        p = parse_numbers(body.loc[keep, col], file=path.name, column=col, rows=rows[keep])
        problems += p.problems
        frames.append(
            pd.DataFrame(
                {
                    "code": codes[keep].to_numpy(),
                    "age": ages.values.to_numpy(),
                    "year": int(col),
                    "persons": p.values.to_numpy(),
                }
            )[whole]
        )
    out = pd.concat(frames, ignore_index=True)
    out["age"] = out["age"].astype(int)
    return out[list(SNPP_COLUMNS)], problems


def successor_map(register: pd.DataFrame, current: set[str]) -> dict[str, str]:
    """Former council code -> the one current council (of ``current``) that took in all of it.

    ``register`` is the mySociety list of past and current councils (``local-authority-code``,
    ``gss-code``, ``replaced-by`` as mySociety codes, ``former-gss-codes``). Chains are followed
    (Taunton Deane -> Somerset West and Taunton -> Somerset); a council split between several
    successors (a county) maps to none.
    """
    gss = dict(zip(register["local-authority-code"], register["gss-code"], strict=True))
    step: dict[str, list[str]] = {}
    for code, repl in zip(register["gss-code"], register["replaced-by"], strict=True):
        if code and repl:
            step[code] = [gss.get(x.strip(), "") for x in str(repl).split(",") if x.strip()]
    if "former-gss-codes" in register.columns:
        for code, former in zip(register["gss-code"], register["former-gss-codes"], strict=True):
            for old in str(former or "").split(","):
                if old.strip() and old.strip() != code:
                    step.setdefault(old.strip(), [code])
    out: dict[str, str] = {}
    for start in step:
        code, seen = start, {start}
        while code not in current:
            nxt = step.get(code, [])
            if len(nxt) != 1 or nxt[0] in seen:
                break
            code = nxt[0]
            seen.add(code)
        if code in current and code != start:
            out[start] = code
    return out


def covered_bands(ages: pd.Series) -> list[str]:
    """The age bands of population.parquet whose every age the file has (``ages``: its single
    years of age; the highest is the open top group)."""
    have = set(int(a) for a in ages.unique())
    top = max(have)
    out = []
    for band in AGE_BANDS:
        lo, hi = _band_bounds(band)
        fits = min(have) <= lo <= top and (band.endswith("+") or hi < top)
        if fits and all(a in have for a in range(lo, min(hi, top) + 1)):
            out.append(band)
    return out


def projection_bands(
    snpp: pd.DataFrame, geo: Geography, successors: dict[str, str], source: str
) -> tuple[pd.DataFrame, list[str], set[str]]:
    """Projected persons per current council, age band and year (population_projection.parquet
    rows: ``place_code``, ``age_band``, ``year``, ``persons``, ``source``).

    Only the bands whose every age the file has are summed (an extract of ages 60 and over gives
    65-74, 75-84 and 85+). A file code is mapped with ``geo`` (same area) or ``successors``
    (merged into a current council); a council whose sum would lack a cell (a missing value, or
    a county with a district the file does not have) gets no row for that band and year. Returns
    the rows, the file codes no current council took in, and the current councils made from
    several of the file's councils.
    """
    bands = covered_bands(snpp["age"])
    band_of = {}
    for band in bands:
        lo, hi = _band_bounds(band)
        for a in range(lo, hi + 1):
            band_of[a] = band
    df = snpp[snpp["age"].isin(band_of)].assign(age_band=lambda d: d["age"].map(band_of))
    mapped = geo.map_codes(df["code"])
    mapped = mapped.where(mapped.notna(), df["code"].map(successors))
    lower = set(geo.lower_codes)
    ok = mapped.isin(lower).to_numpy()
    gone = sorted(set(df.loc[~ok, "code"]))
    df = df[ok].assign(place_code=mapped[ok])
    merged = {c for c, n in df.groupby("place_code")["code"].nunique().items() if n > 1}
    lo_tier = _sum_cells(df, ["place_code", "age_band", "year"])
    parts = [lo_tier]
    members: dict[str, list[str]] = {}
    for d, c in geo.county_of.items():
        members.setdefault(c, []).append(d)
    for county, districts in sorted(members.items()):
        rows = lo_tier[lo_tier["place_code"].isin(districts)]
        if rows.empty:
            continue
        n = rows.groupby(["age_band", "year"])["place_code"].nunique()
        total = rows.groupby(["age_band", "year"])["persons"].sum()
        total = total[n == len(districts)]
        parts.append(
            total.reset_index().assign(place_code=county)[
                ["place_code", "age_band", "year", "persons"]
            ]
        )
    out = pd.concat(parts, ignore_index=True).assign(source=source)
    out["year"] = out["year"].astype(int)
    out = out.sort_values(["place_code", "age_band", "year"]).reset_index(drop=True)
    return out[list(PROJECTION_FRAME_COLUMNS)], gone, merged


def _sum_cells(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums of ``persons`` per ``keys``; a group with a missing cell is left out, not undercounted."""
    g = df.assign(_bad=df["persons"].isna()).groupby(keys)
    agg = g.agg(persons=("persons", "sum"), bad=("_bad", "any")).reset_index()
    return agg[~agg["bad"]].drop(columns="bad")
