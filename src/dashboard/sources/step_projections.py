"""Builder step for population projections (ONS subnational projections, SNPP).

Writes the bundle's optional population_projection.parquet: projected persons per current
council, age band and year, for the bands the file covers (the staged 2016-based extract holds
ages 60 and over, so 65-74, 75-84 and 85+). The scenario engine uses the projection's growth from
the base year, not its level (:mod:`dashboard.scenario.demography`).
"""

from __future__ import annotations

import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.sources.geography import Geography
from dashboard.sources.parsing import read_csv_text, require_columns
from dashboard.sources.projections import projection_bands, read_snpp, successor_map
from dashboard.sources.step import Files, StepOutput, StepResult, first
from dashboard.sources.tables import field_of, step_sources


def projections_step(files: Files, geo: Geography) -> tuple[pd.DataFrame | None, StepResult]:
    """population_projection.parquet rows (None without a projection file) and the step's notes:
    which councils and years it covers, which councils are sums of the file's former districts,
    and any file codes no current council took in."""
    out = StepOutput()
    snpp_id, register_id = step_sources("projections")
    path = first(files, snpp_id)
    if path is None:
        return None, out.result()
    try:
        snpp, problems = read_snpp(path)
    except BundleError as exc:
        out.log.append(f"skipped {path.name}: {exc}")
        return None, out.result()
    out.used_file(snpp_id, path.name)
    out.problems += problems
    successors: dict[str, str] = {}
    reg_path = first(files, register_id)
    if reg_path is not None:
        try:
            register = read_csv_text(reg_path)
            require_columns(
                register, ["local-authority-code", "gss-code", "replaced-by"], reg_path.name
            )
            successors = successor_map(register, set(geo.lower_codes))
        except BundleError as exc:
            out.log.append(f"{reg_path.name} not used for projections: {exc}")
    label = str(field_of(snpp_id, "label"))
    rows, gone, merged = projection_bands(snpp, geo, successors, label)
    if rows.empty:
        out.log.append(f"skipped {path.name}: no council of the file is a current council")
        return None, out.result()
    if gone:
        out.dropped[f"{path.name} (projection)"] += len(gone)
    councils = [c for c in geo.places["code"] if c in set(rows["place_code"])]
    missing = [c for c in (*geo.upper_codes, *geo.lower_codes) if c not in set(councils)]
    out.note(
        "projection",
        label=label,
        bands=", ".join(dict.fromkeys(rows["age_band"])),
        first=int(rows["year"].min()),
        last=int(rows["year"].max()),
        n=len(councils),
        merged=len(merged),
        examples=", ".join(sorted(geo.places.set_index("code").loc[sorted(merged), "name"])[:4]),
    )
    if missing:
        names = geo.places.set_index("code").loc[sorted(set(missing)), "name"]
        out.note("projection_missing", count=len(names), examples=", ".join(names[:5]))
    return rows, out.result()
