"""Readers for MHCLG revenue outturn workbooks (RSX, RS, RO3): net current expenditure in £.

The workbooks report £ thousand; every reader here returns £ (× 1,000). Layouts change between
years (header row, sheet name, column spelling), so the header is found by its ``ONS Code`` cell
and service columns are matched by their labels, never by position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.catalogue import service_ids
from dashboard.sources.parsing import Problem, find_header_row, parse_numbers

#: RSX/RS service block label (normalised prefix) -> service id. Police and fire are read but
#: left out of the bundle, as are police, fire, GLA and combined authorities (not councils).
RSX_BLOCKS: tuple[tuple[str, str], ...] = (
    ("education services", "education"),
    ("highways and transport services", "highways_transport"),
    ("children social care", "childrens_social_care"),
    ("adult social care", "adult_social_care"),
    ("public health", "public_health"),
    ("housing services (gfra only)", "housing"),
    ("cultural and related services", "culture"),
    ("environmental and regulatory services", "environment"),
    ("planning and development services", "planning"),
    ("police services", "police"),
    ("fire and rescue services", "fire"),
    ("central services", "central"),
    ("other services", "other"),
    ("total service expenditure", "total_reported"),
)
#: Council service ids: every service of data/catalogue/services.yaml but "all", in the order of
#: RSX_BLOCKS (each must have a block there).
COUNCIL_SERVICES: tuple[str, ...] = tuple(
    sorted(
        (s for s in service_ids() if s != "all"),
        key=[svc for _, svc in RSX_BLOCKS].index,
    )
)


def norm(label: object) -> str:
    """Lower-case label with plain apostrophes, hyphens and single spaces."""
    s = unicodedata.normalize("NFKC", str(label)).lower()
    s = (
        s.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )
    return re.sub(r"\s+", " ", s).strip()


def period_from(text: str) -> str | None:
    """Financial year '2024-25' from '2024-25', '202425' or '2024_25' in a name."""
    m = re.search(r"(20\d\d)[-_ ]?(\d\d)(?!\d)", text)
    if not m:
        return None
    start, end = int(m.group(1)), int(m.group(2))
    if (start + 1) % 100 != end:
        return None
    return f"{start}-{m.group(2)}"


@dataclass
class Outturn:
    """One workbook read into long form: ``code, line, value_gbp, status`` for one period."""

    period: str
    file: str
    data: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: council code -> its marker in the workbook's Notes column (e.g. "M": return not received)
    flags: dict[str, str] = field(default_factory=dict)
    #: marker -> its text on the workbook's Notes sheet
    marker_texts: dict[str, str] = field(default_factory=dict)


#: Council rows (E06-E10), England's row and the class totals (E06 ... E10) of RSX workbooks.
OUTTURN_CODE = r"^E(06|07|08|09|10)(\d{6})?$|^E92000001$"


def _data_sheet(path: Path) -> tuple[str, pd.DataFrame, dict[str, str]]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise BundleError(path.name, f"cannot be read as a spreadsheet ({exc})") from exc
    markers: dict[str, str] = {}
    notes = next((g for n, g in sheets.items() if n.strip().lower() == "notes"), None)
    if notes is not None and notes.shape[1] >= 2:
        for key, val in zip(notes.iloc[:, 0], notes.iloc[:, 1], strict=True):
            if isinstance(key, str) and isinstance(val, str) and len(key.strip()) <= 12:
                markers[key.strip()] = " ".join(val.split())
    for name, grid in sheets.items():
        if re.search(r"LA[ _]Data", name, re.I):
            return name, grid, markers
    raise BundleError(path.name, f"no 'LA Data' sheet (sheets: {', '.join(sheets)})")


def read_outturn(path: Path, *, net_only_layout: bool | None = None) -> Outturn:
    """Net current expenditure (£) by council and line from an RSX, RS or RO3 workbook.

    ``line`` is the normalised column label up to " - net current expenditure" (RSX/RO3), or the
    whole label for the net-only RS layout. Council rows are those whose ``ONS Code`` is E06-E10;
    England's row (E92000001) and the class totals (codes ``E06`` ... ``E10``, MHCLG's estimates
    including councils whose return is missing) are kept too; police, fire, GLA and combined
    authorities are dropped. ``flags`` holds each council's Notes marker (``M``: return not
    received in time for publication), ``marker_texts`` the Notes sheet.
    """
    sheet, grid, markers = _data_sheet(path)
    period = period_from(sheet) or period_from(path.name)
    if period is None:
        raise BundleError(path.name, f"cannot tell the financial year from sheet '{sheet}'")
    h = find_header_row(grid, "ONS Code", path.name)
    header = [norm(c) for c in grid.iloc[h].tolist()]
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    body.columns = range(body.shape[1])
    try:
        code_col = header.index("ons code")
    except ValueError as exc:  # pragma: no cover - find_header_row guarantees it
        raise BundleError(path.name, "no 'ONS Code' column", row=h + 1) from exc
    codes = body[code_col].astype(str).str.strip()
    keep = codes.str.match(OUTTURN_CODE)
    flags: dict[str, str] = {}
    if "notes" in header:
        col = body[header.index("notes")]
        for c, f in zip(codes[keep], col[keep], strict=True):
            if isinstance(f, str) and f.strip():
                flags[c] = f.strip()
    sheet_rows = pd.Series(range(len(body))) + h + 2  # 1-based spreadsheet rows
    if net_only_layout is None:
        net_only_layout = not any(re.search(r"net current expenditure\s*\(c7", c) for c in header)
    lines: dict[int, str] = {}
    for j, label in enumerate(header):
        if net_only_layout:
            if j > code_col + 2 and label not in ("", "nan", "class"):
                lines[j] = label
        elif re.search(r"net current expenditure\s*\(c7", label):
            lines[j] = re.split(r"\s*-?\s*net current expenditure", label)[0].strip(" -")
    if not lines:
        raise BundleError(path.name, "no net current expenditure columns found", row=h + 1)
    frames, problems = [], []
    for j, line in lines.items():
        parsed = parse_numbers(
            body.loc[keep, j],
            file=path.name,
            column=str(grid.iloc[h, j]).replace("\n", " "),
            rows=sheet_rows[keep],
            scale=1000.0,
        )
        problems += parsed.problems
        frames.append(
            pd.DataFrame(
                {
                    "code": codes[keep].to_numpy(),
                    "line": line,
                    "value_gbp": parsed.values.to_numpy(),
                    "status": parsed.status.to_numpy(),
                }
            )
        )
    data = pd.concat(frames, ignore_index=True)
    return Outturn(period, path.name, data, problems, flags, markers)


def service_blocks(out: Outturn) -> pd.DataFrame:
    """Wide frame: one row per council code, one column per RSX service block (£).

    For the RS layout the first column matching each block label is used (later columns such as
    housing benefit lines share prefixes). Status columns ``<service>__status`` come alongside.
    """
    labels = list(dict.fromkeys(out.data["line"]))
    chosen: dict[str, str] = {}
    for prefix, service in RSX_BLOCKS:
        for lab in labels:
            if lab.startswith(prefix) and lab not in chosen.values():
                chosen[service] = lab
                break
    missing = [s for s in COUNCIL_SERVICES if s not in chosen]
    if missing:
        raise BundleError(out.file, f"service block columns not found: {', '.join(missing)}")
    sub = out.data[out.data["line"].isin(chosen.values())]
    rev = {v: k for k, v in chosen.items()}
    sub = sub.assign(service=sub["line"].map(rev))
    if sub.duplicated(["code", "service"]).any():
        dup = sub[sub.duplicated(["code", "service"])].iloc[0]
        raise BundleError(out.file, f"council '{dup.code}' appears twice", column="ONS Code")
    val = sub.pivot(index="code", columns="service", values="value_gbp")
    st = sub.pivot(index="code", columns="service", values="status").add_suffix("__status")
    return val.join(st)
