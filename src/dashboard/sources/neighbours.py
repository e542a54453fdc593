"""Readers of the official comparator lists: the ONS nearest-neighbour workbook (ranked ONS codes
per council, one sheet per tier) and DfE's children's services statistical neighbours (DfE
3-digit LA numbers, ten per local authority).

Each reader returns the set's rows (``level``, ``place_code``, ``neighbour_code``, ``rank``) on
the bundle's current codes and plain sentences naming what it could not join; it never copies
anything but the published lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.sources.geography import Geography
from dashboard.sources.parsing import find_header_row, read_csv_text, require_columns

ROW_COLUMNS: list[str] = ["level", "place_code", "neighbour_code", "rank"]
_NEIGHBOUR = re.compile(r"^neighbour\s*(\d+)$", re.IGNORECASE)
_SN = re.compile(r"^SN(\d+)$")
#: Words left out when council names are compared ("Bristol, City of" is "bristol").
_NAME_NOISE = {"city", "of", "county", "council", "borough", "the", "and", "upon"}


def empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=int if c == "rank" else object) for c in ROW_COLUMNS})


def _level_codes(geo: Geography, level: str) -> set[str]:
    return set(geo.upper_codes if level == "upper" else geo.lower_codes)


def _spreadsheet(path: Path, sheet: str | None = None) -> dict[str, pd.DataFrame]:
    try:
        out = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    except ValueError as exc:
        raise BundleError(path.name, f"no sheet '{sheet}' ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for broken workbooks
        raise BundleError(path.name, f"cannot be read as a spreadsheet ({exc})") from exc
    return out if isinstance(out, dict) else {str(sheet): out}


def rank_rows(
    place: str, candidates: Iterable[str | None], level: str, size: int, codes: set[str]
) -> tuple[list[tuple[str, str, str, int]], list[str]]:
    """The first ``size`` of ``candidates`` (current codes, nearest first) that are other places
    at ``level``, ranked 1..; and the candidates left out on the way (None or not a place)."""
    rows: list[tuple[str, str, str, int]] = []
    skipped: list[str] = []
    seen = {place}
    for c in candidates:
        if len(rows) == size:
            break
        if c is None or c not in codes:
            skipped.append(str(c))
            continue
        if c in seen:
            continue
        seen.add(c)
        rows.append((level, place, c, len(rows) + 1))
    return rows, skipped


def read_ons_neighbours(
    path: Path, sheet: str, level: str, size: int, geo: Geography
) -> tuple[pd.DataFrame, list[str]]:
    """The first ``size`` neighbours of every council in one table of the ONS workbook (header
    row found by its 'Neighbour 1' cell; codes mapped with the geography's recodes)."""
    grid = next(iter(_spreadsheet(path, sheet).values()))
    h = find_header_row(grid, "Neighbour 1", path.name)
    head = [str(c).strip() for c in grid.iloc[h].tolist()]
    ranked = sorted(
        ((int(m.group(1)), j) for j, c in enumerate(head) if (m := _NEIGHBOUR.match(c))),
    )
    if not ranked or "code" not in head[0].lower():
        raise BundleError(
            path.name, f"sheet '{sheet}' has no code and 'Neighbour N' columns", row=h + 1
        )
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    codes = _level_codes(geo, level)
    rows: list[tuple[str, str, str, int]] = []
    notes: list[str] = []
    for i in range(len(body)):
        raw = body.iat[i, 0]
        if pd.isna(raw) or not str(raw).strip():
            continue
        place = geo.current(str(raw))
        if place is None or place not in codes:
            notes.append(
                f"{path.name}, sheet '{sheet}', row {i + h + 2}: '{str(raw).strip()}' is not a "
                f"current {level}-tier council; its list was left out"
            )
            continue
        cells = (body.iat[i, j] for _, j in ranked)
        got, skipped = rank_rows(
            place,
            (None if pd.isna(c) else geo.current(str(c)) for c in cells),
            level,
            size,
            codes,
        )
        rows += got
        if skipped:
            notes.append(
                f"{path.name}, sheet '{sheet}', row {i + h + 2}: {len(skipped)} neighbour code(s) "
                f"of {place} are not current {level}-tier councils and were passed over"
            )
    return pd.DataFrame(rows, columns=ROW_COLUMNS), notes


def name_key(name: str) -> str:
    """A council name reduced for matching: lower case, letters and digits, common words out."""
    words = re.findall(r"[a-z0-9]+", str(name).lower().replace("&", " and "))
    return "".join(w for w in words if w not in _NAME_NOISE)


def dfe_number(value: object) -> str:
    """A DfE 3-digit LA number as text ('201.0' and 201 are '201'; '' when blank)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text


def read_dfe_crosswalk(paths: Iterable[Path]) -> dict[str, str]:
    """DfE LA number -> ONS code, from DfE files with ``old_la_code`` and ``new_la_code``; the
    latest year's pair wins where a number has had several codes."""
    out: dict[str, str] = {}
    for path in paths:
        df = read_csv_text(path)
        if not {"old_la_code", "new_la_code"} <= set(df.columns):
            continue
        if "time_period" in df.columns:
            df = df.sort_values("time_period", kind="stable")
        for old, new in zip(df["old_la_code"], df["new_la_code"], strict=True):
            old, new = dfe_number(old), str(new).strip()
            if old and new.startswith("E"):
                out[old] = new
    return out


def read_dfe_names(path: Path | None) -> dict[str, str]:
    """DfE LA number -> name from LAIT's la_code_list.xlsx ({} when absent)."""
    if path is None:
        return {}
    grid = next(iter(_spreadsheet(path, None).values()))
    h = find_header_row(grid, "LA Number", path.name)
    head = [str(c).strip() for c in grid.iloc[h].tolist()]
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    body.columns = head
    require_columns(body, ["LA Number", "LA Name"], path.name)
    return {
        dfe_number(n): str(name).strip()
        for n, name in zip(body["LA Number"], body["LA Name"], strict=True)
        if dfe_number(n) and not pd.isna(name)
    }


def read_dfe_table(path: Path) -> tuple[pd.DataFrame, int]:
    """The DfE statistical-neighbour table as text (``LA num``, ``LA Name``, ``SN1``..) and the
    file row of its first data row; rows from the first blank ``LA num`` on (the 'Old SNs' of
    councils that no longer exist) are left out."""
    if path.suffix.lower() == ".csv":
        df = read_csv_text(path)
        first = 2
    else:
        grid = next(iter(_spreadsheet(path, None).values()))
        h = find_header_row(grid, "LA num", path.name)
        head = [str(c).strip() for c in grid.iloc[h].tolist()]
        df = grid.iloc[h + 1 :].reset_index(drop=True)
        df.columns = head
        first = h + 2
    require_columns(df, ["LA num", "LA Name", "SN1"], path.name)
    nums = df["LA num"].map(dfe_number)
    blank = np.flatnonzero((nums == "").to_numpy())
    end = int(blank[0]) if len(blank) else len(df)
    return df.iloc[:end].reset_index(drop=True), first


def read_dfe_neighbours(
    path: Path, size: int, to_code: Callable[[str, str], str | None], geo: Geography
) -> tuple[pd.DataFrame, list[str]]:
    """Upper-tier rows of the DfE table: ``to_code(number, name)`` gives a DfE LA number's
    current ONS code (None when it does not join); sentences name every number that did not."""
    df, first = read_dfe_table(path)
    sn_cols = sorted((int(m.group(1)), c) for c in df.columns if (m := _SN.match(str(c))))
    names = dict(zip(df["LA num"].map(dfe_number), df["LA Name"].astype(str), strict=True))
    codes = _level_codes(geo, "upper")
    rows: list[tuple[str, str, str, int]] = []
    unjoined: dict[str, str] = {}
    for i, rec in df.iterrows():
        num = dfe_number(rec["LA num"])
        place = to_code(num, str(rec["LA Name"]))
        if place is None or place not in codes:
            unjoined[num] = f"row {int(i) + first}, {str(rec['LA Name']).strip()} (LA {num})"
            continue
        cand = []
        for _, c in sn_cols:
            n = dfe_number(rec[c])
            if not n:
                continue
            code = to_code(n, names.get(n, ""))
            if code is None:
                unjoined.setdefault(n, f"neighbour LA {n} of {place}")
            cand.append(code)
        got, _ = rank_rows(place, cand, "upper", size, codes)
        rows += got
    notes = [
        f"{path.name}: {what} does not join a current upper-tier council; left out"
        for what in unjoined.values()
    ]
    return pd.DataFrame(rows, columns=ROW_COLUMNS), notes


def dfe_joiner(
    crosswalk: dict[str, str], names: dict[str, str], geo: Geography
) -> Callable[[str, str], str | None]:
    """``to_code(number, name)``: the DfE number through the crosswalk and the geography's
    recodes, else the name (given, or from LAIT's list) matched to one upper-tier council."""
    by_name: dict[str, list[str]] = {}
    upper = set(geo.upper_codes)
    for code, name in zip(geo.places["code"], geo.places["name"], strict=True):
        if code in upper:
            by_name.setdefault(name_key(name), []).append(code)

    def to_code(number: str, name: str) -> str | None:
        if number in crosswalk:
            code = geo.current(crosswalk[number])
            if code in upper:
                return code
        for nm in (name, names.get(number, "")):
            hits = by_name.get(name_key(nm), []) if nm else []
            if len(hits) == 1:
                return hits[0]
        return None

    return to_code
